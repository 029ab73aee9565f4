/* metrics/structure_cfa_index.c -- fit measures of a CFA as lavaan's fitMeasures() (0.6-14):
 * chi-square against the saturated model, the independence baseline, CFI, TLI, RMSEA with its
 * 90 % interval (noncentral chi-square inversion), SRMR (Bentler: residuals over the observed
 * standard deviations, means included with a mean structure), log-likelihood, AIC, BIC. */
#include "metrics/structure_cfa_int.h"

#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_gamma.h>

/* The Poisson mixture sum_j e^-l/2 (l/2)^j / j! P(chi2_{df+2j} <= x), summed outwards from the
 * largest weight until the weights no longer matter. */
double cfa_pnchisq(double x, double df, double ncp)
{
    if (!(x > 0))
        return 0;
    if (ncp <= 0)
        return gsl_cdf_chisq_P(x, df);
    double lam = ncp / 2;
    long j0 = (long)floor(lam);
    double sum = 0;
    for (long j = j0; j <= j0 + 100000; j++) {
        double wj = exp(-lam + (double)j * log(lam) - gsl_sf_lngamma((double)j + 1));
        sum += wj * gsl_cdf_chisq_P(x, df + 2.0 * (double)j);
        if (wj < 1e-18 && j > j0 + 5)
            break;
    }
    for (long j = j0 - 1; j >= 0; j--) {
        double wj = exp(-lam + (double)j * log(lam) - gsl_sf_lngamma((double)j + 1));
        sum += wj * gsl_cdf_chisq_P(x, df + 2.0 * (double)j);
        if (wj < 1e-18)
            break;
    }
    return fmin(sum, 1.0);
}

struct ci_target { double x2, df, level; };

static double ci_fn(double lambda, void *ctx)
{
    const struct ci_target *t = ctx;
    return cfa_pnchisq(t->x2, t->df, lambda) - t->level;
}

/* The root in [lo, hi] of pchisq(x2, df, ncp) = level; pchisq falls as ncp grows. */
static double ncp_root(double x2, double df, double level, double lo, double hi)
{
    struct ci_target t = { x2, df, level };
    gsl_function fn = { ci_fn, &t };
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    double r = NAN;
    if (!s || gsl_root_fsolver_set(s, &fn, lo, hi) != GSL_SUCCESS) {
        gsl_root_fsolver_free(s);
        return NAN;
    }
    for (int it = 0; it < 200; it++) {
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
            break;
        r = gsl_root_fsolver_root(s);
        double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
        if (gsl_root_test_interval(a, b, 1e-15, 1e-15) == GSL_SUCCESS)
            break;
    }
    gsl_root_fsolver_free(s);
    return r;
}

/* lavaan's lav_fit_rmsea_ci(), with the roots found to machine precision. */
void cfa_rmsea_ci(double x2, double df, double n, size_t g, double *lo, double *hi)
{
    double sg = sqrt((double)g);
    if (df < 1 || cfa_pnchisq(x2, df, 0) - 0.95 < 0)
        *lo = 0;
    else
        *lo = sqrt(ncp_root(x2, df, 0.95, 0, x2) / (n * df)) * sg;
    double nr = fmax(n, 4 * x2);
    if (df < 1 || cfa_pnchisq(x2, df, nr) - 0.05 > 0 || cfa_pnchisq(x2, df, 0) - 0.05 < 0)
        *hi = 0;
    else
        *hi = sqrt(ncp_root(x2, df, 0.05, 0, nr) / (n * df)) * sg;
}

void cfa_fit_measures(struct cfa_model *md, const gsl_vector *x, struct cfa_fit *fit)
{
    size_t p = md->p, ng = md->ng;
    double n = md->ntotal, f = 0, base = 0, logl = 0, srmr = 0;
    double nmom = (double)(p * (p + 1) / 2 + (md->ms ? p : 0));
    cfa_model_value(x, md, &f);
    for (size_t g = 0; g < ng; g++) {
        const struct cfa_group *gr = &md->spec->groups[g];
        const gsl_matrix *s = gr->cov, *sig = md->sigma[g];
        double ng_ = (double)gr->n, lds = 0, ss = 0;
        for (size_t i = 0; i < p; i++)
            lds += log(gsl_matrix_get(s, i, i));
        base += ng_ * (lds - md->logdet_s[g]);
        /* log-likelihood: F_g is -2/N_g times it, up to the saturated model's constant */
        logl += -0.5 * ng_ * ((double)p * log(2 * M_PI) + md->logdet_s[g] + (double)p + md->fg[g]);
        for (size_t i = 0; i < p; i++) {
            double si = sqrt(gsl_matrix_get(s, i, i));
            for (size_t j = 0; j <= i; j++) {
                double r = (gsl_matrix_get(s, i, j) - gsl_matrix_get(sig, i, j)) /
                           (si * sqrt(gsl_matrix_get(s, j, j)));
                ss += r * r;
            }
            if (md->ms) {
                double r = (gr->mean[i] - gsl_vector_get(md->mu[g], i)) / si;
                ss += r * r;
            }
        }
        srmr += ng_ / n * sqrt(ss / nmom);
    }
    fit->fmin = f / 2;
    fit->chisq = n * f;
    fit->df = (double)ng * nmom - (double)md->q;
    fit->pvalue = fit->df > 0 ? gsl_cdf_chisq_Q(fit->chisq, fit->df) : NAN;
    fit->base_chisq = base;
    fit->base_df = (double)(ng * p * (p - 1) / 2);
    double t1 = fmax(fit->chisq - fit->df, 0);
    double t2 = fmax(fmax(fit->chisq - fit->df, fit->base_chisq - fit->base_df), 0);
    fit->cfi = t2 == 0 ? 1 : 1 - t1 / t2;
    if (fit->df > 0) {
        double tb = fit->base_chisq / fit->base_df, tm = fit->chisq / fit->df;
        fit->tli = (tb - tm) / (tb - 1);
        fit->rmsea = sqrt(fmax(fit->chisq / n / fit->df - 1 / n, 0)) * sqrt((double)ng);
    } else {
        fit->tli = 1;
        fit->rmsea = 0;
    }
    cfa_rmsea_ci(fit->chisq, fit->df, n, ng, &fit->rmsea_lo, &fit->rmsea_hi);
    fit->srmr = srmr;
    fit->logl = logl;
    fit->aic = -2 * logl + 2 * (double)md->q;
    fit->bic = -2 * logl + (double)md->q * log(n);
}
