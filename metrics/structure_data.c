/* metrics/structure_data.c -- one instrument's items and one group's respondents x items matrix of raw
 * options (see structure_data.h for the decisions: raw options, voted subjects or runs, NAN missing) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/scores.h"
#include "metrics/structure_data.h"
#include "store/store.h"

int sd_units_parse(const char *s, enum sd_units *u)
{
    if (s && strcmp(s, "subjects") == 0)
        *u = SD_SUBJECTS;
    else if (s && strcmp(s, "runs") == 0)
        *u = SD_RUNS;
    else
        return -1;
    return 0;
}

const char *sd_units_name(enum sd_units u)
{
    return u == SD_RUNS ? "runs" : "subjects";
}

void sd_instrument_free(struct sd_instrument *ins)
{
    if (!ins)
        return;
    for (size_t j = 0; j < ins->n_items; j++)
        free(ins->items[j].code);
    free(ins->items);
    free(ins->name);
    memset(ins, 0, sizeof *ins);
}

static int dim_index(const char *code)
{
    for (int d = 0; code && d < N_DIMENSIONS; d++)
        if (strcmp(code, dimension_codes[d]) == 0)
            return d;
    return -1;
}

int sd_instrument_load(sqlite3 *db, const char *name, struct sd_instrument *ins)
{
    sqlite3_stmt *st = NULL;
    int rc, seen[N_DIMENSIONS] = { 0 };
    size_t cap = 0;
    memset(ins, 0, sizeof *ins);
    if (!(st = store_prepare(db, "SELECT id, n_options FROM instrument WHERE name = ?1")) ||
        store_bind_text(st, 1, name) < 0)
        goto fail;
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        if (rc == SQLITE_DONE)
            diag_error("no instrument '%s' in the store (see psyfaith instruments)", name);
        else
            diag_error("store: %s", sqlite3_errmsg(db));
        goto fail;
    }
    ins->id = sqlite3_column_int64(st, 0);
    ins->n_options = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    if (!(ins->name = strdup(name)))
        goto oom;
    if (!(st = store_prepare(db, "SELECT id, code, dimension, key FROM item WHERE instrument_id = ?1 "
                                 "ORDER BY position, id")) ||
        store_bind_int64(st, 1, ins->id) < 0)
        goto fail;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (ins->n_items == cap) {
            size_t c = cap ? 2 * cap : 64;
            struct sd_item *p = realloc(ins->items, c * sizeof *p);
            if (!p)
                goto oom;
            ins->items = p;
            cap = c;
        }
        struct sd_item *it = &ins->items[ins->n_items];
        const char *code = store_col_text(st, 1);
        it->id = sqlite3_column_int64(st, 0);
        it->dimension = dim_index(store_col_text(st, 2));
        it->key = sqlite3_column_int(st, 3) < 0 ? -1 : 1;
        if (!(it->code = strdup(code ? code : "")))
            goto oom;
        ins->n_items++;
        if (it->dimension < 0) {
            diag_error("store: item '%s' of instrument '%s' has no known dimension", it->code, name);
            goto fail;
        }
        seen[it->dimension] = 1;
    }
    if (store_step_done(st, rc) < 0)
        goto fail;
    sqlite3_finalize(st);
    for (int d = 0; d < N_DIMENSIONS; d++)
        if (seen[d])
            ins->dims[ins->n_dims++] = d;
    return 0;
oom:
    diag_error("out of memory");
fail:
    sqlite3_finalize(st);
    sd_instrument_free(ins);
    return -1;
}

void sd_names_free(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

/* Every row's first column as text, NULL kept, into a new array. */
static int collect_names(sqlite3 *db, sqlite3_stmt *st, char ***names, size_t *n)
{
    char **v = NULL;
    size_t len = 0;
    int rc;
    *names = NULL;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *s = store_col_text(st, 0);
        char **p = realloc(v, (len + 1) * sizeof *v);
        if (!p || (v = p, v[len] = s ? strdup(s) : NULL, s && !v[len])) {
            sd_names_free(v, len);
            return diag_error("out of memory");
        }
        len++;
    }
    if (store_step_done(st, rc) < 0) {
        sd_names_free(v, len);
        return -1;
    }
    (void)db;
    *names = v;
    *n = len;
    return 0;
}

/* One pass over the responses (no index leads with item_id: an EXISTS per instrument scanned them all once
 * per instrument). */
int sd_instruments(sqlite3 *db, char ***names, size_t *n)
{
    sqlite3_stmt *st = store_prepare(db, "SELECT n.name FROM instrument n WHERE n.id IN (SELECT DISTINCT i.instrument_id FROM "
                                         "response r JOIN item i ON i.id = r.item_id) ORDER BY n.name");
    int ret = st ? collect_names(db, st, names, n) : -1;
    sqlite3_finalize(st);
    return ret;
}

int sd_models(sqlite3 *db, const struct sd_instrument *ins, const char *condition, char ***models, size_t *n)
{
    sqlite3_stmt *st = store_prepare(db,
        "SELECT DISTINCT s.model FROM subject s WHERE s.condition IS ?1 AND EXISTS (SELECT 1 FROM response r "
        "WHERE r.subject_id = s.id AND r.status = 'ok' AND r.item_id IN (SELECT id FROM item WHERE "
        "instrument_id = ?2)) ORDER BY s.model");
    int ret = -1;
    if (st && store_bind_text(st, 1, condition) == 0 && store_bind_int64(st, 2, ins->id) == 0)
        ret = collect_names(db, st, models, n);
    sqlite3_finalize(st);
    return ret;
}

void sd_matrix_free(struct sd_matrix *m)
{
    if (!m)
        return;
    free(m->x);
    free(m->subject);
    free(m->rep);
    memset(m, 0, sizeof *m);
}

void sd_complete_cases(const struct sd_matrix *m, size_t *rows, size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < m->n_resp; i++) {
        size_t j = 0;
        while (j < m->n_items && !isnan(m->x[i * m->n_items + j]))
            j++;
        if (j == m->n_items)
            rows[(*n)++] = i;
    }
}

/* The loader's state: the matrix being grown and the current subject's answers. */
struct sd_loader {
    struct sd_matrix *m;
    size_t cap;                 /* rows allocated */
    int k;
    uint32_t *counts;           /* SD_SUBJECTS: n_items x (K + 1) option counts of the subject */
    struct sd_cell { int64_t rep; size_t col; int option; } *cells;   /* SD_RUNS: first ok per (item, rep) */
    size_t n_cells, cap_cells;
};

/* A new row of NANs for (subject, rep); its index, or -1 out of memory. */
static long new_row(struct sd_loader *L, int64_t subject, int64_t rep)
{
    struct sd_matrix *m = L->m;
    if (m->n_resp == L->cap) {
        size_t c = L->cap ? 2 * L->cap : 64;
        double *x = realloc(m->x, c * m->n_items * sizeof *x);
        if (x)
            m->x = x;
        int64_t *s = realloc(m->subject, c * sizeof *s);
        if (s)
            m->subject = s;
        int64_t *r = realloc(m->rep, c * sizeof *r);
        if (r)
            m->rep = r;
        if (!x || !s || !r)
            return -1;
        L->cap = c;
    }
    for (size_t j = 0; j < m->n_items; j++)
        m->x[m->n_resp * m->n_items + j] = NAN;
    m->subject[m->n_resp] = subject;
    m->rep[m->n_resp] = rep;
    return (long)m->n_resp++;
}

/* The majority option; ties go to the option nearest the middle, then to the lower one (scores.h). */
static int vote(const uint32_t *counts, int k)
{
    int best = 0;
    double mid = (k + 1) / 2.0;
    for (int o = 1; o <= k; o++)
        if (counts[o] && (!best || counts[o] > counts[best] ||
                          (counts[o] == counts[best] && fabs(o - mid) < fabs(best - mid))))
            best = o;
    return best;
}

static int cell_cmp(const void *a, const void *b)
{
    const struct sd_cell *x = a, *y = b;
    return x->rep < y->rep ? -1 : x->rep > y->rep ? 1 : x->col < y->col ? -1 : x->col > y->col;
}

/* The subject's answers have all been read: its row (subjects) or rows (runs). */
static int subject_done(struct sd_loader *L, enum sd_units units, int64_t subject)
{
    struct sd_matrix *m = L->m;
    const size_t k1 = (size_t)L->k + 1;
    if (units == SD_SUBJECTS) {
        long row = -1;
        for (size_t j = 0; j < m->n_items; j++) {
            int o = vote(L->counts + j * k1, L->k);
            if (!o)
                continue;
            if (row < 0 && (row = new_row(L, subject, -1)) < 0)
                return -1;
            m->x[(size_t)row * m->n_items + j] = o;
        }
        memset(L->counts, 0, m->n_items * k1 * sizeof *L->counts);
        return 0;
    }
    qsort(L->cells, L->n_cells, sizeof *L->cells, cell_cmp);
    long row = -1;
    for (size_t c = 0; c < L->n_cells; c++) {
        if (c == 0 || L->cells[c].rep != L->cells[c - 1].rep)
            if ((row = new_row(L, subject, L->cells[c].rep)) < 0)
                return -1;
        m->x[(size_t)row * m->n_items + L->cells[c].col] = L->cells[c].option;
    }
    L->n_cells = 0;
    return 0;
}

struct id_col { int64_t id; size_t col; };

static int id_col_cmp(const void *a, const void *b)
{
    const struct id_col *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

int sd_matrix_load(sqlite3 *db, const struct sd_instrument *ins, const char *condition, const char *model,
                   enum sd_units units, struct sd_matrix *m)
{
    struct sd_loader L = { .m = m, .k = ins->n_options };
    struct id_col *map = malloc((ins->n_items + 1) * sizeof *map);
    sqlite3_stmt *st = NULL;
    int rc, ret = -1, have = 0;
    int64_t current = 0;
    memset(m, 0, sizeof *m);
    m->n_items = ins->n_items;
    L.counts = calloc(ins->n_items * (size_t)(L.k + 1) + 1, sizeof *L.counts);
    if (!map || !L.counts)
        goto oom;
    for (size_t j = 0; j < ins->n_items; j++)
        map[j] = (struct id_col){ ins->items[j].id, j };
    qsort(map, ins->n_items, sizeof *map, id_col_cmp);
    /* The group's subjects in id order (CROSS JOIN keeps subject the outer loop: a model's group reads its
     * own subjects' responses, not the whole table), each through response_by_subject (subject, rep,
     * item), keeping the instrument's items: one subject at a time, in index order, no sort.  An
     * (item, rep)'s answers come together in rowid order, so the first is the one kept below. */
    if (!(st = store_prepare(db,
              "SELECT r.subject_id, r.item_id, r.rep, r.option FROM subject s CROSS JOIN response r ON r.subject_id = "
              "s.id WHERE s.condition IS ?1 AND (?2 IS NULL OR s.model = ?2) AND r.status = 'ok' AND r.item_id IN "
              "(SELECT id FROM item WHERE instrument_id = ?3) ORDER BY s.id, r.rep, r.item_id, r.id")) ||
        store_bind_text(st, 1, condition) < 0 || store_bind_text(st, 2, model) < 0 ||
        store_bind_int64(st, 3, ins->id) < 0)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t sid = sqlite3_column_int64(st, 0), rep = sqlite3_column_int64(st, 2);
        struct id_col key = { sqlite3_column_int64(st, 1), 0 };
        int o = sqlite3_column_int(st, 3);
        if (have && sid != current && subject_done(&L, units, current) < 0)
            goto oom;
        current = sid;
        have = 1;
        const struct id_col *hit = bsearch(&key, map, ins->n_items, sizeof *map, id_col_cmp);
        if (!hit || sqlite3_column_type(st, 3) != SQLITE_INTEGER || o < 1 || o > L.k)
            continue;       /* ingest stores ok answers with an option 1..K; anything else is not one */
        if (units == SD_SUBJECTS) {
            L.counts[hit->col * (size_t)(L.k + 1) + (size_t)o]++;
            continue;
        }
        if (L.n_cells && L.cells[L.n_cells - 1].col == hit->col && L.cells[L.n_cells - 1].rep == rep)
            continue;       /* a later answer to the same (item, rep): the first counts */
        if (L.n_cells == L.cap_cells) {
            size_t c = L.cap_cells ? 2 * L.cap_cells : 256;
            struct sd_cell *p = realloc(L.cells, c * sizeof *p);
            if (!p)
                goto oom;
            L.cells = p;
            L.cap_cells = c;
        }
        L.cells[L.n_cells++] = (struct sd_cell){ rep, hit->col, o };
    }
    if (store_step_done(st, rc) < 0)
        goto out;
    if (have && subject_done(&L, units, current) < 0)
        goto oom;
    ret = 0;
    goto out;
oom:
    diag_error("out of memory");
out:
    sqlite3_finalize(st);
    free(map);
    free(L.counts);
    free(L.cells);
    if (ret < 0)
        sd_matrix_free(m);
    return ret;
}
