/* cli/classify_cli.h -- shared by cli/classify.c and cli/classify_predict.c only. */
#ifndef PSYFAITH_CLASSIFY_CLI_H
#define PSYFAITH_CLASSIFY_CLI_H

/* --dimension: a canonical code index, or -1 for all (NULL or "all").  -2 when unknown (said). */
int classify_cli_dimension(const char *name, int *reverse);
/* `psyfaith classify predict ...`, argv[0] = "predict"; its usage text. */
int classify_cmd_predict(int argc, char **argv);
extern const char classify_usage_predict[];

#endif
