/* reports/export.c -- the output of `psyfaith export TABLE` (options in cli/export.c): a normalised
 * table as CSV or JSONL on stdout, so that pandas, R and spreadsheets can take over.  JSONL of a
 * record table is the native record format, so an export ingests back into a fresh store as the same
 * rows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <csv.h>

#include "diag.h"
#include "reports/reports.h"
#include "store/store.h"
#include "util.h"

#define SUBJECT_COLS "s.model AS model, s.temperature AS temperature, s.persona AS persona"
#define SOURCE_COLS "src.path AS source, t.line AS line"
/* The experimental condition (NULL = baseline, written empty), the last CSV column of every table
 * with a subject: added in schema version 2, after the columns scripts already read by position. */
#define CONDITION_COL "s.condition AS condition"

/* csv_cols: how many leading columns CSV shows (0 = all); JSONL always has all, for round trips. */
static const struct table {
    const char *name, *type, *sql;
    int csv_cols;
} tables[] = {
    { "responses", "response",
      "SELECT " SUBJECT_COLS ", t.rep AS rep, n.name AS instrument, i.code AS item, i.dimension AS dimension, "
      "CASE i.key WHEN 1 THEN '+' ELSE '-' END AS key, t.answer AS answer, t.option AS option, t.score AS score, "
      "t.status AS status, " SOURCE_COLS ", " CONDITION_COL ", t.run AS run, "
      /* a permutation option_order cannot say is `options` ("3|1|2|5|4") instead, as ingest reads it back
       * (issue 14) */
      "CASE WHEN t.presented IS NULL THEN t.option_order END AS option_order, "
      "replace(t.presented, ',', '|') AS options, "
      /* the design factors (schema version 3), JSONL only: NULL ones are left out, a round trip keeps them */
      "d.template AS template, d.language AS language, d.variant AS variant "
      "FROM response t JOIN subject s ON s.id = t.subject_id JOIN item i ON i.id = t.item_id "
      "JOIN instrument n ON n.id = i.instrument_id JOIN source src ON src.id = t.source_id "
      "LEFT JOIN design d ON d.id = t.design_id ORDER BY t.id", 15 },
    /* issue 14 part 5: a response's option probabilities (table response_prob), one row per response
     * that had them; probs is the JSON array p(1..K) as given, ev/argmax/entropy (nats) of p renormalised */
    { "response_probs", NULL,
      "SELECT " SUBJECT_COLS ", t.rep AS rep, n.name AS instrument, i.code AS item, t.answer AS answer, "
      "t.option AS option, t.status AS status, p.probs AS probs, p.outside AS outside, p.ev AS ev, "
      "p.argmax AS argmax, p.entropy AS entropy, p.from_text AS from_text, " SOURCE_COLS ", " CONDITION_COL
      " FROM response_prob p JOIN response t ON t.id = p.response_id JOIN subject s ON s.id = t.subject_id "
      "JOIN item i ON i.id = t.item_id JOIN instrument n ON n.id = i.instrument_id "
      "JOIN source src ON src.id = t.source_id ORDER BY t.id", 0 },
    { "behaviors", "behavior",
      "SELECT " SUBJECT_COLS ", t.rep AS rep, t.run AS run, t.dimension AS dimension, t.occasion AS occasion, "
      "t.text AS text, t.probability AS probability, t.label AS label_predicted, " SOURCE_COLS ", " CONDITION_COL
      " FROM behavior t JOIN subject s ON s.id = t.subject_id JOIN source src ON src.id = t.source_id ORDER BY t.id", 0 },
    { "labeled_behaviors", "labeled_behavior",
      "SELECT t.dimension AS dimension, t.occasion AS occasion, CASE t.label WHEN 1 THEN 'y' ELSE 'n' END AS label, "
      "t.text AS text, " SOURCE_COLS " FROM labeled_behavior t JOIN source src ON src.id = t.source_id ORDER BY t.id", 0 },
    { "ultimatum", "ultimatum",
      "SELECT " SUBJECT_COLS ", t.rep AS rep, t.run AS run, t.trait AS trait, t.level AS level, t.offer AS offer, "
      "t.total AS total, CASE t.decision WHEN 1 THEN 'accept' WHEN 0 THEN 'reject' END AS decision, "
      "t.answer AS answer, t.status AS status, " SOURCE_COLS ", " CONDITION_COL
      " FROM ultimatum t JOIN subject s ON s.id = t.subject_id JOIN source src ON src.id = t.source_id ORDER BY t.id", 0 },
    { "milgram", "milgram",
      "SELECT " SUBJECT_COLS ", t.rep AS rep, t.run AS run, t.trait AS trait, t.level AS level, "
      "t.final_level AS final_level, t.max_level AS max_level, t.disobediences AS disobediences, "
      "t.filtered AS filtered, t.outcome AS outcome, " SOURCE_COLS ", " CONDITION_COL
      " FROM milgram t JOIN subject s ON s.id = t.subject_id JOIN source src ON src.id = t.source_id ORDER BY t.id", 0 },
    { "milgram_steps", "milgram_step",
      "SELECT " SUBJECT_COLS ", t.run AS run, t.trait AS trait, t.level AS level, t.step AS step, "
      "t.disobeyed AS disobeyed, " SOURCE_COLS ", " CONDITION_COL
      " FROM milgram_step t JOIN subject s ON s.id = t.subject_id JOIN source src ON src.id = t.source_id "
      "ORDER BY t.id", 0 },
    { "ultimatum_thresholds", "ultimatum_threshold",
      "SELECT " SUBJECT_COLS ", t.rep AS rep, t.run AS run, t.trait AS trait, t.level AS level, "
      "t.threshold AS threshold, t.total AS total, t.answer AS answer, t.status AS status, " SOURCE_COLS ", "
      CONDITION_COL " FROM ultimatum_threshold t JOIN subject s ON s.id = t.subject_id "
      "JOIN source src ON src.id = t.source_id ORDER BY t.id", 0 },
    /* the record type follows the game, so it is a column of the query */
    { "offers", NULL,
      "SELECT CASE t.game WHEN 'dictator' THEN 'dictator_offer' ELSE 'ultimatum_offer' END AS type, " SUBJECT_COLS
      ", t.rep AS rep, t.run AS run, t.trait AS trait, t.level AS level, t.amount AS offer, t.total AS total, "
      "t.answer AS answer, t.status AS status, " SOURCE_COLS ", " CONDITION_COL
      " FROM game_offer t JOIN subject s ON s.id = t.subject_id JOIN source src ON src.id = t.source_id "
      "ORDER BY t.id", 0 },
    { "subjects", NULL,
      "SELECT model, temperature, persona, persona_trait, persona_level, condition FROM subject ORDER BY id", 0 },
    { "sources", NULL, "SELECT path, sha256, format, lines, records, ingested_at, mapping FROM source ORDER BY id", 0 },
    { "items", NULL,
      "SELECT n.name AS instrument, i.code AS item, i.position AS position, i.dimension AS dimension, "
      "CASE i.key WHEN 1 THEN '+' ELSE '-' END AS key, i.text AS text "
      "FROM item i JOIN instrument n ON n.id = i.instrument_id ORDER BY n.name, i.position", 0 },
    { "norms", NULL,
      "SELECT instrument, dimension, population, n, mean, sd, alpha, source FROM norm ORDER BY id", 0 },
    { "rejects", NULL, "SELECT path, line, field, reason FROM reject ORDER BY id", 0 },
    { "crs", NULL,
      "SELECT " SUBJECT_COLS ", c.dimension AS dimension, c.method AS method, c.value AS value, c.n AS n, " CONDITION_COL
      " FROM crs c JOIN subject s ON s.id = c.subject_id ORDER BY s.id, c.dimension", 0 },
};

int csv_cell(FILE *fp, const char *s, int first)
{
    if (!first && fputc(',', fp) == EOF)
        return -1;
    /* libcsv quotes every cell; plain cells stay bare for readability */
    if (strpbrk(s, ",\"\r\n") || (s[0] == ' ' || (*s && s[strlen(s) - 1] == ' ')))
        return csv_fwrite(fp, s, strlen(s));
    return fputs(s, fp) < 0 ? -1 : 0;
}

static void cell_text(sqlite3_stmt *st, int i, char *num, size_t size, const char **out)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        *out = "";
        break;
    case SQLITE_FLOAT:
        format_double(num, size, sqlite3_column_double(st, i));
        *out = num;
        break;
    default:
        *out = (const char *)sqlite3_column_text(st, i);
    }
}

static int export_rows(sqlite3_stmt *st, const struct table *t, int jsonl)
{
    int ncol = sqlite3_column_count(st), rc;
    if (!jsonl && t->csv_cols)
        ncol = t->csv_cols;
    char num[40];
    if (!jsonl) {
        for (int i = 0; i < ncol; i++)
            csv_cell(stdout, sqlite3_column_name(st, i), i == 0);
        putchar('\n');
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!jsonl) {
            for (int i = 0; i < ncol; i++) {
                const char *s;
                cell_text(st, i, num, sizeof num, &s);
                if (!s)
                    return diag_error("out of memory");     /* sqlite3_column_text: SQLITE_NOMEM */
                csv_cell(stdout, s, i == 0);
            }
            putchar('\n');
            continue;
        }
        cJSON *o = cJSON_CreateObject();
        int ok = o != NULL;      /* every cJSON_Add* is checked: a NULL is a field left out */
        if (ok && t->type)
            ok = cJSON_AddStringToObject(o, "type", t->type) != NULL;
        for (int i = 0; ok && i < sqlite3_column_count(st); i++) {
            const char *name = sqlite3_column_name(st, i), *text;
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_NULL: ok = cJSON_AddNullToObject(o, name) != NULL; break;
            /* numbers are written here, not by cJSON: its %.15g check takes 0.30000000000000004 for
             * 0.3 (it compares within an epsilon), and an integer past 2^53 would lose digits */
            case SQLITE_INTEGER:
                snprintf(num, sizeof num, "%lld", (long long)sqlite3_column_int64(st, i));
                ok = cJSON_AddRawToObject(o, name, num) != NULL;
                break;
            case SQLITE_FLOAT: {
                double v = sqlite3_column_double(st, i);
                if (isfinite(v)) {
                    format_double(num, sizeof num, v);
                    ok = cJSON_AddRawToObject(o, name, num) != NULL;
                } else {
                    ok = cJSON_AddNullToObject(o, name) != NULL;  /* JSON has no infinity; SQLite stores no NaN */
                }
                break;
            }
            default:
                text = (const char *)sqlite3_column_text(st, i);    /* NULL here: SQLITE_NOMEM */
                ok = text && cJSON_AddStringToObject(o, name, text) != NULL;
            }
        }
        char *line = ok ? cJSON_PrintUnformatted(o) : NULL;
        cJSON_Delete(o);
        if (!line)
            return diag_error("out of memory");
        puts(line);
        cJSON_free(line);
    }
    if (rc != SQLITE_DONE)
        return diag_error("store: %s", sqlite3_errmsg(sqlite3_db_handle(st)));
    if (fflush(stdout) != 0 || ferror(stdout))
        return diag_error("cannot write the export (disk full or closed pipe?)");
    return 0;
}

const char *export_table_name(size_t i)
{
    return i < sizeof tables / sizeof tables[0] ? tables[i].name : NULL;
}

int export_table(sqlite3 *db, const char *name, int jsonl)
{
    const struct table *t = NULL;
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        if (strcmp(name, tables[i].name) == 0)
            t = &tables[i];
    if (!t)
        return diag_error("unknown table '%s' (see 'psyfaith export --help')", name);
    sqlite3_stmt *st = store_prepare(db, t->sql);
    int ret = st ? export_rows(st, t, jsonl) : -1;
    sqlite3_finalize(st);
    return ret;
}
