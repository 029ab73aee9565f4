/* reports/cells.h -- the filled rectangles of heat maps and shaded grids, in pgf's system layer.
 *
 * A cell drawn with \pgfsetfillcolor{blue!7.44}\pgfpathrectangle...\pgfusepath{fill} costs pdflatex
 * about 0.1 ms, most of it xcolor parsing the colour expression and pgf building the path with its
 * bounding box: fig_structure's 12,840 cells were 1.3 s of its 2.4 s on the bench's medium store.
 * Here a cell is one macro, \psycell{r}{g}{b}{x}{y}{w}{h}, that calls pgf's driver primitives
 * (\pgfsys@color@rgb@fill, \pgfsys@rect, \pgfsys@fill) directly: a sixth of that time, and still
 * portable across pgf's drivers (pdfTeX, LuaTeX, XeTeX, dvips), unlike raw PDF operators.
 *
 * What the system layer skips, the caller owns: coordinates are TeX points in the picture's own
 * frame (no TikZ scope shift or x/y unit applies: add them), and the cells do not enlarge the
 * picture's bounding box (draw a frame around them with TikZ, as both figures do).  The colour is
 * set inside the run's pgfscope only. */
#ifndef PSYFAITH_CELLS_H
#define PSYFAITH_CELLS_H
#include <stdio.h>

#define CELLS_PT_PER_CM 28.452756   /* TeX points in a centimetre (72.27 / 2.54) */

/* xcolor's `name!pct`: pct % of the colour rgb, the rest white; pct is clipped to [0, 100]. */
void cells_tint(const double rgb[3], double pct, double out[3]);

void cells_begin(FILE *tex);   /* a pgfscope, and \psycell defined in it */
/* One rectangle from (x, y) to (x + w, y + h), in pt, filled with rgb (components in [0, 1]). */
void cells_fill(FILE *tex, const double rgb[3], double x, double y, double w, double h);
void cells_end(FILE *tex);     /* the end of the scope (and of its colour) */
#endif
