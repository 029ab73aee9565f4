/* store/writeback.c -- a bulk load's pages made durable in the background (see writeback.h) */
#define _GNU_SOURCE             /* sync_file_range */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"
#include "store/writeback.h"
#include "util.h"

/* 16 MiB: a request per ~130k response rows.  With the writer's own write-back hints (the previous
 * design, and the fallback below) the commit still waited for the file system's journal commit of
 * the whole load's blocks (500k lines: 25 ms for the rollback journal's fdatasync, 15 ms for the
 * store's, both cores idle).  With the helper's fdatasync, 15 interleaved runs: 0.66 against
 * 0.69 s median at 500k lines, 7.3 against 7.7 s at 5M, the same CPU time.  8 and 32 MiB steps
 * were no different at 500k lines. */
#define WRITEBACK_STEP ((off_t)16 << 20)

/* The helper: an fdatasync of the store file whenever the writer asks, until it is stopped.  Requests
 * made while it is in one are covered by the next. */
static void *helper_main(void *arg)
{
    struct writeback *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->served == w->asked && !w->stop)
            pthread_cond_wait(&w->cv, &w->mu);
        if (w->stop)
            break;
        long covers = w->asked;
        pthread_mutex_unlock(&w->mu);
        int rc = fdatasync(w->fd);      /* an error shows again at the commit's fdatasync (writeback.h) */
        if (w->test_wait)
            fprintf(stderr, "psyfaith: test: write-back sync\n");
        pthread_mutex_lock(&w->mu);
        if (rc == 0)
            w->syncs++;
        w->served = covers;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

void writeback_open(struct writeback *w, sqlite3 *db)
{
    struct stat sb;
    long step;
    w->fd = -1;
    w->last = 0;
    w->hints = w->syncs = w->asked = w->served = 0;
    w->step = WRITEBACK_STEP;
    w->helper_running = w->stop = w->test_wait = 0;
    /* test hook: PSYFAITH_TEST_WRITEBACK_STEP=BYTES (tests/cli/ingest_bulk.sh) lowers the step and
     * makes the writer wait for each request's fdatasync, so that the counts are exact and a test
     * that kills the load after a request finds its pages on the disk */
    const char *test = getenv("PSYFAITH_TEST_WRITEBACK_STEP");
    if (test && parse_long(test, &step) == 0 && step > 0) {
        w->step = (off_t)step;
        w->test_wait = 1;
    }
    if ((w->fd = store_file_fd(db)) < 0)
        return;
    if (fstat(w->fd, &sb) == 0)
        w->last = sb.st_size;
    /* test hook: PSYFAITH_TEST_WRITEBACK_NO_HELPER=1 takes the fallback (tests/cli/ingest_bulk.sh) */
    const char *no_helper = getenv("PSYFAITH_TEST_WRITEBACK_NO_HELPER");
    if (no_helper && *no_helper)
        return;
    if (pthread_mutex_init(&w->mu, NULL) != 0)
        return;
    if (pthread_cond_init(&w->cv, NULL) != 0) {
        pthread_mutex_destroy(&w->mu);
        return;
    }
    if (pthread_create(&w->helper, NULL, helper_main, w) != 0) {
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        return;
    }
    w->helper_running = 1;
}

void writeback_after_batch(struct writeback *w)
{
    struct stat sb;
    if (w->fd < 0 || fstat(w->fd, &sb) != 0 || sb.st_size - w->last < w->step)
        return;
    w->last = sb.st_size;
    if (w->helper_running) {
        pthread_mutex_lock(&w->mu);
        long mine = ++w->asked;
        pthread_cond_broadcast(&w->cv);
        while (w->test_wait && w->served < mine)
            pthread_cond_wait(&w->cv, &w->mu);
        pthread_mutex_unlock(&w->mu);
        w->hints++;
        return;
    }
#ifdef SYNC_FILE_RANGE_WRITE
    /* no helper: start the write-back without waiting for it (the whole file: the kernel skips
     * pages already clean or under write-back) */
    if (sync_file_range(w->fd, 0, 0, SYNC_FILE_RANGE_WRITE) == 0)
        w->hints++;
#endif
}

void writeback_close(struct writeback *w)
{
    if (w->helper_running) {
        pthread_mutex_lock(&w->mu);
        w->stop = 1;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
        pthread_join(w->helper, NULL);
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        w->helper_running = 0;
    }
    if (getenv("PSYFAITH_TEST_WRITEBACK_STEP"))
        fprintf(stderr, "psyfaith: test: %ld write-back hints, %ld syncs\n", w->hints, w->syncs);
    w->fd = -1;                 /* the store's (store_file_fd): it closes it after the connection */
}
