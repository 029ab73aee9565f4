/* store/writeback.h -- a bulk load's pages on their way to the disk before its commit.
 *
 * A bulk load (store_bulk_begin) writes the store file through the page cache, and the kernel keeps
 * what it wrote dirty for up to 30 s (vm.dirty_expire_centisecs) unless far more piles up: so the
 * commit's fdatasync found the whole load still in memory and waited for all of it (5M lines:
 * 0.45 s of a 7.5 s ingest, both cores idle; after: 0.07 s).  Every WRITEBACK_STEP bytes of growth, the writer
 * asks the kernel to start writing what is dirty (sync_file_range, SYNC_FILE_RANGE_WRITE), without
 * waiting for it; the commit's own fdatasync is unchanged, and still the only durability point.
 *
 * The descriptor is a read-only one of the store file (write-back is per file, not per descriptor)
 * that the store keeps until store_close() (store_file_fd): closing it earlier would drop the
 * load's exclusive lock, SQLite's POSIX lock, with it.  Everything here is a hint: where
 * sync_file_range() does not exist (not Linux), or fails, nothing happens, and an I/O error shows
 * at the commit's fdatasync as before. */
#ifndef PSYFAITH_WRITEBACK_H
#define PSYFAITH_WRITEBACK_H

#include <sys/types.h>
#include <sqlite3.h>

struct writeback {
    int fd;                 /* -1: no write-back hints */
    off_t step;             /* WRITEBACK_STEP, or the test hook's */
    off_t last;             /* the file size at the last hint */
    long hints;             /* hints given (the test hook reports them) */
};

/* Takes the store's descriptor of its file for hints; w->fd stays -1 when there is none (not an error). */
void writeback_open(struct writeback *w, sqlite3 *db);
/* After a batch: a hint when the file grew by a step since the last one. */
void writeback_after_batch(struct writeback *w);
/* The end of the hints (the descriptor stays the store's). */
void writeback_close(struct writeback *w);

#endif
