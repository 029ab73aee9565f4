/* metrics/structure_efa.c -- exploratory factor analysis of one group as psych::fa: the correlation
 * matrix (Pearson pairwise or polychoric), minres or ML extraction, varimax or oblimin rotation, and
 * the rows: loadings, communalities, variance explained, Phi, congruence with the key and humans */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "metrics/structure.h"

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

/* SKELETON (for h-cfa): the fit itself follows; for now the group's size only. */
int structure_efa(const struct sd_instrument *ins, const struct sd_matrix *m, const struct efa_options *o,
                  const struct efa_fit *human, struct structure_table *out, struct efa_fit *fit)
{
    (void)ins;
    (void)o;
    (void)human;
    if (fit)
        memset(fit, 0, sizeof *fit);
    return structure_add(out, "efa", NULL, NULL, NULL, NULL, "respondents", (double)m->n_resp, NAN, m->n_resp,
                         "skeleton: the EFA is not computed yet");
}
