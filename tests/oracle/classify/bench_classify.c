/* tests/oracle/classify/bench_classify.c -- times classify/ on descriptions.tsv (gen_descriptions.py).
 * Build from the repo root (until `make bench` does it):
 *   cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -I. $(pkg-config --cflags gsl libpcre2-8) \
 *      tests/oracle/classify/bench_classify.c classify/\*.c diag.c util.c \
 *      $(pkg-config --libs gsl libpcre2-8 nettle) -lm -o build/bench_classify
 *   build/bench_classify descriptions.tsv [--cv] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classify/classify.h"
#include "classify/classify_int.h"   /* to time the vectoriser alone */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    FILE *fp = argc > 1 ? fopen(argv[1], "r") : NULL;
    char **texts = NULL, *line = NULL;
    int *labels = NULL;
    size_t n = 0, cap = 0, lcap = 0;
    ssize_t len;
    if (!fp) {
        fprintf(stderr, "usage: bench_classify descriptions.tsv [--cv]\n");
        return 2;
    }
    while ((len = getline(&line, &lcap, fp)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 4096;
            texts = realloc(texts, cap * sizeof *texts);
            labels = realloc(labels, cap * sizeof *labels);
        }
        labels[n] = atoi(line);
        texts[n++] = strdup(tab + 1);
    }
    free(line);
    fclose(fp);

    struct classify_model *m = NULL;
    struct tok tk;
    struct tfidf x;
    double v0 = now(), c0 = cpu();
    if (classify_tok_init(&tk) < 0 ||
        classify_tfidf_fit(&tk, (const char *const *)texts, NULL, n, 1, 1, &x) < 0)
        return 1;
    printf("psyfaith: vectorise alone %.2f s (cpu %.2f s), nnz %zu\n", now() - v0, cpu() - c0,
           x.rowptr[n]);
    classify_tfidf_free(&x);
    classify_tok_free(&tk);

    double t0 = now(), u0 = cpu();
    if (classify_train((const char *const *)texts, labels, n, NULL, &m) < 0)
        return 1;
    double t1 = now(), u1 = cpu();
    double *p = malloc(n * sizeof *p);
    if (classify_predict_many(m, (const char *const *)texts, n, p) < 0)
        return 1;
    double t2 = now(), u2 = cpu();
    size_t right = 0;
    for (size_t i = 0; i < n; i++)
        right += (p[i] > 0.5) == (labels[i] == 1);
    printf("psyfaith: %zu texts, %zu terms; train (vectorise + fit) %.2f s (cpu %.2f s; %d Newton, "
           "%ld CG iterations, |grad| ratio %.1g); predict %.2f s (cpu %.2f s) = %.0f texts/s; "
           "training accuracy %.4f; P[:3] %.8f %.8f %.8f\n",
           n, m->n_terms, t1 - t0, u1 - u0, m->iterations, m->cg_iterations, m->grad_norm, t2 - t1,
           u2 - u1, (double)n / (t2 - t1), (double)right / (double)n, p[0], p[1], p[2]);
    if (argc > 2 && strcmp(argv[2], "--cv") == 0) {
        struct classify_metrics cv;
        double t3 = now();
        if (classify_cv((const char *const *)texts, labels, n, NULL, &cv, NULL) < 0)
            return 1;
        printf("psyfaith: 5-fold cv %.2f s: accuracy %.4f f1 %.4f auc %.4f\n", now() - t3,
               cv.accuracy, cv.f1, cv.auc);
    }
    classify_model_free(m);
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
    free(labels);
    free(p);
    return 0;
}
