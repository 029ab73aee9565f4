/* metrics/games_fit.c -- the fits behind the games analyses: OLS (R lm), logistic regression by
 * IRLS (R glm.fit, binomial), Wilson intervals (R prop.test).  See games.h. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_multifit.h>

#include "metrics/games.h"
#include "metrics/stats.h"

#define RANK_TOL 1e-7            /* R's lm() tolerance; here on singular values */
#define GLM_EPSILON 1e-8         /* glm.control() defaults */
#define GLM_MAXIT 25
#define LOGIT_THRESH 30.0        /* R's binomial logit link (family.c) */

static int fail(const char **why, int code, const char *reason)
{
    if (why)
        *why = reason;
    return code;
}

void games_fit_free(struct games_fit *f)
{
    if (!f)
        return;
    free(f->coef);
    free(f->se);
    free(f->stat);
    free(f->p_value);
    free(f->lo);
    free(f->hi);
    memset(f, 0, sizeof *f);
}

static int fit_alloc(struct games_fit *f, size_t n, size_t p)
{
    memset(f, 0, sizeof *f);
    f->n = n;
    f->p = p;
    f->df = (double)n - (double)p;
    f->r2 = f->adj_r2 = f->deviance = f->aic = NAN;
    if (!(f->coef = calloc(p, sizeof(double))) || !(f->se = calloc(p, sizeof(double))) ||
        !(f->stat = calloc(p, sizeof(double))) || !(f->p_value = calloc(p, sizeof(double))) ||
        !(f->lo = calloc(p, sizeof(double))) || !(f->hi = calloc(p, sizeof(double)))) {
        games_fit_free(f);
        return -1;
    }
    return 0;
}

/* Weighted least squares through GSL's truncated SVD; cov is the unscaled (X'WX)^-1. */
static int wls(const gsl_matrix *X, const gsl_vector *w, const gsl_vector *z, gsl_vector *c,
               gsl_matrix *cov, gsl_multifit_linear_workspace *work, const char **why)
{
    double chisq;
    size_t rank;
    if (gsl_multifit_wlinear_tsvd(X, w, z, RANK_TOL, c, cov, &chisq, &rank, work) != GSL_SUCCESS)
        return fail(why, STATS_UNDEFINED, "least squares failed");
    if (rank < X->size2)
        return fail(why, STATS_UNDEFINED, "design is rank deficient (a column is a combination of others)");
    return STATS_OK;
}

int games_ols(const gsl_matrix *X, const gsl_vector *y, int intercept, struct games_fit *f,
              const char **why)
{
    const size_t n = X->size1, p = X->size2;
    gsl_multifit_linear_workspace *work = NULL;
    gsl_vector *w = NULL, *c = NULL;
    gsl_matrix *cov = NULL;
    int ret = fail(why, STATS_NOMEM, "out of memory");
    if (y->size != n || p == 0)
        return fail(why, STATS_EINVAL, "X and y do not match");
    if (n <= p)
        return fail(why, STATS_UNDEFINED, "no residual degrees of freedom (n <= number of coefficients)");
    if (fit_alloc(f, n, p) < 0)
        return ret;
    if (!(work = gsl_multifit_linear_alloc(n, p)) || !(w = gsl_vector_alloc(n)) || !(c = gsl_vector_alloc(p)) ||
        !(cov = gsl_matrix_alloc(p, p)))
        goto out;
    gsl_vector_set_all(w, 1.0);
    if ((ret = wls(X, w, y, c, cov, work, why)) != STATS_OK)
        goto out;
    /* summary.lm(): rss from the residuals, mss from the fitted values */
    double rss = 0.0, mss = 0.0, fmean = 0.0;
    for (size_t i = 0; i < n; i++) {
        gsl_vector_const_view row = gsl_matrix_const_row(X, i);
        double fit;
        gsl_blas_ddot(&row.vector, c, &fit);
        double r = gsl_vector_get(y, i) - fit;
        rss += r * r;
        fmean += fit;
        gsl_vector_set(w, i, fit);                       /* w now holds the fitted values */
    }
    fmean /= (double)n;
    for (size_t i = 0; i < n; i++) {
        double d = gsl_vector_get(w, i) - (intercept ? fmean : 0.0);
        mss += d * d;
    }
    double s2 = rss / f->df, q = gsl_cdf_tdist_Pinv(1.0 - (1.0 - GAMES_CI_LEVEL) / 2.0, f->df);
    /* A constant y with an intercept: the exact fit is the mean with every slope 0 and no residual,
     * but the SVD leaves rounding noise (slope 4e-17, t = noise / noise, p and R^2 anything).  R's
     * summary.lm prints that noise with "essentially perfect fit"; we give the exact answer. */
    double ymean = gsl_stats_mean(y->data, y->stride, n), ss = 0.0, css = 0.0;
    for (size_t i = 0; i < n; i++) {
        double v = gsl_vector_get(y, i);
        ss += v * v;
        css += (v - ymean) * (v - ymean);
    }
    f->constant_y = intercept && css <= 1e-30 * ss;
    f->rss = rss;
    f->r2 = mss + rss > 0.0 && !f->constant_y ? mss / (mss + rss) : NAN;
    f->adj_r2 = 1.0 - (1.0 - f->r2) * (((double)n - (intercept ? 1.0 : 0.0)) / f->df);
    if (f->constant_y) {
        f->rss = 0.0;
        for (size_t j = 0; j < p; j++) {
            f->coef[j] = j == 0 ? ymean : 0.0;
            f->se[j] = f->stat[j] = f->p_value[j] = f->lo[j] = f->hi[j] = NAN;
        }
        ret = STATS_OK;
        if (why)
            *why = NULL;
        goto out;
    }
    for (size_t j = 0; j < p; j++) {
        f->coef[j] = gsl_vector_get(c, j);
        f->se[j] = sqrt(s2 * gsl_matrix_get(cov, j, j));
        f->stat[j] = f->coef[j] / f->se[j];
        f->p_value[j] = 2.0 * gsl_cdf_tdist_Q(fabs(f->stat[j]), f->df);
        f->lo[j] = f->coef[j] - q * f->se[j];
        f->hi[j] = f->coef[j] + q * f->se[j];
    }
    ret = STATS_OK;
    if (why)
        *why = NULL;
out:
    gsl_multifit_linear_free(work);
    gsl_vector_free(w);
    gsl_vector_free(c);
    gsl_matrix_free(cov);
    if (ret != STATS_OK)
        games_fit_free(f);
    return ret;
}

/* R's binomial()$linkinv and $mu.eta for the logit link (src/library/stats/src/family.c). */
static double logit_linkinv(double eta)
{
    double t = eta < -LOGIT_THRESH ? DBL_EPSILON : eta > LOGIT_THRESH ? 1.0 / DBL_EPSILON : exp(eta);
    return t / (1.0 + t);
}

static double logit_mu_eta(double eta)
{
    double opexp = 1.0 + exp(eta);
    return eta > LOGIT_THRESH || eta < -LOGIT_THRESH ? DBL_EPSILON : exp(eta) / (opexp * opexp);
}

/* binomial()$dev.resids for 0/1 y and unit weights, summed. */
static double binomial_deviance(const gsl_vector *y, const gsl_vector *mu)
{
    double dev = 0.0;
    for (size_t i = 0; i < y->size; i++) {
        double m = gsl_vector_get(mu, i);
        dev += gsl_vector_get(y, i) != 0.0 ? 2.0 * log(1.0 / m) : 2.0 * log(1.0 / (1.0 - m));
    }
    return dev;
}

int games_logit(const gsl_matrix *X, const gsl_vector *y, struct games_fit *f, const char **why)
{
    const size_t n = X->size1, p = X->size2;
    gsl_multifit_linear_workspace *work = NULL;
    gsl_vector *eta = NULL, *mu = NULL, *z = NULL, *w = NULL, *c = NULL;
    gsl_matrix *cov = NULL;
    int ret = fail(why, STATS_NOMEM, "out of memory");
    if (y->size != n || p == 0)
        return fail(why, STATS_EINVAL, "X and y do not match");
    for (size_t i = 0; i < n; i++)
        if (gsl_vector_get(y, i) != 0.0 && gsl_vector_get(y, i) != 1.0)
            return fail(why, STATS_EINVAL, "y must be 0 or 1");
    if (n <= p)
        return fail(why, STATS_UNDEFINED, "no residual degrees of freedom (n <= number of coefficients)");
    if (fit_alloc(f, n, p) < 0)
        return ret;
    if (!(work = gsl_multifit_linear_alloc(n, p)) || !(eta = gsl_vector_alloc(n)) || !(mu = gsl_vector_alloc(n)) ||
        !(z = gsl_vector_alloc(n)) || !(w = gsl_vector_alloc(n)) || !(c = gsl_vector_alloc(p)) ||
        !(cov = gsl_matrix_alloc(p, p)))
        goto out;
    /* binomial()$initialize: mustart = (weights * y + 0.5) / (weights + 1); eta = linkfun(mustart) */
    for (size_t i = 0; i < n; i++) {
        double m = (gsl_vector_get(y, i) + 0.5) / 2.0;
        gsl_vector_set(mu, i, m);
        gsl_vector_set(eta, i, log(m / (1.0 - m)));
    }
    double devold = binomial_deviance(y, mu), dev = devold;
    int conv = 0, iter;
    for (iter = 1; iter <= GLM_MAXIT; iter++) {
        for (size_t i = 0; i < n; i++) {
            double e = gsl_vector_get(eta, i), m = gsl_vector_get(mu, i), me = logit_mu_eta(e);
            gsl_vector_set(z, i, e + (gsl_vector_get(y, i) - m) / me);
            gsl_vector_set(w, i, me * me / (m * (1.0 - m)));    /* squared IRLS weight */
        }
        if ((ret = wls(X, w, z, c, cov, work, why)) != STATS_OK)
            goto out;
        ret = fail(why, STATS_NOMEM, "out of memory");
        if (gsl_blas_dgemv(CblasNoTrans, 1.0, X, c, 0.0, eta) != GSL_SUCCESS)
            goto out;
        for (size_t i = 0; i < n; i++)
            gsl_vector_set(mu, i, logit_linkinv(gsl_vector_get(eta, i)));
        dev = binomial_deviance(y, mu);
        if (!isfinite(dev)) {
            ret = fail(why, STATS_UNDEFINED, "the deviance is not finite");
            goto out;
        }
        if (fabs(dev - devold) / (fabs(dev) + 0.1) < GLM_EPSILON) {
            conv = 1;
            break;
        }
        devold = dev;
    }
    if (!conv) {
        ret = fail(why, STATS_UNDEFINED, "did not converge in 25 iterations (complete separation?)");
        goto out;
    }
    double q = gsl_cdf_ugaussian_Pinv(1.0 - (1.0 - GAMES_CI_LEVEL) / 2.0);
    for (size_t i = 0; i < n; i++) {
        double m = gsl_vector_get(mu, i);
        if (m > 1.0 - 10.0 * DBL_EPSILON || m < 10.0 * DBL_EPSILON)
            f->boundary = 1;
    }
    f->iterations = iter;
    f->deviance = dev;
    f->aic = dev + 2.0 * (double)p;
    /* summary.glm(): dispersion 1, covariance from the last IRLS solve */
    for (size_t j = 0; j < p; j++) {
        f->coef[j] = gsl_vector_get(c, j);
        f->se[j] = sqrt(gsl_matrix_get(cov, j, j));
        f->stat[j] = f->coef[j] / f->se[j];
        f->p_value[j] = 2.0 * gsl_cdf_ugaussian_P(-fabs(f->stat[j]));
        f->lo[j] = f->coef[j] - q * f->se[j];
        f->hi[j] = f->coef[j] + q * f->se[j];
    }
    ret = STATS_OK;
    if (why)
        *why = NULL;
out:
    gsl_multifit_linear_free(work);
    gsl_vector_free(eta);
    gsl_vector_free(mu);
    gsl_vector_free(z);
    gsl_vector_free(w);
    gsl_vector_free(c);
    gsl_matrix_free(cov);
    if (ret != STATS_OK)
        games_fit_free(f);
    return ret;
}

int games_wilson(size_t k, size_t n, double level, double *lo, double *hi, const char **why)
{
    return stats_wilson(k, n, level, lo, hi, why);   /* prop.test(correct = FALSE): see stats.h */
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int games_cellmeans_design(const int *level, const double *o, size_t n, gsl_matrix **X,
                           int *levels, size_t *k, const char **why)
{
    size_t nk = 0;
    *X = NULL;
    if (n == 0)
        return fail(why, STATS_UNDEFINED, "no observations");
    memcpy(levels, level, n * sizeof *levels);
    qsort(levels, n, sizeof *levels, cmp_int);
    for (size_t i = 0; i < n; i++)
        if (nk == 0 || levels[nk - 1] != levels[i])
            levels[nk++] = levels[i];
    gsl_matrix *m = gsl_matrix_calloc(n, nk + 1);
    if (!m)
        return fail(why, STATS_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        int *hit = bsearch(&level[i], levels, nk, sizeof *levels, cmp_int);
        gsl_matrix_set(m, i, (size_t)(hit - levels), 1.0);
        gsl_matrix_set(m, i, nk, o[i]);
    }
    *X = m;
    *k = nk;
    if (why)
        *why = NULL;
    return STATS_OK;
}

void games_snap_ties(double *v, size_t k)
{
    for (size_t i = 0; i < k; i++)
        v[i] = nearbyint(v[i] * 1e10) / 1e10;
}

size_t games_violations(const double *v, size_t k, int direction)
{
    size_t up = 0, down = 0;
    for (size_t i = 1; i < k; i++) {
        if (v[i] > v[i - 1])
            up++;
        else if (v[i] < v[i - 1])
            down++;
    }
    return direction > 0 ? down : direction < 0 ? up : (up < down ? up : down);
}
