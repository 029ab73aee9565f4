/* ingest/profiles.c -- shipped profiles by name (profiles.h).  The compiled-in profile is read
 * line by line like a file (mapping_load_profile), with "NAME (shipped):LINE" in messages, and its
 * `jq FILE` line takes the shipped program FILE as text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "ingest/ingest.h"
#include "ingest/mapping.h"
#include "ingest/profiles.h"
#include "util.h"
#include "shipped_profiles.h"  /* build/shipped_profiles.h: shipped_files[] */

#define N_SHIPPED (sizeof shipped_files / sizeof shipped_files[0])
static const char suffix[] = ".profile";

static int is_profile(size_t i)
{
    size_t n = strlen(shipped_files[i].file), s = sizeof suffix - 1;
    return n > s && strcmp(shipped_files[i].file + n - s, suffix) == 0;
}

size_t profiles_count(void)
{
    size_t n = 0;
    for (size_t i = 0; i < N_SHIPPED; i++)
        n += is_profile(i);
    return n;
}

/* The index in shipped_files[] of the k-th profile. */
static size_t nth_profile(size_t k)
{
    for (size_t i = 0; i < N_SHIPPED; i++)
        if (is_profile(i) && k-- == 0)
            return i;
    return N_SHIPPED;
}

const char *profiles_name(size_t k, char *buf, size_t size)
{
    size_t i = nth_profile(k);
    if (i == N_SHIPPED || size == 0)
        return NULL;
    snprintf(buf, size, "%.*s", (int)(strlen(shipped_files[i].file) - (sizeof suffix - 1)), shipped_files[i].file);
    return buf;
}

const char *profiles_description(size_t k, size_t *len)
{
    size_t i = nth_profile(k);
    if (i == N_SHIPPED)
        return NULL;
    const char *d = shipped_files[i].data, *colon;
    const char *eol = strchr(d, '\n');
    if (!eol)
        eol = d + strlen(d);
    /* "# NAME: description"; a first line without the colon is shown whole */
    if (d[0] == '#' && (colon = memchr(d, ':', (size_t)(eol - d))) != NULL)
        d = colon + 1;
    else if (d[0] == '#')
        d++;
    while (*d == ' ')
        d++;
    *len = (size_t)(eol - d);
    return d;
}

static size_t find_file(const char *file)
{
    for (size_t i = 0; i < N_SHIPPED; i++)
        if (strcmp(shipped_files[i].file, file) == 0)
            return i;
    return N_SHIPPED;
}

const char *profiles_text(const char *name, const char **file)
{
    char buf[512];
    size_t i = find_file(name);
    if (i == N_SHIPPED && snprintf(buf, sizeof buf, "%s%s", name, suffix) < (int)sizeof buf)
        i = find_file(buf);
    if (i == N_SHIPPED)
        return NULL;
    if (file)
        *file = shipped_files[i].file;
    return shipped_files[i].data;
}

static void list_names(struct strbuf *sb)
{
    char name[256];
    for (size_t k = 0; k < profiles_count(); k++)
        strbuf_addf(sb, "%s%s", k ? ", " : "", profiles_name(k, name, sizeof name));
}

/* One line of a shipped profile; a `jq FILE` line takes the shipped program FILE. */
static int load_line(struct mapping *m, const char *line, const char *where)
{
    if (mapping_add(m, line, where, NULL) < 0)
        return -1;
    if (strncmp(line, "jq", 2) != 0 || (line[2] != ' ' && line[2] != '\t'))
        return 0;
    const char *file = line + 3;
    while (*file == ' ' || *file == '\t')
        file++;
    size_t i = find_file(file);
    if (i == N_SHIPPED)
        return diag_error("%s: the jq program '%s' is not shipped with psyfaith", where, file);
    return mapping_set_jq_program(m, file, shipped_files[i].data);
}

static int load_shipped(struct mapping *m, const char *name, const char *text)
{
    char where[600];
    long lineno = 0;
    int ret = 0;
    while (*text && ret == 0) {
        const char *eol = strchr(text, '\n');
        size_t n = eol ? (size_t)(eol - text) : strlen(text);
        char *line = strndup(text, n);
        if (!line)
            return diag_error("out of memory");
        lineno++;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        size_t len = strlen(p);
        while (len && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
            p[--len] = '\0';
        if (*p && *p != '#') {
            snprintf(where, sizeof where, "%.500s (shipped):%ld", name, lineno);
            ret = load_line(m, p, where);
        }
        free(line);
        text += n + (eol ? 1 : 0);
    }
    return ret;
}

int profile_load(struct mapping *m, const char *spec)
{
    struct stat st;
    const char *file;
    if (stat(spec, &st) == 0)
        return mapping_load_profile(m, spec);   /* a file always wins: its own errors */
    const char *text = strchr(spec, '/') ? NULL : profiles_text(spec, &file);
    if (text && strstr(file, suffix))
        return load_shipped(m, spec, text);
    struct strbuf names = { 0 };
    list_names(&names);
    diag_error("no profile file '%s' and no shipped profile of that name (shipped: %s; "
               "see psyfaith profiles list)", spec, names.buf ? names.buf : "none");
    strbuf_free(&names);
    return -1;
}
