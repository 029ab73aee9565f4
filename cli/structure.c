/* cli/structure.c -- `psyfaith structure`: options and usage; metrics/structure_data.c builds each
 * group's respondents x items matrix, metrics/structure_*.c fit it (EFA; CFA and invariance beside it)
 * and reports/render_structure.c writes the tidy rows */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "diag.h"
#include "progress.h"
#include "metrics/scores.h"
#include "metrics/structure.h"
#include "metrics/structure_cfa.h"
#include "metrics/structure_data.h"
#include "reports/out.h"
#include "reports/render.h"
#include "store/store.h"
#include "util.h"

static const char structure_usage[] =
    "usage: psyfaith structure [--db FILE] [--format csv|table] [--instrument NAME] [--units subjects|runs]\n"
    "                          [--by model|all] [--condition NAME] [--factors K] [--method minres|ml]\n"
    "                          [--rotate varimax|oblimin|none] [--cor pearson|polychoric] [--human MODEL] [--cfa]\n"
    "  Structural validity: does the instrument's factor structure hold for a model's answers?  Per\n"
    "  instrument x group (a model, or all pooled) x condition, one tidy row per coefficient, header\n"
    "    analysis,instrument,model,condition,units,method,factor,factor_b,item,statistic,value,se,n,note\n"
    "  The data are the raw options 1..K as answered (not reverse keyed: a - keyed item loads negatively\n"
    "  on its trait), one row per respondent; answers missing are left out pairwise (EFA, as psych::fa).\n"
    "\n"
    "  --format csv|table   default: table on a terminal, CSV otherwise\n"
    "  --instrument NAME    this instrument only (default: every instrument with responses)\n"
    "  --units subjects|runs  respondents: subjects (default; each subject's majority-voted answers) or\n"
    "                       runs (each repetition of each subject a respondent with its own answers)\n"
    "  --by model|all       a group per model (default) or every model's respondents pooled (model 'all')\n"
    "  --condition NAME     this experimental condition only ('baseline' = none); default: each\n"
    "                       condition is its own study, as in psyfaith metrics\n"
    "  --factors K          factors to extract (default: the instrument's number of dimensions)\n"
    "  --method minres|ml   extraction (default minres), as psych::fa fm = \"minres\" / \"ml\"\n"
    "  --rotate varimax|oblimin|none  rotation (default oblimin, psych::fa's default, GPArotation)\n"
    "  --cor pearson|polychoric  the correlations factored (default pearson, pairwise complete)\n"
    "  --human MODEL        the model name of human respondents (default 'human', e.g. a wide table\n"
    "                       loaded with ingest --wide --set model=human): when the store has them for the\n"
    "                       instrument (baseline condition), each factor's congruence with theirs is a row\n"
    "  --cfa                also the CFA of the instrument's model per group (ML, std.lv, correlated\n"
    "                       factors, complete cases; as lavaan::cfa: loadings, residual variances, factor\n"
    "                       correlations with SEs, chisq, df, pvalue, cfi, tli, rmsea [90% CI], srmr, aic, bic)\n"
    "                       and, with --by model and two models or more, measurement invariance across\n"
    "                       them (configural, metric, scalar; delta chi-square test and delta CFI), model 'all'.\n"
    "                       A fit that fails, does not converge or is a Heywood case is one 'fit' row with\n"
    "                       an empty value and the reason in note\n";

static int parse_choice(int ok, const char *opt, const char *choices, const char *arg)
{
    if (ok < 0) {
        diag_error("%s takes %s, got '%s'", opt, choices, arg);
        return -1;
    }
    return 0;
}

struct structure_cli {
    const char *instrument, *condition, *human;
    int condition_given, by_all, cfa;
    enum sd_units units;
    struct efa_options efa;
};

/* One instrument: the human reference fit, then every condition x group. */
static int run_instrument(sqlite3 *db, const char *name, const struct structure_cli *c, struct out *o, size_t *groups)
{
    struct sd_instrument ins;
    struct efa_fit human = { 0 };
    char **conds = NULL, **models = NULL;
    size_t n_conds = 0, n_models = 0;
    int ret = -1, have_human = 0;
    if (sd_instrument_load(db, name, &ins) < 0)
        return -1;
    if (c->human && *c->human) {
        struct sd_matrix hm;
        struct structure_table scratch = { 0 };
        if (sd_matrix_load(db, &ins, NULL, c->human, SD_SUBJECTS, &hm) < 0)
            goto out;
        if (hm.n_resp > 0)
            have_human = structure_efa(&ins, &hm, &c->efa, NULL, &scratch, &human) == 0 && human.k > 0;
        sd_matrix_free(&hm);
        structure_table_free(&scratch);
    }
    if (c->condition_given) {
        if (!(conds = calloc(1, sizeof *conds)) || (c->condition && !(conds[0] = strdup(c->condition)))) {
            diag_error("out of memory");
            goto out;
        }
        n_conds = 1;
    } else if (score_conditions(db, name, &conds, &n_conds) < 0)
        goto out;
    for (size_t ci = 0; ci < n_conds; ci++) {
        if (c->by_all) {
            if (!(models = calloc(1, sizeof *models)))
                goto out;
            n_models = 1;
        } else if (sd_models(db, &ins, conds[ci], &models, &n_models) < 0)
            goto out;
        struct cfa_moments *moms = c->cfa ? calloc(n_models ? n_models : 1, sizeof *moms) : NULL;
        if (c->cfa && !moms) {
            diag_error("out of memory");
            goto out;
        }
        int groups_ok = 1;
        char stage[160];
        snprintf(stage, sizeof stage, "structure: %s%s%s", ins.name, conds[ci] ? ", " : "", conds[ci] ? conds[ci] : "");
        progress_stage(stage, (long long)n_models + (c->cfa && !c->by_all), "groups");   /* + invariance */
        for (size_t g = 0; g < n_models && groups_ok; g++) {
            struct sd_matrix m;
            struct structure_table t = { 0 };
            struct structure_group grp = { ins.name, models[g], conds[ci], sd_units_name(c->units) };
            int is_human = models[g] && c->human && strcmp(models[g], c->human) == 0;
            if (sd_matrix_load(db, &ins, conds[ci], models[g], c->units, &m) < 0)
                goto out;
            *groups += m.n_resp > 0;
            int ok = m.n_resp == 0 ||
                     (structure_efa(&ins, &m, &c->efa, have_human && !is_human ? &human : NULL, &t, NULL) == 0
                      && (!c->cfa || structure_cfa(&ins, &m, &t, &moms[g]) == 0)
                      && render_structure_add(o, &t, &grp) == 0);
            structure_table_free(&t);
            sd_matrix_free(&m);
            groups_ok = ok;
            progress_add(1);
        }
        if (groups_ok && c->cfa && !c->by_all) {   /* invariance across the models: moments only */
            struct structure_table t = { 0 };
            struct structure_group grp = { ins.name, NULL, conds[ci], sd_units_name(c->units) };
            groups_ok = structure_invariance(&ins, moms, n_models, &t) == 0 && render_structure_add(o, &t, &grp) == 0;
            structure_table_free(&t);
            progress_add(1);
        }
        for (size_t g = 0; moms && g < n_models; g++)
            cfa_moments_free(&moms[g]);
        free(moms);
        if (!groups_ok)
            goto out;
        sd_names_free(models, n_models);
        models = NULL;
        n_models = 0;
    }
    ret = 0;
out:
    sd_names_free(models, n_models);
    score_conditions_free(conds, n_conds);
    efa_fit_free(&human);
    sd_instrument_free(&ins);
    return ret;
}

int cmd_structure(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },         { "format", required_argument, NULL, 'f' },
        { "instrument", required_argument, NULL, 'i' }, { "units", required_argument, NULL, 'u' },
        { "by", required_argument, NULL, 'b' },         { "condition", required_argument, NULL, 'c' },
        { "factors", required_argument, NULL, 'k' },    { "method", required_argument, NULL, 'm' },
        { "rotate", required_argument, NULL, 'r' },     { "cor", required_argument, NULL, 'C' },
        { "human", required_argument, NULL, 'H' },      { "help", no_argument, NULL, 'h' },
        { "cfa", no_argument, NULL, 'A' },
        { 0 } };
    struct structure_cli c = { .human = "human" };
    const char *db_opt = NULL, *format = NULL;
    enum out_format fmt;
    long lv;
    int opt;
    efa_options_default(&c.efa);
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'd': db_opt = optarg; break;
        case 'f': format = optarg; break;
        case 'i': c.instrument = optarg; break;
        case 'H': c.human = optarg; break;
        case 'A': c.cfa = 1; break;
        case 'c':
            c.condition_given = 1;
            c.condition = strcmp(optarg, "baseline") == 0 || !*optarg ? NULL : optarg;
            break;
        case 'u':
            if (parse_choice(sd_units_parse(optarg, &c.units), "--units", "subjects or runs", optarg) < 0)
                return 2;
            break;
        case 'b':
            if (strcmp(optarg, "model") != 0 && strcmp(optarg, "all") != 0)
                return parse_choice(-1, "--by", "model or all", optarg), 2;
            c.by_all = strcmp(optarg, "all") == 0;
            break;
        case 'k':
            if (parse_long(optarg, &lv) < 0 || lv < 1 || lv > 100) {
                diag_error("--factors takes a number of factors from 1 to 100, got '%s'", optarg);
                return 2;
            }
            c.efa.factors = (int)lv;
            break;
        case 'm':
            if (parse_choice(efa_method_parse(optarg, &c.efa.method), "--method", "minres or ml", optarg) < 0)
                return 2;
            break;
        case 'r':
            if (parse_choice(efa_rotate_parse(optarg, &c.efa.rotate), "--rotate", "varimax, oblimin or none",
                             optarg) < 0)
                return 2;
            break;
        case 'C':
            if (parse_choice(efa_cor_parse(optarg, &c.efa.cor), "--cor", "pearson or polychoric", optarg) < 0)
                return 2;
            break;
        case 'h': fputs(structure_usage, stdout); return 0;
        default: fputs(structure_usage, stderr); return 2;
        }
    }
    if (optind != argc) {
        diag_error("unexpected argument '%s'", argv[optind]);
        fputs(structure_usage, stderr);
        return 2;
    }
    if (out_format_parse(format, &fmt) < 0)
        return 2;
    sqlite3 *db = store_open(store_path(db_opt), STORE_READ);
    if (!db)
        return 1;
    char **names = NULL;
    size_t n_names = 0;
    struct out o;
    int ret = 1, began = 0;
    if (c.instrument) {
        struct sd_instrument check;     /* an unknown name fails before any output */
        if (sd_instrument_load(db, c.instrument, &check) < 0)
            goto out;
        sd_instrument_free(&check);
        if (!(names = calloc(1, sizeof *names)) || !(names[0] = strdup(c.instrument))) {
            diag_error("out of memory");
            goto out;
        }
        n_names = 1;
    } else if (sd_instruments(db, &names, &n_names) < 0)
        goto out;
    if (!n_names)
        diag_note("no responses in the store");
    if (render_structure_begin(&o, fmt) < 0)
        goto out;
    began = 1;
    size_t groups = 0;
    /* the one-line display on a terminal (progress.h): a stage per instrument x condition */
    progress_begin("structure", (long long)n_names, "instruments");
    for (size_t i = 0; i < n_names; i++)
        if (run_instrument(db, names[i], &c, &o, &groups) < 0)
            goto out;
    progress_end();
    if (n_names && !groups)
        diag_note("no respondents%s%s%s", c.condition_given ? " in condition " : "",
                  c.condition_given ? (c.condition ? c.condition : "baseline") : "", c.instrument ? " for the instrument" : "");
    began = 0;
    ret = out_end(&o) < 0;
out:
    progress_end();
    if (began)
        out_end(&o);
    sd_names_free(names, n_names);
    store_close(db);
    return ret;
}
