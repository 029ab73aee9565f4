/* tests/test_faith.c -- metrics/faith*.c: undefined cases on hand-built score sets, and every metric
 * on real stores against the values R printed (tests/oracle/faith.R writes tests/oracle/faith/NAME.expected).
 *
 * The stores are built the way a user builds them: `psyfaith init` and `psyfaith ingest` (called
 * as functions) on the committed fixtures, the ChatGPT-Behavioral transcripts and, when
 * $PSYFAITH_SHARED (default ../shared) has them, the 19,719 openpsychometrics respondents.
 * Run from the repository root. */
#include "cli/cli.h"
#include "metrics/faith.h"
#include "metrics/scores.h"
#include "metrics/stats.h"
#include "ingest/ingest.h"
#include "store/store.h"
#include "tests/check.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#define TOL 1e-9
static double max_diff;
static char max_diff_what[160];

/* ---- hand-built score sets ---------------------------------------------------------------- */

static struct score_set *set_new(size_t n_subjects)
{
    struct score_set *s = calloc(1, sizeof *s);
    s->n_subjects = n_subjects;
    s->subjects = calloc(n_subjects + 1, sizeof *s->subjects);
    for (size_t i = 0; i < n_subjects; i++) {
        char name[32];
        snprintf(name, sizeof name, "m%zu", i % 2);
        s->subjects[i].id = (int64_t)i + 1;
        s->subjects[i].model = strdup(name);
    }
    return s;
}

static int set_instrument(struct score_set *s, const char *name)
{
    for (size_t i = 0; i < s->n_instruments; i++)
        if (strcmp(s->instruments[i].name, name) == 0)
            return (int)i;
    s->instruments = realloc(s->instruments, (s->n_instruments + 1) * sizeof *s->instruments);
    s->instruments[s->n_instruments] = (struct score_instrument){ (int64_t)s->n_instruments + 1, strdup(name), 5 };
    return (int)s->n_instruments++;
}

/* A block of k + keyed items; x[(s * reps + r) * k + j] = option of subject s in repetition r
 * (NAN = not answered).  The voted matrix takes repetition 0 (tests give one value or equal ones). */
static void set_block(struct score_set *s, const char *inst, int dim, size_t k, size_t reps, const double *x)
{
    const size_t n = s->n_subjects;
    s->blocks = realloc(s->blocks, (s->n_blocks + 1) * sizeof *s->blocks);
    struct score_block *b = &s->blocks[s->n_blocks++];
    memset(b, 0, sizeof *b);
    b->instrument = set_instrument(s, inst);
    b->dimension = dim;
    b->n_items = k;
    b->item_ids = calloc(k, sizeof *b->item_ids);
    b->item_codes = calloc(k, sizeof *b->item_codes);
    b->keys = calloc(k, sizeof *b->keys);
    for (size_t j = 0; j < k; j++) {
        char code[32];
        snprintf(code, sizeof code, "i%zu", j + 1);
        b->item_codes[j] = strdup(code);
        b->keys[j] = 1;
    }
    b->voted = gsl_matrix_alloc(n, k);
    gsl_matrix_set_all(b->voted, NAN);
    b->n_reps = reps;
    b->rep_first = calloc(n, sizeof *b->rep_first);
    b->rep_of = calloc(n * reps + 1, sizeof *b->rep_of);
    b->rep_scores = calloc(n * reps * k + 1, sizeof *b->rep_scores);
    b->answered = calloc(n, sizeof(int));
    b->reps_seen = calloc(n, sizeof(int));
    b->refusals = calloc(n, sizeof(int));
    b->unparsed = calloc(n, sizeof(int));
    b->ambiguous = calloc(n, sizeof(int));
    b->option_counts = calloc(n, sizeof *b->option_counts);
    b->agree_pos = calloc(n, sizeof(int));
    b->agree_neg = calloc(n, sizeof(int));
    b->n_pos = calloc(n, sizeof(int));
    b->n_neg = calloc(n, sizeof(int));
    b->sum_pos = calloc(n, sizeof(long));
    b->sum_neg = calloc(n, sizeof(long));
    for (size_t i = 0; i < n; i++) {
        b->option_counts[i] = calloc(6, sizeof(size_t));
        b->rep_first[i] = b->n_rows;
        for (size_t r = 0; r < reps; r++) {
            size_t any = 0;
            for (size_t j = 0; j < k; j++)
                any += !isnan(x[(i * reps + r) * k + j]);
            if (!any)
                continue;               /* the loader keeps only repetitions with an answer */
            b->rep_of[b->n_rows] = (int64_t)r;
            for (size_t j = 0; j < k; j++)
                b->rep_scores[b->n_rows * k + j] = x[(i * reps + r) * k + j];
            b->n_rows++;
            b->reps_seen[i]++;
        }
        for (size_t r = 0; r < reps; r++)
            for (size_t j = 0; j < k; j++) {
                double v = x[(i * reps + r) * k + j];
                if (isnan(v))
                    continue;
                b->option_counts[i][(int)v]++;
                b->n_pos[i]++;
                b->sum_pos[i] += (long)v;
                b->agree_pos[i] += v > 3;
                if (isnan(gsl_matrix_get(b->voted, i, j))) {
                    gsl_matrix_set(b->voted, i, j, v);
                    b->answered[i]++;
                }
            }
    }
}

static const struct faith_row *find(const struct faith_table *t, const char *metric, const char *inst,
                                    const char *inst_b, const char *dim, const char *item)
{
#define SAME(a, b) ((a) ? ((b) && strcmp((a), (b)) == 0) : (!(b) || !*(b)))
    for (size_t i = 0; i < t->n; i++) {
        const struct faith_row *r = &t->rows[i];
        if (strcmp(r->metric, metric) == 0 && SAME(r->instrument, inst) && SAME(r->instrument_b, inst_b) &&
            SAME(r->dimension, dim) && SAME(r->item, item))
            return r;
    }
    return NULL;
#undef SAME
}

static int note_has(const struct faith_row *r, const char *text)
{
    return r && r->note && strstr(r->note, text);
}

static int compute(const struct score_set *s, const struct faith_options *o, struct faith_table *t)
{
    return faith_compute(s, NULL, o, t);
}

/* One subject with 3 repetitions: TrC defined, everything across subjects undefined. */
static void test_single_subject(void)
{
    static const double x[] = { 1, 2, 3, 4,  1, 2, 4, 4,  2, 2, 3, 5 };
    struct score_set *s = set_new(1);
    struct faith_options o;
    struct faith_table t;
    set_block(s, "X", 0, 4, 3, x);
    faith_options_default(&o);
    CHECK(compute(s, &o, &t) == 0);
    const struct faith_row *r = find(&t, "TrC", "X", NULL, "EXT", NULL);
    CHECK(r && !isnan(r->value) && r->n == 1);
    /* R: cor() of the repetition pairs */
    double r01 = 0.94672926240625743, r02 = 0.9128709291752769, r12 = 0.78567420131838606;
    CHECK_NEAR(r ? r->value : NAN, (r01 + r02 + r12) / 3, 1e-12);
    r = find(&t, "InC", "X", NULL, "EXT", NULL);
    CHECK(r && isnan(r->value) && note_has(r, "fewer than 2 subjects"));
    r = find(&t, "ICC(A,1)", "X", NULL, "EXT", NULL);
    CHECK(r && isnan(r->value) && note_has(r, "fewer than 2 subjects"));
    r = find(&t, "heterotrait_r", "X", NULL, "EXT", NULL);
    CHECK(r && isnan(r->value) && note_has(r, "no other dimension"));
    r = find(&t, "split_half_sb", "X", NULL, "EXT", NULL);
    CHECK(r && isnan(r->value) && note_has(r, "fewer than 2 subjects"));
    r = find(&t, "BC", "X", NULL, "EXT", NULL);
    CHECK(r && isnan(r->value) && note_has(r, "no CrS yet: run psyfaith classify apply"));
    for (size_t i = 0; i < t.n; i++)      /* nothing is a number that should not be */
        CHECK(isnan(t.rows[i].value) == !isfinite(t.rows[i].value));
    faith_table_free(&t);
    o.trc_literal = 1;
    CHECK(compute(s, &o, &t) == 0);
    r = find(&t, "TrC", "X", NULL, "EXT", NULL);
    CHECK_NEAR(r ? r->value : NAN, (3 + 2 * (r01 + r02 + r12)) / 9, 1e-12);
    CHECK(note_has(r, "N_T^2"));
    faith_table_free(&t);
    score_set_free(s);

    /* --trc-literal divides by N_T^2 also when pairs are skipped: 3 repetitions, the third constant.
     * By hand: r01 = cor(c(1,2,3), c(1,2,4)) = 0.98198050606196585; the ordered pairs with an r
     * are (0,0), (1,1), (0,1), (1,0): (2 + 2 r01) / 3^2 = 0.44044011245821463 (not / 4). */
    static const double y[] = { 1, 2, 3,  1, 2, 4,  3, 3, 3 };
    s = set_new(1);
    set_block(s, "Y", 0, 3, 3, y);
    CHECK(compute(s, &o, &t) == 0);
    r = find(&t, "TrC", "Y", NULL, "EXT", NULL);
    CHECK_NEAR(r ? r->value : NAN, (2 + 2 * 0.98198050606196585) / 9, 1e-15);
    CHECK_NEAR(r ? r->value : NAN, 0.44044011245821463, 1e-15);
    CHECK(note_has(r, "3 pairs, 2 skipped") && note_has(r, "a skipped pair adds 0"));
    faith_table_free(&t);
    o.trc_literal = 0;
    CHECK(compute(s, &o, &t) == 0);
    r = find(&t, "TrC", "Y", NULL, "EXT", NULL);
    CHECK_NEAR(r ? r->value : NAN, 0.98198050606196585, 1e-15);
    faith_table_free(&t);
    score_set_free(s);
}

/* Constant vectors: TrC skips and counts the pairs; correlations with a constant are empty. */
static void test_constant(void)
{
    static const double x[] = {   /* 3 subjects x 2 reps x 3 items */
        3, 3, 3,  3, 3, 3,        /* subject 1: both reps constant: no pair */
        1, 2, 3,  1, 2, 4,        /* subject 2: one defined pair */
        2, 2, 2,  5, 4, 1,        /* subject 3: one rep constant: skipped */
    };
    static const double y[] = { 4, 4, 4,  4, 4, 4,  4, 4, 4,  4, 4, 4,  4, 4, 4,  4, 4, 4 };
    struct score_set *s = set_new(3);
    struct faith_options o;
    struct faith_table t;
    set_block(s, "X", 0, 3, 2, x);
    set_block(s, "Y", 0, 3, 2, y);
    faith_options_default(&o);
    CHECK(compute(s, &o, &t) == 0);
    const struct faith_row *r = find(&t, "TrC", "X", NULL, "EXT", NULL);
    CHECK(r && r->n == 1 && note_has(r, "3 pairs, 2 skipped"));
    CHECK_NEAR(r ? r->value : NAN, 0.98198050606196585, 1e-12);
    r = find(&t, "TrC", "Y", NULL, "EXT", NULL);
    CHECK(r && isnan(r->value) && note_has(r, "no repetition pair with a defined correlation"));
    r = find(&t, "ExC", "X", "Y", "EXT", NULL);
    CHECK(r && isnan(r->value) && isnan(r->ci_low) && note_has(r, "constant vector"));
    r = find(&t, "InC", "Y", NULL, "EXT", NULL);
    CHECK(r && isnan(r->value) && note_has(r, "no item with variance"));
    r = find(&t, "ICC(1,1)", "Y", NULL, "EXT", NULL);
    CHECK(r && isnan(r->value) && note_has(r, "zero total variance"));
    r = find(&t, "neutral_rate", "X", NULL, "EXT", NULL);
    CHECK_NEAR(r ? r->value : NAN, (1.0 + 1.0 / 6 + 0.0) / 3, 1e-15);
    r = find(&t, "option_entropy", "Y", NULL, "EXT", NULL);
    CHECK(r && r->value == 0.0);
    r = find(&t, "acquiescence", "X", NULL, "EXT", NULL);
    CHECK(r && isnan(r->value) && note_has(r, "both + and - keyed"));
    faith_table_free(&t);
    score_set_free(s);
}

/* Keys the block's items as keys[] says (x was given on the keyed scale) and recounts the raw
 * answers that the acquiescence decomposition reads, as the loader does. */
static void rekey(struct score_block *b, const int *keys, int K)
{
    for (size_t j = 0; j < b->n_items; j++)
        b->keys[j] = keys[j];
    for (size_t i = 0; i < b->voted->size1; i++) {
        b->n_pos[i] = b->n_neg[i] = b->agree_pos[i] = b->agree_neg[i] = 0;
        b->sum_pos[i] = b->sum_neg[i] = 0;
        for (size_t u = 0; u < (size_t)b->reps_seen[i]; u++)
            for (size_t j = 0; j < b->n_items; j++) {
                double v = b->rep_scores[(b->rep_first[i] + u) * b->n_items + j];
                if (isnan(v))
                    continue;
                long raw = keys[j] > 0 ? (long)v : K + 1 - (long)v;
                if (keys[j] > 0) {
                    b->n_pos[i]++;
                    b->sum_pos[i] += raw;
                    b->agree_pos[i] += raw > 3;
                } else {
                    b->n_neg[i]++;
                    b->sum_neg[i] += raw;
                    b->agree_neg[i] += raw > 3;
                }
            }
    }
}

/* The acquiescence decomposition's edges, by hand: a constant T explains none of the variance
 * (trait_share 0, not empty), n < 3 is empty, + keyed items alone give nothing. */
static void test_acq_edges(void)
{
    /* items +, +, -; raw answers (a, a, a) so that P = N: T = 0 for all, A = a - 3, and the keyed
     * score (2a + 6 - a)/3 rises with a: acq_share 1, trait_share 0 */
    static const double x[] = { 4, 4, 2,  5, 5, 1,  3, 3, 3,  2, 2, 4 };
    static const int keys[] = { 1, 1, -1 };
    struct score_set *s = set_new(4), *s2 = set_new(2), *s3 = set_new(4);
    struct faith_options o;
    struct faith_table t;
    struct faith_acq_subject v;
    faith_options_default(&o);
    o.metrics = "acq";
    set_block(s, "X", 1, 3, 1, x);
    rekey(&s->blocks[0], keys, 5);
    faith_acq_subject(s, 0, 1, &v);
    CHECK(v.P == 5 && v.N == 5 && v.T == 0 && v.A == 2 && v.pairs == 2 && v.both_agree == 2 && v.contradiction == 1);
    faith_acq_subject(s, 0, 3, &v);
    CHECK(v.P == 2 && v.N == 2 && v.A == -1 && v.pairs == 2 && v.both_agree == 0 && v.contradiction == 0);
    CHECK(compute(s, &o, &t) == 0 && t.n == 4);
    const struct faith_row *r = find(&t, "acq_share", "X", NULL, "AGR", NULL);
    CHECK_NEAR(r ? r->value : NAN, 1.0, 1e-12);
    CHECK(r && r->n == 4 && note_has(r, "2 + and 1 - keyed items") && note_has(r, "more of the score than the trait"));
    r = find(&t, "trait_share", "X", NULL, "AGR", NULL);
    CHECK(r && r->value == 0.0 && note_has(r, "T = (P - N)/2 is the same for every subject"));
    r = find(&t, "acq_mean", "X", NULL, "AGR", NULL);
    CHECK_NEAR(r ? r->value : NAN, (1 + 2 + 0 - 1) / 4.0, 1e-15);
    r = find(&t, "contradiction_rate", "X", NULL, "AGR", NULL);
    CHECK_NEAR(r ? r->value : NAN, (1 + 1 + 0 + 0) / 4.0, 1e-15);
    faith_table_free(&t);
    /* two subjects: any predictor explains all of it, so the shares are empty */
    set_block(s2, "X", 1, 3, 1, x);
    rekey(&s2->blocks[0], keys, 5);
    CHECK(compute(s2, &o, &t) == 0);
    r = find(&t, "acq_share", "X", NULL, "AGR", NULL);
    CHECK(r && isnan(r->value) && r->n == 2 && note_has(r, "fewer than 3 subjects"));
    r = find(&t, "acq_mean", "X", NULL, "AGR", NULL);
    CHECK_NEAR(r ? r->value : NAN, 1.5, 1e-15);
    faith_table_free(&t);
    /* only + keyed items: nothing to separate */
    set_block(s3, "X", 1, 3, 1, x);
    CHECK(compute(s3, &o, &t) == 0);
    for (size_t i = 0; i < t.n; i++)
        CHECK(isnan(t.rows[i].value) && note_has(&t.rows[i], "needs both + and - keyed items"));
    faith_table_free(&t);
    score_set_free(s);
    score_set_free(s2);
    score_set_free(s3);
}

/* k = 1: no alpha, no split, no alpha-if-deleted; a negative alpha is kept with a note. */
static void test_k1_and_negative(void)
{
    static const double one[] = { 1, 2, 3, 5 };
    /* the second item disagrees with the others: psych::alpha raw_alpha -0.5, alpha.drop -12,
     * 0.947, -12 */
    static const double neg[] = { 1, 4, 2,  2, 4, 1,  4, 2, 4,  5, 2, 5,  3, 3, 3 };
    struct score_set *s1 = set_new(4), *s2 = set_new(5);
    struct faith_options o;
    struct faith_table t;
    faith_options_default(&o);
    set_block(s1, "X", 1, 1, 1, one);
    CHECK(compute(s1, &o, &t) == 0);
    const char *names[] = { "InC", "std_alpha", "split_half_sb", "split_half_mean" };
    for (int i = 0; i < 4; i++) {
        const struct faith_row *r = find(&t, names[i], "X", NULL, "AGR", NULL);
        CHECK(r && isnan(r->value) && note_has(r, "k = 1"));
    }
    const struct faith_row *r = find(&t, "alpha_if_deleted", "X", NULL, "AGR", "i1");
    CHECK(r && isnan(r->value) && note_has(r, "k = 1"));
    r = find(&t, "InC", "X", NULL, "AGR", NULL);
    CHECK(r && r->verdict == FAITH_UNDEFINED);
    faith_table_free(&t);
    set_block(s2, "X", 2, 3, 1, neg);
    CHECK(compute(s2, &o, &t) == 0);
    r = find(&t, "InC", "X", NULL, "CONS", NULL);
    CHECK(r && r->value < 0 && note_has(r, "negative alpha") && note_has(r, "unfaithful (< 0.7)"));
    CHECK(r && r->verdict == FAITH_UNFAITHFUL && r->n == 5);
    CHECK_NEAR(r ? r->value : NAN, -0.5, 1e-12);
    CHECK(r && r->ci_low < r->value && r->value < r->ci_high);   /* Feldt */
    r = find(&t, "alpha_if_deleted", "X", NULL, "CONS", "i2");
    CHECK(r && note_has(r, "alpha rises without this item"));
    CHECK_NEAR(r ? r->value : NAN, 0.94736842105263153, 1e-12);
    r = find(&t, "alpha_if_deleted", "X", NULL, "CONS", "i3");
    CHECK_NEAR(r ? r->value : NAN, -12, 1e-9);
    struct faith_summary *sum;
    size_t n;
    CHECK(faith_summarize(&t, s2, &sum, &n) == 0 && n == 1);
    CHECK(n == 1 && sum[0].faithful == 0 && strstr(sum[0].reason, "InC") && strstr(sum[0].reason, "< 0.7"));
    faith_summary_free(sum, n);
    faith_table_free(&t);
    /* a lower threshold makes the same data pass the check */
    o.reliability = -1;
    CHECK(compute(s2, &o, &t) == 0);
    r = find(&t, "InC", "X", NULL, "CONS", NULL);
    CHECK(r && r->verdict == FAITH_OK && !note_has(r, "unfaithful"));
    faith_table_free(&t);
    score_set_free(s1);
    score_set_free(s2);
}

/* --bootstrap: same seed, same intervals; another seed, other intervals; CIs around the value. */
static void test_bootstrap(void)
{
    double x[12 * 2 * 4], y[12 * 2 * 4];
    struct score_set *s = set_new(12);
    struct faith_options o;
    struct faith_table a, b, c;
    for (size_t i = 0; i < 12; i++)
        for (size_t r = 0; r < 2; r++)
            for (size_t j = 0; j < 4; j++) {
                x[(i * 2 + r) * 4 + j] = 1 + (double)((i * 7 + j * 3 + r * (j == 1) + (i > 5) * 2 + (i * j) % 3) % 5);
                y[(i * 2 + r) * 4 + j] = 1 + (double)((i * 3 + j + r + (i % 4 == 0) * 2) % 5);
            }
    set_block(s, "X", 0, 4, 2, x);
    set_block(s, "X", 1, 4, 2, y);
    faith_options_default(&o);
    o.bootstrap = 200;
    o.seed = 42;
    CHECK(compute(s, &o, &a) == 0);
    CHECK(compute(s, &o, &b) == 0);
    o.seed = 43;
    CHECK(compute(s, &o, &c) == 0);
    int same = a.n == b.n, differ = 0, cis = 0, inside = 0;
    for (size_t i = 0; same && i < a.n; i++) {
        const struct faith_row *p = &a.rows[i], *q = &b.rows[i];
        same &= (isnan(p->ci_low) && isnan(q->ci_low)) || p->ci_low == q->ci_low;
        same &= (isnan(p->ci_high) && isnan(q->ci_high)) || p->ci_high == q->ci_high;
        differ |= i < c.n && !isnan(p->ci_low) && p->ci_low != c.rows[i].ci_low;
        if (!isnan(p->ci_low)) {
            cis++;
            inside += p->ci_low <= p->ci_high;
        }
    }
    CHECK(same);
    CHECK(differ);
    CHECK(cis > 10 && inside == cis);
    const struct faith_row *r = find(&a, "InC", "X", NULL, "EXT", NULL);
    CHECK(r && !isnan(r->ci_low) && r->ci_low <= r->value && r->value <= r->ci_high);
    r = find(&a, "TrC", "X", NULL, "EXT", NULL);
    CHECK(r && !isnan(r->ci_low));
    faith_table_free(&a);
    faith_table_free(&b);
    faith_table_free(&c);
    score_set_free(s);
}

/* More than 1,100 ICC rows: the row table grows (256, 512, 1024 rows) while an ICC block holds
 * rows; every row must keep its value and note (the rows were once kept as pointers across
 * faith_add's realloc, and the rows that straddled a growth came out blank). */
static void test_icc_many_rows(void)
{
    enum { INSTRUMENTS = 76, SUBJECTS = 4, K = 2, REPS = 2 };
    static const double x[SUBJECTS * REPS * K] = { 1, 2, 2, 2,  3, 4, 4, 4,  2, 5, 3, 5,  5, 4, 4, 5 };
    struct score_set *s = set_new(SUBJECTS);
    struct faith_options o;
    struct faith_table t;
    char name[32];
    for (int i = 0; i < INSTRUMENTS; i++)
        for (int d = 0; d < 5; d++) {
            snprintf(name, sizeof name, "I%d", i);
            set_block(s, name, d, K, REPS, x);
        }
    faith_options_default(&o);
    o.metrics = "ICC";
    CHECK(compute(s, &o, &t) == 0);
    CHECK(t.n == 3 * INSTRUMENTS * 5 && t.n > 1100);
    /* R: psych::ICC(matrix(c(1.5, 3.5, 3.5, 4.5, 2, 4, 4, 4.5), 4), lmer = FALSE)$results$ICC[1:3] */
    static const double want[3] = { 0.93478260869565244, 0.93617021276595758, 0.97777777777777775 };
    size_t blank = 0, wrong = 0;
    for (size_t i = 0; i < t.n; i++) {
        const struct faith_row *r = &t.rows[i];
        int w = strcmp(r->metric, "ICC(1,1)") == 0 ? 0 : strcmp(r->metric, "ICC(A,1)") == 0 ? 1 : 2;
        blank += isnan(r->value) || !note_has(r, "2 repetitions") || r->n != SUBJECTS;
        wrong += !(fabs(r->value - want[w]) <= 1e-12);
    }
    CHECK(blank == 0);
    CHECK(wrong == 0);
    CHECK(find(&t, "ICC(C,1)", "I75", NULL, "OPEN", NULL) != NULL);
    faith_table_free(&t);
    score_set_free(s);
}

static void test_metric_names(void)
{
    struct faith_options o;
    const char *bad = NULL;
    faith_options_default(&o);
    CHECK(faith_metrics_valid("TrC,paper,icc(a,1),ICC(1,1)", &bad) == 0);   /* commas inside () belong to the name */
    CHECK(faith_metrics_valid("TrC,ICC(A", &bad) < 0);
    CHECK(faith_metrics_valid("TrC,paper,ICC,style,norm_z", &bad) == 0);
    CHECK(faith_metrics_valid("TrC,nonsense", &bad) < 0 && bad && strncmp(bad, "nonsense", 8) == 0);
    CHECK(faith_metrics_valid("", &bad) < 0);
    o.metrics = "paper,acquiescence";
    CHECK(faith_wanted(&o, "ExC") && faith_wanted(&o, "acquiescence") && !faith_wanted(&o, "std_alpha"));
    o.metrics = "icc";
    CHECK(faith_wanted(&o, "ICC(C,1)") && !faith_wanted(&o, "InC"));
    o.metrics = "ICC(A,1),TrC";
    CHECK(faith_wanted(&o, "ICC(A,1)") && faith_wanted(&o, "TrC") && !faith_wanted(&o, "ICC(C,1)"));
    for (int i = 0; faith_metric_names[i]; i++) {
        o.metrics = NULL;
        CHECK(faith_wanted(&o, faith_metric_names[i]));
    }
}

/* ---- stores built with psyfaith init / ingest, against R -------------------------------------- */

static char dir[64];

static int run(int (*cmd)(int, char **), const char *first, ...)
{
    char *argv[32];
    int argc = 0;
    va_list ap;
    argv[argc++] = (char *)first;
    va_start(ap, first);
    for (char *a; argc < 31 && (a = va_arg(ap, char *));)
        argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;
    return cmd(argc, argv);
}

static void remove_store(const char *db)
{
    char p[160];
    unlink(db);
    snprintf(p, sizeof p, "%s-wal", db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db);
    unlink(p);
}

/* Splits a tab-separated line into fields (in place); returns the count. */
static int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    line[strcspn(line, "\n")] = '\0';
    for (char *p = line; n < max;) {
        f[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

static void compare_value(const char *what, const char *field, double got, const char *want)
{
    if (strcmp(want, "NA") == 0) {
        if (!isnan(got))
            fprintf(stderr, "    %s %s: got %.17g, want empty\n", what, field, got);
        CHECK(isnan(got));
        return;
    }
    double w = strtod(want, NULL), d = fabs(got - w);
    if (!(d <= TOL))
        fprintf(stderr, "    %s %s: got %.17g, want %s\n", what, field, got, want);
    CHECK(d <= TOL);
    if (d > max_diff) {
        max_diff = d;
        snprintf(max_diff_what, sizeof max_diff_what, "%s %s", what, field);
    }
}

/* Every row of the expected file against the table, and no extra rows of those metrics. */
static void compare_file(const struct faith_table *t, const char *name)
{
    char path[128], line[1024], *f[10];
    const char *metrics[32];
    size_t n_metrics = 0, rows = 0;
    snprintf(path, sizeof path, "tests/oracle/faith/%s.expected", name);
    FILE *fp = fopen(path, "r");
    CHECK(fp != NULL);
    if (!fp)
        return;
    static char seen[32][32];
    while (fgets(line, sizeof line, fp)) {
        if (line[0] == '#')
            continue;
        if (split_tabs(line, f, 10) != 9) {
            CHECK(!"9 fields in the expected file");
            continue;
        }
        rows++;
        size_t m;
        for (m = 0; m < n_metrics && strcmp(metrics[m], f[0]) != 0; m++)
            ;
        if (m == n_metrics && n_metrics < 32) {
            snprintf(seen[n_metrics], sizeof seen[0], "%s", f[0]);
            metrics[n_metrics] = seen[n_metrics];
            n_metrics++;
        }
        char what[160];
        snprintf(what, sizeof what, "%s: %s %s %s %s %s", name, f[0], f[1], f[2], f[3], f[4]);
        const struct faith_row *r = find(t, f[0], f[1], f[2], f[3], f[4]);
        if (!r)
            fprintf(stderr, "    %s: no such row\n", what);
        CHECK(r != NULL);
        if (!r)
            continue;
        compare_value(what, "value", r->value, f[5]);
        compare_value(what, "ci_low", r->ci_low, f[6]);
        compare_value(what, "ci_high", r->ci_high, f[7]);
        compare_value(what, "n", r->n < 0 ? NAN : (double)r->n, f[8]);
        if (isnan(r->value))
            CHECK(r->note && *r->note);    /* undefined says why */
    }
    fclose(fp);
    size_t ours = 0;
    for (size_t i = 0; i < t->n; i++)
        for (size_t m = 0; m < n_metrics; m++)
            ours += strcmp(t->rows[i].metric, metrics[m]) == 0;
    if (ours != rows)
        fprintf(stderr, "    %s: %zu rows of these metrics, R has %zu\n", name, ours, rows);
    CHECK(ours == rows && rows > 0);
}

/* ICC and split-half edge cases against tests/oracle/faith.R (ICC_EDGES, SPLIT_HALF_X, KEYS_X):
 * psych's point values where psych has one, only the bound that does not exist left empty; the
 * split-half statistics over the items that remain when a half is empty; --check-keys. */
static void test_edges(void)
{
    static const struct { const char *name; size_t n; double x[8]; } icc[] = {   /* x[s * 2 + rep] */
        { "icc_shift", 4, { 1, 2, 2, 3, 3, 4, 4, 5 } },
        { "icc_agree", 4, { 1, 1, 2, 2, 3, 3, 4, 4 } },
        { "icc_flat", 3, { 1, 2, 1, 2, 1, 2 } },
        { "icc_between0", 3, { 1, 5, 5, 1, 3, 3 } },
        { "icc_tinydf", 4, { 5, 1, 5, 1, 5, 1, 2, 3 } },
    };
    static const double split[6 * 8] = {   /* SPLIT_HALF_X: items 2, 4, 6, 8 constant */
        1, 3, 2, 3, 1, 3, 2, 3,  2, 3, 2, 3, 3, 3, 1, 3,  3, 3, 4, 3, 3, 3, 4, 3,
        4, 3, 3, 3, 5, 3, 4, 3,  5, 3, 5, 3, 4, 3, 5, 3,  2, 3, 1, 3, 2, 3, 3, 3,
    };
    static const double keys[6 * 4] = {    /* KEYS_X: item 3 runs against the others */
        1, 2, 5, 1,  2, 2, 4, 3,  3, 4, 3, 2,  4, 3, 2, 4,  5, 5, 1, 4,  2, 1, 4, 2,
    };
    struct score_set *s = set_new(6);
    struct faith_options o;
    struct faith_table t;
    for (size_t c = 0; c < sizeof icc / sizeof icc[0]; c++) {
        double x[6 * 2];
        for (size_t i = 0; i < 12; i++)
            x[i] = i < icc[c].n * 2 ? icc[c].x[i] : NAN;
        set_block(s, icc[c].name, 0, 1, 2, x);
    }
    faith_options_default(&o);
    o.metrics = "ICC";
    CHECK(compute(s, &o, &t) == 0);
    compare_file(&t, "edges_icc");
    const struct faith_row *r = find(&t, "ICC(C,1)", "icc_shift", NULL, "EXT", NULL);
    CHECK(r && r->value == 1.0 && note_has(r, "no bounds: F is infinite"));
    r = find(&t, "ICC(A,1)", "icc_tinydf", NULL, "EXT", NULL);
    CHECK(r && isnan(r->ci_low) && !isnan(r->ci_high) && note_has(r, "a bound is missing"));
    r = find(&t, "ICC(C,1)", "icc_flat", NULL, "EXT", NULL);
    CHECK(r && isnan(r->value) && note_has(r, "0/0"));
    faith_table_free(&t);
    score_set_free(s);

    s = set_new(6);
    set_block(s, "split_one_half", 0, 8, 1, split);
    o.metrics = "split_half";
    CHECK(compute(s, &o, &t) == 0);
    compare_file(&t, "edges_split");
    r = find(&t, "split_half_sb", "split_one_half", NULL, "EXT", NULL);
    CHECK(r && isnan(r->value) && note_has(r, "one half is empty") && note_has(r, "4 zero-variance items left out"));
    faith_table_free(&t);
    score_set_free(s);

    s = set_new(6);
    set_block(s, "split_keys", 0, 4, 1, keys);
    o.metrics = "split_half";
    o.check_keys = 1;
    CHECK(compute(s, &o, &t) == 0);
    compare_file(&t, "edges_keys");
    r = find(&t, "split_half_mean", "split_keys", NULL, "EXT", NULL);
    CHECK(note_has(r, "--check-keys: 1 item reversed"));
    faith_table_free(&t);
    o.check_keys = 0;      /* without the key check the reversed item pulls every split down */
    CHECK(compute(s, &o, &t) == 0);
    r = find(&t, "split_half_mean", "split_keys", NULL, "EXT", NULL);
    CHECK(r && r->value < 0.5 && !note_has(r, "--check-keys"));
    faith_table_free(&t);
    score_set_free(s);
}

/* The bundled norms carry all five IPIP-50 human alphas of the openpsychometrics respondents, equal
 * to psych::alpha (tests/oracle/norms.R) to the 6 decimals shipped, and they are the first alpha of
 * each dimension, so that the report's "Human InC IPIP-50" row comes from one sample. */
static void check_norm_alphas(const char *db)
{
    sqlite3 *h = store_open(db, STORE_READ);
    sqlite3_stmt *st = NULL, *first = NULL;
    char line[256];
    size_t found = 0;
    FILE *fp = fopen("tests/oracle/norms/ipip50_alpha.expected", "r");
    CHECK(h && fp);
    if (!h || !fp)
        goto out;
    CHECK(sqlite3_prepare_v2(h, "SELECT alpha, n FROM norm WHERE instrument = 'IPIP-50' AND dimension = ?1 AND "
                                "population = 'openpsychometrics BIG5 2012 respondents'", -1, &st, NULL) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(h, "SELECT population FROM norm WHERE instrument = 'IPIP-50' AND dimension = ?1 AND "
                                "alpha IS NOT NULL ORDER BY id LIMIT 1", -1, &first, NULL) == SQLITE_OK);
    while (st && first && fgets(line, sizeof line, fp)) {
        char *f[4];
        if (line[0] == '#' || split_tabs(line, f, 4) != 3)
            continue;
        sqlite3_bind_text(st, 1, f[0], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(first, 1, f[0], -1, SQLITE_TRANSIENT);
        CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_FLOAT);
        CHECK_NEAR(sqlite3_column_double(st, 0), strtod(f[1], NULL), 5e-7);
        CHECK(sqlite3_column_int(st, 1) == atoi(f[2]) && atoi(f[2]) == 19718);
        CHECK(sqlite3_step(first) == SQLITE_ROW &&
              strcmp((const char *)sqlite3_column_text(first, 0), "openpsychometrics BIG5 2012 respondents") == 0);
        sqlite3_reset(st);
        sqlite3_reset(first);
        found++;
    }
    CHECK(found == 5);
out:
    sqlite3_finalize(st);
    sqlite3_finalize(first);
    if (fp)
        fclose(fp);
    store_close(h);
}

static void check_store_metrics(const char *db, const char *name, int literal, int units_runs, const char *metrics);
static void check_store(const char *db, const char *name, int literal, int units_runs)
{
    check_store_metrics(db, name, literal, units_runs, literal ? "TrC" : NULL);
}

static void check_store_metrics(const char *db, const char *name, int literal, int units_runs, const char *metrics)
{
    sqlite3 *h = store_open(db, STORE_READ);
    struct score_set *set = h ? score_set_load(h, NULL) : NULL;
    struct faith_inputs in;
    struct faith_options o;
    struct faith_table t;
    CHECK(set != NULL);
    if (!set) {
        store_close(h);
        return;
    }
    faith_options_default(&o);
    o.trc_literal = literal;
    o.units_runs = units_runs;
    o.metrics = metrics;
    CHECK(faith_inputs_load(h, set, &in) == 0);
    CHECK(faith_compute(set, &in, &o, &t) == 0);
    compare_file(&t, name);
    faith_table_free(&t);
    faith_inputs_free(&in);
    score_set_free(set);
    store_close(h);
}

/* --summary on a store of one model on BFI-44: every block warned of acquiescence (acquiescent) or
 * none (trait-driven); the warning never changes the verdict the coefficients give. */
static void check_acq_summary(const char *db, int acquiescent)
{
    sqlite3 *h = store_open(db, STORE_READ);
    struct score_set *set = h ? score_set_load(h, NULL) : NULL;
    struct faith_options o;
    struct faith_table t, plain;
    struct faith_summary *s = NULL, *p = NULL;
    size_t n = 0, np = 0, warned = 0, same = 0;
    CHECK(set != NULL);
    if (!set) {
        store_close(h);
        return;
    }
    faith_options_default(&o);
    CHECK(faith_compute(set, NULL, &o, &t) == 0);
    CHECK(faith_summarize(&t, set, &s, &n) == 0 && n == 5);
    o.metrics = "TrC,InC,ICC,ExC,BC";        /* the same verdicts without the acquiescence rows */
    CHECK(faith_compute(set, NULL, &o, &plain) == 0);
    CHECK(faith_summarize(&plain, set, &p, &np) == 0 && np == n);
    for (size_t i = 0; i < n && i < np; i++) {
        const char *w = strstr(s[i].reason, "warning: acquiescence explains more of the score than the trait (acq_share ");
        warned += w != NULL;
        same += s[i].faithful == p[i].faithful && !strstr(p[i].reason, "warning");
    }
    CHECK(warned == (acquiescent ? 5 : 0));
    CHECK(same == n);
    if (acquiescent && n == 5)   /* OPEN: 8 + and 2 - keyed items, R: 0.87052730696798486 > 0.083333333333333287 */
        CHECK(strstr(s[4].reason, "(acq_share 0.871 > trait_share 0.0833)") != NULL);
    faith_summary_free(s, n);
    faith_summary_free(p, np);
    faith_table_free(&t);
    faith_table_free(&plain);
    score_set_free(set);
    store_close(h);
}

/* rb_crs.csv into table crs, matching subjects by model and temperature. */
static void load_crs(const char *db)
{
    sqlite3 *h = store_open(db, STORE_WRITE);
    FILE *fp = fopen("tests/oracle/faith/rb_crs.csv", "r");
    char line[256], sql[512];
    int rows = 0;
    CHECK(h && fp);
    if (!h || !fp)
        goto out;
    if (!fgets(line, sizeof line, fp))
        goto out;
    while (fgets(line, sizeof line, fp)) {
        char model[64], dim[8];
        double temp, value;
        int n;
        line[strcspn(line, "\n")] = '\0';
        for (char *p = line; *p; p++)
            if (*p == ',')
                *p = ' ';
        if (sscanf(line, "%63s %lf %7s %lf %d", model, &temp, dim, &value, &n) != 5)
            continue;
        snprintf(sql, sizeof sql, "INSERT INTO crs(subject_id, dimension, method, value, n) SELECT id, '%s', "
                 "'label', %.17g, %d FROM subject WHERE model = '%s' AND temperature = %.17g AND persona IS NULL",
                 dim, value, n, model, temp);
        rows += store_exec(h, sql) == 0;
    }
    CHECK(rows == 75);
out:
    if (fp)
        fclose(fp);
    store_close(h);
}

static void test_oracle(void)
{
    char db[128];
    snprintf(dir, sizeof dir, "/tmp/psyfaith-test_faith.XXXXXX");
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    /* RealBehavior-shaped fixture: before and after the criterion scores */
    snprintf(db, sizeof db, "%s/rb.db", dir);
    CHECK(run(cmd_init, "init", "--quiet", "--db", db, NULL) == 0);
    CHECK(run(cmd_ingest, "ingest", "--quiet", "--db", db, "tests/oracle/faith/rb.jsonl", NULL) == 0);
    check_norm_alphas(db);
    {
        sqlite3 *h = store_open(db, STORE_READ);
        struct score_set *set = score_set_load(h, NULL);
        struct faith_options o;
        struct faith_table t;
        faith_options_default(&o);
        o.metrics = "BC";
        CHECK(set && faith_compute(set, NULL, &o, &t) == 0);
        CHECK(set && t.n == set->n_blocks);
        for (size_t i = 0; set && i < t.n; i++)
            CHECK(isnan(t.rows[i].value) && note_has(&t.rows[i], "no CrS yet: run psyfaith classify apply"));
        faith_table_free(&t);
        score_set_free(set);
        store_close(h);
    }
    load_crs(db);
    check_store(db, "rb", 0, 0);
    {   /* every bootstrap starts from the value itself (call 0 is the original sample) */
        sqlite3 *h = store_open(db, STORE_READ);
        struct score_set *set = score_set_load(h, NULL);
        struct faith_inputs in;
        struct faith_options o;
        struct faith_table t;
        size_t with_ci = 0, bad = 0;
        faith_options_default(&o);
        o.bootstrap = 30;
        CHECK(set && faith_inputs_load(h, set, &in) == 0 && faith_compute(set, &in, &o, &t) == 0);
        for (size_t i = 0; set && i < t.n; i++) {
            with_ci += !isnan(t.rows[i].ci_low);
            if (note_has(&t.rows[i], "differs from the value")) {
                bad++;
                fprintf(stderr, "    %s %s %s: %s\n", t.rows[i].metric, t.rows[i].instrument, t.rows[i].dimension,
                        t.rows[i].note);
            }
        }
        CHECK(bad == 0);
        CHECK(with_ci > 500);
        if (set) {
            faith_table_free(&t);
            faith_inputs_free(&in);
        }
        score_set_free(set);
        store_close(h);
    }
    check_store(db, "rb_literal", 1, 0);
    remove_store(db);
    /* persona steering */
    snprintf(db, sizeof db, "%s/steer.db", dir);
    CHECK(run(cmd_init, "init", "--quiet", "--db", db, NULL) == 0);
    CHECK(run(cmd_ingest, "ingest", "--quiet", "--db", db, "tests/oracle/faith/steer.jsonl", NULL) == 0);
    check_store(db, "steer", 0, 0);
    remove_store(db);
    /* an acquiescent model and a trait-driven one: the decomposition against R, and the summary's
     * warning for the first only (with the verdict left as the coefficients say) */
    for (int k = 0; k < 2; k++) {
        const char *name = k ? "acq_trait" : "acq_yes";
        char path[128];
        snprintf(db, sizeof db, "%s/%s.db", dir, name);
        snprintf(path, sizeof path, "tests/oracle/faith/%s.jsonl", name);
        CHECK(run(cmd_init, "init", "--quiet", "--db", db, NULL) == 0);
        CHECK(run(cmd_ingest, "ingest", "--quiet", "--db", db, path, NULL) == 0);
        check_store_metrics(db, name, 0, 0, "acq");
        check_acq_summary(db, !k);
        remove_store(db);
    }
    /* the real ChatGPT-Behavioral transcripts: one subject, 30 sessions */
    snprintf(db, sizeof db, "%s/cgb.db", dir);
    CHECK(run(cmd_init, "init", "--quiet", "--db", db, NULL) == 0);
    CHECK(run(cmd_ingest, "ingest", "--quiet", "--db", db, "--profile",
              "fixtures/profiles/chatgpt-behavioral-bigfive.profile",
              "fixtures/transcripts/chatgpt-behavioral-bigfive.json", NULL) == 0);
    check_store(db, "cgb", 0, 0);
    check_store(db, "cgb_runs", 0, 1);     /* --units runs: psych::alpha on the 30 runs x items */
    remove_store(db);
    /* 19,719 human respondents */
    const char *shared = getenv("PSYFAITH_SHARED");
    char csv[512];
    snprintf(csv, sizeof csv, "%s/data/chatgpt-behavioral/data/bigfive_data.csv", shared ? shared : "../shared");
    if (access(csv, R_OK) == 0) {
        snprintf(db, sizeof db, "%s/human.db", dir);
        CHECK(run(cmd_init, "init", "--quiet", "--db", db, NULL) == 0);
        CHECK(run(cmd_ingest, "ingest", "--quiet", "--db", db, "--wide", "--set", "instrument=IPIP-50", "--set",
                  "model=human", "--missing", "0", csv, NULL) == 0);
        check_store(db, "human", 0, 0);
        remove_store(db);
    } else
        printf("note: %s missing: human respondents not checked\n", csv);
    rmdir(dir);
}

int main(void)
{
    gsl_set_error_handler_off();
    test_single_subject();
    test_constant();
    test_k1_and_negative();
    test_acq_edges();
    test_bootstrap();
    test_icc_many_rows();
    test_metric_names();
    test_edges();
    test_oracle();
    printf("note: largest |C - R| = %.3g (%s)\n", max_diff, max_diff_what);
    return CHECK_DONE();
}
