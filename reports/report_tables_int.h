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

#endif
