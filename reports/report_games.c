/* reports/report_games.c -- the games parts of `psyfaith report` (Zakazov et al.,
 * ../shared/papers/social-alignment.txt): the verdict table (RQ1/RQ2), the Ultimatum Game's
 * Theta table and Figures 3, 5, 6, 7, the Milgram experiment's Table 1 and Figures 4/8 and 9, and the
 * strategy-method and proposer parts (report_games_strategy.c).
 *
 * The numbers are the rows of metrics/games*.c, the same that `psyfaith games` prints: each part's
 * CSV carries them with every digit, the LaTeX rounds them.  Written only when the store has
 * ultimatum or milgram records; `--only games` selects every games part.
 *
 * This file: the entry point, and the rows and writers the parts share (report_games_int.h);
 * the parts are in report_games_verdict.c, report_games_ug.c and report_games_milgram.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "reports/report_games_int.h"
#include "store/store.h"

const char *const rg_palette[12] = { "blue",       "red",   "green!50!black", "orange", "violet",
                                     "cyan!60!black", "brown", "magenta",      "olive",  "teal",
                                     "gray",       "pink!80!black" };

/* ---------- rows ---------- */

int rg_has_analysis(const struct games_rows *r, const char *analysis)
{
    for (size_t i = 0; i < r->len; i++)
        if (strcmp(r->v[i].analysis, analysis) == 0)
            return 1;
    return 0;
}

/* Which traits have rows of `analysis` (for `model`, or any when NULL); returns how many. */
size_t rg_traits_of(const struct games_rows *r, const char *analysis, const char *model,
                    int present[GAMES_N_TRAITS])
{
    size_t n = 0;
    memset(present, 0, GAMES_N_TRAITS * sizeof *present);
    for (size_t i = 0; i < r->len; i++) {
        const struct games_row *x = &r->v[i];
        if (strcmp(x->analysis, analysis) != 0 || !x->trait || (model && !same(x->model, model)))
            continue;
        for (int t = 0; t < GAMES_N_TRAITS; t++)
            if (strcmp(x->trait, games_traits[t]) == 0 && !present[t]) {
                present[t] = 1;
                n++;
            }
    }
    return n;
}

/* Models with rows of `analysis`, in the report's model order, at most MAX_MODELS; *all = how many. */
size_t rg_models_of(const struct games_data *g, const struct games_rows *r, const char *analysis,
                    const char *m[MAX_MODELS], size_t *all)
{
    size_t n = 0;
    *all = 0;
    for (size_t k = 0; k < g->n_models; k++) {
        int has = 0;
        for (size_t i = 0; i < r->len && !has; i++)
            has = strcmp(r->v[i].analysis, analysis) == 0 && same(r->v[i].model, g->models[k]);
        if (!has)
            continue;
        if (n < MAX_MODELS)
            m[n++] = g->models[k];
        ++*all;
    }
    return n;
}

static int add_model(struct games_data *g, const char *model)
{
    if (!model)
        return 0;
    for (size_t i = 0; i < g->n_models; i++)
        if (strcmp(g->models[i], model) == 0)
            return 0;
    g->n_all_models++;
    if (g->n_models < sizeof g->models / sizeof g->models[0])
        g->models[g->n_models++] = model;
    return 0;
}

/* An offer cell as a number for an x axis: "4" -> 4, "4/8" -> 50 (% of the total, *pct set). */
double rg_offer_x(const char *offer, int *pct)
{
    char *end;
    double o = strtod(offer ? offer : "", &end);
    if (*end == '/') {
        double t = strtod(end + 1, NULL);
        *pct = 1;
        return t > 0 ? 100.0 * o / t : NAN;
    }
    return o;
}

/* ---------- shared writers ---------- */

/* Text longer than latex_text's cut-off (a citation), written in pieces between spaces. */
void rg_latex_long(FILE *tex, const char *s)
{
    char piece[LATEX_MAX_TEXT + 1];
    while (s && *s) {
        size_t n = strlen(s) < LATEX_MAX_TEXT / 2 ? strlen(s) : LATEX_MAX_TEXT / 2;  /* bytes <= chars */
        if (s[n]) {
            size_t sp = n;
            while (sp > 0 && s[sp] != ' ')
                sp--;
            if (sp > 0)
                n = sp + 1;
            else
                while (s[n] && ((unsigned char)s[n] & 0xC0) == 0x80)
                    n++;                               /* never split a UTF-8 character */
        }
        memcpy(piece, s, n);
        piece[n] = '\0';
        latex_text(tex, piece);
        s += n;
    }
}


/* A model name, cut to MODEL_CHARS characters with an ellipsis, escaped. */
void rg_latex_model(FILE *tex, const char *model)
{
    char buf[4 * MODEL_CHARS + 1];
    size_t i = 0, chars = 0;
    while (model[i] && chars < MODEL_CHARS) {
        size_t len = 1;
        while (model[i + len] && ((unsigned char)model[i + len] & 0xC0) == 0x80)
            len++;
        memcpy(buf + i, model + i, len);
        i += len;
        chars++;
    }
    buf[i] = '\0';
    latex_text(tex, buf);
    if (model[i])
        fputs("\\ldots{}", tex);
}

void rg_csv_header(FILE *csv)
{
    if (csv)
        fputs("analysis,model,trait,level,offer,term,value,ci_low,ci_high,df,p_value,n,note,condition\n", csv);
}

/* A games row in the columns of `psyfaith games --format csv`. */
void rg_csv_row(FILE *csv, const struct games_row *r)
{
    if (!csv)
        return;
    csv_text(csv, r->analysis, 1);
    csv_text(csv, r->model, 0);
    csv_text(csv, r->trait, 0);
    csv_text(csv, r->level, 0);
    csv_text(csv, r->offer, 0);
    csv_text(csv, r->term, 0);
    csv_number(csv, r->value, 0);
    csv_number(csv, r->ci_low, 0);
    csv_number(csv, r->ci_high, 0);
    csv_number(csv, r->df, 0);
    csv_number(csv, r->p_value, 0);
    csv_number(csv, r->n < 0 ? NAN : (double)r->n, 0);
    csv_text(csv, r->note, 0);
    csv_text(csv, r->condition, 0);
    csv_end(csv);
}

/* Every row of `analysis` (and of `model` when not NULL) to the CSV. */
void rg_csv_rows(FILE *csv, const struct games_rows *r, const char *analysis, const char *model)
{
    for (size_t i = 0; csv && i < r->len; i++)
        if (strcmp(r->v[i].analysis, analysis) == 0 && (!model || same(r->v[i].model, model)))
            rg_csv_row(csv, &r->v[i]);
}

/* In a caption or under a table of the paper's analyses, when the store has experimental conditions:
 * say that only the baseline condition is shown, and where the conditions are. */
void rg_condition_note(FILE *tex, const struct games_data *g, int milgram)
{
    const struct games_rows *r = milgram ? &g->me_cond : &g->ug_cond;
    if (!tex || r->len == 0)
        return;
    fprintf(tex, " Only the %s without an experimental condition; each condition is in games\\_conditions.",
            milgram ? "runs" : "trials");
}

/* $p = 0.012$ or $p < 0.001$, with at least 3 decimals. */
void rg_latex_p(FILE *tex, double p, int digits)
{
    int d = digits > 3 ? digits : 3;
    if (p < pow(10.0, -d))
        fprintf(tex, "$p<%.*f$", d, pow(10.0, -d));
    else
        fprintf(tex, "$p=%.*f$", d, p);
}

void rg_truncation_note(FILE *tex, size_t shown, size_t all, const char *part)
{
    if (all > shown) {
        fprintf(tex, " Only the first %zu of %zu models are shown; ", shown, all);
        latex_text(tex, part);
        fputs(".csv has them all.", tex);
    }
}

/* A groupplot of n subplots, two a row (one when n = 1), in a figure of its own. */
void rg_group_begin(FILE *tex, size_t n, const char *opts)
{
    size_t cols = n < 2 ? 1 : 2, rows = (n + cols - 1) / cols;
    fprintf(tex, "\\begin{figure}[H]\n\\centering\n\\begin{tikzpicture}\n\\begin{groupplot}[group style={group "
                 "size=%zu by %zu, horizontal sep=1.6cm, vertical sep=1.9cm}, width=%s, height=%s, title "
                 "style={font=\\small}, label style={font=\\small}, tick label style={font=\\scriptsize}, %s]\n",
            cols, rows, cols == 1 ? "0.62\\linewidth" : "0.47\\linewidth", rows > 2 ? "4.4cm" : "5.2cm", opts);
}

void rg_group_end(FILE *tex)
{
    fputs("\\end{groupplot}\n\\end{tikzpicture}\n", tex);
}

/* The one legend of a groupplot sits under the first subplot of its last row (0-based index), in
 * `columns` columns, so that it spans the row and no later subplot covers it. */
size_t rg_legend_plot(size_t n)
{
    size_t cols = n < 2 ? 1 : 2;
    return (n - 1) / cols * cols;
}

const char *rg_legend_opts(size_t n, int columns, char *buf, size_t size)
{
    snprintf(buf, size, ", legend style={font=\\scriptsize, draw=none, at={(0,-0.3)}, anchor=north west, "
             "legend cell align=left, /tikz/every even column/.append style={column sep=0.35cm}}, legend columns=%d",
             n < 2 ? (columns > 2 ? 2 : columns) : columns);
    return buf;
}

/* A legend entry of its own (the plots themselves are drawn with `forget plot`). */
void rg_legend_entry(FILE *tex, const char *style, const char *model, const char *text)
{
    fprintf(tex, "\\addlegendimage{%s}\n\\addlegendentry{", style);
    if (model)
        rg_latex_model(tex, model);
    if (text)
        fputs(text, tex);
    fputs("}\n", tex);
}

/* The longest model name (in characters, up to MODEL_CHARS) among rows of `analysis`: tables with
 * long names are set a size smaller so that they keep to the text width. */
size_t rg_longest_model(const struct games_rows *r, const char *analysis)
{
    size_t best = 0;
    for (size_t i = 0; i < r->len; i++) {
        const char *m = r->v[i].model;
        size_t n = 0;
        if (!m || strcmp(r->v[i].analysis, analysis) != 0)
            continue;
        for (; *m; m++)
            n += ((unsigned char)*m & 0xC0) != 0x80;
        if (n > best)
            best = n;
    }
    return best < MODEL_CHARS ? best : MODEL_CHARS;
}
void rg_tab_open(struct tab *t)
{
    fprintf(t->tex, "\\begin{table}[H]\n\\centering%s\n", t->size);
    if (t->total)
        fprintf(t->tex, "\\caption{%s (continued)}\n", t->title);
    else
        fprintf(t->tex, "\\caption{%s}\n\\label{tab:psyfaith-%s}\n", t->caption, t->label);
    fprintf(t->tex, "\\begin{tabular}{%s}\n\\toprule\n%s\\midrule\n", t->cols, t->head);
    t->lines = 0;
}

/* Call before each body line; 1 when it starts a new float (repeat a group heading then). */
int rg_tab_line(struct tab *t)
{
    int fresh = 0;
    if (t->lines == TABLE_LINES) {
        fputs("\\bottomrule\n\\end{tabular}\n\\end{table}\n", t->tex);
        rg_tab_open(t);
        fresh = 1;
    }
    t->lines++;
    t->total++;
    return fresh;
}


/* ---------- the entry point ---------- */

static int store_has(sqlite3 *db, const char *table)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT EXISTS (SELECT 1 FROM %s)", table);
    sqlite3_stmt *st = store_prepare(db, sql);
    int has = -1;
    if (st) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            has = sqlite3_column_int(st, 0);
        else
            diag_error("store: %s", rc == SQLITE_DONE ? "no answer to EXISTS" : sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return has;
}

static int wanted(const struct report_ctx *c, const char *part)
{
    return report_wanted(c, part) || report_wanted(c, "games");
}

static const char *const ug_parts[] = { "ug_theta", "fig_ug_theta", "fig_ug_acceptance", "fig_ug_offer_r2",
                                        "fig_ug_baseline" };
static const char *const me_parts[] = { "me_summary", "fig_me_remaining", "fig_me_disobediences" };
static const char *const both_parts[] = { "games_conditions", "games_not_analysed" };

/* Moves the rows with a condition from *all to *cond, order kept: the parts of the paper's tables
 * and figures show the baseline condition. */
static int split_conditions(struct games_rows *all, struct games_rows *cond)
{
    size_t keep = 0;
    for (size_t i = 0; i < all->len; i++) {
        if (!all->v[i].condition) {
            all->v[keep++] = all->v[i];
            continue;
        }
        if (cond->len == cond->cap) {
            size_t cap = cond->cap ? 2 * cond->cap : 64;
            struct games_row *v = realloc(cond->v, cap * sizeof *v);
            if (!v) {                    /* put the rest back in order so that all is freed whole */
                memmove(all->v + keep, all->v + i, (all->len - i) * sizeof *all->v);
                all->len = keep + all->len - i;
                return diag_error("out of memory");
            }
            cond->v = v;
            cond->cap = cap;
        }
        cond->v[cond->len++] = all->v[i];
    }
    all->len = keep;
    return 0;
}

static const char *const st_parts[] = { "strategy_summary", "fig_ug_threshold_curve", "fig_ug_offers" };

int report_games(struct report_ctx *c)
{
    struct games_data g = { 0 };
    const struct games_opts o = { .alpha = GAMES_ALPHA };
    int want_ug = wanted(c, "games_verdict"), want_me = want_ug, ret = -1;
    for (size_t i = 0; i < sizeof ug_parts / sizeof ug_parts[0]; i++)
        want_ug |= wanted(c, ug_parts[i]);
    for (size_t i = 0; i < sizeof me_parts / sizeof me_parts[0]; i++)
        want_me |= wanted(c, me_parts[i]);
    for (size_t i = 0; i < sizeof both_parts / sizeof both_parts[0]; i++)
        if (wanted(c, both_parts[i]))
            want_ug = want_me = 1;
    int has_ug = want_ug ? store_has(c->db, "ultimatum") : 0, has_me = want_me ? store_has(c->db, "milgram") : 0;
    int want_st = 0, has_st = 0;
    for (size_t i = 0; i < sizeof st_parts / sizeof st_parts[0]; i++)
        want_st |= wanted(c, st_parts[i]);
    if (want_st) {
        int t = store_has(c->db, "ultimatum_threshold"), of = t < 0 ? -1 : store_has(c->db, "game_offer");
        has_st = t < 0 || of < 0 ? -1 : t || of;
    }
    if (has_ug < 0 || has_me < 0 || has_st < 0)
        return -1;
    if (!has_ug && !has_me && !has_st)
        return 0;
    if (games_human_load(NULL, &g.h) < 0)
        return -1;
    if ((has_ug && games_ultimatum(c->db, &g.h, &o, &g.ug) < 0) ||
        (has_me && games_milgram(c->db, &g.h, &o, &g.me) < 0) ||
        (has_st && games_strategy(c->db, &g.h, &o, &g.st) < 0))
        goto out;
    for (size_t i = 0; i < g.ug.len; i++)
        add_model(&g, g.ug.v[i].model);
    for (size_t i = 0; i < g.me.len; i++)
        add_model(&g, g.me.v[i].model);
    if (split_conditions(&g.ug, &g.ug_cond) < 0 || split_conditions(&g.me, &g.me_cond) < 0)
        goto out;
    if ((wanted(c, "games_verdict") && (has_ug || has_me) && rg_part_verdict(c, &g) < 0) ||
        (wanted(c, "ug_theta") && rg_part_ug_theta(c, &g) < 0) ||
        (wanted(c, "fig_ug_theta") && rg_part_fig_ug_theta(c, &g) < 0) ||
        (wanted(c, "fig_ug_acceptance") && rg_part_fig_ug_acceptance(c, &g) < 0) ||
        (wanted(c, "fig_ug_offer_r2") && rg_part_fig_ug_offer_r2(c, &g) < 0) ||
        (wanted(c, "fig_ug_baseline") && rg_part_fig_ug_baseline(c, &g) < 0) ||
        (wanted(c, "me_summary") && rg_part_me_summary(c, &g) < 0) ||
        (wanted(c, "fig_me_remaining") && rg_part_me_curves(c, &g, "fig_me_remaining", "me_remaining") < 0) ||
        (wanted(c, "fig_me_disobediences") &&
         rg_part_me_curves(c, &g, "fig_me_disobediences", "me_cum_disobediences") < 0) ||
        (wanted(c, "games_conditions") && rg_part_conditions(c, &g) < 0) ||
        (wanted(c, "games_not_analysed") && rg_part_not_analysed(c, &g) < 0) ||
        (wanted(c, "strategy_summary") && rg_part_strategy_summary(c, &g) < 0) ||
        (wanted(c, "fig_ug_threshold_curve") && rg_part_fig_ug_threshold_curve(c, &g) < 0) ||
        (wanted(c, "fig_ug_offers") && rg_part_fig_ug_offers(c, &g) < 0))
        goto out;
    ret = 0;
out:
    games_rows_free(&g.ug);
    games_rows_free(&g.me);
    games_rows_free(&g.ug_cond);
    games_rows_free(&g.me_cond);
    games_rows_free(&g.st);
    games_human_free(&g.h);
    return ret;
}