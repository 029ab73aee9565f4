/* tests/test_score_load.c -- metrics/scores_responses.c and scores_scan.c: the repetition rows a
 * score set is loaded with, against a plain reading of the file the store was ingested from.
 *
 * For every subject and block the set must hold one row per repetition with an ok answer in that
 * block, in ascending repetition order, and in each row the keyed score of the first ok answer (in
 * file order, which is rowid order) to each item in that repetition; rep_of the repetition's rank
 * among the instrument's repetitions with any response.  The files are what make the loader's
 * order matter: each subject's rows shuffled (the table scan feeds them in that order, the index in
 * (rep, item, rowid) order), second answers to an (item, rep) anywhere in the subject's rows, with
 * another option, refusals before and after ok answers, a subject without some dimensions, and
 * repetition numbers dense (the loader's buckets) or spread over a million (its sort).  The set is
 * loaded by the table scan (the store's rows come subject after subject, checked) and again through
 * the index (PSYFAITH_INDEX_SCAN=1); both must match, and every refusal is counted as one. */
#include "cli/cli.h"
#include "metrics/scores.h"
#include "metrics/scores_int.h"
#include "store/store.h"
#include "tests/check.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N_SUBJECTS 4
#define N_ITEMS 50
#define MAX_LINES 8000

struct line {
    int subject;        /* 0 .. N_SUBJECTS-1, model "m<subject+1>" */
    long rep;
    int item;           /* 0 .. 49: "ENACO"[item / 10] and item % 10 + 1 */
    int option;         /* 0 = a refusal */
};

static const char dims[] = "ENACO";
static struct line lines[MAX_LINES];
static size_t n_lines;
static char dir[64];

static unsigned long long state = 0x9E3779B97F4A7C15ULL;
static unsigned rnd(unsigned n)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (unsigned)(state % n);
}

static int run(int (*cmd)(int, char **), const char *first, ...)
{
    char *argv[16];
    int argc = 0;
    va_list ap;
    argv[argc++] = (char *)first;
    va_start(ap, first);
    for (char *a; argc < 15 && (a = va_arg(ap, char *));)
        argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;
    return cmd(argc, argv);
}

static void add(int subject, long rep, int item, int option)
{
    if (n_lines < MAX_LINES)
        lines[n_lines++] = (struct line){ subject, rep, item, option };
}

/* One study: subjects in order, each subject's rows shuffled.  sparse: repetition numbers far apart. */
static void make_lines(int sparse, int seed)
{
    state = 0x9E3779B97F4A7C15ULL ^ ((unsigned long long)seed << 32 | (unsigned)sparse);
    n_lines = 0;
    for (int s = 0; s < N_SUBJECTS; s++) {
        const size_t from = n_lines;
        const int n_reps = 3 + (int)rnd(4);
        for (int r = 0; r < n_reps; r++) {
            const long rep = sparse ? (long)rnd(1000000) : r + 1;
            for (int i = 0; i < N_ITEMS; i++) {
                if (s == 2 && i / 10 == 1)
                    continue;                   /* subject 3 never answers the N items */
                if (rnd(100) < 3)
                    continue;                   /* a gap */
                if (rnd(100) < 5)
                    add(s, rep, i, 0);          /* a refusal: a later answer may still fill the cell */
                add(s, rep, i, 1 + (int)rnd(5));
                if (rnd(100) < 10)
                    add(s, rep, i, 1 + (int)rnd(5));    /* a second answer, before or after once shuffled */
            }
        }
        for (size_t i = n_lines; i-- > from + 1;) {
            size_t j = from + rnd((unsigned)(i - from + 1));
            struct line t = lines[i];
            lines[i] = lines[j];
            lines[j] = t;
        }
    }
}

static int write_lines(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (size_t i = 0; i < n_lines; i++) {
        const struct line *l = &lines[i];
        fprintf(f, "{\"model\":\"m%d\",\"rep\":%ld,\"instrument\":\"IPIP-50\",\"item\":\"%c%d\",", l->subject + 1,
                l->rep, dims[l->item / 10], l->item % 10 + 1);
        if (l->option)
            fprintf(f, "\"option\":%d}\n", l->option);
        else
            fprintf(f, "\"answer\":\"As an AI, I do not have personal feelings.\"}\n");
    }
    return fclose(f);
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* The column of the file's item in block blk, or -1. */
static int column_of(const struct score_block *blk, int item)
{
    char code[8];
    snprintf(code, sizeof code, "%c%d", dims[item / 10], item % 10 + 1);
    for (size_t j = 0; j < blk->n_items; j++)
        if (strcmp(blk->item_codes[j], code) == 0)
            return (int)j;
    return -1;
}

/* The set's repetition rows against the file's; returns the number of rows compared, which is every
 * row the set holds. */
static size_t check_rows(const struct score_set *set)
{
    long all[MAX_LINES], mine[MAX_LINES];
    size_t n_all = 0, compared = 0;
    for (size_t i = 0; i < n_lines; i++)
        all[n_all++] = lines[i].rep;
    qsort(all, n_all, sizeof *all, cmp_long);
    size_t n_distinct = 0;
    for (size_t i = 0; i < n_all; i++)
        if (!n_distinct || all[i] != all[n_distinct - 1])
            all[n_distinct++] = all[i];
    CHECK(set->n_subjects == N_SUBJECTS);
    CHECK(set->n_blocks == 5);
    for (size_t b = 0; b < set->n_blocks; b++) {
        const struct score_block *blk = &set->blocks[b];
        CHECK(blk->n_reps == n_distinct);
        for (size_t s = 0; s < set->n_subjects && s < N_SUBJECTS; s++) {
            int subject = set->subjects[s].model[1] - '1';
            size_t n_mine = 0;
            for (size_t i = 0; i < n_lines; i++)     /* the reps with an ok answer in this block */
                if (lines[i].subject == subject && lines[i].option && column_of(blk, lines[i].item) >= 0)
                    mine[n_mine++] = lines[i].rep;
            qsort(mine, n_mine, sizeof *mine, cmp_long);
            size_t T = 0;
            for (size_t i = 0; i < n_mine; i++)
                if (!T || mine[i] != mine[T - 1])
                    mine[T++] = mine[i];
            CHECK((size_t)blk->reps_seen[s] == T);
            if ((size_t)blk->reps_seen[s] != T)
                continue;
            for (size_t u = 0; u < T; u++) {
                const size_t row = blk->rep_first[s] + u;
                size_t rank = 0;
                while (rank < n_distinct && all[rank] != mine[u])
                    rank++;
                CHECK(blk->rep_of[row] == (int64_t)rank);
                for (size_t j = 0; j < blk->n_items; j++) {
                    double want = NAN;
                    for (size_t i = 0; i < n_lines; i++) {
                        const struct line *l = &lines[i];
                        if (l->subject == subject && l->rep == mine[u] && l->option && column_of(blk, l->item) == (int)j) {
                            want = blk->keys[j] > 0 ? l->option : 6 - l->option;
                            break;
                        }
                    }
                    const double got = blk->rep_scores[row * blk->n_items + j];
                    CHECK((isnan(got) && isnan(want)) || got == want);
                }
                compared++;
            }
        }
    }
    size_t held = 0;
    for (size_t b = 0; b < set->n_blocks; b++)
        held += set->blocks[b].n_rows;
    CHECK(held == compared);
    return compared;
}

/* Both loads hold the same numbers. */
static void check_same(const struct score_set *a, const struct score_set *b)
{
    CHECK(a->n_blocks == b->n_blocks);
    for (size_t k = 0; k < a->n_blocks && k < b->n_blocks; k++) {
        const struct score_block *x = &a->blocks[k], *y = &b->blocks[k];
        CHECK(x->n_rows == y->n_rows);
        if (x->n_rows != y->n_rows)
            continue;
        CHECK(memcmp(x->rep_of, y->rep_of, x->n_rows * sizeof *x->rep_of) == 0);
        CHECK(memcmp(x->rep_scores, y->rep_scores, x->n_rows * x->n_items * sizeof *x->rep_scores) == 0);
        CHECK(memcmp(x->voted->data, y->voted->data, a->n_subjects * x->n_items * sizeof(double)) == 0);
        for (size_t s = 0; s < a->n_subjects; s++) {
            CHECK(x->refusals[s] == y->refusals[s] && x->answered[s] == y->answered[s]);
            CHECK(x->unparsed[s] == y->unparsed[s] && x->ambiguous[s] == y->ambiguous[s]);
            CHECK(x->reps_seen[s] == y->reps_seen[s] && x->rep_first[s] == y->rep_first[s]);
            CHECK(x->n_pos[s] == y->n_pos[s] && x->sum_pos[s] == y->sum_pos[s] && x->sum_neg[s] == y->sum_neg[s]);
            CHECK(x->n_neg[s] == y->n_neg[s] && x->agree_pos[s] == y->agree_pos[s] && x->agree_neg[s] == y->agree_neg[s]);
            CHECK(memcmp(x->option_counts[s], y->option_counts[s], 6 * sizeof(size_t)) == 0);
        }
    }
}

static size_t scanned, refused;

static int count_row(void *ctx, int64_t sid, const struct scan_row *r)
{
    (void)ctx;
    (void)sid;
    scanned++;
    refused += r->status == SCAN_REFUSAL;
    return 0;
}

static void study(int sparse, int seed)
{
    char db[128], path[128];
    snprintf(db, sizeof db, "%s/s%d-%d.db", dir, sparse, seed);
    snprintf(path, sizeof path, "%s/s%d-%d.jsonl", dir, sparse, seed);
    make_lines(sparse, seed);
    CHECK(write_lines(path) == 0);
    CHECK(run(cmd_init, "init", "--quiet", "--db", db, NULL) == 0);
    CHECK(run(cmd_ingest, "ingest", "--quiet", "--db", db, path, NULL) == 0);
    sqlite3 *h = store_open(db, STORE_READ);
    CHECK(h != NULL);
    /* the store's rows come subject after subject, so the first load below is the table scan's */
    int order_some = 0;
    CHECK(h && scores_scan_responses(h, count_row, NULL, &order_some) == 0);
    size_t want_refused = 0;
    for (size_t i = 0; i < n_lines; i++)
        want_refused += lines[i].option == 0;
    CHECK(scanned == n_lines);
    CHECK(want_refused > 0 && refused == want_refused);     /* stored as refusals */
    scanned = 0;
    refused = 0;
    unsetenv("PSYFAITH_INDEX_SCAN");
    struct score_set *scan = h ? score_set_load(h, NULL) : NULL;
    setenv("PSYFAITH_INDEX_SCAN", "1", 1);
    struct score_set *index = h ? score_set_load(h, NULL) : NULL;
    unsetenv("PSYFAITH_INDEX_SCAN");
    CHECK(scan != NULL && index != NULL);
    if (scan && index) {
        size_t rows = check_rows(scan);
        CHECK(rows >= 5 * 3 * 3);       /* each subject has 3 or more repetitions, 3 of them all 5 blocks */
        CHECK(check_rows(index) == rows);
        check_same(scan, index);
        size_t got_refused = 0;
        for (size_t b = 0; b < scan->n_blocks; b++)
            for (size_t k = 0; k < scan->n_subjects; k++)
                got_refused += (size_t)scan->blocks[b].refusals[k];
        CHECK(got_refused == want_refused);                     /* and counted as refusals */
    }
    score_set_free(scan);
    score_set_free(index);
    store_close(h);
    unlink(path);
    unlink(db);
    char p[160];
    snprintf(p, sizeof p, "%s-wal", db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db);
    unlink(p);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/psyfaith-test_score_load.XXXXXX");
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return CHECK_DONE();
    }
    for (int seed = 1; seed <= 3; seed++) {
        study(0, seed);
        study(1, seed);
    }
    rmdir(dir);
    return CHECK_DONE();
}
