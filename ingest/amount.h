/* ingest/amount.h -- amounts of money in strategy-method and proposer answers (PCRE2, linear)
 *
 * Pure text -> status, like answer.h and decision.h: no store, no output, the text borrowed for
 * the call (need not be NUL-terminated).  The patterns are process-wide (amount_init / amount_free)
 * with one match-data block, so amount_parse() runs on one thread at a time (ingest's reader).
 * The refusal check is answer.c's: call answer_init() too. */
#ifndef PSYFAITH_AMOUNT_H
#define PSYFAITH_AMOUNT_H

#include <stddef.h>

#include "ingest/answer.h"

/* Whose amount the question asked for.  THRESHOLD: the responder's minimum acceptable amount
 * ("As the Responder, what is the minimal amount ... you would accept?"), the speaker's own share.
 * OFFER: the amount a proposer (Ultimatum or Dictator) gives the other player. */
enum amount_role { AMOUNT_THRESHOLD, AMOUNT_OFFER };

int amount_init(void);
void amount_free(void);

/* Reads the amount of an answer that was asked to highlight it in brackets ("[$x]"), in time
 * linear in len.  Only amounts inside [ ] count: prose amounts ("even if the proposal is for $1")
 * are the model's reasoning, not its answer (the authors of ChatGPT-Behavioral coded them None).
 * An amount is "$30", "30", "$33.33", "30 dollars" or "30%" (a percentage of `total`); one above
 * `total` is not a share and is not read.
 *   ANSWER_OK         one amount (repeated or not), or a split of `total` into two amounts whose
 *                     parts the text attributes ("[$30] for you and [$70] for me"); *amount set
 *   ANSWER_AMBIGUOUS  a range ("[$30-$40]"), two amounts that are not an attributable split, or an
 *                     amount under a negation ("I would not accept [$10]") other than a bound
 *                     ("not ... less than [$30]")
 *   ANSWER_REFUSAL    no amount, and a refusal phrase (answer.c)
 *   ANSWER_UNPARSED   no amount
 *   ANSWER_ERROR      PCRE2 failed (never stored; answer_error() says how)
 * The rules are in README.md, "Strategy-method and proposer answers". */
enum answer_status amount_parse(const char *text, size_t len, double total, enum amount_role role,
                                double *amount);

#endif
