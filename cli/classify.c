/* cli/classify.c -- `psyfaith classify train|apply|predict|show`: the per-dimension behaviour
 * classifiers of RealBehavior Sec. 4.2, trained from labeled_behavior rows and stored with the
 * study; `apply` labels the behavior rows and writes the criterion scores (Eq. 6) that BC (Eq. 5)
 * correlates with the questionnaire scores.  Options, usage and the train/predict output here; the
 * computation is in classify/, the `show` output in reports/render_classify.c. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "classify/classify.h"
#include "cli/cli.h"
#include "cli/classify_cli.h"
#include "diag.h"
#include "progress.h"
#include "reports/out.h"
#include "reports/render.h"
#include "store/store.h"
#include "util.h"

static const char usage_train[] =
    "usage: psyfaith classify train [--dimension D|all] [--folds K] [--seed S] [--c C]\n"
    "                               [--class-weight balanced|none] [--min-df N] [--max-iter N]\n"
    "                               [--threads N]\n"
    "                               [--format csv|table] [--db FILE] [--quiet]\n"
    "  Fits one classifier per dimension from the labeled_behavior rows: word uni- and bigrams,\n"
    "  sublinear TF-IDF, L2-regularised logistic regression (scikit-learn's TfidfVectorizer(\n"
    "  ngram_range=(1,2), sublinear_tf=True) + LogisticRegression).  Prints the K-fold cross-validated\n"
    "  accuracy, precision, recall, F1 and ROC AUC and stores them with the model (terms, idf,\n"
    "  weights, options, the sha256 of the training set) in one transaction per dimension; a\n"
    "  dimension trained before is replaced.  Same rows and options: bit-identical weights.\n"
    "  --dimension D      EXT AGR CONS EMO OPEN or a full name (default all: every dimension with rows)\n"
    "  --folds K          stratified K-fold cross-validation (default 5); 1 = none\n"
    "  --seed S           seed of the fold shuffle (default 42)\n"
    "  --c C              inverse regularisation strength, > 0 (default 1, scikit-learn's C)\n"
    "  --class-weight W   balanced: weigh each class by n / (2 n_class) (default none)\n"
    "  --min-df N         keep n-grams found in at least N training texts (default 1)\n"
    "  --max-iter N       Newton iteration cap (default 100)\n"
    "  --threads N        worker threads, 1 to 256 (default $PSYFAITH_THREADS, else 2): dimensions,\n"
    "                     CV folds, the TF-IDF counts (from 20,000 texts) and the fit's row blocks;\n"
    "                     the models are the same at any count\n";
static const char usage_apply[] =
    "usage: psyfaith classify apply [--crs label|prob] [--dimension D|all] [--db FILE] [--quiet]\n"
    "  Labels every behavior row with its dimension's classifier (probability, and label 1 when the\n"
    "  probability is above 0.5) and replaces the criterion scores in table crs, all in one\n"
    "  transaction.  CrS (RealBehavior Eq. 6) per subject x dimension: the share of occasions\n"
    "  labelled yes (per occasion the mean over its repetitions, then the mean over occasions);\n"
    "  --crs prob uses the mean probability instead.  `psyfaith metrics` correlates CrS with the\n"
    "  questionnaire scores (BC, Eq. 5).  A dimension without a classifier is an error.\n";
static const char usage_show[] =
    "usage: psyfaith classify show [--dimension D] [--terms N] [--format csv|table] [--db FILE]\n"
    "  Per stored classifier: its cross-validated metrics and the N (default 15) n-grams of largest\n"
    "  positive and negative weight.  A table prints one summary table, then the n-grams of each\n"
    "  dimension; CSV is one tidy table: dimension,section,rank,name,value (sections model, cv,\n"
    "  positive, negative).\n";

static void usage_all(FILE *fp)
{
    fprintf(fp, "usage: psyfaith classify train|apply|predict|show [options]\n"
                "  the behaviour classifiers of RealBehavior Sec. 4.2 (one per dimension)\n\n"
                "%s\n%s\n%s\n%s", usage_train, usage_apply, classify_usage_predict, usage_show);
}

int classify_cli_dimension(const char *name, int *reverse)
{
    const char *code;
    *reverse = 0;
    if (!name || strcmp(name, "all") == 0)
        return -1;
    if (!(code = dimension_canonical(name, reverse))) {
        diag_error("unknown dimension '%s' (EXT AGR CONS EMO OPEN, full names, N/neuroticism, or all)", name);
        return -2;
    }
    for (int d = 0; d < 5; d++)
        if (strcmp(code, classify_dimensions[d]) == 0)
            return d;
    return -2;
}

static const char *num(char *buf, size_t size, double v, enum out_format fmt)
{
    if (fmt == OUT_TABLE && isfinite(v)) {
        snprintf(buf, size, "%.4f", v);
        return buf;
    }
    return out_num(buf, size, v);
}

/* ---------- train ---------- */

struct trained {
    struct classify_trainset set;
    struct classify_model *model;
    struct classify_metrics cv;
    int cv_done;
};

/* Cross-validates (when folds >= 2; opt->folds = folds then) and fits one dimension. */
static int train_one(const char *dim, const struct classify_options *opt, int folds, struct trained *t)
{
    const struct classify_trainset *s = &t->set;
    size_t n_neg = s->n - s->n_pos;
    if (s->n_pos == 0 || n_neg == 0)
        return diag_error("cannot train a classifier for dimension %s: all %zu labelled behaviour%s %s "
                          "labelled %s; it needs both yes and no", dim, s->n, s->n == 1 ? "" : "s",
                          s->n == 1 ? "is" : "are", s->n_pos ? "yes" : "no");
    if (folds >= 2 && (s->n_pos < (size_t)opt->folds || n_neg < (size_t)opt->folds))
        return diag_error("cannot cross-validate dimension %s: %d folds need at least %d labelled behaviours "
                          "of each class, found %zu yes and %zu no (use a smaller --folds, or --folds 1 for "
                          "none)", dim, opt->folds, opt->folds, s->n_pos, n_neg);
    if (folds >= 2) {
        if (classify_cv((const char *const *)s->texts, s->labels, s->n, opt, &t->cv, NULL) < 0)
            return diag_error("cannot cross-validate the classifier for dimension %s", dim);
        t->cv_done = 1;
    }
    if (classify_train((const char *const *)s->texts, s->labels, s->n, opt, &t->model) < 0)
        return diag_error("cannot train a classifier for dimension %s", dim);
    progress_add(1);
    return 0;
}

/* The dimensions' fits on worker threads: one dimension per worker, each fit on one thread (a fit
 * gives the same weights at any thread count). */
struct train_job {
    struct trained *tr;
    const int *dims;
    const struct classify_options *opt;
    int folds;
};

static int train_dim(size_t i, size_t worker, void *arg)
{
    const struct train_job *j = arg;
    const int k = j->dims[i];
    (void)worker;
    return train_one(classify_dimensions[k], j->opt, j->folds, &j->tr[k]);
}

static int cmd_train(int argc, char **argv)
{
    enum { O_DB = 1, O_DIM, O_FOLDS, O_SEED, O_C, O_CW, O_MINDF, O_MAXIT, O_FORMAT, O_QUIET, O_THREADS, O_HELP };
    static const struct option opts[] = {
        { "threads", required_argument, NULL, O_THREADS },
        { "db", required_argument, NULL, O_DB }, { "dimension", required_argument, NULL, O_DIM },
        { "folds", required_argument, NULL, O_FOLDS }, { "seed", required_argument, NULL, O_SEED },
        { "c", required_argument, NULL, O_C }, { "class-weight", required_argument, NULL, O_CW },
        { "min-df", required_argument, NULL, O_MINDF }, { "max-iter", required_argument, NULL, O_MAXIT },
        { "format", required_argument, NULL, O_FORMAT }, { "quiet", no_argument, NULL, O_QUIET },
        { "help", no_argument, NULL, O_HELP }, { 0 } };
    struct classify_options opt;
    const char *db_opt = NULL, *dim_opt = NULL, *format = NULL;
    struct trained tr[5];
    int want[5] = {0}, c, ret = 1, folds = 5, reverse;
    long l;
    double d;
    enum out_format fmt;
    sqlite3 *db = NULL;

    classify_options_default(&opt);
    memset(tr, 0, sizeof tr);
    optind = 1;
    while ((c = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
        switch (c) {
        case O_DB: db_opt = optarg; break;
        case O_DIM: dim_opt = optarg; break;
        case O_FORMAT: format = optarg; break;
        case 'q':
        case O_QUIET: diag_set_quiet(1); break;
        case O_FOLDS:
            if (parse_long(optarg, &l) < 0 || l < 1 || l > 1000000) {
                diag_error("--folds takes a whole number of at least 1 (1 = no cross-validation), got '%s'", optarg);
                return 2;
            }
            folds = (int)l;
            break;
        case O_SEED:
            if (parse_long(optarg, &l) < 0 || l < 0) {
                diag_error("--seed takes a whole number >= 0, got '%s'", optarg);
                return 2;
            }
            opt.seed = (unsigned long)l;
            break;
        case O_C:
            if (parse_double(optarg, &d) < 0 || !(d > 0) || !isfinite(d)) {
                diag_error("--c takes a positive number, got '%s'", optarg);
                return 2;
            }
            opt.C = d;
            break;
        case O_CW:
            if (strcmp(optarg, "balanced") == 0)
                opt.balanced = 1;
            else if (strcmp(optarg, "none") == 0)
                opt.balanced = 0;
            else {
                diag_error("--class-weight takes balanced or none, got '%s'", optarg);
                return 2;
            }
            break;
        case O_MINDF:
            if (parse_long(optarg, &l) < 0 || l < 1) {
                diag_error("--min-df takes a whole number of at least 1, got '%s'", optarg);
                return 2;
            }
            opt.min_df = l;
            break;
        case O_MAXIT:
            if (parse_long(optarg, &l) < 0 || l < 1 || l > 1000000) {
                diag_error("--max-iter takes a whole number from 1 to 1000000, got '%s'", optarg);
                return 2;
            }
            opt.max_iter = (int)l;
            break;
        case O_THREADS:
            if (threads_parse(optarg, &opt.threads) < 0) {
                diag_error("--threads takes a number of threads (1 to 256), got '%s'", optarg);
                return 2;
            }
            break;
        case O_HELP: fputs(usage_train, stdout); return 0;
        default: fputs(usage_train, stderr); return 2;
        }
    }
    if (optind != argc) {
        diag_error("classify train takes no arguments ('%s')", argv[optind]);
        fputs(usage_train, stderr);
        return 2;
    }
    int dsel = classify_cli_dimension(dim_opt, &reverse);
    if (dsel == -2 || out_format_parse(format, &fmt) < 0)
        return 2;
    opt.folds = folds >= 2 ? folds : 5;   /* the core's options need k >= 2; unused without CV */
    if (!(db = store_open(store_path(db_opt), STORE_WRITE)))
        return 1;
    /* every training set from one snapshot; the read ends before the models are written (training
     * takes long, and a write transaction held that long would stop every ingest) */
    if (store_read_begin(db) < 0)
        goto out;

    if (dsel >= 0) {
        want[dsel] = 1;
    } else {
        if (classify_store_dimensions(db, "labeled_behavior", want) < 0)
            goto out;
        if (!(want[0] | want[1] | want[2] | want[3] | want[4])) {
            diag_error("no labelled behaviours in the store (ingest records of type labeled_behavior first)");
            goto out;
        }
    }
    /* Everything is trained before anything is written: a bad dimension leaves the store as it was.
     * The training sets are read in order; the fits run one dimension per worker when there are
     * several (each fit then on one thread), else on all the workers. */
    int dims[5], n_dims = 0;
    progress_begin("classify train", (long long)(want[0] + want[1] + want[2] + want[3] + want[4]) *
                                         (folds >= 2 ? folds + 1 : 1), "fits");   /* folds, then the model */
    for (int k = 0; k < 5; k++) {
        const char *dim = classify_dimensions[k];
        if (!want[k])
            continue;
        if (classify_store_trainset(db, dim, &tr[k].set) < 0)
            goto out;
        if (tr[k].set.n == 0) {
            diag_error("no labelled behaviours for dimension %s in the store (ingest records of type "
                       "labeled_behavior first)", dim);
            goto out;
        }
        dims[n_dims++] = k;
    }
    struct classify_options inner = opt;
    if (n_dims >= 2)
        inner.threads = 1;
    struct train_job job = { tr, dims, &inner, folds };
    if (par_for(n_dims >= 2 ? opt.threads : 1, (size_t)n_dims, train_dim, &job) < 0)
        goto out;
    progress_end();
    store_read_end(db);
    for (int k = 0; k < 5; k++) {
        const char *dim = classify_dimensions[k];
        struct classify_info prev;
        int had;
        if (!want[k])
            continue;
        if (classify_store_save(db, dim, tr[k].model, tr[k].set.hash, tr[k].set.n,
                                tr[k].cv_done ? &tr[k].cv : NULL, folds, &had, &prev) < 0)
            goto out;
        const struct classify_model *m = tr[k].model;
        diag_note("trained the %s classifier on %zu labelled behaviours (%zu yes): %zu terms, %d Newton "
                  "iterations%s", dim, tr[k].set.n, tr[k].set.n_pos, m->n_terms, m->iterations,
                  m->converged ? "" : " (stopped at --max-iter before converging)");
        if (had)
            diag_note("replaced the %s classifier trained %s on %ld labelled behaviours%s", dim,
                      prev.trained_at, prev.n_train,
                      strcmp(prev.train_hash, tr[k].set.hash) == 0 ? " (the same training set)"
                                                                   : " (a different training set)");
    }

    static const char *const header[] = { "dimension", "n", "yes", "terms", "folds", "accuracy",
                                          "precision", "recall", "f1", "auc" };
    struct out o;
    if (out_begin(&o, fmt, header, 10) < 0)
        goto out;
    for (int k = 0; k < 5; k++) {
        char n[24], yes[24], terms[24], fo[16], acc[32], pre[32], rec[32], f1[32], auc[32];
        const struct classify_metrics *cv = &tr[k].cv;
        int done = tr[k].cv_done;
        if (!want[k])
            continue;
        snprintf(n, sizeof n, "%zu", tr[k].set.n);
        snprintf(yes, sizeof yes, "%zu", tr[k].set.n_pos);
        snprintf(terms, sizeof terms, "%zu", tr[k].model->n_terms);
        snprintf(fo, sizeof fo, "%d", done ? folds : 0);
        const char *row[] = { classify_dimensions[k], n, yes, terms, done ? fo : NULL,
                              num(acc, sizeof acc, done ? cv->accuracy : NAN, fmt),
                              num(pre, sizeof pre, done ? cv->precision : NAN, fmt),
                              num(rec, sizeof rec, done ? cv->recall : NAN, fmt),
                              num(f1, sizeof f1, done ? cv->f1 : NAN, fmt),
                              num(auc, sizeof auc, done ? cv->auc : NAN, fmt) };
        out_row(&o, row);
    }
    if (out_end(&o) < 0)
        goto out;
    ret = 0;
out:
    progress_end();
    for (int k = 0; k < 5; k++) {
        classify_trainset_free(&tr[k].set);
        classify_model_free(tr[k].model);
    }
    store_close(db);
    return ret;
}

/* ---------- apply ---------- */

static int cmd_apply(int argc, char **argv)
{
    enum { O_DB = 1, O_DIM, O_CRS, O_QUIET, O_HELP };
    static const struct option opts[] = {
        { "db", required_argument, NULL, O_DB }, { "dimension", required_argument, NULL, O_DIM },
        { "crs", required_argument, NULL, O_CRS }, { "quiet", no_argument, NULL, O_QUIET },
        { "help", no_argument, NULL, O_HELP }, { 0 } };
    const char *db_opt = NULL, *dim_opt = NULL;
    int want[5] = {0}, c, ret = 1, method_prob = 0, reverse;
    long counts[5], yes[5], subjects[5];
    sqlite3 *db = NULL;

    optind = 1;
    while ((c = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
        switch (c) {
        case O_DB: db_opt = optarg; break;
        case O_DIM: dim_opt = optarg; break;
        case 'q':
        case O_QUIET: diag_set_quiet(1); break;
        case O_CRS:
            if (strcmp(optarg, "label") == 0)
                method_prob = 0;
            else if (strcmp(optarg, "prob") == 0)
                method_prob = 1;
            else {
                diag_error("--crs takes label or prob, got '%s'", optarg);
                return 2;
            }
            break;
        case O_HELP: fputs(usage_apply, stdout); return 0;
        default: fputs(usage_apply, stderr); return 2;
        }
    }
    if (optind != argc) {
        diag_error("classify apply takes no arguments ('%s')", argv[optind]);
        fputs(usage_apply, stderr);
        return 2;
    }
    int dsel = classify_cli_dimension(dim_opt, &reverse);
    if (dsel == -2)
        return 2;
    if (!(db = store_open(store_path(db_opt), STORE_WRITE)))
        return 1;
    /* one transaction from the first read: the dimensions found are the ones labelled, even while
     * an ingest adds behaviours (classify_store_apply commits it) */
    if (store_begin(db) < 0)
        goto out;
    int present[5];
    if (classify_store_dimensions(db, "behavior", present) < 0)
        goto out;
    if (dsel >= 0) {
        if (!present[dsel]) {
            diag_error("no behaviours for dimension %s in the store (ingest records of type behavior first)",
                       classify_dimensions[dsel]);
            goto out;
        }
        want[dsel] = 1;
    } else {
        if (!(present[0] | present[1] | present[2] | present[3] | present[4])) {
            diag_error("no behaviours in the store (ingest records of type behavior first)");
            goto out;
        }
        memcpy(want, present, sizeof want);
    }
    /* all: every crs row is replaced, so a dimension whose behaviours are gone loses its CrS too */
    if (classify_store_apply(db, want, dsel < 0, method_prob, counts, yes, subjects) < 0)
        goto out;
    for (int k = 0; k < 5; k++)
        if (want[k])
            diag_note("%s: labelled %ld behaviour%s (%ld yes); CrS (%s) for %ld subject%s", classify_dimensions[k],
                      counts[k], counts[k] == 1 ? "" : "s", yes[k], method_prob ? "mean probability" : "share of yes",
                      subjects[k], subjects[k] == 1 ? "" : "s");
    ret = 0;
out:
    store_close(db);
    return ret;
}

/* ---------- predict ---------- */

/* ---------- show ---------- */

static int cmd_show(int argc, char **argv)
{
    enum { O_DB = 1, O_DIM, O_TERMS, O_FORMAT, O_HELP };
    static const struct option opts[] = {
        { "db", required_argument, NULL, O_DB }, { "dimension", required_argument, NULL, O_DIM },
        { "terms", required_argument, NULL, O_TERMS }, { "format", required_argument, NULL, O_FORMAT },
        { "help", no_argument, NULL, O_HELP }, { 0 } };
    const char *db_opt = NULL, *dim_opt = NULL, *format = NULL;
    struct classify_info info[5];
    int want[5] = {0}, c, ret = 1, reverse, any = 0;
    long k_terms = 15;
    enum out_format fmt;
    sqlite3 *db = NULL;

    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_DB: db_opt = optarg; break;
        case O_DIM: dim_opt = optarg; break;
        case O_FORMAT: format = optarg; break;
        case O_TERMS:
            if (parse_long(optarg, &k_terms) < 0 || k_terms < 0 || k_terms > 1000000) {
                diag_error("--terms takes a whole number >= 0, got '%s'", optarg);
                return 2;
            }
            break;
        case O_HELP: fputs(usage_show, stdout); return 0;
        default: fputs(usage_show, stderr); return 2;
        }
    }
    if (optind != argc) {
        diag_error("classify show takes no arguments ('%s')", argv[optind]);
        fputs(usage_show, stderr);
        return 2;
    }
    int dsel = classify_cli_dimension(dim_opt, &reverse);
    if (dsel == -2 || out_format_parse(format, &fmt) < 0)
        return 2;
    if (!(db = store_open(store_path(db_opt), STORE_READ)))
        return 1;
    for (int d = 0; d < 5; d++) {
        int rc;
        if (dsel >= 0 && d != dsel)
            continue;
        if ((rc = classify_store_load(db, classify_dimensions[d], &info[d], NULL)) < 0)
            goto out;
        want[d] = rc == 0;
        any |= want[d];
    }
    if (!any) {
        if (dsel >= 0)
            diag_error("no trained classifier for dimension %s; run 'psyfaith classify train --dimension %s' first",
                       classify_dimensions[dsel], classify_dimensions[dsel]);
        else
            diag_error("no trained classifiers in the store; run 'psyfaith classify train' first");
        goto out;
    }
    if (render_classify_show(db, want, info, (size_t)k_terms, fmt) < 0)
        goto out;
    ret = 0;
out:
    store_close(db);
    return ret;
}

/* ---------- dispatch ---------- */

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} subcommands[] = {
    { "train", cmd_train }, { "apply", cmd_apply }, { "predict", classify_cmd_predict }, { "show", cmd_show },
};

/* Options that take a value, so that `classify --db FILE train` finds "train" and not "FILE". */
static int takes_value(const char *arg)
{
    static const char *const with_value[] = { "--db", "--dimension", "--folds", "--seed", "--c",
                                              "--class-weight", "--min-df", "--max-iter", "--format",
                                              "--crs", "--terms", "--threads" };
    for (size_t i = 0; i < sizeof with_value / sizeof with_value[0]; i++)
        if (strcmp(arg, with_value[i]) == 0)
            return 1;
    return 0;
}

int cmd_classify(int argc, char **argv)
{
    int at = -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (argv[i][0] == '-') {
            i += takes_value(argv[i]);
            continue;
        }
        at = i;
        break;
    }
    if (at < 0) {
        for (int i = 1; i < argc; i++)
            if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
                usage_all(stdout);
                return 0;
            }
        diag_error("classify needs a subcommand: train, apply, predict or show");
        usage_all(stderr);
        return 2;
    }
    for (size_t s = 0; s < sizeof subcommands / sizeof subcommands[0]; s++) {
        if (strcmp(argv[at], subcommands[s].name) != 0)
            continue;
        /* argv for the subcommand: its name, then every other argument in order. */
        char **sub = malloc((size_t)(argc + 1) * sizeof *sub);
        int n = 0, ret;
        if (!sub) {
            diag_error("out of memory");
            return 1;
        }
        sub[n++] = argv[at];
        for (int i = 1; i < argc; i++)
            if (i != at)
                sub[n++] = argv[i];
        sub[n] = NULL;
        ret = subcommands[s].run(n, sub);
        free(sub);
        return ret;
    }
    diag_error("unknown classify subcommand '%s' (train, apply, predict, show)", argv[at]);
    return 2;
}
