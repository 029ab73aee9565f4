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

/* How the options were presented (issue 14 part 1): at[p] is the ascending-scale option shown at
 * presented position p + 1.  When the presented labels are letters (letters = 1) a letter in an
 * answer names the label itself (label "A" is option 1 wherever it was shown) and digits name
 * positions; when they are numbers (numbers = 1) a digit names the label and letters name
 * positions; otherwise (word labels, or only option_order given) letters and digits both name the
 * presented position.  Scale words ("Strongly agree") always keep their meaning. */
struct answer_presentation {
    int k;                      /* options, 2..11 */
    int at[11];
    int letters, numbers;
};
/* The presentation of option_order alone: ascending (at[p] = p + 1) or descending. */
void answer_presentation_order(struct answer_presentation *pr, int k, int descending);
/* answer_parse() against any presentation. */
enum answer_status answer_parse_presented(const char *text, size_t len, const struct answer_presentation *pr,
                                          int *option);
/* The ascending option a scale word names ("strongly agree" -> 5; any case), 0 when it is none or
 * the scale is not 5 options long: the label rule of answer_parse(). */
int answer_label_option(const char *s, size_t n, int n_options);
/* answer_parse() without its table of recent results (answer.c): every pattern runs.  The same
 * result as answer_parse() always; for tests, which compare the two. */
enum answer_status answer_parse_full(const char *text, size_t len, int n_options, int descending,
                                     int *option);

/* ANSWER_REFUSAL when the text has a refusal phrase ("As an AI language model", "I cannot answer"),
 * else ANSWER_UNPARSED (or ANSWER_ERROR).  For other parsers (ingest/decision.c). */
enum answer_status answer_refusal(const char *text, size_t len);

const char *answer_status_name(enum answer_status s);

/* The option a whole label names, for probability tables (option_probs keys, logprob tokens): the
 * label trimmed of white space and of one pair of brackets or a trailing ")", "." or ":" must be a
 * presented position (a number 1..K or a letter A..K, either case; `descending` reverses it, as in
 * answer_parse) or a scale label of answer_parse (5 options only), or on 5 options the bare Likert
 * words "agree" (4) and "disagree" (2).  0 when it names no option of the scale ("Strongly", "7" on
 * 5 options, "\n").  Pure: no patterns, any thread. */
int answer_label(const char *s, size_t len, int n_options, int descending);
/* The same against any presentation (issue 14 part 1's `options`): a letter or digit names the
 * label itself where the presentation's labels are letters or numbers, else the position, exactly as
 * answer_parse_presented() reads one in a text. */
int answer_label_presented(const char *s, size_t len, const struct answer_presentation *pr);

/* After ANSWER_ERROR: "pattern NAME hit the match limit" (or PCRE2's own message).  The text lives in
 * a per-thread buffer, valid until the next parse on the same thread. */
const char *answer_error(void);

/* Records a PCRE2 failure (rc < 0 and not PCRE2_ERROR_NOMATCH) of the pattern called `name` for
 * answer_error(); returns ANSWER_ERROR so that a parser can `return answer_failed(rc, "...")`. */
enum answer_status answer_failed(int rc, const char *name);

#endif
