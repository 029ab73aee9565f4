/* tests/test_probs.c -- ingest/probs.c and answer_label() on hand-made probability tables.  Every
 * expected value is computed by hand in the comment beside it. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ingest/answer.h"
#include "ingest/probs.h"

static char why[320];

static int op_presented(const char *json, int k, const struct answer_presentation *pr, struct prob_table *t)
{
    cJSON *j = cJSON_Parse(json);
    int rc = j ? probs_from_option_probs(j, k, pr, t, why, sizeof why) : -2;
    cJSON_Delete(j);
    return rc;
}

static int op(const char *json, int k, int desc, struct prob_table *t)
{
    struct answer_presentation pr;
    answer_presentation_order(&pr, k, desc);
    return op_presented(json, k, &pr, t);
}

static int lp(const char *json, int k, int desc, struct prob_table *t)
{
    struct answer_presentation pr;
    cJSON *j = cJSON_Parse(json);
    answer_presentation_order(&pr, k, desc);
    int rc = j ? probs_from_logprobs(j, k, &pr, t, why, sizeof why) : -2;
    cJSON_Delete(j);
    return rc;
}

/* A shuffled presentation (issue 14 part 1's `options`): positions A..E show options 3,5,1,4,2. */
static void presented(void)
{
    struct answer_presentation pr = { .k = 5, .at = { 3, 5, 1, 4, 2 } };
    struct prob_table t;
    CHECK(answer_label_presented("A", 1, &pr) == 3);    /* word labels: a letter is a position */
    CHECK(answer_label_presented("B", 1, &pr) == 5);
    CHECK(answer_label_presented("5", 1, &pr) == 2);
    CHECK(answer_label_presented("Very Accurate", 13, &pr) == 5);   /* a scale word keeps its meaning */
    CHECK(op_presented("{\"A\": 0.7, \"B\": 0.2, \"E\": 0.1}", 5, &pr, &t) == 0);
    CHECK(t.argmax == 3);
    CHECK(fabs(t.ev - (0.7 * 3 + 0.2 * 5 + 0.1 * 2)) < 1e-12);
    pr.letters = 1;                                     /* letter labels name themselves */
    CHECK(answer_label_presented("A", 1, &pr) == 1);
    CHECK(answer_label_presented("2", 1, &pr) == 5);    /* and a digit the position */
}

static void labels(void)
{
    CHECK(answer_label("A", 1, 5, 0) == 1);
    CHECK(answer_label(" A", 2, 5, 0) == 1);        /* a token with its leading space */
    CHECK(answer_label("e", 1, 5, 0) == 5);
    CHECK(answer_label("A", 1, 5, 1) == 5);         /* descending: A is the highest option */
    CHECK(answer_label("3", 1, 5, 1) == 3);
    CHECK(answer_label("1", 1, 5, 1) == 5);
    CHECK(answer_label("(B)", 3, 5, 0) == 2);
    CHECK(answer_label("D.", 2, 5, 0) == 4);
    CHECK(answer_label("10", 2, 11, 0) == 10);
    CHECK(answer_label("7", 1, 5, 0) == 0);         /* off the scale */
    CHECK(answer_label("F", 1, 5, 0) == 0);
    CHECK(answer_label("Agree", 5, 5, 0) == 4);
    CHECK(answer_label("Agree", 5, 5, 1) == 4);     /* a label keeps its meaning in any order */
    CHECK(answer_label("disagree", 8, 5, 0) == 2);
    CHECK(answer_label("Strongly agree", 14, 5, 0) == 5);
    CHECK(answer_label("Neutral", 7, 5, 0) == 3);
    CHECK(answer_label("Agree", 5, 7, 0) == 0);     /* words only on 5-point scales */
    CHECK(answer_label("Strongly", 8, 5, 0) == 0);
    CHECK(answer_label("The", 3, 5, 0) == 0);
    CHECK(answer_label("\n", 1, 5, 0) == 0);
    CHECK(answer_label("", 0, 5, 0) == 0);
    CHECK(answer_label("()", 2, 5, 0) == 0);
}

static void option_probs(void)
{
    struct prob_table t;
    /* [0.1 0.2 0.3 0.4 0]: EV = .1 + .4 + .9 + 1.6 = 3; argmax 4;
     * H = -(.1 ln .1 + .2 ln .2 + .3 ln .3 + .4 ln .4) = 1.2798542258336676 */
    CHECK(op("[0.1, 0.2, 0.3, 0.4, 0]", 5, 0, &t) == 0);
    CHECK_NEAR(t.ev, 3.0, 1e-12);
    CHECK(t.argmax == 4);
    CHECK_NEAR(t.entropy, 1.2798542258336676, 1e-12);
    CHECK_NEAR(t.outside, 0, 0);
    CHECK_NEAR(t.scale, 1.0, 1e-12);
    /* the array is on the ascending scale whatever the order: descending changes nothing */
    CHECK(op("[0.1, 0.2, 0.3, 0.4, 0]", 5, 1, &t) == 0);
    CHECK_NEAR(t.ev, 3.0, 1e-12);
    /* object, descending: A = 5, B = 4, C = 3: EV = 2.5 + 1 + .75 = 4.25; H = 1.5 ln 2 */
    CHECK(op("{\"A\": 0.5, \"B\": 0.25, \"C\": 0.25}", 5, 1, &t) == 0);
    CHECK_NEAR(t.ev, 4.25, 1e-12);
    CHECK(t.argmax == 5);
    CHECK_NEAR(t.entropy, 1.5 * log(2), 1e-12);
    /* labels summing to 0.9: renormalised q = (2/18, 4/18, 12/18) on 3, 4, 5: EV = 4.1 / 0.9 */
    CHECK(op("{\"Strongly agree\": 0.6, \"Agree\": 0.2, \"Neutral\": 0.1}", 5, 0, &t) == 0);
    CHECK_NEAR(t.ev, 4.1 / 0.9, 1e-12);
    CHECK_NEAR(t.scale, 0.9, 1e-12);
    CHECK(t.argmax == 5);
    /* a tie: no argmax; EV .4 + .8 + .6 = 1.8 */
    CHECK(op("[0.4, 0.4, 0.2, 0, 0]", 5, 0, &t) == 0);
    CHECK(t.argmax == 0);
    CHECK_NEAR(t.ev, 1.8, 1e-12);
    /* all zero: nothing on the scale */
    CHECK(op("[0, 0, 0, 0, 0]", 5, 0, &t) == 0);
    CHECK(t.argmax == 0);
    CHECK(isnan(t.ev) && isnan(t.entropy));
    /* a sum within 1e-6 of 1 is rounding */
    CHECK(op("[0.2, 0.2, 0.2, 0.2, 0.2000009]", 5, 0, &t) == 0);

    /* hostile tables */
    CHECK(op("[-0.1, 0.5, 0.5, 0, 0]", 5, 0, &t) == -1);
    CHECK(strstr(why, "[0]: probability -0.1 is outside [0, 1]") != NULL);
    CHECK(op("[0.5, 0.5, 0.5, 0, 0]", 5, 0, &t) == -1);
    CHECK(strstr(why, "sum to 1.5") != NULL);
    CHECK(op("[1e999, 0, 0, 0, 0]", 5, 0, &t) == -1);      /* cJSON reads 1e999 as infinity */
    CHECK(strstr(why, "not finite") != NULL);
    CHECK(op("[NaN, 0, 0, 0, 0]", 5, 0, &t) == -2);        /* not JSON at all: the line is bad */
    CHECK(op("[\"0.5\", 0, 0, 0, 0]", 5, 0, &t) == -1);
    CHECK(strstr(why, "[0]: expected a probability (a number), found a string") != NULL);
    CHECK(op("[0.5, 0.5]", 5, 0, &t) == -1);
    CHECK(strstr(why, "expected 5 probabilities") != NULL);
    CHECK(op("{\"A\": 0.5, \"a\": 0.2}", 5, 0, &t) == -1);
    CHECK(strstr(why, "labels 'A' and 'a' both name option 1") != NULL);
    CHECK(op("{\"A\": 0.5, \"A\": 0.2}", 5, 0, &t) == -1);  /* a repeated key */
    CHECK(strstr(why, "both name option 1") != NULL);
    CHECK(op("{\"Maybe\": 0.5}", 5, 0, &t) == -1);
    CHECK(strstr(why, "'Maybe': label names no option") != NULL);
    CHECK(op("{}", 5, 0, &t) == -1);
    CHECK(op("0.5", 5, 0, &t) == -1);
    CHECK(op("[0.5, 0.5]", 2, 0, &t) == 0 && t.argmax == 0);
}

static void logprobs(void)
{
    struct prob_table t;
    /* " D" and "D" add up: p(4) = .5 + .1 = .6, p(5) = .2, p(3) = .1; "The" .05 is outside.
     * logprobs ln .5, ln .1, ln .2, ln .1, ln .05.  q = (1/9, 6/9, 2/9) on 3, 4, 5:
     * EV = (3 + 24 + 10) / 9 = 37/9; H = -(1/9 ln 1/9 + 6/9 ln 6/9 + 2/9 ln 2/9) */
    char json[1024];
    snprintf(json, sizeof json,
             "{\"content\": [{\"token\": \"D\", \"logprob\": %.17g, \"bytes\": [68], \"top_logprobs\": ["
             "{\"token\": \"D\", \"logprob\": %.17g, \"bytes\": [68]},"
             "{\"token\": \"E\", \"logprob\": %.17g, \"bytes\": [69]},"
             "{\"token\": \" D\", \"logprob\": %.17g, \"bytes\": [32, 68]},"
             "{\"token\": \"C\", \"logprob\": %.17g, \"bytes\": [67]},"
             "{\"token\": \"The\", \"logprob\": %.17g, \"bytes\": [84, 104, 101]}]}], \"refusal\": null}",
             log(0.5), log(0.5), log(0.2), log(0.1), log(0.1), log(0.05));
    CHECK(lp(json, 5, 0, &t) == 0);
    CHECK_NEAR(t.p[4], 0.6, 1e-12);
    CHECK_NEAR(t.outside, 0.05, 1e-12);
    CHECK_NEAR(t.scale, 0.9, 1e-12);
    CHECK_NEAR(t.ev, 37.0 / 9, 1e-12);
    CHECK(t.argmax == 4);
    double h = -(1.0 / 9 * log(1.0 / 9) + 6.0 / 9 * log(6.0 / 9) + 2.0 / 9 * log(2.0 / 9));
    CHECK_NEAR(t.entropy, h, 1e-12);
    /* descending: D is option 2 */
    CHECK(lp(json, 5, 1, &t) == 0);
    CHECK(t.argmax == 2);
    CHECK_NEAR(t.ev, 6 - 37.0 / 9, 1e-12);
    /* the content array itself, and no top_logprobs: the sampled token alone (p = e^-0.25 on 3) */
    CHECK(lp("[{\"token\": \"3\", \"logprob\": -0.25, \"bytes\": [51], \"top_logprobs\": []}]", 5, 0, &t) == 0);
    CHECK(t.argmax == 3);
    CHECK_NEAR(t.ev, 3, 1e-12);
    CHECK_NEAR(t.p[3], exp(-0.25), 1e-12);
    CHECK_NEAR(t.entropy, 0, 0);
    /* only unknown tokens: all outside, no mass on the scale */
    CHECK(lp("[{\"token\": \"I\", \"logprob\": -0.1, \"top_logprobs\": [{\"token\": \"I\", \"logprob\": -0.1}, "
             "{\"token\": \"As\", \"logprob\": -3}]}]", 5, 0, &t) == 0);
    CHECK(t.argmax == 0 && isnan(t.ev));
    CHECK_NEAR(t.outside, exp(-0.1) + exp(-3), 1e-12);

    /* hostile */
    CHECK(lp("[{\"token\": \"A\", \"logprob\": -0.1, \"top_logprobs\": [{\"token\": \"A\", \"logprob\": -0.1}, "
             "{\"token\": \"A\", \"logprob\": -2}]}]", 5, 0, &t) == -1);
    CHECK(strstr(why, "content[0].top_logprobs[1].token: 'A' repeats top_logprobs[0]") != NULL);
    CHECK(lp("[{\"token\": \"A\", \"logprob\": 0.1}]", 5, 0, &t) == -1);
    CHECK(strstr(why, "content[0].logprob: 0.1 is above 0") != NULL);
    CHECK(lp("[{\"token\": \"A\", \"logprob\": -0.1, \"top_logprobs\": [{\"token\": \"A\", \"logprob\": -0.1}, "
             "{\"token\": \"B\", \"logprob\": -0.2}]}]", 5, 0, &t) == -1);      /* .905 + .819 > 1 */
    CHECK(strstr(why, "more than 1") != NULL);
    CHECK(lp("[{\"token\": \"A\", \"logprob\": -0.1, \"top_logprobs\": [{\"token\": 5, \"logprob\": -0.1}]}]", 5, 0,
             &t) == -1);
    CHECK(strstr(why, "top_logprobs[0].token: expected a string") != NULL);
    CHECK(lp("[{\"token\": \"A\", \"logprob\": -0.1, \"top_logprobs\": [{\"token\": \"A\", \"logprob\": -1e999}]}]",
             5, 0, &t) == -1);
    CHECK(strstr(why, "not finite") != NULL);
    CHECK(lp("{\"refusal\": null}", 5, 0, &t) == -1);
    CHECK(strstr(why, "no 'content'") != NULL);
    CHECK(lp("{\"content\": []}", 5, 0, &t) == -1);
    CHECK(lp("[{\"token\": \"A\"}]", 5, 0, &t) == -1);
}

static void format(void)
{
    struct prob_table t;
    char buf[512];
    CHECK(op("[0.1, 0.2, 0.3, 0.4, 0]", 5, 0, &t) == 0);
    CHECK(probs_format(&t, buf, sizeof buf) == strlen("[0.1,0.2,0.3,0.4,0]"));
    CHECK_STR(buf, "[0.1,0.2,0.3,0.4,0]");
    CHECK(probs_format(&t, buf, 8) == 0);
}

int main(void)
{
    labels();
    option_probs();
    logprobs();
    format();
    presented();
    return CHECK_DONE();
}
