/* main.c -- the subcommand table and nothing else */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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
    { "structure", cmd_structure, "structural validity: EFA (and CFA) of an instrument's items per model" },
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
    fprintf(fp, "usage: psyfaith [--db FILE] [-q|--quiet] COMMAND [options] [args]\n\n"
                "Psychometric faithfulness of language-model personality tests (RealBehavior).\n\ncommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(fp, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp, "\nThe store is psyfaith.db in the working directory unless --db FILE or $PSYFAITH_DB says "
                "otherwise;\n--db FILE and -q/--quiet may come before the command too, for every command.\n"
                "'psyfaith help COMMAND' or 'psyfaith COMMAND --help' for a command's options; "
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

/* Options before the command, for every command: --db FILE (for this run the same as
 * $PSYFAITH_DB=FILE, so a command's own --db still wins), -q/--quiet (no notes), --help and
 * --version.  Returns the index of the command in argv, or -1 with *rc the exit status. */
static int global_options(int argc, char **argv, int *rc)
{
    int i = 1;
    *rc = 2;
    while (i < argc && argv[i][0] == '-' && argv[i][1]) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            *rc = finish(0);
            return -1;
        }
        if (strcmp(a, "--version") == 0) {
            *rc = finish(cmd_version(argc - i, argv + i));
            return -1;
        }
        if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            diag_set_quiet(1);
        } else if (strcmp(a, "--db") == 0 || strncmp(a, "--db=", 5) == 0) {
            const char *file = a[4] == '=' ? a + 5 : i + 1 < argc ? argv[++i] : NULL;
            if (!file || !*file) {
                fprintf(stderr, "psyfaith: --db needs a FILE\n");
                return -1;
            }
            if (setenv("PSYFAITH_DB", file, 1) != 0) {
                diag_error("cannot set the store path: %s", strerror(errno));
                *rc = 1;
                return -1;
            }
        } else {
            fprintf(stderr, "psyfaith: unknown option '");
            diag_escaped(a);
            fprintf(stderr, "' before the command (before it: --db FILE, -q/--quiet, --help, --version; a "
                            "command's own options go after it)\n");
            return -1;
        }
        i++;
    }
    if (i >= argc) {
        usage(stderr);
        return -1;
    }
    return i;
}

int main(int argc, char **argv)
{
    int rc, cmd;
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if ((cmd = global_options(argc, argv, &rc)) < 0)
        return rc;
    gsl_set_error_handler_off();             /* GSL returns codes instead of abort() */
    store_global_init();
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(argv[cmd], commands[i].name) == 0)
            return finish(commands[i].run(argc - cmd, argv + cmd));
    fprintf(stderr, "psyfaith: unknown command '");
    diag_escaped(argv[cmd]);
    fprintf(stderr, "' (see 'psyfaith help')\n");
    return 2;
}
