/* reports/report_validity_probs.c -- the "validity_probs" part of `psyfaith report` (issue 14 part
 * 5, for the "Validity diagnostics" section): per model, what the option probabilities say beside
 * the text (metrics/probs.h) as a LaTeX table (validity_probs.tex) and tidy CSV with the columns of
 * `psyfaith scores --prob-summary` (validity_probs.csv).  Written only when the store has
 * responses with probabilities. */
#include <math.h>
#include <stdio.h>

#include "metrics/probs.h"
#include "reports/latex.h"
#include "reports/report.h"
#include "reports/report_validity.h"

static void tex_table(FILE *tex, const struct prob_summary *s, int digits)
{
    fputs("\\begin{table}[H]\n\\centering\\footnotesize\n\\caption{Option probabilities beside the text, per "
          "model: agreement of the most probable option (argmax) with the option parsed from the text, "
          "Cohen's $\\kappa$ of the two, the mean entropy of the probabilities renormalised over the scale "
          "(in nats) and the mean probability on tokens or labels outside the scale.}\n"
          "\\label{tab:psyfaith-validity-probs}\n\\begin{tabular}{lrrrrrr}\n\\toprule\n"
          "Model & $n$ & Compared & Agreement & $\\kappa$ & Entropy (nats) & Outside \\tabularnewline\n"
          "\\midrule\n", tex);
    for (size_t i = 0; i < s->n; i++) {
        const struct prob_summary_row *r = &s->rows[i];
        latex_text(tex, r->model);
        fprintf(tex, " & %ld & %ld & ", r->n, r->n_compared);
        latex_num(tex, r->agree, digits, 0, NULL);
        fputs(" & ", tex);
        latex_num(tex, r->kappa, digits, 0, NULL);
        fputs(" & ", tex);
        latex_num(tex, r->mean_entropy, digits, 0, NULL);
        fputs(" & ", tex);
        latex_num(tex, r->mean_outside, digits, 0, NULL);
        fputs(" \\tabularnewline\n", tex);
    }
    fputs("\\bottomrule\n\\end{tabular}\n\\par\\smallskip\\footnotesize\nCompared: responses with both a text "
          "answer that parsed and an argmax (no tie); an en dash: nothing to compare, or $\\kappa$ undefined "
          "(see validity\\_probs.csv, column note).\n\\end{table}\n", tex);
}

int report_validity_probs(struct report_ctx *c, const char *name)
{
    struct prob_summary s;
    struct report_files f = { NULL, NULL };
    int ret = -1;
    if (prob_summary_compute(c->db, NULL, &s) < 0)
        goto out;
    if (!s.n) {                         /* no probabilities in the store: no part */
        ret = 0;
        goto out;
    }
    if (report_validity_open(c, name, &f) < 0)
        goto out;
    if (f.tex)
        tex_table(f.tex, &s, c->opt->digits);
    if (f.csv) {
        fputs("model,n,n_scale,n_text,n_compared,agree,kappa,mean_entropy_nats,mean_outside,note\n", f.csv);
        for (size_t i = 0; i < s.n; i++) {
            const struct prob_summary_row *r = &s.rows[i];
            csv_text(f.csv, r->model, 1);
            csv_number(f.csv, (double)r->n, 0);
            csv_number(f.csv, (double)r->n_scale, 0);
            csv_number(f.csv, (double)r->n_text, 0);
            csv_number(f.csv, (double)r->n_compared, 0);
            csv_number(f.csv, r->agree, 0);
            csv_number(f.csv, r->kappa, 0);
            csv_number(f.csv, r->mean_entropy, 0);
            csv_number(f.csv, r->mean_outside, 0);
            csv_text(f.csv, r->note, 0);
            csv_end(f.csv);
        }
    }
    ret = report_close(c, "validity_probs", &f);
out:
    prob_summary_free(&s);
    return ret;
}
