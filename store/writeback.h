/* store/writeback.h -- a bulk load's pages on their way to the disk before its commit.
 *
 * A bulk load (store_bulk_begin) writes the store file through the page cache, and the kernel keeps
 * what it wrote dirty for up to 30 s (vm.dirty_expire_centisecs) unless far more piles up: so the
 * commit's fdatasync found the whole load still in memory and waited for all of it (5M lines:
 * 0.45 s of a 7.5 s ingest, both cores idle).  Every WRITEBACK_STEP bytes of growth, the writer
 * asks a helper thread to make what it has written so far durable (fdatasync) while it goes on
 * writing: the data, and the file system's own journal commit for the blocks it allocated, are then
 * done in the background, and the commit finds only the last step left.  The commit's own
 * fdatasync is unchanged, and still the only durability point: syncing pages of a transaction
 * early is harmless, since the rollback journal (synced by SQLite before any page of the store is
 * overwritten) stays hot until the commit.
 *
 * The descriptor is a read-only one of the store file that the store keeps until store_close()
 * (store_file_fd): closing it earlier would drop the load's exclusive lock, SQLite's POSIX lock,
 * with it.  Everything here is a hint: where the helper cannot start, the writer gives the kernel a
 * write-back hint itself (sync_file_range, Linux) or nothing.  An I/O error met by the helper is
 * not lost: the kernel reports it at the next fsync of every descriptor that was open when it
 * happened, SQLite's too, so the commit fails as it would have. */
#ifndef PSYFAITH_WRITEBACK_H
#define PSYFAITH_WRITEBACK_H

#include <pthread.h>
#include <sys/types.h>
#include <sqlite3.h>

struct writeback {
    int fd;                 /* -1: no write-back */
    off_t step;             /* WRITEBACK_STEP, or the test hook's */
    off_t last;             /* the file size at the last request */
    long hints;             /* requests made (the test hook reports them) */
    int test_wait;          /* test hook: the writer waits for each request's fdatasync */
    int helper_running;     /* 0: no helper, the writer hints itself */
    pthread_t helper;
    pthread_mutex_t mu;     /* guards the rest */
    pthread_cond_t cv;      /* a request or stop for the helper, a served request for the writer */
    int stop;
    long asked, served;     /* requests made, and the last one an fdatasync has covered */
    long syncs;             /* the helper's fdatasync calls that succeeded */
};

/* Takes the store's descriptor of its file and starts the helper; w->fd stays -1 when there is no
 * descriptor (not an error). */
void writeback_open(struct writeback *w, sqlite3 *db);
/* After a batch: a request when the file grew by a step since the last one.  It does not wait for
 * the helper's fdatasync (only the test hook makes it). */
void writeback_after_batch(struct writeback *w);
/* Stops the helper (waiting for an fdatasync it is in) and ends the requests; the descriptor stays
 * the store's. */
void writeback_close(struct writeback *w);

#endif
