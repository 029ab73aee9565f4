/* tests/fuzz/fuzz_mapping.c -- the mapping/profile parser, three ways: the input as a profile file
 * (mapping_load_profile: comments, blank lines, NUL bytes, CRLF); each of its lines as one directive
 * (mapping_load_profile_text, i.e. mapping_add); the whole input as one directive, as one --map,
 * --set, ... argument reaches mapping_add.  A mapping that loads must survive --save-profile: its
 * profile text loads again, to the same text and the same mapping.  Then the mapping is used to
 * ingest a fixed JSONL and CSV file, so that arbitrary JSON Pointers, column names, constants and
 * --extract/--answers-regex patterns meet real records. */
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest_internal.h"
#include "tests/fuzz/fuzz.h"

static const char fixed_jsonl[] =
    "{\"type\":\"response\",\"model\":\"m\",\"temperature\":0.7,\"persona\":\"AGR=9\",\"instrument\":\"IPIP-50\","
    "\"item\":\"E1\",\"answer\":\"(D) Moderately Accurate\",\"prompt\":\"Rate yourself:\\nI am the life of the party.\","
    "\"custom_id\":\"model=x;temperature=0.7;persona=AGR=9;rep=2;item=E3\",\"annotation\":\"(a) 5\\n(b) 2\\n(c) Agree\","
    "\"response\":{\"status_code\":200,\"body\":{\"model\":\"gpt-4o\",\"choices\":[{\"message\":"
    "{\"role\":\"assistant\",\"content\":\"(b) 4\"}}]}},\"a/b\":{\"~\":[1,2,{\"\":\"x\"}]}}\n"
    "{\"type\":\"behavior\",\"model\":\"m\",\"dimension\":\"AGR\",\"occasion\":\"a party\",\"text\":\"I help.\"}\n"
    "{\"type\":\"ultimatum\",\"model\":\"m\",\"trait\":\"AGR\",\"level\":9,\"offer\":3,\"answer\":\"I accept\"}\n"
    "{\"type\":\"milgram\",\"model\":\"m\",\"level\":\"max\",\"final_level\":10,\"max_level\":30}\n";

static const char fixed_csv[] =
    "type,model,instrument,item,answer,prompt,temperature,persona,E1,E2,A1,Response,id\n"
    "response,m,IPIP-50,E1,(D),\"Rate yourself:\nI am the life of the party.\",0.7,AGR=9,1,5,NA,4,r1\n"
    "response,m2,IPIP-50,A1,2,\"I sympathize with others' feelings.\",,,3,,2,(a) 1 (b) 2,r2\n";

static struct fuzz_mode mode = { "fuzz-mapping", NULL, 1, NULL, NULL, NULL };

static int same_str(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

/* The same sources, constants and options (a relative jq file is resolved against the directory
 * of the profile it was read from, so jq is compared by presence only). */
static int same_mapping(const struct mapping *a, const struct mapping *b)
{
    for (int f = 0; f < N_FIELDS; f++)
        if (a->f[f].kind != b->f[f].kind || !same_str(a->f[f].spec, b->f[f].spec) ||
            a->f[f].from_field != b->f[f].from_field || !a->f[f].re != !b->f[f].re)
            return 0;
    return !a->answers_re == !b->answers_re && a->answers_item_group == b->answers_item_group &&
           a->answers_answer_group == b->answers_answer_group && same_str(a->format, b->format) &&
           same_str(a->records, b->records) && a->delimiter == b->delimiter && a->wide == b->wide &&
           same_str(a->missing, b->missing) && !a->jq == !b->jq && same_str(a->reps_text, b->reps_text) &&
           a->extract_override == b->extract_override;
}

/* What --save-profile writes must load again, to the same profile text and the same mapping. */
static void round_trip(const struct mapping *m)
{
    const char *text = mapping_text(m);
    const char *path = fuzz_write_input(text, strlen(text), ".profile");
    struct mapping *again = mapping_new();
    if (!again)
        return;
    FUZZ_ASSERT(mapping_load_profile(again, path) == 0);
    /* a relative jq file is resolved against the profile's directory when reloaded */
    if (!m->jq || m->jq[0] == '/')
        FUZZ_ASSERT(strcmp(mapping_text(again), text) == 0);
    FUZZ_ASSERT(same_mapping(m, again));
    if (!m->jq) {               /* the canonical text (source identity) survives the round trip */
        const char *a = mapping_canonical((struct mapping *)m), *b = mapping_canonical(again);
        FUZZ_ASSERT(a && b && strcmp(a, b) == 0);
    }
    mapping_free(again);
}

static void use(struct mapping *m)
{
    if (m->jq)
        return;                 /* would run jq on a program named by the input */
    struct ingest *ig = fuzz_mode_ready(&mode);
    const struct mapping *saved = ig->map;
    const char *saved_text = ig->mapping_text;
    ig->map = m;
    ig->mapping_text = mapping_canonical(m);   /* the source identity is content and mapping */
    FUZZ_ASSERT(ig->mapping_text != NULL);
    ig->opt.wide = mapping_is_wide(m);
    /* the mapping's `format` if it has one, else what the file name would say */
    ig->opt.format = m->format ? NULL : "jsonl";
    fuzz_ingest(&mode, fuzz_write_input(fixed_jsonl, sizeof fixed_jsonl - 1, ".jsonl"));
    ig->opt.format = m->format ? NULL : "csv";
    fuzz_ingest(&mode, fuzz_write_input(fixed_csv, sizeof fixed_csv - 1, ".csv"));
    ig->map = saved;
    ig->mapping_text = saved_text;
    ig->opt.wide = 0;
    ig->opt.format = NULL;
}

FUZZ_TARGET(mapping)
{
    struct mapping *whole = mapping_new(), *lines = mapping_new(), *one = NULL;
    char *buf = malloc(size + 1);
    if (!whole || !lines || !buf)
        goto out;
    /* 1: the input as a profile file */
    if (mapping_load_profile(whole, fuzz_write_input(data, size, ".profile")) == 0) {
        round_trip(whole);
        use(whole);
    }
    /* 2: each line as one directive, as the command line gives them (a NUL ends a C string) */
    memcpy(buf, data, size);
    buf[size] = '\0';
    int ok = 1;
    for (char *line = buf, *next; line && line <= buf + size; line = next) {
        next = memchr(line, '\n', (size_t)(buf + size - line));
        if (next)
            *next++ = '\0';
        if (mapping_load_profile_text(lines, line, "fuzz") < 0 && line[strspn(line, " \t\r")])
            ok = 0;             /* a blank line is an error for one directive, not for a profile */
    }
    round_trip(lines);
    if (ok)
        use(lines);
    /* 3: the whole input as one directive, as one command-line argument gives it (newlines and all) */
    if (!(one = mapping_new()))
        goto out;
    memcpy(buf, data, size);
    if (mapping_add(one, buf, "--fuzz", ".") == 0)
        round_trip(one);
out:
    mapping_free(one);
    free(buf);
    mapping_free(whole);
    mapping_free(lines);
    return 0;
}
