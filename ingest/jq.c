/* ingest/jq.c -- the jq prefilter (--jq FILE): jq runs as a child process and its output is read
 * as JSON Lines.
 *
 * JSON input (a file): `jq -c -f FILE -- PATH`.  Standard input is first copied to a temporary
 * file (jq reads it from there), so that `ingest -` works with --jq too.
 * CSV input: psyfaith reads the CSV itself (its hash, its physical line numbers, its errors) and
 * gives jq one JSON object per row, keyed by the header, every value a string as written and an
 * empty cell null (CSV has no types: "1.0" stays "1.0", "007" stays "007"; `tonumber` makes a
 * number).  With --reps-columns each repetition cell is its own object, with "answer" (the cell),
 * "rep" (a number) and "run" (the column's name) instead of the repetition columns.  The rows go
 * through a temporary file as [LINE, {...}], and the user's program is wrapped so that each output
 * keeps the line of the row it came from, and so that a jq error on a row (`tonumber` on "abc") is a
 * bad line of the CSV, not the end of jq:
 *     .[0] as $line | .[1] | try (PROGRAM | [$line, .]) catch [$line, null, ERROR]
 * `input`/`inputs` are not available to such a program (each row is one input) and it cannot
 * start with `import`/`include`.  Strings of the records jq writes are text, as CSV cells are, so
 * "5" is a valid option and "0.7" a temperature.
 *
 * jq runs in its own process group, so that it can never outlive psyfaith:
 *   - SIGINT, SIGTERM or SIGHUP to psyfaith: the handler below kills jq's group, then psyfaith dies
 *     of the signal as before (a signal psyfaith ignores, e.g. SIGHUP under nohup, stays ignored);
 *   - any other death of psyfaith (SIGKILL, a crash): Linux's parent-death signal kills jq;
 *   - --jq-timeout SECONDS: jq is started with alarm(SECONDS), which survives exec, so a program
 *     that never ends dies of SIGALRM and the file fails, with nothing of it stored. */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <cjson/cJSON.h>

#include "diag.h"
#include "ingest/ingest_internal.h"

#define MAX_WRAPPED_PROGRAM 100000   /* bytes: the wrapped program is one argv string (128 KiB max) */

/* The pid of the running jq, 0 when none.  Set by the reading thread, read by the signal handler
 * on whichever thread takes the signal: a lock-free atomic, which C11 lets a handler read (a
 * volatile sig_atomic_t is only for a handler on the same thread; ThreadSanitizer reported the race). */
static atomic_int jq_running;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "a signal handler may read only a lock-free atomic");
static const int jq_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void kill_jq_and_die(int sig)
{
    int saved_errno = errno;        /* the interrupted code's, should the signal not end the process */
    pid_t pid = (pid_t)atomic_load(&jq_running);
    if (pid > 0) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);         /* in case it has not made its own group yet */
    }
    signal(sig, SIG_DFL);
    raise(sig);                     /* delivered when the handler returns: psyfaith ends as it would have */
    errno = saved_errno;
}

static void install_jq_handlers(void)
{
    static int installed;
    if (installed)
        return;
    installed = 1;
    for (size_t i = 0; i < sizeof jq_signals / sizeof jq_signals[0]; i++) {
        struct sigaction old, sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = kill_jq_and_die;
        sigemptyset(&sa.sa_mask);
        if (sigaction(jq_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
            sigaction(jq_signals[i], &sa, NULL);
    }
}

/* ---------- CSV rows as jq input ---------- */

/* s[0..n) as a JSON string; the CSV reader has checked it is UTF-8 without NUL bytes. */
static void json_string(FILE *fp, const char *s, size_t n)
{
    putc('"', fp);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            putc('\\', fp);
            putc(c, fp);
        } else if (c == '\n') {
            fputs("\\n", fp);
        } else if (c == '\r') {
            fputs("\\r", fp);
        } else if (c == '\t') {
            fputs("\\t", fp);
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(fp, "\\u%04x", c);
        } else {
            putc(c, fp);
        }
    }
    putc('"', fp);
}

static int is_rep_column(const struct ingest *ig, size_t c)
{
    for (size_t k = 0; k < ig->n_reps; k++)
        if ((size_t)ig->reps_cols[k] == c)
            return 1;
    return 0;
}

/* The header: the repetition columns (--reps-columns), and no name twice among the others (an
 * object holds one value per name).  The mapping is applied to jq's output, not here. */
int jq_csv_header(struct ingest *ig, const struct srcpos *pos)
{
    const struct mapping *m = ig->map;
    if (m->reps_re) {
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(m->reps_re, NULL);
        if (!md || !(ig->reps_cols = malloc((ig->n_header ? ig->n_header : 1) * sizeof *ig->reps_cols))) {
            pcre2_match_data_free(md);
            return diag_error("out of memory");
        }
        for (size_t i = 0; i < ig->n_header; i++) {
            int rc = pcre2_match(m->reps_re, (PCRE2_SPTR)ig->header[i], strlen(ig->header[i]), 0, 0, md, NULL);
            if (rc >= 0)
                ig->reps_cols[ig->n_reps++] = (int)i;
            else if (rc != PCRE2_ERROR_NOMATCH) {
                pcre2_match_data_free(md);
                return ingest_bad(ig, pos, NULL, "--reps-columns: matching column '%.80s' failed", ig->header[i]);
            }
        }
        pcre2_match_data_free(md);
        if (!ig->n_reps)
            return ingest_bad(ig, pos, NULL, "--reps-columns: no column matches '%s'", m->reps_text);
    }
    for (size_t i = 0; i < ig->n_header; i++) {
        if (is_rep_column(ig, i))
            continue;
        if (ig->n_reps && (!strcmp(ig->header[i], "answer") || !strcmp(ig->header[i], "rep") ||
                           !strcmp(ig->header[i], "run")))
            return ingest_bad(ig, pos, ig->header[i], "--reps-columns gives '%s' to jq, but the header has a "
                              "column of that name too (rename the column)", ig->header[i]);
        for (size_t j = 0; j < i; j++)
            if (!is_rep_column(ig, j) && strcmp(ig->header[i], ig->header[j]) == 0)
                return ingest_bad(ig, pos, ig->header[i], "duplicate column '%s' (columns %zu and %zu): a jq "
                                  "input object holds one value per name", ig->header[i], j + 1, i + 1);
    }
    return 0;
}

/* {"col": "value", ...} of the non-repetition columns, without the closing brace. */
static void row_object(struct ingest *ig, char **cols, size_t *lens, size_t n)
{
    FILE *fp = ig->jq_rows;
    int first = 1;
    fprintf(fp, "[%ld,{", ig->pos.line);
    for (size_t i = 0; i < n; i++) {
        if (is_rep_column(ig, i))
            continue;
        if (!first)
            putc(',', fp);
        first = 0;
        json_string(fp, ig->header[i], strlen(ig->header[i]));
        putc(':', fp);
        if (lens[i] == 0)
            fputs("null", fp);           /* an empty cell is a missing value, as without jq */
        else
            json_string(fp, cols[i], lens[i]);
    }
    if (!first && ig->n_reps)
        putc(',', fp);
}

int jq_csv_row(struct ingest *ig, char **cols, size_t *lens, size_t n)
{
    const char *missing = ig->map->missing;
    FILE *fp = ig->jq_rows;
    if (n != ig->n_header)
        return ingest_bad(ig, &ig->pos, n < ig->n_header ? ig->header[n] : NULL, "expected %zu fields, found %zu",
                          ig->n_header, n);
    if (!ig->n_reps) {
        row_object(ig, cols, lens, n);
        fputs("}]\n", fp);
        return 0;
    }
    for (size_t k = 0; k < ig->n_reps; k++) {
        int c = ig->reps_cols[k];
        if (lens[c] == 0 || (missing && strcmp(cols[c], missing) == 0)) {
            ig->wide_missing_file++;
            continue;
        }
        row_object(ig, cols, lens, n);
        fputs("\"answer\":", fp);
        json_string(fp, cols[c], lens[c]);
        fprintf(fp, ",\"rep\":%zu,\"run\":", k + 1);
        json_string(fp, ig->header[c], strlen(ig->header[c]));
        fputs("}]\n", fp);
    }
    return 0;
}

int jq_unwrap(struct ingest *ig, const cJSON *j, const struct srcpos *pos)
{
    const cJSON *line = cJSON_IsArray(j) ? j->child : NULL;
    const cJSON *rec = line ? line->next : NULL;
    if (!cJSON_IsNumber(line) || !rec || line->valuedouble < 1)
        return ingest_bad(ig, pos, NULL, "internal: unexpected output of the wrapped jq program");
    struct srcpos at = { ig->path, (long)line->valuedouble, 0, 0 };
    if (rec->next) {                          /* [line, null, error]: jq failed on this row */
        const cJSON *err = rec->next;
        return ingest_bad(ig, &at, NULL, "jq: %.300s", cJSON_IsString(err) ? err->valuestring : "error");
    }
    return ingest_json_record(ig, rec, &at);
}

/* The user's program inside the wrapper described at the top.  It starts on the wrapper's first
 * line, so that jq's messages about it give its own line numbers.  NULL after printing why. */
static char *wrap_program(const char *text, const char *name)
{
    struct strbuf sb = { 0 };
    strbuf_addstr(&sb, "def input: error(\"input and inputs are not available to a jq program over CSV rows\"); "
                       "def inputs: input; def __psyfaith_program: ");
    strbuf_addstr(&sb, text);
    strbuf_addstr(&sb, "\n;\n.[0] as $__psyfaith_line | .[1] | try (__psyfaith_program | [$__psyfaith_line, .]) "
                       "catch [$__psyfaith_line, null, (if type == \"string\" then . else tojson end)]\n");
    if (!sb.buf) {
        diag_error("out of memory");
        return NULL;
    }
    if (sb.len > MAX_WRAPPED_PROGRAM) {
        strbuf_free(&sb);
        diag_error("jq program '%s' is too large for CSV input (at most %d bytes)", name, MAX_WRAPPED_PROGRAM - 400);
        return NULL;
    }
    return sb.buf;
}

/* ---------- running jq ---------- */

/* An anonymous temporary file (unlinked at once), open for writing and reading; NULL after printing
 * why. */
static FILE *temp_file(void)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/psyfaith-jq-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        diag_error("cannot create a temporary file for jq in '%s': %s", dir && *dir ? dir : "/tmp", strerror(errno));
        return NULL;
    }
    unlink(path);
    FILE *fp = fdopen(fd, "w+");
    if (!fp) {
        close(fd);
        diag_error("out of memory");
    }
    return fp;
}

/* Reads fd to its end, hashing every byte (the source's hash is the input's own, whatever jq makes
 * of it), and copies it to `copy` when not NULL. */
static int hash_input(struct ingest *ig, int fd, const char *path, FILE *copy)
{
    char *buf = ingest_chunk(ig);
    size_t total = 0;
    if (!buf)
        return -1;
    for (;;) {
        ssize_t n;
        do
            n = read(fd, buf, INGEST_CHUNK);
        while (n < 0 && errno == EINTR);
        if (n < 0)
            return diag_error("cannot read '%s': %s", path, strerror(errno));
        if (n == 0)
            return 0;
        ingest_hash(ig, buf, (size_t)n);
        if (total == 0 && ingest_not_utf16(ig, path, buf, (size_t)n) < 0)
            return -1;
        total += (size_t)n;
        ingest_progress(ig, total);
        if (copy && fwrite(buf, 1, (size_t)n, copy) != (size_t)n)
            return diag_error("cannot write the temporary copy of '%s' for jq: %s", path, strerror(errno));
    }
}

/* Ends a temporary file's writing: flushed, checked, rewound.  0 or -1. */
static int temp_ready(FILE *fp, const char *path)
{
    if (fflush(fp) != 0 || ferror(fp) || fseek(fp, 0, SEEK_SET) != 0)
        return diag_error("cannot write the temporary copy of '%s' for jq: %s", path, strerror(errno));
    return 0;
}

int read_jq(struct ingest *ig, int fd, const char *path, int csv, char delimiter)
{
    const struct mapping *m = ig->map;
    const char *program = m->jq;
    int pipefd[2], status, ret = -1, in_fd = -1;
    long csv_lines = 0;
    char label[4200], *wrapped = NULL;
    FILE *tmp = NULL;
    if (csv || ig->is_stdin) {
        if (!(tmp = temp_file()))
            return -1;
        in_fd = fileno(tmp);
    }
    if (csv) {
        if (!(wrapped = wrap_program(m->jq_text ? m->jq_text : "", program)))
            goto out;
        ig->jq_rows = tmp;
        int rc = read_csv(ig, fd, path, delimiter);
        ig->jq_rows = NULL;
        csv_lines = ig->file_lines;
        if (rc < 0 || temp_ready(tmp, path) < 0)
            goto out;
        if (ingest_should_stop(ig)) {
            ret = 0;                /* too many bad rows: reported, nothing to give jq */
            goto out;
        }
    } else if (hash_input(ig, fd, path, tmp) < 0 || (tmp && temp_ready(tmp, path) < 0)) {
        goto out;
    }
    if (pipe(pipefd) < 0) {
        diag_error("cannot run jq: %s", strerror(errno));
        goto out;
    }
    install_jq_handlers();
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        diag_error("cannot run jq: %s", strerror(errno));
        goto out;
    }
    if (pid == 0) {
        /* only async-signal-safe calls until exec: the parent has threads */
        for (size_t i = 0; i < sizeof jq_signals / sizeof jq_signals[0]; i++) {
            struct sigaction old;
            if (sigaction(jq_signals[i], NULL, &old) == 0 && old.sa_handler == kill_jq_and_die)
                signal(jq_signals[i], SIG_DFL);
        }
        signal(SIGALRM, SIG_DFL);
        setpgid(0, 0);
#ifdef __linux__
        /* dies with the thread that started it; and if psyfaith died before this line, now */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
            _exit(127);
#endif
        if (ig->opt.jq_timeout)
            alarm(ig->opt.jq_timeout);
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        close(pipefd[1]);
        if (in_fd >= 0) {
            dup2(in_fd, 0);
            close(in_fd);
        }
        /* argv, never a shell: file names reach jq exactly as given */
        /* a shipped program (m->jq_program, profiles.c) is given as jq's filter argument; it starts
         * with '#' or a filter, never with '-' (an option) */
        if (csv)
            execlp("jq", "jq", "-c", wrapped, (char *)NULL);
        else if (in_fd >= 0 && m->jq_program)
            execlp("jq", "jq", "-c", m->jq_program, (char *)NULL);
        else if (in_fd >= 0)
            execlp("jq", "jq", "-c", "-f", program, (char *)NULL);
        else if (m->jq_program)
            execlp("jq", "jq", "-c", m->jq_program, "--", path, (char *)NULL);
        else
            execlp("jq", "jq", "-c", "-f", program, "--", path, (char *)NULL);
        fprintf(stderr, "psyfaith: error: cannot run jq (%s); install it: apt-get install jq\n", strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);              /* also here, so that the group exists whichever runs first */
    atomic_store(&jq_running, (int)pid);
    close(pipefd[1]);
    /* over CSV, messages name the CSV's own lines; otherwise the lines are jq's output lines */
    if (csv)
        snprintf(label, sizeof label, "%s", path);
    else
        snprintf(label, sizeof label, "%.2000s (after jq %.2000s)", path, program);
    ig->jq_wrapped = ig->json_textual = csv;
    ret = read_json_lines(ig, pipefd[0], path, label, 0);
    ig->jq_wrapped = ig->json_textual = 0;
    if (csv)
        ig->file_lines = csv_lines;
    close(pipefd[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    atomic_store(&jq_running, 0);
    if (ig->opt.jq_timeout && WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
        ret = diag_error("jq prefilter '%s' on '%s' ran longer than --jq-timeout %u s and was stopped; "
                         "nothing of the file was stored", program, path, ig->opt.jq_timeout);
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (!ingest_should_stop(ig))   /* we stopped reading early: jq's SIGPIPE is ours */
            ret = diag_error("jq prefilter '%s' failed on '%s' (exit %d)", program, path,
                             WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    }
out:
    ig->jq_rows = NULL;
    if (tmp)
        fclose(tmp);
    free(wrapped);
    return ret;
}
