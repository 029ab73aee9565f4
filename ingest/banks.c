/* ingest/banks.c -- item banks and human norms: loading CSV tables into the store, and the item
 * text normalisation that matching a prompt's item to the bank relies on */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "ingest/ingest.h"
#include "ingest/table.h"
#include "store/store.h"
#include "util.h"

void item_text_normalise(const char *s, char *out)
{
    char *o = out;
    int space = 1;                      /* suppresses leading and repeated spaces */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned c = *p;
        /* apostrophes vanish so that "Don't", "Dont" and "Don’t" (U+2019) agree */
        if (c == '\'' || c == '`') 
            continue;
        if (c == 0xE2 && p[1] == 0x80 && (p[2] == 0x98 || p[2] == 0x99)) {
            p += 2;
            continue;
        }
        if (c < 0x80 && !isalnum(c)) {
            if (!space)
                *o++ = ' ';
            space = 1;
            continue;
        }
        *o++ = (char)(c < 0x80 ? tolower(c) : c);
        space = 0;
    }
    if (o > out && o[-1] == ' ')
        o--;
    *o = '\0';
    /* "You often feel blue" and "I often feel blue" are the bank's "Often feel blue". */
    static const char *const leads[] = { "you ", "i " };
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(leads[i]);
        if (strncmp(out, leads[i], n) == 0 && out[n]) {
            memmove(out, out + n, strlen(out + n) + 1);
            break;
        }
    }
}

struct bank_ctx {
    sqlite3 *db;
    const char *name;
    sqlite3_stmt *inst_find, *inst_add, *item_find, *item_add, *max_pos;
    /* instrument name -> the position of its next new item: asked of the store once per instrument
     * (max(position) has no index, so asking per item made a 20,000-item bank take 47 s) */
    struct strmap next_pos;
    long added, same;
};

/* A bind's result: 0, or -1 after naming the line and the field SQLite would not take (too big, no
 * memory); an unbound parameter would otherwise run as NULL. */
static int bound(const struct srcpos *pos, int rc, const char *field)
{
    return rc == SQLITE_OK ? 0 : diag_at(pos, "cannot store field %s: %s", field, sqlite3_errstr(rc));
}

static int64_t instrument_id(struct bank_ctx *b, const char *name, long line)
{
    struct srcpos pos = { b->name, line, 0, 0 };
    int64_t id = 0;
    if (bound(&pos, sqlite3_bind_text(b->inst_find, 1, name, -1, SQLITE_STATIC), "instrument") < 0)
        return -1;
    int rc = sqlite3_step(b->inst_find);
    if (rc == SQLITE_ROW)
        id = sqlite3_column_int64(b->inst_find, 0);
    sqlite3_reset(b->inst_find);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return diag_at(&pos, "cannot look up instrument '%s': %s", name, sqlite3_errmsg(b->db));
    if (id)
        return id;
    if (bound(&pos, sqlite3_bind_text(b->inst_add, 1, name, -1, SQLITE_STATIC), "instrument") < 0 ||
        bound(&pos, sqlite3_bind_text(b->inst_add, 2, b->name, -1, SQLITE_STATIC), "origin") < 0)
        return -1;
    rc = sqlite3_step(b->inst_add);
    sqlite3_reset(b->inst_add);
    if (rc != SQLITE_DONE)
        return diag_at(&pos, "cannot add instrument '%s': %s", name, sqlite3_errmsg(b->db));
    return sqlite3_last_insert_rowid(b->db);
}

static int bank_row(void *ctx, const char *const *f, long line)
{
    struct bank_ctx *b = ctx;
    struct srcpos pos = { b->name, line, 0, 0 };
    const char *inst = f[0], *code = f[1], *dim_name = f[2], *key_text = f[3], *text = f[4];
    int reverse, key;
    const char *dim = dimension_canonical(dim_name, &reverse);
    if (!*inst)
        return diag_at(&pos, "empty instrument name (field instrument)");
    if (!*code)
        return diag_at(&pos, "empty item id (field item)");
    if (!dim)
        return diag_at(&pos, "unknown dimension '%s' (field dimension)", dim_name);
    if (strcmp(key_text, "+") == 0 || strcmp(key_text, "1") == 0 || strcmp(key_text, "+1") == 0)
        key = 1;
    else if (strcmp(key_text, "-") == 0 || strcmp(key_text, "-1") == 0)
        key = -1;
    else
        return diag_at(&pos, "key must be + or -, found '%s' (field key)", key_text);
    if (reverse)
        key = -key;                     /* a neuroticism item is a reversed emotional-stability item */
    if (!*text)
        return diag_at(&pos, "empty item text (field text)");
    int64_t inst_id = instrument_id(b, inst, line);
    if (inst_id < 0)
        return -1;
    char *norm = malloc(strlen(text) + 1);
    if (!norm)
        return diag_error("out of memory");
    item_text_normalise(text, norm);

    int rc, ret = 0;
    if (bound(&pos, sqlite3_bind_int64(b->item_find, 1, inst_id), "instrument") < 0 ||
        bound(&pos, sqlite3_bind_text(b->item_find, 2, code, -1, SQLITE_STATIC), "item") < 0) {
        free(norm);
        return -1;
    }
    rc = sqlite3_step(b->item_find);
    if (rc == SQLITE_ROW) {
        const char *old_dim = store_col_text(b->item_find, 0), *old_text = store_col_text(b->item_find, 2);
        /* Loading a bank twice is harmless; changing an item under existing answers is not. */
        if (!old_dim || !old_text)      /* NOT NULL columns: NULL is SQLITE_NOMEM */
            ret = diag_error("out of memory");
        else if (strcmp(old_dim, dim) != 0 || sqlite3_column_int(b->item_find, 1) != key || strcmp(old_text, text) != 0)
            ret = diag_at(&pos, "item '%s' of '%s' is already loaded with another dimension, key or text", code,
                          inst);
        else
            b->same++;
        sqlite3_reset(b->item_find);
        free(norm);
        return ret;
    }
    sqlite3_reset(b->item_find);
    if (rc != SQLITE_DONE) {
        free(norm);
        return diag_at(&pos, "cannot look up item '%s': %s", code, sqlite3_errmsg(b->db));
    }
    int64_t position;
    if (!strmap_get(&b->next_pos, inst, &position)) {   /* asked of the store once per instrument */
        if (bound(&pos, sqlite3_bind_int64(b->max_pos, 1, inst_id), "instrument") < 0) {
            free(norm);
            return -1;
        }
        rc = sqlite3_step(b->max_pos);
        position = rc == SQLITE_ROW ? sqlite3_column_int64(b->max_pos, 0) + 1 : 0;
        sqlite3_reset(b->max_pos);
        if (rc != SQLITE_ROW) {
            free(norm);
            return diag_at(&pos, "cannot number item '%s': %s", code, sqlite3_errmsg(b->db));
        }
    }
    if (strmap_put(&b->next_pos, inst, position + 1) < 0) {
        free(norm);
        return diag_error("out of memory");
    }
    if (bound(&pos, sqlite3_bind_int64(b->item_add, 1, inst_id), "instrument") < 0 ||
        bound(&pos, sqlite3_bind_text(b->item_add, 2, code, -1, SQLITE_STATIC), "item") < 0 ||
        bound(&pos, sqlite3_bind_int64(b->item_add, 3, position), "position") < 0 ||
        bound(&pos, sqlite3_bind_text(b->item_add, 4, dim, -1, SQLITE_STATIC), "dimension") < 0 ||
        bound(&pos, sqlite3_bind_int(b->item_add, 5, key), "key") < 0 ||
        bound(&pos, sqlite3_bind_text(b->item_add, 6, text, -1, SQLITE_STATIC), "text") < 0 ||
        bound(&pos, sqlite3_bind_text(b->item_add, 7, norm, -1, SQLITE_STATIC), "text") < 0) {
        sqlite3_clear_bindings(b->item_add);
        free(norm);
        return -1;
    }
    rc = sqlite3_step(b->item_add);
    sqlite3_reset(b->item_add);
    free(norm);
    if (rc != SQLITE_DONE)
        return diag_at(&pos, "cannot add item '%s': %s", code, sqlite3_errmsg(b->db));
    b->added++;
    return 0;
}

static int load_table(sqlite3 *db, const char *name, const char *data, size_t len, int is_norms);

int banks_load_instruments(sqlite3 *db, const char *path)
{
    return load_table(db, path, NULL, 0, 0);
}

int banks_load_norms(sqlite3 *db, const char *path)
{
    return load_table(db, path, NULL, 0, 1);
}

int banks_load_instruments_data(sqlite3 *db, const char *name, const char *data, size_t len)
{
    return load_table(db, name, data, len, 0);
}

int banks_load_norms_data(sqlite3 *db, const char *name, const char *data, size_t len)
{
    return load_table(db, name, data, len, 1);
}

struct norm_ctx {
    sqlite3 *db;
    const char *name;
    sqlite3_stmt *add;
    long added;
};

/* An optional number: empty is NULL; anything else must parse. */
static int bind_optional_number(sqlite3_stmt *st, int i, const char *s, const struct srcpos *pos,
                                const char *field, double lo, double hi)
{
    double v;
    if (!*s)
        return bound(pos, sqlite3_bind_null(st, i), field);
    if (parse_double(s, &v) < 0)
        return diag_at(pos, "not a number: '%s' (field %s)", s, field);
    if (v < lo || v > hi)
        return diag_at(pos, "%s is out of range %g..%g (field %s)", s, lo, hi, field);
    return bound(pos, sqlite3_bind_double(st, i, v), field);
}

static int norm_row(void *ctx, const char *const *f, long line)
{
    struct norm_ctx *nc = ctx;
    struct srcpos pos = { nc->name, line, 0, 0 };
    int reverse;
    const char *dim = dimension_canonical(f[1], &reverse);
    if (!*f[0])
        return diag_at(&pos, "empty instrument name (field instrument)");
    if (!dim || reverse)
        return diag_at(&pos, "unknown dimension '%s' (field dimension; norms use EXT AGR CONS EMO OPEN)", f[1]);
    if (!*f[2])
        return diag_at(&pos, "empty population (field population)");
    if (!*f[7])
        return diag_at(&pos, "every norm needs its source (field source)");
    sqlite3_stmt *st = nc->add;
    if (bound(&pos, sqlite3_bind_text(st, 1, f[0], -1, SQLITE_STATIC), "instrument") < 0 ||
        bound(&pos, sqlite3_bind_text(st, 2, dim, -1, SQLITE_STATIC), "dimension") < 0 ||
        bound(&pos, sqlite3_bind_text(st, 3, f[2], -1, SQLITE_STATIC), "population") < 0 ||
        bind_optional_number(st, 4, f[3], &pos, "n", 1, 1e9) < 0 ||
        bind_optional_number(st, 5, f[4], &pos, "mean", -1e6, 1e6) < 0 ||
        bind_optional_number(st, 6, f[5], &pos, "sd", 1e-12, 1e6) < 0 ||
        bind_optional_number(st, 7, f[6], &pos, "alpha", -1e6, 1) < 0 ||
        bound(&pos, sqlite3_bind_text(st, 8, f[7], -1, SQLITE_STATIC), "source") < 0) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return -1;
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return diag_at(&pos, "cannot add norm: %s", sqlite3_errmsg(nc->db));
    nc->added++;
    return 0;
}

static int load_table(sqlite3 *db, const char *name, const char *data, size_t len, int is_norms)
{
    static const char *const bank_cols[] = { "instrument", "item", "dimension", "key", "text" };
    static const char *const norm_cols[] = { "instrument", "dimension", "population", "n", "mean", "sd", "alpha",
                                             "source" };
    struct bank_ctx b = { .db = db, .name = name };
    struct norm_ctx nc = { .db = db, .name = name };
    int ret = -1;
    if (!data && store_refuse_own_file(db, name, is_norms ? "a norms file" : "an item bank") < 0)
        return -1;
    if (store_begin(db) < 0)
        return -1;
    if (is_norms) {
        if (!(nc.add = store_prepare(db, "INSERT INTO norm(instrument, dimension, population, n, mean, sd, alpha, "
                                         "source) VALUES (?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT(instrument, "
                                         "dimension, population) DO UPDATE SET n=excluded.n, mean=excluded.mean, "
                                         "sd=excluded.sd, alpha=excluded.alpha, source=excluded.source")))
            goto out;
        ret = data ? table_parse(name, data, len, norm_cols, 8, norm_row, &nc)
                   : table_parse_file(name, norm_cols, 8, norm_row, &nc);
    } else {
        if (!(b.inst_find = store_prepare(db, "SELECT id FROM instrument WHERE name = ?1")) ||
            !(b.inst_add = store_prepare(db, "INSERT INTO instrument(name, origin) VALUES (?1, ?2)")) ||
            !(b.item_find = store_prepare(db, "SELECT dimension, key, text FROM item WHERE instrument_id = ?1 "
                                              "AND code = ?2")) ||
            !(b.item_add = store_prepare(db, "INSERT INTO item(instrument_id, code, position, dimension, key, text, "
                                             "norm_text) VALUES (?1,?2,?3,?4,?5,?6,?7)")) ||
            !(b.max_pos = store_prepare(db, "SELECT coalesce(max(position), 0) FROM item WHERE instrument_id = ?1")))
            goto out;
        ret = data ? table_parse(name, data, len, bank_cols, 5, bank_row, &b)
                   : table_parse_file(name, bank_cols, 5, bank_row, &b);
    }
out:
    sqlite3_finalize(b.inst_find);
    sqlite3_finalize(b.inst_add);
    sqlite3_finalize(b.item_find);
    sqlite3_finalize(b.item_add);
    sqlite3_finalize(b.max_pos);
    strmap_free(&b.next_pos);
    sqlite3_finalize(nc.add);
    if (ret < 0) {
        store_rollback(db);
        return -1;
    }
    if (store_commit(db) < 0)
        return -1;
    if (is_norms)
        diag_note("%s: %ld norm%s loaded", name, nc.added, nc.added == 1 ? "" : "s");
    else
        diag_note("%s: %ld item%s added%s", name, b.added, b.added == 1 ? "" : "s",
                  b.same ? " (the others were loaded already)" : "");
    return 0;
}
