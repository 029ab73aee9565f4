/* classify/classify.h -- the per-dimension text classifier: pure computation, no store, no output.
 *
 * Features and model are those of scikit-learn's
 *     TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=M)
 *     LogisticRegression(C=C, penalty='l2', class_weight=None|'balanced')
 * with every other option at its default:
 *   - text is lower-cased as Python's str.lower() does (classify_lower()), then split into tokens,
 *     the maximal runs of 2+ letters (\p{L}), digits (\p{N}) or '_' -- sklearn's (?u)\b\w\w+\b;
 *   - terms are the tokens and the bigrams (two consecutive tokens joined by one space);
 *   - idf = ln((1 + n) / (1 + df)) + 1, tf -> 1 + ln(tf), each row scaled to unit L2 norm over
 *     the terms of the vocabulary (out-of-vocabulary terms are ignored, as sklearn's transform);
 *   - weights minimise 0.5*|w|^2 + C * sum_i sw_i * logloss(y_i, w.x_i + b), b unpenalised,
 *     sw_i = 1, or n / (2 * n_class(y_i)) when balanced.
 * The solver is a trust-region Newton method with diagonally preconditioned conjugate gradients
 * (Lin, Weng & Keerthi 2008, JMLR 9:627; Hsia, Chiang & Lin 2018, ACML), the method of liblinear,
 * run single-threaded in a fixed order: the same data and options give bit-identical weights.
 *
 * Errors: every int function returns 0, or -1 after printing why through diag_error()
 * (classify_store_load also returns 1 for "no classifier", silently).
 *
 * Layer: the computation above uses no store and writes nothing.  The store part at the end
 * (model_store.c) reads labeled_behavior and behavior and writes classifier, classifier_term,
 * behavior's label columns and crs; that table is how metrics/ gets criterion scores (metrics
 * never calls classify/, and classify never calls metrics/).  Nothing here writes to stdout or
 * parses argv: the command formats and prints.
 * Ownership: a classify_model (train, from_arrays, store_load) and a classify_trainset are the
 * caller's, released by classify_model_free() / classify_trainset_free(); a model owns its term
 * strings.  Texts and labels passed in are borrowed for the call (from_arrays copies).  The
 * term lists of classify_analyze() and classify_store_top_terms() are one malloc'd block each.
 * Threads: a fit, the CV folds and classify_predict_par() run on worker threads (util.h par_for,
 * opt->threads) with results that do not depend on the count; otherwise a model keeps prediction
 * buffers inside, so one model must not predict on two threads at once outside
 * classify_predict_par(). */
#ifndef PSYFAITH_CLASSIFY_H
#define PSYFAITH_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Training options; every field is stored with a model (classify_options_format()). */
struct classify_options {
    double C;             /* inverse regularisation strength, > 0 (sklearn C; default 1) */
    int balanced;         /* 1: class_weight='balanced' (default 0: every text weighs 1) */
    long min_df;          /* keep terms found in at least min_df training texts (default 1) */
    double tol;           /* stop when |grad| <= tol * |grad at w = 0| (default 1e-8) */
    int max_iter;         /* Newton iteration cap (default 100) */
    int folds;            /* k of k-fold cross-validation, >= 2 (default 5) */
    unsigned long seed;   /* seed of the fold shuffle (gsl_rng_mt19937; default 42) */
    size_t threads;       /* worker threads (default threads_default()); not stored with a model:
                           * the weights, CV folds and predictions are the same at any count */
};
void classify_options_default(struct classify_options *opt);
/* "C=1 class_weight=none min_df=1 tol=1e-08 max_iter=100 folds=5 seed=42": the text that the
 * classifier.options column holds; numbers print with %.17g so they read back exactly. */
int classify_options_format(const struct classify_options *opt, struct strbuf *out);
/* Parses that text (keys in any order; a missing key keeps its default). */
int classify_options_parse(const char *text, struct classify_options *opt);

struct classify_scratch;   /* private: lookup table and buffers for prediction */

/* A trained model.  n_terms, terms, idf, weight, intercept and opt ARE the serialised form: store
 * them as classifier_term(term, idf, weight) rows and classifier(intercept, options) and rebuild
 * with classify_model_from_arrays().  terms are sorted by byte value (= Unicode code point order,
 * sklearn's vocabulary order); the strings point into memory owned by the model. */
struct classify_model {
    size_t n_terms;
    char **terms;              /* NUL-terminated UTF-8, unigrams and "word word" bigrams */
    double *idf;
    double *weight;
    double intercept;
    struct classify_options opt;
    /* how the fit went (not serialised; zero after classify_model_from_arrays()) */
    size_t n_train, n_pos;     /* training texts, and those labelled 1 */
    int iterations;            /* Newton iterations */
    long cg_iterations;        /* conjugate-gradient steps (Hessian-vector products) */
    int converged;             /* 0 when max_iter stopped the solver first */
    double grad_norm;          /* final |grad| / |grad at w = 0| */
    struct classify_scratch *scratch;
};

/* Fits a model to n texts (NUL-terminated UTF-8) with labels 0 or 1.  Fails, naming the problem,
 * on n = 0, a label other than 0/1, only one class, a NULL, empty, blank or invalid UTF-8 text,
 * no term left after min_df, or bad options.  *out is the caller's: classify_model_free(). */
int classify_train(const char *const *texts, const int *labels, size_t n,
                   const struct classify_options *opt, struct classify_model **out);

/* P(label = 1 | text) = 1 / (1 + exp(-(w.x + b))).  Fails on a NULL, empty, blank or invalid
 * UTF-8 text.  A text with no known term gets 1 / (1 + exp(-b)).  Not reentrant: uses buffers
 * inside the model, so one model must not predict from two threads at once. */
int classify_predict(const struct classify_model *m, const char *text, double *prob);
/* The same for n texts into prob[0..n).  Stops at the first bad text (message names its index). */
/* classify_predict() of texts[0..n) into prob[], on up to `threads` workers (at most 16), each
 * with its own tokeniser and buffers (the model is only read; the values are those of one
 * thread).  0, or -1 after a message: *bad = the first text that could not be labelled (n when a
 * thread could not be started). */
int classify_predict_par(const struct classify_model *m, const char *const *texts, size_t n, size_t threads,
                         double *prob, size_t *bad);
int classify_predict_many(const struct classify_model *m, const char *const *texts, size_t n,
                          double *prob);

/* Rebuilds a model from stored arrays (copied; any order; terms must be distinct, non-empty, and
 * idf/weight finite).  Sorting makes the result independent of the order of the rows, so
 * predictions are bit-identical to those of the model that was stored. */
int classify_model_from_arrays(size_t n_terms, const char *const *terms, const double *idf,
                               const double *weight, double intercept,
                               const struct classify_options *opt, struct classify_model **out);
void classify_model_free(struct classify_model *m);

/* Quality of probabilistic predictions against 0/1 labels; "yes" means prob > 0.5 (sklearn's
 * decision function > 0).  Precision is 0 when nothing is predicted yes, F1 is 0 when precision
 * and recall are 0 (sklearn's zero_division=0); auc is the area under the ROC curve with tied
 * scores counted one half (= sklearn roc_auc_score), NaN when only one class is present. */
struct classify_metrics {
    size_t n, tp, fp, tn, fn;
    double accuracy, precision, recall, f1, auc;
};
int classify_metrics(const int *labels, const double *prob, size_t n, struct classify_metrics *out);

/* Stratified fold assignment: fold[i] in [0, k).  The indices of each class, in input order, are
 * shuffled with gsl_ran_shuffle() from one gsl_rng_mt19937 seeded with `seed` (class 0 first, then
 * class 1) and dealt to folds round-robin, class 1 continuing where class 0 stopped, so fold sizes
 * differ by at most one and each class's counts by at most one.  Needs k >= 2 and each class at
 * least k texts (otherwise some training split would lack a class). */
int classify_cv_folds(const int *labels, size_t n, int k, unsigned long seed, int *fold);

/* k-fold cross-validation with opt->folds and opt->seed: for each fold, a model (vocabulary, idf
 * and weights) is trained on the other folds and predicts the held-out texts; the metrics are
 * computed once over all n out-of-fold predictions (as sklearn's cross_val_predict followed by the
 * metric), so they are defined even when a fold is small.  prob may be NULL; else it receives
 * the out-of-fold probabilities. */
int classify_cv(const char *const *texts, const int *labels, size_t n,
                const struct classify_options *opt, struct classify_metrics *out, double *prob);
/* The same with the caller's folds, fold[i] in [0, k) (e.g. one fold per occasion, so that no
 * occasion is both trained and tested on); every fold must be non-empty and leave both classes
 * in its training split.  opt->folds and opt->seed are not used. */
int classify_cv_assigned(const char *const *texts, const int *labels, size_t n,
                         const struct classify_options *opt, const int *fold, int k,
                         struct classify_metrics *out, double *prob);

/* The analyser, for tests and inspection: the terms of one text in sklearn's build_analyzer()
 * order (the unigrams in text order, then the bigrams).  *terms is one malloc'd block holding the
 * pointer array and the strings: free(*terms).  text must be valid UTF-8 (else -1). */
int classify_analyze(const char *text, char ***terms, size_t *n_terms);

/* Python str.lower() of valid UTF-8 s[0..n), appended to out (see classify_lower in lower.c for
 * what "as Python" covers).  0, or -1 on invalid UTF-8 or out of memory. */
int classify_lower(const char *s, size_t n, struct strbuf *out);

/* ---- The store (classify/model_store.c; the command is cli/classify.c) -------------------------
 * Everything above is pure computation; these read and write the store's labeled_behavior,
 * classifier, classifier_term, behavior and crs tables (schema.sql) through an open handle from
 * store_open().  Dimensions are canonical codes (EXT AGR CONS EMO OPEN). */
struct sqlite3;

extern const char *const classify_dimensions[5];   /* EXT AGR CONS EMO OPEN, the output order */

/* Which dimensions have rows in `table` ("labeled_behavior", "behavior" or "classifier"):
 * present[d] = 1 for classify_dimensions[d].  0, or -1 after printing why. */
int classify_store_dimensions(struct sqlite3 *db, const char *table, int present[5]);

/* The labelled behaviours of one dimension in training order, ORDER BY text, label (bytewise), so
 * that the model is a function of the set of rows, not of the order they were ingested in.  hash
 * is the sha256 (hex) over, per row in that order, the label digit, a TAB, the text and a NUL.
 * Fails, naming the dimension and the row's file:line, on a blank text.  n = 0 is not an error.
 * Free with classify_trainset_free(). */
struct classify_trainset {
    size_t n, n_pos;
    char **texts;              /* owned */
    int *labels;               /* 0 or 1 */
    char hash[65];
};
int classify_store_trainset(struct sqlite3 *db, const char *dimension, struct classify_trainset *out);
void classify_trainset_free(struct classify_trainset *t);

/* A classifier row (everything but its terms).  cv_folds = 0: not cross-validated, the cv
 * metrics are NaN (NULL in the store). */
struct classify_info {
    char dimension[8];
    char options[256];         /* classify_options_format(); folds/seed left out when cv_folds = 0 */
    char train_hash[65];
    long n_train, n_terms;
    double intercept;
    int cv_folds;
    struct classify_metrics cv;
    char trained_at[32];       /* UTC, 2024-01-31T12:00:00Z */
};

/* Stores m as the classifier of `dimension` in one transaction (BEGIN IMMEDIATE ... COMMIT),
 * replacing any previous one; *had_previous = 1 and *previous = its row when there was one
 * (previous may be NULL).  cv may be NULL (not cross-validated).  Nothing is written on failure. */
int classify_store_save(struct sqlite3 *db, const char *dimension, const struct classify_model *m,
                        const char *train_hash, size_t n_train, const struct classify_metrics *cv,
                        int cv_folds, int *had_previous, struct classify_info *previous);

/* The stored classifier of `dimension`: 0 and *info filled (m may be NULL: the row only; else
 * *m is the caller's, classify_model_free()), 1 when there is none (no message), -1 after
 * printing why.  Predictions equal those of the model that was saved, bit for bit. */
int classify_store_load(struct sqlite3 *db, const char *dimension, struct classify_info *info,
                        struct classify_model **m);

/* The k terms of largest (positive = 1: weight > 0, descending) or smallest (positive = 0:
 * weight < 0, ascending) weight; ties by term.  *terms is one malloc'd block (pointers and
 * strings): free(*terms); free(*weights).  0 or -1. */
int classify_store_top_terms(struct sqlite3 *db, const char *dimension, int positive, size_t k,
                             char ***terms, double **weights, size_t *n);

/* `classify apply` on the dimensions with want[d] set: in one transaction, labels every behavior
 * row of those dimensions (probability, label = probability > 0.5) and replaces their CrS rows.
 * CrS (RealBehavior Eq. 6) of a subject x dimension: per occasion the mean of label (method 'label') or of probability ('prob') over its
 * repetitions, then the mean over occasions; crs.n = occasions.  Fails, naming the dimension,
 * when a wanted dimension has no classifier or a behaviour has a blank text; then nothing is
 * written.  replace_all: delete every crs row first (else only those of the wanted dimensions).
 * counts[d] = rows labelled, yes[d] = of those labelled 1, subjects[d] = CrS rows written.
 * Runs in the caller's write transaction when one is open (store_begin(), so that what the caller
 * read to choose `want` is the snapshot labelled), else in its own; commits, or rolls back on error. */
int classify_store_apply(struct sqlite3 *db, const int want[5], int replace_all, int method_prob,
                         long counts[5], long yes[5], long subjects[5]);

/* `psyfaith classify train|apply|predict|show ...`, argv[0] = "classify".  0 ok, 1 failed, 2 usage. */

#endif
