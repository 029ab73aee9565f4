/* main.c -- the subcommand table and nothing else */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli/cli.h"
#include "diag.h"
#include "store/store.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);   /* argv[0] is the name; returns the exit status */
    const char *summary;
};

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct command commands[] = {
    { "init", cmd_init, "create the store and load the bundled item banks and human norms" },
    { "ingest", cmd_ingest, "load JSONL/CSV/JSON logs of questionnaire and behaviour runs" },
    { "instruments", cmd_instruments, "list item banks, or load more from CSV" },
    { "norms", cmd_norms, "list human norms, or load more from CSV" },
    { "scores", cmd_scores, "questionnaire scores per subject, instrument and dimension (Eq. 1)" },
    { "metrics", cmd_metrics, "faithfulness metrics (TrC, InC, ExC, BC) and diagnostics" },
    { "classify", cmd_classify, "train, apply and inspect the behaviour classifiers (CrS, BC)" },
    { "games", cmd_games, "Ultimatum Game and Milgram analyses of persona-prompted models" },
    { "audit", cmd_audit, "check persona claims against the store, with verdicts" },
    { "report", cmd_report, "LaTeX tables, pgfplots figures and tidy CSV for a paper" },
    { "export", cmd_export, "write a normalised table as CSV or JSONL" },
    { "profiles", cmd_profiles, "list or show the shipped ingest profiles for other labs' data" },
    { "help", cmd_help, "help on a subcommand" },
    { "version", cmd_version, "print the version" },
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *fp)
{
    fprintf(fp, "usage: psyfaith COMMAND [options] [args]\n\n"
                "Psychometric faithfulness of language-model personality tests (RealBehavior).\n\ncommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(fp, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp, "\nThe store is psyfaith.db in the working directory unless --db FILE or $PSYFAITH_DB says "
                "otherwise.\n'psyfaith help COMMAND' or 'psyfaith COMMAND --help' for a command's options; "
                "man psyfaith for all.\nexit status: 0 ok, 1 failed, 2 usage error\n");
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(argv[1], commands[i].name) == 0 && commands[i].run != cmd_help) {
            char *args[] = { argv[1], "--help", NULL };
            return commands[i].run(2, args);
        }
    fprintf(stderr, "psyfaith: no help for '%s'\n", argv[1]);
    return 2;
}

static int cmd_version(int argc, char **argv)
{
    printf("psyfaith %s\n", PSYFAITH_VERSION);
    return 0;
}

/* Every command's exit: standard output that could not be written (a full disk, a file size limit) is a
 * failure, even for a command that only lists something, as git's run_builtin checks it. */
static int finish(int rc)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (rc == 0)
            diag_error("cannot write the output: %s", strerror(errno ? errno : EIO));
        return rc ? rc : 1;
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return finish(0);
    }
    if (strcmp(argv[1], "--version") == 0)
        return finish(cmd_version(argc, argv));
    gsl_set_error_handler_off();             /* GSL returns codes instead of abort() */
    store_global_init();
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return finish(commands[i].run(argc - 1, argv + 1));
    fprintf(stderr, "psyfaith: unknown command '%s' (see 'psyfaith help')\n", argv[1]);
    return 2;
}
