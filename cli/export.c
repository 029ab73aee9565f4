/* cli/export.c -- `psyfaith export TABLE`: options and usage; reports/export.c writes the table as CSV
 * or JSONL */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "diag.h"
#include "reports/reports.h"
#include "store/store.h"

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = { { "db", required_argument, NULL, 'd' },
                                          { "format", required_argument, NULL, 'f' },
                                          { "help", no_argument, NULL, 'h' }, { 0 } };
    const char *db_opt = NULL, *format = "csv";
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db_opt = optarg;
        else if (c == 'f')
            format = optarg;
        else if (c == 'h') {
            printf("usage: psyfaith export TABLE [--format csv|jsonl] [--db FILE]\ntables:");
            for (size_t i = 0; export_table_name(i); i++)
                printf(" %s", export_table_name(i));
            putchar('\n');
            return 0;
        } else
            return 2;
    }
    if (strcmp(format, "csv") != 0 && strcmp(format, "jsonl") != 0) {
        diag_error("--format must be csv or jsonl, got '%s'", format);
        return 2;
    }
    if (optind + 1 != argc) {
        diag_error("export needs one table name (see 'psyfaith export --help')");
        return 2;
    }
    const char *name = NULL;
    for (size_t i = 0; export_table_name(i); i++)
        if (strcmp(argv[optind], export_table_name(i)) == 0)
            name = export_table_name(i);
    if (!name) {
        diag_error("unknown table '%s' (see 'psyfaith export --help')", argv[optind]);
        return 2;
    }
    sqlite3 *db = store_open(store_path(db_opt), STORE_READ);
    if (!db)
        return 1;
    int ret = export_table(db, name, strcmp(format, "jsonl") == 0);
    store_close(db);
    return ret < 0 ? 1 : 0;
}
