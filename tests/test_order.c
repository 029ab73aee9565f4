/* tests/test_order.c -- the paired t-test and Wilcoxon signed-rank test of the order effect
 * (metrics/stats_paired.c) against R: tests/oracle/order.R writes tests/oracle/order/paired.txt,
 * one case per block ("case", "x", "y", "t ..." or "t NA", "w ..." or "w NA"). */
#include "metrics/stats.h"
#include "tests/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORACLE "tests/oracle/order/paired.txt"

/* The numbers after the line's first word into v (NA = NAN); returns how many. */
static size_t numbers(char *line, double *v, size_t max)
{
    size_t n = 0;
    char *save = NULL, *tok = strtok_r(line, " \t\n", &save);
    while ((tok = strtok_r(NULL, " \t\n", &save)) && n < max)
        v[n++] = strcmp(tok, "NA") == 0 ? NAN : strtod(tok, NULL);
    return n;
}

static int run_cases(void)
{
    FILE *f = fopen(ORACLE, "r");
    char line[8192], name[64] = "";
    double x[128], y[128], v[16];
    size_t nx = 0, ny = 0, cases = 0;
    if (!f) {
        fprintf(stderr, "cannot open %s\n", ORACLE);
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "case ", 5) == 0) {
            sscanf(line + 5, "%63s", name);
            cases++;
        } else if (line[0] == 'x') {
            nx = numbers(line, x, 128);
        } else if (line[0] == 'y') {
            ny = numbers(line, y, 128);
        } else if (line[0] == 't') {
            struct stats_paired_t t;
            const char *why = NULL;
            size_t k = numbers(line, v, 16);
            int rc = stats_paired_t(x, y, nx, 0.95, &t, &why);
            CHECK(nx == ny);
            if (k == 1 && isnan(v[0])) {
                CHECK(rc == STATS_UNDEFINED);
                if (rc != STATS_UNDEFINED)
                    fprintf(stderr, "  case %s: t should be undefined\n", name);
                continue;
            }
            CHECK(rc == STATS_OK);
            if (rc != STATS_OK) {
                fprintf(stderr, "  case %s: %s\n", name, why);
                continue;
            }
            CHECK_NEAR(t.mean_diff, v[0], 1e-12);
            CHECK_NEAR(t.t, v[1], 1e-9);
            CHECK_NEAR(t.df, v[2], 0);
            CHECK_NEAR(t.p, v[3], 1e-9);
            CHECK_NEAR(t.ci_low, v[4], 1e-9);
            CHECK_NEAR(t.ci_high, v[5], 1e-9);
        } else if (line[0] == 'w') {
            struct stats_wilcoxon w;
            const char *why = NULL;
            size_t k = numbers(line, v, 16);
            int rc = stats_wilcoxon_paired(x, y, nx, &w, &why);
            if (k == 1 && isnan(v[0])) {
                CHECK(rc == STATS_UNDEFINED);
                continue;
            }
            CHECK(rc == STATS_OK);
            if (rc != STATS_OK) {
                fprintf(stderr, "  case %s: %s\n", name, why);
                continue;
            }
            CHECK_NEAR(w.V, v[0], 1e-12);
            CHECK_NEAR(w.p, v[1], 1e-9);
            CHECK(w.exact == (int)v[2]);
            if (w.exact != (int)v[2])
                fprintf(stderr, "  case %s: exact %d, R %d\n", name, w.exact, (int)v[2]);
        }
    }
    fclose(f);
    return (int)cases;
}

int main(void)
{
    int cases = run_cases();
    CHECK(cases == 10);
    /* psignrank(10, 9) and psignrank(30, 12, lower.tail = FALSE), from order.R */
    FILE *f = fopen("tests/oracle/order/psignrank.txt", "r");
    char line[512];
    double v[4];
    CHECK(f != NULL);
    if (f && fgets(line, sizeof line, f) && numbers(line, v, 4) == 2) {
        CHECK_NEAR(stats_psignrank(10, 9, 1), v[0], 1e-12);
        CHECK_NEAR(stats_psignrank(30, 12, 0), v[1], 1e-12);
    } else {
        CHECK(0);
    }
    if (f)
        fclose(f);
    /* the zero and tie bookkeeping of the "zeros" case: 2 zeros dropped, ties present, normal p */
    double x[] = { 4, 3, 3, 5, 2, 4, 5, 1 }, y[] = { 4, 2, 3, 4, 3, 3.5, 3, 1 };
    struct stats_wilcoxon w;
    CHECK(stats_wilcoxon_paired(x, y, 8, &w, NULL) == STATS_OK);
    CHECK(w.zeros == 3 && w.n == 5 && w.ties == 1 && w.exact == 0);
    return CHECK_DONE();
}
