/* metrics/games_outcome.c -- `psyfaith games milgram`: the runs of one model counted by their
 * recorded outcome (milgram.outcome, e.g. llm-milgram's frame_break or attrition_invalid), so that
 * what was filtered out, and why, is in the rows and the report ("filtered: frame_break 3,
 * attrition_invalid 2").  Runs without an outcome are counted by me_summary's filtered_runs only. */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "metrics/games_int.h"
#include "store/store.h"

/* Rows me_filtered and me_kept of one model x condition block (the caller sets the rows' condition):
 * term = the outcome, value = its runs; filtered before kept, the most frequent outcome first; n = all
 * runs of the block, with or without an outcome. */
static const char outcome_sql[] =
    "SELECT outcome, filtered, k, total FROM ("
    "  SELECT m.outcome AS outcome, m.filtered AS filtered, count(*) AS k,"
    "         (SELECT count(*) FROM milgram m2 JOIN subject s2 ON s2.id = m2.subject_id"
    "          WHERE s2.model = ?1 AND s2.condition IS ?2) AS total"
    "  FROM milgram m JOIN subject s ON s.id = m.subject_id"
    "  WHERE s.model = ?1 AND s.condition IS ?2 AND m.outcome IS NOT NULL"
    "  GROUP BY m.outcome, m.filtered)"
    " ORDER BY filtered DESC, k DESC, outcome";

int games_milgram_outcomes(sqlite3 *db, const char *model, const char *condition, struct games_rows *out)
{
    sqlite3_stmt *st = store_prepare(db, outcome_sql);
    int rc, ret = -1;
    if (!st)
        return -1;
    if (store_bind_text(st, 1, model) < 0 || store_bind_text(st, 2, condition) < 0)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *outcome = store_col_text(st, 0);
        int filtered = sqlite3_column_int(st, 1);
        char note[512];
        if (condition)
            snprintf(note, sizeof note, "condition %.200s: %s runs with this outcome (n = all runs of the condition)",
                     condition, filtered ? "filtered" : "kept");
        else
            snprintf(note, sizeof note, "baseline: %s runs with this outcome (n = all baseline runs)",
                     filtered ? "filtered" : "kept");
        struct games_key k = { filtered ? "me_filtered" : "me_kept", model, NULL, NULL, NULL };
        if (games_emit_value(out, &k, outcome, (double)sqlite3_column_int64(st, 2), (long)sqlite3_column_int64(st, 3),
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
