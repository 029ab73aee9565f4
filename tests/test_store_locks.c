/* tests/test_store_locks.c -- descriptors psyfaith opens itself on the store never cost SQLite its locks.
 *
 * POSIX record locks belong to the process and the file: closing *any* descriptor of the store file
 * drops every lock the process holds on it, SQLite's included.  A bulk load's write-back hints
 * (store/writeback.c) once opened the store file and closed it after the commit, while the
 * connection still held its exclusive lock: a second ingest that was waiting got in between the
 * commit and the return to WAL and failed with "disk I/O error" (the journal vanished under it); it
 * could as well have written the store under the loader.
 *
 * Whether the store is locked is asked from a child process (F_GETLK reports other processes' locks
 * only) without SQLite, whose state a forked child must not reuse. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "store/store.h"
#include "store/writeback.h"

/* SQLite's lock bytes (os_unix.c: PENDING_BYTE 0x40000000, then RESERVED and the SHARED range) */
#define LOCK_START 0x40000000L
#define LOCK_LEN 512L

/* 1 when another process (this one, seen from a child) holds a lock on SQLite's lock bytes of path */
static int locked_from_outside(const char *path)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(path, O_RDONLY);
        struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = LOCK_START, .l_len = LOCK_LEN };
        if (fd < 0 || fcntl(fd, F_GETLK, &fl) < 0)
            _exit(2);
        _exit(fl.l_type == F_UNLCK ? 1 : 0);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status) == 0 ? 1 : WEXITSTATUS(status) == 1 ? 0 : -1;
}

static int exec_ok(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

/* The writer's sequence (ingest/writer.c): bulk mode, hints during the load, the commit, the end of
 * the hints, then the return to WAL.  The exclusive lock must hold from the first write to the end. */
static void test_hints_keep_the_lock(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/locks.db", dir);
    setenv("PSYFAITH_TEST_WRITEBACK_STEP", "4096", 1);
    setenv("PSYFAITH_TEST_BULK_CACHE_PAGES", "20", 1);   /* pages spill into the file during the load */
    sqlite3 *db = store_open(path, STORE_CREATE);
    CHECK(db != NULL);
    if (!db)
        return;
    CHECK(store_bulk_begin(db) == 1);
    struct writeback w;
    writeback_open(&w, db);
    CHECK(store_begin(db) == 0);
    CHECK(exec_ok(db, "CREATE TABLE t(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                      "WHERE i < 20000) INSERT INTO t SELECT randomblob(100) FROM n"));
    writeback_after_batch(&w);
    CHECK(w.hints >= 1);                          /* the hints did run: the file grew past a step */
    CHECK(locked_from_outside(path) == 1);        /* the load's exclusive lock */
    CHECK(store_commit(db) == 0);
    CHECK(locked_from_outside(path) == 1);        /* EXCLUSIVE locking mode keeps it after the commit */
    writeback_close(&w);
    CHECK(locked_from_outside(path) == 1);        /* ... and so must the end of the hints */
    CHECK(store_bulk_end(db) == 0);
    CHECK(exec_ok(db, "SELECT count(*) FROM t"));
    store_close(db);
    CHECK(locked_from_outside(path) == 0);        /* and nothing is left once the store is closed */
    unsetenv("PSYFAITH_TEST_WRITEBACK_STEP");
    unsetenv("PSYFAITH_TEST_BULK_CACHE_PAGES");
}

int main(void)
{
    char dir[] = "/tmp/psyfaith-locks-XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    store_global_init();
    test_hints_keep_the_lock(dir);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
    return CHECK_DONE();
}
