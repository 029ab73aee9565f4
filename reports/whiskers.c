/* reports/whiskers.c -- see whiskers.h. */
#include "reports/whiskers.h"

#include <math.h>

#include "diag.h"

void whiskers_add(struct whiskers *w, const char *x, double lo, double hi)
{
    if (!isfinite(lo) || !isfinite(hi) || w->failed)
        return;
    if (strbuf_addf(&w->pts, " (%s,%.6g) (%s,%.6g) (%s,nan)", x, lo, x, hi, x) < 0)
        w->failed = 1;
}

void whiskers_add_num(struct whiskers *w, double x, int decimals, double lo, double hi)
{
    char buf[48];
    snprintf(buf, sizeof buf, "%.*f", decimals, x);
    whiskers_add(w, buf, lo, hi);
}

int whiskers_write(FILE *tex, struct whiskers *w, const char *style)
{
    if (w->failed) {
        strbuf_reset(&w->pts);
        w->failed = 0;
        return diag_error("out of memory");
    }
    if (w->pts.len)
        fprintf(tex, "\\addplot[forget plot, sharp plot, mark=none, unbounded coords=jump, %s] coordinates {%s };\n",
                style, w->pts.buf);
    strbuf_reset(&w->pts);
    return 0;
}

double whiskers_bar_shift(int k, int n, double bar_width_pt, double sep_pt)
{
    return ((double)k - (double)(n - 1) / 2.0) * (bar_width_pt + sep_pt);
}

void whiskers_free(struct whiskers *w)
{
    strbuf_free(&w->pts);
    w->failed = 0;
}
