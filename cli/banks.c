/* cli/banks.c -- `psyfaith instruments` and `psyfaith norms`: list or load item banks and human norms
 * (one file: both commands share the load and list code); the loading is in ingest/banks.c */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "diag.h"
#include "ingest/ingest.h"
#include "store/store.h"

static int load_tables(int argc, char **argv, const char *what, int is_norms)
{
    static const struct option opts[] = { { "db", required_argument, NULL, 'd' }, { "help", no_argument, NULL, 'h' },
                                          { 0 } };
    const char *db_opt = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db_opt = optarg;
        else if (c == 'h') {
            printf("usage: psyfaith %s load [--db FILE] FILE.csv...\n", what);
            return 0;
        } else
            return cli_bad_usage(what);
    }
    if (optind >= argc) {
        diag_error("'%s load' needs one or more CSV files", what);
        return 2;
    }
    sqlite3 *db = store_open(store_path(db_opt), STORE_WRITE);
    if (!db)
        return 1;
    int ret = 0;
    for (int i = optind; i < argc && ret == 0; i++)
        ret = is_norms ? banks_load_norms(db, argv[i]) : banks_load_instruments(db, argv[i]);
    store_close(db);
    return ret ? 1 : 0;
}

static int list_query(int argc, char **argv, const char *what, const char *sql, const char *header)
{
    static const struct option opts[] = { { "db", required_argument, NULL, 'd' }, { 0 } };
    const char *db_opt = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db_opt = optarg;
        else
            return cli_bad_usage(what);
    }
    sqlite3 *db = store_open(store_path(db_opt), STORE_READ);
    if (!db)
        return 1;
    sqlite3_stmt *st = store_prepare(db, sql);
    int rc = SQLITE_ERROR;
    if (st) {
        puts(header);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(st); i++) {
                const char *v = store_col_text(st, i);
                printf("%s%s", i ? "\t" : "", v ? v : "");
            }
            putchar('\n');
        }
        if (rc != SQLITE_DONE)
            diag_error("store: %s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    store_close(db);
    return rc == SQLITE_DONE ? 0 : 1;
}

int cmd_instruments(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "load") == 0)
        return load_tables(argc - 1, argv + 1, "instruments", 0);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return list_query(argc - 1, argv + 1, "instruments",
                          "SELECT n.name, count(i.id), n.n_options, "
                          "sum(i.dimension='EXT'), sum(i.dimension='AGR'), sum(i.dimension='CONS'), "
                          "sum(i.dimension='EMO'), sum(i.dimension='OPEN'), n.origin "
                          "FROM instrument n LEFT JOIN item i ON i.instrument_id = n.id GROUP BY n.id ORDER BY n.name",
                          "instrument\titems\toptions\tEXT\tAGR\tCONS\tEMO\tOPEN\torigin");
    fprintf(stderr, "usage: psyfaith instruments list|load [--db FILE] [FILE.csv...]\n");
    return 2;
}

int cmd_norms(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "load") == 0)
        return load_tables(argc - 1, argv + 1, "norms", 1);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return list_query(argc - 1, argv + 1, "norms",
                          "SELECT instrument, dimension, population, n, "
                          "CASE WHEN mean IS NOT NULL THEN printf('%.3f', mean) END, "   /* NULL stays empty */
                          "CASE WHEN sd IS NOT NULL THEN printf('%.3f', sd) END, "
                          "alpha, source FROM norm ORDER BY instrument, population, "
                          "instr('EXT AGR CONS EMO OPEN', dimension)",
                          "instrument\tdimension\tpopulation\tn\tmean\tsd\talpha\tsource");
    fprintf(stderr, "usage: psyfaith norms list|load [--db FILE] [FILE.csv...]\n");
    return 2;
}
