/* cli/cli.c -- what the command files share */
#include <stdio.h>

#include "cli/cli.h"

int cli_bad_usage(const char *cmd)
{
    fprintf(stderr, "psyfaith: see 'psyfaith help %s'\n", cmd);
    return 2;
}
