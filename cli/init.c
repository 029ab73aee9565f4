/* cli/init.c -- `psyfaith init`: option parsing; the banks are loaded by ingest/banks.c */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "bundled.h"
#include "cli/cli.h"
#include "diag.h"
#include "ingest/ingest.h"
#include "store/store.h"

int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = { { "db", required_argument, NULL, 'd' }, { "quiet", no_argument, NULL, 'q' },
                                          { "help", no_argument, NULL, 'h' }, { 0 } };
    const char *db_opt = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
        if (c == 'd')
            db_opt = optarg;
        else if (c == 'q')
            diag_set_quiet(1);
        else if (c == 'h') {
            printf("usage: psyfaith init [--db FILE] [--quiet]\n");
            return 0;
        } else
            return cli_bad_usage("init");
    }
    if (optind != argc)
        return cli_bad_usage("init");
    const char *path = store_path(db_opt);
    sqlite3 *db = store_open(path, STORE_CREATE);
    if (!db)
        return 1;
    int ret = 0;
    for (size_t i = 0; i < sizeof bundled_tables / sizeof bundled_tables[0] && ret == 0; i++) {
        const struct bundled_table *t = &bundled_tables[i];
        ret = t->is_norms ? banks_load_norms_data(db, t->name, t->data, strlen(t->data))
                          : banks_load_instruments_data(db, t->name, t->data, strlen(t->data));
    }
    store_close(db);
    if (ret == 0)
        diag_note("store '%s' is ready", path);
    return ret ? 1 : 0;
}
