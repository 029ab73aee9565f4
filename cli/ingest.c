/* cli/ingest.c -- `psyfaith ingest`: option parsing and the profile file; the work is in
 * ingest/record.c and the readers */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "diag.h"
#include "outfile.h"
#include "ingest/ingest.h"
#include "ingest/profiles.h"
#include "store/store.h"
#include "util.h"

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
    "  --extract-override     --extract/--item-regex replace a field the record has (default: they\n"
    "                         fill only a field the record lacks)\n"
    "  --answers-regex REGEX  split one answer into many: groups (?<item>..) and (?<answer>..)\n"
    "  --wide                 one row per subject, one column per item id (needs --set instrument=)\n"
    "  --missing VALUE        in a wide table, VALUE means not answered (empty cells always do)\n"
    "  --reps-columns PCRE2   CSV columns whose names match are repetitions: each non-empty cell is\n"
    "                         one record with the cell as answer, rep = its place among the matching\n"
    "                         columns (1, 2, ...) and run = the column name\n"
    "  --jq FILE              reshape each file with `jq -c -f FILE` first; a CSV file's rows go to\n"
    "                         jq as objects keyed by the header, values as strings (empty: null)\n"
    "  --jq-timeout SECONDS   stop jq after SECONDS per file; the file fails (default: no limit)\n"
    "  --outcome VALUE=CLASS  a Milgram outcome value means kept, filtered, obedient or defiant\n"
    "                         (several pairs separated by blanks; repeatable)\n"
    "  --profile FILE|NAME    read these options from FILE (one a line, without the dashes), or\n"
    "                         the shipped profile NAME (psyfaith profiles list); a profile line\n"
    "                         'reject SOURCE~REGEX' stores matching records as rejects with the reason\n"
    "  --save-profile FILE    write the options given as a profile\n"
    "  --skip-bad             keep good lines, record bad ones in the rejects table\n"
    "  --force                re-ingest a file whose content was ingested before with the same\n"
    "                         mapping (replaces that source; another mapping is another source)\n"
    "  --source-name NAME     standard input's name in the store and in messages (with '-')\n"
    "  --busy-timeout MS      wait for other writers this long (default 60000)\n"
    "  --max-line MB          a longer JSONL line is a bad line, skipped to its end (default 256)\n"
    "  -q, --quiet            no summary or progress\n"
    "  A response record may carry the prompt design factors 'template', 'language' and 'variant'\n"
    "  (free text; empty = not given), mapped like any field (--map template=/prompt/id), for\n"
    "  psyfaith metrics --metric varcomp.\n";

int cmd_ingest(int argc, char **argv)
{
    enum { O_DB = 256, O_FORMAT, O_DELIM, O_RECORDS, O_MAP, O_SET, O_EXTRACT, O_ITEM_RE, O_ANSWERS_RE, O_WIDE,
           O_MISSING, O_JQ, O_REPS, O_EXTRACT_OVERRIDE, O_PROFILE, O_SAVE, O_SKIP, O_FORCE, O_BUSY, O_QUIET, O_HELP, O_MAXLINE, O_JQ_TIMEOUT, O_SOURCE_NAME,
           O_OUTCOME };
    static const struct option opts[] = {
        { "db", required_argument, NULL, O_DB }, { "format", required_argument, NULL, O_FORMAT },
        { "delimiter", required_argument, NULL, O_DELIM }, { "records", required_argument, NULL, O_RECORDS },
        { "map", required_argument, NULL, O_MAP }, { "set", required_argument, NULL, O_SET },
        { "extract", required_argument, NULL, O_EXTRACT }, { "item-regex", required_argument, NULL, O_ITEM_RE },
        { "answers-regex", required_argument, NULL, O_ANSWERS_RE }, { "wide", no_argument, NULL, O_WIDE },
        { "missing", required_argument, NULL, O_MISSING }, { "jq", required_argument, NULL, O_JQ },
        { "reps-columns", required_argument, NULL, O_REPS },
        { "extract-override", no_argument, NULL, O_EXTRACT_OVERRIDE },
        { "profile", required_argument, NULL, O_PROFILE }, { "save-profile", required_argument, NULL, O_SAVE },
        { "skip-bad", no_argument, NULL, O_SKIP }, { "force", no_argument, NULL, O_FORCE },
        { "busy-timeout", required_argument, NULL, O_BUSY }, { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, O_HELP }, { "max-line", required_argument, NULL, O_MAXLINE },
        { "jq-timeout", required_argument, NULL, O_JQ_TIMEOUT },
        { "source-name", required_argument, NULL, O_SOURCE_NAME },
        { "outcome", required_argument, NULL, O_OUTCOME }, { 0 } };
    static const char *const directive[] = {
        [O_FORMAT - O_DB] = "format", [O_DELIM - O_DB] = "delimiter", [O_RECORDS - O_DB] = "records",
        [O_MAP - O_DB] = "map", [O_SET - O_DB] = "set", [O_EXTRACT - O_DB] = "extract",
        [O_ITEM_RE - O_DB] = "item-regex", [O_ANSWERS_RE - O_DB] = "answers-regex", [O_WIDE - O_DB] = "wide",
        [O_MISSING - O_DB] = "missing", [O_JQ - O_DB] = "jq", [O_REPS - O_DB] = "reps-columns",
        [O_EXTRACT_OVERRIDE - O_DB] = "extract-override", [O_OUTCOME - O_DB] = "outcome" };
    struct ingest_options io = { 0 };
    io.quiet = diag_quiet();   /* psyfaith --quiet ingest (main.c) */
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
            if (profile_load(map, optarg) < 0)
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
        case O_SOURCE_NAME:
            if (!*optarg) {
                diag_error("--source-name needs a name");
                goto out;
            }
            io.source_name = optarg;
            break;
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
    if (io.source_name) {
        int has_stdin = 0;
        for (int i = optind; i < argc; i++)
            has_stdin |= strcmp(argv[i], "-") == 0;
        if (!has_stdin) {
            diag_error("--source-name names standard input: give '-' among the files (a file is named by its path)");
            goto out;
        }
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
