/* reports/out.h -- tidy output: CSV (quoted by libcsv) or an aligned table for a terminal
 *
 * Writes to stdout only.  out_row borrows its cells for the call: CSV writes them at once, a table
 * copies them into o->cells (owned) until out_end() prints and frees everything.  out_num writes
 * into the caller's buf and returns it.  0 / -1 after diag_error(). */
#ifndef PSYFAITH_OUT_H
#define PSYFAITH_OUT_H
#include <stddef.h>

enum out_format { OUT_CSV, OUT_TABLE };

/* "csv" or "table"; NULL chooses a table when stdout is a terminal, else CSV.  0 or -1. */
int out_format_parse(const char *name, enum out_format *fmt);

struct out {
    enum out_format fmt;
    size_t ncol, nrows, cap;
    char **cells;           /* table mode: buffered, row-major, owned */
};
/* Starts a table; CSV writes the header at once.  0 or -1. */
int out_begin(struct out *o, enum out_format fmt, const char *const *header, size_t ncol);
int out_row(struct out *o, const char *const *cells);   /* NULL cell = empty */
/* Prints a buffered table and releases everything; checks stdout for write errors.  0 or -1. */
int out_end(struct out *o);

/* A number for output: "" for NaN, else the shortest text that reads back as the same double. */
const char *out_num(char *buf, size_t size, double v);
#endif
