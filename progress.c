/* progress.c -- see progress.h. */
#include "progress.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"

static struct {
    atomic_int on;                 /* a display is running */
    int depth;                     /* progress_begin calls not yet ended (nested work) */
    atomic_llong done;
    long long total;
    char stage[96], unit[32];
    double start;                  /* the stage's start */
    _Atomic double next;           /* the earliest next redraw: read without the lock by every
                                    * progress_add, written under it (ThreadSanitizer: a race as a
                                    * plain double) */
    double delay;
    int shown;                     /* a line is on the terminal */
    pthread_mutex_t lock;          /* drawing and the fields above besides done */
} P = { .lock = PTHREAD_MUTEX_INITIALIZER };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

/* seconds as "12 s", "3 min 05 s" or "2 h 10 min" */
static void print_secs(double s)
{
    long t = (long)(s + 0.5);
    if (t < 60)
        fprintf(stderr, "%ld s", t);
    else if (t < 3600)
        fprintf(stderr, "%ld min %02ld s", t / 60, t % 60);
    else
        fprintf(stderr, "%ld h %02ld min", t / 3600, t / 60 % 60);
}

/* Draws the line; P.lock held. */
static void draw(double t)
{
    long long done = atomic_load(&P.done);
    double secs = t - P.start, rate = secs > 0 ? done / secs : 0;
    fputs("\rpsyfaith: ", stderr);
    diag_escaped(P.stage);
    if (P.total > 0)
        fprintf(stderr, ": %lld/%lld %s", done, P.total, P.unit);
    else
        fprintf(stderr, ": %lld %s", done, P.unit);
    if (rate >= 10)
        fprintf(stderr, ", %.0f %s/s", rate, P.unit);
    else
        fprintf(stderr, ", %.2g %s/s", rate, P.unit);
    if (P.total > 0 && rate > 0 && done < P.total) {
        fputs(", ETA ", stderr);
        print_secs((double)(P.total - done) / rate);
    }
    fputs("\033[K", stderr);
    fflush(stderr);
    P.shown = 1;
}

static void maybe_draw(void)
{
    double t = now();
    if (t < atomic_load_explicit(&P.next, memory_order_relaxed) || pthread_mutex_trylock(&P.lock) != 0)
        return;
    if (atomic_load(&P.on) && t >= atomic_load(&P.next)) {
        atomic_store(&P.next, t + (P.delay > 0 && P.delay < 0.25 ? P.delay : P.delay > 0 ? 0.25 : 0));
        draw(t);
    }
    pthread_mutex_unlock(&P.lock);
}

static void set_stage(const char *stage, long long total, const char *unit)
{
    copy(P.stage, sizeof P.stage, stage);
    copy(P.unit, sizeof P.unit, unit);
    P.total = total > 0 ? total : 0;
    atomic_store(&P.done, 0);
    P.start = now();
}

void progress_begin(const char *stage, long long total, const char *unit)
{
    if (diag_quiet() || !isatty(2))
        return;
    pthread_mutex_lock(&P.lock);
    if (P.depth++ > 0) {             /* nested: a new stage of the running display */
        pthread_mutex_unlock(&P.lock);
        progress_stage(stage, total, unit);
        return;
    }
    const char *d = getenv("PSYFAITH_PROGRESS_DELAY");
    char *end;
    P.delay = 0.5;
    if (d && *d) {
        double v = strtod(d, &end);
        if (*end == '\0' && v >= 0 && v < 3600)
            P.delay = v;
    }
    set_stage(stage, total, unit);
    atomic_store(&P.next, P.start + P.delay);
    P.shown = 0;
    atomic_store(&P.on, 1);
    pthread_mutex_unlock(&P.lock);
    if (P.delay == 0)
        maybe_draw();
}

void progress_stage(const char *stage, long long total, const char *unit)
{
    if (!atomic_load(&P.on))
        return;
    pthread_mutex_lock(&P.lock);
    set_stage(stage, total, unit);
    double t = P.start;
    if (P.shown || P.delay == 0)
        draw(t);        /* the new stage shows at once once a line is up */
    pthread_mutex_unlock(&P.lock);
}

void progress_add(long long n)
{
    if (!atomic_load(&P.on))
        return;
    atomic_fetch_add(&P.done, n);
    maybe_draw();
}

void progress_set(long long n)
{
    if (!atomic_load(&P.on))
        return;
    atomic_store(&P.done, n);
    maybe_draw();
}

void progress_end(void)
{
    if (!atomic_load(&P.on))
        return;
    pthread_mutex_lock(&P.lock);
    if (--P.depth > 0) {             /* the outer work goes on */
        pthread_mutex_unlock(&P.lock);
        return;
    }
    atomic_store(&P.on, 0);
    if (P.shown) {
        /* the final count once (workers may have skipped the last redraws on the try-lock), then away */
        draw(now());
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    P.shown = 0;
    pthread_mutex_unlock(&P.lock);
}

int progress_active(void)
{
    return atomic_load(&P.on);
}

void progress_erase(void)
{
    if (!atomic_load(&P.on))
        return;
    pthread_mutex_lock(&P.lock);
    if (P.shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        P.shown = 0;
    }
    pthread_mutex_unlock(&P.lock);
}
