/* metrics/structure_poly.c -- polychoric correlations for psyfaith structure --cor polychoric, as
 * polycor::polychor(x, y, ML = FALSE) computes them (structure_int.h): the two-step estimate, with
 * thresholds from the marginals and rho maximising the bivariate normal likelihood of the table.
 *
 * The bivariate normal probabilities are Genz's BVND (TVPACK, the routine mvtnorm::pmvnorm runs for
 * two dimensions; Drezner & Wesolowsky 1990 with Gauss-Legendre quadrature), and rho comes from the
 * same Brent minimiser as R's optimise() with its default tolerance, step for step: R's value is
 * only within about 1e-4 of the exact maximum, and this gives R's value. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "metrics/stats.h"
#include "metrics/structure_int.h"

static int fail(const char **why, int code, const char *reason)
{
    if (why)
        *why = reason;
    return code;
}

static double phi(double x)
{
    return gsl_cdf_ugaussian_P(x);
}

/* Genz's BVND: P(X > dh, Y > dk) for correlation r, finite dh and dk. */
static double bvnd(double dh, double dk, double r)
{
    static const double x[3][10] = {
        { -0.9324695142031522, -0.6612093864662647, -0.2386191860831970 },
        { -0.9815606342467191, -0.9041172563704750, -0.7699026741943050, -0.5873179542866171,
          -0.3678314989981802, -0.1252334085114692 },
        { -0.9931285991850949, -0.9639719272779138, -0.9122344282513259, -0.8391169718222188,
          -0.7463319064601508, -0.6360536807265150, -0.5108670019508271, -0.3737060887154196,
          -0.2277858511416451, -0.07652652113349733 } };
    static const double w[3][10] = {
        { 0.1713244923791705, 0.3607615730481384, 0.4679139345726904 },
        { 0.04717533638651177, 0.1069393259953183, 0.1600783285433464, 0.2031674267230659,
          0.2334925365383547, 0.2491470458134029 },
        { 0.01761400713915212, 0.04060142980038694, 0.06267204833410906, 0.08327674157670475,
          0.1019301198172404, 0.1181945319615184, 0.1316886384491766, 0.1420961093183821,
          0.1491729864726037, 0.1527533871307259 } };
    const double twopi = 6.283185307179586;
    int ng, lg;
    if (fabs(r) < 0.3)
        ng = 0, lg = 3;
    else if (fabs(r) < 0.75)
        ng = 1, lg = 6;
    else
        ng = 2, lg = 10;
    double h = dh, k = dk, hk = h * k, bvn = 0.0;
    if (fabs(r) < 0.925) {
        double hs = (h * h + k * k) / 2, asr = asin(r);
        for (int i = 0; i < lg; i++) {
            double sn = sin(asr * (x[ng][i] + 1) / 2);
            bvn += w[ng][i] * exp((sn * hk - hs) / (1 - sn * sn));
            sn = sin(asr * (-x[ng][i] + 1) / 2);
            bvn += w[ng][i] * exp((sn * hk - hs) / (1 - sn * sn));
        }
        return bvn * asr / (2 * twopi) + phi(-h) * phi(-k);
    }
    if (r < 0) {
        k = -k;
        hk = -hk;
    }
    if (fabs(r) < 1) {
        double as = (1 - r) * (1 + r), a = sqrt(as), bs = (h - k) * (h - k);
        double c = (4 - hk) / 8, d = (12 - hk) / 16;
        bvn = a * exp(-(bs / as + hk) / 2) * (1 - c * (bs - as) * (1 - d * bs / 5) / 3 + c * d * as * as / 5);
        if (hk > -160) {
            double b = sqrt(bs);
            bvn -= exp(-hk / 2) * sqrt(twopi) * phi(-b / a) * b * (1 - c * bs * (1 - d * bs / 5) / 3);
        }
        a /= 2;
        for (int i = 0; i < lg; i++) {
            double xs = (a * (x[ng][i] + 1)) * (a * (x[ng][i] + 1)), rs = sqrt(1 - xs);
            bvn += a * w[ng][i] * (exp(-bs / (2 * xs) - hk / (1 + rs)) / rs - exp(-(bs / xs + hk) / 2) * (1 + c * xs * (1 + d * xs)));
            xs = as * (-x[ng][i] + 1) * (-x[ng][i] + 1) / 4;
            rs = sqrt(1 - xs);
            bvn += a * w[ng][i] * exp(-(bs / xs + hk) / 2) * (exp(-hk * (1 - rs) / (2 * (1 + rs))) / rs - (1 + c * xs * (1 + d * xs)));
        }
        bvn = -bvn / twopi;
    }
    if (r > 0)
        bvn += phi(-fmax(h, k));
    if (r < 0)
        bvn = -bvn + fmax(0.0, phi(-h) - phi(-k));
    return bvn;
}

/* P(X > h, Y > k) with h, k possibly infinite. */
static double upper_tail(double h, double k, double r)
{
    if (h == INFINITY || k == INFINITY)
        return 0.0;
    if (h == -INFINITY)
        return k == -INFINITY ? 1.0 : phi(-k);
    if (k == -INFINITY)
        return phi(-h);
    return bvnd(h, k, r);
}

double bvn_cdf(double h, double k, double r)
{
    return upper_tail(-h, -k, r);       /* P(X < h, Y < k) = P(-X > -h, -Y > -k) */
}

/* The table of one pair and the negative log-likelihood at rho. */
struct poly_table {
    size_t r, c;
    double tab[11 * 11];
    double rc[12], cc[12];      /* -Inf, thresholds, +Inf */
    double G[12 * 12];          /* upper tails at the grid of thresholds */
};

static double poly_f(double rho, struct poly_table *t)
{
    if (fabs(rho) > 0.9999)
        rho = rho < 0 ? -0.9999 : 0.9999;
    for (size_t i = 0; i <= t->r; i++)
        for (size_t j = 0; j <= t->c; j++)
            t->G[i * 12 + j] = upper_tail(t->rc[i], t->cc[j], rho);
    double f = 0.0;
    for (size_t i = 0; i < t->r; i++)
        for (size_t j = 0; j < t->c; j++) {
            /* the rectangle [rc_i, rc_i+1] x [cc_j, cc_j+1], as mvtnorm's BVNMVN sums it */
            double P = t->G[i * 12 + j] - t->G[(i + 1) * 12 + j] - t->G[i * 12 + j + 1] + t->G[(i + 1) * 12 + j + 1];
            if (t->tab[i * 11 + j] > 0)
                f -= t->tab[i * 11 + j] * log(P);
        }
    return f;
}

/* R's optimize(): Brent_fmin of src/library/stats/src/optimize.c, line for line. */
static double brent_fmin(double ax, double bx, struct poly_table *t, double tol)
{
    const double c = (3. - sqrt(5.)) * .5;
    double a = ax, b = bx, v = a + c * (b - a), w = v, x = v, d = 0., e = 0.;
    double fx = poly_f(x, t), fv = fx, fw = fx, eps = sqrt(DBL_EPSILON), tol3 = tol / 3.;
    for (;;) {
        double xm = (a + b) * .5, tol1 = eps * fabs(x) + tol3, t2 = tol1 * 2., p = 0., q = 0., r = 0., u;
        if (fabs(x - xm) <= t2 - (b - a) * .5)
            break;
        if (fabs(e) > tol1) {
            r = (x - w) * (fx - fv);
            q = (x - v) * (fx - fw);
            p = (x - v) * q - (x - w) * r;
            q = (q - r) * 2.;
            if (q > 0.)
                p = -p;
            else
                q = -q;
            r = e;
            e = d;
        }
        if (fabs(p) >= fabs(q * .5 * r) || p <= q * (a - x) || p >= q * (b - x)) {
            e = x < xm ? b - x : a - x;
            d = c * e;
        } else {
            d = p / q;
            u = x + d;
            if (u - a < t2 || b - u < t2) {
                d = tol1;
                if (x >= xm)
                    d = -d;
            }
        }
        if (fabs(d) >= tol1)
            u = x + d;
        else if (d > 0.)
            u = x + tol1;
        else
            u = x - tol1;
        double fu = poly_f(u, t);
        if (fu <= fx) {
            if (u < x)
                b = x;
            else
                a = x;
            v = w;
            fv = fw;
            w = x;
            fw = fx;
            x = u;
            fx = fu;
        } else {
            if (u < x)
                a = u;
            else
                b = u;
            if (fu <= fw || w == x) {
                v = w;
                fv = fw;
                w = u;
                fw = fu;
            } else if (fu <= fv || v == x || v == w) {
                v = u;
                fv = fu;
            }
        }
    }
    return x;
}

int poly_rho(const double *x, size_t sx, const double *y, size_t sy, size_t n, int K, double *rho, const char **why)
{
    if (K < 2 || K > 11)
        return fail(why, STATS_EINVAL, "options must be 2 to 11");
    double cnt[11 * 11] = { 0 }, rows[11] = { 0 }, cols[11] = { 0 }, total = 0;
    for (size_t i = 0; i < n; i++) {
        double a = x[i * sx], b = y[i * sy];
        if (isnan(a) || isnan(b))
            continue;
        int ia = (int)a - 1, ib = (int)b - 1;
        if (ia < 0 || ia >= K || ib < 0 || ib >= K || a != ia + 1 || b != ib + 1)
            return fail(why, STATS_EINVAL, "an answer is not an option 1..K");
        cnt[ia * 11 + ib]++;
        rows[ia]++;
        cols[ib]++;
        total++;
    }
    struct poly_table t = { 0 };
    int ri[11], ci[11];
    for (int a = 0; a < K; a++)
        if (rows[a] > 0)
            ri[t.r++] = a;
    for (int b = 0; b < K; b++)
        if (cols[b] > 0)
            ci[t.c++] = b;
    if (t.r < 2 || t.c < 2)
        return fail(why, STATS_UNDEFINED, "a polychoric table with fewer than 2 rows or columns");
    double cum = 0;
    t.rc[0] = t.cc[0] = -INFINITY;
    for (size_t i = 0; i < t.r; i++) {
        for (size_t j = 0; j < t.c; j++)
            t.tab[i * 11 + j] = cnt[ri[i] * 11 + ci[j]];
        cum += rows[ri[i]];
        t.rc[i + 1] = i + 1 < t.r ? gsl_cdf_ugaussian_Pinv(cum / total) : INFINITY;
    }
    cum = 0;
    for (size_t j = 0; j < t.c; j++) {
        cum += cols[ci[j]];
        t.cc[j + 1] = j + 1 < t.c ? gsl_cdf_ugaussian_Pinv(cum / total) : INFINITY;
    }
    *rho = brent_fmin(-0.9999, 0.9999, &t, pow(DBL_EPSILON, 0.25));
    return STATS_OK;
}

int efa_polychoric(const double *x, size_t n, size_t p, int K, double *R, const char **why)
{
    for (size_t a = 0; a < p; a++) {
        R[a * p + a] = 1.0;
        for (size_t b = 0; b < a; b++) {
            double r;
            int rc = poly_rho(x + a, p, x + b, p, n, K, &r, why);
            if (rc != STATS_OK)
                return rc;
            R[a * p + b] = R[b * p + a] = r;
        }
    }
    return STATS_OK;
}
