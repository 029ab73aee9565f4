/* cli/audit.c -- `psyfaith audit`: options and usage; metrics/audit*.c judges the claims and
 * reports/render_audit.c writes the verdicts.  Exit status: 0 every claim supported, 1 any not, 2 usage
 * or data error. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "diag.h"
#include "metrics/audit.h"
#include "metrics/faith.h"
#include "reports/out.h"
#include "reports/render.h"
#include "store/store.h"
#include "util.h"

static const char audit_usage[] =
    "usage: psyfaith audit (--claim TEXT | --claims FILE)... [--model NAME] [--persona NAME]\n"
    "                      [--temperature T] [--instrument NAME] [--condition NAME] [--db FILE]\n"
    "                      [--format csv|table]\n"
    "                      [--bootstrap N] [--seed S] [--level L] [--reliability T] [--validity T]\n"
    "                      [--min-answered SHARE] [--min-subjects N] [--max-violations N] [--alpha A]\n"
    "                      [--units subjects|runs] [--scoring text|argmax|ev]\n"
    "  Checks persona claims against the store and judges each: supported, not supported, contradicted\n"
    "  (the CI lies entirely on the other side) or not measurable (too little data, or the measurement\n"
    "  is not faithful: psyfaith metrics --summary must call the instrument x dimension faithful, and\n"
    "  the failing coefficient is named).  One row per claim x model x condition (x instrument), header\n"
    "    " AUDIT_HEADER "\n"
    "  as CSV, or an aligned table of the columns up to the reason (the default on a terminal).\n"
    "  Exit status: 0 every claim supported, 1 any not, 2 a usage or data error (a malformed claim:\n"
    "  FILE:LINE:COL: error: ..., or --claim:N:COL for the N-th --claim).\n"
    "\n"
    "claims (one a line in FILE, '#' comments; keywords and dimension names in any case):\n"
    "  AGR >= 4.0                 the mean per-item score (1..K) of the subjects in scope; also <=, >, <\n"
    "  OPEN between 3.0 4.0       ... lies in [3, 4] ('between 3 and 4' too)\n"
    "  EXT percentile >= 70       against the instrument's first human norm (psyfaith norms list), or\n"
    "  EXT percentile >= 70 vs \"POPULATION\"   a named one (unquoted: the rest of the line; a unique\n"
    "                             part of the name is enough)\n"
    "  CONS stable                TrC (subjects in scope) and InC (all subjects) >= --reliability, and\n"
    "                             BC >= --validity where behaviours were classified\n"
    "  AGR steerable              Spearman rho of persona level (agreeableness=1..9) and score > 0 with\n"
    "                             at most --max-violations steps between adjacent levels lowering it\n"
    "  AGR steerable ultimatum    the games verdict: the trait's effect goes the way it goes in humans\n"
    "  AGR steerable milgram      (CI on the human side of 0) and is monotone over the levels\n"
    "  AGR robust to order        no option-order effect: for every subject in scope answered under two\n"
    "                             orders (metrics --metric order), the paired t and Wilcoxon tests of\n"
    "                             the dimension's items; contradicted when the smallest p times the number\n"
    "                             of tests (Bonferroni) is below --alpha; not measurable with one order\n"
    "  AGR not acquiescent        acq_share <= trait_share (metrics --metric acq) over the subjects in\n"
    "                             scope (3 or more with both + and - keyed answers); contradicted when\n"
    "                             acq_share > trait_share, the rule of the metrics --summary warning\n"
    "  ... on INSTRUMENT          only that instrument (default: each one that measures the dimension)\n"
    "  ... on condition NAME      only that experimental condition ('baseline' = none); each condition\n"
    "                             is judged as its own study, on its subjects only (InC, BC and the\n"
    "                             faithfulness gate too); default: each condition, one row each\n"
    "  model: NAME / persona: NAME / temperature: T / instrument: NAME / condition: NAME   scope lines for the claims\n"
    "                             below them in the file ('*' = any); the options below override them\n"
    "  Dimensions: EXT AGR CONS EMO OPEN, full names, or N/neuroticism (the reversed EMO scale).\n"
    "\n"
    "scope (these override the claims file's scope lines; '*' = any):\n"
    "  --model NAME         one model (default: each model with data, one row each)\n"
    "  --persona NAME       subjects with this persona; 'baseline' = no persona (steerable claims use\n"
    "                       every persona level instead)\n"
    "  --temperature T      subjects sampled at T (games pool every temperature)\n"
    "  --instrument NAME    only this instrument\n"
    "  --condition NAME     only this condition; 'baseline' = subjects without one (default: each\n"
    "                       condition, one row each; game claims take none)\n"
    "options:\n"
    "  --format csv|table   default: table on a terminal, CSV otherwise\n"
    "  --bootstrap N        resamples of the subjects in scope for the CIs (default 1000; 0 = judge on\n"
    "                       the values alone, never contradicted)\n"
    "  --seed S             bootstrap seed (default 1): the same seed gives the same verdicts\n"
    "  --level L            confidence level (default 0.95)\n"
    "  --reliability T      TrC, InC, ICC below T are unfaithful (default 0.7, as psyfaith metrics)\n"
    "  --validity T         ExC, BC below T are unfaithful (default 0.6, as psyfaith metrics)\n"
    "  --units subjects|runs  runs: InC and the faithfulness gate as psyfaith metrics --units runs, and\n"
    "                       level and percentile claims over every run of the subjects in scope (each\n"
    "                       run's per-item mean; --min-subjects counts runs); TrC, stable and steerable\n"
    "                       claims stay over subjects (default: subjects)\n"
    "  --scoring text|argmax|ev  the scores the claims are judged on, as psyfaith scores --scoring\n"
    "  --min-answered SHARE score proration (default 0.8, as psyfaith scores)\n"
    "  --min-subjects N     fewer subjects in scope: not measurable (default 2)\n"
    "  --max-violations N   steerable: adjacent level steps against the direction tolerated (default 0)\n"
    "  --alpha A            games: significance level of the direction; robust to order: the family-wise\n"
    "                       level of the order tests (default 0.05)\n";

static int number_opt(const char *opt, const char *arg, double lo, double hi, double *out)
{
    double v;
    if (parse_double(arg, &v) < 0 || !(v >= lo && v <= hi))
        return diag_error("%s takes a number in [%g, %g], got '%s'", opt, lo, hi, arg);
    *out = v;
    return 0;
}

static int count_opt(const char *opt, const char *arg, long max, long *out)
{
    if (parse_long(arg, out) < 0 || *out < 0 || *out > max)
        return diag_error("%s takes a whole number from 0 to %ld, got '%s'", opt, max, arg);
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    static const struct option opts[] = {
        { "claim", required_argument, NULL, 'c' },        { "claims", required_argument, NULL, 'C' },
        { "model", required_argument, NULL, 'm' },        { "persona", required_argument, NULL, 'p' },
        { "temperature", required_argument, NULL, 't' },  { "instrument", required_argument, NULL, 'i' },
        { "condition", required_argument, NULL, 'K' },
        { "db", required_argument, NULL, 'd' },           { "format", required_argument, NULL, 'f' },
        { "bootstrap", required_argument, NULL, 'B' },    { "seed", required_argument, NULL, 'S' },
        { "level", required_argument, NULL, 'l' },        { "reliability", required_argument, NULL, 'r' },
        { "validity", required_argument, NULL, 'v' },     { "min-answered", required_argument, NULL, 'a' },
        { "min-subjects", required_argument, NULL, 'n' }, { "max-violations", required_argument, NULL, 'x' },
        { "alpha", required_argument, NULL, 'A' },        { "help", no_argument, NULL, 'h' },
        { "units", required_argument, NULL, 'u' },       { "scoring", required_argument, NULL, 'G' },
        { 0 } };
    struct audit_options o;
    struct audit_list list = { 0 };
    struct audit_results res = { 0 };
    const char *db_opt = NULL, *format = NULL;
    enum out_format fmt;
    int c, ret = 2;
    long lv, n_text = 0;
    /* the scope first (it applies to every claim, read in any order), then the claims */
    audit_options_default(&o);
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c': case 'C': break;
        case 'm': list.cli.model = optarg; break;
        case 'p': list.cli.persona = optarg; break;
        case 'i': list.cli.instrument = optarg; break;
        case 'K': list.cli.condition = optarg; break;
        case 'd': db_opt = optarg; break;
        case 'f': format = optarg; break;
        case 't':
            if (number_opt("--temperature", optarg, 0, 1e6, &list.cli.temperature) < 0)
                return 2;
            list.cli.has_temperature = 1;
            break;
        case 'B':
            if (count_opt("--bootstrap", optarg, 10000000, &lv) < 0)
                return 2;
            if (lv == 1)
                return diag_error("--bootstrap needs at least 2 resamples (or 0 for none)"), 2;
            o.bootstrap = (size_t)lv;
            break;
        case 'S':
            if (count_opt("--seed", optarg, 4294967295L, &lv) < 0)
                return 2;
            o.seed = (unsigned long)lv;
            break;
        case 'l':
            if (number_opt("--level", optarg, 0.5, 0.999999, &o.level) < 0)
                return 2;
            break;
        case 'r':
            if (number_opt("--reliability", optarg, -1, 1, &o.reliability) < 0)
                return 2;
            break;
        case 'v':
            if (number_opt("--validity", optarg, -1, 1, &o.validity) < 0)
                return 2;
            break;
        case 'a':
            if (number_opt("--min-answered", optarg, 1e-9, 1, &o.min_share) < 0)
                return 2;
            break;
        case 'n':
            if (count_opt("--min-subjects", optarg, 1000000, &o.min_subjects) < 0)
                return 2;
            break;
        case 'x':
            if (count_opt("--max-violations", optarg, 1000000, &o.max_violations) < 0)
                return 2;
            break;
        case 'A':
            if (number_opt("--alpha", optarg, 1e-12, 0.5, &o.alpha) < 0)
                return 2;
            break;
        case 'G':
            if (cli_scoring_option(optarg))
                return 2;
            break;
        case 'u':
            if (faith_units_parse(optarg, &o.units_runs) < 0) {
                diag_error("--units takes subjects or runs, got '%s'", optarg);
                return 2;
            }
            break;
        case 'h': fputs(audit_usage, stdout); return 0;
        default: fputs(audit_usage, stderr); return 2;
        }
    }
    if (optind != argc) {
        diag_error("unexpected argument '%s' (a claim goes after --claim)", argv[optind]);
        fputs(audit_usage, stderr);
        return 2;
    }
    if (out_format_parse(format, &fmt) < 0)
        return 2;
    int bad = 0;
    optind = 0;                 /* glibc: a fresh scan */
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'c')
            bad |= audit_list_add_text(&list, optarg, ++n_text) < 0;
        else if (c == 'C')
            bad |= audit_list_add_file(&list, optarg) < 0;
    }
    if (bad)
        goto out;
    if (!list.n) {
        diag_error("no claims: give --claim TEXT or --claims FILE (see psyfaith audit --help)");
        goto out;
    }
    sqlite3 *db = store_open(store_path(db_opt), STORE_READ);
    if (!db)
        goto out;
    int rc = audit_run(db, &list, &o, &res);
    store_close(db);
    if (rc < 0 || render_audit(&list, &res, &o, fmt) < 0)
        goto out;
    ret = 0;
    for (size_t i = 0; i < res.n; i++)
        if (res.v[i].verdict != AUDIT_SUPPORTED)
            ret = 1;
out:
    audit_results_free(&res);
    audit_list_free(&list);
    return ret;
}
