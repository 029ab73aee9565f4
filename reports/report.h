/* reports/report.h -- `psyfaith report`: LaTeX tables and pgfplots figures for a paper, and the
 * same content as tidy CSV.  Internal to reports/report*.c.
 *
 * One run: the store is opened read-only (one snapshot), scores and every faithfulness metric are
 * computed once into struct report_ctx (per experimental condition, as metrics computes them), then
 * each part (report_faithfulness ...) reads the context and writes its files.  The context owns
 * everything it holds (conds, groups, models, parts, dirs) and releases it at the end of the run;
 * opt is borrowed.  A part's FILE*s from report_open
 * belong to the outdir: report_close() them, never fclose.  Nothing reaches its final name until
 * every part succeeded (outfile.h), so a failed report leaves the previous one whole.  Parts
 * return 0 / -1 after diag_error(). */
#ifndef PSYFAITH_REPORT_H
#define PSYFAITH_REPORT_H

#include <stdio.h>
#include <sqlite3.h>
#include <sys/types.h>

#include "metrics/faith.h"
#include "metrics/scores.h"
#include "outfile.h"

struct report_options {
    const char *latex_dir, *csv_dir;   /* NULL = not written */
    int standalone, pdf, digits;
    const char *only;                  /* comma-separated part names, NULL = all */
    const char *claims;                /* --claims FILE for the audit part, NULL = no audit */
    struct faith_options faith;
};

/* One experimental condition as its own study, as `psyfaith metrics` computes it: its subjects only
 * (score_set_load_condition), their inputs and every faithfulness metric row over them. */
struct report_group {
    const char *condition;             /* NULL = baseline; borrowed from report_ctx.conds */
    struct score_set *set;
    struct faith_inputs in;
    struct faith_table table;
};

/* What every part of a report reads: the store and what metrics computed from it.  The parts built
 * from scores and metrics (faithfulness, scores, norms, diagnostics, the figures) read the groups,
 * one per condition, baseline first; a store without conditions has one group, the baseline, as
 * the whole store was read before conditions existed.  No set of every subject is held beside them. */
struct report_ctx {
    sqlite3 *db;
    const struct report_options *opt;
    char **conds;                      /* score_conditions() */
    size_t n_conds;
    struct report_group *groups;       /* n_conds of them, in conds order */
    int any_condition;                 /* a subject has a condition: tables label them */
    const char **instruments;          /* the groups' instruments with responses, in name order; borrowed */
    size_t n_instruments;
    size_t n_blocks, max_subjects;     /* blocks of all groups; subjects of the largest group */
    char **models;                     /* distinct model names of the groups, in group then subject order */
    size_t n_models;
    char **parts;                      /* names of the parts written, for report.tex */
    size_t n_parts;
    /* Where the files go: every file is a temporary file until the whole report is written, then
     * all are renamed into place and each directory's manifest is rewritten (outfile.h).  tex_dir
     * and csv_dir point into dirs, at the same one when --latex and --csv name one directory. */
    struct outdir dirs[2];
    struct outdir *tex_dir, *csv_dir;
    int failed;
    int validity_heading;              /* the Validity diagnostics heading is written (report_validity.c) */
    /* report --pdf into a fresh directory: the figures' format, dumped while the parts are computed
     * (report.c, start_early_format); pdflatex's private directory it is in, and the dump's pid */
    char *early_priv;
    pid_t early_format;                /* -1: none */
};

/* One output file pair of a part: DIR/NAME.tex and DIR/NAME.csv (either may be NULL). */
struct report_files {
    FILE *tex, *csv;
};
int report_open(struct report_ctx *c, const char *name, struct report_files *f);   /* 0 / -1 */
int report_close(struct report_ctx *c, const char *name, struct report_files *f); /* 0 / -1 */
int report_wanted(const struct report_ctx *c, const char *name);

/* CSV cells through libcsv, text defused for spreadsheets (see latex.h csv_defuse). */
void csv_text(FILE *fp, const char *s, int first);
void csv_number(FILE *fp, double v, int first);
void csv_end(FILE *fp);

/* Footnotes for missing values: a mark per distinct reason, listed under the table. */
struct footnotes {
    char *reason[26];
    size_t n;
};
const char *footnote_mark(struct footnotes *fn, const char *reason);
void footnotes_write(FILE *tex, struct footnotes *fn);

/* Whether group g has a subject of model; in LaTeX the model and, when the store has conditions,
 * ", " and g's condition ("baseline" for none). */
int report_group_has_model(const struct report_group *g, const char *model);
/* The block of (instrument, dimension d) in g's set, or -1 when g has none. */
int report_block(const struct report_group *g, const char *instrument, int d);
void report_latex_model(FILE *tex, const struct report_ctx *c, const char *model, const struct report_group *g);

/* The parts (tables and figures), each 0 or -1. */
int report_faithfulness(struct report_ctx *c);
int report_scores(struct report_ctx *c);
int report_norms(struct report_ctx *c);
int report_diagnostics(struct report_ctx *c);
int report_classifier(struct report_ctx *c);
int report_provenance(struct report_ctx *c);
int report_fig_scores_norms(struct report_ctx *c);
int report_fig_items(struct report_ctx *c);
int report_fig_crs(struct report_ctx *c);
/* Heat maps of each model's EFA loadings per instrument (report_validity_structure.c, issue 15). */
int report_fig_structure(struct report_ctx *c);
/* CFA fit per model and invariance across models per instrument (report_validity_cfa.c, issue 15). */
int report_structure_fit(struct report_ctx *c);
/* The verdicts of psyfaith audit on --claims FILE (report_audit.c); nothing without --claims. */
int report_audit(struct report_ctx *c);
/* Prompt sensitivity (report_validity_varcomp.c), the subsections varcomp (table) and fig_varcomp
 * (stacked bars) of the validity section: written only when a block varies the prompt (template,
 * language or variant).  name: the subsection asked for; both are computed from one load. */
int report_varcomp(struct report_ctx *c, const char *name);
/* Issue 14 part 5 (report_validity_probs.c), the subsection validity_probs: per model, argmax vs
 * text, kappa, entropy; written when the store has responses with probabilities. */
int report_validity_probs(struct report_ctx *c, const char *name);
/* The "Validity diagnostics" section (report_validity.c): its subsections, each a part; --only validity
 * picks them all.  report_validity_part_known: whether NAME (len bytes) is one of them. */
int report_validity(struct report_ctx *c);
int report_validity_part_known(const char *name, size_t len);
/* Every games part (report_games.c): games_verdict, ug_*, fig_ug_*, me_summary, fig_me_*. */
int report_games(struct report_ctx *c);

/* `psyfaith report` (cli/report.c parses the options): whether NAME (len bytes) is a part --only
 * knows, and the whole report of ro from the store db_opt names (store_path()); 0 or -1. */
int report_part_known(const char *name, size_t len);
int report_write(const struct report_options *ro, const char *db_opt);
#endif
