/* classify/logreg.c -- L2-regularised logistic regression with an unpenalised intercept, fitted
 * by a trust-region Newton method (TRON): Lin, Weng & Keerthi, "Trust region Newton method for
 * large-scale logistic regression", JMLR 9 (2008) 627-650, with the diagonal preconditioner and
 * the quadratic-model stopping rule for the inner conjugate-gradient solve of Hsia, Chiang & Lin,
 * "Preconditioned conjugate gradient methods in truncated Newton frameworks for large-scale linear
 * classification", ACML 2018 -- the algorithm of liblinear's tron.cpp, written here from the
 * papers.  Objective, for w = (w_1..w_d, b):
 *     f(w) = 0.5 * sum_j w_j^2 + sum_i cw_i * log(1 + exp(-y_i z_i)),  z_i = x_i.w + b
 * Gradient, preconditioner and Hessian-vector products are computed over LOGREG_CHUNKS fixed
 * blocks of rows, each into its own vector, and the blocks are added in block order: the blocks
 * run on up to p->threads workers (util.h par_for), but the sums do not depend on how many, so a
 * fit is bit-for-bit repeatable at any thread count.  The outer loop stops when
 * |grad f| <= tol * |grad f(w_start)|, after max_iter accepted steps, or when the predicted and
 * actual reductions fall below 1e-12 |f| (nothing more can be gained in double precision).
 *
 * Speed (issue 16): the row passes gather v[col] and scatter into out[col] at random over d
 * variables (a million at a million texts: vectors of 8 MB, beyond the L2 cache), which is where
 * the fit spends its time.  So during the fit the columns are renumbered by falling frequency: the
 * few thousand terms that make up most of the entries then sit together at the front of every
 * vector and stay in cache.  Only names change: every row sums its entries in the same order,
 * and every sum over the variables (dot, m_dot) runs in the original column order through `ord`,
 * so the fit is bit for bit the one without renumbering. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "classify/classify_int.h"
#include "diag.h"
#include "util.h"

/* The row blocks: fixed, so the order of every sum is fixed whatever the thread count. */
#define LOGREG_CHUNKS 4

struct work {
    const struct logreg_problem *p;
    size_t nv;                  /* variables: d + 1 */
    const uint32_t *ord;        /* ord[j] = the place of original column j (ord[d] = d) */
    double *D;                  /* cw_i * s_i * (1 - s_i), the Hessian's row weights at w */
    double *D_new;              /* the same at the point OP_EVAL evaluates (swapped in on a step) */
    double *part[LOGREG_CHUNKS];   /* part[0] is the output vector; 1.. are nv-long scratch */
    double *mpart[LOGREG_CHUNKS];  /* OP_EVAL's second output, the preconditioner's diagonal */
    double loss[LOGREG_CHUNKS];
    /* the operation in progress (set before each par_for) */
    const double *in;           /* w for OP_EVAL, v for OP_HV */
    double *z;                  /* OP_EVAL: out */
    int op;
    int failed;                 /* a worker thread could not be started */
};

/* OP_EVAL: at a point w, in one pass over the rows, everything TRON needs there if it steps to
 * it -- z = Xw + b, the loss, the gradient's loss part, D and diag(X'DX) -- since reading the
 * matrix is most of a pass's cost.  OP_HV: a Hessian-vector product at the current point. */
enum { OP_EVAL, OP_HV };

static size_t chunk_lo(const struct work *wk, size_t c)
{
    return (size_t)((unsigned long long)wk->p->n * c / LOGREG_CHUNKS);
}

/* Sums over the variables run in the original column order, whatever their places (ord). */
static double dot(const uint32_t *ord, const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += a[ord[i]] * b[ord[i]];
    return s;
}

static void axpy(double a, const double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        y[i] += a * x[i];
}

/* Block c of rows for the operation wk->op; block 0 writes into the output, the others into
 * their own scratch (part[c], which starts at 0). */
static int chunk_run(size_t c, size_t worker, void *arg)
{
    struct work *wk = arg;
    const struct logreg_problem *p = wk->p;
    const size_t lo = chunk_lo(wk, c), hi = chunk_lo(wk, c + 1);
    double *out = wk->part[c];
    if (c > 0)
        memset(out, 0, wk->nv * sizeof *out);
    switch (wk->op) {
    case OP_EVAL: {     /* z_i, this block's loss; the gradient's and diag(X'DX)'s parts; D */
        const double *w = wk->in, b = w[p->d];
        double *mout = wk->mpart[c], loss = 0.0;
        if (c > 0)
            memset(mout, 0, wk->nv * sizeof *mout);
        for (size_t i = lo; i < hi; i++) {
            double zi = 0.0;
            for (size_t k = p->rowptr[i]; k < p->rowptr[i + 1]; k++)
                zi += p->val[k] * w[p->col[k]];
            zi += b;
            wk->z[i] = zi;
            double m = -p->y[i] * zi;   /* log(1 + e^m), without overflow */
            loss += p->cw[i] * (m > 0 ? m + log1p(exp(-m)) : log1p(exp(m)));
            double yz = p->y[i] * zi, e, sm1;
            if (yz >= 0) {              /* s = sigma(yz); sm1 = s - 1 computed without cancellation */
                e = exp(-yz);
                sm1 = -e / (1.0 + e);
            } else {
                e = exp(yz);
                sm1 = -1.0 / (1.0 + e);
            }
            double Di = p->cw[i] * (e / ((1.0 + e) * (1.0 + e)));
            double t = p->cw[i] * sm1 * p->y[i];
            wk->D_new[i] = Di;
            for (size_t k = p->rowptr[i]; k < p->rowptr[i + 1]; k++) {
                out[p->col[k]] += t * p->val[k];
                mout[p->col[k]] += Di * p->val[k] * p->val[k];
            }
            out[p->d] += t;
            mout[p->d] += Di;
        }
        wk->loss[c] = loss;
        break;
    }
    case OP_HV: {       /* X' D X v over the block */
        const double *v = wk->in;
        for (size_t i = lo; i < hi; i++) {
            double u = 0.0;
            for (size_t k = p->rowptr[i]; k < p->rowptr[i + 1]; k++)
                u += p->val[k] * v[p->col[k]];
            u += v[p->d];
            u *= wk->D[i];
            for (size_t k = p->rowptr[i]; k < p->rowptr[i + 1]; k++)
                out[p->col[k]] += u * p->val[k];
            out[p->d] += u;
        }
        break;
    }
    }
    (void)worker;
    return 0;
}

/* part[0][j] += part[1][j] + ... in block order, for the j of one slice of the variables. */
static int reduce_run(size_t c, size_t worker, void *arg)
{
    struct work *wk = arg;
    const size_t lo = wk->nv * c / LOGREG_CHUNKS, hi = wk->nv * (c + 1) / LOGREG_CHUNKS;
    for (int second = 0; second <= (wk->op == OP_EVAL); second++) {
        double *const *part = second ? wk->mpart : wk->part, *out = part[0];
        for (size_t q = 1; q < LOGREG_CHUNKS; q++) {
            const double *pq = part[q];
            for (size_t j = lo; j < hi; j++)
                out[j] += pq[j];
        }
    }
    (void)worker;
    return 0;
}

/* Runs op over the blocks (out = part[0] already holds its starting value) and adds the blocks. */
static void run_op(struct work *wk, int op, double *out)
{
    wk->op = op;
    wk->part[0] = out;
    if (par_for(wk->p->threads, LOGREG_CHUNKS, chunk_run, wk) < 0)
        wk->failed = 1;
    if (par_for(wk->p->threads, LOGREG_CHUNKS, reduce_run, wk) < 0)
        wk->failed = 1;
}

/* f(w), and at w: z = x_i.w + b, the gradient g, the preconditioner M = (1 - a) I + a diag(H),
 * a = 0.01 (Hsia et al.'s mixture, which keeps M well conditioned), and the Hessian weights in
 * wk->D_new.  The sums are the ones separate passes would make, in the same order. */
static double eval(struct work *wk, const double *w, double *z, double *g, double *M)
{
    const struct logreg_problem *p = wk->p;
    const double a = 0.01;
    memcpy(g, w, p->d * sizeof *g);
    g[p->d] = 0.0;
    for (size_t j = 0; j < p->d; j++)
        M[j] = 1.0;
    M[p->d] = 0.0;
    wk->in = w;
    wk->z = z;
    wk->mpart[0] = M;
    run_op(wk, OP_EVAL, g);
    for (size_t j = 0; j <= p->d; j++)
        M[j] = (1.0 - a) + a * M[j];
    double loss = 0.0;
    for (size_t c = 0; c < LOGREG_CHUNKS; c++)
        loss += wk->loss[c];
    return 0.5 * dot(wk->ord, w, w, p->d) + loss;
}

/* Hs = H v at the w where D was computed. */
static void hess_vec(struct work *wk, const double *v, double *Hv)
{
    const struct logreg_problem *p = wk->p;
    memcpy(Hv, v, p->d * sizeof *Hv);
    Hv[p->d] = 0.0;
    wk->in = v;
    run_op(wk, OP_HV, Hv);
}

static double m_dot(const uint32_t *ord, const double *a, const double *M, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        size_t j = ord[i];
        s += a[j] * M[j] * b[j];
    }
    return s;
}

/* Approximately minimises the quadratic model g.s + s'Hs/2 subject to |s|_M <= delta by
 * preconditioned CG.  r receives -g - Hs.  Returns the CG iterations; *boundary = 1 when the step
 * reached the trust-region boundary. */
static int trpcg(struct work *wk, double delta, const double *g, const double *M, double *s,
                 double *r, double *d, double *Hd, double *zv, int *boundary)
{
    const size_t n = wk->nv;
    const double eps_cg = 0.5;
    double Q = 0.0;
    int it = 0, max_it = n > 5 ? (n < 100000 ? (int)n : 100000) : 5;
    *boundary = 0;
    for (size_t i = 0; i < n; i++) {
        s[i] = 0.0;
        r[i] = -g[i];
        zv[i] = r[i] / M[i];
        d[i] = zv[i];
    }
    double zTr = dot(wk->ord, zv, r, n);
    double cgtol = fmin(eps_cg, sqrt(sqrt(zTr)));
    while (it < max_it) {
        it++;
        hess_vec(wk, d, Hd);
        double dHd = dot(wk->ord, d, Hd, n);
        if (dHd <= 1e-16)
            break;
        double alpha = zTr / dHd;
        axpy(alpha, d, s, n);
        if (sqrt(m_dot(wk->ord, s, M, s, n)) > delta) {
            /* Back off, then go along d to the boundary: |s + tau d|_M = delta. */
            *boundary = 1;
            axpy(-alpha, d, s, n);
            double sMd = m_dot(wk->ord, s, M, d, n), sMs = m_dot(wk->ord, s, M, s, n), dMd = m_dot(wk->ord, d, M, d, n);
            double dsq = delta * delta, rad = sqrt(sMd * sMd + dMd * (dsq - sMs));
            double tau = sMd >= 0 ? (dsq - sMs) / (sMd + rad) : (rad - sMd) / dMd;
            axpy(tau, d, s, n);
            axpy(-tau, Hd, r, n);
            break;
        }
        axpy(-alpha, Hd, r, n);
        /* Stop when the model's decrease per iteration is small against its total decrease. */
        double newQ = -0.5 * (dot(wk->ord, s, r, n) - dot(wk->ord, s, g, n)), Qdiff = newQ - Q;
        if (newQ > 0 || Qdiff > 0)
            break;
        if (it * Qdiff >= cgtol * newQ)
            break;
        Q = newQ;
        for (size_t i = 0; i < n; i++)
            zv[i] = r[i] / M[i];
        double zTr_new = dot(wk->ord, zv, r, n), beta = zTr_new / zTr;
        for (size_t i = 0; i < n; i++)
            d[i] = zv[i] + beta * d[i];
        zTr = zTr_new;
    }
    return it;
}

struct colcount {
    uint32_t n, j;
};

/* Falling count, then column: a total order, so the numbering is a function of the data. */
static int colcount_cmp(const void *a, const void *b)
{
    const struct colcount *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return (x->j > y->j) - (x->j < y->j);
}

/* The columns' places by falling frequency: ord[j] = place of column j (ord[d] = d), back[r] =
 * the column at place r.  Renumbers p->col and w (d + 1 entries; tmp: d + 1 scratch).  0 or -1
 * out of memory (then nothing has changed). */
static int renumber(const struct logreg_problem *p, double *w, double *tmp, uint32_t **ord_out,
                    uint32_t **back_out)
{
    const size_t d = p->d, nnz = p->rowptr[p->n];
    struct colcount *cc = malloc((d ? d : 1) * sizeof *cc);
    uint32_t *ord = malloc((d + 1) * sizeof *ord), *back = malloc((d + 1) * sizeof *back);
    if (!cc || !ord || !back) {
        free(cc);
        free(ord);
        free(back);
        return -1;
    }
    for (size_t j = 0; j < d; j++)
        cc[j] = (struct colcount){ 0, (uint32_t)j };
    for (size_t k = 0; k < nnz; k++)
        cc[p->col[k]].n++;
    qsort(cc, d, sizeof *cc, colcount_cmp);
    for (size_t r = 0; r < d; r++) {
        back[r] = cc[r].j;
        ord[cc[r].j] = (uint32_t)r;
    }
    ord[d] = back[d] = (uint32_t)d;
    free(cc);
    for (size_t k = 0; k < nnz; k++)
        p->col[k] = ord[p->col[k]];
    memcpy(tmp, w, (d + 1) * sizeof *tmp);
    for (size_t j = 0; j <= d; j++)
        w[ord[j]] = tmp[j];
    *ord_out = ord;
    *back_out = back;
    return 0;
}

/* Undoes renumber(): p->col and w back to the original columns. */
static void restore(const struct logreg_problem *p, double *w, double *tmp, const uint32_t *ord,
                    const uint32_t *back)
{
    const size_t d = p->d, nnz = p->rowptr[p->n];
    for (size_t k = 0; k < nnz; k++)
        p->col[k] = back[p->col[k]];
    memcpy(tmp, w, (d + 1) * sizeof *tmp);
    for (size_t j = 0; j <= d; j++)
        w[j] = tmp[ord[j]];
}

int classify_logreg_fit(const struct logreg_problem *p, double tol, int max_iter, double *w,
               struct logreg_result *res)
{
    uint32_t *ord = NULL, *back = NULL;
    const double eta0 = 1e-4, eta1 = 0.25, eta2 = 0.75;
    const double sigma1 = 0.25, sigma2 = 0.5, sigma3 = 4.0;
    struct work wk = { .p = p, .nv = p->d + 1 };
    const size_t n = wk.nv;
    double *mem, *z, *z_new, *t;

    memset(res, 0, sizeof *res);
    /* g s r d Hd zv M w_new g_new M_new: 10 vectors of the variables, and the blocks' scratch for
     * two outputs; z, z_new, D, D_new: 4 of the rows. */
    /* the passes reach into the vectors at random: huge pages spare them most TLB misses */
    mem = calloc_huge((10 + 2 * (LOGREG_CHUNKS - 1)) * n + 4 * p->n, sizeof *mem);
    if (!mem)
        return diag_error("out of memory (%zu features, %zu texts)", p->d, p->n);
    double *g = mem, *s = g + n, *r = s + n, *d = r + n, *Hd = d + n, *zv = Hd + n, *M = zv + n;
    double *w_new = M + n, *g_new = w_new + n, *M_new = g_new + n;
    z = M_new + n;
    z_new = z + p->n;
    wk.D = z_new + p->n;
    wk.D_new = wk.D + p->n;
    for (size_t c = 1; c < LOGREG_CHUNKS; c++) {
        wk.part[c] = wk.D_new + p->n + (c - 1) * n;
        wk.mpart[c] = wk.D_new + p->n + (LOGREG_CHUNKS - 1 + c - 1) * n;
    }
    if (renumber(p, w, w_new, &ord, &back) < 0) {
        free(mem);
        return diag_error("out of memory (%zu features, %zu texts)", p->d, p->n);
    }
    wk.ord = ord;

    double f = eval(&wk, w, z, g, M);
    t = wk.D, wk.D = wk.D_new, wk.D_new = t;
    double gnorm0 = sqrt(dot(wk.ord, g, g, n)), gnorm = gnorm0;
    double delta = sqrt(m_dot(wk.ord, g, M, g, n));
    int iter = 0, first = 1;
    if (gnorm0 == 0.0) {
        res->converged = 1;
        goto done;
    }
    while (iter < max_iter) {
        int boundary;
        res->cg_iterations += trpcg(&wk, delta, g, M, s, r, d, Hd, zv, &boundary);
        memcpy(w_new, w, n * sizeof *w);
        axpy(1.0, s, w_new, n);
        double gs = dot(wk.ord, g, s, n);
        double prered = -0.5 * (gs - dot(wk.ord, s, r, n));
        double fnew = eval(&wk, w_new, z_new, g_new, M_new);
        double actred = f - fnew;
        double sMnorm = sqrt(m_dot(wk.ord, s, M, s, n));
        if (first) {
            delta = fmin(delta, sMnorm);
            first = 0;
        }
        double alpha = fnew - f - gs <= 0 ? sigma3 : fmax(sigma1, -0.5 * (gs / (fnew - f - gs)));
        if (actred < eta0 * prered)
            delta = fmin(alpha * sMnorm, sigma2 * delta);
        else if (actred < eta1 * prered)
            delta = fmax(sigma1 * delta, fmin(alpha * sMnorm, sigma2 * delta));
        else if (actred < eta2 * prered)
            delta = fmax(sigma1 * delta, fmin(alpha * sMnorm, sigma3 * delta));
        else
            delta = boundary ? sigma3 * delta : fmax(delta, fmin(alpha * sMnorm, sigma3 * delta));
        if (actred > eta0 * prered) {
            iter++;
            memcpy(w, w_new, n * sizeof *w);
            t = z, z = z_new, z_new = t;
            t = g, g = g_new, g_new = t;
            t = M, M = M_new, M_new = t;
            t = wk.D, wk.D = wk.D_new, wk.D_new = t;
            f = fnew;
            gnorm = sqrt(dot(wk.ord, g, g, n));
            if (gnorm <= tol * gnorm0) {
                res->converged = 1;
                break;
            }
        }
        if (prered <= 0)
            break;                /* CG found no descent: numerical trouble, not converged */
        if (fabs(actred) <= 1e-12 * fabs(f) && fabs(prered) <= 1e-12 * fabs(f)) {
            res->converged = 1;   /* at the limit of double precision */
            break;
        }
    }
done:
    restore(p, w, w_new, ord, back);
    free(ord);
    free(back);
    if (wk.failed) {
        free(mem);
        return diag_error("cannot start a worker thread for the classifier fit");
    }
    res->iterations = iter;
    res->grad_norm = gnorm0 > 0 ? gnorm / gnorm0 : 0.0;
    free(mem);
    return 0;
}
