/* reports/reports.h -- everything that writes the store's contents out: export, reports */
#ifndef PSYFAITH_REPORTS_H
#define PSYFAITH_REPORTS_H
#include <stddef.h>
#include <stdio.h>
#include <sqlite3.h>

/* One CSV cell through libcsv's quoting; `first` = no leading comma. */
int csv_cell(FILE *fp, const char *s, int first);

/* `psyfaith export` (reports/export.c): the i-th table it knows (NULL past the last), and one table
 * of db written to stdout as CSV or (jsonl) JSONL; -1 after a diagnostic. */
const char *export_table_name(size_t i);
int export_table(sqlite3 *db, const char *name, int jsonl);
#endif
