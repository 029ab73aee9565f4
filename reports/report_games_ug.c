/* reports/report_games_ug.c -- the Ultimatum Game parts of `psyfaith report` (Zakazov et al.,
 * ../shared/papers/social-alignment.txt): the Theta table and Figures 6, 5, 7 and 3. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reports/report_games_int.h"
#include "reports/whiskers.h"
#include "store/store.h"

/* ---------- Ultimatum: Theta table and Figure 6 ---------- */

int rg_part_ug_theta(struct report_ctx *c, const struct games_data *g)
{
    struct report_files f;
    struct footnotes fn = { 0 };
    const struct games_rows *r = &g->ug;
    const int d = c->opt->digits;
    if (!rg_has_analysis(r, "ug_ols"))
        return 0;
    if (report_open(c, "ug_theta", &f) < 0)
        return -1;
    rg_csv_header(f.csv);
    struct tab tb = { f.tex, rg_longest_model(r, "ug_ols") > 24 ? "\\scriptsize\\setlength{\\tabcolsep}{4pt}"
                                                              : "\\footnotesize\\setlength{\\tabcolsep}{4pt}",
                      "Ultimatum Game: $y = \\sum_i \\Theta_i x_i + \\Theta_o o$ fitted by least squares per model "
                      "and trait ($y$ = 1 for an accepted offer, $x_i$ = 1 at trait level $i$, $o$ = offer / total; "
                      "Zakazov et al.\\ Fig.~6), its $R^2$, and Spearman's $\\rho$ of $\\Theta_i$ with the level.",
                      "Ultimatum Game: $\\Theta_i$ per model and trait", "ug_theta", "llrrrrrrrrrrrr",
                      "Model & Trait & $\\Theta_1$ & $\\Theta_2$ & $\\Theta_3$ & $\\Theta_4$ & $\\Theta_5$ & "
                      "$\\Theta_6$ & $\\Theta_7$ & $\\Theta_8$ & $\\Theta_9$ & $\\Theta_o$ & $R^2$ & $\\rho$ \\\\\n",
                      0, 0 };
    if (f.tex)
        rg_tab_open(&tb);
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
            if (!rg_tab_line(&tb) && prev && !same(prev, x->model))
                fputs("\\midrule\n", f.tex);
            rg_latex_model(f.tex, x->model);
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
                rg_csv_row(f.csv, &r->v[j]);
        for (size_t j = 0; f.csv && j < r->len; j++)
            if (same(r->v[j].analysis, "ug_monotonicity") && same(r->v[j].model, x->model) &&
                same(r->v[j].trait, x->trait))
                rg_csv_row(f.csv, &r->v[j]);
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

int rg_part_fig_ug_theta(struct report_ctx *c, const struct games_data *g)
{
    struct report_files f;
    const struct games_rows *r = &g->ug;
    const char *m[MAX_MODELS];
    size_t all, nm = rg_models_of(g, r, "ug_ols", m, &all);
    int present[GAMES_N_TRAITS];
    size_t nt = rg_traits_of(r, "ug_ols", NULL, present), idx = 0;
    char style[128], lopts[256];
    struct whiskers wk = { 0 };
    int failed = 0;
    if (!nm || !nt)
        return 0;
    if (report_open(c, "fig_ug_theta", &f) < 0)
        return -1;
    rg_csv_header(f.csv);
    rg_csv_rows(f.csv, r, "ug_ols", NULL);
    if (!f.tex)
        return report_close(c, "fig_ug_theta", &f);
    rg_group_begin(f.tex, nt, "xmin=0.5, xmax=9.5, xtick={1,...,9}, xlabel={trait level $i$}, ylabel={$\\Theta_i$}");
    for (int t = 0; t < GAMES_N_TRAITS; t++) {
        if (!present[t])
            continue;
        int legend = idx++ == rg_legend_plot(nt);
        fprintf(f.tex, "\\nextgroupplot[title={%s}%s]\n", games_traits[t],
                legend ? rg_legend_opts(nt, 3, lopts, sizeof lopts) : "");
        for (size_t k = 0; legend && k < nm; k++) {
            snprintf(style, sizeof style, "color=%s, mark=*, mark size=1.2pt", rg_palette[k % N_PALETTE]);
            rg_legend_entry(f.tex, style, m[k], NULL);
        }
        for (size_t k = 0; k < nm; k++) {
            const char *col = rg_palette[k % N_PALETTE];
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
                    fprintf(f.tex, "\\addplot[forget plot, color=%s, mark=*, mark size=1.2pt] coordinates {", col);
                fprintf(f.tex, " (%.3f,%.6g)", l + dodge, x->value);
                whiskers_add_num(&wk, l + dodge, 3, x->ci_low, x->ci_high);
            }
            if (any)
                fputs(" };\n", f.tex);
            snprintf(style, sizeof style, "color=%s", col);
            if (whiskers_write(f.tex, &wk, style) < 0)
                failed = 1;
        }
    }
    whiskers_free(&wk);
    rg_group_end(f.tex);
    fputs("\\caption{Ultimatum Game: $\\Theta_i$ of $y = \\sum_i \\Theta_i x_i + \\Theta_o o$ over the trait level "
          "$i$ per model, with 95\\,\\% $t$ intervals (Zakazov et al.\\ Fig.~6). A rising line: more acceptance of "
          "unfair offers at a higher level.", f.tex);
    rg_condition_note(f.tex, g, 0);
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
                rg_latex_model(f.tex, m[k]);
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
    rg_truncation_note(f.tex, nm, all, "fig_ug_theta");
    fputs("}\n\\label{fig:psyfaith-ug_theta}\n\\end{figure}\n", f.tex);
    if (report_close(c, "fig_ug_theta", &f) < 0)
        return -1;
    return failed ? -1 : 0;
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
        double v = rg_offer_x(x->offer, &of->pct);
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
 * the acceptance rate and labelled with it where a label can be read.  Lines per level, with intervals
 * as wide as five trials give, read as a tangle; the grid shows the same pattern, the CSV has the
 * Wilson intervals.  Drawn in plain TikZ (report_games_grid.c), not pgfplots: see there why. */
int rg_part_fig_ug_acceptance(struct report_ctx *c, const struct games_data *g)
{
    struct report_files f;
    const struct games_rows *r = &g->ug;
    const char *m[MAX_MODELS];
    size_t all, nm = rg_models_of(g, r, "ug_acceptance", m, &all), shown = 0;
    int present[GAMES_N_TRAITS];
    if (!nm || !rg_traits_of(r, "ug_acceptance", NULL, present))
        return 0;
    if (report_open(c, "fig_ug_acceptance", &f) < 0)
        return -1;
    rg_csv_header(f.csv);
    rg_csv_rows(f.csv, r, "ug_acceptance", NULL);
    for (size_t k = 0; k < nm; k++) {
        size_t nt = rg_traits_of(r, "ug_acceptance", m[k], present);
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
        fputs("\\begin{figure}[H]\n\\centering\n", f.tex);
        rg_grid_begin(f.tex, of.n);
        double v[10 * 128];
        struct rg_grid grid = { .xlabel = of.pct ? "offer (\\% of the total)" : "offer", .ylabel = "trait level",
                                .cols = of.n, .rows = nr, .col_label = of.label, .row_label = rows, .v = v,
                                .labels = rg_grid_labelled(of.n) };
        size_t t_done = 0;
        int gaps = 0;
        for (int t = 0; t < GAMES_N_TRAITS; t++) {
            if (!present[t])
                continue;
            for (int y = 0; y < nr; y++) {
                char lvl[16];
                snprintf(lvl, sizeof lvl, "%d", rows[y]);
                for (size_t j = 0; j < of.n; j++) {
                    const struct games_row *x = find(r, "ug_acceptance", m[k], rows[y] ? games_traits[t] : NULL,
                                                     rows[y] ? lvl : NULL, of.label[j], "acceptance_rate");
                    v[(size_t)y * of.n + j] = x ? x->value : NAN;
                    gaps |= !x;
                }
            }
            grid.k = t_done++;
            grid.title = games_traits[t];
            grid.colorbar = t_done == nt;
            rg_grid_panel(f.tex, &grid);
        }
        rg_grid_end(f.tex);
        fputs("\\caption{Ultimatum Game, ", f.tex);
        rg_latex_model(f.tex, m[k]);
        fprintf(f.tex, ": acceptance rate by offer (across) and prompted trait level (up; none: no persona), "
                       "each cell the share of %ld", nmin);
        if (nmax != nmin)
            fprintf(f.tex, " to %ld", nmax);
        fputs(" trials accepted (Zakazov et al.\\ Fig.~5). Wilson 95\\,\\% intervals: "
              "fig\\_ug\\_acceptance.csv.", f.tex);
        rg_condition_note(f.tex, g, 0);
        if (gaps)
            fputs(" $\\times$: not tested.", f.tex);
        if (!grid.labels)
            fprintf(f.tex, " The cells are not labelled: at %zu offers a label would be too small to read.", of.n);
        if (++shown == nm)
            rg_truncation_note(f.tex, nm, all, "fig_ug_acceptance");
        fputs("}\n\\end{figure}\n", f.tex);
    }
    return report_close(c, "fig_ug_acceptance", &f);
}

int rg_part_fig_ug_offer_r2(struct report_ctx *c, const struct games_data *g)
{
    struct report_files f;
    const struct games_rows *r = &g->ug;
    const char *m[MAX_MODELS];
    size_t all, nm = rg_models_of(g, r, "ug_offer_regression", m, &all), idx = 0;
    int present[GAMES_N_TRAITS], pct = 0, gaps = 0;
    size_t nt = rg_traits_of(r, "ug_offer_regression", NULL, present);
    char opts[256], style[128], lopts[256];
    if (!nm || !nt)
        return 0;
    if (report_open(c, "fig_ug_offer_r2", &f) < 0)
        return -1;
    rg_csv_header(f.csv);
    rg_csv_rows(f.csv, r, "ug_offer_regression", NULL);
    if (!f.tex)
        return report_close(c, "fig_ug_offer_r2", &f);
    for (size_t i = 0; i < r->len; i++)
        if (same(r->v[i].analysis, "ug_offer_regression"))
            rg_offer_x(r->v[i].offer, &pct);
    snprintf(opts, sizeof opts,
             "ymin=0, ymax=1.05, xlabel={%s}, ylabel={$R^2$ of rate on level}, unbounded coords=jump",
             pct ? "offer (\\% of the total)" : "offer");
    rg_group_begin(f.tex, nt, opts);
    for (int t = 0; t < GAMES_N_TRAITS; t++) {
        if (!present[t])
            continue;
        int legend = idx++ == rg_legend_plot(nt);
        fprintf(f.tex, "\\nextgroupplot[title={%s}%s]\n", games_traits[t],
                legend ? rg_legend_opts(nt, 3, lopts, sizeof lopts) : "");
        for (size_t k = 0; legend && k < nm; k++) {
            snprintf(style, sizeof style, "color=%s, mark=*, mark size=1.2pt", rg_palette[k % N_PALETTE]);
            rg_legend_entry(f.tex, style, m[k], NULL);
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
                            rg_palette[k % N_PALETTE]);
                int p2 = 0;
                double xo = rg_offer_x(x->offer, &p2);
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
    rg_group_end(f.tex);
    fputs("\\caption{Ultimatum Game: per offer, $R^2$ of the linear regression of the acceptance rate on the prompted "
          "trait level (Zakazov et al.\\ Fig.~7). A low $R^2$: the level does not steer acceptance at that offer in a "
          "straight line.", f.tex);
    rg_condition_note(f.tex, g, 0);
    if (gaps)
        fputs(" Gaps: the rate is the same at every level (or known at fewer than 3), so $R^2$ is undefined.", f.tex);
    rg_truncation_note(f.tex, nm, all, "fig_ug_offer_r2");
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

int rg_part_fig_ug_baseline(struct report_ctx *c, const struct games_data *g)
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
    const char *model = NULL, *wcol = "black";
    double total = NAN;
    int drawn = 0, failed = 0;
    struct whiskers wk = { 0 };     /* the drawn model's Wilson intervals */
    for (size_t i = 0; i <= r->len; i++) {
        const struct games_row *x = i < r->len ? &r->v[i] : NULL;
        if (x && (!same(x->analysis, "ug_acceptance") || x->trait))
            continue;
        if (!x || !same(x->model, model)) {          /* a model ends */
            if (drawn) {
                char style[64];
                fputs(" };\n\\addlegendentry{", f.tex);
                rg_latex_model(f.tex, model);
                fputs("}\n", f.tex);
                snprintf(style, sizeof style, "color=%s", wcol);
                if (whiskers_write(f.tex, &wk, style) < 0)
                    failed = 1;
            }
            if (!x)
                break;
            model = x->model;
            total = NAN;
            drawn = 0;
            all++;
        }
        int pct = 0;
        double xo = rg_offer_x(x->offer, &pct);
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
            wcol = rg_palette[shown++ % N_PALETTE];
            fprintf(f.tex, "\\addplot[color=%s, mark=*, mark size=1.2pt] coordinates {", wcol);
        }
        fprintf(f.tex, " (%.4f,%.6g)", xo, x->value);
        whiskers_add_num(&wk, xo, 4, x->ci_low, x->ci_high);
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
        rg_condition_note(f.tex, g, 0);
        if (g->h.have_accept) {
            fputs(" Humans: ", f.tex);
            rg_latex_long(f.tex, g->h.accept_cite);
            fputs(".", f.tex);
        }
        rg_truncation_note(f.tex, shown, all, "fig_ug_baseline");
        fputs("}\n\\label{fig:psyfaith-ug_baseline}\n\\end{figure}\n", f.tex);
    }
    whiskers_free(&wk);
    if (failed) {
        report_close(c, "fig_ug_baseline", &f);
        return -1;
    }
    return report_close(c, "fig_ug_baseline", &f);
}

