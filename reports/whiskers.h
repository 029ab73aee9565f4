/* reports/whiskers.h -- error bars of pgfplots figures, drawn as whiskers.
 *
 * pgfplots' own error bars (`error bars/y explicit`) are drawn point by point through its math
 * engine: on the bench's medium store they were 2.4 s of the 3.5 s pdflatex spent on
 * fig_scores_norms and 1.9 s of 2.8 s on fig_ug_theta.  A whisker series is one plain path of
 * vertical segments (x, lo)--(x, hi), broken by nan jumps, drawn after the data: a tenth of that
 * time.  The segments have no caps.  In a ybar axis each series' whiskers are shifted onto its bars
 * with the bar shift pgfplots uses, which the caller passes (whiskers_bar_shift).
 *
 * Ownership: a zeroed struct is empty; it owns its text until whiskers_free(). */
#ifndef PSYFAITH_WHISKERS_H
#define PSYFAITH_WHISKERS_H
#include <stdio.h>

#include "util.h"

struct whiskers {
    struct strbuf pts;
    int failed;                 /* out of memory: whiskers_write says so */
};

/* One segment at x (the coordinate as pgfplots reads it: a number or a symbolic coordinate) from
 * lo to hi; skipped when either is not finite. */
void whiskers_add(struct whiskers *w, const char *x, double lo, double hi);
/* The same with a numeric x, written with `decimals` decimals. */
void whiskers_add_num(struct whiskers *w, double x, int decimals, double lo, double hi);
/* Writes the series (`style`: its colour and any shift) and empties w; nothing when w is empty.
 * 0, or -1 after printing "out of memory" when a segment could not be kept. */
int whiskers_write(FILE *tex, struct whiskers *w, const char *style);
/* The shift of series k of n in a ybar axis, in pt, as pgfplots' `ybar=sep` puts the bars:
 * (k - (n - 1) / 2) (bar width + sep). */
double whiskers_bar_shift(int k, int n, double bar_width_pt, double sep_pt);
void whiskers_free(struct whiskers *w);
#endif
