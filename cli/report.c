/* cli/report.c -- `psyfaith report`: options and usage; reports/report.c writes the parts, report.tex and
 * runs pdflatex */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "diag.h"
#include "metrics/faith.h"
#include "reports/report.h"
#include "util.h"

static const char report_usage[] =
    "usage: psyfaith report [--db FILE] [--latex DIR] [--csv DIR] [--standalone] [--pdf]\n"
    "                       [--only PART,...] [--digits N] [--reliability T] [--validity T]\n"
    "                       [--trc-literal] [--bootstrap N] [--seed S] [--claims FILE]\n"
    "                       [--units subjects|runs] [--scoring text|argmax|ev] [--threads N]\n"
    "  LaTeX tables (booktabs, one file per table, to \\input into a paper) and pgfplots figures,\n"
    "  and the same content as tidy CSV.  Without --latex or --csv both go to ./report.\n"
    "  Directories are created; files are renamed into place when all are written, and the files\n"
    "  an earlier report left there (listed in DIR/.psyfaith-manifest) and this one did not write\n"
    "  are removed.\n"
    "  --standalone   also write report.tex, which inputs every part and compiles with pdflatex\n"
    "  --pdf          run pdflatex on report.tex (implies --standalone); on a terminal a progress\n"
    "                 line counts the parts written, then the parts pdflatex has read\n"
    "  --only         parts: faithfulness scores norms diagnostics classifier games provenance\n"
    "                 fig_scores_norms fig_items fig_crs fig_structure (EFA loading heat maps);\n"
    "                 structure_fit (CFA fit per model, invariance across models); games\n"
    "                 (= all of): games_verdict ug_theta\n"
    "                 fig_ug_theta fig_ug_acceptance fig_ug_offer_r2 fig_ug_baseline me_summary\n"
    "                 fig_me_remaining fig_me_disobediences games_conditions games_not_analysed\n"
    "                 strategy_summary fig_ug_threshold_curve fig_ug_offers (written when the store has\n"
    "                 such records); varcomp fig_varcomp: prompt sensitivity, the variance components\n"
    "                 of psyfaith metrics --metric varcomp as a table and stacked bars (written when\n"
    "                 a template, language or variant varies)\n"
    "                 such records); validity_probs (per model, argmax vs text and entropy, when the\n"
    "                 store has option probabilities: psyfaith scores --prob-summary)\n"
    "  --digits N     decimals in tables (default 2)\n"
    "  --claims FILE  part audit: the verdicts of psyfaith audit --claims FILE (its scope lines give\n"
    "                 the scope; --bootstrap N, else 1000 resamples, --seed, --reliability, --validity)\n"
    "  --reliability T, --validity T   thresholds below which a value is unfaithful and printed in\n"
    "                 bold (defaults 0.7 and 0.6, as psyfaith metrics)\n"
    "  --units subjects|runs   the respondents of InC and the alpha family, as psyfaith metrics --units\n"
    "                 (and the audit part's level claims, as psyfaith audit --units)\n"
    "  --scoring text|argmax|ev   the scores every table starts from, as psyfaith scores --scoring\n"
    "  --threads N    worker threads, 1 to 256 (default $PSYFAITH_THREADS, else 2): the models' EFA\n"
    "                 and CFA fits, the audit's bootstrap; the report is the same at any count\n"
    "  Table 2 ends with a Faithful row per instrument: psyfaith metrics --summary's verdict (yes, no,\n"
    "  ? = TrC or InC undefined), the one the audit's gate uses.\n";

int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' }, { "latex", required_argument, NULL, 'l' },
        { "csv", required_argument, NULL, 'c' }, { "standalone", no_argument, NULL, 's' },
        { "pdf", no_argument, NULL, 'p' }, { "only", required_argument, NULL, 'o' },
        { "digits", required_argument, NULL, 'g' }, { "reliability", required_argument, NULL, 'r' },
        { "validity", required_argument, NULL, 'v' }, { "trc-literal", no_argument, NULL, 't' },
        { "bootstrap", required_argument, NULL, 'b' }, { "seed", required_argument, NULL, 'S' },
        { "claims", required_argument, NULL, 'C' }, { "units", required_argument, NULL, 'u' },
        { "scoring", required_argument, NULL, 'G' }, { "threads", required_argument, NULL, 'T' },
        { "help", no_argument, NULL, 'h' }, { 0 } };
    struct report_options ro = { .digits = 2 };
    const char *db_opt = NULL;
    long lv;
    double dv;
    int opt;
    faith_options_default(&ro.faith);
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case 'd': db_opt = optarg; break;
        case 'l': ro.latex_dir = optarg; break;
        case 'c': ro.csv_dir = optarg; break;
        case 's': ro.standalone = 1; break;
        case 'p': ro.pdf = ro.standalone = 1; break;
        case 'o': ro.only = optarg; break;
        case 'C': ro.claims = optarg; break;
        case 't': ro.faith.trc_literal = 1; break;
        case 'G':
            if (cli_scoring_option(optarg))
                return 2;
            break;
        case 'u':
            if (faith_units_parse(optarg, &ro.faith.units_runs) < 0)
                return diag_error("--units takes subjects or runs, got '%s'", optarg), 2;
            break;
        case 'g':
            if (parse_long(optarg, &lv) < 0 || lv < 0 || lv > 6)
                return diag_error("--digits takes 0..6, got '%s'", optarg), 2;
            ro.digits = (int)lv;
            break;
        case 'r': case 'v':
            if (parse_double(optarg, &dv) < 0 || dv < -1 || dv > 1)
                return diag_error("--%s takes a number in [-1, 1], got '%s'", opt == 'r' ? "reliability" : "validity",
                                  optarg), 2;
            *(opt == 'r' ? &ro.faith.reliability : &ro.faith.validity) = dv;
            break;
        case 'b':
            if (parse_long(optarg, &lv) < 0 || lv < 0 || lv > 1000000)
                return diag_error("--bootstrap takes a count, got '%s'", optarg), 2;
            ro.faith.bootstrap = (size_t)lv;
            break;
        case 'S':
            if (parse_long(optarg, &lv) < 0 || lv < 0)
                return diag_error("--seed takes a whole number, got '%s'", optarg), 2;
            ro.faith.seed = (unsigned long)lv;
            break;
        case 'T':
            if (threads_parse(optarg, &ro.faith.threads) < 0)
                return diag_error("--threads takes a number of threads (1 to 256), got '%s'", optarg), 2;
            break;
        case 'h': fputs(report_usage, stdout); return 0;
        default: fputs(report_usage, stderr); return 2;
        }
    }
    if (optind != argc) {
        fputs(report_usage, stderr);
        return 2;
    }
    if (ro.only)
        for (const char *p = ro.only; *p;) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            int known = report_part_known(p, len);
            known |= len == 5 && strncmp(p, "games", 5) == 0;
            if (!known)
                return diag_error("--only: unknown part '%.*s' (see psyfaith report --help)", (int)len, p), 2;
            if (!comma)
                break;
            p = comma + 1;
        }
    if (!ro.latex_dir && !ro.csv_dir)
        ro.latex_dir = ro.csv_dir = "report";
    if (ro.standalone && !ro.latex_dir)
        return diag_error("--standalone and --pdf need --latex DIR"), 2;
    return report_write(&ro, db_opt) < 0 ? 1 : 0;
}
