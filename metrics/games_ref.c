/* metrics/games_ref.c -- reads the human reference table of `psyfaith games`
 * (fixtures/games/human_games.csv; the compiled-in copy is games_human.c).  See make_human.py
 * beside the CSV for the columns. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "diag.h"
#include "metrics/games_int.h"
#include "util.h"

enum { C_EXPERIMENT, C_MEASURE, C_TRAIT, C_X, C_COUNT, C_N, C_VALUE, C_CITATION, N_REF_COLS };
static const char *const ref_cols[N_REF_COLS] = { "experiment", "measure", "trait", "x", "count", "n", "value",
                                                  "citation" };

struct ref_parse {
    const char *name;
    struct games_human *h;
    long line;
    int index[N_REF_COLS];             /* field position of each column */
    char *field[16];                   /* the current record's fields (owned) */
    unsigned char accept_seen[GAMES_HUMAN_MAX_X + 1], offer_seen[GAMES_HUMAN_MAX_X + 1];
    unsigned char level_seen[GAMES_HUMAN_MAX_LEVEL + 1];
    size_t nfield;
    int failed;
};

static void field_cb(void *s, size_t len, void *ctx)
{
    struct ref_parse *p = ctx;
    if (p->nfield < 16) {
        char *f = malloc(len + 1);
        if (!f) {
            p->failed = diag_error("out of memory");
            return;
        }
        if (len)
            memcpy(f, s, len);
        f[len] = '\0';
        p->field[p->nfield] = f;
    }
    p->nfield++;
}

static const char *col(const struct ref_parse *p, int c)
{
    int i = p->index[c];
    return i >= 0 && (size_t)i < p->nfield && i < 16 ? p->field[i] : "";
}

static int set_cite(char **slot, const char *s)
{
    if (*slot)
        return 0;                      /* the first citation of a measure is kept */
    return (*slot = strdup(s)) ? 0 : diag_error("out of memory");
}

static int ref_row(struct ref_parse *p)
{
    struct srcpos pos = { p->name, p->line, 0, 0 };
    struct games_human *h = p->h;
    const char *exp = col(p, C_EXPERIMENT), *measure = col(p, C_MEASURE), *cite = col(p, C_CITATION);
    long x = 0, count = 0, n = 0;
    double value;
    int ug = strcmp(exp, "ultimatum") == 0, me = strcmp(exp, "milgram") == 0;
    if (!ug && !me)
        return diag_at(&pos, "unknown experiment '%s' (field experiment; ultimatum or milgram)", exp);
    if (!*cite)
        return diag_at(&pos, "every human reference needs its source (field citation)");
    if (strcmp(measure, "direction") == 0) {
        int t = games_trait_index(col(p, C_TRAIT));
        if (t < 0)
            return diag_at(&pos, "unknown trait '%s' (field trait; EXT AGR CONS EMO OPEN)", col(p, C_TRAIT));
        if (parse_double(col(p, C_VALUE), &value) < 0 || (value != 1 && value != -1))
            return diag_at(&pos, "a direction is 1 or -1, found '%s' (field value)", col(p, C_VALUE));
        (ug ? h->ug_direction : h->me_direction)[t] = (int)value;
        return set_cite(&(ug ? h->ug_dir_cite : h->me_dir_cite)[t], cite);
    }
    if (parse_long(col(p, C_X), &x) < 0 || parse_long(col(p, C_COUNT), &count) < 0 ||
        parse_long(col(p, C_N), &n) < 0 || count < 0 || n <= 0 || count > n)
        return diag_at(&pos, "expected whole numbers x, count and n with 0 <= count <= n");
    if (ug && strcmp(measure, "acceptance") == 0) {
        if (x < 0 || x > GAMES_HUMAN_MAX_X)
            return diag_at(&pos, "x %ld is outside 0..%d (field x: offer in %% of the total)", x, GAMES_HUMAN_MAX_X);
        if (h->accept_n && h->accept_n != n)
            return diag_at(&pos, "acceptance rows disagree on n (%ld, %ld)", h->accept_n, n);
        if (p->accept_seen[x]++)
            return diag_at(&pos, "a second acceptance row for x = %ld", x);
        h->accept_count[x] = count;
        h->accept_n = n;
        h->have_accept |= 1;
        return set_cite(&h->accept_cite, cite);
    }
    if (ug && strcmp(measure, "offer") == 0) {
        if (x < 0 || x > GAMES_HUMAN_MAX_X)
            return diag_at(&pos, "x %ld is outside 0..%d (field x: offer in %% of the total)", x, GAMES_HUMAN_MAX_X);
        if (h->offer_n && h->offer_n != n)
            return diag_at(&pos, "offer rows disagree on n (%ld, %ld)", h->offer_n, n);
        if (p->offer_seen[x]++)
            return diag_at(&pos, "a second offer row for x = %ld", x);
        h->offer_count[x] = count;
        h->offer_n = n;
        h->have_offer = 1;
        return set_cite(&h->offer_cite, cite);
    }
    if (me && strcmp(measure, "remaining") == 0) {
        if (x < 0 || x > GAMES_HUMAN_MAX_LEVEL)
            return diag_at(&pos, "x %ld is outside 0..%d (field x: shock level)", x, GAMES_HUMAN_MAX_LEVEL);
        if (h->me_n && h->me_n != n)
            return diag_at(&pos, "remaining rows disagree on n (%ld, %ld)", h->me_n, n);
        if (p->level_seen[x]++)
            return diag_at(&pos, "a second remaining row for level %ld", x);
        h->me_remaining[x] = count;
        h->me_n = n;
        if (x > h->me_levels)
            h->me_levels = (int)x;
        return set_cite(&h->me_cite, cite);
    }
    if (me && strcmp(measure, "breakoff") == 0)
        return 0;                      /* the remaining rows carry the same facts */
    return diag_at(&pos, "unknown measure '%s' for %s (field measure)", measure, exp);
}

static void record_cb(int c, void *ctx)
{
    struct ref_parse *p = ctx;
    p->line++;
    if (!p->failed && p->nfield > 0 && !(p->nfield == 1 && !*p->field[0])) {
        if (p->line == 1) {
            for (int k = 0; k < N_REF_COLS; k++) {
                p->index[k] = -1;
                for (size_t i = 0; i < p->nfield && i < 16; i++)
                    if (strcmp(p->field[i], ref_cols[k]) == 0)
                        p->index[k] = (int)i;
                if (p->index[k] < 0) {
                    struct srcpos pos = { p->name, 1, 0, 0 };
                    p->failed = diag_at(&pos, "missing column '%s' in the header", ref_cols[k]);
                }
            }
        } else if (ref_row(p) < 0) {
            p->failed = -1;
        }
    }
    for (size_t i = 0; i < p->nfield && i < 16; i++)
        free(p->field[i]);
    p->nfield = 0;
}

static int parse(const char *name, const char *data, size_t len, struct games_human *h)
{
    struct csv_parser csv;
    struct ref_parse p = { .name = name, .h = h };
    if (csv_init(&csv, CSV_STRICT | CSV_APPEND_NULL) != 0)
        return diag_error("out of memory");
    if (csv_parse(&csv, data, len, field_cb, record_cb, &p) != len) {
        p.failed = diag_error("%s: %s", name, csv_strerror(csv_error(&csv)));
    } else if (csv_fini(&csv, field_cb, record_cb, &p) != 0) {
        p.failed = diag_error("%s: %s", name, csv_strerror(csv_error(&csv)));
    }
    for (size_t i = 0; i < p.nfield && i < 16; i++)
        free(p.field[i]);
    csv_free(&csv);
    if (!p.failed && p.line < 1)
        p.failed = diag_error("'%s' is empty: expected a header line", name);
    for (int x = 0; !p.failed && h->have_accept && x <= GAMES_HUMAN_MAX_X; x++)
        if (!p.accept_seen[x])
            p.failed = diag_error("%s: the acceptance curve has no row for x = %d (it needs 0..%d)", name, x,
                                  GAMES_HUMAN_MAX_X);
    if (!p.failed && h->have_offer) {
        long sum = 0;
        for (int x = 0; x <= GAMES_HUMAN_MAX_X; x++)
            sum += h->offer_count[x];
        if (sum != h->offer_n)
            p.failed = diag_error("%s: the offer rows count %ld decisions, but their n is %ld", name, sum, h->offer_n);
    }
    for (int x = 0; !p.failed && h->me_n && x <= h->me_levels; x++)
        if (!p.level_seen[x])
            p.failed = diag_error("%s: the Milgram curve has no row for level %d (it needs 0..%d)", name, x,
                                  h->me_levels);
    if (!p.failed && h->me_n && h->me_remaining[0] != h->me_n)
        p.failed = diag_error("%s: the Milgram curve must start with every subject at level 0", name);
    return p.failed ? -1 : 0;
}

int games_human_load(const char *path, struct games_human *h)
{
    memset(h, 0, sizeof *h);
    if (!path)
        return parse("human_games.csv (built in)", games_human_csv, strlen(games_human_csv), h);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return diag_error("cannot open '%s': %s", path, strerror(errno));
    struct strbuf sb = { 0 };
    char buf[8192];
    size_t n;
    int ret = 0;
    while (ret == 0 && (n = fread(buf, 1, sizeof buf, fp)) > 0)
        ret = strbuf_add(&sb, buf, n);
    if (ret < 0 || ferror(fp))
        ret = diag_error("cannot read '%s'", path);
    fclose(fp);
    if (ret == 0)
        ret = parse(path, sb.buf ? sb.buf : "", sb.len, h);
    strbuf_free(&sb);
    if (ret < 0)
        games_human_free(h);
    return ret;
}

void games_human_free(struct games_human *h)
{
    for (int t = 0; t < GAMES_N_TRAITS; t++) {
        free(h->ug_dir_cite[t]);
        free(h->me_dir_cite[t]);
    }
    free(h->accept_cite);
    free(h->offer_cite);
    free(h->me_cite);
    memset(h, 0, sizeof *h);
}
