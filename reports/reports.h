/* reports/reports.h -- everything that writes the store's contents out: export, reports */
#ifndef PSYFAITH_REPORTS_H
#define PSYFAITH_REPORTS_H
#include <stdio.h>

/* One CSV cell through libcsv's quoting; `first` = no leading comma. */
int csv_cell(FILE *fp, const char *s, int first);

int cmd_export(int argc, char **argv);
/* `psyfaith games ultimatum|milgram` (reports/cmd_games.c); returns the exit status 0, 1 or 2. */
int cmd_games(int argc, char **argv);
#endif
