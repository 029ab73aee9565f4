/* tests/test_stats_proportions.c -- stats_wilson, stats_newcombe and stats_fisher_exact
 * (metrics/stats_proportions.c) against the values R printed into
 * tests/oracle/conditions/proportions.txt (tests/oracle/conditions.R: prop.test(correct = FALSE),
 * Newcombe's method 10 written out from those intervals, fisher.test).  Run from the repository root. */
#include "metrics/stats.h"
#include "tests/check.h"

#include <stdlib.h>

#include <gsl/gsl_errno.h>

#define ORACLE "tests/oracle/conditions/proportions.txt"
#define TOL 1e-9

static double max_diff;

static double num(const char *s)
{
    return s[0] == '-' && s[1] == '\0' ? NAN : strtod(s, NULL);
}

static void near(double got, double want, const char *what, int line)
{
    double d = fabs(got - want);
    if (!isnan(d) && d > max_diff)
        max_diff = d;
    if (!((isnan(got) && isnan(want)) || d <= TOL)) {
        fprintf(stderr, "%s line %d: %s: got %.17g, R %.17g\n", ORACLE, line, what, got, want);
        check_fail++;
    } else {
        check_pass++;
    }
}

static int oracle_cases(void)
{
    char line[1024], f[12][40];
    int lineno = 0, cases = 0;
    FILE *fp = fopen(ORACLE, "r");
    if (!fp) {
        fprintf(stderr, "cannot open %s (run from the repository root)\n", ORACLE);
        return -1;
    }
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        if (line[0] == '#')
            continue;
        if (sscanf(line, "%39s %39s %39s %39s %39s %39s %39s %39s %39s %39s %39s %39s", f[0], f[1], f[2], f[3],
                   f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11]) != 12) {
            fprintf(stderr, "%s:%d: expected 12 fields\n", ORACLE, lineno);
            fclose(fp);
            return -1;
        }
        size_t k1 = strtoul(f[0], NULL, 10), n1 = strtoul(f[1], NULL, 10), k2 = strtoul(f[2], NULL, 10),
               n2 = strtoul(f[3], NULL, 10);
        double lo, hi, p;
        struct stats_prop_diff d;
        CHECK(stats_wilson(k1, n1, 0.95, &lo, &hi, NULL) == STATS_OK);
        near(lo, num(f[4]), "wilson lo 1", lineno);
        near(hi, num(f[5]), "wilson hi 1", lineno);
        CHECK(stats_wilson(k2, n2, 0.95, &lo, &hi, NULL) == STATS_OK);
        near(lo, num(f[6]), "wilson lo 2", lineno);
        near(hi, num(f[7]), "wilson hi 2", lineno);
        CHECK(stats_newcombe(k1, n1, k2, n2, 0.95, &d, NULL) == STATS_OK);
        near(d.diff, num(f[8]), "difference", lineno);
        near(d.lo, num(f[9]), "newcombe lo", lineno);
        near(d.hi, num(f[10]), "newcombe hi", lineno);
        CHECK(stats_fisher_exact(k1, n1 - k1, k2, n2 - k2, &p, NULL) == STATS_OK);
        near(p, num(f[11]), "fisher p", lineno);
        cases++;
    }
    fclose(fp);
    return cases;
}

int main(void)
{
    gsl_set_error_handler_off();
    int cases = oracle_cases();
    CHECK(cases >= 14);
    printf("test_stats_proportions: %d cases, max |C - R| = %.3g\n", cases, max_diff);

    /* undefined and bad arguments */
    const char *why = NULL;
    double lo, hi, p;
    struct stats_prop_diff d;
    CHECK(stats_wilson(0, 0, 0.95, &lo, &hi, &why) == STATS_UNDEFINED);
    CHECK_STR(why, "no trials");
    CHECK(stats_wilson(3, 2, 0.95, &lo, &hi, NULL) == STATS_UNDEFINED);
    CHECK(stats_wilson(1, 2, 1.0, &lo, &hi, NULL) == STATS_EINVAL);
    CHECK(stats_newcombe(1, 2, 0, 0, 0.95, &d, &why) == STATS_UNDEFINED);
    CHECK_STR(why, "no trials in a group");
    CHECK(stats_fisher_exact(0, 0, 0, 0, &p, &why) == STATS_UNDEFINED);
    CHECK_STR(why, "empty table");
    /* a table with one empty row: every table has the same margins, p = 1 */
    CHECK(stats_fisher_exact(0, 0, 3, 4, &p, NULL) == STATS_OK);
    CHECK_NEAR(p, 1.0, 0.0);
    return CHECK_DONE();
}
