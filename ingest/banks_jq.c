/* ingest/banks_jq.c -- an item bank in another lab's format, turned into psyfaith's bank CSV by a jq
 * program (`psyfaith instruments load --profile NAME|--jq FILE`).  jq's output is held in memory
 * (a bank is small: items, not answers) and loaded as one table; its line numbers are those of jq's
 * output, which messages say. */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "ingest/ingest.h"
#include "store/store.h"
#include "util.h"

extern char **environ;

/* Runs `jq -r -f FILE -- PATH` (or `jq -r TEXT -- PATH` for a shipped program) into out. */
static int run_jq(const char *path, const char *program_file, const char *program_text, struct strbuf *out)
{
    int pipefd[2], status, ret = -1;
    posix_spawn_file_actions_t fa;
    pid_t pid;
    if (pipe(pipefd) < 0)
        return diag_error("cannot run jq: %s", strerror(errno));
    char *argv_text[] = { "jq", "-r", (char *)program_text, "--", (char *)path, NULL };
    char *argv_file[] = { "jq", "-r", "-f", (char *)program_file, "--", (char *)path, NULL };
    if (posix_spawn_file_actions_init(&fa) != 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        return diag_error("out of memory");
    }
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
    posix_spawn_file_actions_addclose(&fa, pipefd[0]);
    posix_spawn_file_actions_addclose(&fa, pipefd[1]);
    int rc = posix_spawnp(&pid, "jq", &fa, NULL, program_text ? argv_text : argv_file, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    if (rc != 0) {
        close(pipefd[0]);
        return diag_error("cannot run jq (%s); install it: apt-get install jq", strerror(rc));
    }
    char buf[65536];
    ssize_t n;
    int oom = 0;
    while ((n = read(pipefd[0], buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (!oom && strbuf_add(out, buf, (size_t)n) < 0)
            oom = 1;            /* keep reading: jq must not block on a full pipe */
    }
    close(pipefd[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (oom)
        diag_error("out of memory");
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        diag_error("jq program '%s' failed on '%s' (exit %d); nothing was loaded",
                   program_file, path, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    else
        ret = 0;
    return ret;
}

int banks_load_instruments_jq(sqlite3 *db, const char *path, const char *program_file, const char *program_text)
{
    struct strbuf out = { 0 }, name = { 0 };
    int ret = -1;
    if (strcmp(path, "-") == 0)
        return diag_error("a bank converted by jq needs a file name, not standard input");
    if (store_refuse_own_file(db, path, "an item bank") < 0)
        return -1;
    if (run_jq(path, program_file, program_text, &out) == 0) {
        strbuf_addf(&name, "%s (after jq %s)", path, program_file);
        if (!name.buf)
            diag_error("out of memory");
        else
            ret = banks_load_instruments_data(db, name.buf, out.buf ? out.buf : "", out.len);
    }
    strbuf_free(&out);
    strbuf_free(&name);
    return ret;
}
