/* cli/banks.c -- `psyfaith instruments` and `psyfaith norms`: list or load item banks and human norms
 * (one file: both commands share the load and list code); the loading is in ingest/banks.c */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "diag.h"
#include "ingest/ingest.h"
#include "ingest/profiles.h"
#include "store/store.h"

/* `instruments load --profile NAME|FILE` or `--jq FILE`: a bank in another format through a jq
 * program; the profile may hold nothing but its `jq` line. */
static int bank_program(struct mapping *m, const char *how, const char *arg)
{
    if (strcmp(how, "profile") == 0 && profile_load(m, arg) < 0)
        return -1;
    const char *text = mapping_text(m), *nl = strchr(text, '\n');
    if (strncmp(text, "jq ", 3) != 0 || (nl && nl[1]))
        return diag_error("%s '%s': a bank profile holds one line, 'jq PROGRAM' (it is a profile for ingest?)",
                          how, arg);
    return 0;
}

static int load_tables(int argc, char **argv, const char *what, int is_norms)
{
    static const struct option opts[] = { { "db", required_argument, NULL, 'd' }, { "help", no_argument, NULL, 'h' },
                                          { "profile", required_argument, NULL, 'p' },
                                          { "jq", required_argument, NULL, 'j' }, { 0 } };
    const char *db_opt = NULL;
    struct mapping *m = NULL;
    int c, ret = 2;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db_opt = optarg;
        else if (c == 'h') {
            printf("usage: psyfaith %s load [--db FILE] %sFILE.csv...\n", what,
                   is_norms ? "" : "[--profile NAME|FILE | --jq PROGRAM] ");
            if (!is_norms)
                printf("  --profile NAME|FILE   a bank in another lab's format, through the jq program of a bank\n"
                       "                        profile (psyfaith profiles list), e.g. personality-in-llms-bank\n"
                       "  --jq PROGRAM          the same with a jq program file writing the bank CSV\n");
            ret = 0;
            goto out;
        } else if ((c == 'p' || c == 'j') && !is_norms && !m) {
            if (!(m = mapping_new())) {
                diag_error("out of memory");
                ret = 1;
                goto out;
            }
            char line[8200];
            if (c == 'j' && snprintf(line, sizeof line, "jq %s", optarg) >= (int)sizeof line) {
                diag_error("--jq: argument too long");
                goto out;
            }
            if (c == 'p' ? bank_program(m, "profile", optarg) < 0
                         : (mapping_add(m, line, "--jq", ".") < 0 || bank_program(m, "jq", optarg) < 0))
                goto out;
        } else {
            ret = cli_bad_usage(what);
            goto out;
        }
    }
    if (optind >= argc) {
        diag_error("'%s load' needs one or more %s files", what, m ? "bank" : "CSV");
        goto out;
    }
    sqlite3 *db = store_open(store_path(db_opt), STORE_WRITE);
    ret = 1;
    if (!db)
        goto out;
    const char *text = NULL, *program = m ? mapping_jq(m, &text) : NULL;
    int failed = 0;
    for (int i = optind; i < argc && !failed; i++)
        failed = (program ? banks_load_instruments_jq(db, argv[i], program, text)
                  : is_norms ? banks_load_norms(db, argv[i]) : banks_load_instruments(db, argv[i])) < 0;
    store_close(db);
    ret = failed ? 1 : 0;
out:
    mapping_free(m);
    return ret;
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
    fprintf(stderr, "usage: psyfaith instruments list|load [--db FILE] [--profile NAME | --jq PROGRAM] [FILE...]\n");
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
