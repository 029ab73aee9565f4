/* ingest/table.h -- small CSV tables with a header (item banks, norms), read whole through libcsv
 *
 * Errors: 0, or -1 after diag_at() printed NAME:LINE: what is wrong (a callback's -1 stops the
 * parse; it prints its own message).  The fields handed to the callback are borrowed: valid only
 * during that call, so the callback copies what it keeps.  No store: the caller binds the rows. */
#ifndef PSYFAITH_TABLE_H
#define PSYFAITH_TABLE_H
#include <stddef.h>

/* Called once per data row with the fields in the order of `columns`; returns 0 or -1 to stop. */
typedef int (*table_row_fn)(void *ctx, const char *const *fields, long line);

/* Parses `data` (name for messages) whose header must contain every one of `columns` (any order,
 * extra columns ignored).  0, or -1 after printing NAME:LINE: what is wrong. */
int table_parse(const char *name, const char *data, size_t len, const char *const *columns, size_t ncols,
                table_row_fn fn, void *ctx);
/* The same for a file on disk. */
int table_parse_file(const char *path, const char *const *columns, size_t ncols, table_row_fn fn, void *ctx);
#endif
