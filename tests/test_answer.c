/* tests/test_answer.c -- answer_parse() and decision_parse() on tables of raw model answers.
 * A new case is a new row: the text, the scale, the presentation order, the status and option. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ingest/answer.h"
#include "ingest/decision.h"

#define OK ANSWER_OK
#define AMB ANSWER_AMBIGUOUS
#define REF ANSWER_REFUSAL
#define UNP ANSWER_UNPARSED

static const struct {
    const char *text;
    int k, descending;
    enum answer_status status;
    int option;                 /* checked when status is OK */
} cases[] = {
    /* the forms of issue 2 */
    { "D) Moderately Accurate.", 5, 0, OK, 4 },
    { "(E)", 5, 0, OK, 5 },
    { "B - Moderately Inaccurate", 5, 0, OK, 2 },
    { "4", 5, 0, OK, 4 },
    { "very accurate", 5, 0, OK, 5 },
    { "Very Accurate", 5, 0, OK, 5 },
    { "[3] Neutral.", 5, 0, OK, 3 },
    { "I'm an AI and cannot answer personal questions.", 5, 0, REF, 0 },
    { "As an AI language model, I do not have personal preferences.", 5, 0, REF, 0 },
    { "(A) or (C)", 5, 0, AMB, 0 },
    { "", 5, 0, UNP, 0 },
    { "banana", 5, 0, UNP, 0 },
    /* lower case letters, brackets, spacing */
    { "(e)", 5, 0, OK, 5 },
    { "( b )", 5, 0, OK, 2 },
    { "[C]", 5, 0, OK, 3 },
    { "e.", 5, 0, OK, 5 },
    { "Answer: D", 5, 0, OK, 4 },
    { "My answer is (B).", 5, 0, OK, 2 },
    { "(3)", 5, 0, OK, 3 },
    { "  2 - Moderately Inaccurate", 5, 0, OK, 2 },
    /* a letter and its own label agree: one option, not two */
    { "(D) Moderately Accurate", 5, 0, OK, 4 },
    /* a letter and a label that disagree are two different options */
    { "(D) Very Inaccurate", 5, 0, AMB, 0 },
    { "Moderately Accurate, or maybe Very Accurate", 5, 0, AMB, 0 },
    /* prose letters are not options */
    { "A person like me would say Neutral", 5, 0, OK, 3 },
    /* descending presentation: letters and digits name the position, labels keep their meaning */
    { "A", 5, 1, OK, 5 },
    { "(E)", 5, 1, OK, 1 },
    { "4", 5, 1, OK, 2 },
    { "Moderately Accurate", 5, 1, OK, 4 },
    { "(B) Moderately Accurate", 5, 1, OK, 4 },
    { "(A) Very Accurate", 5, 1, OK, 5 },
    /* out of range: a mention outside 1..K names no option */
    { "6", 5, 0, UNP, 0 },
    { "0", 5, 0, UNP, 0 },
    { "(F)", 5, 0, UNP, 0 },
    { "(7)", 7, 0, OK, 7 },
    { "(7)", 5, 0, UNP, 0 },
    { "10", 11, 0, OK, 10 },
    { "(G)", 7, 0, OK, 7 },
    /* numbers that are not options */
    { "4.5", 5, 0, UNP, 0 },
    { "3/5", 5, 0, UNP, 0 },
    { "50%", 5, 0, UNP, 0 },            /* once read as 5: the digit pattern backtracked to "5" */
    { "45 out of 100", 5, 0, UNP, 0 },
    { "123", 5, 0, UNP, 0 },
    { "score: 45", 5, 0, UNP, 0 },
    { "Rating: 4.5", 5, 0, UNP, 0 },
    { "Rating: 4", 5, 0, OK, 4 },
    /* labels only count on 5-option scales */
    { "very accurate", 7, 0, UNP, 0 },
    /* two options named in one answer (issue 11 item 5): ambiguous, not unparsed */
    { "D or E", 5, 0, AMB, 0 },
    { "Between D and E.", 5, 0, AMB, 0 },
    { "C/D", 5, 0, AMB, 0 },
    { "C / D", 5, 0, AMB, 0 },
    { "either 2 or 3", 5, 0, AMB, 0 },
    { "Either B or C.", 5, 0, AMB, 0 },
    { "I'd say between 3 and 4.", 5, 0, AMB, 0 },
    { "Answer: D or E", 5, 0, AMB, 0 },                 /* once read as D: "answer: D" */
    { "My rating is 3 or 4", 5, 0, AMB, 0 },
    { "(D or E)", 5, 0, AMB, 0 },
    { "B or C", 5, 1, AMB, 0 },
    { "D or D", 5, 0, OK, 4 },                          /* one option named twice */
    { "D or F", 5, 0, OK, 4 },                          /* F is no option on 5 points */
    /* ... but not prose around letters and numbers */
    { "A and a friend would go", 5, 0, UNP, 0 },
    { "A/B testing is fun", 5, 0, UNP, 0 },
    { "Between a rock and a hard place", 5, 0, UNP, 0 },
    { "I go out 2 or 3 times a week", 5, 0, UNP, 0 },
    { "either 2 or 3%", 5, 0, UNP, 0 },
    { "2/3", 5, 0, UNP, 0 },                            /* a fraction, not a pair */
    { "either 2.5 or 3.5", 5, 0, UNP, 0 },
    { "(B) I'd do it between 2 and 3 hours", 5, 0, OK, 2 },
    /* ranges and lists of two options (verifier): once read as the first option, or unparsed */
    { "Answer: D, or maybe E", 5, 0, AMB, 0 },
    { "4-5", 5, 0, AMB, 0 },
    { "4 to 5", 5, 0, AMB, 0 },
    { "D-E", 5, 0, AMB, 0 },
    { "D\xe2\x80\x93" "E", 5, 0, AMB, 0 },            /* en dash */
    { "4 \xe2\x80\x93 5.", 5, 0, AMB, 0 },
    { "D, E", 5, 0, AMB, 0 },
    { "D and/or E", 5, 0, AMB, 0 },
    { "D (or E)", 5, 0, AMB, 0 },
    { "I'd say D or E.", 5, 0, AMB, 0 },
    { "Rating: 3-4", 5, 0, AMB, 0 },
    { "B-C", 5, 1, AMB, 0 },
    /* ... and a range of the whole scale describes the scale: no option */
    { "1-5", 5, 0, UNP, 0 },
    { "1 to 7", 7, 0, UNP, 0 },
    { "A-E", 5, 0, UNP, 0 },
    { "1-5", 7, 0, AMB, 0 },                            /* not the whole scale of 7 */
    { "On a 1-5 scale, (4)", 5, 0, OK, 4 },
    { "On a scale of 1 to 5, I'd say 4.", 5, 0, UNP, 0 },
    { "(D) on a 1-5 scale", 5, 0, OK, 4 },
    /* ... but not prose around them */
    { "2 or 3 times a week", 5, 0, UNP, 0 },            /* once 2 */
    { "2-3 times a week", 5, 0, UNP, 0 },               /* once 2 */
    { "A-B testing is fun", 5, 0, UNP, 0 },             /* once A */
    { "A, a friend and I", 5, 0, UNP, 0 },
    { "4-year-old children", 5, 0, UNP, 0 },            /* once 4 */
    { "A 4-year-old would say (B)", 5, 0, OK, 2 },
    { "(C) I work 9-5", 5, 0, OK, 3 },
    { "D - Moderately Accurate", 5, 0, OK, 4 },
    { "4 - Agree", 5, 0, OK, 4 },
    { "A - 4", 5, 0, OK, 1 },
};

static const struct {
    const char *text;
    enum answer_status status;
    int accept;
} decisions[] = {
    { "I accept", OK, 1 },
    { "Accept.", OK, 1 },
    { "I accept the offer.", OK, 1 },
    { "I would not accept", OK, 0 },
    { "I won't accept this.", OK, 0 },
    { "Reject.", OK, 0 },
    { "I reject the offer", OK, 0 },
    { "I decline.", OK, 0 },
    { "No", OK, 0 },
    { "Yes", OK, 1 },
    { "I accept... no, I reject", AMB, 0 },
    { "accept or reject? hard to say", AMB, 0 },
    { "As an AI, I cannot make that choice for you.", REF, 0 },
    { "", UNP, 0 },
    { "banana", UNP, 0 },
};

int main(void)
{
    if (answer_init() < 0 || decision_init() < 0)
        return 1;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int option = -1;
        enum answer_status st =
            answer_parse(cases[i].text, strlen(cases[i].text), cases[i].k, cases[i].descending, &option);
        CHECK(st == cases[i].status);
        if (st != cases[i].status)
            fprintf(stderr, "    '%s' (k=%d%s): status %s, want %s\n", cases[i].text, cases[i].k,
                    cases[i].descending ? ", descending" : "", answer_status_name(st),
                    answer_status_name(cases[i].status));
        if (cases[i].status == OK) {
            CHECK(option == cases[i].option);
            if (option != cases[i].option)
                fprintf(stderr, "    '%s' (k=%d%s): option %d, want %d\n", cases[i].text, cases[i].k,
                        cases[i].descending ? ", descending" : "", option, cases[i].option);
        }
    }
    /* the length is honoured: a prefix of a longer buffer */
    {
        int option = 0;
        CHECK(answer_parse("(B)(D)", 3, 5, 0, &option) == OK && option == 2);
        CHECK(answer_parse(NULL, 0, 5, 0, &option) == UNP);
    }
    /* Large hostile answers (issue 11 item 7): the parse is linear, so these take milliseconds; a
     * quadratic pattern once took a minute on 200 kB of spaces.  Not timed here (bench/run.sh,
     * section answers, measures 10 MB); this checks the results on 2 MB. */
    {
        enum { BIG = 2 << 20 };
        static const struct {
            const char *head, *unit, *tail;
            enum answer_status status;
            int option;
        } big[] = {
            { "(B) option", " ", ".", OK, 2 },          /* the case, at 2 MB */
            { "option", " ", "D", OK, 4 },              /* "option \s* (is)? \s*" was quadratic */
            { "rating", " ", "3", OK, 3 },
            { "(", " ", "B)", OK, 2 },
            { "", "(B)", "", OK, 2 },
            { "", "(B)", "(D)", AMB, 0 },
            { "", "A", "", UNP, 0 },
            { "", "1", "", UNP, 0 },
            { "D", " ", "", OK, 4 },
            { "D", " ", " or E", AMB, 0 },
            { "between D", " ", "and E.", AMB, 0 },
            { "D,", " ", "E", AMB, 0 },
            { "4", " ", "- 5", AMB, 0 },
            { "", "4-5-", "", AMB, 0 },
            { "", "D, ", "", OK, 4 },
            { "", "option ", "", UNP, 0 },
            { "", "very ", "", UNP, 0 },
            { "", "i ", "", UNP, 0 },
        };
        char *text = malloc(BIG + 16);
        CHECK(text != NULL);
        for (size_t i = 0; text && i < sizeof big / sizeof big[0]; i++) {
            size_t n = strlen(big[i].head), u = strlen(big[i].unit), t = strlen(big[i].tail);
            memcpy(text, big[i].head, n);
            while (n + u + t <= BIG) {
                memcpy(text + n, big[i].unit, u);
                n += u;
            }
            memcpy(text + n, big[i].tail, t);
            n += t;
            int option = 0;
            enum answer_status st = answer_parse(text, n, 5, 0, &option);
            CHECK(st == big[i].status && (st != OK || option == big[i].option));
            if (st != big[i].status)
                fprintf(stderr, "    '%s' + %zu x '%s' + '%s': status %s, want %s\n", big[i].head, BIG / u,
                        big[i].unit, big[i].tail, answer_status_name(st), answer_status_name(big[i].status));
        }
        free(text);
    }
    for (size_t i = 0; i < sizeof decisions / sizeof decisions[0]; i++) {
        int accept = -1;
        enum answer_status st = decision_parse(decisions[i].text, strlen(decisions[i].text), &accept);
        CHECK(st == decisions[i].status);
        if (st != decisions[i].status)
            fprintf(stderr, "    decision '%s': status %s, want %s\n", decisions[i].text, answer_status_name(st),
                    answer_status_name(decisions[i].status));
        if (decisions[i].status == OK) {
            CHECK(accept == decisions[i].accept);
            if (accept != decisions[i].accept)
                fprintf(stderr, "    decision '%s': accept %d, want %d\n", decisions[i].text, accept,
                        decisions[i].accept);
        }
    }
    CHECK_STR(answer_status_name(ANSWER_OK), "ok");
    CHECK_STR(answer_status_name(ANSWER_UNPARSED), "unparsed");
    answer_free();

    /* A PCRE2 error is ANSWER_ERROR with the pattern's name, never a status: the test hook lowers
     * the match limit so that the first pattern that runs fails (util.h). */
    setenv("PSYFAITH_PCRE2_MATCH_LIMIT", "1", 1);
    if (answer_init() < 0)
        return 1;
    {
        int option = -1;
        CHECK(answer_parse("(B)", 3, 5, 0, &option) == ANSWER_ERROR && option == -1);
        CHECK_STR(answer_error(), "pattern option in brackets hit the match limit");
        CHECK(answer_parse("D or E", 6, 5, 0, &option) == ANSWER_ERROR);
        CHECK_STR(answer_error(), "pattern option at the start hit the match limit");
    }
    answer_free();
    decision_free();
    /* The same for the Ultimatum decision parser's token pattern. */
    if (decision_init() < 0)
        return 1;
    {
        int accept = -1;
        CHECK(decision_parse("I accept.", 9, &accept) == ANSWER_ERROR && accept == -1);
        CHECK_STR(answer_error(), "pattern decision token hit the match limit");
    }
    decision_free();
    unsetenv("PSYFAITH_PCRE2_MATCH_LIMIT");
    return CHECK_DONE();
}
