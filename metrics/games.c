/* metrics/games.c -- `psyfaith games ultimatum|milgram`: option parsing and the verdict rows
 * (RQ1/RQ2 of Zakazov et al.: does a persona move behaviour the way the trait moves humans, and
 * monotonically?).  The analyses are in games_ug.c and games_me.c, the fits in games_fit.c. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "metrics/games_int.h"
#include "store/store.h"
#include "util.h"

/* "Mehta, P. H. (2007). The ..." -> "Mehta 2007"; anything else is used whole. */
static void short_cite(const char *cite, char *buf, size_t size)
{
    const char *comma = cite ? strchr(cite, ',') : NULL, *paren = cite ? strchr(cite, '(') : NULL;
    if (comma && paren && paren > comma && strlen(paren) >= 6 && paren[5] == ')')
        snprintf(buf, size, "%.*s %.4s", (int)(comma - cite), cite, paren + 1);
    else
        snprintf(buf, size, "%s", cite ? cite : "no source");
}

static const char *more_less(int dir)
{
    return dir > 0 ? "more" : "less";
}

int games_verdict(struct games_rows *out, const struct games_verdict *v, double alpha)
{
    struct games_key key = { "verdict", v->model, v->trait, NULL, NULL };
    char note[768], who[160], eff[64];
    int sig = !isnan(v->p) && v->p < alpha;
    short_cite(v->human_cite, who, sizeof who);
    games_fmt(eff, sizeof eff, v->effect);

    if (v->human_dir)
        snprintf(note, sizeof note, "%s: in humans, higher %s goes with %s %s (%s)", v->experiment, v->trait,
                 more_less(v->human_dir), v->behaviour, v->human_cite);
    else
        snprintf(note, sizeof note, "%s: no human reference for %s", v->experiment, v->trait);
    if (games_emit(out, &key, "human_direction", v->human_dir ? v->human_dir : NAN, NAN, NAN, NAN, NAN, -1, note) < 0)
        return -1;

    if (isnan(v->effect))
        snprintf(note, sizeof note, "%s: no estimate of the effect of %s", v->experiment, v->trait);
    else if (v->model_dir)
        snprintf(note, sizeof note, "%s: higher %s goes with %s %s (%s %s)", v->experiment, v->trait,
                 more_less(v->model_dir), v->behaviour, v->effect_name, eff);
    else
        snprintf(note, sizeof note, "%s: %s has no effect (%s %s)", v->experiment, v->trait, v->effect_name, eff);
    if (games_emit(out, &key, "model_direction", isnan(v->effect) ? NAN : v->model_dir, NAN, NAN, NAN, NAN, v->n,
                   note) < 0)
        return -1;

    if (isnan(v->p))
        snprintf(note, sizeof note, "%s: no test (%s)", v->experiment, v->test);
    else
        snprintf(note, sizeof note, "%s: %s; significant at alpha = %g", v->experiment, v->test, alpha);
    if (games_emit(out, &key, "significant", isnan(v->p) ? NAN : sig, NAN, NAN, NAN, v->p, v->n, note) < 0)
        return -1;

    if (!v->monotone_of || v->steps == 0)
        snprintf(note, sizeof note, "%s: monotonicity not assessable (fewer than 2 levels)", v->experiment);
    else
        snprintf(note, sizeof note, "%s: %zu of %zu adjacent steps of %s go against the model's direction%s",
                 v->experiment, v->violations, v->steps, v->monotone_of,
                 v->steps == 1 ? " (only two levels: trivially monotone)" : "");
    if (games_emit(out, &key, "monotone", !v->monotone_of || v->steps == 0 ? NAN : v->violations == 0, NAN, NAN,
                   NAN, NAN, v->monotone_of ? (long)v->steps : -1, note) < 0)
        return -1;

    double agrees = NAN;
    char pbuf[32] = "no test";
    if (!isnan(v->p))
        snprintf(pbuf, sizeof pbuf, "p = %.3g", v->p);
    if (!v->human_dir) {
        snprintf(note, sizeof note, "%s: no human reference for %s, no verdict", v->experiment, v->trait);
    } else if (isnan(v->effect) || !v->model_dir) {
        snprintf(note, sizeof note, "%s: %s shows no direction for %s, so it cannot match humans (%s)",
                 v->experiment, v->model, v->trait, who);
    } else if (v->model_dir != v->human_dir) {
        agrees = sig ? -1 : 0;
        snprintf(note, sizeof note, "%s: %s: in %s higher %s goes with %s %s (%s), in humans with %s (%s)",
                 v->experiment, sig ? "AGAINST humans" : "opposite direction to humans, but not significant",
                 v->model, v->trait, more_less(v->model_dir), v->behaviour, pbuf, more_less(v->human_dir), who);
    } else {
        agrees = sig;
        snprintf(note, sizeof note, "%s: %s: in %s higher %s goes with %s %s, as in humans (%s; %s)", v->experiment,
                 sig ? "matches humans" : "same direction as humans, but not significant", v->model, v->trait,
                 more_less(v->model_dir), v->behaviour, pbuf, who);
    }
    return games_emit(out, &key, "agrees_with_humans", agrees, NAN, NAN, NAN, NAN, v->n, note);
}

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: psyfaith games ultimatum|milgram [--format csv|table] [--db FILE] [--alpha A] [--human FILE]\n"
            "\n"
            "Ultimatum Game and Milgram analyses of persona-prompted models (Zakazov et al.), with a verdict\n"
            "per model and trait against human findings.  Output: tidy rows with the columns\n"
            "  " GAMES_HEADER "\n"
            "as CSV, or an aligned table (the default on a terminal).  A trial's condition is its record's\n"
            "trait and level, else its persona (agreeableness=7, AGR=max; baseline or none = baseline).\n"
            "Only parsed answers and unfiltered runs are analysed; the others are counted.\n"
            "\n"
            "ultimatum  ug_status (answers per parse status), ug_acceptance (rate + Wilson 95%% CI per\n"
            "           condition and offer; Fig. 3, 5), ug_human (baseline vs the human curve), ug_ols\n"
            "           (lm(y ~ 0 + factor(level) + o): theta_1..theta_9, theta_o, uncentred r2; Fig. 6),\n"
            "           ug_logit (the same as glm binomial), ug_trend (glm(y ~ level + o)), ug_monotonicity\n"
            "           (Spearman rho of theta_i, violations), ug_offer_regression (rate ~ level per offer, r2;\n"
            "           Fig. 7), verdict\n"
            "milgram    me_summary (final level mean, sd, disobediences, filtered runs; Table 1), me_remaining\n"
            "           (%% of runs remaining at each level; Fig. 4, 8), me_human (Milgram 1963), me_welch\n"
            "           (Welch t-tests: persona vs baseline, a trait's extremes), me_cum_disobediences\n"
            "           (from milgram_step rows; Fig. 9), verdict\n"
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
    struct games_opts o = { .alpha = 0.05 };
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
        store_close(db);
    }
    if (ret == 0)
        ret = games_write(&rows, table, stdout);
    games_rows_free(&rows);
    games_human_free(&h);
    return ret < 0 ? 1 : 0;
}
