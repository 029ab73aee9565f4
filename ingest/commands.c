/* ingest/commands.c -- `psyfaith init`, `ingest`, `instruments` and `norms`: option parsing only;
 * the work is in record.c, the readers and banks.c */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundled.h"
#include "diag.h"
#include "outfile.h"
#include "ingest/ingest.h"
#include "store/store.h"
#include "util.h"

static int bad_usage(const char *cmd)
{
    fprintf(stderr, "psyfaith: see 'psyfaith help %s'\n", cmd);
    return 2;
}

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
            return bad_usage("init");
    }
    if (optind != argc)
        return bad_usage("init");
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
            return bad_usage(what);
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
            return bad_usage(what);
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

static const char ingest_usage[] =
    "usage: psyfaith ingest [options] FILE...   ('-' reads standard input)\n"
    "  --db FILE              the store (default $PSYFAITH_DB or psyfaith.db)\n"
    "  --format F             jsonl, csv or json (default: by extension)\n"
    "  --delimiter C          CSV delimiter, one character or 'tab' (default: sniffed)\n"
    "  --records POINTER      JSON document: the array of records (e.g. /messages)\n"
    "  --map FIELD=SOURCE     take FIELD from a JSON Pointer (/a/0/b) or a CSV column\n"
    "  --set FIELD=VALUE      a constant for every record\n"
    "  --extract FIELD=SOURCE~REGEX   FIELD from the first capture group of REGEX over SOURCE\n"
    "                         (a field name, JSON Pointer or column)\n"
    "  --item-regex REGEX     item text from the prompt (= --extract item_text=prompt~REGEX)\n"
    "  --answers-regex REGEX  split one answer into many: groups (?<item>..) and (?<answer>..)\n"
    "  --wide                 one row per subject, one column per item id (needs --set instrument=)\n"
    "  --missing VALUE        in a wide table, VALUE means not answered (empty cells always do)\n"
    "  --jq FILE              reshape each file with `jq -c -f FILE` first\n"
    "  --jq-timeout SECONDS   stop jq after SECONDS per file; the file fails (default: no limit)\n"
    "  --profile FILE         read these options from FILE (one a line, without the dashes)\n"
    "  --save-profile FILE    write the options given as a profile\n"
    "  --skip-bad             keep good lines, record bad ones in the rejects table\n"
    "  --force                re-ingest a file whose content was ingested before (replaces it)\n"
    "  --busy-timeout MS      wait for other writers this long (default 60000)\n"
    "  --max-line MB          a longer JSONL line is a bad line, skipped to its end (default 256)\n"
    "  -q, --quiet            no summary or progress\n";

int cmd_ingest(int argc, char **argv)
{
    enum { O_DB = 256, O_FORMAT, O_DELIM, O_RECORDS, O_MAP, O_SET, O_EXTRACT, O_ITEM_RE, O_ANSWERS_RE, O_WIDE,
           O_MISSING, O_JQ, O_PROFILE, O_SAVE, O_SKIP, O_FORCE, O_BUSY, O_QUIET, O_HELP, O_MAXLINE, O_JQ_TIMEOUT };
    static const struct option opts[] = {
        { "db", required_argument, NULL, O_DB }, { "format", required_argument, NULL, O_FORMAT },
        { "delimiter", required_argument, NULL, O_DELIM }, { "records", required_argument, NULL, O_RECORDS },
        { "map", required_argument, NULL, O_MAP }, { "set", required_argument, NULL, O_SET },
        { "extract", required_argument, NULL, O_EXTRACT }, { "item-regex", required_argument, NULL, O_ITEM_RE },
        { "answers-regex", required_argument, NULL, O_ANSWERS_RE }, { "wide", no_argument, NULL, O_WIDE },
        { "missing", required_argument, NULL, O_MISSING }, { "jq", required_argument, NULL, O_JQ },
        { "profile", required_argument, NULL, O_PROFILE }, { "save-profile", required_argument, NULL, O_SAVE },
        { "skip-bad", no_argument, NULL, O_SKIP }, { "force", no_argument, NULL, O_FORCE },
        { "busy-timeout", required_argument, NULL, O_BUSY }, { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, O_HELP }, { "max-line", required_argument, NULL, O_MAXLINE },
        { "jq-timeout", required_argument, NULL, O_JQ_TIMEOUT }, { 0 } };
    static const char *const directive[] = {
        [O_FORMAT - O_DB] = "format", [O_DELIM - O_DB] = "delimiter", [O_RECORDS - O_DB] = "records",
        [O_MAP - O_DB] = "map", [O_SET - O_DB] = "set", [O_EXTRACT - O_DB] = "extract",
        [O_ITEM_RE - O_DB] = "item-regex", [O_ANSWERS_RE - O_DB] = "answers-regex", [O_WIDE - O_DB] = "wide",
        [O_MISSING - O_DB] = "missing", [O_JQ - O_DB] = "jq" };
    struct ingest_options io = { 0 };
    struct mapping *map = mapping_new();
    struct ingest *ig = NULL;
    sqlite3 *db = NULL;
    const char *db_opt = NULL, *save = NULL;
    char where[64];
    int c, ret = 2, failed = 0;
    long busy;
    if (!map)
        return diag_error("out of memory"), 1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
        switch (c) {
        case O_DB: db_opt = optarg; break;
        case O_PROFILE:
            if (mapping_load_profile(map, optarg) < 0)
                goto out;
            break;
        case O_SAVE: save = optarg; break;
        case O_SKIP: io.skip_bad = 1; break;
        case O_FORCE: io.force = 1; break;
        case 'q': io.quiet = 1; diag_set_quiet(1); break;
        case O_BUSY:
            if (parse_long(optarg, &busy) < 0 || busy < 0 || busy > 86400000) {
                diag_error("--busy-timeout takes milliseconds, got '%s'", optarg);
                goto out;
            }
            store_set_busy_timeout((int)busy);
            break;
        case O_MAXLINE: {
            long mb;
            if (parse_long(optarg, &mb) < 0 || mb < 1 || mb > 4096) {
                diag_error("--max-line takes MiB from 1 to 4096, got '%s'", optarg);
                goto out;
            }
            io.max_line = (size_t)mb << 20;
            break;
        }
        case O_JQ_TIMEOUT: {
            long secs;
            if (parse_long(optarg, &secs) < 0 || secs < 1 || secs > 86400) {
                diag_error("--jq-timeout takes seconds from 1 to 86400, got '%s'", optarg);
                goto out;
            }
            io.jq_timeout = (unsigned)secs;
            break;
        }
        case O_HELP: fputs(ingest_usage, stdout); ret = 0; goto out;
        case '?': fputs(ingest_usage, stderr); goto out;
        default: {
            /* every other option is a mapping directive, kept in order like a profile line */
            char line[8192];
            snprintf(where, sizeof where, "--%s", directive[c - O_DB]);
            snprintf(line, sizeof line, "%s%s%s", directive[c - O_DB], optarg ? " " : "", optarg ? optarg : "");
            if (optarg && strlen(optarg) > 8000) {
                diag_error("%s: argument too long", where);
                goto out;
            }
            if (mapping_add(map, line, where, ".") < 0)
                goto out;
        }
        }
    }
    if (save) {
        /* a temporary file renamed over FILE: a full disk never leaves half a profile (outfile.h) */
        struct outfile of;
        ret = 1;
        if (outfile_open(&of, save, OUTFILE_DEVICE) < 0)
            goto out;
        fputs("# psyfaith ingest profile\n", of.fp);
        fputs(mapping_text(map), of.fp);
        if (outfile_commit(&of) < 0)
            goto out;
        ret = 2;
        diag_note("profile written to '%s'", save);
    }
    if (optind >= argc) {
        if (save) {
            ret = 0;
            goto out;
        }
        diag_error("no input files (give FILE... or - for standard input)");
        fputs(ingest_usage, stderr);
        goto out;
    }
    io.wide = mapping_is_wide(map);
    io.delimiter = 0;
    ret = 1;
    if (!(db = store_open(store_path(db_opt), STORE_WRITE)) || !(ig = ingest_new(db, &io, map)))
        goto out;
    for (int i = optind; i < argc; i++)
        if (ingest_file(ig, argv[i]) < 0)
            failed = 1;
    ingest_print_summary(ig);
    ret = failed ? 1 : 0;
out:
    ingest_free(ig);
    store_close(db);
    mapping_free(map);
    return ret;
}
