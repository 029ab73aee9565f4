/* ingest/pointer.c -- RFC 6901 JSON Pointer evaluation (see pointer.h for why it exists) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/pointer.h"

/* One reference token, unescaped (~1 is '/', ~0 is '~'); -1 on a bad escape. */
static int next_token(const char **p, char *out, size_t size)
{
    const char *s = *p;
    size_t n = 0;
    while (*s && *s != '/') {
        char c = *s++;
        if (c == '~') {
            if (*s == '0')
                c = '~';
            else if (*s == '1')
                c = '/';
            else
                return -1;
            s++;
        }
        if (n + 1 >= size)
            return -1;
        out[n++] = c;
    }
    out[n] = '\0';
    *p = s;
    return 0;
}

/* Array indices are decimal with no leading zeros (RFC 6901 section 4). */
static int array_index(const char *tok, int *index)
{
    long v = 0;
    if (!*tok || (tok[0] == '0' && tok[1]))
        return -1;
    for (const char *t = tok; *t; t++) {
        if (*t < '0' || *t > '9' || v > 100000000)
            return -1;
        v = v * 10 + (*t - '0');
    }
    *index = (int)v;
    return 0;
}

const cJSON *json_member(const cJSON *obj, const char *name, struct json_dup *dup)
{
    const cJSON *found = NULL;
    int k = 0, first = 0;
    if (dup)
        dup->second = 0;
    for (const cJSON *c = obj ? obj->child : NULL; c; c = c->next) {
        k++;
        if (!c->string || strcmp(c->string, name) != 0)
            continue;
        if (!found) {
            found = c;
            first = k;
        } else if (dup) {
            snprintf(dup->name, sizeof dup->name, "%s", name);
            dup->first = first;
            dup->second = k;
            break;
        }
    }
    return found;
}

const char *json_pointer_check(const char *pointer)
{
    char tok[1024];
    const char *p = pointer;
    if (*p && *p != '/')
        return "a JSON Pointer starts with '/'";
    while (*p) {
        p++;
        const char *start = p;
        if (next_token(&p, tok, sizeof tok) < 0) {
            for (const char *t = start; *t && *t != '/'; t++)
                if (*t == '~' && t[1] != '0' && t[1] != '1')
                    return "'~' must be followed by 0 or 1 (~0 is '~', ~1 is '/')";
            return "a reference token longer than 1023 bytes";
        }
    }
    return NULL;
}

const cJSON *json_pointer_get(const cJSON *root, const char *pointer, struct json_dup *dup)
{
    char tok[1024];
    const cJSON *cur = root;
    const char *p = pointer;
    if (dup)
        dup->second = 0;
    if (!root || !pointer)
        return NULL;
    while (*p) {
        if (*p != '/' || !cur)
            return NULL;
        p++;
        if (next_token(&p, tok, sizeof tok) < 0)
            return NULL;
        if (cJSON_IsObject(cur)) {
            cur = json_member(cur, tok, dup);
            if (dup && dup->second)
                return NULL;
        } else if (cJSON_IsArray(cur)) {
            int i;
            if (array_index(tok, &i) < 0)
                return NULL;
            cur = cJSON_GetArrayItem(cur, i);
        } else {
            return NULL;
        }
    }
    return cur;
}
