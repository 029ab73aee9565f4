/* cli/profiles.c -- `psyfaith profiles list|show NAME`: the ingest profiles shipped in the binary
 * (ingest/profiles.c) */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "diag.h"
#include "ingest/profiles.h"

static const char profiles_usage[] =
    "usage: psyfaith profiles list          the shipped profiles, one a line: NAME and what it reads\n"
    "       psyfaith profiles show NAME     print one (a profile, or a jq program it names, NAME.jq)\n"
    "Use one with `psyfaith ingest --profile NAME FILE...`; a profile file of your own works the same way.\n";

int cmd_profiles(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "list") == 0) {
        char name[256];
        for (size_t k = 0; k < profiles_count(); k++) {
            size_t len;
            const char *d = profiles_description(k, &len);
            printf("%-30s %.*s\n", profiles_name(k, name, sizeof name), (int)len, d);
        }
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "show") == 0) {
        const char *text = profiles_text(argv[2], NULL);
        if (!text) {
            diag_error("no shipped profile '%s' (see psyfaith profiles list)", argv[2]);
            return 1;
        }
        fputs(text, stdout);
        return 0;
    }
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(profiles_usage, stdout);
        return 0;
    }
    fputs(profiles_usage, stderr);
    return 2;
}
