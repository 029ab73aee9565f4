/* metrics/probs.h -- what the option probabilities say beside the text (issue 14 part 5):
 * per model, over its responses with probabilities (table response_prob), the agreement of the
 * argmax with the text parse (share and Cohen's kappa), the mean entropy in nats and the mean
 * mass outside the scale.  Reads the store, prints nothing but a diag_error() on failure;
 * conventions as in scores.h. */
#ifndef PSYFAITH_PROBS_METRICS_H
#define PSYFAITH_PROBS_METRICS_H

#include <stddef.h>
#include <sqlite3.h>

struct prob_summary_row {
    char *model;                /* owned */
    long n;                     /* responses with probabilities */
    long n_scale;               /* of them with mass on the scale (an EV and an entropy) */
    long n_text;                /* of them whose option came from text (or `option`) and parsed ok */
    long n_compared;            /* of those with an argmax (no tie): the pairs compared */
    long n_agree;               /* of the pairs, text option == argmax */
    double agree;               /* n_agree / n_compared; NAN when none */
    double kappa;               /* Cohen's unweighted kappa of (text option, argmax) over the pairs,
                                 * categories the option numbers; NAN when undefined (see note) */
    double mean_entropy;        /* over n_scale, nats; NAN when none */
    double mean_outside;        /* over n */
    const char *note;           /* static; "" when nothing to say */
};

struct prob_summary {
    struct prob_summary_row *rows;   /* one per model with probabilities, by model name */
    size_t n;
};

/* Fills *out (zeroed first) from the store, only the instrument's responses when `instrument`
 * is not NULL.  0, or -1 after printing why; free with prob_summary_free() either way. */
int prob_summary_compute(sqlite3 *db, const char *instrument, struct prob_summary *out);
void prob_summary_free(struct prob_summary *s);

#endif
