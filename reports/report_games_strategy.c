/* reports/report_games_strategy.c -- the strategy-method and proposer parts of `psyfaith report`,
 * from the rows of metrics/games_strategy.c (the same that `psyfaith games ultimatum` prints):
 *   strategy_summary        table: minimum acceptable amounts and offers per model [condition], mean and
 *                           sd against the human MobLab responders / proposers, Welch t
 *   fig_ug_threshold_curve  figure: the acceptance curve the thresholds imply, against the human curve
 *   fig_ug_offers           figure: the distribution of offers, against the human proposers
 * Each is written only when the store has such records (report_games.c decides). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reports/report_games_int.h"

static const struct games_row *row(const struct games_rows *r, const char *analysis, const struct games_row *at,
                                   const char *term)
{
    return find(r, analysis, at->model, at->trait, at->level, NULL, term);
}

static void tex_num(FILE *tex, double v, int digits)
{
    if (isnan(v))
        fputs("--", tex);
    else
        fprintf(tex, "%.*f", digits, v);
}

/* One table line (and CSV rows) for a block's summary rows of `prefix`. */
static void summary_line(FILE *tex, FILE *csv, const struct games_rows *r, const char *prefix, const char *role,
                         const struct games_row *mean)
{
    char an[48], st[48];
    snprintf(an, sizeof an, "%s_summary", prefix);
    snprintf(st, sizeof st, "%s_status", prefix);
    char cn[48];
    snprintf(cn, sizeof cn, "%s_condition", prefix);
    const struct games_row *sd = row(r, an, mean, "sd"), *t = row(r, an, mean, "welch_t"),
                           *d = row(r, an, mean, "mean_difference"), *ok = row(r, st, mean, "ok"),
                           *ct = row(r, cn, mean, "welch_t"), *cd = row(r, cn, mean, "mean_difference");
    if (csv) {
        const struct games_row *rs[] = { ok, mean, sd, t, d, ct, cd };
        for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++)
            if (rs[i])
                rg_csv_row(csv, rs[i]);
    }
    if (!tex)
        return;
    rg_latex_model(tex, mean->model);
    if (mean->trait) {
        fputs(" (", tex);
        latex_text(tex, mean->trait);
        if (mean->level) {
            fputc('=', tex);
            latex_text(tex, mean->level);
        }
        fputc(')', tex);
    }
    fprintf(tex, " & %s & %ld/%ld & ", role, (long)mean->n, ok ? ok->n : -1L);
    tex_num(tex, mean->value, 1);
    fputs(" & ", tex);
    tex_num(tex, sd ? sd->value : NAN, 1);
    fputs(" & ", tex);
    if (d && !isnan(d->value)) {
        fprintf(tex, "%+.1f [%.1f, %.1f] & %.2f & ", d->value, d->ci_low, d->ci_high, t ? t->value : NAN);
        rg_latex_p(tex, d->p_value, 3);
    } else {
        fputs("-- & -- & --", tex);
    }
    fputs(" & ", tex);
    if (cd && !isnan(cd->value)) {
        fprintf(tex, "%+.1f, ", cd->value);
        rg_latex_p(tex, cd->p_value, 3);
    } else {
        fputs(ct ? "--" : "", tex);     /* the baseline itself: empty; a condition without a test: -- */
    }
    fputs(" \\\\\n", tex);
}

int rg_part_strategy_summary(struct report_ctx *c, const struct games_data *g)
{
    struct report_files f;
    const struct games_rows *r = &g->st;
    static const struct {
        const char *prefix, *role;
    } kinds[] = { { "ug_threshold", "minimum" }, { "ug_offer", "UG offer" }, { "dg_offer", "DG offer" } };
    size_t lines = 0, all = 0;
    if (!r->len)
        return 0;
    if (report_open(c, "strategy_summary", &f) < 0)
        return -1;
    rg_csv_header(f.csv);
    if (f.tex)
        fputs("\\begin{table}[H]\n\\centering\\scriptsize\n\\begin{tabular}{llrrrrrrr}\n\\toprule\n"
              "model & amount & $n$ ok/all & mean & sd & $-$ humans [95\\,\\% CI] & Welch $t$ & $p$ & $-$ baseline "
              "\\\\\n\\midrule\n", f.tex);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        char an[48];
        snprintf(an, sizeof an, "%s_summary", kinds[k].prefix);
        for (size_t i = 0; i < r->len; i++) {
            const struct games_row *x = &r->v[i];
            if (!same(x->analysis, an) || !same(x->term, "mean"))
                continue;
            all++;
            summary_line(lines < TABLE_LINES ? f.tex : NULL, f.csv, r, kinds[k].prefix, kinds[k].role, x);
            lines++;
        }
    }
    if (f.tex) {
        fputs("\\bottomrule\n\\end{tabular}\n\\caption{Strategy-method responders' minimum acceptable amounts and "
              "proposers' offers, in \\% of the total, per model [condition]: parsed answers of all, mean and sd, "
              "and the difference from the human MobLab responders or proposers with its Welch 95\\,\\% interval "
              "and test (R \\texttt{t.test}); for a condition, its difference from the same model's baseline "
              "(Welch). Dictator offers have no human reference.", f.tex);
        if (all > TABLE_LINES)
            fprintf(f.tex, " Only the first %d of %zu lines are shown; strategy\\_summary.csv has them all.",
                    TABLE_LINES, all);
        if (g->h.have_accept) {
            fputs(" Humans: ", f.tex);
            rg_latex_long(f.tex, g->h.accept_cite);
            fputs(".", f.tex);
        }
        if (g->h.have_offer)
            fprintf(f.tex, " Human proposers: the same MobLab data, %ld offers (strategy\\_summary.csv has the "
                           "citation).", g->h.offer_n);
        fputs("}\n\\label{tab:psyfaith-strategy_summary}\n\\end{table}\n", f.tex);
    }
    return report_close(c, "strategy_summary", &f);
}

/* A figure of one curve per block of `analysis` (term `term`, x = the offer cell), plus the human
 * curve from `human_term` of the first block. */
static int curve_figure(struct report_ctx *c, const struct games_data *g, const char *part, const char *analysis,
                        const char *term, const char *human_term, const char *ylabel, const char *caption,
                        const char *human_cite)
{
    struct report_files f;
    const struct games_rows *r = &g->st;
    if (!rg_has_analysis(r, analysis))
        return 0;
    if (report_open(c, part, &f) < 0)
        return -1;
    rg_csv_header(f.csv);
    if (f.tex)
        fprintf(f.tex, "\\begin{figure}[H]\n\\centering\n\\begin{tikzpicture}\n\\begin{axis}[width=0.8\\linewidth, "
                       "height=6cm, xmin=-2, xmax=102, ymin=-0.03, ymax=1.03, xlabel={offer (\\%% of the total)}, "
                       "ylabel={%s}, label style={font=\\small}, tick label style={font=\\scriptsize}, legend "
                       "style={font=\\scriptsize, at={(0.5,-0.22)}, anchor=north, legend cell align=left, draw=none}, "
                       "legend columns=2]\n", ylabel);
    const struct games_row *block = NULL;
    size_t shown = 0, all = 0;
    int drawing = 0;
    for (size_t i = 0; i <= r->len; i++) {
        const struct games_row *x = i < r->len ? &r->v[i] : NULL;
        if (x && !same(x->analysis, analysis))
            continue;
        if (x && f.csv)
            rg_csv_row(f.csv, x);
        if (x && !same(x->term, term))
            continue;
        if (!x || !block || !same(x->model, block->model) || !same(x->trait, block->trait) ||
            !same(x->level, block->level)) {
            if (drawing && f.tex) {
                fputs(" };\n\\addlegendentry{", f.tex);
                rg_latex_model(f.tex, block->model);
                fprintf(f.tex, " ($n=%ld$)}\n", block->n);
            }
            drawing = 0;
            if (!x)
                break;
            block = x;
            all++;
            if (f.tex && shown < MAX_MODELS && x->n > 0) {
                const char *col = rg_palette[shown++ % N_PALETTE];
                fprintf(f.tex, "\\addplot[color=%s, mark=*, mark size=1.2pt] coordinates {", col);
                drawing = 1;
            }
        }
        if (drawing && !isnan(x->value))
            fprintf(f.tex, " (%s,%.6g)", x->offer, x->value);
    }
    /* the human curve: the human_term rows of the first block (the same in every block) */
    const struct games_row *first = NULL;
    for (size_t i = 0; i < r->len && !first; i++)
        if (same(r->v[i].analysis, analysis) && same(r->v[i].term, human_term))
            first = &r->v[i];
    if (first && f.tex) {
        fputs("\\addplot[black, very thick, mark=none, opacity=0.6] coordinates {", f.tex);
        for (size_t i = 0; i < r->len; i++) {
            const struct games_row *x = &r->v[i];
            if (same(x->analysis, analysis) && same(x->term, human_term) && same(x->model, first->model) &&
                same(x->trait, first->trait) && same(x->level, first->level))
                fprintf(f.tex, " (%s,%.6g)", x->offer, x->value);
        }
        fprintf(f.tex, " };\n\\addlegendentry{humans ($n=%ld$)}\n", first->n);
    }
    if (f.tex) {
        fprintf(f.tex, "\\end{axis}\n\\end{tikzpicture}\n\\caption{%s", caption);
        if (first && human_cite) {
            fputs(" Humans: ", f.tex);
            rg_latex_long(f.tex, human_cite);
            fputs(".", f.tex);
        } else if (!first) {
            fputs(" No human reference data.", f.tex);
        }
        rg_truncation_note(f.tex, shown, all, part);
        fprintf(f.tex, "}\n\\label{fig:psyfaith-%s}\n\\end{figure}\n", part);
    }
    return report_close(c, part, &f);
}

int rg_part_fig_ug_threshold_curve(struct report_ctx *c, const struct games_data *g)
{
    return curve_figure(c, g, "fig_ug_threshold_curve", "ug_threshold_curve", "acceptance", "human_acceptance",
                        "share accepting",
                        "Strategy method: the share of runs whose minimum acceptable amount is at most the offer "
                        "(the acceptance curve the stated minimums imply), per model [condition], against the "
                        "human MobLab responders (Wilson 95\\,\\% intervals in fig\\_ug\\_threshold\\_curve.csv).",
                        g->h.accept_cite);
}

int rg_part_fig_ug_offers(struct report_ctx *c, const struct games_data *g)
{
    return curve_figure(c, g, "fig_ug_offers", "ug_offer_distribution", "share", "human_share", "share of offers",
                        "Ultimatum proposers: the share of offers within 5 points of each offer level "
                        "([x$-$5, x+5)\\,\\% of the total), per model [condition], against the human MobLab "
                        "proposers.", g->h.offer_cite);
}
