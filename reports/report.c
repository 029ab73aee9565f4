/* reports/report.c -- `psyfaith report` (options in cli/report.c): the parts, report.tex and pdflatex */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "progress.h"
#include "reports/figcache.h"
#include "reports/latex.h"
#include "reports/out.h"
#include "reports/report.h"
#include "reports/reports.h"
#include "store/store.h"
#include "util.h"

static const char *const all_parts[] = { "faithfulness", "scores", "norms", "diagnostics", "classifier",
                                         "fig_scores_norms", "fig_items", "fig_crs", "provenance",
                                         "games_verdict", "ug_theta", "fig_ug_theta", "fig_ug_acceptance",
                                         "fig_ug_offer_r2", "fig_ug_baseline", "me_summary", "fig_me_remaining",
                                         "fig_me_disobediences", "games_conditions", "games_not_analysed",
                                         "strategy_summary", "fig_ug_threshold_curve", "fig_ug_offers",
                                         "audit", "validity", "structure_fit", "fig_structure", NULL };

int report_wanted(const struct report_ctx *c, const char *name)
{
    const char *list = c->opt->only;
    size_t n = strlen(name);
    if (!list)
        return 1;
    for (const char *p = list; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0)
            return 1;
        if (!comma)
            break;
        p = comma + 1;
    }
    return 0;
}

/* DIR/NAME.EXT as a temporary file of the report (see report.h). */
static FILE *open_in(struct outdir *d, const char *name, const char *ext)
{
    struct strbuf file = { 0 };
    if (strbuf_addf(&file, "%s.%s", name, ext) < 0) {
        diag_error("out of memory");
        return NULL;
    }
    FILE *fp = outdir_create(d, file.buf);
    strbuf_free(&file);
    return fp;
}

int report_open(struct report_ctx *c, const char *name, struct report_files *f)
{
    f->tex = f->csv = NULL;
    /* on failure a file already opened stays with its outdir, which discards it */
    if (c->tex_dir && !(f->tex = open_in(c->tex_dir, name, "tex")))
        return -1;
    if (c->csv_dir && !(f->csv = open_in(c->csv_dir, name, "csv"))) {
        f->tex = NULL;
        return -1;
    }
    if (f->tex)
        fprintf(f->tex, "%% psyfaith %s: %s (generated; \\input this file)\n", PSYFAITH_VERSION, name);
    return 0;
}

int report_close(struct report_ctx *c, const char *name, struct report_files *f)
{
    int ret = 0;
    if (f->tex) {
        if (outdir_close(c->tex_dir, f->tex) < 0)
            ret = -1;
        else {
            char **p = realloc(c->parts, (c->n_parts + 1) * sizeof *p);
            if (p && (p[c->n_parts] = strdup(name))) {
                c->parts = p;
                c->n_parts++;
            } else {
                if (p)
                    c->parts = p;
                ret = diag_error("out of memory");
            }
        }
    }
    if (f->csv && outdir_close(c->csv_dir, f->csv) < 0)
        ret = -1;
    f->tex = f->csv = NULL;
    return ret;
}

void csv_text(FILE *fp, const char *s, int first)
{
    char *owned;
    if (!fp)
        return;
    csv_cell(fp, csv_defuse(s ? s : "", &owned), first);
    free(owned);
}

void csv_number(FILE *fp, double v, int first)
{
    char buf[40];
    if (!fp)
        return;
    csv_cell(fp, out_num(buf, sizeof buf, v), first);
}

void csv_end(FILE *fp)
{
    if (fp)
        fputc('\n', fp);
}

const char *footnote_mark(struct footnotes *fn, const char *reason)
{
    static const char *const marks[26] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
                                           "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z" };
    if (!reason || !*reason)
        reason = "not computed";
    for (size_t i = 0; i < fn->n; i++)
        if (strcmp(fn->reason[i], reason) == 0)
            return marks[i];
    if (fn->n == 26 || !(fn->reason[fn->n] = strdup(reason)))
        return NULL;
    return marks[fn->n++];
}

void footnotes_write(FILE *tex, struct footnotes *fn)
{
    for (size_t i = 0; i < fn->n; i++) {
        if (tex) {
            fprintf(tex, "\\par\\textsuperscript{%c} ", 'a' + (int)i);
            latex_text_max(tex, fn->reason[i], SIZE_MAX);   /* a reason is prose: whole, never cut */
            fputc('\n', tex);
        }
        free(fn->reason[i]);
    }
    fn->n = 0;
}

/* ---------- report.tex and pdflatex ---------- */

/* report.tex up to \begin{document}: the same for every report of this version, so that the figures'
 * format can be dumped from it before the parts are computed (start_early_format). */
#define STANDALONE_PREAMBLE \
    "% psyfaith " PSYFAITH_VERSION ": a standalone report; compile with pdflatex report.tex\n" \
    "\\documentclass[10pt]{article}\n" \
    "\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n\\usepackage{lmodern}\n" \
    "\\usepackage{textcomp}\n\\usepackage{booktabs}\n\\usepackage[margin=2cm]{geometry}\n" \
    "\\usepackage{pgfplots}\n\\usepgfplotslibrary{groupplots}\n\\pgfplotsset{compat=1.17}\n" \
    "\\usepackage{float}\n\\usepackage{caption}\n" \
    "\\title{Faithfulness report}\n\\author{psyfaith " PSYFAITH_VERSION "}\n\\date{}\n"

static int write_standalone(struct report_ctx *c)
{
    FILE *fp = open_in(c->tex_dir, "report", "tex");
    if (!fp)
        return -1;
    fputs(STANDALONE_PREAMBLE "\\begin{document}\n\\maketitle\n", fp);
    for (size_t i = 0; i < c->n_parts; i++)
        if (strcmp(c->parts[i], "provenance") != 0)
            fprintf(fp, "\\input{%s}\n", c->parts[i]);
    for (size_t i = 0; i < c->n_parts; i++)
        if (strcmp(c->parts[i], "provenance") == 0)
            fprintf(fp, "\\input{provenance}\n");
    fputs("\\end{document}\n", fp);
    return outdir_close(c->tex_dir, fp);
}

/* Removes the private directory pdflatex wrote into: only what is in it, never through a link. */
static void remove_private_dir(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *de;
    if (dp) {
        while ((de = readdir(dp)))
            if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                unlinkat(dirfd(dp), de->d_name, 0);
        closedir(dp);
    }
    rmdir(dir);
}

/* pdflatex in the LaTeX directory; argv only, never a shell.  It writes into a private directory
 * there (mkdtemp, so nothing in it was planted), and report.pdf and report.log are renamed into
 * place from it: pdflatex never opens a name in the report directory for writing, a link there
 * is replaced like any other report file, and its aux file goes with the private directory. */
/* Feeds the progress display from pdflatex's standard output until it closes: pdflatex prints
 * "(./NAME.tex" as it starts each part (report.tex itself first), so the parts done are the count
 * of "(./" followed by a letter less two (report.tex and the part being read), and at the end less one.  Its lines are wrapped at 79 columns, so newlines
 * are skipped while matching. */
static void pdflatex_watch(int fd, size_t n_parts)
{
    char buf[4096];
    ssize_t got;
    int state = 0;          /* how much of "(./" has just been seen */
    long long seen = 0;
    while ((got = read(fd, buf, sizeof buf)) != 0) {
        if (got < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (ssize_t i = 0; i < got; i++) {
            char ch = buf[i];
            if (ch == '\n')
                continue;
            if (state == 3) {
                if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))
                    seen++;
                state = 0;
            } else if (state == 2 && ch == 'p') {
                seen++;     /* "(.psyfaith-pdf-XXXXXX/fig_..." -- a cached figure's copy (figcache.h) */
            }
            state = ch == '(' ? 1 : (state == 1 && ch == '.') ? 2 : (state == 2 && ch == '/') ? 3 : 0;
        }
        progress_set(seen > 2 ? (seen - 2 < (long long)n_parts ? seen - 2 : (long long)n_parts) : 0);
    }
    progress_set(seen > 1 ? (seen - 1 < (long long)n_parts ? seen - 1 : (long long)n_parts) : 0);
}

/* pdflatex's private directory in dir (mkdtemp), or NULL after printing why. */
static char *make_private_dir(const char *dir)
{
    char *priv = path_join(dir, ".psyfaith-pdf-XXXXXX");
    if (priv && !mkdtemp(priv)) {
        diag_error("cannot create a directory in '%s' for pdflatex: %s", dir, strerror(errno));
        free(priv);
        return NULL;
    }
    return priv;
}

/* A fresh directory's figures will all be compiled, from a format of STANDALONE_PREAMBLE: its dump
 * starts now, in the private directory pdflatex will use, and runs while the parts are computed,
 * which leave about half of the second core idle (the bench's medium store, 5 interleaved runs:
 * 9.69 -> 9.26 s median).  Nothing is started when the directory has cached figures: a report
 * that finds them all would only pay for the dump.  Failing to start it is no error: the figures
 * are then compiled with the preamble. */
static void start_early_format(struct report_ctx *c)
{
    const char *dir = c->tex_dir->path;
    if (!figcache_is_fresh(dir) || (access("/usr/bin/pdflatex", X_OK) != 0 &&
                                    system("command -v pdflatex >/dev/null 2>&1") != 0))
        return;
    if (!(c->early_priv = make_private_dir(dir)))
        return;
    const char *base = strrchr(c->early_priv, '/') + 1;
    c->early_format = figcache_start_format(dir, base, STANDALONE_PREAMBLE, sizeof STANDALONE_PREAMBLE - 1);
}

/* A format dump that will not be used (the report failed before its figures): stopped and reaped. */
static void stop_format(pid_t pid)
{
    int status;
    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
}

/* The early format dump and its directory, when the report did not get to pdflatex. */
static void discard_early_format(struct report_ctx *c)
{
    stop_format(c->early_format);
    c->early_format = -1;
    if (c->early_priv)
        remove_private_dir(c->early_priv);
    free(c->early_priv);
    c->early_priv = NULL;
}

/* pdflatex on report.tex, in the private directory c->early_priv when there is one (it then takes
 * it, and the format dump started in it), else in a new one. */
static int run_pdflatex(struct report_ctx *c, char *const *parts, size_t n_parts)
{
    struct outdir *d = c->tex_dir;
    const char *dir = d->path;
    char *priv = c->early_priv, *log = NULL, *pdf = NULL, *outopt = NULL;
    struct strbuf sb = { 0 };
    int status, ret = -1;
    pid_t early_format = c->early_format;
    c->early_priv = NULL;
    c->early_format = -1;
    if (access("/usr/bin/pdflatex", X_OK) != 0 && system("command -v pdflatex >/dev/null 2>&1") != 0) {
        diag_error("pdflatex is not installed; on Debian: apt-get install texlive-latex-recommended "
                   "texlive-pictures (report.tex is written, compile it later)");
        goto out;
    }
    if (!priv && !(priv = make_private_dir(dir)))
        return -1;
    const char *base = strrchr(priv, '/') + 1;
    if (strbuf_addf(&sb, "-output-directory=%s", base) < 0) {
        diag_error("out of memory");
        goto out;
    }
    if (!(log = path_join(priv, "report.log")) || !(pdf = path_join(priv, "report.pdf")))
        goto out;
    outopt = sb.buf;
    /* the figures from the cache, those not in it compiled first (figcache.h) */
    int cached = figcache_prepare(dir, base, parts, n_parts, early_format);
    early_format = -1;
    if (cached < 0)
        goto out;
    /* on a terminal, pdflatex's output feeds the progress display; otherwise it goes to /dev/null */
    int pfd[2] = { -1, -1 };
    if (progress_active() && pipe(pfd) != 0)
        pfd[0] = pfd[1] = -1;
    progress_stage("report: pdflatex pass 1", (long long)n_parts, "parts");
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        diag_error("cannot run pdflatex: %s", strerror(errno));
        if (pfd[0] >= 0) {
            close(pfd[0]);
            close(pfd[1]);
        }
        goto out;
    }
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(127);
        if (cached > 0) {   /* the cached figures' copies in the private directory come first */
            const char *old = getenv("TEXINPUTS");
            struct strbuf tp = { 0 };
            if (strbuf_addf(&tp, "%s:%s", base, old ? old : "") < 0 || setenv("TEXINPUTS", tp.buf, 1) != 0)
                _exit(127);
        }
        if (pfd[1] >= 0) {
            if (dup2(pfd[1], STDOUT_FILENO) < 0)
                _exit(127);
            close(pfd[0]);
            close(pfd[1]);
        } else {
            FILE *devnull = freopen("/dev/null", "w", stdout);
            (void)devnull;
        }
        execlp("pdflatex", "pdflatex", "-interaction=nonstopmode", "-halt-on-error", outopt, "report.tex",
               (char *)NULL);
        _exit(127);
    }
    if (pfd[0] >= 0) {
        close(pfd[1]);
        pdflatex_watch(pfd[0], n_parts);
        close(pfd[0]);
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    progress_end();         /* before pdflatex's result is reported */
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (access(log, F_OK) == 0 && outdir_move_in(d, log, "report.log") < 0)
        goto out;
    if (!ok) {
        diag_error("pdflatex failed on %s/report.tex; see %s/report.log", dir, dir);
        goto out;
    }
    if (outdir_move_in(d, pdf, "report.pdf") < 0)
        goto out;
    diag_note("wrote %s/report.pdf", dir);
    ret = 0;
out:
    stop_format(early_format);  /* not handed to figcache_prepare */
    if (priv)
        remove_private_dir(priv);
    free(sb.buf);
    free(priv);
    free(log);
    free(pdf);
    return ret;
}

/* ---------- the command ---------- */

static int add_model(struct report_ctx *c, const char *m)
{
    size_t i = 0;
    while (i < c->n_models && strcmp(c->models[i], m) != 0)
        i++;
    if (i < c->n_models)
        return 0;
    char **p = realloc(c->models, (c->n_models + 1) * sizeof *p);
    if (!p)
        return diag_error("out of memory");
    c->models = p;
    if (!(p[c->n_models] = strdup(m)))
        return diag_error("out of memory");
    c->n_models++;
    return 0;
}

/* The models of every group, in group order, then subject order within a group. */
static int collect_models(struct report_ctx *c)
{
    for (size_t g = 0; g < c->n_conds; g++)
        for (size_t s = 0; s < c->groups[g].set->n_subjects; s++)
            if (add_model(c, c->groups[g].set->subjects[s].model) < 0)
                return -1;
    return 0;
}

/* Each condition's subjects and metrics, as `psyfaith metrics` computes them (cli/metrics.c), and
 * the instruments of them all.  Without conditions the one group is loaded as the whole store was
 * before conditions existed (score_set_load). */
static int load_groups(struct report_ctx *c)
{
    if (score_conditions(c->db, NULL, &c->conds, &c->n_conds) < 0)
        return -1;
    if (!(c->groups = calloc(c->n_conds, sizeof *c->groups)))
        return diag_error("out of memory");
    c->any_condition = c->n_conds > 1 || c->conds[0];
    for (size_t g = 0; g < c->n_conds; g++) {
        struct report_group *gr = &c->groups[g];
        gr->condition = c->conds[g];
        gr->set = c->any_condition ? score_set_load_condition(c->db, NULL, gr->condition) : score_set_load(c->db, NULL);
        if (!gr->set || faith_inputs_load(c->db, gr->set, &gr->in) < 0 ||
            faith_compute(gr->set, &gr->in, &c->opt->faith, &gr->table) < 0)
            return -1;
    }
    /* the union of the groups' instruments, in name order (each set's are: ORDER BY name) */
    for (size_t g = 0; g < c->n_conds; g++) {
        const struct score_set *set = c->groups[g].set;
        c->n_blocks += set->n_blocks;
        if (set->n_subjects > c->max_subjects)
            c->max_subjects = set->n_subjects;
        for (size_t i = 0; i < set->n_instruments; i++) {
            const char *name = set->instruments[i].name;
            size_t k = 0;
            while (k < c->n_instruments && strcmp(c->instruments[k], name) < 0)
                k++;
            if (k < c->n_instruments && strcmp(c->instruments[k], name) == 0)
                continue;
            const char **p = realloc(c->instruments, (c->n_instruments + 1) * sizeof *p);
            if (!p)
                return diag_error("out of memory");
            c->instruments = p;
            memmove(p + k + 1, p + k, (c->n_instruments - k) * sizeof *p);
            p[k] = name;
            c->n_instruments++;
        }
    }
    return 0;
}

int report_block(const struct report_group *g, const char *instrument, int d)
{
    for (size_t i = 0; i < g->set->n_instruments; i++)
        if (strcmp(g->set->instruments[i].name, instrument) == 0)
            return faith_block(g->set, (int)i, d);
    return -1;
}

int report_group_has_model(const struct report_group *g, const char *model)
{
    for (size_t s = 0; s < g->set->n_subjects; s++)
        if (strcmp(g->set->subjects[s].model, model) == 0)
            return 1;
    return 0;
}

void report_latex_model(FILE *tex, const struct report_ctx *c, const char *model, const struct report_group *g)
{
    if (!tex)
        return;
    latex_text(tex, model);
    if (c->any_condition) {
        fputs(", ", tex);
        latex_text(tex, g->condition ? g->condition : "baseline");
    }
}

/* The output directories, created with their parents; one outdir when both are one directory. */
static int open_dirs(struct report_ctx *c)
{
    const struct report_options *ro = c->opt;
    struct stat a, b;
    if (ro->latex_dir) {
        if (outdir_init(&c->dirs[0], ro->latex_dir) < 0)
            return -1;
        c->tex_dir = &c->dirs[0];
    }
    if (!ro->csv_dir)
        return 0;
    if (make_dirs(ro->csv_dir) < 0)
        return -1;
    if (ro->latex_dir && stat(ro->latex_dir, &a) == 0 && stat(ro->csv_dir, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino) {
        c->csv_dir = c->tex_dir;
        return 0;
    }
    if (outdir_init(&c->dirs[1], ro->csv_dir) < 0)
        return -1;
    c->csv_dir = &c->dirs[1];
    return 0;
}

int report_part_known(const char *name, size_t len)
{
    for (size_t i = 0; all_parts[i]; i++)
        if (strlen(all_parts[i]) == len && strncmp(all_parts[i], name, len) == 0)
            return 1;
    return report_validity_part_known(name, len);
}

/* Writes the report of ro (its options checked by cli/report.c) from the store at db_opt (store_path()):
 * 0, or -1 after a diagnostic. */
int report_write(const struct report_options *ro, const char *db_opt)
{
    struct report_ctx c = { .opt = ro, .early_format = -1 };
    int ret = -1;
    if (open_dirs(&c) < 0 || !(c.db = store_open(store_path(db_opt), STORE_READ)))
        goto out;
    if (ro->pdf && c.tex_dir)
        start_early_format(&c);
    if (load_groups(&c) < 0 || collect_models(&c) < 0)
        goto out;
    /* The parts in the order they are written, each under the stage the progress line shows. */
    static const struct {
        const char *stage;
        int (*write)(struct report_ctx *);
    } parts[] = {
        { "report: tables", report_faithfulness },   { "report: tables", report_scores },
        { "report: tables", report_norms },          { "report: tables", report_diagnostics },
        { "report: validity", report_validity },
        { "report: structure", report_structure_fit }, { "report: structure", report_fig_structure },
        { "report: classifier", report_classifier },
        { "report: figures", report_fig_scores_norms },
        { "report: figures", report_fig_items },     { "report: figures", report_fig_crs },
        { "report: games, audit", report_games },
        { "report: games, audit", report_audit },
        { "report: provenance", report_provenance },
    };
    const size_t n_parts = sizeof parts / sizeof parts[0];
    /* the one-line display on a terminal (progress.h): a stage per run of parts with one name */
    for (size_t i = 0; i < n_parts; i++, progress_add(1)) {
        if (i == 0 || strcmp(parts[i].stage, parts[i - 1].stage) != 0) {
            size_t n = 1;
            while (i + n < n_parts && strcmp(parts[i + n].stage, parts[i].stage) == 0)
                n++;
            if (i == 0)
                progress_begin(parts[i].stage, (long long) n, "parts");
            else
                progress_stage(parts[i].stage, (long long) n, "parts");
        }
        if (parts[i].write(&c) < 0)
            goto out;
    }
    if (ro->standalone && write_standalone(&c) < 0)
        goto out;
    /* Every file is complete: into place, then pdflatex, then the manifests.  A pdflatex failure
     * still rewrites them, so that no report.pdf of an earlier report survives beside these parts. */
    if ((c.tex_dir && outdir_commit(c.tex_dir) < 0) || (c.csv_dir && outdir_commit(c.csv_dir) < 0))
        goto out;
    if (ro->latex_dir)
        diag_note("wrote %zu LaTeX part%s to %s/%s", c.n_parts, c.n_parts == 1 ? "" : "s", ro->latex_dir,
                  ro->standalone ? " with report.tex" : "");
    int pdf_rc = ro->pdf ? run_pdflatex(&c, c.parts, c.n_parts) : 0;
    progress_end();
    for (size_t i = 0; i < 2; i++)
        if (c.dirs[i].path && outdir_finish(&c.dirs[i]) < 0)
            goto out;
    ret = pdf_rc < 0 ? -1 : 0;
out:
    progress_end();
    discard_early_format(&c);
    outdir_free(&c.dirs[0]);
    outdir_free(&c.dirs[1]);
    for (size_t i = 0; i < c.n_parts; i++)
        free(c.parts[i]);
    free(c.parts);
    for (size_t i = 0; i < c.n_models; i++)
        free(c.models[i]);
    free(c.models);
    for (size_t g = 0; c.groups && g < c.n_conds; g++) {
        faith_table_free(&c.groups[g].table);
        faith_inputs_free(&c.groups[g].in);
        score_set_free(c.groups[g].set);
    }
    free(c.groups);
    free(c.instruments);
    score_conditions_free(c.conds, c.n_conds);
    store_close(c.db);
    return ret;
}
