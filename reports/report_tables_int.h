/* reports/report_tables_int.h -- shared between report_tables.c and report_tables_data.c only;
 * not part of the API. */
#ifndef PSYFAITH_REPORT_TABLES_INT_H
#define PSYFAITH_REPORT_TABLES_INT_H

#include <stdio.h>

#include "reports/report.h"

extern const char *const report_dim_header;   /* the five dimensions' column heads, a LaTeX row */
/* A [H] booktabs table and its end with the note and footnotes; a NULL tex writes nothing (the
 * footnotes are still consumed). */
void report_table_begin(FILE *tex, const char *caption, const char *label, const char *cols);
void report_table_end(FILE *tex, struct footnotes *fn, const char *note);
/* paths[i] in LaTeX as a name that tells it apart from paths[0..n): whole when at most max bytes, else
 * the shortest tail of whole components no other path ends with (widened while it fits) after an
 * ellipsis; never cut at the end (reports/report_names.c). */
void report_source_name(FILE *tex, const char *const *paths, size_t n, size_t i, size_t max);

#endif
