/* reports/render_games.c -- `psyfaith games` output: the rows that metrics/games*.c computed, as tidy
 * CSV or an aligned table.  report_games.c turns the same rows into LaTeX tables and pgfplots figures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/games.h"
#include "reports/reports.h"
#include "reports/render.h"
#include "util.h"

enum { N_COLS = 14, C_NOTE = 12, C_COND = 13 };

static const char *const header[N_COLS] = { "analysis", "model", "trait", "level", "offer", "term", "value",
                                            "ci_low", "ci_high", "df", "p_value", "n", "note", "condition" };

/* The 14 cells of a row as text, in CSV order (condition last, so that scripts that read the
 * earlier columns by position keep working); numbers go to bufs: CSV in the shortest form that
 * reads back exactly, a table to 4 significant digits. */
static void row_cells(const struct games_row *r, int table, char bufs[6][40], const char *cells[N_COLS])
{
    const double nums[5] = { r->value, r->ci_low, r->ci_high, r->df, r->p_value };
    cells[0] = r->analysis;
    cells[1] = r->model;
    cells[2] = r->trait;
    cells[3] = r->level;
    cells[4] = r->offer;
    cells[5] = r->term;
    for (int i = 0; i < 5; i++) {
        if (isnan(nums[i]))
            bufs[i][0] = '\0';
        else if (table)
            snprintf(bufs[i], 40, "%.4g", nums[i]);
        else
            format_double(bufs[i], 40, nums[i]);
        cells[6 + i] = bufs[i];
    }
    if (r->n < 0)
        bufs[5][0] = '\0';
    else
        snprintf(bufs[5], 40, "%ld", r->n);
    cells[11] = bufs[5];
    cells[C_NOTE] = r->note;
    cells[C_COND] = r->condition;
    for (int i = 0; i < N_COLS; i++)
        if (!cells[i])
            cells[i] = "";
}

/* One CSV cell.  With defuse, a cell that a spreadsheet would run as a formula (= + - @ tab CR
 * first) gets a leading apostrophe (OWASP's advice), numbers or not: the model column is text. */
static int csv_put(FILE *fp, const char *s, int first, int defuse)
{
    char *d = NULL;
    int rc;
    if (defuse && s[0] != '\0' && strchr("=+-@\t\r", s[0])) {
        size_t n = strlen(s);
        if (!(d = malloc(n + 2))) {
            if (!first)
                fputc(',', fp);
            return -1;
        }
        d[0] = '\'';
        memcpy(d + 1, s, n + 1);
        s = d;
    }
    rc = csv_cell(fp, s, first);
    free(d);
    return rc;
}

/* A note longer than this that recurs (a citation in every offer's row) is printed in full once,
 * numbered, and later rows refer to it by number. */
#define LONG_NOTE 60

/* Table cells in reading order: the condition next to the model, the note last. */
static const int table_order[N_COLS] = { 0, 1, C_COND, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, C_NOTE };

/* The note cell of row i for the table: "[k] text" where a long note first appears, "see [k]"
 * where it recurs, else the note itself.  num[i] is the number of row i's long note (0 = none). */
static const char *table_note(const struct games_rows *r, size_t i, const size_t *num, const size_t *first,
                              char *buf, size_t size)
{
    const char *note = r->v[i].note ? r->v[i].note : "";
    if (!num[i])
        return note;
    if (first[i] == i)
        snprintf(buf, size, "[%zu] %s", num[i], note);
    else
        snprintf(buf, size, "see [%zu]", num[i]);
    return buf;
}

static int render_table(const struct games_rows *r, FILE *fp)
{
    char bufs[6][40], notebuf[1024];
    const char *cells[N_COLS];
    size_t width[N_COLS], *num = calloc(r->len + 1, sizeof *num), *first = calloc(r->len + 1, sizeof *first);
    size_t next = 0;
    if (!num || !first) {
        free(num);
        free(first);
        return diag_error("out of memory");
    }
    /* number the long notes that occur more than once (quadratic in the rows of one analysis run,
     * which is a few thousand at most) */
    for (size_t i = 0; i < r->len; i++) {
        const char *n = r->v[i].note;
        if (!n || strlen(n) <= LONG_NOTE || num[i])
            continue;
        for (size_t j = i + 1; j < r->len; j++)
            if (r->v[j].note && strcmp(r->v[j].note, n) == 0) {
                if (!num[i]) {
                    num[i] = ++next;
                    first[i] = i;
                }
                num[j] = num[i];
                first[j] = i;
            }
    }
    for (int c = 0; c < N_COLS; c++)
        width[c] = strlen(header[c]);
    for (size_t i = 0; i < r->len; i++) {
        row_cells(&r->v[i], 1, bufs, cells);
        cells[C_NOTE] = table_note(r, i, num, first, notebuf, sizeof notebuf);
        for (int c = 0; c < N_COLS; c++)
            if (strlen(cells[c]) > width[c])
                width[c] = strlen(cells[c]);
    }
    for (size_t i = 0; i <= r->len; i++) {
        if (i == 0) {
            memcpy(cells, header, sizeof cells);
        } else {
            row_cells(&r->v[i - 1], 1, bufs, cells);
            cells[C_NOTE] = table_note(r, i - 1, num, first, notebuf, sizeof notebuf);
        }
        for (int o = 0; o < N_COLS - 1; o++) {     /* numbers right-aligned, text left */
            int c = table_order[o];
            fprintf(fp, c >= 6 && c <= 11 ? "%*s  " : "%-*s  ", (int)width[c], cells[c]);
        }
        fprintf(fp, "%s\n", cells[C_NOTE]);
    }
    free(num);
    free(first);
    return 0;
}

/* CSV (header GAMES_HEADER; model names defused) or an aligned table, numbers right-aligned. */
int render_games(const struct games_rows *r, int table, FILE *fp)
{
    char bufs[6][40];
    const char *cells[N_COLS];
    int ret = 0;
    if (!table) {
        fputs(GAMES_HEADER "\n", fp);
        for (size_t i = 0; i < r->len && ret == 0; i++) {
            row_cells(&r->v[i], 0, bufs, cells);
            for (int c = 0; c < N_COLS && ret == 0; c++)
                ret = csv_put(fp, cells[c], c == 0, c == 1 || c == C_COND);
            if (fputc('\n', fp) == EOF)
                ret = -1;
        }
    } else {
        ret = render_table(r, fp);
    }
    if (fflush(fp) != 0 || ferror(fp) || ret != 0)
        return diag_error("cannot write the games output (disk full or closed pipe?)");
    return 0;
}
