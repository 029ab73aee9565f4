/* tests/test_options_default.c -- every *_options_default() sets every field of its struct, whatever
 * the memory held before: each struct is filled with a byte pattern first (a caller's struct is
 * often on the stack, uninitialised).  audit_options_default() once set its fields one by one and
 * missed units_runs, added with --units: `psyfaith audit` then read a stack byte as --units runs and
 * judged a percentile claim on the runs instead of the subjects now and then (valgrind: a jump on
 * an uninitialised value in faith_respondents; under ThreadSanitizer's stack layout 3 runs in 12
 * gave 74.25 instead of 72.57). */
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "metrics/audit.h"
#include "metrics/faith.h"
#include "metrics/structure.h"
#include "tests/check.h"

static const unsigned char patterns[] = { 0x00, 0xA5, 0xFF, 0x01 };

static void test_audit(void)
{
    for (size_t p = 0; p < sizeof patterns; p++) {
        struct audit_options o;
        memset(&o, patterns[p], sizeof o);
        audit_options_default(&o);
        CHECK(o.units_runs == 0);
        CHECK(o.bootstrap == 1000);
        CHECK(o.seed == 1);
        CHECK_NEAR(o.level, 0.95, 0);
        CHECK_NEAR(o.reliability, 0.7, 0);
        CHECK_NEAR(o.validity, 0.6, 0);
        CHECK_NEAR(o.min_share, 0.8, 0);
        CHECK_NEAR(o.alpha, 0.05, 0);
        CHECK(o.min_subjects == 2);
        CHECK(o.max_violations == 0);
    }
}

static void test_faith(void)
{
    for (size_t p = 0; p < sizeof patterns; p++) {
        struct faith_options o;
        memset(&o, patterns[p], sizeof o);
        faith_options_default(&o);
        CHECK(o.trc_literal == 0);
        CHECK(o.check_keys == 0);
        CHECK_NEAR(o.min_share, 0.8, 0);
        CHECK(o.bootstrap == 0);
        CHECK(o.seed == 1);
        CHECK_NEAR(o.level, 0.95, 0);
        CHECK_NEAR(o.reliability, 0.7, 0);
        CHECK_NEAR(o.validity, 0.6, 0);
        CHECK(o.metrics == NULL);
        CHECK(o.threads >= 1);
        CHECK(o.units_runs == 0);
    }
}

static void test_classify(void)
{
    for (size_t p = 0; p < sizeof patterns; p++) {
        struct classify_options o;
        memset(&o, patterns[p], sizeof o);
        classify_options_default(&o);
        CHECK_NEAR(o.C, 1.0, 0);
        CHECK(o.balanced == 0);
        CHECK(o.min_df == 1);
        CHECK_NEAR(o.tol, 1e-8, 0);
        CHECK(o.max_iter == 100);
        CHECK(o.folds == 5);
        CHECK(o.seed == 42);
        CHECK(o.threads >= 1);
    }
}

static void test_efa(void)
{
    for (size_t p = 0; p < sizeof patterns; p++) {
        struct efa_options o;
        memset(&o, patterns[p], sizeof o);
        efa_options_default(&o);
        CHECK(o.factors == 0);
        CHECK(o.method == EFA_MINRES);
        CHECK(o.rotate == EFA_OBLIMIN);
        CHECK(o.cor == EFA_PEARSON);
    }
}

int main(void)
{
    test_audit();
    test_faith();
    test_classify();
    test_efa();
    return CHECK_DONE();
}
