/* metrics/structure_efa.c -- exploratory factor analysis of one group as psych::fa: the correlation
 * matrix (Pearson pairwise or polychoric), minres or ML extraction, varimax or oblimin rotation, and
 * the rows: loadings, communalities, variance explained, Phi, congruence with the key and humans */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/scores.h"
#include "metrics/stats.h"
#include "metrics/structure.h"
#include "metrics/structure_int.h"

void efa_options_default(struct efa_options *o)
{
    *o = (struct efa_options){ 0, EFA_MINRES, EFA_OBLIMIN, EFA_PEARSON };
}

int efa_method_parse(const char *s, enum efa_method *m)
{
    if (s && strcmp(s, "minres") == 0)
        *m = EFA_MINRES;
    else if (s && strcmp(s, "ml") == 0)
        *m = EFA_ML;
    else
        return -1;
    return 0;
}

int efa_rotate_parse(const char *s, enum efa_rotate *r)
{
    if (s && strcmp(s, "varimax") == 0)
        *r = EFA_VARIMAX;
    else if (s && strcmp(s, "oblimin") == 0)
        *r = EFA_OBLIMIN;
    else if (s && strcmp(s, "none") == 0)
        *r = EFA_NONE;
    else
        return -1;
    return 0;
}

int efa_cor_parse(const char *s, enum efa_cor *c)
{
    if (s && strcmp(s, "pearson") == 0)
        *c = EFA_PEARSON;
    else if (s && strcmp(s, "polychoric") == 0)
        *c = EFA_POLYCHORIC;
    else
        return -1;
    return 0;
}

void efa_fit_free(struct efa_fit *f)
{
    if (!f)
        return;
    free(f->cols);
    free(f->loadings);
    free(f->phi);
    free(f->communality);
    memset(f, 0, sizeof *f);
}

static const char *method_name(const struct efa_options *o)
{
    static const char *const names[2][3][2] = {
        { { "minres/varimax/pearson", "minres/varimax/polychoric" },
          { "minres/oblimin/pearson", "minres/oblimin/polychoric" },
          { "minres/none/pearson", "minres/none/polychoric" } },
        { { "ml/varimax/pearson", "ml/varimax/polychoric" },
          { "ml/oblimin/pearson", "ml/oblimin/polychoric" },
          { "ml/none/pearson", "ml/none/polychoric" } } };
    return names[o->method][o->rotate][o->cor];
}

/* Items psych could factor: at least 2 answers and some variance; the others are listed in note. */
static size_t usable_items(const struct sd_instrument *ins, const struct sd_matrix *m, size_t *cols, char *note,
                           size_t size)
{
    size_t p = 0, len = 0;
    note[0] = '\0';
    for (size_t j = 0; j < m->n_items; j++) {
        size_t cnt = 0;
        double first = NAN;
        int varies = 0;
        for (size_t i = 0; i < m->n_resp; i++) {
            double v = m->x[i * m->n_items + j];
            if (isnan(v))
                continue;
            if (cnt++ == 0)
                first = v;
            else if (v != first)
                varies = 1;
        }
        if (cnt >= 2 && varies)
            cols[p++] = j;
        else if (len < size) {
            int w = snprintf(note + len, size - len, "%s%s", len ? " " : "dropped (constant or < 2 answers): ",
                             ins->items[j].code);
            len += w > 0 ? (size_t)w : 0;
        }
    }
    return p;
}

static char *factor_name(char *buf, size_t size, const char *prefix, size_t j)
{
    snprintf(buf, size, "%sF%zu", prefix, j + 1);
    return buf;
}

/* The rows of a fitted EFA. */
static int efa_rows(const struct sd_instrument *ins, const struct efa_fit *f, const struct efa_fit *human,
                    const char *method, struct structure_table *out)
{
    const size_t p = f->p, k = f->k, n = f->n;
    char fa[32], fb[40];
    for (size_t i = 0; i < p; i++) {
        const char *item = ins->items[f->cols[i]].code;
        for (size_t j = 0; j < k; j++)
            if (structure_add(out, "efa", method, factor_name(fa, sizeof fa, "", j), NULL, item, "loading",
                              f->loadings[i * k + j], NAN, n, NULL) < 0)
                return -1;
        if (structure_add(out, "efa", method, NULL, NULL, item, "communality", f->communality[i], NAN, n, NULL) < 0 ||
            structure_add(out, "efa", method, NULL, NULL, item, "uniqueness", 1.0 - f->communality[i], NAN, n, NULL) < 0)
            return -1;
    }
    double cum = 0.0;
    for (size_t j = 0; j < k; j++) {        /* psych's Vaccounted: diag(Phi t(L) L) */
        double ss = 0.0;
        for (size_t b = 0; b < k; b++) {
            double c = 0.0;
            for (size_t i = 0; i < p; i++)
                c += f->loadings[i * k + b] * f->loadings[i * k + j];
            ss += f->phi[j * k + b] * c;
        }
        cum += ss / (double)p;
        factor_name(fa, sizeof fa, "", j);
        if (structure_add(out, "efa", method, fa, NULL, NULL, "ss_loadings", ss, NAN, n, NULL) < 0 ||
            structure_add(out, "efa", method, fa, NULL, NULL, "proportion_var", ss / (double)p, NAN, n, NULL) < 0 ||
            structure_add(out, "efa", method, fa, NULL, NULL, "cumulative_var", cum, NAN, n, NULL) < 0)
            return -1;
    }
    for (size_t a = 0; a < k; a++)
        for (size_t b = a + 1; b < k; b++)
            if (f->phi[a * k + b] != 0.0 &&
                structure_add(out, "efa", method, factor_name(fa, sizeof fa, "", a), factor_name(fb, sizeof fb, "", b),
                              NULL, "phi", f->phi[a * k + b], NAN, n, NULL) < 0)
                return -1;
    /* Tucker's congruence of each factor with each dimension's key: key on its items, 0 elsewhere */
    double *key = malloc(p * sizeof *key);
    if (!key)
        return diag_error("out of memory");
    for (size_t j = 0; j < k; j++) {
        double best = -1.0;
        size_t best_d = 0;
        double c[N_DIMENSIONS];
        for (size_t d = 0; d < ins->n_dims; d++) {
            for (size_t i = 0; i < p; i++)
                key[i] = ins->items[f->cols[i]].dimension == ins->dims[d] ? ins->items[f->cols[i]].key : 0.0;
            c[d] = efa_congruence(f->loadings + j, k, key, 1, p);
            if (fabs(c[d]) > best)
                best = fabs(c[d]), best_d = d;
        }
        for (size_t d = 0; d < ins->n_dims; d++)
            if (structure_add(out, "efa", method, factor_name(fa, sizeof fa, "", j), dimension_codes[ins->dims[d]], NULL,
                              "congruence_key", c[d], NAN, n, d == best_d ? "best match" : NULL) < 0) {
                free(key);
                return -1;
            }
    }
    free(key);
    if (!human)
        return 0;
    /* with the human fit: over the items both used */
    double *a = malloc(p * sizeof *a), *b = malloc(p * sizeof *b);
    int ret = a && b ? 0 : diag_error("out of memory");
    for (size_t j = 0; ret == 0 && j < k; j++)
        for (size_t h = 0; ret == 0 && h < human->k; h++) {
            size_t q = 0;
            for (size_t i = 0, t = 0; i < p; i++) {
                while (t < human->p && human->cols[t] < f->cols[i])
                    t++;
                if (t < human->p && human->cols[t] == f->cols[i]) {
                    a[q] = f->loadings[i * k + j];
                    b[q++] = human->loadings[t * human->k + h];
                }
            }
            ret = structure_add(out, "efa", method, factor_name(fa, sizeof fa, "", j),
                                factor_name(fb, sizeof fb, "human ", h), NULL, "congruence_human",
                                efa_congruence(a, 1, b, 1, q), NAN, n, NULL);
        }
    free(a);
    free(b);
    return ret;
}

int structure_efa(const struct sd_instrument *ins, const struct sd_matrix *m, const struct efa_options *o,
                  const struct efa_fit *human, struct structure_table *out, struct efa_fit *fit)
{
    const char *method = method_name(o), *why = NULL;
    const size_t k = o->factors > 0 ? (size_t)o->factors : ins->n_dims;
    struct efa_fit f = { 0 };
    double *x = NULL, *R = NULL, *L0 = NULL;
    char note[512];
    int ret = -1, rc;
    if (fit)
        memset(fit, 0, sizeof *fit);
    if (!(f.cols = malloc((m->n_items + 1) * sizeof *f.cols)))
        goto oom;
    f.p = usable_items(ins, m, f.cols, note, sizeof note);
    f.k = k;
    f.n = m->n_resp;
    if (f.p < 2 || k >= f.p) {
        char why_buf[640];
        snprintf(why_buf, sizeof why_buf, "undefined: %zu factors need more usable items than %zu%s%s", k, f.p,
                 note[0] ? "; " : "", note);
        ret = structure_add(out, "efa", method, NULL, NULL, NULL, "efa", NAN, NAN, f.n, why_buf);
        goto out;
    }
    const size_t p = f.p;
    x = malloc(f.n * p * sizeof *x);
    R = malloc(p * p * sizeof *R);
    L0 = malloc(p * k * sizeof *L0);
    f.loadings = malloc(p * k * sizeof *f.loadings);
    f.phi = calloc(k * k, sizeof *f.phi);
    f.communality = malloc(p * sizeof *f.communality);
    double *psi = malloc(p * sizeof *psi);
    if (!x || !R || !L0 || !f.loadings || !f.phi || !f.communality || !psi) {
        free(psi);
        goto oom;
    }
    for (size_t i = 0; i < f.n; i++)
        for (size_t j = 0; j < p; j++)
            x[i * p + j] = m->x[i * m->n_items + f.cols[j]];
    rc = o->cor == EFA_POLYCHORIC ? efa_polychoric(x, f.n, p, ins->n_options, R, &why) : efa_pearson(x, f.n, p, R, &why);
    if (rc == STATS_OK)
        rc = efa_extract(R, p, k, o->method, L0, psi, NULL, &why);
    free(psi);
    if (rc == STATS_OK) {
        memcpy(f.loadings, L0, p * k * sizeof *L0);
        for (size_t j = 0; j < k; j++)
            f.phi[j * k + j] = 1.0;
        if (k > 1 && o->rotate == EFA_VARIMAX)
            rc = efa_varimax(f.loadings, p, k, &why);
        else if (k > 1 && o->rotate == EFA_OBLIMIN)
            rc = efa_oblimin(f.loadings, p, k, f.phi, &why);
    }
    if (rc == STATS_NOMEM)
        goto oom;
    if (rc != STATS_OK) {
        char why_buf[640];
        snprintf(why_buf, sizeof why_buf, "undefined: %s%s%s", why, note[0] ? "; " : "", note);
        ret = structure_add(out, "efa", method, NULL, NULL, NULL, "efa", NAN, NAN, f.n, why_buf);
        goto out;
    }
    if (k > 1)
        efa_sign_order(f.loadings, p, k, f.phi);
    for (size_t i = 0; i < p; i++) {        /* psych: diag(model) of the unrotated loadings */
        double h = 0.0;
        for (size_t j = 0; j < k; j++)
            h += L0[i * k + j] * L0[i * k + j];
        f.communality[i] = h;
    }
    if (note[0] && structure_add(out, "efa", method, NULL, NULL, NULL, "items_used", (double)p, NAN, f.n, note) < 0)
        goto out;
    if (efa_rows(ins, &f, human, method, out) < 0)
        goto out;
    ret = 0;
    if (fit) {
        *fit = f;
        memset(&f, 0, sizeof f);
    }
    goto out;
oom:
    diag_error("out of memory");
out:
    free(x);
    free(R);
    free(L0);
    efa_fit_free(&f);
    return ret;
}
