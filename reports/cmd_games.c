/* reports/cmd_games.c -- `psyfaith games ultimatum|milgram`: options, then the rows that
 * metrics/games*.c computed, as tidy CSV or an aligned table.  report_games.c turns the same rows
 * into LaTeX tables and pgfplots figures. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "metrics/games.h"
#include "reports/reports.h"
#include "store/store.h"
#include "util.h"

#define GAMES_HEADER "analysis,model,trait,level,offer,term,value,ci_low,ci_high,df,p_value,n,note"

enum { N_COLS = 13 };

static const char *const header[N_COLS] = { "analysis", "model", "trait", "level", "offer", "term", "value",
                                            "ci_low", "ci_high", "df", "p_value", "n", "note" };

/* The 13 cells of a row as text; numbers go to bufs: CSV in the shortest form that reads back
 * exactly, a table to 4 significant digits. */
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
    cells[12] = r->note;
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

/* CSV (header GAMES_HEADER; model names defused) or an aligned table, numbers right-aligned. */
static int games_write(const struct games_rows *r, int table, FILE *fp)
{
    char bufs[6][40];
    const char *cells[N_COLS];
    int ret = 0;
    if (!table) {
        fputs(GAMES_HEADER "\n", fp);
        for (size_t i = 0; i < r->len && ret == 0; i++) {
            row_cells(&r->v[i], 0, bufs, cells);
            for (int c = 0; c < N_COLS && ret == 0; c++)
                ret = csv_put(fp, cells[c], c == 0, c == 1);
            if (fputc('\n', fp) == EOF)
                ret = -1;
        }
    } else {
        size_t width[N_COLS];
        for (int c = 0; c < N_COLS; c++)
            width[c] = strlen(header[c]);
        for (size_t i = 0; i < r->len; i++) {
            row_cells(&r->v[i], 1, bufs, cells);
            for (int c = 0; c < N_COLS; c++)
                if (strlen(cells[c]) > width[c])
                    width[c] = strlen(cells[c]);
        }
        for (size_t i = 0; i <= r->len; i++) {
            if (i == 0)
                memcpy(cells, header, sizeof cells);
            else
                row_cells(&r->v[i - 1], 1, bufs, cells);
            for (int c = 0; c < N_COLS - 1; c++)      /* numbers right-aligned, text left */
                fprintf(fp, c >= 6 && c <= 11 ? "%*s  " : "%-*s  ", (int)width[c], cells[c]);
            fprintf(fp, "%s\n", cells[N_COLS - 1]);
        }
    }
    if (fflush(fp) != 0 || ferror(fp) || ret != 0)
        return diag_error("cannot write the games output (disk full or closed pipe?)");
    return 0;
}

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: psyfaith games ultimatum|milgram [--format csv|table] [--db FILE] [--alpha A] [--human FILE]\n"
            "\n"
            "Ultimatum Game and Milgram analyses of persona-prompted models (Zakazov et al.), with a verdict\n"
            "per model and trait against human findings.  Output: tidy rows with the columns\n"
            "  " GAMES_HEADER "\n"
            "as CSV, or an aligned table (the default on a terminal).  A trial's condition is its record's\n"
            "trait and level, else its persona (agreeableness=7, AGR=max; baseline or none = baseline).\n"
            "Only parsed answers and unfiltered runs are analysed; the others are counted.\n"
            "\n"
            "ultimatum  ug_status (answers per parse status), ug_acceptance (rate + Wilson 95%% CI per\n"
            "           condition and offer; Fig. 3, 5), ug_human (baseline vs the human curve), ug_ols\n"
            "           (lm(y ~ 0 + factor(level) + o): theta_1..theta_9, theta_o, uncentred r2; Fig. 6),\n"
            "           ug_logit (the same as glm binomial), ug_trend (glm(y ~ level + o)), ug_monotonicity\n"
            "           (Spearman rho of theta_i rounded to 1e-10 so that equal cells tie, violations),\n"
            "           ug_offer_regression (rate ~ level per offer, r2; Fig. 7; a rate that is the same at\n"
            "           every level gives slope 0 with no p or r2), verdict\n"
            "milgram    me_summary (final level mean, sd, disobediences, filtered runs; Table 1), me_remaining\n"
            "           (%% of runs remaining at each level; Fig. 4, 8), me_human (Milgram 1963), me_welch\n"
            "           (Welch t-tests: persona vs baseline, a trait's extremes), me_cum_disobediences\n"
            "           (from milgram_step rows; Fig. 9), verdict\n"
            "\n"
            "  --format csv|table  output format (default: table on a terminal, else csv)\n"
            "  --db FILE           the store (default $PSYFAITH_DB or psyfaith.db)\n"
            "  --alpha A           significance level of the verdicts (default 0.05)\n"
            "  --human FILE        human reference table instead of the built-in one\n"
            "                      (columns experiment,measure,trait,x,count,n,value,citation)\n");
}

int cmd_games(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },    { "format", required_argument, NULL, 'f' },
        { "alpha", required_argument, NULL, 'a' }, { "human", required_argument, NULL, 'H' },
        { "help", no_argument, NULL, 'h' },        { 0 },
    };
    const char *db_opt = NULL, *format = NULL, *human = NULL;
    struct games_opts o = { .alpha = GAMES_ALPHA };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db_opt = optarg; break;
        case 'f': format = optarg; break;
        case 'H': human = optarg; break;
        case 'a':
            if (parse_double(optarg, &o.alpha) < 0 || !(o.alpha > 0.0 && o.alpha < 1.0)) {
                diag_error("--alpha must be a number between 0 and 1, got '%s'", optarg);
                return 2;
            }
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "table") != 0) {
        diag_error("--format must be csv or table, got '%s'", format);
        return 2;
    }
    if (optind + 1 != argc || (strcmp(argv[optind], "ultimatum") != 0 && strcmp(argv[optind], "milgram") != 0)) {
        if (optind < argc)
            diag_error("unknown games analysis '%s' (ultimatum or milgram)", argv[optind]);
        else
            diag_error("games needs one of: ultimatum, milgram (see 'psyfaith games --help')");
        return 2;
    }
    int table = format ? strcmp(format, "table") == 0 : isatty(fileno(stdout));
    int ultimatum = strcmp(argv[optind], "ultimatum") == 0;
    struct games_human h;
    struct games_rows rows = { 0 };
    if (games_human_load(human, &h) < 0)
        return 1;
    sqlite3 *db = store_open(store_path(db_opt), STORE_READ);
    int ret = -1;
    if (db) {
        ret = ultimatum ? games_ultimatum(db, &h, &o, &rows) : games_milgram(db, &h, &o, &rows);
        store_close(db);
    }
    if (ret == 0)
        ret = games_write(&rows, table, stdout);
    games_rows_free(&rows);
    games_human_free(&h);
    return ret < 0 ? 1 : 0;
}
