/* reports/cells.c -- heat-map cells through pgf's system layer (see cells.h for why). */
#include <math.h>
#include <stdio.h>

#include "reports/cells.h"

void cells_tint(const double rgb[3], double pct, double out[3])
{
    double a = fmin(100.0, fmax(0.0, pct)) / 100.0;
    for (int i = 0; i < 3; i++)
        out[i] = a * rgb[i] + (1 - a);
}

/* \csname reaches pgf's @-names whatever the catcode of @ where the part is \input; the \let keeps
 * that lookup out of the cell loop. */
void cells_begin(FILE *tex)
{
    fputs("\\begin{pgfscope}\n"
          "\\expandafter\\let\\expandafter\\psyrgb\\csname pgfsys@color@rgb@fill\\endcsname\n"
          "\\expandafter\\let\\expandafter\\psyrect\\csname pgfsys@rect\\endcsname\n"
          "\\expandafter\\let\\expandafter\\psyfill\\csname pgfsys@fill\\endcsname\n"
          "\\def\\psycell#1#2#3#4#5#6#7{\\psyrgb{#1}{#2}{#3}\\psyrect{#4pt}{#5pt}{#6pt}{#7pt}\\psyfill}\n",
          tex);
}

void cells_fill(FILE *tex, const double rgb[3], double x, double y, double w, double h)
{
    fprintf(tex, "\\psycell{%.4f}{%.4f}{%.4f}{%.3f}{%.3f}{%.3f}{%.3f}\n", rgb[0], rgb[1], rgb[2], x, y, w, h);
}

void cells_end(FILE *tex)
{
    fputs("\\end{pgfscope}\n", tex);
}
