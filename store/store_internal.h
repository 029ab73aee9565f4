/* store/store_internal.h -- shared by the files of store/ only (store.c, bulk.c, files.c) */
#ifndef PSYFAITH_STORE_INTERNAL_H
#define PSYFAITH_STORE_INTERNAL_H

#include <stddef.h>
#include <sqlite3.h>

/* Page cache of a writing connection (64 MiB), and of a bulk load, whose new pages go straight to the
 * database file: 16 MiB holds the pages it is filling and the index's working set (measured: 2 MiB
 * was as fast at 500k lines but cost a third more CPU at 5M, re-reading index pages; 64 MiB cost page
 * faults and malloc for no gain).  The loader lowers it for a file whose index is small or built
 * after the load (ingest/writer_bulk.c). */
#define CACHE_KIB "-65536"
#define BULK_CACHE_KIB "-16384"

/* --busy-timeout, in ms (store_set_busy_timeout) */
extern int store_busy_timeout_ms;

/* sqlite3_errmsg, with the system's reason after an I/O error when SQLite kept it ("disk I/O
 * error: Input/output error"); the text lives in buf or in the handle. */
const char *store_errmsg(sqlite3 *db, char *buf, size_t size);

/* After sqlite3_close(db) succeeded: closes the descriptors store_file_fd() opened for db, which can
 * no longer take a lock from it (files.c). */
void store_close_own_fds(sqlite3 *db);

#endif
