/* metrics/games_outcome.c -- `psyfaith games milgram`: the runs of one model counted by their
 * recorded outcome (milgram.outcome, e.g. llm-milgram's frame_break or attrition_invalid), so that
 * what was filtered out, and why, is in the rows and the report ("filtered: frame_break 3,
 * attrition_invalid 2").  Runs without an outcome are counted by me_summary's filtered_runs only. */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "metrics/games_int.h"
#include "store/store.h"

/* Rows me_filtered and me_kept: term = the outcome, value = its runs.  Per condition (NULL = baseline
 * first), filtered before kept, the most frequent outcome first; n = all runs of the condition, with
 * or without an outcome. */
static const char outcome_sql[] =
    "SELECT condition, outcome, filtered, k, total FROM ("
    "  SELECT s.condition AS condition, m.outcome AS outcome, m.filtered AS filtered, count(*) AS k,"
    "         (SELECT count(*) FROM milgram m2 JOIN subject s2 ON s2.id = m2.subject_id"
    "          WHERE s2.model = ?1 AND s2.condition IS s.condition) AS total"
    "  FROM milgram m JOIN subject s ON s.id = m.subject_id"
    "  WHERE s.model = ?1 AND m.outcome IS NOT NULL"
    "  GROUP BY s.condition, m.outcome, m.filtered)"
    " ORDER BY condition IS NOT NULL, condition, filtered DESC, k DESC, outcome";

int games_milgram_outcomes(sqlite3 *db, const char *model, struct games_rows *out)
{
    sqlite3_stmt *st = store_prepare(db, outcome_sql);
    int rc, ret = -1;
    if (!st)
        return -1;
    if (store_bind_text(st, 1, model) < 0)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *cond = store_col_text(st, 0), *outcome = store_col_text(st, 1);
        int filtered = sqlite3_column_int(st, 2);
        char note[512];
        if (cond)
            snprintf(note, sizeof note, "condition %.200s: %s runs with this outcome (n = all runs of the condition)",
                     cond, filtered ? "filtered" : "kept");
        else
            snprintf(note, sizeof note, "baseline: %s runs with this outcome (n = all baseline runs)",
                     filtered ? "filtered" : "kept");
        struct games_key k = { filtered ? "me_filtered" : "me_kept", model, NULL, NULL, NULL };
        if (games_emit_value(out, &k, outcome, (double)sqlite3_column_int64(st, 3), (long)sqlite3_column_int64(st, 4),
                             note) < 0)
            goto out;
    }
    if (rc != SQLITE_DONE) {
        diag_error("store: %s", sqlite3_errmsg(db));
        goto out;
    }
    ret = 0;
out:
    sqlite3_finalize(st);
    return ret;
}
