/* reports/report_games.c -- the games parts of `psyfaith report` (Zakazov et al.,
 * ../shared/papers/social-alignment.txt): the verdict table (RQ1/RQ2), the Ultimatum Game's
 * Theta table and Figures 3, 5, 6, 7, the Milgram experiment's Table 1 and Figures 4/8 and 9.
 *
 * The numbers are the rows of metrics/games*.c, the same that `psyfaith games` prints: each part's
 * CSV carries them with every digit, the LaTeX rounds them.  Written only when the store has
 * ultimatum or milgram records; `--only games` selects every games part. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/games.h"
#include "reports/latex.h"
#include "reports/report.h"
#include "store/store.h"

#define MAX_MODELS 12      /* models in one figure; the CSV has them all */
#define MAX_CONDS 24       /* Milgram conditions (trait x level) told apart by colour */

/* Series colours (pgf colour expressions): models, or Milgram conditions. */
static const char *const palette[] = { "blue",       "red",   "green!50!black", "orange", "violet",
                                       "cyan!60!black", "brown", "magenta",      "olive",  "teal",
                                       "gray",       "pink!80!black" };
#define N_PALETTE (sizeof palette / sizeof palette[0])

struct games_data {
    struct games_rows ug, me;          /* rows of games_ultimatum / games_milgram (empty: no records) */
    struct games_human h;
    const char *models[1024];          /* models with rows, first seen first (borrowed from the rows) */
    size_t n_models;
    size_t n_all_models;               /* including those beyond models[] */
};

/* ---------- rows ---------- */

static int same(const char *a, const char *b)   /* NULL = the empty cell */
{
    return a ? b && strcmp(a, b) == 0 : !b;
}

static const struct games_row *find(const struct games_rows *r, const char *analysis, const char *model,
                                    const char *trait, const char *level, const char *offer, const char *term)
{
    for (size_t i = 0; i < r->len; i++) {
        const struct games_row *x = &r->v[i];
        if (same(x->analysis, analysis) && same(x->term, term) && same(x->model, model) && same(x->trait, trait) &&
            same(x->level, level) && same(x->offer, offer))
            return x;
    }
    return NULL;
}

static int has_analysis(const struct games_rows *r, const char *analysis)
{
    for (size_t i = 0; i < r->len; i++)
        if (strcmp(r->v[i].analysis, analysis) == 0)
            return 1;
    return 0;
}

/* Which traits have rows of `analysis` (for `model`, or any when NULL); returns how many. */
static size_t traits_of(const struct games_rows *r, const char *analysis, const char *model,
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
static size_t models_of(const struct games_data *g, const struct games_rows *r, const char *analysis,
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
static double offer_x(const char *offer, int *pct)
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
static void latex_long(FILE *tex, const char *s)
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

#define MODEL_CHARS 40     /* a model name in a table, legend or title; the CSV has it whole */

/* A model name, cut to MODEL_CHARS characters with an ellipsis, escaped. */
static void latex_model(FILE *tex, const char *model)
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

static void csv_header(FILE *csv)
{
    if (csv)
        fputs("analysis,model,trait,level,offer,term,value,ci_low,ci_high,df,p_value,n,note\n", csv);
}

/* A games row in the columns of `psyfaith games --format csv`. */
static void csv_row(FILE *csv, const struct games_row *r)
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
    csv_end(csv);
}

/* Every row of `analysis` (and of `model` when not NULL) to the CSV. */
static void csv_rows(FILE *csv, const struct games_rows *r, const char *analysis, const char *model)
{
    for (size_t i = 0; csv && i < r->len; i++)
        if (strcmp(r->v[i].analysis, analysis) == 0 && (!model || same(r->v[i].model, model)))
            csv_row(csv, &r->v[i]);
}

/* $p = 0.012$ or $p < 0.001$, with at least 3 decimals. */
static void latex_p(FILE *tex, double p, int digits)
{
    int d = digits > 3 ? digits : 3;
    if (p < pow(10.0, -d))
        fprintf(tex, "$p<%.*f$", d, pow(10.0, -d));
    else
        fprintf(tex, "$p=%.*f$", d, p);
}

static void truncation_note(FILE *tex, size_t shown, size_t all, const char *part)
{
    if (all > shown) {
        fprintf(tex, " Only the first %zu of %zu models are shown; ", shown, all);
        latex_text(tex, part);
        fputs(".csv has them all.", tex);
    }
}

/* A groupplot of n subplots, two a row (one when n = 1), in a figure of its own. */
static void group_begin(FILE *tex, size_t n, const char *opts)
{
    size_t cols = n < 2 ? 1 : 2, rows = (n + cols - 1) / cols;
    fprintf(tex, "\\begin{figure}[H]\n\\centering\n\\begin{tikzpicture}\n\\begin{groupplot}[group style={group "
                 "size=%zu by %zu, horizontal sep=1.6cm, vertical sep=1.9cm}, width=%s, height=%s, title "
                 "style={font=\\small}, label style={font=\\small}, tick label style={font=\\scriptsize}, %s]\n",
            cols, rows, cols == 1 ? "0.62\\linewidth" : "0.47\\linewidth", rows > 2 ? "4.4cm" : "5.2cm", opts);
}

static void group_end(FILE *tex)
{
    fputs("\\end{groupplot}\n\\end{tikzpicture}\n", tex);
}

/* The one legend of a groupplot sits under the first subplot of its last row (0-based index), in
 * `columns` columns, so that it spans the row and no later subplot covers it. */
static size_t legend_plot(size_t n)
{
    size_t cols = n < 2 ? 1 : 2;
    return (n - 1) / cols * cols;
}

static const char *legend_opts(size_t n, int columns, char *buf, size_t size)
{
    snprintf(buf, size, ", legend style={font=\\scriptsize, draw=none, at={(0,-0.3)}, anchor=north west, "
             "legend cell align=left, /tikz/every even column/.append style={column sep=0.35cm}}, legend columns=%d",
             n < 2 ? (columns > 2 ? 2 : columns) : columns);
    return buf;
}

/* A legend entry of its own (the plots themselves are drawn with `forget plot`). */
static void legend_entry(FILE *tex, const char *style, const char *model, const char *text)
{
    fprintf(tex, "\\addlegendimage{%s}\n\\addlegendentry{", style);
    if (model)
        latex_model(tex, model);
    if (text)
        fputs(text, tex);
    fputs("}\n", tex);
}

/* The longest model name (in characters, up to MODEL_CHARS) among rows of `analysis`: tables with
 * long names are set a size smaller so that they keep to the text width. */
static size_t longest_model(const struct games_rows *r, const char *analysis)
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

/* A booktabs table that continues in another float when it grows past TABLE_LINES body lines: a
 * [H] float cannot break across pages. */
#define TABLE_LINES 34

struct tab {
    FILE *tex;
    const char *size, *caption, *title, *label, *cols, *head;   /* title: for "(continued)" */
    size_t lines, total;
};

static void tab_open(struct tab *t)
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
static int tab_line(struct tab *t)
{
    int fresh = 0;
    if (t->lines == TABLE_LINES) {
        fputs("\\bottomrule\n\\end{tabular}\n\\end{table}\n", t->tex);
        tab_open(t);
        fresh = 1;
    }
    t->lines++;
    t->total++;
    return fresh;
}

/* ---------- the verdict table (RQ1, RQ2) ---------- */

static const char *direction_word(double v)
{
    return isnan(v) ? NULL : v > 0 ? "more" : v < 0 ? "less" : "none";
}

/* "3 of 8 adjacent steps ..." in the monotone row's note: the violations behind its 0/1 value. */
static int violations_of(const struct games_row *r, size_t *violations, size_t *steps)
{
    const char *s = r->note ? strstr(r->note, ": ") : NULL;
    return s && sscanf(s + 2, "%zu of %zu adjacent", violations, steps) == 2 ? 0 : -1;
}

/* The human findings cited in the verdict table, numbered in order of first use. */
struct cites {
    const char *v[2 * GAMES_N_TRAITS];
    size_t n;
};

static size_t cite_number(struct cites *cs, const char *cite)
{
    size_t k = 0;
    while (k < cs->n && !same(cs->v[k], cite))
        k++;
    if (k == cs->n && k < sizeof cs->v / sizeof cs->v[0])
        cs->v[cs->n++] = cite;
    return k + 1;
}

/* The verdict rows of one experiment; *lines counts the table's lines so far (for the rules). */
static void verdict_rows(struct report_ctx *c, struct report_files *f, struct tab *tb, struct footnotes *fn,
                         struct cites *cs, const struct games_human *h, const struct games_rows *r,
                         const char *experiment, const char *title)
{
    int first = 1;
    for (size_t i = 0; i < r->len; i++) {
        const struct games_row *hd = &r->v[i];
        if (strcmp(hd->analysis, "verdict") != 0 || strcmp(hd->term, "human_direction") != 0)
            continue;
        const struct games_row *md = find(r, "verdict", hd->model, hd->trait, NULL, NULL, "model_direction"),
                               *sg = find(r, "verdict", hd->model, hd->trait, NULL, NULL, "significant"),
                               *mo = find(r, "verdict", hd->model, hd->trait, NULL, NULL, "monotone"),
                               *ag = find(r, "verdict", hd->model, hd->trait, NULL, NULL, "agrees_with_humans");
        if (!md || !sg || !mo || !ag)
            continue;
        char sig_words[64] = "", mono_words[64] = "", agree_words[64];
        size_t viol, steps;
        if (!isnan(sg->value))
            snprintf(sig_words, sizeof sig_words, "%s, p = %.3g", sg->value > 0 ? "yes" : "no", sg->p_value);
        if (!isnan(mo->value)) {
            if (violations_of(mo, &viol, &steps) == 0)
                snprintf(mono_words, sizeof mono_words, "%s, %zu of %zu steps against", mo->value > 0 ? "yes" : "no",
                         viol, steps);
            else
                snprintf(mono_words, sizeof mono_words, "%s", mo->value > 0 ? "yes" : "no");
        }
        if (isnan(hd->value))
            snprintf(agree_words, sizeof agree_words, "no reference");
        else if (isnan(md->value) || md->value == 0)
            snprintf(agree_words, sizeof agree_words, "no direction");
        else if (ag->value > 0)
            snprintf(agree_words, sizeof agree_words, "yes");
        else if (ag->value < 0)
            snprintf(agree_words, sizeof agree_words, "AGAINST humans");
        else
            snprintf(agree_words, sizeof agree_words, "%s, n.s.", md->value == hd->value ? "same" : "opposite");
        if (f->tex) {
            if (first) {
                tab_line(tb);
                if (tb->lines > 1)
                    fputs("\\midrule\n", f->tex);
                fprintf(f->tex, "\\multicolumn{7}{l}{\\textit{%s}} \\\\\n", title);
            }
            first = 0;
            if (tab_line(tb))
                fprintf(f->tex, "\\multicolumn{7}{l}{\\textit{%s (continued)}} \\\\\n", title);
            latex_model(f->tex, hd->model);
            fprintf(f->tex, " & %s & ", hd->trait);
            const char *w = direction_word(hd->value), *cite = NULL;
            for (int t = 0; t < GAMES_N_TRAITS; t++)
                if (same(hd->trait, games_traits[t]))
                    cite = strcmp(experiment, "ultimatum") == 0 ? h->ug_dir_cite[t] : h->me_dir_cite[t];
            if (w && cite)
                fprintf(f->tex, "%s\\textsuperscript{%zu}", w, cite_number(cs, cite));
            else if (w)
                fputs(w, f->tex);
            else
                latex_num(f->tex, NAN, 0, 0, footnote_mark(fn, "no human reference for this trait"));
            fputs(" & ", f->tex);
            if ((w = direction_word(md->value)))
                fputs(w, f->tex);
            else
                latex_num(f->tex, NAN, 0, 0, footnote_mark(fn, "no estimate of the model's effect"));
            fputs(" & ", f->tex);
            if (isnan(sg->value)) {
                latex_num(f->tex, NAN, 0, 0, footnote_mark(fn, "no test: too few levels or runs"));
            } else {
                fprintf(f->tex, "%s, ", sg->value > 0 ? "yes" : "no");
                latex_p(f->tex, sg->p_value, c->opt->digits);
            }
            fputs(" & ", f->tex);
            if (isnan(mo->value))
                latex_num(f->tex, NAN, 0, 0, footnote_mark(fn, "monotonicity not assessable (fewer than 2 levels)"));
            else if (violations_of(mo, &viol, &steps) == 0 && steps == 1)
                fputs("yes (2 levels)", f->tex);
            else if (violations_of(mo, &viol, &steps) == 0)
                fprintf(f->tex, "%s (%zu of %zu)", mo->value > 0 ? "yes" : "no", viol, steps);
            else
                fputs(mo->value > 0 ? "yes" : "no", f->tex);
            fputs(" & ", f->tex);
            if (ag->value < 0)
                fprintf(f->tex, "\\textbf{%s}", agree_words);
            else
                fputs(agree_words, f->tex);
            fputs(" \\\\\n", f->tex);
        }
        const struct games_row *all[5] = { hd, md, sg, mo, ag };
        const char *shown[5] = { direction_word(hd->value), direction_word(md->value), sig_words, mono_words,
                                 agree_words };
        for (int k = 0; f->csv && k < 5; k++) {
            csv_text(f->csv, experiment, 1);
            csv_text(f->csv, all[k]->model, 0);
            csv_text(f->csv, all[k]->trait, 0);
            csv_text(f->csv, all[k]->term, 0);
            csv_number(f->csv, all[k]->value, 0);
            csv_number(f->csv, all[k]->p_value, 0);
            csv_number(f->csv, all[k]->n < 0 ? NAN : (double)all[k]->n, 0);
            csv_text(f->csv, shown[k], 0);
            csv_text(f->csv, all[k]->note, 0);
            csv_end(f->csv);
        }
    }
}

/* The first note of `term` among the verdict rows, without its "experiment: " prefix. */
static const char *verdict_note(const struct games_rows *r, const char *term)
{
    for (size_t i = 0; i < r->len; i++)
        if (strcmp(r->v[i].analysis, "verdict") == 0 && strcmp(r->v[i].term, term) == 0 && r->v[i].note &&
            !isnan(r->v[i].value)) {
            const char *s = strstr(r->v[i].note, ": ");
            return s ? s + 2 : r->v[i].note;
        }
    return NULL;
}

static int part_verdict(struct report_ctx *c, const struct games_data *g)
{
    struct report_files f;
    struct footnotes fn = { 0 };
    if (!has_analysis(&g->ug, "verdict") && !has_analysis(&g->me, "verdict"))
        return 0;
    if (report_open(c, "games_verdict", &f) < 0)
        return -1;
    if (f.csv)
        fputs("experiment,model,trait,term,value,p_value,n,shown,note\n", f.csv);
    size_t longest = longest_model(&g->ug, "verdict");
    if (longest_model(&g->me, "verdict") > longest)
        longest = longest_model(&g->me, "verdict");
    struct tab tb = { f.tex,
                      longest > 24 ? "\\footnotesize\\setlength{\\tabcolsep}{4pt}"
                                   : "\\small\\setlength{\\tabcolsep}{5pt}",
                      "Does a persona move behaviour the way the trait moves humans (RQ1), and monotonically (RQ2)? "
                      "Per model and trait: the direction of the behaviour as the prompted trait level rises, in "
                      "humans and in the model (Zakazov et al.).",
                      "Persona and human behaviour", "games_verdict", "lllllll",
                      "Model & Trait & Humans & Model & Significant & Monotone & Agrees with humans \\\\\n", 0, 0 };
    if (f.tex)
        tab_open(&tb);
    struct cites cs = { .n = 0 };
    verdict_rows(c, &f, &tb, &fn, &cs, &g->h, &g->ug, "ultimatum", "Ultimatum Game: acceptance of unfair offers");
    verdict_rows(c, &f, &tb, &fn, &cs, &g->h, &g->me, "milgram", "Milgram experiment: obedience (final level reached)");
    if (f.tex) {
        const char *t_ug = verdict_note(&g->ug, "significant"), *t_me = verdict_note(&g->me, "significant");
        fputs("\\bottomrule\n\\end{tabular}\n\\par\\smallskip\\footnotesize\\raggedright\n"
              "Humans, Model: more or less of the behaviour at a higher trait level. Significant: ", f.tex);
        if (t_ug) {
            fputs("Ultimatum, ", f.tex);
            latex_long(f.tex, t_ug);
            fputs(t_me ? "; " : ".", f.tex);
        }
        if (t_me) {
            fputs("Milgram, ", f.tex);
            latex_long(f.tex, t_me);
            fputs(".", f.tex);
        }
        fputs(" Monotone: no adjacent step goes against the model's direction (in brackets: steps against, of all "
              "steps; with only two levels, e.g.\\ min and max, trivially), over the $\\Theta_i$ of each level "
              "(Ultimatum) or the mean final level of each persona level (Milgram). Agrees with humans: yes = "
              "significant and in the human direction; AGAINST humans = significant and opposite to it; same or "
              "opposite, n.s.\\ = that direction, not significant. The human findings:\n", f.tex);
        for (size_t k = 0; k < cs.n; k++) {          /* the human findings, cited in full */
            fprintf(f.tex, "\\par\\textsuperscript{%zu} ", k + 1);
            latex_long(f.tex, cs.v[k]);
            fputs("\n", f.tex);
        }
        footnotes_write(f.tex, &fn);
        fputs("\\end{table}\n", f.tex);
    } else {
        footnotes_write(NULL, &fn);
    }
    return report_close(c, "games_verdict", &f);
}

/* ---------- Ultimatum: Theta table and Figure 6 ---------- */

static int part_ug_theta(struct report_ctx *c, const struct games_data *g)
{
    struct report_files f;
    struct footnotes fn = { 0 };
    const struct games_rows *r = &g->ug;
    const int d = c->opt->digits;
    if (!has_analysis(r, "ug_ols"))
        return 0;
    if (report_open(c, "ug_theta", &f) < 0)
        return -1;
    csv_header(f.csv);
    struct tab tb = { f.tex, longest_model(r, "ug_ols") > 24 ? "\\scriptsize\\setlength{\\tabcolsep}{4pt}"
                                                              : "\\footnotesize\\setlength{\\tabcolsep}{4pt}",
                      "Ultimatum Game: $y = \\sum_i \\Theta_i x_i + \\Theta_o o$ fitted by least squares per model "
                      "and trait ($y$ = 1 for an accepted offer, $x_i$ = 1 at trait level $i$, $o$ = offer / total; "
                      "Zakazov et al.\\ Fig.~6), its $R^2$, and Spearman's $\\rho$ of $\\Theta_i$ with the level.",
                      "Ultimatum Game: $\\Theta_i$ per model and trait", "ug_theta", "llrrrrrrrrrrrr",
                      "Model & Trait & $\\Theta_1$ & $\\Theta_2$ & $\\Theta_3$ & $\\Theta_4$ & $\\Theta_5$ & "
                      "$\\Theta_6$ & $\\Theta_7$ & $\\Theta_8$ & $\\Theta_9$ & $\\Theta_o$ & $R^2$ & $\\rho$ \\\\\n",
                      0, 0 };
    if (f.tex)
        tab_open(&tb);
    const char *prev = NULL;
    for (size_t i = 0; i < r->len; i++) {
        const struct games_row *x = &r->v[i];
        /* one line per model x trait: at its first ug_ols row */
        const struct games_row *before = i > 0 ? &r->v[i - 1] : NULL;
        if (strcmp(x->analysis, "ug_ols") != 0 || (before && same(before->analysis, "ug_ols") &&
                                                   same(before->model, x->model) && same(before->trait, x->trait)))
            continue;
        const struct games_row *fail = find(r, "ug_ols", x->model, x->trait, NULL, NULL, "fit");
        if (f.tex) {
            if (!tab_line(&tb) && prev && !same(prev, x->model))
                fputs("\\midrule\n", f.tex);
            latex_model(f.tex, x->model);
            fprintf(f.tex, " & %s", x->trait);
            for (int l = 1; l <= 9; l++) {
                char lvl[16], term[32];
                snprintf(lvl, sizeof lvl, "%d", l);
                snprintf(term, sizeof term, "theta_%d", l);
                const struct games_row *t = find(r, "ug_ols", x->model, x->trait, lvl, NULL, term);
                fputs(" & ", f.tex);
                latex_num(f.tex, t ? t->value : NAN, d, 0,
                          t ? NULL : footnote_mark(&fn, fail ? fail->note : "level not tested"));
            }
            const struct games_row *to = find(r, "ug_ols", x->model, x->trait, NULL, NULL, "theta_o"),
                                   *r2 = find(r, "ug_ols", x->model, x->trait, NULL, NULL, "r2"),
                                   *rho = find(r, "ug_monotonicity", x->model, x->trait, NULL, NULL, "spearman_rho");
            const struct games_row *three[3] = { to, r2, rho };
            for (int k = 0; k < 3; k++) {
                double v = three[k] ? three[k]->value : NAN;
                const char *why = fail ? fail->note : three[k] && three[k]->note ? three[k]->note : "not estimable";
                fputs(" & ", f.tex);
                latex_num(f.tex, v, d, 0, isnan(v) ? footnote_mark(&fn, why) : NULL);
            }
            fputs(" \\\\\n", f.tex);
        }
        prev = x->model;
        for (size_t j = i; f.csv && j < r->len; j++)
            if (same(r->v[j].analysis, "ug_ols") && same(r->v[j].model, x->model) && same(r->v[j].trait, x->trait))
                csv_row(f.csv, &r->v[j]);
        for (size_t j = 0; f.csv && j < r->len; j++)
            if (same(r->v[j].analysis, "ug_monotonicity") && same(r->v[j].model, x->model) &&
                same(r->v[j].trait, x->trait))
                csv_row(f.csv, &r->v[j]);
    }
    if (f.tex) {
        fputs("\\bottomrule\n\\end{tabular}\n\\par\\smallskip\\footnotesize\\raggedright\n"
              "$\\Theta_i$: the acceptance rate at level $i$ and offer 0 (cell means; the paper's constant $c$ is not "
              "identifiable beside all nine level dummies, so it is left out). $R^2$ is uncentred, as R's "
              "\\texttt{summary.lm} for a model without intercept. 95\\,\\% intervals, $t$ tests and the logistic "
              "version: \\texttt{psyfaith games ultimatum}.\n", f.tex);
        footnotes_write(f.tex, &fn);
        fputs("\\end{table}\n", f.tex);
    } else {
        footnotes_write(NULL, &fn);
    }
    return report_close(c, "ug_theta", &f);
}

static int part_fig_ug_theta(struct report_ctx *c, const struct games_data *g)
{
    struct report_files f;
    const struct games_rows *r = &g->ug;
    const char *m[MAX_MODELS];
    size_t all, nm = models_of(g, r, "ug_ols", m, &all);
    int present[GAMES_N_TRAITS];
    size_t nt = traits_of(r, "ug_ols", NULL, present), idx = 0;
    char style[128], lopts[256];
    if (!nm || !nt)
        return 0;
    if (report_open(c, "fig_ug_theta", &f) < 0)
        return -1;
    csv_header(f.csv);
    csv_rows(f.csv, r, "ug_ols", NULL);
    if (!f.tex)
        return report_close(c, "fig_ug_theta", &f);
    group_begin(f.tex, nt, "xmin=0.5, xmax=9.5, xtick={1,...,9}, xlabel={trait level $i$}, ylabel={$\\Theta_i$}");
    for (int t = 0; t < GAMES_N_TRAITS; t++) {
        if (!present[t])
            continue;
        int legend = idx++ == legend_plot(nt);
        fprintf(f.tex, "\\nextgroupplot[title={%s}%s]\n", games_traits[t],
                legend ? legend_opts(nt, 3, lopts, sizeof lopts) : "");
        for (size_t k = 0; legend && k < nm; k++) {
            snprintf(style, sizeof style, "color=%s, mark=*, mark size=1.2pt", palette[k % N_PALETTE]);
            legend_entry(f.tex, style, m[k], NULL);
        }
        for (size_t k = 0; k < nm; k++) {
            const char *col = palette[k % N_PALETTE];
            double dodge = ((double)k - (double)(nm - 1) / 2.0) * 0.06;   /* apart, so the intervals show */
            int any = 0;
            for (int l = 1; l <= 9; l++) {
                char lvl[16], term[32];
                snprintf(lvl, sizeof lvl, "%d", l);
                snprintf(term, sizeof term, "theta_%d", l);
                const struct games_row *x = find(r, "ug_ols", m[k], games_traits[t], lvl, NULL, term);
                if (!x)
                    continue;
                if (!any++)
                    fprintf(f.tex, "\\addplot[forget plot, color=%s, mark=*, mark size=1.2pt, error bars/.cd, y "
                                   "dir=both, y explicit, error bar style={color=%s}] coordinates {", col, col);
                fprintf(f.tex, " (%.3f,%.6g) += (0,%.6g) -= (0,%.6g)", l + dodge, x->value, x->ci_high - x->value,
                        x->value - x->ci_low);
            }
            if (any)
                fputs(" };\n", f.tex);
        }
    }
    group_end(f.tex);
    fputs("\\caption{Ultimatum Game: $\\Theta_i$ of $y = \\sum_i \\Theta_i x_i + \\Theta_o o$ over the trait level "
          "$i$ per model, with 95\\,\\% $t$ intervals (Zakazov et al.\\ Fig.~6). A rising line: more acceptance of "
          "unfair offers at a higher level.", f.tex);
    if (nm <= 4) {                               /* the paper states Theta_o in words */
        fputs(" $\\Theta_o$ ($R^2$):", f.tex);
        int first = 1;
        for (int t = 0; t < GAMES_N_TRAITS; t++)
            for (size_t k = 0; present[t] && k < nm; k++) {
                const struct games_row *to = find(r, "ug_ols", m[k], games_traits[t], NULL, NULL, "theta_o"),
                                       *r2 = find(r, "ug_ols", m[k], games_traits[t], NULL, NULL, "r2");
                if (!to)
                    continue;
                fprintf(f.tex, "%s %s ", first ? "" : ";", games_traits[t]);
                latex_model(f.tex, m[k]);
                fputs(" ", f.tex);
                latex_num(f.tex, to->value, c->opt->digits, 0, NULL);
                fputs(" (", f.tex);
                latex_num(f.tex, r2 ? r2->value : NAN, c->opt->digits, 0, NULL);
                fputs(")", f.tex);
                first = 0;
            }
        fputs(".", f.tex);
    } else {
        fputs(" $\\Theta_o$ and $R^2$: the $\\Theta$ table.", f.tex);
    }
    truncation_note(f.tex, nm, all, "fig_ug_theta");
    fputs("}\n\\label{fig:psyfaith-ug_theta}\n\\end{figure}\n", f.tex);
    return report_close(c, "fig_ug_theta", &f);
}

/* ---------- Ultimatum: Figures 5, 7, 3 ---------- */

/* The offers of a model's acceptance rows, distinct, by their value on the axis. */
struct offers {
    const char *label[128];
    double x[128];
    size_t n;
    int pct;
};

static void offers_collect(const struct games_rows *r, const char *model, struct offers *of)
{
    of->n = 0;
    of->pct = 0;
    for (size_t i = 0; i < r->len; i++) {
        const struct games_row *x = &r->v[i];
        if (!same(x->analysis, "ug_acceptance") || !same(x->model, model))
            continue;
        size_t k = 0;
        while (k < of->n && !same(of->label[k], x->offer))
            k++;
        if (k < of->n || of->n == sizeof of->label / sizeof of->label[0])
            continue;
        double v = offer_x(x->offer, &of->pct);
        while (k > 0 && of->x[k - 1] > v) {          /* insertion sort */
            of->label[k] = of->label[k - 1];
            of->x[k] = of->x[k - 1];
            k--;
        }
        of->label[k] = x->offer;
        of->x[k] = v;
        of->n++;
    }
}

/* Figure 5 as a grid per trait: offers across, trait levels (and no persona) up, each cell shaded by
 * the acceptance rate and labelled with it.  Lines per level, with intervals as wide as five trials
 * give, read as a tangle; the grid shows the same pattern, the CSV has the Wilson intervals. */
static int part_fig_ug_acceptance(struct report_ctx *c, const struct games_data *g)
{
    struct report_files f;
    const struct games_rows *r = &g->ug;
    const char *m[MAX_MODELS];
    size_t all, nm = models_of(g, r, "ug_acceptance", m, &all), shown = 0;
    int present[GAMES_N_TRAITS];
    if (!nm || !traits_of(r, "ug_acceptance", NULL, present))
        return 0;
    if (report_open(c, "fig_ug_acceptance", &f) < 0)
        return -1;
    csv_header(f.csv);
    csv_rows(f.csv, r, "ug_acceptance", NULL);
    for (size_t k = 0; k < nm; k++) {
        size_t nt = traits_of(r, "ug_acceptance", m[k], present);
        if (!nt || !f.tex)
            continue;
        struct offers of;
        offers_collect(r, m[k], &of);
        /* the rows of the grid: no persona (when tested), then the levels any trait of the model has */
        int rows[10], nr = 0, levels[10] = { 0 };
        long nmin = -1, nmax = -1;
        for (size_t i = 0; i < r->len; i++) {
            const struct games_row *x = &r->v[i];
            if (!same(x->analysis, "ug_acceptance") || !same(x->model, m[k]))
                continue;
            int l = x->level ? atoi(x->level) : 0;
            if (l >= 0 && l <= 9)
                levels[l] = 1;
            if (nmin < 0 || x->n < nmin)
                nmin = x->n;
            if (x->n > nmax)
                nmax = x->n;
        }
        for (int l = 0; l <= 9; l++)
            if (levels[l])
                rows[nr++] = l;
        fprintf(f.tex, "\\begin{figure}[H]\n\\centering\n\\begin{tikzpicture}\n\\begin{groupplot}[group style={group "
                       "size=%zu by %zu, horizontal sep=1.2cm, vertical sep=1.6cm}, width=%s, height=%.1fcm, "
                       "enlargelimits=false, colormap={acceptance}{color=(white) color=(blue!55)}, point meta min=0, "
                       "point meta max=1, xlabel={%s}, title style={font=\\small}, "
                       "label style={font=\\small}, tick label style={font=\\scriptsize}, xtick={0,...,%zu}, "
                       "ytick={0,...,%d}, xticklabels={",
                nt < 2 ? (size_t)1 : 2, (nt + 1) / 2, nt < 2 ? "0.55\\linewidth" : "0.46\\linewidth",
                2.0 + 0.45 * nr, of.pct ? "offer (\\% of the total)" : "offer", of.n ? of.n - 1 : 0, nr - 1);
        for (size_t j = 0; j < of.n; j++) {
            fputs(j ? ",{" : "{", f.tex);
            latex_text(f.tex, of.label[j]);
            fputs("}", f.tex);
        }
        fputs("}, yticklabels={", f.tex);
        for (int y = 0; y < nr; y++) {
            if (y)
                fputs(",", f.tex);
            if (rows[y])
                fprintf(f.tex, "%d", rows[y]);
            else
                fputs("none", f.tex);
        }
        fputs("}]\n", f.tex);
        size_t t_done = 0;
        int gaps = 0;
        for (int t = 0; t < GAMES_N_TRAITS; t++) {
            if (!present[t])
                continue;
            t_done++;
            fprintf(f.tex, "\\nextgroupplot[title={%s}%s%s]\n", games_traits[t],
                    t_done == 1 ? ", ylabel={trait level}" : "",
                    t_done == nt ? ", colorbar, colorbar style={width=0.25cm, ytick={0,0.5,1}, "
                                   "yticklabel style={font=\\scriptsize}}"
                                 : "");
            fprintf(f.tex, "\\addplot[matrix plot*, mesh/cols=%zu, point meta=explicit, nodes near coords="
                           "{\\pgfmathprintnumber[fixed, precision=2]{\\pgfplotspointmeta}}, every node near coord/"
                           ".append style={font=\\tiny, anchor=center}] coordinates {", of.n);
            char missing[4096] = "";
            size_t ml = 0;
            for (int y = 0; y < nr; y++) {
                char lvl[16];
                snprintf(lvl, sizeof lvl, "%d", rows[y]);
                for (size_t j = 0; j < of.n; j++) {
                    const struct games_row *x = find(r, "ug_acceptance", m[k], rows[y] ? games_traits[t] : NULL,
                                                     rows[y] ? lvl : NULL, of.label[j], "acceptance_rate");
                    if (x) {
                        fprintf(f.tex, " (%zu,%d) [%.6g]", j, y, x->value);
                    } else {
                        fprintf(f.tex, " (%zu,%d) [nan]", j, y);
                        if (ml < sizeof missing - 32)
                            ml += (size_t)snprintf(missing + ml, sizeof missing - ml, " (%zu,%d)", j, y);
                    }
                }
            }
            fputs(" };\n", f.tex);
            if (ml) {
                fprintf(f.tex, "\\addplot[only marks, mark=x, gray] coordinates {%s };\n", missing);
                gaps = 1;
            }
        }
        group_end(f.tex);
        fputs("\\caption{Ultimatum Game, ", f.tex);
        latex_model(f.tex, m[k]);
        fprintf(f.tex, ": acceptance rate by offer (across) and prompted trait level (up; none: no persona), "
                       "each cell the share of %ld", nmin);
        if (nmax != nmin)
            fprintf(f.tex, " to %ld", nmax);
        fputs(" trials accepted (Zakazov et al.\\ Fig.~5). Wilson 95\\,\\% intervals: "
              "fig\\_ug\\_acceptance.csv.", f.tex);
        if (gaps)
            fputs(" $\\times$: not tested.", f.tex);
        if (++shown == nm)
            truncation_note(f.tex, nm, all, "fig_ug_acceptance");
        fputs("}\n\\end{figure}\n", f.tex);
    }
    return report_close(c, "fig_ug_acceptance", &f);
}

static int part_fig_ug_offer_r2(struct report_ctx *c, const struct games_data *g)
{
    struct report_files f;
    const struct games_rows *r = &g->ug;
    const char *m[MAX_MODELS];
    size_t all, nm = models_of(g, r, "ug_offer_regression", m, &all), idx = 0;
    int present[GAMES_N_TRAITS], pct = 0, gaps = 0;
    size_t nt = traits_of(r, "ug_offer_regression", NULL, present);
    char opts[256], style[128], lopts[256];
    if (!nm || !nt)
        return 0;
    if (report_open(c, "fig_ug_offer_r2", &f) < 0)
        return -1;
    csv_header(f.csv);
    csv_rows(f.csv, r, "ug_offer_regression", NULL);
    if (!f.tex)
        return report_close(c, "fig_ug_offer_r2", &f);
    for (size_t i = 0; i < r->len; i++)
        if (same(r->v[i].analysis, "ug_offer_regression"))
            offer_x(r->v[i].offer, &pct);
    snprintf(opts, sizeof opts,
             "ymin=0, ymax=1.05, xlabel={%s}, ylabel={$R^2$ of rate on level}, unbounded coords=jump",
             pct ? "offer (\\% of the total)" : "offer");
    group_begin(f.tex, nt, opts);
    for (int t = 0; t < GAMES_N_TRAITS; t++) {
        if (!present[t])
            continue;
        int legend = idx++ == legend_plot(nt);
        fprintf(f.tex, "\\nextgroupplot[title={%s}%s]\n", games_traits[t],
                legend ? legend_opts(nt, 3, lopts, sizeof lopts) : "");
        for (size_t k = 0; legend && k < nm; k++) {
            snprintf(style, sizeof style, "color=%s, mark=*, mark size=1.2pt", palette[k % N_PALETTE]);
            legend_entry(f.tex, style, m[k], NULL);
        }
        for (size_t k = 0; k < nm; k++) {
            int any = 0;
            for (size_t i = 0; i < r->len; i++) {
                const struct games_row *x = &r->v[i];
                if (!same(x->analysis, "ug_offer_regression") || !same(x->term, "r2") || !same(x->model, m[k]) ||
                    !same(x->trait, games_traits[t]))
                    continue;
                if (!any++)
                    fprintf(f.tex, "\\addplot[forget plot, color=%s, mark=*, mark size=1.2pt] coordinates {",
                            palette[k % N_PALETTE]);
                int p2 = 0;
                double xo = offer_x(x->offer, &p2);
                if (isnan(x->value)) {
                    fprintf(f.tex, " (%.4f,nan)", xo);
                    gaps = 1;
                } else {
                    fprintf(f.tex, " (%.4f,%.6g)", xo, x->value);
                }
            }
            if (any)
                fputs(" };\n", f.tex);
        }
    }
    group_end(f.tex);
    fputs("\\caption{Ultimatum Game: per offer, $R^2$ of the linear regression of the acceptance rate on the prompted "
          "trait level (Zakazov et al.\\ Fig.~7). A low $R^2$: the level does not steer acceptance at that offer in a "
          "straight line.", f.tex);
    if (gaps)
        fputs(" Gaps: the rate is the same at every level (or known at fewer than 3), so $R^2$ is undefined.", f.tex);
    truncation_note(f.tex, nm, all, "fig_ug_offer_r2");
    fputs("}\n\\label{fig:psyfaith-ug_offer_r2}\n\\end{figure}\n", f.tex);
    return report_close(c, "fig_ug_offer_r2", &f);
}

/* The model's total (the most common among its parsed trials), for offers printed without one. */
/* NaN when the model has no parsed trial; *failed set after a store error (printed). */
static double model_total(sqlite3 *db, const char *model, int *failed)
{
    sqlite3_stmt *st = store_prepare(db, "SELECT u.total FROM ultimatum u JOIN subject s ON s.id = u.subject_id "
                                         "WHERE s.model = ?1 AND u.status = 'ok' GROUP BY u.total "
                                         "ORDER BY count(*) DESC, u.total LIMIT 1");
    double t = NAN;
    if (!st)
        return NAN;
    int rc = store_bind_text(st, 1, model) < 0 ? -1 : sqlite3_step(st);
    if (rc == SQLITE_ROW)
        t = sqlite3_column_double(st, 0);
    else if (rc != SQLITE_DONE && rc != -1)
        store_step_done(st, rc);
    sqlite3_finalize(st);
    *failed |= rc != SQLITE_ROW && rc != SQLITE_DONE;
    return t;
}

static int part_fig_ug_baseline(struct report_ctx *c, const struct games_data *g)
{
    struct report_files f;
    const struct games_rows *r = &g->ug;
    size_t all = 0, shown = 0;
    int has = 0;
    for (size_t i = 0; i < r->len && !has; i++)
        has = same(r->v[i].analysis, "ug_acceptance") && !r->v[i].trait;
    if (!has)
        return 0;
    if (report_open(c, "fig_ug_baseline", &f) < 0)
        return -1;
    if (f.csv)
        fputs("source,model,offer,share_pct,acceptance_rate,ci_low,ci_high,n,note\n", f.csv);
    if (f.tex)
        fputs("\\begin{figure}[H]\n\\centering\n\\begin{tikzpicture}\n\\begin{axis}[width=0.8\\linewidth, "
              "height=6.5cm, xmin=-2, xmax=102, ymin=-0.03, ymax=1.03, xlabel={offer (\\% of the total)}, "
              "ylabel={P(accept)}, label style={font=\\small}, tick label style={font=\\scriptsize}, legend "
              "style={font=\\scriptsize, at={(0.5,-0.2)}, anchor=north, legend cell align=left, draw=none, "
              "/tikz/every even column/.append style={column sep=0.35cm}}, legend columns=3]\n", f.tex);
    /* the baseline rows of each model (rows come model by model); the first MAX_MODELS are drawn */
    const char *model = NULL;
    double total = NAN;
    int drawn = 0, failed = 0;
    for (size_t i = 0; i <= r->len; i++) {
        const struct games_row *x = i < r->len ? &r->v[i] : NULL;
        if (x && (!same(x->analysis, "ug_acceptance") || x->trait))
            continue;
        if (!x || !same(x->model, model)) {          /* a model ends */
            if (drawn) {
                fputs(" };\n\\addlegendentry{", f.tex);
                latex_model(f.tex, model);
                fputs("}\n", f.tex);
            }
            if (!x)
                break;
            model = x->model;
            total = NAN;
            drawn = 0;
            all++;
        }
        int pct = 0;
        double xo = offer_x(x->offer, &pct);
        if (!pct) {
            if (isnan(total))
                total = model_total(c->db, model, &failed);
            xo = total > 0 ? 100.0 * xo / total : NAN;
        }
        if (f.csv) {
            csv_text(f.csv, "model", 1);
            csv_text(f.csv, model, 0);
            csv_text(f.csv, x->offer, 0);
            csv_number(f.csv, xo, 0);
            csv_number(f.csv, x->value, 0);
            csv_number(f.csv, x->ci_low, 0);
            csv_number(f.csv, x->ci_high, 0);
            csv_number(f.csv, (double)x->n, 0);
            csv_text(f.csv, x->note, 0);
            csv_end(f.csv);
        }
        if (!f.tex || isnan(xo) || (!drawn && shown == MAX_MODELS))
            continue;
        if (!drawn++) {
            const char *col = palette[shown++ % N_PALETTE];
            fprintf(f.tex, "\\addplot[color=%s, mark=*, mark size=1.2pt, error bars/.cd, y dir=both, y explicit, "
                           "error bar style={color=%s}] coordinates {", col, col);
        }
        fprintf(f.tex, " (%.4f,%.6g) += (0,%.6g) -= (0,%.6g)", xo, x->value, x->ci_high - x->value,
                x->value - x->ci_low);
    }
    if (g->h.have_accept && g->h.accept_n > 0) {
        if (f.tex)
            fputs("\\addplot[black, very thick, mark=none, opacity=0.6] coordinates {", f.tex);
        for (int x = 0; x <= GAMES_HUMAN_MAX_X; x++) {
            double rate = (double)g->h.accept_count[x] / (double)g->h.accept_n;
            if (f.tex)
                fprintf(f.tex, " (%d,%.6g)", x, rate);
            if (f.csv) {
                csv_text(f.csv, "human", 1);
                csv_text(f.csv, NULL, 0);
                csv_text(f.csv, NULL, 0);
                csv_number(f.csv, x, 0);
                csv_number(f.csv, rate, 0);
                csv_number(f.csv, NAN, 0);
                csv_number(f.csv, NAN, 0);
                csv_number(f.csv, (double)g->h.accept_n, 0);
                csv_text(f.csv, x ? NULL : g->h.accept_cite, 0);
                csv_end(f.csv);
            }
        }
        if (f.tex)
            fprintf(f.tex, " };\n\\addlegendentry{humans ($n=%ld$)}\n", g->h.accept_n);
    }
    if (f.tex) {
        fputs("\\end{axis}\n\\end{tikzpicture}\n\\caption{Ultimatum Game without a persona: acceptance rate by offer "
              "per model (Wilson 95\\,\\% intervals) against humans (Zakazov et al.\\ Fig.~3).", f.tex);
        if (g->h.have_accept) {
            fputs(" Humans: ", f.tex);
            latex_long(f.tex, g->h.accept_cite);
            fputs(".", f.tex);
        }
        truncation_note(f.tex, shown, all, "fig_ug_baseline");
        fputs("}\n\\label{fig:psyfaith-ug_baseline}\n\\end{figure}\n", f.tex);
    }
    if (failed) {
        report_close(c, "fig_ug_baseline", &f);
        return -1;
    }
    return report_close(c, "fig_ug_baseline", &f);
}

/* ---------- Milgram: Table 1, Figures 4/8 and 9 ---------- */

/* The persona conditions (trait, level) of the Milgram rows, in row order: colour = index. */
struct conds {
    const char *trait[MAX_CONDS], *level[MAX_CONDS];
    size_t n;
};

static void conds_collect(const struct games_rows *r, struct conds *cs)
{
    cs->n = 0;
    for (size_t i = 0; i < r->len; i++) {
        const struct games_row *x = &r->v[i];
        if ((!same(x->analysis, "me_summary") && !same(x->analysis, "me_cum_disobediences")) || !x->trait || !x->level)
            continue;
        size_t k = 0;
        while (k < cs->n && !(same(cs->trait[k], x->trait) && same(cs->level[k], x->level)))
            k++;
        if (k == cs->n && cs->n < MAX_CONDS) {
            cs->trait[cs->n] = x->trait;
            cs->level[cs->n++] = x->level;
        }
    }
}

static const char *cond_color(const struct conds *cs, const char *trait, const char *level)
{
    if (!trait)
        return "black";
    for (size_t k = 0; k < cs->n; k++)
        if (same(cs->trait[k], trait) && same(cs->level[k], level))
            return palette[k % N_PALETTE];
    return "gray";
}

static int part_me_summary(struct report_ctx *c, const struct games_data *g)
{
    struct report_files f;
    struct footnotes fn = { 0 };
    const struct games_rows *r = &g->me;
    const int d = c->opt->digits;
    if (!has_analysis(r, "me_summary"))
        return 0;
    if (report_open(c, "me_summary", &f) < 0)
        return -1;
    csv_header(f.csv);
    struct tab tb = { f.tex, "\\small",
                      "Milgram experiment: the final level reached, mean $\\pm$ sd over the runs kept, the "
                      "disobediences summed over those runs, and the runs filtered out, per persona and without one "
                      "(Zakazov et al.\\ Table~1).",
                      "Milgram experiment: final levels and disobediences", "me_summary", "lrrrrl",
                      "Condition & Final level & Disobediences & Filtered & Kept & Final level vs baseline \\\\\n",
                      0, 0 };
    if (f.tex)
        tab_open(&tb);
    for (size_t k = 0, first = 1; k < g->n_models; k++) {
        const char *model = g->models[k];
        int any = 0;
        for (size_t i = 0; i < r->len && !any; i++)
            any = same(r->v[i].analysis, "me_summary") && same(r->v[i].model, model);
        if (!any)
            continue;
        if (f.tex) {
            if (!tab_line(&tb) && !first)
                fputs("\\midrule\n", f.tex);
            fputs("\\multicolumn{6}{l}{\\textbf{", f.tex);
            latex_model(f.tex, model);
            fputs("}} \\\\\n", f.tex);
        }
        first = 0;
        /* personas in row order, then the baseline, as in the paper */
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < r->len; i++) {
                const struct games_row *x = &r->v[i];
                if (!same(x->analysis, "me_summary") || !same(x->model, model) || !same(x->term, "mean_final_level") ||
                    (pass == 0) != (x->trait != NULL))
                    continue;
                const struct games_row *sd = find(r, "me_summary", model, x->trait, x->level, NULL, "sd_final_level"),
                                       *dis = find(r, "me_summary", model, x->trait, x->level, NULL, "disobediences"),
                                       *fil = find(r, "me_summary", model, x->trait, x->level, NULL, "filtered_runs"),
                                       *wd = NULL;
                if (x->trait) {
                    char label[40];
                    snprintf(label, sizeof label, "%s vs baseline", x->level);
                    wd = find(r, "me_welch", model, x->trait, label, NULL, "mean_difference");
                }
                if (f.tex) {
                    if (tab_line(&tb)) {
                        fputs("\\multicolumn{6}{l}{\\textbf{", f.tex);
                        latex_model(f.tex, model);
                        fputs("} (continued)} \\\\\n", f.tex);
                    }
                    if (x->trait)
                        fprintf(f.tex, "\\quad %s %s", x->trait, x->level);
                    else
                        fputs("\\quad baseline", f.tex);
                    fputs(" & ", f.tex);
                    latex_num(f.tex, x->value, d, 0, isnan(x->value) ? footnote_mark(&fn, "every run filtered") : NULL);
                    if (!isnan(x->value)) {
                        fputs(" $\\pm$ ", f.tex);
                        latex_num(f.tex, sd ? sd->value : NAN, d, 0,
                                  sd && !isnan(sd->value) ? NULL : footnote_mark(&fn, "one run kept: no sd"));
                    }
                    fputs(" & ", f.tex);
                    latex_num(f.tex, dis ? dis->value : NAN, 0, 0, NULL);
                    fputs(" & ", f.tex);
                    latex_num(f.tex, fil ? fil->value : NAN, 0, 0, NULL);
                    fprintf(f.tex, " & %ld & ", x->n);
                    if (wd && !isnan(wd->value)) {
                        latex_num(f.tex, wd->value, d, 0, NULL);
                        fputs(" (", f.tex);
                        latex_p(f.tex, wd->p_value, d);
                        fputs(")", f.tex);
                    } else if (x->trait) {
                        const struct games_row *wt = NULL;
                        char label[40];
                        snprintf(label, sizeof label, "%s vs baseline", x->level);
                        wt = find(r, "me_welch", model, x->trait, label, NULL, "welch_t");
                        latex_num(f.tex, NAN, 0, 0,
                                  footnote_mark(&fn, wt && wt->note ? wt->note : "no baseline runs to compare with"));
                    }
                    fputs(" \\\\\n", f.tex);
                }
            }
        for (size_t i = 0; f.csv && i < r->len; i++)
            if ((same(r->v[i].analysis, "me_summary") || same(r->v[i].analysis, "me_welch") ||
                 same(r->v[i].analysis, "me_human")) && same(r->v[i].model, model))
                csv_row(f.csv, &r->v[i]);
    }
    if (f.tex) {
        fputs("\\bottomrule\n\\end{tabular}\n\\par\\smallskip\\footnotesize\\raggedright\nsd with $n-1$. Kept: runs "
              "not filtered out. Final level vs baseline: difference of the mean final levels with the $p$ of "
              "Welch's two-sample $t$ test (R \\texttt{t.test}).", f.tex);
        int said = 0;
        for (size_t k = 0; k < g->n_models; k++) {
            const char *mk = g->models[k];
            const struct games_row *b = find(r, "me_human", mk, NULL, NULL, NULL, "baseline_pct_to_last_level"),
                                   *hu = find(r, "me_human", mk, NULL, NULL, NULL, "human_pct_to_last_level");
            if (!b)
                continue;
            fputs(said ? "; " : " Baseline runs that reached their last level: ", f.tex);
            latex_model(f.tex, g->models[k]);
            fputs(" ", f.tex);
            latex_num(f.tex, b->value, 0, 0, NULL);
            fputs("\\,\\%", f.tex);
            if (!said && hu) {
                fputs(" (humans, Milgram 1963: ", f.tex);
                latex_num(f.tex, hu->value, 0, 0, NULL);
                fputs("\\,\\%)", f.tex);
            }
            said = 1;
        }
        fputs(said ? ".\n" : "\n", f.tex);
        for (size_t k = 0; k < g->n_models; k++) {
            const struct games_row *u = find(r, "me_summary", g->models[k], NULL, NULL, NULL, "unplaced_runs");
            if (u && u->value > 0) {
                fputs("\\par ", f.tex);
                latex_model(f.tex, g->models[k]);
                fprintf(f.tex, ": %.0f runs with a trait but no level (or the reverse) are left out.\n", u->value);
            }
        }
        footnotes_write(f.tex, &fn);
        fputs("\\end{table}\n", f.tex);
    } else {
        footnotes_write(NULL, &fn);
    }
    return report_close(c, "me_summary", &f);
}

#define MODELS_PER_FIGURE 6   /* Milgram curves: subplots in one figure, three rows of two */

/* Figures 4/8 (analysis me_remaining) and 9 (me_cum_disobediences): per model a subplot, a step
 * curve per condition over the level; Figure 4/8 adds Milgram's (1963) humans.  Six models a figure. */
static int part_me_curves(struct report_ctx *c, const struct games_data *g, const char *part, const char *analysis)
{
    struct report_files f;
    const struct games_rows *r = &g->me;
    const char *m[MAX_MODELS];
    size_t all, nm = models_of(g, r, analysis, m, &all);
    int remaining = strcmp(analysis, "me_remaining") == 0, humans = remaining && has_analysis(r, "me_human");
    struct conds cs;
    char opts[256], style[128], lopts[256], text[64];
    if (!nm)
        return 0;
    conds_collect(r, &cs);
    if (report_open(c, part, &f) < 0)
        return -1;
    csv_header(f.csv);
    if (remaining)
        csv_rows(f.csv, r, "me_human", NULL);
    csv_rows(f.csv, r, analysis, NULL);
    if (!f.tex)
        return report_close(c, part, &f);
    snprintf(opts, sizeof opts, "xlabel={level}, ylabel={%s}, %s",
             remaining ? "\\% of runs remaining" : "disobediences so far", remaining ? "ymin=0, ymax=105" : "ymin=0");
    for (size_t k0 = 0; k0 < nm; k0 += MODELS_PER_FIGURE) {
        size_t n = nm - k0 < MODELS_PER_FIGURE ? nm - k0 : MODELS_PER_FIGURE;
        /* the conditions of these models (colour = place in cs), and whether one has a baseline */
        int used[MAX_CONDS] = { 0 }, baseline = 0;
        for (size_t i = 0; i < r->len; i++) {
            const struct games_row *x = &r->v[i];
            int mine = 0;
            for (size_t k = k0; k < k0 + n; k++)
                mine |= same(x->model, m[k]);
            if (!mine || !same(x->analysis, analysis))
                continue;
            baseline |= !x->trait;
            for (size_t q = 0; x->trait && q < cs.n; q++)
                used[q] |= same(cs.trait[q], x->trait) && same(cs.level[q], x->level);
        }
        group_begin(f.tex, n, opts);
        for (size_t k = k0; k < k0 + n; k++) {
            int legend = k - k0 == legend_plot(n);
            fputs("\\nextgroupplot[title={", f.tex);
            latex_model(f.tex, m[k]);
            fprintf(f.tex, "}%s]\n", legend ? legend_opts(n, 4, lopts, sizeof lopts) : "");
            if (legend) {
                if (baseline)
                    legend_entry(f.tex, "const plot, black, very thick", NULL, "no persona");
                for (size_t q = 0; q < cs.n; q++)
                    if (used[q]) {
                        snprintf(style, sizeof style, "const plot, thick, color=%s", palette[q % N_PALETTE]);
                        snprintf(text, sizeof text, "%s %s", cs.trait[q], cs.level[q]);
                        legend_entry(f.tex, style, NULL, text);
                    }
                if (humans)
                    legend_entry(f.tex, "const plot, gray, dashed, very thick", NULL, "humans (Milgram 1963)");
            }
            /* a curve per condition: consecutive rows with the same trait and level */
            for (size_t i = 0; i < r->len;) {
                const struct games_row *x = &r->v[i];
                if (!same(x->analysis, analysis) || !same(x->model, m[k])) {
                    i++;
                    continue;
                }
                fprintf(f.tex, "\\addplot[forget plot, const plot, color=%s, %s, mark=none] coordinates {",
                        cond_color(&cs, x->trait, x->level), x->trait ? "thick" : "very thick");
                size_t j = i;
                for (; j < r->len && same(r->v[j].analysis, analysis) && same(r->v[j].model, m[k]) &&
                       same(r->v[j].trait, x->trait) && same(r->v[j].level, x->level);
                     j++)
                    if (strncmp(r->v[j].term, "step_", 5) == 0)
                        fprintf(f.tex, " (%s,%.6g)", r->v[j].term + 5, r->v[j].value);
                fputs(" };\n", f.tex);
                i = j;
            }
            if (humans) {
                fputs("\\addplot[forget plot, const plot, gray, dashed, very thick, mark=none] coordinates {", f.tex);
                for (size_t i = 0; i < r->len; i++)
                    if (same(r->v[i].analysis, "me_human") && !r->v[i].model && strncmp(r->v[i].term, "step_", 5) == 0)
                        fprintf(f.tex, " (%s,%.6g)", r->v[i].term + 5, r->v[i].value);
                fputs(" };\n", f.tex);
            }
        }
        group_end(f.tex);
        if (remaining) {
            fprintf(f.tex, "\\caption{Milgram experiment: \\%% of runs remaining (final level at least this level) "
                           "at each level, per persona%s, against Milgram's (1963) subjects (Zakazov et al.\\ Fig.~4 "
                           "and~8).",
                    baseline ? " and without one" : "");
            const struct games_row *h = find(r, "me_human", NULL, NULL, NULL, NULL, "step_0");
            if (h && h->note && k0 == 0) {
                fputs(" Humans: ", f.tex);
                latex_long(f.tex, h->note);
                fputs(".", f.tex);
            }
        } else {
            fprintf(f.tex, "\\caption{Milgram experiment: disobediences up to each level, summed over the runs kept, "
                           "per persona%s (Zakazov et al.\\ Fig.~9); only runs with per-step records "
                           "(milgram\\_step).",
                    baseline ? " and without one" : "");
        }
        if (nm > MODELS_PER_FIGURE)
            fprintf(f.tex, " Models %zu--%zu of %zu.", k0 + 1, k0 + n, nm);
        if (k0 + n == nm)
            truncation_note(f.tex, nm, all, part);
        fputs("}\n", f.tex);
        if (k0 == 0)
            fprintf(f.tex, "\\label{fig:psyfaith-%s}\n", part);
        fputs("\\end{figure}\n", f.tex);
    }
    return report_close(c, part, &f);
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

int report_games(struct report_ctx *c)
{
    struct games_data g = { 0 };
    const struct games_opts o = { .alpha = GAMES_ALPHA };
    int want_ug = wanted(c, "games_verdict"), want_me = want_ug, ret = -1;
    for (size_t i = 0; i < sizeof ug_parts / sizeof ug_parts[0]; i++)
        want_ug |= wanted(c, ug_parts[i]);
    for (size_t i = 0; i < sizeof me_parts / sizeof me_parts[0]; i++)
        want_me |= wanted(c, me_parts[i]);
    int has_ug = want_ug ? store_has(c->db, "ultimatum") : 0, has_me = want_me ? store_has(c->db, "milgram") : 0;
    if (has_ug < 0 || has_me < 0)
        return -1;
    if (!has_ug && !has_me)
        return 0;
    if (games_human_load(NULL, &g.h) < 0)
        return -1;
    if ((has_ug && games_ultimatum(c->db, &g.h, &o, &g.ug) < 0) ||
        (has_me && games_milgram(c->db, &g.h, &o, &g.me) < 0))
        goto out;
    for (size_t i = 0; i < g.ug.len; i++)
        add_model(&g, g.ug.v[i].model);
    for (size_t i = 0; i < g.me.len; i++)
        add_model(&g, g.me.v[i].model);
    if ((wanted(c, "games_verdict") && part_verdict(c, &g) < 0) ||
        (wanted(c, "ug_theta") && part_ug_theta(c, &g) < 0) ||
        (wanted(c, "fig_ug_theta") && part_fig_ug_theta(c, &g) < 0) ||
        (wanted(c, "fig_ug_acceptance") && part_fig_ug_acceptance(c, &g) < 0) ||
        (wanted(c, "fig_ug_offer_r2") && part_fig_ug_offer_r2(c, &g) < 0) ||
        (wanted(c, "fig_ug_baseline") && part_fig_ug_baseline(c, &g) < 0) ||
        (wanted(c, "me_summary") && part_me_summary(c, &g) < 0) ||
        (wanted(c, "fig_me_remaining") && part_me_curves(c, &g, "fig_me_remaining", "me_remaining") < 0) ||
        (wanted(c, "fig_me_disobediences") &&
         part_me_curves(c, &g, "fig_me_disobediences", "me_cum_disobediences") < 0))
        goto out;
    ret = 0;
out:
    games_rows_free(&g.ug);
    games_rows_free(&g.me);
    games_human_free(&g.h);
    return ret;
}
