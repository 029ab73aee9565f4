/* metrics/games.c -- the verdict rows of the games analyses (RQ1/RQ2 of Zakazov et al.: does a
 * persona move behaviour the way the trait moves humans, and monotonically?).  The analyses are in
 * games_ug.c and games_me.c, the fits in games_fit.c; `psyfaith games` is cli/games.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "metrics/games_int.h"

/* "Mehta, P. H. (2007). The ..." -> "Mehta 2007"; anything else is used whole. */
static void short_cite(const char *cite, char *buf, size_t size)
{
    const char *comma = cite ? strchr(cite, ',') : NULL, *paren = cite ? strchr(cite, '(') : NULL;
    if (comma && paren && paren > comma && strlen(paren) >= 6 && paren[5] == ')')
        snprintf(buf, size, "%.*s %.4s", (int)(comma - cite), cite, paren + 1);
    else
        snprintf(buf, size, "%s", cite ? cite : "no source");
}

static const char *more_less(int dir)
{
    return dir > 0 ? "more" : "less";
}

int games_verdict(struct games_rows *out, const struct games_verdict *v, double alpha)
{
    struct games_key key = { "verdict", v->model, v->trait, NULL, NULL };
    char note[768], who[160], eff[64];
    int sig = !isnan(v->p) && v->p < alpha;
    short_cite(v->human_cite, who, sizeof who);
    games_fmt(eff, sizeof eff, v->effect);

    if (v->human_dir)
        snprintf(note, sizeof note, "%s: in humans, higher %s goes with %s %s (%s)", v->experiment, v->trait,
                 more_less(v->human_dir), v->behaviour, v->human_cite);
    else
        snprintf(note, sizeof note, "%s: no human reference for %s", v->experiment, v->trait);
    if (games_emit(out, &key, "human_direction", v->human_dir ? v->human_dir : NAN, NAN, NAN, NAN, NAN, -1, note) < 0)
        return -1;

    if (isnan(v->effect))
        snprintf(note, sizeof note, "%s: no estimate of the effect of %s", v->experiment, v->trait);
    else if (v->model_dir)
        snprintf(note, sizeof note, "%s: higher %s goes with %s %s (%s %s)", v->experiment, v->trait,
                 more_less(v->model_dir), v->behaviour, v->effect_name, eff);
    else
        snprintf(note, sizeof note, "%s: %s has no effect (%s %s)", v->experiment, v->trait, v->effect_name, eff);
    if (games_emit(out, &key, "model_direction", isnan(v->effect) ? NAN : v->model_dir, NAN, NAN, NAN, NAN, v->n,
                   note) < 0)
        return -1;

    if (isnan(v->p))
        snprintf(note, sizeof note, "%s: no test (%s)", v->experiment, v->test);
    else
        snprintf(note, sizeof note, "%s: %s; significant at alpha = %g", v->experiment, v->test, alpha);
    if (games_emit(out, &key, "significant", isnan(v->p) ? NAN : sig, NAN, NAN, NAN, v->p, v->n, note) < 0)
        return -1;

    if (!v->monotone_of || v->steps == 0)
        snprintf(note, sizeof note, "%s: monotonicity not assessable (fewer than 2 levels)", v->experiment);
    else
        snprintf(note, sizeof note, "%s: %zu of %zu adjacent steps of %s go against the model's direction%s",
                 v->experiment, v->violations, v->steps, v->monotone_of,
                 v->steps == 1 ? " (only two levels: trivially monotone)" : "");
    if (games_emit(out, &key, "monotone", !v->monotone_of || v->steps == 0 ? NAN : v->violations == 0, NAN, NAN,
                   NAN, NAN, v->monotone_of ? (long)v->steps : -1, note) < 0)
        return -1;

    double agrees = NAN;
    char pbuf[32] = "no test";
    if (!isnan(v->p))
        snprintf(pbuf, sizeof pbuf, "p = %.3g", v->p);
    if (!v->human_dir) {
        snprintf(note, sizeof note, "%s: no human reference for %s, no verdict", v->experiment, v->trait);
    } else if (isnan(v->effect) || !v->model_dir) {
        snprintf(note, sizeof note, "%s: %s shows no direction for %s, so it cannot match humans (%s)",
                 v->experiment, v->model, v->trait, who);
    } else if (v->model_dir != v->human_dir) {
        agrees = sig ? -1 : 0;
        snprintf(note, sizeof note, "%s: %s: in %s higher %s goes with %s %s (%s), in humans with %s (%s)",
                 v->experiment, sig ? "AGAINST humans" : "opposite direction to humans, but not significant",
                 v->model, v->trait, more_less(v->model_dir), v->behaviour, pbuf, more_less(v->human_dir), who);
    } else {
        agrees = sig;
        snprintf(note, sizeof note, "%s: %s: in %s higher %s goes with %s %s, as in humans (%s; %s)", v->experiment,
                 sig ? "matches humans" : "same direction as humans, but not significant", v->model, v->trait,
                 more_less(v->model_dir), v->behaviour, pbuf, who);
    }
    return games_emit(out, &key, "agrees_with_humans", agrees, NAN, NAN, NAN, NAN, v->n, note);
}
