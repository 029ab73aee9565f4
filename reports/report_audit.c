/* reports/report_audit.c -- the "audit" part of `psyfaith report`: the verdicts of `psyfaith audit`
 * on the claims of `psyfaith report --claims FILE` (metrics/audit.h), as a LaTeX table (audit.tex)
 * and tidy CSV with the columns of the audit command (audit.csv).  Written only with --claims.
 *
 * The verdicts are those `psyfaith audit --claims FILE` prints with the report's --reliability,
 * --validity and --seed, and --bootstrap N when given (else the audit's default, 1000 resamples):
 * the claims file's scope lines (model:, persona:, ...) give the scope, since the report has no
 * scope options. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/audit.h"
#include "reports/latex.h"
#include "reports/out.h"
#include "reports/report.h"
#include "store/store.h"

#define ROWS_PER_TABLE 30          /* a table longer than this is continued in the next one */

/* Text that may be longer than latex_text's cut: escaped in pieces of at most LATEX_MAX_TEXT bytes,
 * split between UTF-8 characters. */
static void latex_long(FILE *tex, const char *s)
{
    char piece[LATEX_MAX_TEXT + 1];
    size_t n = s ? strlen(s) : 0;
    for (size_t at = 0; at < n;) {
        size_t len = n - at < LATEX_MAX_TEXT ? n - at : LATEX_MAX_TEXT;
        while (len > 1 && at + len < n && ((unsigned char)s[at + len] & 0xC0) == 0x80)
            len--;                  /* do not cut a character in two */
        memcpy(piece, s + at, len);
        piece[len] = '\0';
        latex_text(tex, piece);
        at += len;
    }
}

static void table_begin(FILE *tex, const struct audit_options *o, int first)
{
    fprintf(tex, "\\begin{table}[H]\n\\centering\\footnotesize\n\\caption{%sAudit of persona claims: each claim "
                 "measured on the store and judged (%g\\,\\%% bootstrap CIs over the subjects in scope, %zu "
                 "resamples, seed %lu).}\n",
            first ? "" : "(continued) ", o->level * 100, o->bootstrap, o->seed);
    if (first)
        fputs("\\label{tab:psyfaith-audit}\n", tex);
    fputs("\\setlength{\\tabcolsep}{3pt}\n\\begin{tabular}{p{2.6cm}lllrrrp{4.0cm}}\n\\toprule\nClaim & Model & Instrument & Verdict & Value & CI & $n$ & "
          "Reason \\tabularnewline\n\\midrule\n", tex);
}

static void table_end(FILE *tex, const struct audit_options *o)
{
    fprintf(tex, "\\bottomrule\n\\end{tabular}\n\\par\\smallskip\\footnotesize\nSupported: the CI lies entirely on "
                 "the claimed side; contradicted: entirely on the other side; not measurable: too little data, or "
                 "the measurement is not faithful (a coefficient below %g for TrC, InC, ICC or %g for ExC, BC), in "
                 "which case no claim on it is supported.  The evidence behind each verdict is in audit.csv.\n"
                 "\\end{table}\n",
            o->reliability, o->validity);
}

static void csv_row(FILE *csv, const struct audit_list *l, const struct audit_result *x, const struct audit_options *o)
{
    const struct audit_item *it = &l->v[x->item];
    int game = it->c.kind == AUDIT_STEERABLE && it->c.game;
    char src[300], n[24] = "";
    snprintf(src, sizeof src, "%s:%ld", it->path, it->line);
    if (x->n >= 0)
        snprintf(n, sizeof n, "%ld", x->n);
    csv_text(csv, src, 1);
    csv_text(csv, it->c.text, 0);
    csv_text(csv, x->model, 0);
    csv_text(csv, x->persona, 0);
    csv_text(csv, x->temperature, 0);
    csv_text(csv, x->instrument, 0);
    csv_text(csv, x->dimension, 0);
    csv_text(csv, audit_verdict_name(x->verdict), 0);
    csv_number(csv, x->value + 0.0, 0);
    csv_number(csv, x->ci_low + 0.0, 0);
    csv_number(csv, x->ci_high + 0.0, 0);
    csv_text(csv, n, 0);
    csv_text(csv, x->threshold, 0);
    csv_number(csv, game ? NAN : o->reliability, 0);
    csv_number(csv, game ? NAN : o->validity, 0);
    csv_text(csv, x->reason, 0);
    csv_text(csv, x->evidence, 0);
    csv_text(csv, x->condition, 0);
    csv_end(csv);
}

static void tex_row(FILE *tex, const struct audit_list *l, const struct audit_result *x, int digits)
{
    const struct audit_item *it = &l->v[x->item];
    int bad = x->verdict != AUDIT_SUPPORTED;
    fputs("\\raggedright ", tex);      /* rows end with \tabularnewline: \raggedright redefines \\ */
    latex_text(tex, it->c.text);
    fputs(" & ", tex);
    latex_text(tex, x->model ? x->model : "");
    if (x->condition) {                 /* a condition's own study: named beside the model */
        fputs(" (", tex);
        latex_text(tex, x->condition);
        fputs(")", tex);
    }
    fputs(" & ", tex);
    latex_text(tex, x->instrument ? x->instrument : (it->c.game == AUDIT_GAME_ULTIMATUM ? "Ultimatum Game"
                                                     : it->c.game == AUDIT_GAME_MILGRAM ? "Milgram" : ""));
    fputs(bad ? " & \\textbf{" : " & ", tex);
    latex_text(tex, audit_verdict_name(x->verdict));
    fputs(bad ? "} & " : " & ", tex);
    latex_num(tex, x->value, digits, 0, NULL);
    fputs(" & ", tex);
    if (isnan(x->ci_low) || isnan(x->ci_high)) {
        latex_num(tex, NAN, digits, 0, NULL);
    } else {
        fputs("[", tex);
        latex_num(tex, x->ci_low, digits, 0, NULL);
        fputs(", ", tex);
        latex_num(tex, x->ci_high, digits, 0, NULL);
        fputs("]", tex);
    }
    if (x->n >= 0)
        fprintf(tex, " & %ld & ", x->n);
    else
        fputs(" & -- & ", tex);
    fputs("\\raggedright ", tex);
    latex_long(tex, x->reason);
    fputs(" \\tabularnewline\n", tex);
}

int report_audit(struct report_ctx *c)
{
    struct audit_list list = { 0 };
    struct audit_results res = { 0 };
    struct audit_options o;
    struct report_files f = { NULL, NULL };
    int ret = -1;
    if (!c->opt->claims || !report_wanted(c, "audit"))
        return 0;
    audit_options_default(&o);
    o.reliability = c->opt->faith.reliability;
    o.validity = c->opt->faith.validity;
    o.seed = c->opt->faith.seed;
    o.level = c->opt->faith.level;
    o.min_share = c->opt->faith.min_share;
    o.units_runs = c->opt->faith.units_runs;
    if (c->opt->faith.bootstrap)
        o.bootstrap = c->opt->faith.bootstrap;
    if (store_refuse_own_file(c->db, c->opt->claims, "a claims file") < 0 ||
        audit_list_add_file(&list, c->opt->claims) < 0)
        goto out;
    if (!list.n) {
        diag_error("no claims in '%s'", c->opt->claims);
        goto out;
    }
    if (audit_run(c->db, &list, &o, &res) < 0 || report_open(c, "audit", &f) < 0)
        goto out;
    if (f.csv)
        fputs(AUDIT_HEADER "\n", f.csv);
    for (size_t i = 0; i < res.n; i++) {
        if (f.tex && i % ROWS_PER_TABLE == 0) {
            if (i)
                table_end(f.tex, &o);
            table_begin(f.tex, &o, i == 0);
        }
        if (f.tex)
            tex_row(f.tex, &list, &res.v[i], c->opt->digits);
        if (f.csv)
            csv_row(f.csv, &list, &res.v[i], &o);
    }
    if (f.tex && res.n)
        table_end(f.tex, &o);
    ret = report_close(c, "audit", &f);
out:
    audit_results_free(&res);
    audit_list_free(&list);
    return ret;
}
