/* tests/fuzz/fuzz_csv.c -- the CSV reader (libcsv, delimiter sniffing, physical line numbers) and
 * record validation: each input is a CSV file, ingested through the real path into an in-memory
 * store in three ways:
 *   native   columns named by the native fields, --skip-bad
 *   wide     --wide: one row per respondent, one column per IPIP-50 item id, --missing NA
 *   mapped   --map columns, --set constants and an --item-regex over a prompt column
 * After each: all of the file or none of it is stored, and no transaction is left open. */
#include "tests/fuzz/fuzz.h"

static const char *const wide_profile[] = {
    "wide",
    "set instrument=IPIP-50",
    "set model=fuzz-model",
    "missing NA",
    NULL,
};

static const char *const mapped_profile[] = {
    "map model=Model",
    "map answer=Response",
    "map temperature=Temp",
    "set instrument=IPIP-50",
    "item-regex \\n([^\\n]+?)\\s*\\z",
    "delimiter ;",
    NULL,
};

static struct fuzz_mode modes[] = {
    { "native", NULL, 1, "csv", NULL, NULL },
    { "wide", wide_profile, 1, "csv", NULL, NULL },
    { "mapped", mapped_profile, 0, "csv", NULL, NULL },
};

FUZZ_TARGET(csv)
{
    const char *path = fuzz_write_input(data, size, ".csv");
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        fuzz_ingest(&modes[i], path);
    return 0;
}
