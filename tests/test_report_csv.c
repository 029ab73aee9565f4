/* tests/test_report_csv.c -- report CSV cells survive a round trip through libcsv, text that a
 * spreadsheet would evaluate is defused, numbers are left alone; LaTeX escaping of input text */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "check.h"
#include "reports/latex.h"
#include "reports/report.h"

struct cells {
    char *v[16];
    size_t n;
};

static void on_field(void *s, size_t len, void *data)
{
    struct cells *c = data;
    if (c->n < 16) {
        c->v[c->n] = malloc(len + 1);
        memcpy(c->v[c->n], s, len);
        c->v[c->n][len] = '\0';
        c->n++;
    }
}

static void on_row(int term, void *data)
{
    (void)term;
    (void)data;
}

int main(void)
{
    static const char *const in[] = { "plain", "with, comma", "with \"quotes\"", "line\nbreak", "=1+1",
                                      "+cmd|' /C calc'!A0", "-2", "-2x", "@SUM(A1)", "", " padded ",
                                      "3.5", "1e-3", "évil\\input{x}_&%$#{}~^" };
    static const char *const want[] = { "plain", "with, comma", "with \"quotes\"", "line\nbreak", "'=1+1",
                                        "'+cmd|' /C calc'!A0", "-2", "'-2x", "'@SUM(A1)", "", " padded ",
                                        "3.5", "1e-3", "évil\\input{x}_&%$#{}~^" };
    size_t n = sizeof in / sizeof in[0];
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    for (size_t i = 0; i < n; i++)
        csv_text(fp, in[i], i == 0);
    csv_end(fp);
    fclose(fp);

    struct csv_parser p;
    struct cells got = { { 0 }, 0 };
    csv_init(&p, CSV_STRICT | CSV_APPEND_NULL);
    csv_set_space_func(&p, NULL);
    CHECK(csv_parse(&p, buf, len, on_field, on_row, &got) == len);
    CHECK(csv_fini(&p, on_field, on_row, &got) == 0);
    csv_free(&p);
    CHECK(got.n == n);
    for (size_t i = 0; i < n && i < got.n; i++)
        CHECK_STR(got.v[i], want[i]);
    for (size_t i = 0; i < got.n; i++)
        free(got.v[i]);
    free(buf);

    /* LaTeX: every special character escaped; Latin-1 kept; other scripts named; invalid bytes shown */
    static const struct { const char *in, *out; } tex[] = {
        { "evil\\input{/etc/passwd}_&%$#{}~^",
          "evil\\textbackslash{}input\\{/etc/passwd\\}\\_\\&\\%\\$\\#\\{\\}\\textasciitilde{}\\textasciicircum{}" },
        { "a<b>c|d\"e", "a\\textless{}b\\textgreater{}c\\textbar{}d\\textquotedbl{}e" },
        { "caf\xc3\xa9", "caf\xc3\xa9" },
        { "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", "\\texttt{[U+05E9]}\\texttt{[U+05DC]}\\texttt{[U+05D5]}\\texttt{[U+05DD]}" },
        { "x\xffy", "x\\texttt{[0xFF]}y" },
        { "tab\there", "tab here" },
        { "--- dash", "-{}-{}-{} dash" },
        /* longer than 80 characters: cut at the last space before the limit, never inside a word
         * (issue 13 part 7: "ExC with IPIP-NE..."); a name without spaces is cut at 80 */
        { "TrC 0.365 < 0.7; InC 2.11 < 0.7; ExC with IPIP 0.427 < 0.6; ExC with IPIP NEO 0.2 < 0.6; BC",
          "TrC 0.365 \\textless{} 0.7; InC 2.11 \\textless{} 0.7; ExC with IPIP 0.427 \\textless{} 0.6; ExC with IPIP NEO\\ldots{}" },
        { "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijXYZ",
          "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij\\ldots{}" },
    };
    for (size_t i = 0; i < sizeof tex / sizeof tex[0]; i++) {
        char *out = NULL;
        size_t olen = 0;
        FILE *mf = open_memstream(&out, &olen);
        latex_text(mf, tex[i].in);
        fclose(mf);
        CHECK_STR(out, tex[i].out);
        free(out);
    }
    /* numbers: decimals, a real minus sign, an en dash for missing, bold */
    static const struct { double v; int digits, bold; const char *out; } nums[] = {
        { -2.6449, 2, 1, "\\textbf{$-$2.64}" }, { 0.999, 2, 0, "1.00" }, { -0.001, 2, 0, "0.00" },
        { 0.5, 0, 0, "0" }, { NAN, 2, 0, "--" },
    };
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        char *out = NULL;
        size_t olen = 0;
        FILE *mf = open_memstream(&out, &olen);
        latex_num(mf, nums[i].v, nums[i].digits, nums[i].bold, NULL);
        fclose(mf);
        CHECK_STR(out, nums[i].out);
        free(out);
    }
    return CHECK_DONE();
}
