/* tests/test_scan_order.c -- metrics/scores_scan.c's scores_order_subject: one subject's rows, given in
 * rowid order, come out in the index's order (item, rep, rowid), with the rows themselves moved.
 * Checked against a plain sort of (item, rep, position) on random subjects: item ids dense (the
 * counting sort), reps in order or not within an item (the per-item sort), duplicates of an
 * (item, rep), and item ids spread far apart (the sparse case's plain sort). */
#include "tests/check.h"
#include "metrics/scores_int.h"

#include <stdlib.h>
#include <string.h>

struct keyed {
    struct scan_row r;
    size_t pos;
};

static int by_index_order(const void *pa, const void *pb)
{
    const struct keyed *a = pa, *b = pb;
    if (a->r.iid != b->r.iid)
        return a->r.iid < b->r.iid ? -1 : 1;
    if (a->r.rep != b->r.rep)
        return a->r.rep < b->r.rep ? -1 : 1;
    return (a->pos > b->pos) - (a->pos < b->pos);
}

static unsigned long long state = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (unsigned)(state % n);
}

/* One random subject of n rows: item ids from base + spread * [0, items), reps [0, reps), rows
 * in rep-major order when rep_major, else shuffled. */
static void one_case(struct scan_order *o, size_t n, unsigned items, unsigned reps, int64_t base, int64_t spread,
                     int rep_major)
{
    struct scan_row *rows = malloc(n * sizeof *rows), *out = malloc(n * sizeof *out);
    struct keyed *want = malloc(n * sizeof *want);
    for (size_t i = 0; i < n; i++) {
        unsigned rep = rep_major ? (unsigned)(i * reps / n) : rnd(reps);
        rows[i] = (struct scan_row){ base + spread * (int64_t)rnd(items), rep, (int32_t)rnd(4), (int32_t)i };
        want[i] = (struct keyed){ rows[i], i };
    }
    qsort(want, n, sizeof *want, by_index_order);
    CHECK(scores_order_subject(rows, n, out, o) == 0);
    int same = 1;
    for (size_t i = 0; i < n; i++)
        same &= memcmp(&out[i], &want[i].r, sizeof out[i]) == 0;
    CHECK(same);
    free(rows);
    free(out);
    free(want);
}

int main(void)
{
    struct scan_order o = { 0 };
    for (int t = 0; t < 20; t++) {
        one_case(&o, 1 + rnd(3000), 1 + rnd(120), 1 + rnd(12), 1 + rnd(500), 1, 1);    /* dense, rep-major */
        one_case(&o, 1 + rnd(3000), 1 + rnd(120), 1 + rnd(12), 1 + rnd(500), 1, 0);    /* dense, shuffled */
        one_case(&o, 1 + rnd(300), 1 + rnd(50), 1 + rnd(6), 1, 100000, 0);             /* sparse ids */
    }
    one_case(&o, 1, 1, 1, 7, 1, 0);
    CHECK(scores_order_subject(NULL, 0, NULL, &o) == 0);
    scores_order_free(&o);
    return CHECK_DONE();
}
