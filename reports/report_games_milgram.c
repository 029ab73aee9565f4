/* reports/report_games_milgram.c -- the Milgram experiment parts of `psyfaith report` (Zakazov et al.,
 * ../shared/papers/social-alignment.txt): Table 1 and Figures 4/8 and 9. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report_games_int.h"


/* The curves are step functions, drawn as TikZ paths (x0,y0) -| (x1,y1) -| ... -- what pgfplots'
 * `const plot` draws: from each point right to the next one's x, then up or down to it -- in a scope
 * whose unit vectors and origin are the axis's own (axis direction cs, axis cs).  An \addplot costs
 * pdflatex about 5 ms and pgfplots transforms every point through its floating-point unit: with 17
 * curves in each of 12 panels, fig_me_remaining took 1.9 s; in the scope TikZ does two products a
 * point, and the same figure takes 1.3 s (issue 16).  The curves are clipped to the axis's box and
 * left out of the picture's bounding box, as pgfplots does with its plots: the page is the same to
 * the pixel (pdftoppm at 100 dpi).  The axis still takes its limits (and so its
 * ticks and margins) from the data: one invisible \addplot through the corners of the curves'
 * bounding box.  A point whose value is the one before lies on that step's line, so it is left out
 * and the line drawn through it; the last point is always written, where the line ends (a third of
 * the points on a 12-model store).  The CSV has every step. */
struct steps {
    char y[32];                 /* the value as printed at the last point written */
    char held[64];              /* a point left out since then (its x), written if it is the last */
    int n;                      /* points written */
};

static void step_write(FILE *tex, struct steps *st, const char *x, const char *y)
{
    fprintf(tex, st->n ? " -| (%s,%s)" : " (%s,%s)", x, y);
    st->n++;
}

static void step_point(FILE *tex, struct steps *st, const char *x, double v)
{
    char y[32];
    snprintf(y, sizeof y, "%.6g", v);
    if (st->n && strcmp(y, st->y) == 0) {
        snprintf(st->held, sizeof st->held, "%s", x);
        return;
    }
    step_write(tex, st, x, y);
    memcpy(st->y, y, sizeof y);
    st->held[0] = '\0';
}

static void step_end(FILE *tex, struct steps *st)
{
    if (st->held[0])
        step_write(tex, st, st->held, st->y);
}

/* The bounding box of a panel's curves, as the printed points (the axis's limits come from it). */
struct box {
    double x0, x1, y0, y1;
    int any;
};

static void box_add(struct box *b, const char *x, double v)
{
    char y[32];
    snprintf(y, sizeof y, "%.6g", v);
    double xv = strtod(x, NULL), yv = strtod(y, NULL);
    if (!b->any || xv < b->x0)
        b->x0 = xv;
    if (!b->any || xv > b->x1)
        b->x1 = xv;
    if (!b->any || yv < b->y0)
        b->y0 = yv;
    if (!b->any || yv > b->y1)
        b->y1 = yv;
    b->any = 1;
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
            return rg_palette[k % N_PALETTE];
    return "gray";
}

/* "MODEL: filtered runs by outcome: frame_break 3, attrition_invalid 2." from the me_filtered rows
 * (one per condition and outcome) of the baseline and of the other conditions, each outcome summed
 * over all the model's conditions, in row order (baseline first). */
static void filtered_by_outcome(FILE *tex, const struct games_data *g, const char *model)
{
    const struct games_rows *sets[2] = { &g->me, &g->me_cond };
    int said = 0;
    for (int a = 0; a < 2; a++)
        for (size_t i = 0; i < sets[a]->len; i++) {
            const struct games_row *x = &sets[a]->v[i];
            if (!same(x->analysis, "me_filtered") || !same(x->model, model))
                continue;
            int seen = 0;
            double sum = 0;
            for (int b = 0; b < 2 && !seen; b++)
                for (size_t j = 0; j < sets[b]->len; j++) {
                    const struct games_row *y = &sets[b]->v[j];
                    if (!same(y->analysis, "me_filtered") || !same(y->model, model) || !same(y->term, x->term))
                        continue;
                    if (b < a || (b == a && j < i)) {
                        seen = 1;       /* counted with its first row */
                        break;
                    }
                    sum += y->value;
                }
            if (seen)
                continue;
            fputs(said ? ", " : "\\par ", tex);
            if (!said) {
                rg_latex_model(tex, model);
                fputs(": filtered runs by outcome: ", tex);
            }
            latex_text(tex, x->term);
            fprintf(tex, " %.0f", sum);
            said = 1;
        }
    if (said)
        fputs(".\n", tex);
}

int rg_part_me_summary(struct report_ctx *c, const struct games_data *g)
{
    struct report_files f;
    struct footnotes fn = { 0 };
    const struct games_rows *r = &g->me;
    const int d = c->opt->digits;
    if (!rg_has_analysis(r, "me_summary"))
        return 0;
    if (report_open(c, "me_summary", &f) < 0)
        return -1;
    rg_csv_header(f.csv);
    struct tab tb = { f.tex, "\\small",
                      "Milgram experiment: the final level reached, mean $\\pm$ sd over the runs kept, the "
                      "disobediences summed over those runs, and the runs filtered out, per persona and without one "
                      "(Zakazov et al.\\ Table~1).",
                      "Milgram experiment: final levels and disobediences", "me_summary", "lrrrrl",
                      "Condition & Final level & Disobediences & Filtered & Kept & Final level vs baseline \\\\\n",
                      0, 0 };
    if (f.tex)
        rg_tab_open(&tb);
    for (size_t k = 0, first = 1; k < g->n_models; k++) {
        const char *model = g->models[k];
        int any = 0;
        for (size_t i = 0; i < r->len && !any; i++)
            any = same(r->v[i].analysis, "me_summary") && same(r->v[i].model, model);
        if (!any)
            continue;
        if (f.tex) {
            if (!rg_tab_line(&tb) && !first)
                fputs("\\midrule\n", f.tex);
            fputs("\\multicolumn{6}{l}{\\textbf{", f.tex);
            rg_latex_model(f.tex, model);
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
                    if (rg_tab_line(&tb)) {
                        fputs("\\multicolumn{6}{l}{\\textbf{", f.tex);
                        rg_latex_model(f.tex, model);
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
                        rg_latex_p(f.tex, wd->p_value, d);
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
                 same(r->v[i].analysis, "me_human") || same(r->v[i].analysis, "me_filtered") ||
                 same(r->v[i].analysis, "me_kept")) && same(r->v[i].model, model))
                rg_csv_row(f.csv, &r->v[i]);
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
            rg_latex_model(f.tex, g->models[k]);
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
                rg_latex_model(f.tex, g->models[k]);
                fprintf(f.tex, ": %.0f runs with a trait but no level (or the reverse) are left out.\n", u->value);
            }
        }
        for (size_t k = 0; k < g->n_models; k++)
            filtered_by_outcome(f.tex, g, g->models[k]);
        rg_condition_note(f.tex, g, 1);
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
int rg_part_me_curves(struct report_ctx *c, const struct games_data *g, const char *part, const char *analysis)
{
    struct report_files f;
    const struct games_rows *r = &g->me;
    const char *m[MAX_MODELS];
    size_t all, nm = rg_models_of(g, r, analysis, m, &all);
    int remaining = strcmp(analysis, "me_remaining") == 0, humans = remaining && rg_has_analysis(r, "me_human");
    struct conds cs;
    char opts[256], style[128], lopts[256], text[64];
    if (!nm)
        return 0;
    conds_collect(r, &cs);
    if (report_open(c, part, &f) < 0)
        return -1;
    rg_csv_header(f.csv);
    if (remaining)
        rg_csv_rows(f.csv, r, "me_human", NULL);
    rg_csv_rows(f.csv, r, analysis, NULL);
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
        int personas = 0;
        for (size_t q = 0; q < cs.n; q++)
            personas |= used[q];
        /* the caption names what the curves are: personas, no persona, or both */
        const char *who = personas && baseline ? "per persona and without one" : personas ? "per persona"
                                                                                        : "without a persona";
        rg_group_begin(f.tex, n, opts);
        for (size_t k = k0; k < k0 + n; k++) {
            int legend = k - k0 == rg_legend_plot(n);
            fputs("\\nextgroupplot[title={", f.tex);
            rg_latex_model(f.tex, m[k]);
            fprintf(f.tex, "}%s]\n", legend ? rg_legend_opts(n, 4, lopts, sizeof lopts) : "");
            if (legend) {
                if (baseline)
                    rg_legend_entry(f.tex, "const plot, black, very thick", NULL, "no persona");
                for (size_t q = 0; q < cs.n; q++)
                    if (used[q]) {
                        snprintf(style, sizeof style, "const plot, thick, color=%s", rg_palette[q % N_PALETTE]);
                        snprintf(text, sizeof text, "%s %s", cs.trait[q], cs.level[q]);
                        rg_legend_entry(f.tex, style, NULL, text);
                    }
                if (humans)
                    rg_legend_entry(f.tex, "const plot, gray, dashed, very thick", NULL, "humans (Milgram 1963)");
            }
            /* the data's limits: the corners of the curves' bounding box, drawn by no one */
            struct box bb = { 0 };
            for (size_t i = 0; i < r->len; i++) {
                const struct games_row *x = &r->v[i];
                if (strncmp(x->term, "step_", 5) != 0)
                    continue;
                if ((same(x->analysis, analysis) && same(x->model, m[k])) ||
                    (humans && same(x->analysis, "me_human") && !x->model))
                    box_add(&bb, x->term + 5, x->value);
            }
            if (!bb.any)
                continue;
            fprintf(f.tex, "\\addplot[draw=none, forget plot] coordinates { (%.6g,%.6g) (%.6g,%.6g) };\n"
                           "\\begin{scope}\\clip (rel axis cs:0,0) rectangle (rel axis cs:1,1);\n"
                           "\\begin{scope}[overlay, shift={(axis cs:0,0)}, x={(axis direction cs:1,0)}, "
                           "y={(axis direction cs:0,1)}]\n",
                    bb.x0, bb.y0, bb.x1, bb.y1);
            /* a curve per condition: consecutive rows with the same trait and level */
            for (size_t i = 0; i < r->len;) {
                const struct games_row *x = &r->v[i];
                if (!same(x->analysis, analysis) || !same(x->model, m[k])) {
                    i++;
                    continue;
                }
                fprintf(f.tex, "\\draw[color=%s, %s]", cond_color(&cs, x->trait, x->level),
                        x->trait ? "thick" : "very thick");
                size_t j = i;
                struct steps st = { 0 };
                for (; j < r->len && same(r->v[j].analysis, analysis) && same(r->v[j].model, m[k]) &&
                       same(r->v[j].trait, x->trait) && same(r->v[j].level, x->level);
                     j++)
                    if (strncmp(r->v[j].term, "step_", 5) == 0)
                        step_point(f.tex, &st, r->v[j].term + 5, r->v[j].value);
                step_end(f.tex, &st);
                fputs(";\n", f.tex);
                i = j;
            }
            if (humans) {
                fputs("\\draw[gray, dashed, very thick]", f.tex);
                struct steps st = { 0 };
                for (size_t i = 0; i < r->len; i++)
                    if (same(r->v[i].analysis, "me_human") && !r->v[i].model && strncmp(r->v[i].term, "step_", 5) == 0)
                        step_point(f.tex, &st, r->v[i].term + 5, r->v[i].value);
                step_end(f.tex, &st);
                fputs(";\n", f.tex);
            }
            fputs("\\end{scope}\\end{scope}\n", f.tex);
        }
        rg_group_end(f.tex);
        if (remaining) {
            fprintf(f.tex, "\\caption{Milgram experiment: \\%% of runs remaining (final level at least this level) "
                           "at each level, %s, against Milgram's (1963) subjects (Zakazov et al.\\ Fig.~4 "
                           "and~8).",
                    who);
            const struct games_row *h = find(r, "me_human", NULL, NULL, NULL, NULL, "step_0");
            if (h && h->note && k0 == 0) {
                fputs(" Humans: ", f.tex);
                rg_latex_long(f.tex, h->note);
                fputs(".", f.tex);
            }
        } else {
            fprintf(f.tex, "\\caption{Milgram experiment: disobediences up to each level, summed over the runs kept, "
                           "%s (Zakazov et al.\\ Fig.~9); only runs with per-step records "
                           "(milgram\\_step).",
                    who);
        }
        rg_condition_note(f.tex, g, 1);
        if (nm > MODELS_PER_FIGURE)
            fprintf(f.tex, " Models %zu--%zu of %zu.", k0 + 1, k0 + n, nm);
        if (k0 + n == nm)
            rg_truncation_note(f.tex, nm, all, part);
        fputs("}\n", f.tex);
        if (k0 == 0)
            fprintf(f.tex, "\\label{fig:psyfaith-%s}\n", part);
        fputs("\\end{figure}\n", f.tex);
    }
    return report_close(c, part, &f);
}

