/* cli/cli.h -- the subcommands, one file each under cli/ (as git's builtin/): each parses its options,
 * prints its usage and picks the renderer; ingest/, metrics/, classify/ compute and reports/ renders.
 * Each takes argv with argv[0] = the command's name and returns the exit status: 0 ok, 1 failed,
 * 2 usage error.  Only main.c and cli/ include this header. */
#ifndef PSYFAITH_CLI_H
#define PSYFAITH_CLI_H

int cmd_init(int argc, char **argv);          /* cli/init.c */
int cmd_ingest(int argc, char **argv);        /* cli/ingest.c */
int cmd_instruments(int argc, char **argv);   /* cli/banks.c */
int cmd_norms(int argc, char **argv);         /* cli/banks.c */
int cmd_scores(int argc, char **argv);        /* cli/scores.c */
int cmd_metrics(int argc, char **argv);       /* cli/metrics.c */
int cmd_structure(int argc, char **argv);     /* cli/structure.c */
int cmd_classify(int argc, char **argv);      /* cli/classify.c */
int cmd_games(int argc, char **argv);         /* cli/games.c */
int cmd_audit(int argc, char **argv);         /* cli/audit.c: 1 when a claim fails */
int cmd_report(int argc, char **argv);        /* cli/report.c */
int cmd_export(int argc, char **argv);        /* cli/export.c */
int cmd_profiles(int argc, char **argv);      /* cli/profiles.c */

/* "psyfaith: see 'psyfaith help CMD'" on stderr; returns 2. */
int cli_bad_usage(const char *cmd);

/* --scoring text|argmax|ev (issue 14 part 5) for the commands that score (metrics, audit, report):
 * sets the process-wide scoring (score_set_scoring); on a bad value the error names it and 2 is
 * returned (the exit status), else 0. */
int cli_scoring_option(const char *arg);
#endif
