/* reports/figcache.c -- see figcache.h. */
#include "reports/figcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "outfile.h"
#include "progress.h"
#include "util.h"

#define CACHE_DIR ".psyfaith-figures"
#define FMT_NAME "psyfaith-figfmt"
#define KEY_VERSION "psyfaith figcache 1\n"   /* bump when the way a figure is shipped out changes */
#define DUMP_CMD "\\dump\n"

/* The whole file at path (NUL-terminated), or NULL. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!fp)
        return NULL;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            char *p = realloc(buf, cap = cap * 2 + 8192);
            if (!p) {
                free(buf);
                fclose(fp);
                return NULL;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, 4096, fp);
        n += got;
        if (got < 4096)
            break;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static const char BEGIN[] = "\\begin{tikzpicture}", END[] = "\\end{tikzpicture}";

/* One figure part: its text, key and pictures. */
struct fig {
    const char *name;
    char *text;
    size_t len;
    char key[65];
    int cached;
};

/* The part with each tikzpicture replaced by its page of the cached PDF. */
static int write_variant(const char *path, const struct fig *f)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    const char *p = f->text, *b;
    int page = 0;
    while ((b = strstr(p, BEGIN))) {
        const char *e = strstr(b, END);
        if (!e)
            break;
        fwrite(p, 1, (size_t)(b - p), fp);
        fprintf(fp, "\\includegraphics[page=%d]{" CACHE_DIR "/%s.pdf}", ++page, f->key);
        p = e + sizeof END - 1;
    }
    fputs(p, fp);
    return fclose(fp) != 0 ? -1 : 0;
}

/* The document that ships each tikzpicture of the part out as a page of its own size; without the
 * preamble (preamble NULL) when it is compiled with the dumped format. */
static int write_pictures(const char *path, const char *preamble, size_t plen, const struct fig *f)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    if (preamble)
        fwrite(preamble, 1, plen, fp);
    fputs("\\begin{document}\n\\pdfhorigin=0pt \\pdfvorigin=0pt \\newbox\\psyfigbox\n"
          "\\def\\psyfigout{\\pdfpagewidth=\\wd\\psyfigbox \\pdfpageheight=\\dimexpr\\ht\\psyfigbox+"
          "\\dp\\psyfigbox\\relax \\shipout\\vbox{\\box\\psyfigbox}}\n", fp);
    const char *p = f->text, *b;
    while ((b = strstr(p, BEGIN))) {
        const char *e = strstr(b, END);
        if (!e)
            break;
        e += sizeof END - 1;
        fputs("\\setbox\\psyfigbox=\\hbox{", fp);
        fwrite(b, 1, (size_t)(e - b), fp);
        fputs("}\\psyfigout\n", fp);
        p = e;
    }
    fputs("\\end{document}\n", fp);
    return fclose(fp) != 0 ? -1 : 0;
}

/* pdflatex in tex_dir with argv (NULL-terminated after the program name), stdout and stdin on
 * /dev/null; its pid, or -1. */
static pid_t start_tex(const char *tex_dir, char *const *argv)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (chdir(tex_dir) != 0)
            _exit(127);
        int fd = open("/dev/null", O_RDWR);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDIN_FILENO);
        }
        execvp("pdflatex", argv);
        _exit(127);
    }
    return pid;
}

/* pdflatex on priv/figs-NAME.tex, output to priv; with the dumped format when fmt; its pid, or -1. */
static pid_t start_pdflatex(const char *tex_dir, const char *priv, const char *name, int fmt)
{
    char out[4096], in[4096], fmtopt[4096];
    snprintf(out, sizeof out, "-output-directory=%s", priv);
    snprintf(in, sizeof in, "%s/figs-%s.tex", priv, name);
    snprintf(fmtopt, sizeof fmtopt, "-fmt=%s/" FMT_NAME, priv);
    char *argv[] = { "pdflatex", "-interaction=nonstopmode", "-halt-on-error", out, in, NULL, NULL };
    if (fmt) {
        argv[3] = fmtopt;
        argv[4] = out;
        argv[5] = in;
    }
    return start_tex(tex_dir, argv);
}

/* The report's preamble dumped as a format, priv/FMT_NAME.fmt: pdflatex then starts a figure in
 * about 0.15 s instead of the 0.45 s of loading pgfplots and the fonts again (issue 16).  Made
 * before the report's parts are computed when the directory is fresh (report.c), else beside the
 * first figure's compilation when two or more figures are missing; a figure compiled with it is
 * the same as one compiled with the preamble, so the cache keys do not change.  Its pid, or -1
 * (then every figure is compiled with the preamble, as before). */
pid_t figcache_start_format(const char *tex_dir, const char *priv, const char *preamble, size_t plen)
{
    char name[4096], out[4096], in[4096];
    snprintf(name, sizeof name, "%s/" FMT_NAME ".tex", priv);
    char *path = path_join(tex_dir, name);
    FILE *fp = path ? fopen(path, "wb") : NULL;
    free(path);
    if (!fp)
        return -1;
    fwrite(preamble, 1, plen, fp);
    fputs(DUMP_CMD, fp);
    if (fclose(fp) != 0)
        return -1;
    snprintf(out, sizeof out, "-output-directory=%s", priv);
    snprintf(in, sizeof in, "%s/" FMT_NAME ".tex", priv);
    char *argv[] = { "pdflatex", "-ini", "-interaction=nonstopmode", "-halt-on-error", "-jobname=" FMT_NAME, out,
                     "&pdflatex", in, NULL };
    return start_tex(tex_dir, argv);
}

int figcache_is_fresh(const char *tex_dir)
{
    char *cache = path_join(tex_dir, CACHE_DIR);
    DIR *dp = cache ? opendir(cache) : NULL;
    struct dirent *de;
    int fresh = 1;
    free(cache);
    if (!dp)
        return 1;
    while (fresh && (de = readdir(dp))) {
        size_t n = strlen(de->d_name);
        fresh = !(n > 4 && strcmp(de->d_name + n - 4, ".pdf") == 0);
    }
    closedir(dp);
    return fresh;
}

/* Waits for a format dump started before the parts were computed: 1 when it succeeded from this
 * preamble (what it dumped, priv/FMT_NAME.tex, is read back and compared), else 0. */
static int early_format_ready(const char *tex_dir, const char *priv, pid_t pid, const char *preamble, size_t plen)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return 0;
    char name[4096];
    size_t len = 0;
    snprintf(name, sizeof name, "%s/" FMT_NAME ".tex", priv);
    char *path = path_join(tex_dir, name), *text = path ? slurp(path, &len) : NULL;
    int same = text && len == plen + sizeof DUMP_CMD - 1 && memcmp(text, preamble, plen) == 0 &&
               strcmp(text + plen, DUMP_CMD) == 0;
    free(text);
    free(path);
    return same;
}

/* Removes the cached PDFs no figure of this report used. */
static void prune(const char *cache, const struct fig *figs, size_t n)
{
    DIR *dp = opendir(cache);
    struct dirent *de;
    if (!dp)
        return;
    while ((de = readdir(dp))) {
        size_t l = strlen(de->d_name);
        if (l != 68 || strcmp(de->d_name + 64, ".pdf") != 0)
            continue;
        int used = 0;
        for (size_t i = 0; i < n && !used; i++)
            used = figs[i].text && strncmp(figs[i].key, de->d_name, 64) == 0;
        if (!used)
            unlinkat(dirfd(dp), de->d_name, 0);
    }
    closedir(dp);
}

int figcache_prepare(const char *tex_dir, const char *priv, char *const *parts, size_t n_parts, pid_t early_format)
{
    char *cache = path_join(tex_dir, CACHE_DIR), *rtex = path_join(tex_dir, "report.tex"), *preamble = NULL;
    struct fig *figs = calloc(n_parts ? n_parts : 1, sizeof *figs);
    size_t plen = 0, n_missing = 0, n_figs = 0;
    int ret = -1, hits = 0;
    struct stat st;
    int fmt = 0;                /* 1: the format is ready */
    if (!cache || !rtex || !figs) {
        diag_error("out of memory");
        goto out;
    }
    ret = 0;
    if (!(preamble = slurp(rtex, &plen)))
        goto out;
    char *doc = strstr(preamble, "\\begin{document}");
    if (!doc)
        goto out;
    plen = (size_t)(doc - preamble);
    int dumped = 0;             /* a dump was tried: a failed one is not tried again */
    if (early_format > 0) {
        fmt = early_format_ready(tex_dir, priv, early_format, preamble, plen);
        early_format = -1;
        dumped = 1;
    }
    for (size_t i = 0; i < n_parts; i++) {
        struct fig *f = &figs[i];
        if (strncmp(parts[i], "fig_", 4) != 0)
            continue;
        char name[4096];
        snprintf(name, sizeof name, "%s.tex", parts[i]);
        char *path = path_join(tex_dir, name);
        f->text = path ? slurp(path, &f->len) : NULL;
        free(path);
        if (!f->text || !strstr(f->text, BEGIN)) {
            free(f->text);
            f->text = NULL;
            continue;
        }
        f->name = parts[i];
        /* the cache: a directory of our own, never through a link; made for the first figure */
        if (!n_figs++ && ((mkdir(cache, 0777) != 0 && errno != EEXIST) || lstat(cache, &st) != 0 ||
                          !S_ISDIR(st.st_mode)))
            goto out;
        struct hasher h;
        if (hasher_init(&h) < 0) {
            ret = diag_error("out of memory");
            goto out;
        }
        hasher_update(&h, KEY_VERSION, sizeof KEY_VERSION - 1);
        hasher_update(&h, preamble, plen);
        hasher_update(&h, f->text, f->len);
        hasher_hex(&h, f->key);
        hasher_free(&h);
        char pdf[128];
        snprintf(pdf, sizeof pdf, "%s.pdf", f->key);
        char *pp = path_join(cache, pdf);
        f->cached = pp && lstat(pp, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
        free(pp);
        n_missing += !f->cached;
    }
    /* the missing figures, two at a time (pdflatex is single-threaded); with two or more and no
     * dump tried before, slot 1 first dumps the preamble as a format that the later ones start from */
    progress_stage("report: figures to PDF", (long long)n_missing, "parts");
    pid_t run[2] = { -1, -1 };
    size_t who[2] = { 0, 0 }, next = 0;
    const size_t DUMP = (size_t)-1;
    if (!dumped && n_missing >= 2 && (run[1] = figcache_start_format(tex_dir, priv, preamble, plen)) > 0)
        who[1] = DUMP;
    for (;;) {
        for (int s = 0; s < 2; s++) {
            while (run[s] < 0 && next < n_parts) {
                struct fig *f = &figs[next++];
                if (!f->text || f->cached)
                    continue;
                char name[4096], *path;
                snprintf(name, sizeof name, "%s/figs-%s.tex", priv, f->name);
                if (!(path = path_join(tex_dir, name)))
                    continue;
                if (write_pictures(path, fmt ? NULL : preamble, plen, f) == 0) {
                    run[s] = start_pdflatex(tex_dir, priv, f->name, fmt);
                    who[s] = (size_t)(f - figs);
                }
                free(path);
            }
        }
        if (run[0] < 0 && run[1] < 0)
            break;
        int status;
        pid_t pid = wait(&status);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int s = 0; s < 2; s++) {
            if (pid != run[s])
                continue;
            run[s] = -1;
            if (who[s] == DUMP) {
                fmt = WIFEXITED(status) && WEXITSTATUS(status) == 0;
                continue;
            }
            progress_add(1);
            struct fig *f = &figs[who[s]];
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                continue;       /* the main pass compiles it and says why it fails */
            char from[4096], to[128];
            snprintf(from, sizeof from, "%s/figs-%s.pdf", priv, f->name);
            snprintf(to, sizeof to, CACHE_DIR "/%s.pdf", f->key);
            char *a = path_join(tex_dir, from), *b = path_join(tex_dir, to);
            if (a && b && rename(a, b) == 0)
                f->cached = 1;
            free(a);
            free(b);
        }
    }
    for (size_t i = 0; i < n_parts; i++) {
        struct fig *f = &figs[i];
        if (!f->text || !f->cached)
            continue;
        char name[4096], *path;
        snprintf(name, sizeof name, "%s/%s.tex", priv, f->name);
        if ((path = path_join(tex_dir, name)) && write_variant(path, f) == 0)
            hits++;
        free(path);
    }
    prune(cache, figs, n_parts);
    ret = hits;
out:
    if (early_format > 0)       /* not reached: the report's pdflatex pass must not run beside it */
        early_format_ready(tex_dir, priv, early_format, "", 0);
    if (ret == 0 && lstat(cache, &st) == 0 && S_ISDIR(st.st_mode)) {
        prune(cache, figs, 0);  /* no figure in this report: an earlier report's cache goes */
        rmdir(cache);
    }
    for (size_t i = 0; figs && i < n_parts; i++)
        free(figs[i].text);
    free(figs);
    free(preamble);
    free(cache);
    free(rtex);
    return ret;
}
