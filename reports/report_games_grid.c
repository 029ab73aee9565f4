/* reports/report_games_grid.c -- a shaded grid of rates (Figure 5, fig_ug_acceptance) drawn in
 * plain TikZ rather than as pgfplots axes.  A pgfplots `matrix plot*` with `nodes near coords`
 * costs pdflatex about 4 ms a labelled cell and 150 ms an axis: 12 models x 5 traits x 44 cells
 * took 10.8 s of a 27 s report (issue 16).  Here a cell is one rectangle of pgf's basic layer, and the labels of a row are
 * one node of fixed-width boxes, so the same figure costs a small fraction of that. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/cells.h"
#include "reports/report_games_int.h"

/* The grid is GRID_W cm wide whatever the number of columns; rows are GRID_ROW_H cm high. */
#define GRID_W 6.4
#define GRID_ROW_H 0.45
#define GRID_HSEP 1.6   /* between the two columns of panels: room for the tick labels */
/* A label in \tiny ("0.33") is about 0.33 cm wide: below this cell width it cannot be read. */
#define GRID_LABEL_MIN_W 0.45

int rg_grid_labelled(size_t cols)
{
    return cols > 0 && GRID_W / (double)cols >= GRID_LABEL_MIN_W;
}

/* A rate as pgfplots' \pgfmathprintnumber[fixed, precision=2] printed it: 0.5, 1, 0.33. */
static void grid_label(FILE *tex, double v)
{
    char b[32];
    snprintf(b, sizeof b, "%.2f", v);
    char *dot = strchr(b, '.');
    if (dot) {
        char *e = b + strlen(b);
        while (e > dot + 1 && e[-1] == '0')
            *--e = '\0';
        if (e == dot + 1)
            *dot = '\0';
    }
    fputs(strcmp(b, "-0") == 0 ? "0" : b, tex);
}

/* v as TeX reads it from "%.2f" / "%.4f": the cells must sit where the TikZ coordinates put the rest */
static double round2(double v)
{
    char b[64];
    snprintf(b, sizeof b, "%.2f", v);
    return strtod(b, NULL);
}

static double round4(double v)
{
    char b[64];
    snprintf(b, sizeof b, "%.4f", v);
    return strtod(b, NULL);
}

void rg_grid_begin(FILE *tex, size_t cols)
{
    fprintf(tex, "\\begin{tikzpicture}[x=%.4fcm, y=%.2fcm]\n", GRID_W / (double)cols, GRID_ROW_H);
}

void rg_grid_end(FILE *tex)
{
    fputs("\\end{tikzpicture}\n", tex);
}

/* One panel: p->v[y * cols + x] is the rate at column x (an offer) and row y (a level, bottom up),
 * NaN where not tested (marked x).  Panel k sits in column k % 2 and row k / 2 of the picture. */
void rg_grid_panel(FILE *tex, const struct rg_grid *p)
{
    const size_t cols = p->cols;
    const int rows = p->rows;
    const double w = GRID_W / (double)cols;
    const double step_y = rows * GRID_ROW_H + 2.1;
    fprintf(tex, "\\begin{scope}[shift={(%.2fcm,%.2fcm)}]\n", (double)(p->k % 2) * (GRID_W + GRID_HSEP),
            -(double)(p->k / 2) * step_y);
    fprintf(tex, "\\node[font=\\small, anchor=south] at (%.1f,%.2f) {%s};\n", (cols - 1) / 2.0, rows - 0.4,
            p->title);
    /* the cells in pgf's system layer (reports/cells.h), which no TikZ shift or unit reaches: each
     * cell's corner in pt is the scope's shift (as written above, to the hundredth of a cm) plus
     * (x - 0.5, y - 0.5) units; the frame drawn below makes the bounding box */
    double sx = round2((double)(p->k % 2) * (GRID_W + GRID_HSEP)) * CELLS_PT_PER_CM;
    double sy = round2(-(double)(p->k / 2) * step_y) * CELLS_PT_PER_CM;
    double upt_x = round4(w) * CELLS_PT_PER_CM, upt_y = GRID_ROW_H * CELLS_PT_PER_CM;
    static const double blue[3] = { 0, 0, 1 };
    cells_begin(tex);
    for (int y = 0; y < rows; y++)
        for (size_t x = 0; x < cols; x++) {
            double v = p->v[(size_t)y * cols + x], rgb[3];
            if (isnan(v) || v <= 0)
                continue;
            cells_tint(blue, 55 * (v > 1 ? 1 : v), rgb);
            cells_fill(tex, rgb, sx + ((double)x - 0.5) * upt_x, sy + (y - 0.5) * upt_y, upt_x, upt_y);
        }
    cells_end(tex);
    for (int y = 0; y < rows; y++) {
        if (p->labels) {
            fprintf(tex, "\\node[anchor=west, inner sep=0, font=\\tiny] at (-0.5,%d) {", y);
            for (size_t x = 0; x < cols; x++) {
                double v = p->v[(size_t)y * cols + x];
                fprintf(tex, "\\makebox[%.4fcm]{", w);
                if (!isnan(v))
                    grid_label(tex, v);
                fputs("}", tex);
            }
            fputs("};\n", tex);
        }
        for (size_t x = 0; x < cols; x++)
            if (isnan(p->v[(size_t)y * cols + x]))
                fprintf(tex, "\\node[gray] at (%zu,%d) {$\\times$};\n", x, y);
        fprintf(tex, "\\node[anchor=east, font=\\scriptsize] at (-0.6,%d) {", y);
        if (p->row_label[y])
            fprintf(tex, "%d", p->row_label[y]);
        else
            fputs("none", tex);
        fputs("};\n", tex);
    }
    fprintf(tex, "\\draw[gray] (-0.5,-0.5) rectangle (%.1f,%.1f);\n", cols - 0.5, rows - 0.5);
    /* the offers under the grid, one box a column; a long label list in \tiny */
    fprintf(tex, "\\node[anchor=north west, inner sep=0, font=%s] at (-0.5,-0.65) {",
            p->labels ? "\\scriptsize" : "\\tiny");
    for (size_t x = 0; x < cols; x++) {
        fprintf(tex, "\\makebox[%.4fcm]{", w);
        if (p->labels || x % 2 == 0)
            latex_text(tex, p->col_label[x]);
        fputs("}", tex);
    }
    fputs("};\n", tex);
    fprintf(tex, "\\node[anchor=north, font=\\small] at (%.1f,-1.5) {%s};\n", (cols - 1) / 2.0, p->xlabel);
    if (p->k % 2 == 0)
        fprintf(tex, "\\node[rotate=90, anchor=south, font=\\small] at (-1.9,%.1f) {%s};\n", (rows - 1) / 2.0,
                p->ylabel);
    if (p->colorbar)
        fprintf(tex, "\\shade[bottom color=white, top color=blue!55, draw=gray] (%.2f,-0.5) rectangle "
                     "++(0.25cm,%d);\n\\node[anchor=west, font=\\scriptsize] at (%.2f,-0.5) {0};\n"
                     "\\node[anchor=west, font=\\scriptsize] at (%.2f,%.1f) {0.5};\n"
                     "\\node[anchor=west, font=\\scriptsize] at (%.2f,%.1f) {1};\n",
                cols - 0.5 + 0.3 / w, rows, cols - 0.5 + 0.6 / w, cols - 0.5 + 0.6 / w, rows / 2.0 - 0.5,
                cols - 0.5 + 0.6 / w, rows - 0.5);
    fputs("\\end{scope}\n", tex);
}
