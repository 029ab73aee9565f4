/* tests/test_fuzz_replay.c -- replays the fuzz corpora through the fuzz harnesses, built without
 * libFuzzer (-DFUZZ_REPLAY), so that `make check` (and `make asan`) re-runs every seed and every
 * input that once crashed: tests/fuzz/NAME/seed/ and tests/fuzz/NAME/regress/.  A crash or a
 * sanitizer report ends the run (tests/run.sh then reports no result line); an input that runs
 * through counts as one passed check.  With arguments, replays only those files or directories
 * through the harness named by the first: test_fuzz_replay jsonl crash-1234 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "tests/fuzz/fuzz.h"

static const struct harness {
    const char *name;
    int (*run)(const uint8_t *data, size_t size);
} harnesses[] = {
    { "jsonl", fuzz_jsonl },
    { "csv", fuzz_csv },
    { "answer", fuzz_answer },
    { "decision", fuzz_decision },
    { "amount", fuzz_amount },
    { "mapping", fuzz_mapping },
    { "persona", fuzz_persona },
#ifdef FUZZ_HAVE_AUDIT                          /* the Makefile says so when metrics/audit_claims.c exists */
    { "audit", fuzz_audit },
#endif
};

static int replay_file(const struct harness *h, const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (!fp) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            char *p = realloc(buf, cap);
            if (!p)
                break;
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        if (got == 0)
            break;
        n += got;
    }
    int err = ferror(fp);
    fclose(fp);
    if (err || !buf) {
        free(buf);
        fprintf(stderr, "%s: cannot read\n", path);
        return -1;
    }
    /* an exact-size copy, as libFuzzer passes it, so that a read past the end is caught */
    uint8_t *data = malloc(n ? n : 1);
    if (data && n)
        memcpy(data, buf, n);
    free(buf);
    if (!data)
        return -1;
    fprintf(stderr, "replay %s %s\n", h->name, path);
    int rc = h->run(data, n);
    free(data);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, in name order; a missing directory is an empty corpus. */
static void replay_dir(const struct harness *h, const char *dir, int *files)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;
    if (!d)
        return;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char **p = realloc(names, (n + 1) * sizeof *p);
        if (!p)
            break;
        names = p;
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", dir, names[i] ? names[i] : "");
        if (names[i] && stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
            CHECK(replay_file(h, path) == 0);
            (*files)++;
        }
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    const char *top = getenv("PSYFAITH_TOP");
    char dir[4096];
    if (argc > 2) {
        for (size_t i = 0; i < sizeof harnesses / sizeof harnesses[0]; i++)
            if (strcmp(argv[1], harnesses[i].name) == 0) {
                for (int a = 2; a < argc; a++) {
                    struct stat sb;
                    int files = 0;
                    if (stat(argv[a], &sb) == 0 && S_ISDIR(sb.st_mode))
                        replay_dir(&harnesses[i], argv[a], &files);
                    else
                        CHECK(replay_file(&harnesses[i], argv[a]) == 0);
                }
                return CHECK_DONE();
            }
        fprintf(stderr, "usage: test_fuzz_replay [HARNESS FILE...]\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof harnesses / sizeof harnesses[0]; i++) {
        static const char *const kinds[] = { "seed", "regress" };
        int files = 0;
        for (size_t k = 0; k < 2; k++) {
            snprintf(dir, sizeof dir, "%s/tests/fuzz/%s/%s", top && *top ? top : ".", harnesses[i].name, kinds[k]);
            replay_dir(&harnesses[i], dir, &files);
        }
        CHECK(files > 0);       /* a harness without a corpus replays nothing: that is a mistake */
    }
    return CHECK_DONE();
}
