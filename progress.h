/* progress.h -- the one-line progress display of long work (issue 16): on a terminal, stderr shows
 *
 *     psyfaith: STAGE: DONE/TOTAL UNIT, RATE UNIT/s, ETA 12 s
 *
 * rewritten in place (\r ... \033[K) at most four times a second, from half a second after the work
 * began (short work shows nothing), and erased when the work ends, so that the messages and the
 * output that follow start on a clean line.  When stderr is not a terminal, or under --quiet
 * (diag_quiet()), nothing is ever written: logs and pipes stay clean.
 *
 * One display per process (one terminal line), so the state is global and every function may be
 * called from any thread: progress_add() is a lock-free counter, and the thread that passes the
 * time check and wins a try-lock draws the line; the others go on.  Calls without a display
 * running (progress_begin not called, or progress_end already) do nothing, so library code may
 * call progress_add() unconditionally.
 *
 * Usage (e.g. for `psyfaith structure`: a stage per step, its units counted as they finish):
 *
 *     progress_begin("structure: EFA", n_factors * n_starts, "fits");
 *     for (...) { ...one fit...; progress_add(1); }
 *     progress_stage("structure: CFA", n_models, "models");   -- a new stage, counters reset
 *     ...
 *     progress_end();                                          -- always, also on errors
 *
 * Nested work (a command whose step runs another's, e.g. the report's audit part bootstrapping)
 * may call progress_begin again: it becomes a new stage of the running display, and its
 * progress_end leaves the display running until the outermost progress_end.
 * TOTAL 0 means unknown: then no ETA and no "/TOTAL".  STAGE and UNIT are copied.
 * PSYFAITH_PROGRESS_DELAY (seconds, default 0.5) sets the quiet start and the redraw interval to
 * that value (tests set 0 to see every step); it never turns the display on where it is off. */
#ifndef PSYFAITH_PROGRESS_H
#define PSYFAITH_PROGRESS_H

/* Starts the display (a no-op when stderr is not a terminal or quiet mode is on). */
void progress_begin(const char *stage, long long total, const char *unit);
/* A new stage: name, total and unit replaced, done and the rate's clock reset. */
void progress_stage(const char *stage, long long total, const char *unit);
/* n more units done (thread-safe); redraws when due. */
void progress_add(long long n);
/* done = n (for work that knows its position rather than counting steps). */
void progress_set(long long n);
/* Erases the line and stops the display. */
void progress_end(void);
/* Erases the line if one is shown (diag.c calls it before every message); the next redraw puts it
 * back under the message. */
void progress_erase(void);
/* Whether a display is running (callers may skip work that only feeds it). */
int progress_active(void);

#endif
