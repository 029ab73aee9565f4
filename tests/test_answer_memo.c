/* tests/test_answer_memo.c -- answer_parse() (a table of recent results in front of the patterns,
 * ingest/answer.c) gives exactly what answer_parse_full() (every pattern, every time) gives: on
 * every "answer" of the fixtures' JSONL logs, every file of the answer fuzz corpus and a few
 * edge cases, on every scale (2..11) in both orders; the first call (which fills the table) and
 * the second (which finds the text there) both equal the full parse, and so does every text again
 * after many others have overwritten the table's slots.  Run from the repository root or with
 * PSYFAITH_TOP set (tests/run.sh does both). */
#include <cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "ingest/answer.h"

struct text {
    char *s;
    size_t len;
};
static struct text *texts;
static size_t n_texts, cap_texts;
static long compared, differ;

static void add(const char *s, size_t len)
{
    if (n_texts == cap_texts) {
        cap_texts = cap_texts ? 2 * cap_texts : 1024;
        texts = realloc(texts, cap_texts * sizeof *texts);
        if (!texts) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
    }
    /* an exact-size copy (not NUL-terminated where len says so), so a read past it is caught */
    char *c = malloc(len ? len : 1);
    if (!c) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    memcpy(c, s, len);
    texts[n_texts].s = c;
    texts[n_texts++].len = len;
}

/* One text on every scale in both orders: the memoised parse, twice, against the full one. */
static void compare(const struct text *t)
{
    for (int k = 2; k <= 11; k++)
        for (int desc = 0; desc <= 1; desc++) {
            int full_opt = -7, memo_opt = -7, again_opt = -7;
            enum answer_status full = answer_parse_full(t->s, t->len, k, desc, &full_opt);
            enum answer_status memo = answer_parse(t->s, t->len, k, desc, &memo_opt);
            enum answer_status again = answer_parse(t->s, t->len, k, desc, &again_opt);
            compared++;
            if (memo != full || again != full || memo_opt != full_opt || again_opt != full_opt) {
                if (differ++ < 10)
                    fprintf(stderr, "    '%.*s' (k=%d%s): full %s/%d, memo %s/%d, again %s/%d\n", (int)t->len, t->s,
                            k, desc ? ", descending" : "", answer_status_name(full), full_opt,
                            answer_status_name(memo), memo_opt, answer_status_name(again), again_opt);
            }
        }
}

/* Every string "answer" of a JSONL file. */
static size_t add_jsonl(const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, n = 0;
    ssize_t got;
    if (!f) {
        fprintf(stderr, "    cannot open %s\n", path);
        return 0;
    }
    while ((got = getline(&line, &cap, f)) > 0) {
        cJSON *j = cJSON_Parse(line);
        const cJSON *a = j ? cJSON_GetObjectItemCaseSensitive(j, "answer") : NULL;
        if (cJSON_IsString(a) && a->valuestring) {
            add(a->valuestring, strlen(a->valuestring));
            n++;
        }
        cJSON_Delete(j);
    }
    free(line);
    fclose(f);
    return n;
}

/* Every regular file of a directory, whole, as one answer. */
static size_t add_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;
    if (!d)
        return 0;
    while ((e = readdir(d))) {
        char path[4096], *buf;
        struct stat sb;
        if (e->d_name[0] == '.' || snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path ||
            stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        if ((buf = malloc((size_t)sb.st_size + 1)) && fread(buf, 1, (size_t)sb.st_size, f) == (size_t)sb.st_size) {
            add(buf, (size_t)sb.st_size);
            n++;
        }
        free(buf);
        fclose(f);
    }
    closedir(d);
    return n;
}

int main(void)
{
    const char *top = getenv("PSYFAITH_TOP");
    char path[4096];
    static const char *const logs[] = { "fixtures/demo/study.jsonl", "fixtures/audit/vendor.jsonl",
                                        "fixtures/games/games.jsonl", "fixtures/games/conditions.jsonl" };
    static const char *const corpus[] = { "tests/fuzz/answer/seed", "tests/fuzz/answer/regress" };
    if (!top || !*top)
        top = ".";
    if (answer_init() < 0)
        return 1;
    size_t from_logs = 0, from_corpus = 0;
    for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", top, logs[i]);
        from_logs += add_jsonl(path);
    }
    for (size_t i = 0; i < sizeof corpus / sizeof corpus[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", top, corpus[i]);
        from_corpus += add_dir(path);
    }
    CHECK(from_logs > 10000);   /* the demo study alone has more: a missing file must not pass */
    CHECK(from_corpus > 10);

    /* Edge cases: the length is honoured (a prefix of a longer text, which must not find the
     * longer one's result), pandas' "5.0", the table's size limit either side, empty and NULL. */
    static const char *const edge[] = { "(B)(D)", "(B)", "5.0", " 4.00 ", "4.5", "D", "d", "L", "0", "05", "12",
                                        "2 or 3", "1-5", "neutral", "As an AI language model, I cannot answer." };
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        add(edge[i], strlen(edge[i]));
    add("(B)(D)", 3);
    add("(B)(D)", 4);
    char longer[200];
    for (size_t n = 117; n <= 122; n++) {   /* around the longest text the table keeps (119 bytes) */
        memset(longer, ' ', n);
        memcpy(longer + n - 3, "(C)", 3);
        add(longer, n);
    }

    for (size_t i = 0; i < n_texts; i++)
        compare(&texts[i]);
    /* again, in reverse: by now most slots hold another text than the one first put there */
    for (size_t i = n_texts; i-- > 0;)
        compare(&texts[i]);
    {
        int option = -7;
        CHECK(answer_parse(NULL, 0, 5, 0, &option) == answer_parse_full(NULL, 0, 5, 0, &option) && option == -7);
    }
    fprintf(stderr, "test_answer_memo: %zu texts (%zu from the logs, %zu from the fuzz corpus), %ld comparisons, "
                    "%ld differ\n",
            n_texts, from_logs, from_corpus, compared, differ);
    CHECK(differ == 0);
    CHECK(compared == (long)n_texts * 2 * 10 * 2);
    for (size_t i = 0; i < n_texts; i++)
        free(texts[i].s);
    free(texts);
    answer_free();
    return CHECK_DONE();
}
