/* reports/report_games_verdict.c -- the verdict table of `psyfaith report` (RQ1, RQ2: does a persona move a
 * model the way it moves humans?), from the rows of metrics/games*.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reports/report_games_int.h"

/* ---------- the verdict table (RQ1, RQ2) ---------- */

static const char *direction_word(double v)
{
    return isnan(v) ? NULL : v > 0 ? "more" : v < 0 ? "less" : "none";
}

/* "3 of 8 adjacent steps ..." in the monotone row's note: the violations behind its 0/1 value. */
static int violations_of(const struct games_row *r, size_t *violations, size_t *steps)
{
    const char *s = r->note ? strstr(r->note, ": ") : NULL;
    return s && sscanf(s + 2, "%zu of %zu adjacent", violations, steps) == 2 ? 0 : -1;
}

/* The human findings cited in the verdict table, numbered in order of first use. */
struct cites {
    const char *v[2 * GAMES_N_TRAITS];
    size_t n;
};

static size_t cite_number(struct cites *cs, const char *cite)
{
    size_t k = 0;
    while (k < cs->n && !same(cs->v[k], cite))
        k++;
    if (k == cs->n && k < sizeof cs->v / sizeof cs->v[0])
        cs->v[cs->n++] = cite;
    return k + 1;
}

/* The verdict rows of one experiment; *lines counts the table's lines so far (for the rules). */
static void verdict_rows(struct report_ctx *c, struct report_files *f, struct tab *tb, struct footnotes *fn,
                         struct cites *cs, const struct games_human *h, const struct games_rows *r,
                         const char *experiment, const char *title)
{
    int first = 1;
    for (size_t i = 0; i < r->len; i++) {
        const struct games_row *hd = &r->v[i];
        if (strcmp(hd->analysis, "verdict") != 0 || strcmp(hd->term, "human_direction") != 0)
            continue;
        const struct games_row *md = find(r, "verdict", hd->model, hd->trait, NULL, NULL, "model_direction"),
                               *sg = find(r, "verdict", hd->model, hd->trait, NULL, NULL, "significant"),
                               *mo = find(r, "verdict", hd->model, hd->trait, NULL, NULL, "monotone"),
                               *ag = find(r, "verdict", hd->model, hd->trait, NULL, NULL, "agrees_with_humans");
        if (!md || !sg || !mo || !ag)
            continue;
        char sig_words[64] = "", mono_words[64] = "", agree_words[64];
        size_t viol, steps;
        if (!isnan(sg->value))
            snprintf(sig_words, sizeof sig_words, "%s, p = %.3g", sg->value > 0 ? "yes" : "no", sg->p_value);
        if (!isnan(mo->value)) {
            if (violations_of(mo, &viol, &steps) == 0)
                snprintf(mono_words, sizeof mono_words, "%s, %zu of %zu steps against", mo->value > 0 ? "yes" : "no",
                         viol, steps);
            else
                snprintf(mono_words, sizeof mono_words, "%s", mo->value > 0 ? "yes" : "no");
        }
        if (isnan(hd->value))
            snprintf(agree_words, sizeof agree_words, "no reference");
        else if (isnan(md->value) || md->value == 0)
            snprintf(agree_words, sizeof agree_words, "no direction");
        else if (ag->value > 0)
            snprintf(agree_words, sizeof agree_words, "yes");
        else if (ag->value < 0)
            snprintf(agree_words, sizeof agree_words, "AGAINST humans");
        else
            snprintf(agree_words, sizeof agree_words, "%s, n.s.", md->value == hd->value ? "same" : "opposite");
        if (f->tex) {
            if (first) {
                rg_tab_line(tb);
                if (tb->lines > 1)
                    fputs("\\midrule\n", f->tex);
                fprintf(f->tex, "\\multicolumn{7}{l}{\\textit{%s}} \\\\\n", title);
            }
            first = 0;
            if (rg_tab_line(tb))
                fprintf(f->tex, "\\multicolumn{7}{l}{\\textit{%s (continued)}} \\\\\n", title);
            rg_latex_model(f->tex, hd->model);
            fprintf(f->tex, " & %s & ", hd->trait);
            const char *w = direction_word(hd->value), *cite = NULL;
            for (int t = 0; t < GAMES_N_TRAITS; t++)
                if (same(hd->trait, games_traits[t]))
                    cite = strcmp(experiment, "ultimatum") == 0 ? h->ug_dir_cite[t] : h->me_dir_cite[t];
            if (w && cite)
                fprintf(f->tex, "%s\\textsuperscript{%zu}", w, cite_number(cs, cite));
            else if (w)
                fputs(w, f->tex);
            else
                latex_num(f->tex, NAN, 0, 0, footnote_mark(fn, "no human reference for this trait"));
            fputs(" & ", f->tex);
            if ((w = direction_word(md->value)))
                fputs(w, f->tex);
            else
                latex_num(f->tex, NAN, 0, 0, footnote_mark(fn, "no estimate of the model's effect"));
            fputs(" & ", f->tex);
            if (isnan(sg->value)) {
                latex_num(f->tex, NAN, 0, 0, footnote_mark(fn, "no test: too few levels or runs"));
            } else {
                fprintf(f->tex, "%s, ", sg->value > 0 ? "yes" : "no");
                rg_latex_p(f->tex, sg->p_value, c->opt->digits);
            }
            fputs(" & ", f->tex);
            if (isnan(mo->value))
                latex_num(f->tex, NAN, 0, 0, footnote_mark(fn, "monotonicity not assessable (fewer than 2 levels)"));
            else if (violations_of(mo, &viol, &steps) == 0 && steps == 1)
                fputs("yes (2 levels)", f->tex);
            else if (violations_of(mo, &viol, &steps) == 0)
                fprintf(f->tex, "%s (%zu of %zu)", mo->value > 0 ? "yes" : "no", viol, steps);
            else
                fputs(mo->value > 0 ? "yes" : "no", f->tex);
            fputs(" & ", f->tex);
            if (ag->value < 0)
                fprintf(f->tex, "\\textbf{%s}", agree_words);
            else
                fputs(agree_words, f->tex);
            fputs(" \\\\\n", f->tex);
        }
        const struct games_row *all[5] = { hd, md, sg, mo, ag };
        const char *shown[5] = { direction_word(hd->value), direction_word(md->value), sig_words, mono_words,
                                 agree_words };
        for (int k = 0; f->csv && k < 5; k++) {
            csv_text(f->csv, experiment, 1);
            csv_text(f->csv, all[k]->model, 0);
            csv_text(f->csv, all[k]->trait, 0);
            csv_text(f->csv, all[k]->term, 0);
            csv_number(f->csv, all[k]->value, 0);
            csv_number(f->csv, all[k]->p_value, 0);
            csv_number(f->csv, all[k]->n < 0 ? NAN : (double)all[k]->n, 0);
            csv_text(f->csv, shown[k], 0);
            csv_text(f->csv, all[k]->note, 0);
            csv_end(f->csv);
        }
    }
}

/* The first note of `term` among the verdict rows, without its "experiment: " prefix. */
static const char *verdict_note(const struct games_rows *r, const char *term)
{
    for (size_t i = 0; i < r->len; i++)
        if (strcmp(r->v[i].analysis, "verdict") == 0 && strcmp(r->v[i].term, term) == 0 && r->v[i].note &&
            !isnan(r->v[i].value)) {
            const char *s = strstr(r->v[i].note, ": ");
            return s ? s + 2 : r->v[i].note;
        }
    return NULL;
}

int rg_part_verdict(struct report_ctx *c, const struct games_data *g)
{
    struct report_files f;
    struct footnotes fn = { 0 };
    if (!rg_has_analysis(&g->ug, "verdict") && !rg_has_analysis(&g->me, "verdict"))
        return 0;
    if (report_open(c, "games_verdict", &f) < 0)
        return -1;
    if (f.csv)
        fputs("experiment,model,trait,term,value,p_value,n,shown,note\n", f.csv);
    size_t longest = rg_longest_model(&g->ug, "verdict");
    if (rg_longest_model(&g->me, "verdict") > longest)
        longest = rg_longest_model(&g->me, "verdict");
    struct tab tb = { f.tex,
                      longest > 24 ? "\\footnotesize\\setlength{\\tabcolsep}{4pt}"
                                   : "\\small\\setlength{\\tabcolsep}{5pt}",
                      "Does a persona move behaviour the way the trait moves humans (RQ1), and monotonically (RQ2)? "
                      "Per model and trait: the direction of the behaviour as the prompted trait level rises, in "
                      "humans and in the model (Zakazov et al.).",
                      "Persona and human behaviour", "games_verdict", "lllllll",
                      "Model & Trait & Humans & Model & Significant & Monotone & Agrees with humans \\\\\n", 0, 0 };
    if (f.tex)
        rg_tab_open(&tb);
    struct cites cs = { .n = 0 };
    verdict_rows(c, &f, &tb, &fn, &cs, &g->h, &g->ug, "ultimatum", "Ultimatum Game: acceptance of unfair offers");
    verdict_rows(c, &f, &tb, &fn, &cs, &g->h, &g->me, "milgram", "Milgram experiment: obedience (final level reached)");
    if (f.tex) {
        const char *t_ug = verdict_note(&g->ug, "significant"), *t_me = verdict_note(&g->me, "significant");
        fputs("\\bottomrule\n\\end{tabular}\n\\par\\smallskip\\footnotesize\\raggedright\n"
              "Humans, Model: more or less of the behaviour at a higher trait level. Significant: ", f.tex);
        if (t_ug) {
            fputs("Ultimatum, ", f.tex);
            rg_latex_long(f.tex, t_ug);
            fputs(t_me ? "; " : ".", f.tex);
        }
        if (t_me) {
            fputs("Milgram, ", f.tex);
            rg_latex_long(f.tex, t_me);
            fputs(".", f.tex);
        }
        fputs(" Monotone: no adjacent step goes against the model's direction (in brackets: steps against, of all "
              "steps; with only two levels, e.g.\\ min and max, trivially), over the $\\Theta_i$ of each level "
              "(Ultimatum) or the mean final level of each persona level (Milgram). Agrees with humans: yes = "
              "significant and in the human direction; AGAINST humans = significant and opposite to it; same or "
              "opposite, n.s.\\ = that direction, not significant. The human findings:\n", f.tex);
        for (size_t k = 0; k < cs.n; k++) {          /* the human findings, cited in full */
            fprintf(f.tex, "\\par\\textsuperscript{%zu} ", k + 1);
            rg_latex_long(f.tex, cs.v[k]);
            fputs("\n", f.tex);
        }
        footnotes_write(f.tex, &fn);
        fputs("\\end{table}\n", f.tex);
    } else {
        footnotes_write(NULL, &fn);
    }
    return report_close(c, "games_verdict", &f);
}

