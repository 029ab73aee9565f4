/* cli/classify_predict.c -- `psyfaith classify predict`: one text a line from stdin, labelled with a
 * stored classifier in batches on the worker threads (classify_predict_par), printed in order.
 * Split from cli/classify.c (the other classify subcommands and the dispatch).
 *
 * Speed (issue 16): stdin is read in large blocks and the lines are used where they lie (no copy);
 * the checks of a line are one pass over its bytes; and the probabilities are formatted on the
 * worker threads too (format_double tries up to three printf/strtod rounds per number), so that
 * the serial part between two batches is reading, checking and one memcpy per line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>
#include <unistd.h>

#include <sqlite3.h>

#include "classify/classify.h"
#include "cli/classify_cli.h"
#include "diag.h"
#include "reports/out.h"
#include "store/store.h"
#include "util.h"

const char classify_usage_predict[] =
    "usage: psyfaith classify predict --dimension D [--db FILE] [--threads N] < texts\n"
    "  Reads one text a line from stdin and prints `probability<TAB>label` (label y when the\n"
    "  probability is above 0.5, else n) with the stored classifier of D.  An empty line is an\n"
    "  error and nothing is printed.  For N/neuroticism the probability is 1 - P(EMO).\n"
    "  --threads N  worker threads, 1 to 256 (default $PSYFAITH_THREADS, else 2); the output is\n"
    "               the same at any count\n";

/* stdin in blocks: blk[at..have) is not yet split into lines; blk[have] is always writable. */
struct input {
    char *blk;
    size_t cap, have, at;
    int eof;
};

/* Moves the unsplit rest to the front and reads more (a larger block when one line fills it).
 * 0, or -1 after a message. */
static int input_fill(struct input *in)
{
    if (in->at) {
        memmove(in->blk, in->blk + in->at, in->have - in->at);
        in->have -= in->at;
        in->at = 0;
    }
    if (in->have + 1 >= in->cap) {
        size_t cap = in->cap ? 2 * in->cap : (size_t)4 << 20;
        char *p = realloc(in->blk, cap);
        if (!p)
            return diag_error("out of memory (a line of %zu bytes)", in->have);
        in->blk = p;
        in->cap = cap;
    }
    for (;;) {
        ssize_t got = read(STDIN_FILENO, in->blk + in->have, in->cap - in->have - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return diag_error("cannot read stdin: %s", strerror(errno));
        if (got == 0)
            in->eof = 1;
        in->have += (size_t)got;
        return 0;
    }
}

/* The next line (without its \n and one \r before it), NUL-terminated in place: 1, 0 when no
 * complete line is left in the block (at eof: none at all), -1 after a message.  A line is split
 * off only when it is complete, so *line stays valid until the next input_fill(). */
static int input_line(struct input *in, char **line, size_t *len)
{
    char *s = in->blk + in->at, *nl = in->have > in->at ? memchr(s, '\n', in->have - in->at) : NULL;
    size_t n;
    if (nl) {
        n = (size_t)(nl - s);
        in->at += n + 1;
    } else if (in->eof && in->at < in->have) {
        n = in->have - in->at;            /* the last line has no \n */
        in->at = in->have;
    } else
        return 0;
    if (n > 0 && s[n - 1] == '\r')
        n--;
    s[n] = '\0';
    *line = s;
    *len = n;
    return 1;
}

/* Valid UTF-8?  Runs of ASCII are skipped eight bytes at a time, the rest through utf8_valid(). */
static int text_utf8(const char *s, size_t n)
{
    size_t i = 0, bad;
    uint64_t w;
    while (i + 8 <= n) {
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080u)
            break;
        i += 8;
    }
    while (i < n && !(s[i] & 0x80))
        i++;
    return i == n || utf8_valid(s + i, n - i, &bad);
}

/* The output of one batch: line i is fmt[i * FMT_SIZE ..] (fmt_len[i] bytes), formatted on the workers. */
enum { BATCH = 8192, FMT_SIZE = 48 };
struct format_job {
    const double *prob;
    int reverse;
    char *fmt;
    unsigned char *fmt_len;
};

static int format_run(size_t i, size_t worker, void *arg)
{
    const struct format_job *j = arg;
    char *o = j->fmt + i * FMT_SIZE;
    double p = j->reverse ? 1.0 - j->prob[i] : j->prob[i];
    size_t n = strlen(out_num(o, 40, p));
    memcpy(o + n, p > 0.5 ? "\ty\n" : "\tn\n", 3);
    j->fmt_len[i] = (unsigned char)(n + 3);
    (void)worker;
    return 0;
}

int classify_cmd_predict(int argc, char **argv)
{
    enum { O_DB = 1, O_DIM, O_THREADS, O_HELP };
    static const struct option opts[] = {
        { "db", required_argument, NULL, O_DB }, { "dimension", required_argument, NULL, O_DIM },
        { "threads", required_argument, NULL, O_THREADS }, { "help", no_argument, NULL, O_HELP }, { 0 } };
    const char *db_opt = NULL, *dim_opt = NULL;
    struct classify_model *m = NULL;
    struct classify_info info;
    struct strbuf out = {0};
    struct input in = {0};
    char **batch = NULL, *fmt = NULL;
    unsigned char *fmt_len = NULL;
    double *prob = NULL;
    size_t threads = threads_default();
    int c, ret = 1, reverse, rc;
    sqlite3 *db = NULL;

    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case O_DB: db_opt = optarg; break;
        case O_DIM: dim_opt = optarg; break;
        case O_THREADS:
            if (threads_parse(optarg, &threads) < 0) {
                diag_error("--threads takes a number of threads (1 to 256), got '%s'", optarg);
                return 2;
            }
            break;
        case O_HELP: fputs(classify_usage_predict, stdout); return 0;
        default: fputs(classify_usage_predict, stderr); return 2;
        }
    }
    if (optind != argc || !dim_opt || strcmp(dim_opt, "all") == 0) {
        if (optind != argc)
            diag_error("classify predict reads texts from stdin, not arguments ('%s')", argv[optind]);
        else
            diag_error("classify predict needs --dimension D (one of EXT AGR CONS EMO OPEN)");
        fputs(classify_usage_predict, stderr);
        return 2;
    }
    int dsel = classify_cli_dimension(dim_opt, &reverse);
    if (dsel < 0)
        return 2;
    const char *dim = classify_dimensions[dsel];
    if (!(db = store_open(store_path(db_opt), STORE_READ)))
        return 1;
    if ((rc = classify_store_load(db, dim, &info, &m)) != 0) {
        if (rc == 1)
            diag_error("no trained classifier for dimension %s; run 'psyfaith classify train --dimension %s' first",
                       dim, dim);
        goto out;
    }
    store_close(db);
    db = NULL;

    /* Lines are checked in order, then labelled a batch at a time on the worker threads
     * (classify_predict_par: the values of one thread), then formatted there and appended in order. */
    struct srcpos pos = { "<stdin>", 0, 0, 0 };
    batch = malloc(BATCH * sizeof *batch);
    prob = malloc(BATCH * sizeof *prob);
    fmt = malloc((size_t)BATCH * FMT_SIZE);
    fmt_len = malloc(BATCH);
    if (!batch || !prob || !fmt || !fmt_len) {
        diag_error("out of memory");
        goto out;
    }
    for (;;) {
        size_t nb = 0, len;
        long first_line = pos.line + 1;
        char *line;
        while (nb < BATCH) {
            if ((rc = input_line(&in, &line, &len)) < 0)
                goto out;
            if (rc == 0) {
                if (in.eof || nb)       /* the batch's lines live in the block: label them first */
                    break;
                if (input_fill(&in) < 0)
                    goto out;
                continue;
            }
            pos.line++;
            if (strspn(line, " \t\n\r\v\f") == len) {
                diag_at(&pos, "empty text (one text a line for the %s classifier); nothing printed", dim);
                goto out;
            }
            if (memchr(line, '\0', len) || !text_utf8(line, len)) {
                diag_at(&pos, "%s; nothing printed", memchr(line, '\0', len) ? "the text holds a NUL byte"
                                                                             : "the text is not valid UTF-8");
                goto out;
            }
            batch[nb++] = line;
        }
        if (nb == 0)
            break;
        size_t bad;
        if (classify_predict_par(m, (const char *const *)batch, nb, threads, prob, &bad) < 0) {
            struct srcpos at = { "<stdin>", first_line + (long)bad, 0, 0 };
            if (bad < nb)
                diag_at(&at, "cannot label the text; nothing printed");
            goto out;
        }
        struct format_job fj = { prob, reverse, fmt, fmt_len };
        if (par_for(threads, nb, format_run, &fj) < 0) {
            diag_error("cannot start a worker thread for the output");
            goto out;
        }
        for (size_t i = 0; i < nb; i++)
            if (strbuf_add(&out, fmt + i * FMT_SIZE, fmt_len[i]) < 0) {
                diag_error("out of memory");
                goto out;
            }
    }
    if (out.len && fwrite(out.buf, 1, out.len, stdout) != out.len) {
        diag_error("cannot write the predictions");
        goto out;
    }
    if (fflush(stdout) != 0) {
        diag_error("cannot write the predictions");
        goto out;
    }
    ret = 0;
out:
    free(in.blk);
    free(batch);
    free(prob);
    free(fmt);
    free(fmt_len);
    strbuf_free(&out);
    classify_model_free(m);
    store_close(db);
    return ret;
}
