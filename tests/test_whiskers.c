/* tests/test_whiskers.c -- the whisker series that stand in for pgfplots' error bars
 * (reports/whiskers.c): the exact text pgfplots reads, what is left out, and the ybar shifts. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "reports/whiskers.h"

/* What whiskers_write writes, as a string (open_memstream). */
static char *written(struct whiskers *w, const char *style, int *rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    if (!fp)
        return NULL;
    *rc = whiskers_write(fp, w, style);
    fclose(fp);
    return buf;
}

int main(void)
{
    struct whiskers w = { 0 };
    int rc = 1;
    char *s = written(&w, "color=red", &rc);
    CHECK_STR(s, "");                              /* an empty series writes nothing */
    CHECK(rc == 0);
    free(s);

    whiskers_add_num(&w, 1.25, 3, 0.5, 2);
    whiskers_add(&w, "EXT", -0.125, 1e-7);
    whiskers_add_num(&w, 3, 1, NAN, 1);           /* not finite: left out */
    whiskers_add_num(&w, 4, 1, 0, INFINITY);
    s = written(&w, "color=red", &rc);
    CHECK_STR(s, "\\addplot[forget plot, sharp plot, mark=none, unbounded coords=jump, color=red] coordinates "
                 "{ (1.250,0.5) (1.250,2) (1.250,nan) (EXT,-0.125) (EXT,1e-07) (EXT,nan) };\n");
    CHECK(rc == 0);
    free(s);
    s = written(&w, "color=red", &rc);            /* written once: w is empty again */
    CHECK_STR(s, "");
    free(s);

    /* pgfplots' bar shift auto for `ybar=sep`: -(n w + (n-1) sep)/2 + (k + 1/2) w + k sep */
    for (int n = 1; n <= 13; n++)
        for (int k = 0; k < n; k++) {
            double want = -0.5 * (n * 5.0 + (n - 1) * 2.0) + (k + 0.5) * 5.0 + k * 2.0;
            CHECK_NEAR(whiskers_bar_shift(k, n, 5.0, 2.0), want, 1e-12);
        }
    CHECK_NEAR(whiskers_bar_shift(0, 1, 5.0, 2.0), 0.0, 0);
    CHECK_NEAR(whiskers_bar_shift(12, 13, 5.0, 2.0), 42.0, 0);
    whiskers_free(&w);
    return CHECK_DONE();
}
