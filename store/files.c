/* store/files.c -- the store's files outside SQLite: descriptors psyfaith opens on them itself, and
 * inputs that must not be one of them (store_file_fd, store_refuse_own_file in store.h) */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "store/store.h"
#include "store/store_internal.h"

/* Descriptors of store files that psyfaith opened itself (store_file_fd), one per connection, closed
 * by store_close() after the connection: POSIX record locks belong to the process and the file, and
 * closing any descriptor of the file drops them all, SQLite's included (its unix VFS keeps its own
 * descriptors open until its locks are gone for this reason; os_unix.c, "POSIX advisory locks").
 * A bulk load's exclusive lock was lost so once, between its commit and its return to WAL. */
struct own_fd {
    sqlite3 *db;
    int fd;
    struct own_fd *next;
};
static struct own_fd *own_fds;
static pthread_mutex_t own_fds_lock = PTHREAD_MUTEX_INITIALIZER;

int store_file_fd(sqlite3 *db)
{
    const char *path = sqlite3_db_filename(db, "main");
    int fd = -1;
    pthread_mutex_lock(&own_fds_lock);
    for (struct own_fd *o = own_fds; o; o = o->next)
        if (o->db == db)
            fd = o->fd;
    if (fd < 0 && path && *path) {
        struct own_fd *o = malloc(sizeof *o);
        if (o && (fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
            *o = (struct own_fd){ db, fd, own_fds };
            own_fds = o;
        } else {
            free(o);
        }
    }
    pthread_mutex_unlock(&own_fds_lock);
    return fd;
}

void store_close_own_fds(sqlite3 *db)
{
    pthread_mutex_lock(&own_fds_lock);
    for (struct own_fd **p = &own_fds; *p;) {
        struct own_fd *o = *p;
        if (o->db == db) {
            *p = o->next;
            close(o->fd);
            free(o);
        } else {
            p = &o->next;
        }
    }
    pthread_mutex_unlock(&own_fds_lock);
}

int store_refuse_own_file(sqlite3 *db, const char *path, const char *what)
{
    static const struct { const char *suffix, *name; } files[] = {
        { "", "the store" },
        { "-journal", "the store's rollback journal" },
        { "-wal", "the store's write-ahead log" },
        { "-shm", "the store's shared-memory index" },
    };
    const char *store = sqlite3_db_filename(db, "main");
    struct stat in, sb;
    char name[4200];
    if (!store || !*store || stat(path, &in) != 0)
        return 0;               /* no such file: the caller's open says so */
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        if (snprintf(name, sizeof name, "%s%s", store, files[i].suffix) >= (int)sizeof name || stat(name, &sb) != 0)
            continue;
        if (sb.st_dev == in.st_dev && sb.st_ino == in.st_ino)
            return diag_error("'%s' is %s (--db '%s'), not %s", path, files[i].name, store, what);
    }
    return 0;
}
