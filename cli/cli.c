/* cli/cli.c -- what the command files share */
#include <stdio.h>

#include "cli/cli.h"
#include "diag.h"
#include "metrics/scores.h"

int cli_bad_usage(const char *cmd)
{
    fprintf(stderr, "psyfaith: see 'psyfaith help %s'\n", cmd);
    return 2;
}

int cli_scoring_option(const char *arg)
{
    enum score_scoring sc;
    if (score_scoring_parse(arg, &sc) < 0)
        return diag_error("--scoring takes text, argmax or ev, got '%s'", arg), 2;
    score_set_scoring(sc);
    return 0;
}
