/* cli/games.c -- `psyfaith games ultimatum|milgram`: options and usage; metrics/games*.c computes the
 * rows and reports/render_games.c writes them (report_games.c turns them into LaTeX) */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "diag.h"
#include "metrics/games.h"
#include "reports/render.h"
#include "store/store.h"
#include "util.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: psyfaith games ultimatum|milgram [--format csv|table] [--db FILE] [--alpha A] [--human FILE]\n"
            "\n"
            "Ultimatum Game and Milgram analyses of persona-prompted models (Zakazov et al.), with a verdict\n"
            "per model and trait against human findings.  Output: tidy rows with the columns\n"
            "  " GAMES_HEADER "\n"
            "as CSV, or an aligned table (the default on a terminal: the condition beside the model, a long\n"
            "note that recurs printed once).  A trial's persona cell is its record's trait and level, else its\n"
            "persona (agreeableness=7, AGR=max; baseline or none = baseline).  Every analysis runs per model\n"
            "and experimental condition (the record's condition; none = baseline).  Only parsed answers and\n"
            "unfiltered runs are analysed; the others are counted with their reason.\n"
            "\n"
            "ultimatum  ug_status (answers per parse status), ug_acceptance (rate + Wilson 95%% CI per\n"
            "           persona cell and offer; Fig. 3, 5), ug_human (baseline vs humans), ug_ols\n"
            "           (lm(y ~ 0 + factor(level) + o): theta_1..theta_9, theta_o, uncentred r2; Fig. 6),\n"
            "           ug_logit (the same as glm binomial), ug_trend (glm(y ~ level + o)), ug_monotonicity\n"
            "           (Spearman rho of theta_i rounded to 1e-10 so that equal cells tie, violations),\n"
            "           ug_offer_regression (rate ~ level per offer, r2; Fig. 7; a rate that is the same at\n"
            "           every level gives slope 0 with no p or r2), verdict, ug_condition (a condition vs the\n"
            "           baseline of the same model: glm(accept ~ o + cond, binomial), or no_baseline)\n"
            "           Strategy-method and proposer records (ultimatum_threshold, ultimatum_offer,\n"
            "           dictator_offer; amounts in %% of the total; model cell 'MODEL [CONDITION]'):\n"
            "           ug_threshold_status / ug_offer_status / dg_offer_status (answers per parse status),\n"
            "           ug_threshold_curve (share of runs whose minimum <= offer, Wilson 95%% CI, at 0..100\n"
            "           step 10, with the human MobLab curve), *_summary (mean, sd, Welch t and mean\n"
            "           difference vs the human MobLab responders / proposers), *_distribution (share\n"
            "           of amounts in [x-5, x+5) %%, with the human share), *_condition (each condition\n"
            "           against the same model's baseline: Welch t and mean difference)\n"
            "milgram    me_summary (final level mean, sd, disobediences, filtered runs; Table 1), me_remaining\n"
            "           (%% of runs remaining at each level; Fig. 4, 8), me_human (Milgram 1963), me_welch\n"
            "           (Welch t-tests: persona vs baseline, a trait's extremes), me_cum_disobediences\n"
            "           (from milgram_step rows; Fig. 9), verdict, me_obedience (share of kept runs reaching\n"
            "           max_level, Wilson CI as prop.test(correct = FALSE)), me_condition (a condition vs the\n"
            "           baseline: obedience difference with Newcombe CI and Fisher's exact p, mean final level\n"
            "           difference and Welch t; or no_baseline)\n"
            "\n"
            "  --format csv|table  output format (default: table on a terminal, else csv)\n"
            "  --db FILE           the store (default $PSYFAITH_DB or psyfaith.db)\n"
            "  --alpha A           significance level of the verdicts (default 0.05)\n"
            "  --human FILE        human reference table instead of the built-in one\n"
            "                      (columns experiment,measure,trait,x,count,n,value,citation)\n");
}

int cmd_games(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },    { "format", required_argument, NULL, 'f' },
        { "alpha", required_argument, NULL, 'a' }, { "human", required_argument, NULL, 'H' },
        { "help", no_argument, NULL, 'h' },        { 0 },
    };
    const char *db_opt = NULL, *format = NULL, *human = NULL;
    struct games_opts o = { .alpha = GAMES_ALPHA };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db_opt = optarg; break;
        case 'f': format = optarg; break;
        case 'H': human = optarg; break;
        case 'a':
            if (parse_double(optarg, &o.alpha) < 0 || !(o.alpha > 0.0 && o.alpha < 1.0)) {
                diag_error("--alpha must be a number between 0 and 1, got '%s'", optarg);
                return 2;
            }
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "table") != 0) {
        diag_error("--format must be csv or table, got '%s'", format);
        return 2;
    }
    if (optind + 1 != argc || (strcmp(argv[optind], "ultimatum") != 0 && strcmp(argv[optind], "milgram") != 0)) {
        if (optind < argc)
            diag_error("unknown games analysis '%s' (ultimatum or milgram)", argv[optind]);
        else
            diag_error("games needs one of: ultimatum, milgram (see 'psyfaith games --help')");
        return 2;
    }
    int table = format ? strcmp(format, "table") == 0 : isatty(fileno(stdout));
    int ultimatum = strcmp(argv[optind], "ultimatum") == 0;
    struct games_human h;
    struct games_rows rows = { 0 };
    if (games_human_load(human, &h) < 0)
        return 1;
    sqlite3 *db = store_open(store_path(db_opt), STORE_READ);
    int ret = -1;
    if (db) {
        ret = ultimatum ? games_ultimatum(db, &h, &o, &rows) : games_milgram(db, &h, &o, &rows);
        if (ret == 0 && ultimatum)
            ret = games_strategy(db, &h, &o, &rows);
        store_close(db);
    }
    if (ret == 0)
        ret = render_games(&rows, table, stdout);
    games_rows_free(&rows);
    games_human_free(&h);
    return ret < 0 ? 1 : 0;
}
