/* cli/metrics.c -- `psyfaith metrics`: options and usage; metrics/faith*.c computes the metrics and
 * reports/render_metrics.c writes them as tidy CSV or an aligned table, or the --summary verdicts */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "diag.h"
#include "metrics/faith.h"
#include "metrics/scores.h"
#include "metrics/varcomp.h"
#include "reports/out.h"
#include "reports/render.h"
#include "store/store.h"
#include "util.h"

static const char metrics_usage[] =
    "usage: psyfaith metrics [--db FILE] [--format csv|table] [--instrument NAME] [--metric LIST]\n"
    "                        [--min-answered SHARE] [--trc-literal] [--check-keys] [--bootstrap N]\n"
    "                        [--seed S] [--level L] [--reliability T] [--validity T] [--summary]\n"
    "                        [--units subjects|runs] [--threads N] [--scoring text|argmax|ev]\n"
    "  Faithfulness of the questionnaire scores in the store (RealBehavior, Zhou et al.): one tidy row per\n"
    "  metric x instrument x dimension (x item or model) x condition, header\n"
    "    metric,instrument,instrument_b,dimension,item,value,ci_low,ci_high,n,note,condition\n"
    "  Each experimental condition (the records' 'condition'; empty = baseline) is computed over its own\n"
    "  subjects only, as if the store held nothing else; --summary gives a verdict per condition too.\n"
    "  An undefined value is empty and the note says why; the note also lists dropped items, skipped pairs\n"
    "  and 'unfaithful (< T)' for a coefficient below its threshold.\n"
    "\n"
    "  --format csv|table   default: table on a terminal, CSV otherwise\n"
    "  --instrument NAME    only this instrument's responses (no ExC then)\n"
    "  --metric LIST        comma-separated metric names (e.g. TrC,ICC(A,1)) or groups: paper (TrC InC\n"
    "                       ExC BC), reliability, beyond_alpha (omega_total lambda6 r_drop), validity,\n"
    "                       alpha, split_half, ICC, style (the five rates below and acq), acq (acq_share\n"
    "                       trait_share acq_mean contradiction_rate), norms, steer, order (order_diff\n"
    "                       order_p_t order_p_wilcoxon position_bias cb_score)\n"
    "                       (default: all)\n"
    "  --min-answered SHARE a score is the per-item mean when this share of items is answered (default 0.8)\n"
    "  --trc-literal        TrC by the printed Eq. 2: every ordered pair (u, v) incl. u = v over N_T^2\n"
    "                       (a pair without a correlation adds 0 and still counts in N_T^2)\n"
    "  --check-keys         split-half reverses items with a negative loading on the first principal\n"
    "                       component, as psych::splitHalf's default check.keys = TRUE does (default: no\n"
    "                       check; the instrument's keys already reverse the items)\n"
    "  --bootstrap N        percentile CIs from N resamples of each metric's subjects (split-half: up to\n"
    "                       14 items); default 0: Feldt for InC, psych's bounds for ICC, Fisher z for\n"
    "                       ExC and BC (n >= 4), none for the others\n"
    "  --seed S             bootstrap seed (default 1); the same seed gives byte-identical output\n"
    "  --threads N          worker threads of the bootstrap and of --metric varcomp's fits, 1 to 256\n"
    "                       (default $PSYFAITH_THREADS, else 2); the output is byte-identical at any count\n"
    "  --level L            confidence level (default 0.95)\n"
    "  --reliability T      TrC, InC and ICC below T are unfaithful (default 0.7)\n"
    "  --validity T         ExC and BC below T are unfaithful (default 0.6)\n"
    "  --summary            per instrument x dimension: faithful yes, no or unknown, and why.  Faithful:\n"
    "                       TrC and InC both defined, and every defined TrC, InC, ICC, ExC, BC reaches\n"
    "                       its threshold; no: one is below; unknown: TrC or InC is undefined (the same\n"
    "                       verdict gates psyfaith audit and is the report's Faithful row).  A block\n"
    "                       whose acq_share exceeds its trait_share gets 'warning: acquiescence explains\n"
    "                       more of the score than the trait (acq_share X > trait_share Y)' added to\n"
    "                       its reason; the verdict stays what the coefficients say\n"
    "  --units subjects|runs  the respondents of InC, std_alpha, alpha_if_deleted and split-half:\n"
    "                       subjects (default; each subject's majority-voted answers) or runs (every\n"
    "                       repetition of every subject is a respondent with its own answers, as most\n"
    "                       LLM-personality papers compute alpha; n = runs).  TrC and ICC are about a\n"
    "                       subject's repetitions either way; the other metrics stay over subjects.\n"
    "                       With one subject of 2+ runs, metrics says so and suggests --units runs\n"
    "  --scoring text|argmax|ev  the scores every metric starts from (see psyfaith scores --help): the text\n"
    "                       (default), the argmax or the expected value of the option probabilities\n"
    "\n"
    "metrics (a subject is model x temperature x persona x condition; a block's subjects are those with an answer in\n"
    "it; a score is the per-item mean of Eq. 1, repetitions combined by majority vote, prorated as\n"
    "--min-answered says; n = subjects unless said otherwise):\n"
    "  TrC              Eq. 2: per subject, Pearson r of the item-score vectors of repetitions u < v, mean\n"
    "                   over pairs, then over subjects; pairs with a constant vector are skipped and counted\n"
    "  InC              Eq. 3 with the missing '1 -': psych::alpha raw_alpha over subjects (pairwise\n"
    "                   covariances, zero-variance items dropped and listed); negative values are kept\n"
    "  ExC              Eq. 4: Pearson r across subjects of the scores on two instruments (n = pairs)\n"
    "  BC               Eq. 5: Pearson r across subjects of the score and the CrS of 'classify apply'\n"
    "  std_alpha        psych std.alpha; alpha_if_deleted: psych alpha.drop raw_alpha (item = item code)\n"
    "  split_half_sb    odd/even items, Spearman-Brown; split_half_mean/_max/_min: psych::splitHalf meanr,\n"
    "                   maxrb (lambda 4), minrb (beta) over every split of up to 20 items; all over the\n"
    "                   items left after dropping zero-variance ones (sb empty when one half is empty)\n"
    "  omega_total      McDonald's omega (sum l)^2/((sum l)^2 + sum(1 - l^2)) of the one-factor minres\n"
    "                   solution (psych::fa(x, 1, fm = \"minres\"), solved exactly); empty for a Heywood case\n"
    "  lambda6          Guttman's lambda 6, psych::alpha G6(smc)\n"
    "  r_drop           corrected item-total r per item (psych r.drop); a negative one is flagged as\n"
    "                   possibly keyed wrong or read the wrong way\n"
    "  ICC(1,1) ICC(A,1) ICC(C,1)  psych::ICC ICC1, ICC2, ICC3 of subjects x repetitions (each cell the\n"
    "                   per-item mean of that repetition); subjects with every repetition; psych's value\n"
    "                   also where a bound does not exist (F infinite, tiny df): only that bound is empty\n"
    "  heterotrait_r    mean |r| across subjects with the other dimensions of the same instrument\n"
    "                   (discriminant validity); the note quotes the convergent r (mean ExC)\n"
    "  neutral_rate     share of ok answers at the middle option (odd K only)\n"
    "  acquiescence     (agree+/n+ + agree-/n-)/2, agree = an option above the middle before reverse\n"
    "                   keying, n+/n- = ok answers to + and - keyed items: 0.5 balanced, 1 agrees with\n"
    "                   everything, 0 disagrees with everything\n"
    "  option_entropy   Shannon entropy of the options chosen, in bits (log2 K = all equally often)\n"
    "  refusal_rate, unparsed_rate  share of all responses (the note adds the ambiguous ones)\n"
    "                   these five: per subject over every repetition, then the mean over subjects\n"
    "  acq_share, trait_share  acquiescence decomposition (per subject: psyfaith scores --style): P, N =\n"
    "                   mean raw option (before reverse keying) of the subject's ok answers to + and -\n"
    "                   keyed items over every repetition, trait T = (P - N)/2, acquiescence A =\n"
    "                   (P + N)/2 - (K + 1)/2; the share of the between-subject variance of the score that\n"
    "                   A (T) explains: r^2 across subjects with a score and both kinds of answer, 0 when\n"
    "                   A (T) is the same for all, empty when the score is or n < 3.  Balanced keys\n"
    "                   cancel A in the score; with unbalanced keys an agree-with-all style can pass\n"
    "                   for a trait (acq_share > trait_share: the --summary warning)\n"
    "  acq_mean         mean A over subjects (0 balanced, > 0 agreeing whatever the key)\n"
    "  contradiction_rate  per subject, of the pairs (+ item, - item) both answered in one repetition,\n"
    "                   the share with both options above the middle (agreeing with an item and its\n"
    "                   reverse), pooled over repetitions; then the mean over subjects\n"
    "  norm_z, norm_percentile  per model (item = model, instrument_b = population): mean of its subjects'\n"
    "                   scores against each human norm of the same instrument: z = (mean - norm) / sd,\n"
    "                   percentile = 100 Phi(z)\n"
    "  steer_rho, steer_violations  per model (item) and persona trait (personas like agreeableness=7):\n"
    "                   Spearman rho of level and score; steps between adjacent levels that lower the mean\n"
    "  order_diff ...   option-order symmetry, for subjects that answered under 2 or more orders (ascending,\n"
    "                   descending, or a permutation from the records' 'options'); per subject (item) x block\n"
    "                   and x instrument (empty dimension), each order against the reference (ascending, or\n"
    "                   the first order name; instrument_b = 'descending vs ascending'), over the items\n"
    "                   answered under both, each item's mean ascending-scale option under each order:\n"
    "  order_diff       mean paired difference other - reference, CI of R's t.test(paired = TRUE) at --level\n"
    "  order_p_t        its p value\n"
    "  order_p_wilcoxon p of R's wilcox.test(paired = TRUE) with R's defaults: zeros dropped; exact when under\n"
    "                   50 differences and no ties or zeros, else normal with continuity and tie correction\n"
    "  position_bias    ((s_ref(f_ref) - s_oth(f_ref)) + (s_oth(f_oth) - s_ref(f_oth))) / 2, s_o(v) the share of\n"
    "                   answers under order o choosing option v, f_o the option shown first (0 none, 1 always\n"
    "                   the first shown)\n"
    "  cb_score         counterbalanced score per block: mean over items answered under 2+ orders of the\n"
    "                   mean over orders of the item's mean keyed score (the note: the pooled score)\n"
    "\n"
    "--metric varcomp (alone; not in the default): prompt sensitivity as variance components, how much\n"
    "  of a score is the model and how much the prompt.  One row per instrument x dimension x component\n"
    "  (x condition), header\n"
    "    instrument,dimension,component,levels,variance,share,method,n,note,condition\n"
    "  A cell is one subject x template x language x variant x repetition (the records' design factors;\n"
    "  none given is one level): its per-item mean, prorated as --min-answered says (n = cells).  The\n"
    "  cells are decomposed into crossed random effects model, persona, template, language, variant,\n"
    "  repetition and residual (lme4::lmer(y ~ (1|model) + (1|persona) + ..., REML = TRUE)); a factor\n"
    "  with one level is not in the model.  share = variance / sum of the variances.  method anova:\n"
    "  balanced design, expected-mean-squares estimates in closed form; a negative one is set to 0 and\n"
    "  its mean square pooled into the residual (the REML solution; the note gives the ANOVA value).\n"
    "  method reml: unbalanced design, REML by the simplex (checked against lme4); 'unbalanced\n"
    "  design: ...' in the note and empty values when it cannot be fitted.  Temperature and the\n"
    "  interactions are in the residual\n";

static int parse_share(const char *opt, const char *arg, double lo, double hi, int lo_open, double *out)
{
    double v;
    if (parse_double(arg, &v) < 0 || !(lo_open ? v > lo : v >= lo) || !(v <= hi)) {
        diag_error("%s takes a number in %c%g, %g], got '%s'", opt, lo_open ? '(' : '[', lo, hi, arg);
        return -1;
    }
    *out = v;
    return 0;
}

/* --metric varcomp: the variance components of every instrument x dimension, per condition. */
static int metrics_varcomp(const char *db_opt, const char *instrument, enum out_format fmt, double min_share,
                           size_t threads)
{
    sqlite3 *db = store_open(store_path(db_opt), STORE_READ);
    char **conds = NULL;
    size_t n_conds = 0;
    struct out o;
    int ret = 1, began = 0;
    if (!db)
        return 1;
    if (score_conditions(db, instrument, &conds, &n_conds) < 0 || render_varcomp_begin(&o, fmt) < 0)
        goto out;
    began = 1;
    for (size_t g = 0; g < n_conds; g++) {
        struct varcomp_rows rows = { 0 };
        int ok = varcomp_compute(db, instrument, conds[g], min_share, threads, &rows) == 0 &&
                 render_varcomp_add(&o, &rows, conds[g]) == 0;
        varcomp_rows_free(&rows);
        if (!ok)
            goto out;
    }
    began = 0;
    ret = out_end(&o) < 0;
out:
    if (began)
        out_end(&o);
    score_conditions_free(conds, n_conds);
    store_close(db);
    return ret;
}

int cmd_metrics(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },          { "format", required_argument, NULL, 'f' },
        { "instrument", required_argument, NULL, 'i' },  { "metric", required_argument, NULL, 'M' },
        { "min-answered", required_argument, NULL, 'm' }, { "trc-literal", no_argument, NULL, 'L' },
        { "check-keys", no_argument, NULL, 'K' },
        { "bootstrap", required_argument, NULL, 'B' },   { "seed", required_argument, NULL, 'S' },
        { "level", required_argument, NULL, 'l' },       { "reliability", required_argument, NULL, 'r' },
        { "validity", required_argument, NULL, 'v' },    { "summary", no_argument, NULL, 's' },
        { "units", required_argument, NULL, 'u' },       { "threads", required_argument, NULL, 'T' },
        { "scoring", required_argument, NULL, 'C' },
        { "help", no_argument, NULL, 'h' },              { 0 } };
    const char *db_opt = NULL, *format = NULL, *instrument = NULL, *bad;
    struct faith_options fo;
    int c, summary = 0, varcomp = 0;
    long lv;
    enum out_format fmt;
    faith_options_default(&fo);
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db_opt = optarg; break;
        case 'f': format = optarg; break;
        case 'i': instrument = optarg; break;
        case 'L': fo.trc_literal = 1; break;
        case 'K': fo.check_keys = 1; break;
        case 's': summary = 1; break;
        case 'C':
            if (cli_scoring_option(optarg))
                return 2;
            break;
        case 'u':
            if (faith_units_parse(optarg, &fo.units_runs) < 0) {
                diag_error("--units takes subjects or runs, got '%s'", optarg);
                return 2;
            }
            break;
        case 'M':
            /* varcomp has its own columns (metrics/varcomp.h): alone or not at all */
            if (strcmp(optarg, "varcomp") == 0) {
                varcomp = 1;
                break;
            }
            if (strstr(optarg, "varcomp")) {
                diag_error("--metric varcomp has its own columns: ask for it alone (--metric varcomp)");
                return 2;
            }
            varcomp = 0;
            if (faith_metrics_valid(optarg, &bad) < 0) {
                diag_error("--metric: unknown metric or group '%.*s' (see --help)", (int)strcspn(bad, ","), bad);
                return 2;
            }
            fo.metrics = optarg;
            break;
        case 'm':
            if (parse_share("--min-answered", optarg, 0, 1, 1, &fo.min_share) < 0)
                return 2;
            break;
        case 'l':
            if (parse_share("--level", optarg, 0, 0.999999, 1, &fo.level) < 0)
                return 2;
            break;
        case 'r':
            if (parse_share("--reliability", optarg, -1e9, 1, 0, &fo.reliability) < 0)
                return 2;
            break;
        case 'v':
            if (parse_share("--validity", optarg, -1, 1, 0, &fo.validity) < 0)
                return 2;
            break;
        case 'B':
            if (parse_long(optarg, &lv) < 0 || lv < 0 || lv > 10000000) {
                diag_error("--bootstrap takes a number of resamples (0 to 10000000), got '%s'", optarg);
                return 2;
            }
            fo.bootstrap = (size_t)lv;
            break;
        case 'S':
            if (parse_long(optarg, &lv) < 0 || lv < 0) {
                diag_error("--seed takes a non-negative integer, got '%s'", optarg);
                return 2;
            }
            fo.seed = (unsigned long)lv;
            break;
        case 'T':
            if (threads_parse(optarg, &fo.threads) < 0) {
                diag_error("--threads takes a number of threads (1 to 256), got '%s'", optarg);
                return 2;
            }
            break;
        case 'h': fputs(metrics_usage, stdout); return 0;
        default: fputs(metrics_usage, stderr); return 2;
        }
    }
    if (optind != argc) {
        diag_error("unexpected argument '%s'", argv[optind]);
        fputs(metrics_usage, stderr);
        return 2;
    }
    if (out_format_parse(format, &fmt) < 0)
        return 2;
    if (fo.bootstrap == 1) {
        diag_error("--bootstrap needs at least 2 resamples");
        return 2;
    }
    if (varcomp && (summary || fo.bootstrap)) {
        diag_error("--metric varcomp takes no %s", summary ? "--summary" : "--bootstrap");
        return 2;
    }
    if (varcomp)
        return metrics_varcomp(db_opt, instrument, fmt, fo.min_share, fo.threads);
    sqlite3 *db = store_open(store_path(db_opt), STORE_READ);
    if (!db)
        return 1;
    char **conds = NULL;
    size_t n_conds = 0;
    struct out o;
    int ret = 1, began = 0;
    if (score_conditions(db, instrument, &conds, &n_conds) < 0 || render_metrics_begin(&o, fmt, summary) < 0)
        goto out;
    began = 1;
    /* each experimental condition is its own study: its subjects only, its own rows */
    for (size_t g = 0; g < n_conds; g++) {
        struct score_set *set = score_set_load_condition(db, instrument, conds[g]);
        struct faith_inputs in = { 0 };
        struct faith_table t = { 0 };
        int ok = set && faith_inputs_load(db, set, &in) == 0;
        if (ok && !set->n_subjects)
            diag_note("no responses%s%s in the store", instrument ? " for instrument " : "", instrument ? instrument : "");
        int runs = ok && !fo.units_runs ? faith_single_subject_runs(set) : 0;
        if (runs)
            diag_note("one subject (%s%s%s) with %d runs: InC and the alpha family need 2 or more respondents; "
                      "--units runs treats each run as one", set->subjects[0].model, conds[g] ? ", condition " : "",
                      conds[g] ? conds[g] : "", runs);
        ok = ok && faith_compute(set, &in, &fo, &t) == 0 && render_metrics_add(&o, &t, set, conds[g], summary) == 0;
        faith_table_free(&t);
        faith_inputs_free(&in);
        score_set_free(set);
        if (!ok)
            goto out;
    }
    began = 0;
    ret = out_end(&o) < 0;
out:
    if (began)
        out_end(&o);
    score_conditions_free(conds, n_conds);
    store_close(db);
    return ret;
}
