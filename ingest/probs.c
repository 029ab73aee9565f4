/* ingest/probs.c -- option probabilities and logprobs to a prob_table (probs.h). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ingest/answer.h"
#include "ingest/probs.h"
#include "util.h"

static int fail(char *why, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return -1;
}

/* EV, argmax and entropy of the table renormalised over the scale. */
static void finish(struct prob_table *t)
{
    t->scale = 0;
    for (int o = 1; o <= t->k; o++)
        t->scale += t->p[o];
    t->ev = NAN;
    t->entropy = NAN;
    t->argmax = 0;
    if (!(t->scale > 0))
        return;
    double ev = 0, h = 0, best = -1;
    int tie = 0;
    for (int o = 1; o <= t->k; o++) {
        double q = t->p[o] / t->scale;
        ev += o * q;
        if (q > 0)
            h -= q * log(q);
        if (q > best) {
            best = q;
            t->argmax = o;
            tie = 0;
        } else if (q == best) {
            tie = 1;
        }
    }
    if (tie)
        t->argmax = 0;      /* an exact tie names no option: the answer is ambiguous */
    t->ev = ev;
    t->entropy = h;
}

static void start(struct prob_table *t, int k)
{
    memset(t, 0, sizeof *t);
    t->k = k;
}

/* A probability: a finite number in [0, 1]. */
static int probability(const cJSON *v, const char *where, double *out, char *why, size_t size)
{
    if (!cJSON_IsNumber(v))
        return fail(why, size, "%s: expected a probability (a number), found %s", where,
                    cJSON_IsString(v) ? "a string" : cJSON_IsNull(v) ? "null" : cJSON_IsBool(v) ? "a boolean"
                    : "an object or array");
    double p = v->valuedouble;
    if (!isfinite(p))
        return fail(why, size, "%s: probability is not finite", where);
    if (p < 0 || p > 1) {
        char num[40];
        format_double(num, sizeof num, p);
        return fail(why, size, "%s: probability %s is outside [0, 1]", where, num);
    }
    *out = p;
    return 0;
}

static int check_sum(const struct prob_table *t, char *why, size_t size)
{
    double sum = t->outside;
    for (int o = 1; o <= t->k; o++)
        sum += t->p[o];
    if (sum > 1 + PROBS_SUM_TOLERANCE) {
        char num[40];
        format_double(num, sizeof num, sum);
        return fail(why, size, "probabilities sum to %s, more than 1", num);
    }
    return 0;
}

int probs_from_option_probs(const cJSON *j, int k, const struct answer_presentation *pr, struct prob_table *t, char *why,
                            size_t size)
{
    char where[160];
    const char *label_of[PROBS_MAX_OPTIONS + 1] = { 0 };
    if (k < 2 || k > PROBS_MAX_OPTIONS)
        return fail(why, size, "probabilities need a scale of 2..%d options, the item has %d", PROBS_MAX_OPTIONS, k);
    start(t, k);
    if (cJSON_IsArray(j)) {
        int n = cJSON_GetArraySize(j), i = 0;
        if (n != k)
            return fail(why, size, "expected %d probabilities (options 1..%d on the ascending scale), found %d",
                        k, k, n);
        for (const cJSON *c = j->child; c; c = c->next) {
            snprintf(where, sizeof where, "[%d]", i);
            if (probability(c, where, &t->p[++i], why, size) < 0)
                return -1;
        }
    } else if (cJSON_IsObject(j)) {
        if (!j->child)
            return fail(why, size, "empty object: no probabilities");
        for (const cJSON *c = j->child; c; c = c->next) {
            const char *label = c->string ? c->string : "";
            int o = answer_label_presented(label, strlen(label), pr);
            snprintf(where, sizeof where, "'%.60s'", label);
            if (!o)
                return fail(why, size, "%s: label names no option of the %d-option scale", where, k);
            if (label_of[o])
                return fail(why, size, "labels '%.60s' and '%.60s' both name option %d", label_of[o], label, o);
            label_of[o] = label;
            if (probability(c, where, &t->p[o], why, size) < 0)
                return -1;
        }
    } else {
        return fail(why, size, "expected an array over the scale or an object label -> probability");
    }
    if (check_sum(t, why, size) < 0)
        return -1;
    finish(t);
    return 0;
}

/* One {token, logprob} entry into t; `where` names it. */
static int add_token(const cJSON *e, const char *where, const struct answer_presentation *pr, struct prob_table *t, char *why,
                     size_t size)
{
    const cJSON *tok = cJSON_GetObjectItemCaseSensitive(e, "token");
    const cJSON *lp = cJSON_GetObjectItemCaseSensitive(e, "logprob");
    if (!cJSON_IsObject(e))
        return fail(why, size, "%s: expected an object {token, logprob}", where);
    if (!cJSON_IsString(tok))
        return fail(why, size, "%s.token: expected a string", where);
    if (!cJSON_IsNumber(lp))
        return fail(why, size, "%s.logprob: expected a number", where);
    if (!isfinite(lp->valuedouble))
        return fail(why, size, "%s.logprob: not finite", where);
    if (lp->valuedouble > 0) {
        char num[40];
        format_double(num, sizeof num, lp->valuedouble);
        return fail(why, size, "%s.logprob: %s is above 0 (a probability above 1)", where, num);
    }
    double p = exp(lp->valuedouble);
    int o = answer_label_presented(tok->valuestring, strlen(tok->valuestring), pr);
    if (o)
        t->p[o] += p;
    else
        t->outside += p;
    return 0;
}

int probs_from_logprobs(const cJSON *j, int k, const struct answer_presentation *pr, struct prob_table *t, char *why, size_t size)
{
    char where[160];
    if (k < 2 || k > PROBS_MAX_OPTIONS)
        return fail(why, size, "probabilities need a scale of 2..%d options, the item has %d", PROBS_MAX_OPTIONS, k);
    start(t, k);
    const cJSON *content = j;
    if (cJSON_IsObject(j)) {
        content = cJSON_GetObjectItemCaseSensitive(j, "content");
        if (!content)
            return fail(why, size, "no 'content' (expected an OpenAI logprobs object {\"content\": [...]})");
    }
    if (!cJSON_IsArray(content))
        return fail(why, size, "content: expected an array of tokens");
    const cJSON *first = content->child;
    if (!first)
        return fail(why, size, "content: no tokens");
    if (!cJSON_IsObject(first))
        return fail(why, size, "content[0]: expected an object {token, logprob, top_logprobs}");
    const cJSON *top = cJSON_GetObjectItemCaseSensitive(first, "top_logprobs");
    if (top && !cJSON_IsNull(top) && !cJSON_IsArray(top))
        return fail(why, size, "content[0].top_logprobs: expected an array");
    if (!top || !cJSON_IsArray(top) || !top->child)    /* top_logprobs 0: the sampled token alone */
        return add_token(first, "content[0]", pr, t, why, size) < 0 || check_sum(t, why, size) < 0
                   ? -1 : (finish(t), 0);
    int i = 0;
    for (const cJSON *e = top->child; e; e = e->next, i++) {
        snprintf(where, sizeof where, "content[0].top_logprobs[%d]", i);
        if (add_token(e, where, pr, t, why, size) < 0)
            return -1;
        /* the same token twice: which log probability is the model's is a guess */
        const char *s = cJSON_GetObjectItemCaseSensitive(e, "token")->valuestring;
        int m = 0;
        for (const cJSON *d = top->child; d != e; d = d->next, m++) {
            const cJSON *dt = cJSON_GetObjectItemCaseSensitive(d, "token");
            if (strcmp(dt->valuestring, s) == 0)
                return fail(why, size, "%s.token: '%.40s' repeats top_logprobs[%d]", where, s, m);
        }
    }
    if (check_sum(t, why, size) < 0)
        return -1;
    finish(t);
    return 0;
}

size_t probs_blob_len(const char *blob)
{
    struct prob_row r;
    memcpy(&r, blob, sizeof r);
    return sizeof r + r.json_len;
}

size_t probs_format(const struct prob_table *t, char *buf, size_t size)
{
    size_t used = 0;
    for (int o = 1; o <= t->k; o++) {
        char num[40];
        format_double(num, sizeof num, t->p[o]);
        int n = snprintf(buf + used, size - used, "%s%s", o == 1 ? "[" : ",", num);
        if (n < 0 || (size_t)n >= size - used)
            return 0;
        used += (size_t)n;
    }
    if (used + 2 > size)
        return 0;
    buf[used++] = ']';
    buf[used] = '\0';
    return used;
}
