/* ingest/answer.h -- raw model answers to options and statuses (PCRE2, patterns compiled once)
 *
 * Pure text -> status: no store, no output (answer_init only prints when it fails).  Texts are
 * borrowed for the call and need not be NUL-terminated.  Status names are static strings.
 * Global state: the compiled patterns and one match-data block are process-wide, made by
 * answer_init() (a second call is a no-op) and released by answer_free(); answer_parse() and
 * answer_refusal() must therefore run on one thread at a time (ingest's reading thread).
 * answer_error()'s text is per thread (see below). */
#ifndef PSYFAITH_ANSWER_H
#define PSYFAITH_ANSWER_H

#include <stddef.h>

/* The first four are stored statuses.  ANSWER_ERROR is never stored: a PCRE2 library error (match or
 * depth limit, no memory) stopped the parse, so the text was not read and nothing may be concluded
 * from it.  answer_error() then says which pattern failed and how; the caller makes it a line error
 * naming file, line and field (or a reject under --skip-bad). */
enum answer_status { ANSWER_OK, ANSWER_AMBIGUOUS, ANSWER_REFUSAL, ANSWER_UNPARSED, ANSWER_ERROR };

/* Compiles the patterns once; 0 or -1 after printing why.  answer_free() releases them. */
int answer_init(void);
void answer_free(void);

/* Parses a questionnaire answer on a scale of n_options (2..11).  Letters and digits name the
 * presented position, which `descending` reverses (A = the highest option); label text
 * ("Moderately Accurate", "Agree a little", "Neutral") keeps its meaning and is used on
 * 5-option scales only.  Sets *option (ascending scale) when the status is ANSWER_OK. */
enum answer_status answer_parse(const char *text, size_t len, int n_options, int descending,
                                int *option);

/* answer_parse() without its table of recent results (answer.c): every pattern runs.  The same
 * result as answer_parse() always; for tests, which compare the two. */
enum answer_status answer_parse_full(const char *text, size_t len, int n_options, int descending,
                                     int *option);

/* ANSWER_REFUSAL when the text has a refusal phrase ("As an AI language model", "I cannot answer"),
 * else ANSWER_UNPARSED (or ANSWER_ERROR).  For other parsers (ingest/decision.c). */
enum answer_status answer_refusal(const char *text, size_t len);

const char *answer_status_name(enum answer_status s);

/* After ANSWER_ERROR: "pattern NAME hit the match limit" (or PCRE2's own message).  The text lives in
 * a per-thread buffer, valid until the next parse on the same thread. */
const char *answer_error(void);

/* Records a PCRE2 failure (rc < 0 and not PCRE2_ERROR_NOMATCH) of the pattern called `name` for
 * answer_error(); returns ANSWER_ERROR so that a parser can `return answer_failed(rc, "...")`. */
enum answer_status answer_failed(int rc, const char *name);

#endif
