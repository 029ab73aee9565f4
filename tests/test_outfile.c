/* tests/test_outfile.c -- outfile.c: path limits, mkdir -p, temp-and-rename, a write error, the manifest */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "diag.h"
#include "outfile.h"

static char *read_all(const char *path)
{
    static char buf[256];
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static void test_path_join(void)
{
    char *p = path_join("a/b", "c.tex");
    CHECK_STR(p, "a/b/c.tex");
    free(p);
    p = path_join("a/b/", "c.tex");           /* no doubled slash */
    CHECK_STR(p, "a/b/c.tex");
    free(p);
    p = path_join("/", "c");
    CHECK_STR(p, "/c");
    free(p);
    char name[NAME_MAX + 2];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    CHECK(path_join("d", name) == NULL);      /* one name over NAME_MAX */
    name[NAME_MAX] = '\0';
    p = path_join("d", name);                 /* exactly NAME_MAX fits */
    CHECK(p != NULL);
    free(p);
    static char dir[PATH_MAX + 8];
    memset(dir, 'd', PATH_MAX - 8);
    dir[PATH_MAX - 8] = '\0';
    CHECK(path_join(dir, "x") == NULL);       /* the temporary name beside it would not fit */
}

static void test_outfile(const char *tmp)
{
    char path[512], link[512];
    struct outfile o;
    snprintf(path, sizeof path, "%s/victim", tmp);
    FILE *fp = fopen(path, "w");
    fputs("precious\n", fp);
    fclose(fp);
    snprintf(link, sizeof link, "%s/link", tmp);
    CHECK(symlink(path, link) == 0);
    CHECK(outfile_open(&o, link, 0) == 0);
    fputs("new\n", o.fp);
    CHECK_STR(read_all(link), "precious\n");  /* nothing changes before the commit */
    CHECK(outfile_commit(&o) == 0);
    struct stat sb;
    CHECK(lstat(link, &sb) == 0 && S_ISREG(sb.st_mode));
    CHECK_STR(read_all(link), "new\n");
    CHECK_STR(read_all(path), "precious\n");

    /* a write error: the device is written directly, and the error is reported */
    CHECK(outfile_open(&o, "/dev/full", OUTFILE_DEVICE) == 0);
    CHECK(o.tmp == NULL);
    fputs("x\n", o.fp);
    CHECK(outfile_commit(&o) == -1);
    CHECK(o.fp == NULL && o.path == NULL);

    /* discarding leaves the target alone and removes the temporary file */
    CHECK(outfile_open(&o, path, 0) == 0);
    char tmpname[512];
    snprintf(tmpname, sizeof tmpname, "%s", o.tmp);
    fputs("half", o.fp);
    outfile_discard(&o);
    CHECK(access(tmpname, F_OK) != 0);
    CHECK_STR(read_all(path), "precious\n");
}

static void test_outdir(const char *tmp)
{
    char dir[512], p[600];
    struct outdir d;
    snprintf(dir, sizeof dir, "%s/x/y/z", tmp);
    CHECK(outdir_init(&d, dir) == 0);         /* parents created */
    FILE *a = outdir_create(&d, "a.csv"), *b = outdir_create(&d, "b.csv");
    CHECK(a && b);
    fputs("a\n", a);
    fputs("b\n", b);
    CHECK(outdir_close(&d, a) == 0 && outdir_close(&d, b) == 0);
    snprintf(p, sizeof p, "%s/a.csv", dir);
    CHECK(access(p, F_OK) != 0);               /* not in place before the commit */
    CHECK(outdir_commit(&d) == 0 && outdir_finish(&d) == 0);
    CHECK_STR(read_all(p), "a\n");
    outdir_free(&d);
    snprintf(p, sizeof p, "%s/mine.txt", dir);
    FILE *fp = fopen(p, "w");
    fclose(fp);

    CHECK(outdir_init(&d, dir) == 0);
    a = outdir_create(&d, "a.csv");
    CHECK(a != NULL);
    CHECK(outdir_commit(&d) == 0 && outdir_finish(&d) == 0);
    outdir_free(&d);
    snprintf(p, sizeof p, "%s/b.csv", dir);
    CHECK(access(p, F_OK) != 0);               /* listed before, not written now: removed */
    snprintf(p, sizeof p, "%s/mine.txt", dir);
    CHECK(access(p, F_OK) == 0);               /* never listed: kept */
    snprintf(p, sizeof p, "%s/" OUTDIR_MANIFEST, dir);
    CHECK(strstr(read_all(p), "\na.csv\n") != NULL && !strstr(read_all(p), "b.csv"));

    /* an error before the commit: nothing renamed, the manifest unchanged */
    CHECK(outdir_init(&d, dir) == 0);
    CHECK(outdir_create(&d, "c.csv") != NULL);
    outdir_free(&d);
    snprintf(p, sizeof p, "%s/c.csv", dir);
    CHECK(access(p, F_OK) != 0);
    snprintf(p, sizeof p, "%s/a.csv", dir);
    CHECK(access(p, F_OK) == 0);

    snprintf(p, sizeof p, "%s/x/y/z/a.csv/sub", tmp);   /* a parent that is a file */
    CHECK(make_dirs(p) == -1);
}

int main(void)
{
    char tmp[] = "/tmp/psyfaith-outfile.XXXXXX";
    if (!mkdtemp(tmp))
        return 1;
    diag_set_quiet(1);
    test_path_join();
    test_outfile(tmp);
    test_outdir(tmp);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        CHECK(0);
    return CHECK_DONE();
}
