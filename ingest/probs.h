/* ingest/probs.h -- per-option probabilities of one response (issue 14 part 5): `option_probs` (an
 * array over the ascending scale, or an object label -> probability) and OpenAI-style `logprobs`
 * (content[0].top_logprobs: token -> log probability), mapped onto the options by answer_label().
 *
 * Pure: JSON in, a prob_table out; no store, no output.  A fault returns -1 with the reason in
 * `why` (naming the place inside the field, "[2]" or "content[0].top_logprobs[3].logprob"), which
 * the record layer turns into a line error naming the field. */
#ifndef PSYFAITH_PROBS_H
#define PSYFAITH_PROBS_H

#include <stddef.h>

#include "ingest/answer.h"

#define PROBS_MAX_OPTIONS 11
#define PROBS_SUM_TOLERANCE 1e-6     /* a table may sum to 1 + this (rounding in the producer) */

struct prob_table {
    int k;                           /* options on the scale */
    double p[PROBS_MAX_OPTIONS + 1]; /* p[1..k]: as given (ascending scale), summed over the labels
                                      * or tokens naming the same option */
    double outside;                  /* mass of the labels/tokens that name no option */
    double scale;                    /* p[1] + ... + p[k] */
    /* of the table renormalised over the scale, q = p / scale; NAN / 0 when scale is 0 */
    double ev;                       /* sum o q[o], on the ascending scale */
    int argmax;                      /* the most probable option; 0 on an exact tie or no mass */
    double entropy;                  /* -sum q ln q, in nats */
};

/* What a response's probabilities hand to the writer, as one blob in the batch's arena
 * (pending.probs): this header, then json_len bytes of probs_format() text.  Copy the header out
 * with memcpy (the arena keeps no alignment). */
struct prob_row {
    double outside, ev, entropy;    /* ev, entropy: NAN when the scale has no mass */
    int argmax;                     /* 0: none */
    int from_text;                  /* the response's option came from its text or `option` field */
    size_t json_len;
};
/* The blob's whole length, header included. */
size_t probs_blob_len(const char *blob);

struct cJSON;
/* `option_probs`: an array of k numbers (option 1..k on the ascending scale), or an object whose
 * keys are labels (answer_label_presented with the record's presentation: option_order or `options`); a label naming no option, two labels naming
 * one option, a value outside [0, 1] or not finite, or a sum above 1 + PROBS_SUM_TOLERANCE is an
 * error.  0, or -1 with why. */
int probs_from_option_probs(const struct cJSON *j, int k, const struct answer_presentation *pr, struct prob_table *t, char *why,
                            size_t why_size);
/* `logprobs`: an OpenAI logprobs object ({"content": [...]}) or its content array.  The first
 * token's top_logprobs (or, when it has none, the token itself) give p = exp(logprob) per token;
 * a token naming no option counts as outside mass, tokens naming one option add up.  A repeated
 * token, a logprob above 0 or not finite, a missing token or logprob, or a sum of p above
 * 1 + PROBS_SUM_TOLERANCE is an error.  0, or -1 with why. */
int probs_from_logprobs(const struct cJSON *j, int k, const struct answer_presentation *pr, struct prob_table *t, char *why,
                        size_t why_size);
/* The table's p[1..k] as a JSON array text (17 significant digits) into buf; its length, or 0
 * when buf is too small. */
size_t probs_format(const struct prob_table *t, char *buf, size_t size);

#endif
