/* tests/test_audit_claims.c -- the claim grammar of `psyfaith audit` (metrics/audit_claims.c):
 * every form it accepts, every error with its exact column and message, and a few thousand
 * mutated claims that must neither crash nor read past their length (run under make asan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/audit.h"
#include "tests/check.h"

enum { LEVEL = AUDIT_LEVEL, PCT = AUDIT_PERCENTILE, STABLE = AUDIT_STABLE, STEER = AUDIT_STEERABLE, SCOPE = AUDIT_SCOPE,
       ROBUST = AUDIT_ORDER_ROBUST, NOTACQ = AUDIT_NOT_ACQUIESCENT };
enum { EXT, AGR, CONS, EMO, OPEN };
enum { GE = AUDIT_GE, LE = AUDIT_LE, GT = AUDIT_GT, LT = AUDIT_LT, BTW = AUDIT_BETWEEN };

/* Claims that parse: ret 1 (or 0 for blank lines) and the fields. */
static const struct {
    const char *text;
    int ret, kind, dim, rev, op;
    double a, b;
    int game;
    const char *inst, *pop;
    int col_a, col_inst, col_pop;
} ok[] = {
    { "AGR >= 4.0", 1, LEVEL, AGR, 0, GE, 4, 0, 0, "", "", 8, 0, 0 },
    { "AGR>=4", 1, LEVEL, AGR, 0, GE, 4, 0, 0, "", "", 6, 0, 0 },
    { "  agr <= 2.5  ", 1, LEVEL, AGR, 0, LE, 2.5, 0, 0, "", "", 10, 0, 0 },
    { "Agreeableness > 3.5   # the vendor's words", 1, LEVEL, AGR, 0, GT, 3.5, 0, 0, "", "", 17, 0, 0 },
    { "CONS < +4e0", 1, LEVEL, CONS, 0, LT, 4, 0, 0, "", "", 8, 0, 0 },
    { "C >= .5", 1, LEVEL, CONS, 0, GE, 0.5, 0, 0, "", "", 6, 0, 0 },
    { "emotional stability <= 3", 1, LEVEL, EMO, 0, LE, 3, 0, 0, "", "", 24, 0, 0 },
    { "emotional \t stability <= 3", 1, LEVEL, EMO, 0, LE, 3, 0, 0, "", "", 26, 0, 0 },
    { "openness to experience between 2 and 3", 1, LEVEL, OPEN, 0, BTW, 2, 3, 0, "", "", 32, 0, 0 },
    { "OPEN between 3.0 4.0", 1, LEVEL, OPEN, 0, BTW, 3, 4, 0, "", "", 14, 0, 0 },
    { "OPEN between 3 3", 1, LEVEL, OPEN, 0, BTW, 3, 3, 0, "", "", 14, 0, 0 },
    { "neuroticism <= 2", 1, LEVEL, EMO, 1, LE, 2, 0, 0, "", "", 16, 0, 0 },
    { "N percentile < 30", 1, PCT, EMO, 1, LT, 30, 0, 0, "", "", 16, 0, 0 },
    { "EXT percentile >= 70", 1, PCT, EXT, 0, GE, 70, 0, 0, "", "", 19, 0, 0 },
    { "extraversion PERCENTILE between 20 80", 1, PCT, EXT, 0, BTW, 20, 80, 0, "", "", 33, 0, 0 },
    { "EXT percentile >= 70 vs Johnson IPIP-NEO norms, women over 60 years old", 1, PCT, EXT, 0, GE, 70, 0, 0, "",
      "Johnson IPIP-NEO norms, women over 60 years old", 19, 0, 25 },
    { "EXT percentile >= 70 on IPIP-NEO-120 vs \"women # over 60\" # comment", 1, PCT, EXT, 0, GE, 70, 0, 0,
      "IPIP-NEO-120", "women # over 60", 19, 25, 42 },
    { "EXT percentile >= 70 vs \"crowd\" on BFI-44", 1, PCT, EXT, 0, GE, 70, 0, 0, "BFI-44", "crowd", 19, 36, 26 },
    { "AGR >= 4 on \"IPIP NEO 120\"", 1, LEVEL, AGR, 0, GE, 4, 0, 0, "IPIP NEO 120", "", 8, 14, 0 },
    { "CONS stable", 1, STABLE, CONS, 0, GE, 0, 0, 0, "", "", 0, 0, 0 },
    { "CONS stable on BFI-44", 1, STABLE, CONS, 0, GE, 0, 0, 0, "BFI-44", "", 0, 16, 0 },
    { "AGR steerable", 1, STEER, AGR, 0, GE, 0, 0, AUDIT_GAME_NONE, "", "", 0, 0, 0 },
    { "AGR steerable on IPIP-50", 1, STEER, AGR, 0, GE, 0, 0, AUDIT_GAME_NONE, "IPIP-50", "", 0, 18, 0 },
    { "AGR steerable ultimatum", 1, STEER, AGR, 0, GE, 0, 0, AUDIT_GAME_ULTIMATUM, "", "", 0, 0, 0 },
    { "AGR steerable UG", 1, STEER, AGR, 0, GE, 0, 0, AUDIT_GAME_ULTIMATUM, "", "", 0, 0, 0 },
    { "conscientiousness steerable Milgram", 1, STEER, CONS, 0, GE, 0, 0, AUDIT_GAME_MILGRAM, "", "", 0, 0, 0 },
    { "AGR steerable me\r\n", 1, STEER, AGR, 0, GE, 0, 0, AUDIT_GAME_MILGRAM, "", "", 0, 0, 0 },
    { "AGR robust to order", 1, ROBUST, AGR, 0, GE, 0, 0, 0, "", "", 0, 0, 0 },
    { "agreeableness  Robust TO order on IPIP-50", 1, ROBUST, AGR, 0, GE, 0, 0, 0, "IPIP-50", "", 0, 35, 0 },
    { "AGR not acquiescent", 1, NOTACQ, AGR, 0, GE, 0, 0, 0, "", "", 0, 0, 0 },
    { "EXT NOT acquiescent on BFI-44 # style", 1, NOTACQ, EXT, 0, GE, 0, 0, 0, "BFI-44", "", 0, 24, 0 },
    { "", 0, 0, 0, 0, 0, 0, 0, 0, "", "", 0, 0, 0 },
    { "   \t ", 0, 0, 0, 0, 0, 0, 0, 0, "", "", 0, 0, 0 },
    { "# only a comment >= 4", 0, 0, 0, 0, 0, 0, 0, 0, "", "", 0, 0, 0 },
};

/* Scope lines. */
static const struct {
    const char *text;
    int field, has_t;
    double t;
    const char *value;
} scopes[] = {
    { "model: acme-chat", AUDIT_F_MODEL, 0, 0, "acme-chat" },
    { "Model :  acme chat v2  # the one in production", AUDIT_F_MODEL, 0, 0, "acme chat v2" },
    { "persona: baseline", AUDIT_F_PERSONA, 0, 0, "baseline" },
    { "persona: \"agreeableness=9\"", AUDIT_F_PERSONA, 0, 0, "agreeableness=9" },
    { "persona: *", AUDIT_F_PERSONA, 0, 0, "" },
    { "temperature: 0.7", AUDIT_F_TEMPERATURE, 1, 0.7, "0.7" },
    { "temperature: *", AUDIT_F_TEMPERATURE, 0, 0, "" },
    { "instrument: IPIP-NEO-120", AUDIT_F_INSTRUMENT, 0, 0, "IPIP-NEO-120" },
};

/* Malformed claims: the column and the exact message. */
static const struct {
    const char *text;
    int col;
    const char *msg;
} bad[] = {
    { "AGR >= ", 7, "expected a number after '>='" },
    { "CONS >= x", 9, "expected a number after '>=', found 'x'" },
    { "AGR >= high", 8, "expected a number after '>=', found 'high'" },
    { "AGR >= 4.0x", 8, "expected a number after '>=', found '4.0x'" },
    { "AGR >= inf", 8, "expected a number after '>=', found 'inf'" },
    { "AGR >= nan", 8, "expected a number after '>=', found 'nan'" },
    { "AGR >= 0x10", 8, "expected a number after '>=', found '0x10'" },
    { "AGR >= \"4\"", 8, "expected a number after '>=', found '\"4\"'" },
    { "AGR >= 1e999", 8, "number '1e999' is out of range" },
    { "AGR > # nothing", 6, "expected a number after '>'" },
    { "AGR => 4", 5, "'=>' is not a comparison: did you mean '>='?" },
    { "AGR =< 4", 5, "'=<' is not a comparison: did you mean '<='?" },
    { "AGR = 4", 5, "'=' is not a comparison: use >=, <=, > or <" },
    { "AGR == 4", 5, "'==' is not a comparison: use >=, <=, > or <" },
    { "AGR != 4", 5, "'!=' is not a comparison: use >=, <=, > or <" },
    { "AGR <> 4", 5, "'<>' is not a comparison: use >=, <=, > or <" },
    { "AGR !", 5, "'!' is not a comparison: use >=, <=, > or <" },
    { "FOO >= 4", 1, "unknown dimension 'FOO' (EXT, AGR, CONS, EMO, OPEN, their full names, or N for neuroticism)" },
    { "emotional >= 3", 1,
      "unknown dimension 'emotional' (EXT, AGR, CONS, EMO, OPEN, their full names, or N for neuroticism)" },
    { "  >= 4", 3, "expected a dimension (EXT, AGR, CONS, EMO, OPEN or their names) at the start of the claim, found '>='" },
    { "4 <= AGR", 1, "expected a dimension (EXT, AGR, CONS, EMO, OPEN or their names) at the start of the claim, found '4'" },
    { "AGR", 4, "expected '>=', '<=', '>', '<', 'between', 'percentile', 'stable', 'steerable', 'robust to order' or 'not acquiescent' after 'AGR'" },
    { "agreeableness high", 15,
      "expected '>=', '<=', '>', '<', 'between', 'percentile', 'stable', 'steerable', 'robust to order' or 'not acquiescent' after 'agreeableness', found 'high'" },
    { "AGR between 4", 14, "expected a number after 'between 4'" },
    { "AGR between 4 and", 18, "expected a number after 'and'" },
    { "AGR between", 12, "expected a number after 'between'" },
    { "AGR between 4 3", 15, "the second bound 3 is below the first 4 (between LOW HIGH)" },
    { "AGR percentile >= 170", 19, "a percentile is between 0 and 100, found 170" },
    { "AGR percentile between 10 101", 27, "a percentile is between 0 and 100, found 101" },
    { "AGR percentile >= -1", 19, "a percentile is between 0 and 100, found -1" },
    { "AGR percentile", 15, "expected '>=', '<=', '>', '<' or 'between' after 'percentile'" },
    { "AGR percentile high", 16, "expected '>=', '<=', '>', '<' or 'between' after 'percentile', found 'high'" },
    { "AGR percentile = 50", 16, "'=' is not a comparison: use >=, <=, > or <" },
    { "AGR >= 4 vs X", 10,
      "'vs' names a human norm, which only a percentile claim takes (EXT percentile >= 70 vs POPULATION)" },
    { "AGR percentile >= 4 vs", 23, "expected a norm population after 'vs'" },
    { "AGR percentile >= 4 vs \"abc", 24, "unterminated quote: a norm population ends with '\"'" },
    { "AGR percentile >= 4 vs \"\"", 24, "a norm population is empty" },
    { "AGR percentile >= 4 vs \"a\" vs \"b\"", 28, "'vs' is given twice" },
    { "AGR >= 4 on", 12, "expected an instrument name after 'on'" },
    { "AGR >= 4 on X on Y", 15, "'on' is given twice" },
    { "AGR >= 4 on \"X\"y", 16, "expected a space after the closing quote, found 'y'" },
    { "AGR >= 4 extra", 10, "unexpected 'extra' after the claim (only 'on INSTRUMENT' may follow)" },
    { "AGR percentile >= 4 extra", 21,
      "unexpected 'extra' after the claim (only 'on INSTRUMENT' and 'vs POPULATION' may follow)" },
    { "AGR stable x", 12, "unexpected 'x' after the claim (only 'on INSTRUMENT' may follow)" },
    { "AGR robust", 11, "expected 'to' in 'robust to order', found ''" },
    { "AGR robust to", 14, "expected 'order' in 'robust to order', found ''" },
    { "AGR robust to labels", 15, "expected 'order' in 'robust to order', found 'labels'" },
    { "AGR not agreeable", 9, "expected 'acquiescent' in 'not acquiescent', found 'agreeable'" },
    { "AGR not acquiescent x", 21, "unexpected 'x' after the claim (only 'on INSTRUMENT' may follow)" },
    { "AGR robust to order vs X", 21,
      "'vs' names a human norm, which only a percentile claim takes (EXT percentile >= 70 vs POPULATION)" },
    { "AGR steerable poker", 15,
      "expected 'ultimatum', 'milgram' or 'on INSTRUMENT' after 'steerable', found 'poker'" },
    { "AGR steerable ultimatum on X", 25, "unexpected 'on' after the claim (a game claim takes no instrument)" },
    { "model acme", 7, "expected ':' after 'model' (a scope line: model: VALUE, or '*' for any)" },
    { "model:", 7, "expected a name after 'model:'" },
    { "instrument:   # none", 12, "expected an instrument name after 'instrument:'" },
    { "temperature: hot", 14, "expected a number after 'temperature:', found 'hot'" },
    { "temperature: -1", 14, "a temperature is not negative" },
    { "temperature: 0.5 0.7", 18, "unexpected '0.7' after the temperature" },
};

static void test_ok(void)
{
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        struct audit_claim c;
        struct audit_error e;
        int r = audit_parse_claim(ok[i].text, &c, &e);
        CHECK(r == ok[i].ret);
        if (r != ok[i].ret) {
            fprintf(stderr, "    '%s': %d:%d: %s\n", ok[i].text, r, e.col, e.msg);
            continue;
        }
        if (r == 0)
            continue;
        CHECK(c.kind == (enum audit_kind)ok[i].kind);
        CHECK(c.dimension == ok[i].dim);
        CHECK(c.reverse == ok[i].rev);
        if (ok[i].kind == LEVEL || ok[i].kind == PCT) {
            CHECK(c.op == (enum audit_op)ok[i].op);
            CHECK_NEAR(c.a, ok[i].a, 0);
            CHECK_NEAR(c.op == AUDIT_BETWEEN ? c.b : 0, ok[i].b, 0);
            CHECK(c.col_a == ok[i].col_a);
        }
        CHECK(c.game == (enum audit_game)ok[i].game);
        CHECK_STR(c.instrument, ok[i].inst);
        CHECK_STR(c.population, ok[i].pop);
        CHECK(c.col_dim == (int)strspn(ok[i].text, " \t") + 1);
        CHECK(c.col_instrument == ok[i].col_inst);
        CHECK(c.col_population == ok[i].col_pop);
    }
    /* the text is the claim without its comment and outer blanks */
    struct audit_claim c;
    struct audit_error e;
    CHECK(audit_parse_claim("  AGR >= 4   # why  ", &c, &e) == 1);
    CHECK_STR(c.text, "AGR >= 4");
}

static void test_scopes(void)
{
    for (size_t i = 0; i < sizeof scopes / sizeof scopes[0]; i++) {
        struct audit_claim c;
        struct audit_error e;
        int r = audit_parse_claim(scopes[i].text, &c, &e);
        CHECK(r == 1);
        if (r != 1) {
            fprintf(stderr, "    '%s': %d:%d: %s\n", scopes[i].text, r, e.col, e.msg);
            continue;
        }
        CHECK(c.kind == AUDIT_SCOPE);
        CHECK(c.field == (enum audit_field)scopes[i].field);
        CHECK(c.has_temperature == scopes[i].has_t);
        CHECK_NEAR(c.temperature, scopes[i].t, 0);
        CHECK_STR(c.value, scopes[i].value);
    }
}

static void test_errors(void)
{
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct audit_claim c;
        struct audit_error e;
        int r = audit_parse_claim(bad[i].text, &c, &e);
        CHECK(r == -1);
        CHECK(e.col == bad[i].col);
        CHECK_STR(e.msg, bad[i].msg);
        if (r != -1 || e.col != bad[i].col)
            fprintf(stderr, "    '%s': %d:%d: %s\n", bad[i].text, r, e.col, e.msg);
    }
}

/* Lengths, not NUL terminators, bound the parser; a NUL byte and an overlong claim are errors. */
static void test_lengths(void)
{
    struct audit_claim c;
    struct audit_error e;
    char *exact = malloc(8);
    memcpy(exact, "AGR >= 4", 8);          /* no terminator: ASan catches a read past it */
    CHECK(audit_parse_claim_n(exact, 8, &c, &e) == 1);
    CHECK_NEAR(c.a, 4, 0);
    CHECK(audit_parse_claim_n(exact, 6, &c, &e) == -1);   /* "AGR >=" */
    CHECK(e.col == 7);
    CHECK_STR(e.msg, "expected a number after '>='");
    CHECK(audit_parse_claim_n(exact, 5, &c, &e) == -1);   /* "AGR >" */
    CHECK(e.col == 6);
    CHECK(audit_parse_claim_n(exact, 0, &c, &e) == 0);
    free(exact);

    CHECK(audit_parse_claim_n("AGR >= 4\0 5", 11, &c, &e) == -1);
    CHECK(e.col == 9);
    CHECK_STR(e.msg, "the claim contains a NUL byte");

    char longer[AUDIT_MAX_TEXT + 40];
    memset(longer, ' ', sizeof longer);
    memcpy(longer, "AGR >= 4 on X", 13);
    longer[sizeof longer - 2] = 'Y';
    longer[sizeof longer - 1] = '\0';
    CHECK(audit_parse_claim(longer, &c, &e) == -1);
    CHECK(e.col == AUDIT_MAX_TEXT);
    CHECK_STR(e.msg, "the claim is longer than 511 bytes");

    char name[AUDIT_MAX_NAME + 20] = "AGR >= 4 on ";
    memset(name + 12, 'x', AUDIT_MAX_NAME);
    name[12 + AUDIT_MAX_NAME] = '\0';
    CHECK(audit_parse_claim(name, &c, &e) == -1);
    CHECK(e.col == 13);
    CHECK_STR(e.msg, "an instrument name is longer than 255 bytes");
}

/* Mutations of the valid and invalid claims: any answer is fine, but it must be -1, 0 or 1, an
 * error must point inside the line (or just past it) and say something. */
static void test_mutations(void)
{
    uint64_t state = 0x9E3779B97F4A7C15u;
    const char alphabet[] = "AGRCONSEXTMOPNbetwnpcilsuavmg<>=!#\" \t0123456789.-+e:*\r\n\0";
    size_t failures = 0;
    for (int round = 0; round < 20000; round++) {
        const char *seed = round % 2 ? ok[round % (sizeof ok / sizeof ok[0])].text
                                     : bad[round % (sizeof bad / sizeof bad[0])].text;
        size_t n = strlen(seed);
        char buf[96];
        if (n > sizeof buf - 8)
            n = sizeof buf - 8;
        memcpy(buf, seed, n);
        for (int k = 0; k < 3; k++) {
            state = state * 6364136223846793005u + 1442695040888963407u;
            size_t at = (size_t)(state >> 33) % (n + 1);
            char ch = alphabet[(state >> 20) % (sizeof alphabet - 1)];
            switch ((state >> 12) % 3) {
            case 0: if (n < sizeof buf - 1) { memmove(buf + at + 1, buf + at, n - at); buf[at] = ch; n++; } break;
            case 1: if (at < n) { memmove(buf + at, buf + at + 1, n - at - 1); n--; } break;
            default: if (at < n) buf[at] = ch; break;
            }
        }
        char *exact = malloc(n ? n : 1);
        memcpy(exact, buf, n);
        struct audit_claim c;
        struct audit_error e;
        int r = audit_parse_claim_n(exact, n, &c, &e);
        int good = r == 1 || r == 0 || (r == -1 && e.col >= 1 && (size_t)e.col <= n + 1 && e.msg[0]);
        if (r == 1 && c.kind != AUDIT_SCOPE)
            good &= c.dimension >= 0 && c.dimension < 5 && c.text[0] && (c.op != AUDIT_BETWEEN || c.a <= c.b);
        failures += !good;
        free(exact);
    }
    CHECK(failures == 0);
}

/* 'on condition NAME' (issue 13): a clause of its own beside 'on INSTRUMENT', in any order. */
static void test_conditions(void)
{
    static const struct { const char *text; const char *inst, *cond; int col_cond; } cases[] = {
        { "AGR >= 4 on condition proximity", "", "proximity", 23 },
        { "AGR >= 4 on IPIP-50 on condition proximity", "IPIP-50", "proximity", 34 },
        { "AGR >= 4 ON CONDITION \"peer defiance\" on IPIP-50", "IPIP-50", "peer defiance", 24 },
        { "CONS stable on condition baseline", "", "baseline", 26 },
        { "EXT percentile >= 70 on condition x vs Johnson", "", "x", 35 },
        { "AGR >= 4 on \"condition\"", "condition", "", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct audit_claim c;
        struct audit_error e;
        int r = audit_parse_claim(cases[i].text, &c, &e);
        CHECK(r == 1);
        if (r != 1) {
            fprintf(stderr, "    '%s': %d:%d: %s\n", cases[i].text, r, e.col, e.msg);
            continue;
        }
        CHECK_STR(c.instrument, cases[i].inst);
        CHECK_STR(c.condition, cases[i].cond);
        CHECK(c.col_condition == cases[i].col_cond);
    }
    struct audit_claim c;
    struct audit_error e;
    CHECK(audit_parse_claim("AGR >= 4 on condition a on condition b", &c, &e) == -1);
    CHECK_STR(e.msg, "'on condition' is given twice");
    CHECK(e.col == 25);
    CHECK(audit_parse_claim("AGR >= 4 on condition", &c, &e) == -1);
    CHECK_STR(e.msg, "expected a condition name after 'on condition'");
    CHECK(audit_parse_claim("condition: proximity", &c, &e) == 1);
    CHECK(c.kind == AUDIT_SCOPE && c.field == AUDIT_F_CONDITION);
    CHECK_STR(c.value, "proximity");
    CHECK(audit_parse_claim("Condition: *", &c, &e) == 1);
    CHECK(c.kind == AUDIT_SCOPE && c.field == AUDIT_F_CONDITION && c.value[0] == '\0');
}

int main(void)
{
    test_conditions();
    test_ok();
    test_scopes();
    test_errors();
    test_lengths();
    test_mutations();
    return CHECK_DONE();
}
