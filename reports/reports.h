/* reports/reports.h -- everything that writes the store's contents out: export, reports
 *
 * The reports/ module (this header, out.h, latex.h, report.h) is the one output layer.  It owns
 * every format a user reads: tidy rows as an aligned table or CSV on stdout (out.h), a table as
 * CSV or JSONL (export), LaTeX booktabs tables, pgfplots figures and the PDF through pdflatex
 * (report.h, latex.h).  It reads the store and what metrics/ computes from it (score_set,
 * faith_table, games_rows, audit_results) and never computes a statistic itself.
 * Output rules: every cell of input text goes through csv_defuse (CSV) or latex_text (LaTeX);
 * every double through out_num / format_double, so it reads back exactly; every file through
 * outfile.h (a temporary file renamed into place, so a failed run leaves the old files); stdout
 * is checked for write errors (out_end, and main for every command).
 * Errors: 0 / -1 after diag_error() printed why (csv_cell: -1 on a write error, no message; the
 * caller checks the stream).  Ownership: rows passed in are borrowed for the call (struct out
 * copies the cells it buffers); the FILE*s of report_open belong to the report's outdir. */
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
