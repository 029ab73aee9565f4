/* tests/test_diag.c -- diag_capture() and diag_replay() (diag.h): while a thread captures, its
 * messages go to its stream and not to stderr, another thread's still go to stderr, and a replay
 * prints the captured text as it was.  classify/tfidf.c relies on this to report only the earlier of
 * two workers' failures. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "diag.h"

static char *slurp(FILE *fp)
{
    static char buf[4096];
    fflush(fp);
    rewind(fp);
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    return buf;
}

static void *other_thread(void *arg)
{
    (void)arg;
    diag_error("from the other thread");   /* not captured: this thread has no stream */
    return NULL;
}

int main(void)
{
    FILE *err = tmpfile();
    if (!err || dup2(fileno(err), STDERR_FILENO) < 0)
        return 1;
    setvbuf(stderr, NULL, _IONBF, 0);
    char *cap = NULL;
    size_t cap_len = 0;
    FILE *ms = open_memstream(&cap, &cap_len);
    diag_capture(ms);
    CHECK(diag_error("text %d: bad\x1b", 7) == -1);
    struct srcpos pos = { "f.jsonl", 3, 2, 0 };
    diag_at(&pos, "field %s", "x");
    pthread_t th;
    pthread_create(&th, NULL, other_thread, NULL);
    pthread_join(th, NULL);
    diag_capture(NULL);
    fclose(ms);
    CHECK_STR(cap, "psyfaith: error: text 7: bad\\x1B\nf.jsonl:3:2: field x\n");
    CHECK_STR(slurp(err), "psyfaith: error: from the other thread\n");
    diag_replay(cap);
    diag_replay("");
    diag_replay(NULL);
    CHECK_STR(slurp(err), "psyfaith: error: from the other thread\npsyfaith: error: text 7: bad\\x1B\nf.jsonl:3:2: field x\n");
    diag_error("after");
    CHECK(strstr(slurp(err), "psyfaith: error: after\n") != NULL);
    free(cap);
    int failed = check_fail;
    fprintf(stdout, "%d passed, %d failed\n", check_pass, check_fail);
    return failed != 0;
}
