/* outfile.h -- output files written whole or not at all: paths checked against PATH_MAX and NAME_MAX
 * (never cut short), a temporary file beside the target renamed over it when complete (so a symbolic
 * link there is replaced, never followed, and a full disk never leaves half a file), missing parent
 * directories created, and directories whose files a manifest owns (the report).
 *
 * The bottom layer, with util.h and diag.h.  Every file psyfaith writes, the store aside, goes
 * through here (the report's directories and its PDF, a saved ingest profile); standard output
 * is the caller's.
 * Errors: 0 / -1 or NULL, always after diag_error() said why, naming the target path.
 * Ownership: struct outfile and struct outdir own their paths, temporary files and FILE*s;
 * outfile_commit / outfile_discard and outdir_free release everything, and a zeroed struct may be
 * discarded or freed.  The FILE* that outdir_create() returns belongs to the outdir: write to it,
 * hand it to outdir_close(), never fclose() it.  path_join()'s result is the caller's to free.
 * Not thread-safe: one thread per struct. */
#ifndef PSYFAITH_OUTFILE_H
#define PSYFAITH_OUTFILE_H
#include <stddef.h>
#include <stdio.h>

/* The manifest in a report directory: the names of the files the last run wrote there, one a line. */
#define OUTDIR_MANIFEST ".psyfaith-manifest"

/* "DIR/NAME" in a new string the caller frees, or NULL after "path too long: ..." (the path, or the
 * temporary file beside it, longer than PATH_MAX - 1 bytes, or NAME longer than NAME_MAX) or after
 * "out of memory". */
char *path_join(const char *dir, const char *name);

/* mkdir -p DIR (mode 0777 less the umask); every existing part must be a directory.  0 or -1. */
int make_dirs(const char *dir);

/* One output file.  Write to fp; the target is touched only by outfile_rename. */
struct outfile {
    FILE *fp;
    char *path;     /* the target */
    char *tmp;      /* the temporary file beside it; NULL when writing straight into a device */
};
enum { OUTFILE_DEVICE = 1 };   /* a path naming a character device or FIFO (/dev/stdout) is written into */

/* Creates a temporary file in path's directory (mkstemp: created exclusively, never through a link),
 * mode 0666 less the umask.  0, or -1 after printing why (the struct is then empty). */
int outfile_open(struct outfile *o, const char *path, int flags);
/* Flushes, fsyncs and closes, checking each step: on an error (a full disk) the temporary file is
 * removed and the message names the target.  0 or -1. */
int outfile_close(struct outfile *o);
/* Renames the closed temporary file over the target (a link there is replaced, not followed) and frees
 * the struct.  0 or -1. */
int outfile_rename(struct outfile *o);
/* outfile_close and outfile_rename; after an error the struct is freed and the target untouched. */
int outfile_commit(struct outfile *o);
/* Closes and removes the temporary file and frees; for error paths.  A zeroed struct is fine. */
void outfile_discard(struct outfile *o);

/* A directory psyfaith owns a set of files in.  Each file is written to a temporary file; when every
 * one is complete, outdir_commit renames them into place, and outdir_finish writes OUTDIR_MANIFEST
 * listing them and removes the regular files the previous manifest listed that this run did not
 * write.  Files the manifest never listed, and links, are never removed. */
struct outdir_file {
    char *name;
    struct outfile f;
    int in_place;       /* renamed into place (or moved in): listed in the manifest */
};
struct outdir {
    char *path;
    struct outdir_file *files;
    size_t n, cap;
};
int outdir_init(struct outdir *d, const char *path);          /* make_dirs; 0 or -1 */
FILE *outdir_create(struct outdir *d, const char *name);      /* NULL after printing why */
int outdir_close(struct outdir *d, FILE *fp);                 /* outfile_close of that file; 0 or -1 */
int outdir_commit(struct outdir *d);                          /* every closed file into place; 0 or -1 */
/* Renames FROM (a file this run made elsewhere on the same file system) to DIR/NAME and lists it. */
int outdir_move_in(struct outdir *d, const char *from, const char *name);
int outdir_finish(struct outdir *d);                          /* manifest, stale files; 0 or -1 */
void outdir_free(struct outdir *d);                           /* discards files not committed */
#endif
