/* tests/test_cells.c -- heat-map cells in pgf's system layer (reports/cells.c) and the shaded grid of
 * Figure 5 that draws with them (reports/report_games_grid.c): the exact text, the tints xcolor
 * would mix, and each cell where the TikZ coordinates of the rest of the panel put it -- the system
 * layer sees no scope shift or x/y unit, so the grid adds them itself. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "reports/cells.h"
#include "reports/report_games_int.h"

static char *grid_text(const struct rg_grid *g)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    if (!fp)
        return NULL;
    rg_grid_begin(fp, g->cols);
    rg_grid_panel(fp, g);
    rg_grid_end(fp);
    fclose(fp);
    return buf;
}

int main(void)
{
    static const double blue[3] = { 0, 0, 1 }, red[3] = { 1, 0, 0 };
    double t[3];
    cells_tint(blue, 7.44, t);                     /* xcolor's blue!7.44 */
    CHECK_NEAR(t[0], 0.9256, 1e-15);
    CHECK_NEAR(t[1], 0.9256, 1e-15);
    CHECK_NEAR(t[2], 1, 0);
    cells_tint(red, 75, t);
    CHECK(t[0] == 1 && fabs(t[1] - 0.25) < 1e-15 && fabs(t[2] - 0.25) < 1e-15);
    cells_tint(red, 150, t);                       /* clipped: red itself */
    CHECK(t[0] == 1 && t[1] == 0 && t[2] == 0);
    cells_tint(blue, -3, t);                       /* clipped: white */
    CHECK(t[0] == 1 && t[1] == 1 && t[2] == 1);

    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    cells_begin(fp);
    cells_fill(fp, (const double[3]){ 0.25, 0.5, 1 }, 12.5, -3.25, 10, 2);
    cells_end(fp);
    fclose(fp);
    CHECK_STR(buf, "\\begin{pgfscope}\n"
                   "\\expandafter\\let\\expandafter\\psyrgb\\csname pgfsys@color@rgb@fill\\endcsname\n"
                   "\\expandafter\\let\\expandafter\\psyrect\\csname pgfsys@rect\\endcsname\n"
                   "\\expandafter\\let\\expandafter\\psyfill\\csname pgfsys@fill\\endcsname\n"
                   "\\def\\psycell#1#2#3#4#5#6#7{\\psyrgb{#1}{#2}{#3}\\psyrect{#4pt}{#5pt}{#6pt}{#7pt}\\psyfill}\n"
                   "\\psycell{0.2500}{0.5000}{1.0000}{12.500}{-3.250}{10.000}{2.000}\n"
                   "\\end{pgfscope}\n");
    free(buf);

    /* a panel of 3 offers x 2 levels, panel k = 3: column 1, row 1 of the figure, so shifted right
     * and down; a rate of 0 and an untested cell are not filled, a rate above 1 is clipped */
    const char *cols[] = { "0", "5", "10" };
    const int rows[] = { 0, 9 };
    const double v[] = { 0.5, 0, NAN, 1, 2, 0.25 };
    struct rg_grid g = { .k = 3, .title = "EXT", .xlabel = "offer", .ylabel = "level", .cols = 3, .rows = 2,
                         .col_label = cols, .row_label = rows, .v = v, .labels = 1, .colorbar = 0 };
    char *s = grid_text(&g);
    CHECK(s != NULL);
    /* the picture's units and the panel's shift, as TikZ reads them */
    double ux, uy, sx, sy;
    const char *pic = s ? strstr(s, "\\begin{tikzpicture}[x=") : NULL;
    const char *sc = s ? strstr(s, "\\begin{scope}[shift={(") : NULL;
    CHECK(pic && sscanf(pic, "\\begin{tikzpicture}[x=%lfcm, y=%lfcm]", &ux, &uy) == 2);
    CHECK(sc && sscanf(sc, "\\begin{scope}[shift={(%lfcm,%lfcm)}]", &sx, &sy) == 2);
    CHECK(sx > 0 && sy < 0);                         /* panel 3 is right and below panel 0 */
    /* the cells, in order: (x, y) of each filled one and its rate */
    const struct { int x, y; double rate; } want[] = { { 0, 0, 0.5 }, { 0, 1, 1 }, { 1, 1, 2 }, { 2, 1, 0.25 } };
    size_t n = 0;
    for (const char *p = s; p && (p = strstr(p, "\n\\psycell{")); p++, n++) {
        double r, gr, b, x, y, w, h;
        CHECK(sscanf(p, "\n\\psycell{%lf}{%lf}{%lf}{%lf}{%lf}{%lf}{%lf}", &r, &gr, &b, &x, &y, &w, &h) == 7);
        if (n >= sizeof want / sizeof want[0])
            continue;
        double rate = fmin(1, want[n].rate), tint = 1 - 0.55 * rate;      /* blue!(55 rate) */
        CHECK_NEAR(r, tint, 5e-5);
        CHECK_NEAR(gr, tint, 5e-5);
        CHECK_NEAR(b, 1, 0);
        /* the cell of (x, y) spans TikZ's (x - 0.5, y - 0.5) to (x + 0.5, y + 0.5) in the scope */
        CHECK_NEAR(x, (sx + (want[n].x - 0.5) * ux) * CELLS_PT_PER_CM, 5e-4);
        CHECK_NEAR(y, (sy + (want[n].y - 0.5) * uy) * CELLS_PT_PER_CM, 5e-4);
        CHECK_NEAR(w, ux * CELLS_PT_PER_CM, 5e-4);
        CHECK_NEAR(h, uy * CELLS_PT_PER_CM, 5e-4);
    }
    CHECK(n == 4);
    /* the frame that makes the bounding box encloses every cell */
    CHECK(s && strstr(s, "\\draw[gray] (-0.5,-0.5) rectangle (2.5,1.5);"));
    free(s);
    return CHECK_DONE();
}
