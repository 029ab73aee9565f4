/* cli/classify_predict.c -- `psyfaith classify predict`: one text a line from stdin, labelled with a
 * stored classifier in batches on the worker threads (classify_predict_par), printed in order.
 * Split from cli/classify.c (the other classify subcommands and the dispatch). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>

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
    char *line = NULL, **batch = NULL;
    double *prob = NULL;
    size_t threads = threads_default();
    size_t cap = 0;
    ssize_t len;
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
     * (classify_predict_par: the values of one thread), then formatted in order. */
    struct srcpos pos = { "<stdin>", 0, 0, 0 };
    enum { BATCH = 8192 };
    batch = calloc(BATCH, sizeof *batch);
    prob = malloc(BATCH * sizeof *prob);
    if (!batch || !prob) {
        diag_error("out of memory");
        goto out;
    }
    for (int eof = 0; !eof;) {
        size_t nb = 0;
        long first_line = pos.line + 1;
        while (nb < BATCH) {
            if ((len = getline(&line, &cap, stdin)) < 0) {
                eof = 1;
                break;
            }
            pos.line++;
            if (len > 0 && line[len - 1] == '\n')
                line[--len] = '\0';
            if (len > 0 && line[len - 1] == '\r')
                line[--len] = '\0';
            size_t bad;
            if (strspn(line, " \t\n\r\v\f") == (size_t)len) {
                diag_at(&pos, "empty text (one text a line for the %s classifier); nothing printed", dim);
                goto out;
            }
            if ((size_t)len != strlen(line) || !utf8_valid(line, (size_t)len, &bad)) {
                diag_at(&pos, "%s; nothing printed", (size_t)len != strlen(line) ? "the text holds a NUL byte"
                                                                                 : "the text is not valid UTF-8");
                goto out;
            }
            free(batch[nb]);
            if (!(batch[nb] = strdup(line))) {
                diag_error("out of memory");
                goto out;
            }
            nb++;
        }
        size_t bad;
        if (nb && classify_predict_par(m, (const char *const *)batch, nb, threads, prob, &bad) < 0) {
            struct srcpos at = { "<stdin>", first_line + (long)bad, 0, 0 };
            if (bad < nb)
                diag_at(&at, "cannot label the text; nothing printed");
            goto out;
        }
        for (size_t i = 0; i < nb; i++) {
            char buf[40];
            double p = reverse ? 1.0 - prob[i] : prob[i];
            if (strbuf_addstr(&out, out_num(buf, sizeof buf, p)) < 0 ||
                strbuf_addstr(&out, p > 0.5 ? "\ty\n" : "\tn\n") < 0) {
                diag_error("out of memory");
                goto out;
            }
        }
    }
    if (ferror(stdin)) {
        diag_error("cannot read stdin");
        goto out;
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
    for (size_t i = 0; batch && i < 8192; i++)
        free(batch[i]);
    free(batch);
    free(prob);
    free(line);
    strbuf_free(&out);
    classify_model_free(m);
    store_close(db);
    return ret;
}

