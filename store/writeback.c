/* store/writeback.c -- write-back hints during a bulk load (see writeback.h) */
#define _GNU_SOURCE             /* sync_file_range */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "store/store.h"
#include "store/writeback.h"
#include "util.h"

/* 16 MiB: a hint per ~130k response rows (a few ms each), so that the commit waits for about the
 * last step only (500k lines: the store's fdatasync 63 ms without hints, 29 ms at 32 MiB steps,
 * 17 ms at 16 MiB). */
#define WRITEBACK_STEP ((off_t)16 << 20)

void writeback_open(struct writeback *w, sqlite3 *db)
{
    w->fd = -1;
    w->last = 0;
    w->hints = 0;
    w->step = WRITEBACK_STEP;
#ifdef SYNC_FILE_RANGE_WRITE
    /* test hook: PSYFAITH_TEST_WRITEBACK_STEP=BYTES (tests/cli/ingest_bulk.sh) */
    const char *test = getenv("PSYFAITH_TEST_WRITEBACK_STEP");
    long step;
    if (test && parse_long(test, &step) == 0 && step > 0)
        w->step = (off_t)step;
    struct stat sb;
    if ((w->fd = store_file_fd(db)) < 0)
        return;
    if (fstat(w->fd, &sb) == 0)
        w->last = sb.st_size;
#else
    (void)db;
#endif
}

void writeback_after_batch(struct writeback *w)
{
#ifdef SYNC_FILE_RANGE_WRITE
    struct stat sb;
    if (w->fd < 0 || fstat(w->fd, &sb) != 0 || sb.st_size - w->last < w->step)
        return;
    /* the whole file: the kernel skips pages already clean or under write-back */
    if (sync_file_range(w->fd, 0, 0, SYNC_FILE_RANGE_WRITE) == 0)
        w->hints++;
    w->last = sb.st_size;
#else
    (void)w;
#endif
}

void writeback_close(struct writeback *w)
{
    if (getenv("PSYFAITH_TEST_WRITEBACK_STEP"))
        fprintf(stderr, "psyfaith: test: %ld write-back hints\n", w->hints);
    w->fd = -1;                 /* the store's (store_file_fd): it closes it after the connection */
}
