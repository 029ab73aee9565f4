/* ingest/writer_bulk.c -- the writing side's part in a bulk load (store_bulk_begin): which files
 * get one, and the check of the rows' references that stands in for the foreign keys, which a
 * bulk load turns off.  The per-file transaction that uses them is in writer.c. */
#include <sys/stat.h>

#include "diag.h"
#include "ingest/ingest_internal.h"
#include "store/store.h"

/* Whether the file is worth the store's bulk mode (store_bulk_begin): a regular file of more than
 * one read.  Not standard input or a --jq pipe, which may be slow and would keep readers out of the
 * store for as long as they stream, nor a small file, where switching the journal costs more. */
int ingest_wants_bulk(const struct ingest *ig, int fd)
{
    struct stat sb;
    return !ig->map->jq && !ig->is_stdin && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
           sb.st_size > (off_t)INGEST_CHUNK;
}

/* 1 when `SELECT 1 FROM table WHERE id = ?` finds id, 0 when not, -1 after printing why. */
static int row_exists(struct ingest *ig, sqlite3_stmt *st, int64_t id)
{
    int rc = sqlite3_bind_int64(st, 1, id);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return diag_error("store: '%s': cannot check the rows' references: %s", ig->path, sqlite3_errmsg(ig->db));
    return rc == SQLITE_ROW;
}

/* A bulk load runs with foreign keys off (the checks are a tenth of its time), so this stands in
 * for them, from the loader's own id maps: every row refers to this file's source, to a subject
 * of ig->subjects (found or made in this transaction) and, for a response, to an item of
 * ig->item_used.  Each distinct id is looked up once, inside the transaction: the item banks were
 * read before it began, and another process may have removed an item since.  0, or -1 after
 * printing which reference is missing (the caller then rolls the file back). */
int ingest_check_references(struct ingest *ig)
{
    static const char *const sql[] = { "SELECT 1 FROM source WHERE id = ?1", "SELECT 1 FROM subject WHERE id = ?1",
                                       "SELECT 1 FROM item WHERE id = ?1" };
    sqlite3_stmt *st[3] = { NULL, NULL, NULL };
    int ret = -1, found;
    for (int i = 0; i < 3; i++)
        if (!(st[i] = store_prepare(ig->db, sql[i])))
            goto out;
    if ((found = row_exists(ig, st[0], ig->source_id)) <= 0) {
        if (found == 0)
            diag_error("store: '%s': the file's source row %lld is missing", ig->path, (long long)ig->source_id);
        goto out;
    }
    for (size_t j = 0; j < ig->subjects.cap; j++)
        if (ig->subjects.keys[j] && (found = row_exists(ig, st[1], ig->subjects.vals[j])) <= 0) {
            if (found == 0)
                diag_error("store: '%s': subject %lld, which rows of the file refer to, is missing", ig->path,
                           (long long)ig->subjects.vals[j]);
            goto out;
        }
    for (size_t id = 1; id < ig->n_item_info; id++)
        if (ig->item_used[id] && (found = row_exists(ig, st[2], (int64_t)id)) <= 0) {
            if (found == 0)
                diag_error("store: '%s': item %zu, which rows of the file refer to, is no longer in the store "
                           "(removed while the file was read)", ig->path, id);
            goto out;
        }
    ret = 0;
out:
    for (int i = 0; i < 3; i++)
        sqlite3_finalize(st[i]);
    return ret;
}
