/* outfile.c -- output files written whole or not at all, and directories a manifest owns */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "outfile.h"

#define TMP_NAME ".psyfaith-tmp-XXXXXX"   /* mkstemp's template, in the target's directory */

/* The message for a path that does not fit: `limit` is the longest it may be (shorter than PATH_MAX - 1
 * when the temporary file beside it is the longer name), 0 when the name itself is over NAME_MAX.
 * A 4 kB path is shown by its ends. */
static int too_long(const char *dir, const char *sep, const char *name, size_t limit)
{
    size_t nd = strlen(dir), ns = strlen(sep), nn = strlen(name), len = nd + ns + nn;
    char *full = malloc(len + 1), why[96];
    if (!full)
        return diag_error("out of memory");
    memcpy(full, dir, nd);
    memcpy(full + nd, sep, ns);
    memcpy(full + nd + ns, name, nn + 1);
    if (!limit)
        snprintf(why, sizeof why, "a name of %zu bytes; at most %d", nn, NAME_MAX);
    else if (limit < PATH_MAX - 1)
        snprintf(why, sizeof why, "%zu bytes; at most %zu, for a temporary file beside it", len, limit);
    else
        snprintf(why, sizeof why, "%zu bytes; at most %d", len, PATH_MAX - 1);
    if (len > 120)
        diag_error("path too long: '%.50s...%s' (%s)", full, full + len - 50, why);
    else
        diag_error("path too long: '%s' (%s)", full, why);
    free(full);
    return -1;
}

char *path_join(const char *dir, const char *name)
{
    size_t nd = strlen(dir), nn = strlen(name);
    const char *sep = nd && dir[nd - 1] != '/' ? "/" : "";
    size_t ns = strlen(sep), tmp = sizeof TMP_NAME - 1;
    size_t limit = PATH_MAX - 1 - (tmp > nn ? tmp - nn : 0);   /* the temporary file must fit too */
    if (nn > NAME_MAX || nd + ns + nn > limit) {
        too_long(dir, sep, name, nn > NAME_MAX ? 0 : limit);
        return NULL;
    }
    char *p = malloc(nd + ns + nn + 1);
    if (!p) {
        diag_error("out of memory");
        return NULL;
    }
    memcpy(p, dir, nd);
    memcpy(p + nd, sep, ns);
    memcpy(p + nd + ns, name, nn + 1);
    return p;
}

/* mkdir of one prefix: created, or already a directory (a link to one is the user's choice). */
static int make_one(const char *dir)
{
    struct stat sb;
    if (mkdir(dir, 0777) == 0)
        return 0;
    int e = errno;
    if (e == EEXIST || e == EISDIR || e == EACCES || e == EROFS) {
        if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
            return 0;
        if (e == EEXIST)
            return diag_error("'%s' exists and is not a directory", dir);
    }
    if (e == ENAMETOOLONG)   /* the whole fits (make_dirs checked), so one name in it is over NAME_MAX */
        return diag_error("path too long: '%s' (a name in it is over %d bytes)", dir, NAME_MAX);
    return diag_error("cannot create '%s': %s", dir, strerror(e));
}

int make_dirs(const char *dir)
{
    size_t n = strlen(dir);
    if (n == 0)
        return diag_error("cannot create a directory with an empty name");
    if (n > PATH_MAX - 1)
        return too_long(dir, "", "", PATH_MAX - 1);
    char *copy = strdup(dir);
    if (!copy)
        return diag_error("out of memory");
    int ret = 0;
    /* each prefix that ends before a '/', then the whole path */
    for (size_t i = 1; i <= n && ret == 0; i++)
        if (i == n || (copy[i] == '/' && copy[i - 1] != '/')) {
            char saved = copy[i];
            copy[i] = '\0';
            ret = make_one(copy);
            copy[i] = saved;
        }
    free(copy);
    return ret;
}

static mode_t file_mode(void)
{
    static int known;
    static mode_t mode;
    if (!known) {
        mode_t mask = umask(0);    /* the only portable way to read the umask */
        umask(mask);
        mode = 0666 & ~mask;
        known = 1;
    }
    return mode;
}

int outfile_open(struct outfile *o, const char *path, int flags)
{
    struct stat sb;
    memset(o, 0, sizeof *o);
    if ((flags & OUTFILE_DEVICE) && stat(path, &sb) == 0 && (S_ISCHR(sb.st_mode) || S_ISFIFO(sb.st_mode))) {
        /* the user named a device or a pipe (/dev/stdout, /dev/null): nothing to replace, write into it */
        if (!(o->path = strdup(path)))
            return diag_error("out of memory");
        if (!(o->fp = fopen(path, "w"))) {
            int e = errno;
            outfile_discard(o);
            return diag_error("cannot write '%s': %s", path, strerror(e));
        }
        return 0;
    }
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    if (!*name)
        return diag_error("cannot write '%s': it names a directory", path);
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir)
        return diag_error("out of memory");
    char *checked = path_join(dir, name);   /* only for the length checks: the target stays as given */
    if (checked && !(o->tmp = path_join(dir, TMP_NAME)))
        free(checked), checked = NULL;
    free(dir);
    if (!checked)
        return -1;
    free(checked);
    if (!(o->path = strdup(path))) {
        outfile_discard(o);
        return diag_error("out of memory");
    }
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        int e = errno;
        free(o->tmp);
        o->tmp = NULL;       /* nothing was created */
        diag_error("cannot write '%s': cannot create a temporary file beside it: %s", path, strerror(e));
        outfile_discard(o);
        return -1;
    }
    if (fchmod(fd, file_mode()) != 0 || !(o->fp = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        diag_error("cannot write '%s': %s", path, strerror(e));
        outfile_discard(o);
        return -1;
    }
    return 0;
}

int outfile_close(struct outfile *o)
{
    if (!o->fp)
        return 0;
    int err = 0;
    errno = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp))
        err = errno ? errno : EIO;
    else if (o->tmp && fsync(fileno(o->fp)) != 0)   /* the data is on disk before the rename */
        err = errno;
    if (fclose(o->fp) != 0 && !err)
        err = errno;
    o->fp = NULL;
    if (err) {
        diag_error("cannot write '%s': %s", o->path, strerror(err));
        outfile_discard(o);
        return -1;
    }
    return 0;
}

int outfile_rename(struct outfile *o)
{
    int ret = 0;
    if (o->tmp && rename(o->tmp, o->path) != 0) {
        ret = diag_error("cannot write '%s': %s", o->path, strerror(errno));
        unlink(o->tmp);
    }
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    return ret;
}

int outfile_commit(struct outfile *o)
{
    if (outfile_close(o) < 0)
        return -1;
    return outfile_rename(o);
}

void outfile_discard(struct outfile *o)
{
    if (o->fp)
        fclose(o->fp);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    memset(o, 0, sizeof *o);
}

/* ---------- directories a manifest owns ---------- */

int outdir_init(struct outdir *d, const char *path)
{
    memset(d, 0, sizeof *d);
    if (make_dirs(path) < 0)
        return -1;
    if (!(d->path = strdup(path)))
        return diag_error("out of memory");
    return 0;
}

static struct outdir_file *add_entry(struct outdir *d, const char *name)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 32;
        struct outdir_file *p = realloc(d->files, cap * sizeof *p);
        if (!p)
            return NULL;
        d->files = p;
        d->cap = cap;
    }
    struct outdir_file *e = &d->files[d->n];
    memset(e, 0, sizeof *e);
    if (!(e->name = strdup(name)))
        return NULL;
    d->n++;
    return e;
}

FILE *outdir_create(struct outdir *d, const char *name)
{
    char *path = path_join(d->path, name);
    if (!path)
        return NULL;
    struct outdir_file *e = add_entry(d, name);
    if (!e) {
        free(path);
        diag_error("out of memory");
        return NULL;
    }
    int rc = outfile_open(&e->f, path, 0);
    free(path);
    if (rc < 0) {
        free(e->name);
        d->n--;
        return NULL;
    }
    return e->f.fp;
}

int outdir_close(struct outdir *d, FILE *fp)
{
    for (size_t i = 0; i < d->n; i++)
        if (fp && d->files[i].f.fp == fp)
            return outfile_close(&d->files[i].f);
    return 0;
}

int outdir_commit(struct outdir *d)
{
    for (size_t i = 0; i < d->n; i++) {
        struct outdir_file *e = &d->files[i];
        if (e->in_place)
            continue;
        if (outfile_close(&e->f) < 0 || outfile_rename(&e->f) < 0)
            return -1;
        e->in_place = 1;
    }
    return 0;
}

int outdir_move_in(struct outdir *d, const char *from, const char *name)
{
    char *path = path_join(d->path, name);
    if (!path)
        return -1;
    struct outdir_file *e;
    int ret = 0;
    if (rename(from, path) != 0)
        ret = diag_error("cannot write '%s': %s", path, strerror(errno));
    else if (!(e = add_entry(d, name)))
        ret = diag_error("out of memory");
    else
        e->in_place = 1;
    free(path);
    return ret;
}

static int written(const struct outdir *d, const char *name)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->files[i].in_place && strcmp(d->files[i].name, name) == 0)
            return 1;
    return 0;
}

/* The names in the old manifest, one a line; a manifest that is a link is not read. */
static int read_manifest(const char *path, char ***names, size_t *n)
{
    *names = NULL;
    *n = 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        if (errno == ELOOP) {
            diag_note("'%s' is a symbolic link: not read, replaced", path);
            return 0;
        }
        return diag_error("cannot read '%s': %s", path, strerror(errno));
    }
    FILE *fp = fdopen(fd, "r");
    if (!fp) {
        close(fd);
        return diag_error("cannot read '%s': %s", path, strerror(errno));
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int ret = 0;
    while ((len = getline(&line, &cap, fp)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        /* only plain names inside this directory; anything else was never ours */
        if (!*line || line[0] == '#' || strchr(line, '/') || strcmp(line, ".") == 0 || strcmp(line, "..") == 0 ||
            strcmp(line, OUTDIR_MANIFEST) == 0)
            continue;
        char **p = realloc(*names, (*n + 1) * sizeof *p);
        if (!p || !(p[*n] = strdup(line))) {
            if (p)
                *names = p;
            ret = diag_error("out of memory");
            break;
        }
        *names = p;
        (*n)++;
    }
    if (ret == 0 && ferror(fp))
        ret = diag_error("cannot read '%s': %s", path, strerror(errno));
    free(line);
    fclose(fp);
    return ret;
}

/* Best effort: the renames reach the disk with the directory.  Some file systems refuse to fsync
 * a directory (EINVAL); the files themselves were synced already. */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

int outdir_finish(struct outdir *d)
{
    char **old = NULL;
    size_t n_old = 0;
    struct outfile mf = { 0 };
    int ret = -1;
    char *mpath = path_join(d->path, OUTDIR_MANIFEST);
    if (!mpath || read_manifest(mpath, &old, &n_old) < 0 || outfile_open(&mf, mpath, 0) < 0)
        goto out;
    fputs("# written by psyfaith: the files the last run wrote here; the next run removes those it does not "
          "write\n", mf.fp);
    for (size_t i = 0; i < d->n; i++)
        if (d->files[i].in_place)
            fprintf(mf.fp, "%s\n", d->files[i].name);
    if (outfile_commit(&mf) < 0)
        goto out;
    ret = 0;
    for (size_t i = 0; i < n_old && ret == 0; i++) {
        struct stat sb;
        if (written(d, old[i]))
            continue;
        char *p = path_join(d->path, old[i]);
        if (!p)
            ret = -1;
        else if (lstat(p, &sb) == 0 && S_ISREG(sb.st_mode) && unlink(p) != 0 && errno != ENOENT)
            ret = diag_error("cannot remove '%s', left from the previous run: %s", p, strerror(errno));
        free(p);
    }
    sync_dir(d->path);
out:
    outfile_discard(&mf);
    for (size_t i = 0; i < n_old; i++)
        free(old[i]);
    free(old);
    free(mpath);
    return ret;
}

void outdir_free(struct outdir *d)
{
    for (size_t i = 0; i < d->n; i++) {
        outfile_discard(&d->files[i].f);
        free(d->files[i].name);
    }
    free(d->files);
    free(d->path);
    memset(d, 0, sizeof *d);
}
