/* tests/check.h -- a test framework in a few macros; each test binary ends with CHECK_DONE() */
#ifndef PSYFAITH_CHECK_H
#define PSYFAITH_CHECK_H
#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_pass, check_fail;
#define CHECK(c) check_((c), #c, __FILE__, __LINE__)
/* Near within an absolute tolerance; both NaN counts as equal, one NaN does not. */
#define CHECK_NEAR(got, want, tol) check_near_((got), (want), (tol), #got, __FILE__, __LINE__)
#define CHECK_STR(got, want) check_str_((got), (want), #got, __FILE__, __LINE__)
#define CHECK_DONE() (printf("%d passed, %d failed\n", check_pass, check_fail), check_fail != 0)

static inline void check_(int ok, const char *what, const char *file, int line)
{
    if (ok) {
        check_pass++;
        return;
    }
    check_fail++;
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
}

static inline void check_near_(double got, double want, double tol, const char *what,
                               const char *file, int line)
{
    int ok = (isnan(got) && isnan(want)) || fabs(got - want) <= tol;
    check_(ok, what, file, line);
    if (!ok)
        fprintf(stderr, "    got %.17g, want %.17g (tol %g)\n", got, want, tol);
}

static inline void check_str_(const char *got, const char *want, const char *what,
                              const char *file, int line)
{
    int ok = got && want ? strcmp(got, want) == 0 : got == want;
    check_(ok, what, file, line);
    if (!ok)
        fprintf(stderr, "    got '%s', want '%s'\n", got ? got : "(null)", want ? want : "(null)");
}
#endif
