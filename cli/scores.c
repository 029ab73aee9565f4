/* cli/scores.c -- `psyfaith scores`: options and usage; metrics/scores.c computes the scores and
 * reports/render_scores.c writes them */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "diag.h"
#include "metrics/probs.h"
#include "metrics/scores.h"
#include "reports/out.h"
#include "reports/render.h"
#include "store/store.h"
#include "util.h"

static const char scores_usage[] =
    "usage: psyfaith scores [--db FILE] [--format csv|table] [--instrument NAME] [--min-answered SHARE]\n"
    "                       [--by-model | --by-rep | --style | --prob-summary] [--scoring text|argmax|ev]\n"
    "  Sum score (RealBehavior Eq. 1) and per-item mean (1..5) per subject x instrument x dimension; a\n"
    "  subject is model x temperature x persona x condition.  The last two columns: a note that says\n"
    "  why a score is empty or that it is prorated, and the condition (empty = baseline).\n"
    "  Repetitions are combined by majority vote (ties: nearest the middle option, then the lower).\n"
    "  --min-answered SHARE  prorate when at least this share of items is answered (default 0.8)\n"
    "  --by-model            Table 3 of RealBehavior: per model (and persona and condition), mean and sd of\n"
    "                        the per-item score over its temperatures; an empty mean or sd says why in note\n"
    "  --by-rep              per subject, the per-item mean of each repetition (test run), then their mean\n"
    "                        and sample sd over the repetitions (PsychoBench's mean and STD per category)\n"
    "  --style               per subject, the acquiescence decomposition over every ok answer of every\n"
    "                        repetition, on the raw scale before reverse keying: P, N = mean option on\n"
    "                        + and - keyed items; T = (P - N)/2 (trait), A = (P + N)/2 - (K + 1)/2\n"
    "                        (acquiescence: 0 balanced, > 0 agreeing); contradiction_rate = of the\n"
    "                        (+ item, - item) pairs answered in one repetition, the share with both\n"
    "                        options above the middle (pooled over repetitions; pairs = their count).\n"
    "                        psyfaith metrics --metric acq gives acq_share, trait_share, acq_mean and\n"
    "                        contradiction_rate across subjects\n"
    "  --scoring text|argmax|ev  how a response becomes an option (records with option_probs or logprobs):\n"
    "                        text (default) the option parsed from the answer text or given as 'option' (a\n"
    "                        record with probabilities only stored its argmax); argmax the most probable\n"
    "                        option; ev the expected option sum o q(o), q the probabilities renormalised over\n"
    "                        the scale, reverse keyed as K + 1 - EV, repetitions combined by their mean.\n"
    "                        argmax and ev read only the responses with probabilities\n"
    "  --prob-summary        per model, over its responses with probabilities: n, n_scale (with mass on the\n"
    "                        scale), n_text (with a text answer that parsed), n_compared (of those with an\n"
    "                        argmax, no tie), agree = share of them where argmax = the text's option, Cohen's\n"
    "                        kappa of the two, mean_entropy_nats (entropy of the renormalised\n"
    "                        probabilities, natural log), mean_outside (mass on tokens or labels that name\n"
    "                        no option)\n";

int cmd_scores(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' }, { "format", required_argument, NULL, 'f' },
        { "instrument", required_argument, NULL, 'i' }, { "min-answered", required_argument, NULL, 'm' },
        { "by-model", no_argument, NULL, 'b' }, { "by-rep", no_argument, NULL, 'r' },
        { "style", no_argument, NULL, 's' },
        { "scoring", required_argument, NULL, 'S' }, { "prob-summary", no_argument, NULL, 'P' },
        { "help", no_argument, NULL, 'h' }, { 0 } };
    const char *db_opt = NULL, *format = NULL, *instrument = NULL;
    double min_share = 0.8;
    int c, by_model = 0, by_rep = 0, style = 0, prob_summary = 0;
    enum score_scoring scoring = SCORING_TEXT;
    enum out_format fmt;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db_opt = optarg; break;
        case 'f': format = optarg; break;
        case 'i': instrument = optarg; break;
        case 'b': by_model = 1; break;
        case 'r': by_rep = 1; break;
        case 's': style = 1; break;
        case 'P': prob_summary = 1; break;
        case 'S':
            if (score_scoring_parse(optarg, &scoring) < 0) {
                diag_error("--scoring takes text, argmax or ev, got '%s'", optarg);
                return 2;
            }
            break;
        case 'm':
            if (parse_double(optarg, &min_share) < 0 || min_share <= 0 || min_share > 1) {
                diag_error("--min-answered takes a share in (0, 1], got '%s'", optarg);
                return 2;
            }
            break;
        case 'h': fputs(scores_usage, stdout); return 0;
        default: fputs(scores_usage, stderr); return 2;
        }
    }
    if (optind != argc || out_format_parse(format, &fmt) < 0 || by_model + by_rep + style + prob_summary > 1) {
        fputs(scores_usage, stderr);
        return 2;
    }
    sqlite3 *db = store_open(store_path(db_opt), STORE_READ);
    if (!db)
        return 1;
    if (prob_summary) {
        struct prob_summary ps;
        int rc = prob_summary_compute(db, instrument, &ps) < 0 || render_prob_summary(&ps, fmt) < 0;
        if (rc == 0 && !ps.n)
            diag_note("no responses with probabilities%s%s in the store", instrument ? " for instrument " : "",
                      instrument ? instrument : "");
        prob_summary_free(&ps);
        store_close(db);
        return rc;
    }
    score_set_scoring(scoring);
    struct score_set *set = score_set_load(db, instrument);
    int ret = 1;
    if (set) {
        if (!set->n_subjects)
            diag_note("no responses%s%s in the store", instrument ? " for instrument " : "", instrument ? instrument : "");
        ret = (style      ? render_scores_style(set, fmt)
               : by_rep   ? render_scores_by_rep(set, fmt)
               : by_model ? render_scores_by_model(set, fmt, min_share)
                          : render_scores(set, fmt, min_share)) < 0;
    }
    score_set_free(set);
    store_close(db);
    return ret;
}
