/* diag.h -- every user-facing error and note goes through here.
 *
 * The bottom layer, with util.h and outfile.h.  Everything goes to stderr, after fflush(stdout),
 * so that a message lands after the output that came before it.  Besides it only usage text, the
 * command table's "unknown command", ingest's progress line and run summary, and a jq child that
 * cannot exec write to stderr.
 * The error convention of the whole program rests on diag_error() and diag_at() returning -1: a
 * function that fails prints why (once, where the cause is known) and returns -1 or NULL, and its
 * callers pass the failure up without printing it again.  Functions that print nothing say so
 * in their header (util.h, metrics/stats.h, the games fits) and return a code or a static reason.
 * Formats and strings are borrowed for the call only; nothing is kept.  The only state is the
 * quiet flag, set once by the command before ingest starts its reading thread (both ingest
 * threads print through here), and a thread's own capture stream (diag_capture). */
#ifndef PSYFAITH_DIAG_H
#define PSYFAITH_DIAG_H
#include <stdio.h>

/* A place in an input file; line 0 = the file as a whole, col 0 = unknown. */
struct srcpos {
    const char *path;
    long line;
    long col;
    int is_record;   /* line counts records of a JSON document, not text lines */
};

/* `psyfaith: error: ...` on stderr; always returns -1 so callers can `return diag_error(...)`. */
int diag_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* `PATH:LINE: ...` (compiler style) on stderr; returns -1. */
int diag_at(const struct srcpos *pos, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* `psyfaith: ...` on stderr, unless quiet mode is on. */
void diag_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void diag_set_quiet(int quiet);
int diag_quiet(void);             /* whether quiet mode is on */
/* `s` on stderr with each control character as \xNN (input text and file names never reach the
 * terminal raw); every message above prints its text this way. */
void diag_escaped(const char *s);
/* While fp is set (an open_memstream), the calling thread's messages go to fp instead of stderr;
 * diag_capture(NULL) ends it.  For a worker whose message may not be the one to show: where one
 * thread reports the first failing input in order, two workers each report their own first, and
 * the caller then prints only the earlier one (diag_replay), so that the output is the same at
 * any thread count (classify/tfidf.c). */
void diag_capture(FILE *fp);
/* Writes text captured by diag_capture() to stderr, as it was formatted. */
void diag_replay(const char *text);

#endif
