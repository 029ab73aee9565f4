/* tests/test_calloc_huge.c -- calloc_huge() (util.c), the allocation of the classifier's large
 * random-access arrays (issue 16): zeroed memory of the size asked for; from 2 MiB up, aligned to
 * 2 MiB and marked for transparent huge pages ("hg" in its mapping's VmFlags, read back from the
 * kernel's own account in /proc/self/smaps) over all of it and over nothing else; below 2 MiB,
 * plain memory.  Where the kernel has no transparent huge pages only the absence of marks is
 * checked. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"

#define HUGE ((uintptr_t)2 << 20)

struct vma {
    uintptr_t lo, hi;
    int hg;
};

/* The mappings of this process with their hg flag; returns how many (at most max). */
static size_t read_vmas(struct vma *v, size_t max)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512];
    size_t n = 0;
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char c;
        if (sscanf(line, "%lx-%lx %c", &lo, &hi, &c) == 3) {
            if (n < max)
                v[n++] = (struct vma){ lo, hi, 0 };
        } else if (strncmp(line, "VmFlags:", 8) == 0 && n > 0) {
            v[n - 1].hg = strstr(line, " hg") != NULL;
        }
    }
    fclose(f);
    return n;
}

/* 1 when a mapping marked hg overlaps [lo, hi). */
static int hg_overlaps(const struct vma *v, size_t n, uintptr_t lo, uintptr_t hi)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].hg && v[i].lo < hi && lo < v[i].hi)
            return 1;
    return 0;
}

/* 1 when every byte of [lo, hi) lies in mappings marked hg. */
static int hg_covers(const struct vma *v, size_t n, uintptr_t lo, uintptr_t hi)
{
    uintptr_t at = lo;
    for (int moved = 1; at < hi && moved;) {
        moved = 0;
        for (size_t i = 0; i < n; i++)
            if (v[i].hg && v[i].lo <= at && at < v[i].hi) {
                at = v[i].hi;
                moved = 1;
            }
    }
    return at >= hi;
}

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

int main(void)
{
    static struct vma v[8192];
    FILE *thp = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    char mode[128] = "";
    if (thp) {
        if (!fgets(mode, sizeof mode, thp))
            mode[0] = '\0';
        fclose(thp);
    }
    int have_thp = thp != NULL && strstr(mode, "[never]") == NULL;
    if (!have_thp)
        printf("(no transparent huge pages here: only the absence of marks is checked)\n");

    /* 16 MiB and 100 bytes of doubles: a block of 9 whole huge pages, marked all over */
    size_t n = (((size_t)16 << 20) + 100) / sizeof(double);
    double *p = calloc_huge(n, sizeof *p);
    CHECK(p != NULL);
    CHECK(((uintptr_t)p & (HUGE - 1)) == 0);
    CHECK(all_zero((const unsigned char *)p, n * sizeof *p));
    uintptr_t lo = (uintptr_t)p, hi = lo + 9 * HUGE;
    size_t nv = read_vmas(v, sizeof v / sizeof *v);
    CHECK(nv > 0);
    if (have_thp)
        CHECK(hg_covers(v, nv, lo, hi));
    CHECK(!hg_overlaps(v, nv, lo - HUGE, lo));      /* nothing before or after it */
    CHECK(!hg_overlaps(v, nv, hi, hi + HUGE));
    for (size_t i = 0; i < n; i++)                  /* the memory works as memory */
        p[i] = (double)i;
    CHECK(p[n - 1] == (double)(n - 1));

    /* below 2 MiB: calloc's own, no mark */
    unsigned char *q = calloc_huge(1000, 1000);
    CHECK(q != NULL);
    CHECK(all_zero(q, 1000 * 1000));
    nv = read_vmas(v, sizeof v / sizeof *v);
    CHECK(!hg_overlaps(v, nv, (uintptr_t)q, (uintptr_t)q + 1000 * 1000));

    /* n * size overflows: NULL, as calloc */
    CHECK(calloc_huge(SIZE_MAX / 8 + 2, 16) == NULL);
    free(q);
    free(p);
    return CHECK_DONE();
}
