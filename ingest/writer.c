/* ingest/writer.c -- the writing side of an ingest: the per-file transaction, the source's content
 * hash, subjects, and the inserts of the rows the reading thread validated (see pipeline.h).
 * This file: set-up, the reading thread and the per-file transaction; binding, subjects and the
 * inserts are in writer_rows.c. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "ingest/answer.h"
#include "ingest/amount.h"
#include "ingest/decision.h"
#include "ingest/ingest_internal.h"
#include "store/store.h"

static const char *const type_names[N_TYPES][2] = {   /* singular, plural */
    { "response", "responses" },         { "behavior", "behaviors" },
    { "labeled behavior", "labeled behaviors" }, { "ultimatum trial", "ultimatum trials" },
    { "milgram run", "milgram runs" },   { "milgram step", "milgram steps" },
    { "ultimatum threshold", "ultimatum thresholds" }, { "offer", "offers" },
};

static const char *const insert_sql[] = {
    [S_SOURCE] = "INSERT INTO source(path, sha256, format, mapping) VALUES (?1, 'pending', ?2, ?3)",
    [S_SOURCE_DONE] = "UPDATE source SET sha256 = ?2, lines = ?3, records = ?4 WHERE id = ?1",
    /* a source of a version-1 store has no canonical mapping (store.c, migrations): it matches any */
    [S_SOURCE_FIND] = "SELECT id FROM source WHERE sha256 = ?1 AND (mapping = ?2 OR mapping LIKE 'legacy v1: %') "
                      "ORDER BY mapping = ?2 DESC LIMIT 1",
    [S_SOURCE_DELETE] = "DELETE FROM source WHERE id = ?1",
    [S_SUBJECT] = "INSERT INTO subject(model, temperature, persona, persona_trait, persona_level, condition) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_RESPONSE] = "INSERT INTO response(subject_id, item_id, rep, answer, option, score, status, "
                   "option_order, run, source_id, line, design_id, presented) "
                   "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
    [S_DESIGN] = "INSERT INTO design(template, language, variant) VALUES (?1, ?2, ?3)",
    [S_BEHAVIOR] = "INSERT INTO behavior(subject_id, dimension, occasion, text, rep, run, source_id, "
                   "line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
    [S_LABELED] = "INSERT INTO labeled_behavior(dimension, occasion, label, text, source_id, line) "
                  "VALUES (?1,?2,?3,?4,?5,?6)",
    [S_ULTIMATUM] = "INSERT INTO ultimatum(subject_id, trait, level, offer, total, decision, answer, "
                    "status, rep, run, source_id, line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
    [S_MILGRAM] = "INSERT INTO milgram(subject_id, trait, level, final_level, max_level, disobediences, "
                  "filtered, rep, run, source_id, line, outcome) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
    [S_STEP] = "INSERT INTO milgram_step(subject_id, trait, level, run, step, disobeyed, source_id, "
               "line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
    [S_THRESHOLD] = "INSERT INTO ultimatum_threshold(subject_id, trait, level, threshold, total, answer, "
                    "status, rep, run, source_id, line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
    [S_OFFER] = "INSERT INTO game_offer(subject_id, game, trait, level, amount, total, answer, status, rep, run, "
                "source_id, line) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
    [S_REJECT] = "INSERT INTO reject(source_id, path, line, field, reason) VALUES (?1,?2,?3,?4,?5)",
};

/* ---------- set-up ---------- */

static int load_items(struct ingest *ig)
{
    sqlite3_stmt *st = store_prepare(ig->db,
        "SELECT i.id, i.code, i.position, i.key, i.norm_text, n.id, n.name, n.n_options "
        "FROM item i JOIN instrument n ON n.id = i.instrument_id");
    char key[4096];
    int rc;
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0), inst = sqlite3_column_int64(st, 5);
        if (id <= 0 || id > 50000000)
            continue;                                   /* ids come from our own schema */
        if ((size_t)id >= ig->n_item_info) {
            size_t n = (size_t)id + 1024;
            struct item_info *p = realloc(ig->item_info, n * sizeof *p);
            if (!p)
                goto oom;
            memset(p + ig->n_item_info, 0, (n - ig->n_item_info) * sizeof *p);
            ig->item_info = p;
            ig->n_item_info = n;
        }
        ig->item_info[id].key = (signed char)sqlite3_column_int(st, 3);
        ig->item_info[id].n_options = sqlite3_column_int(st, 7);
        if (!store_col_text(st, 1) || !store_col_text(st, 4) || !store_col_text(st, 6))
            goto oom;                                   /* NOT NULL columns: NULL is SQLITE_NOMEM */
        snprintf(key, sizeof key, "%lld\x1f%s", (long long)inst, store_col_text(st, 1));
        if (strmap_put(&ig->item_by_code, key, id) < 0)
            goto oom;
        snprintf(key, sizeof key, "%lld\x1f#%d", (long long)inst, sqlite3_column_int(st, 2));
        if (strmap_put(&ig->item_by_code, key, id) < 0)
            goto oom;
        snprintf(key, sizeof key, "%lld\x1f%s", (long long)inst, store_col_text(st, 4));
        if (strmap_put(&ig->item_by_text, key, id) < 0)
            goto oom;
        if (strmap_put(&ig->instruments, store_col_text(st, 6), inst) < 0)
            goto oom;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return diag_error("store: cannot read item banks: %s", sqlite3_errmsg(ig->db));
    return 0;
oom:
    sqlite3_finalize(st);
    return diag_error("out of memory");
}

/* Test hooks (tests/cli/ingest_bulk.sh), off when unset:
 * PSYFAITH_TEST_PAUSE_AFTER_BANKS=PATH holds ingest once it has read the item banks, so that a test
 * can remove an item before the load begins (ingest_check_references);
 * PSYFAITH_TEST_PAUSE_IN_LOAD=N:PATH holds it after the N-th batch of rows this process wrote, in
 * the load's transaction, so that a test can start a second writer or kill -9 it at a known point
 * instead of polling for a journal that a fast load may have removed already. */
static void test_pause_after_banks(void)
{
    test_hold(getenv("PSYFAITH_TEST_PAUSE_AFTER_BANKS"));
}

static void test_pause_in_load(void)
{
    static long batches;
    test_hold_nth("PSYFAITH_TEST_PAUSE_IN_LOAD", &batches);
}

/* INSERT INTO response(...) VALUES (RESPONSE_PARAMS parameters), ... RESPONSE_RUN times.
 * OR FAIL: a multi-row INSERT under the default ABORT opens a statement journal, so that a failing
 * row can undo the rows before it, and copies every page it changes into it (7 % of the writing
 * thread's instructions).  FAIL keeps those rows instead -- and any failure rolls the whole file
 * back anyway (write_failed, ingest_file), so what is stored is the same. */
static sqlite3_stmt *prepare_response_run(sqlite3 *db)
{
    struct strbuf sb = { 0 };
    strbuf_addstr(&sb, "INSERT OR FAIL INTO response(subject_id, item_id, rep, answer, option, score, status, option_order, "
                       "run, source_id, line, design_id, presented) VALUES ");
    _Static_assert(RESPONSE_PARAMS == 13, "one ? per response column below");
    for (int i = 0; i < RESPONSE_RUN; i++)
        strbuf_addstr(&sb, i ? ", (?,?,?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?,?,?)");
    sqlite3_stmt *st = sb.buf ? store_prepare(db, sb.buf) : NULL;
    strbuf_free(&sb);
    return st;
}

char *ingest_chunk(struct ingest *ig)
{
    if (!ig->chunk && !(ig->chunk = malloc(INGEST_CHUNK)))
        diag_error("out of memory");
    return ig->chunk;
}

struct ingest *ingest_new(sqlite3 *db, const struct ingest_options *opt, struct mapping *map)
{
    struct ingest *ig = calloc(1, sizeof *ig);
    if (!ig) {
        diag_error("out of memory");
        return NULL;
    }
    ig->db = db;
    ig->drop_fd = -1;
    ig->opt = *opt;
    ig->map = map;
    if (!(ig->mapping_text = mapping_canonical(map)))
        goto fail;
    ig->progress_tty = !opt->quiet && isatty(2);
    ig->max_value = (size_t)sqlite3_limit(db, SQLITE_LIMIT_LENGTH, -1);
    for (int i = 0; i < N_FIELDS; i++)
        if (strmap_put(&ig->field_index, field_names[i], i) < 0)
            goto fail;
    field_plan_init(ig);
    for (size_t i = 0; i < N_STMTS; i++)
        if (!(ig->st[i] = store_prepare(db, insert_sql[i])))
            goto fail;
    if (answer_init() < 0 || decision_init() < 0 || amount_init() < 0 || load_items(ig) < 0 || !(ig->response_run = prepare_response_run(db)))
        goto fail;
    if (!(ig->prob_insert = store_prepare(db, "INSERT INTO response_prob(response_id, probs, outside, ev, argmax, "
                                              "entropy, from_text) VALUES (?1,?2,?3,?4,?5,?6,?7)")))
        goto fail;
    if (ig->n_item_info && !(ig->item_used = calloc(ig->n_item_info, 1))) {
        diag_error("out of memory");
        goto fail;
    }
    test_pause_after_banks();
    if (pipeline_init(&ig->pipe) < 0) {
        diag_error("out of memory");
        goto fail;
    }
    ig->pipe_ready = 1;
    return ig;
fail:
    ingest_free(ig);
    return NULL;
}

void ingest_free(struct ingest *ig)
{
    if (!ig)
        return;
    for (size_t i = 0; i < N_STMTS; i++)
        sqlite3_finalize(ig->st[i]);
    sqlite3_finalize(ig->subject_find);
    sqlite3_finalize(ig->response_run);
    sqlite3_finalize(ig->prob_insert);
    strmap_free(&ig->field_index);
    strmap_free(&ig->instruments);
    strmap_free(&ig->item_by_code);
    strmap_free(&ig->item_by_text);
    strmap_free(&ig->subjects);
    strmap_free(&ig->designs);
    strbuf_free(&ig->design_key);
    strbuf_free(&ig->deferred_index);
    ingest_watch_end(ig);
    sqlite3_finalize(ig->design_find);
    free(ig->item_info);
    free(ig->item_used);
    free(ig->col_of_field);
    free(ig->wide_items);
    free(ig->reps_cols);
    for (size_t i = 0; i < ig->n_header; i++)
        free(ig->header[i]);
    free(ig->header);
    for (int i = 0; i < N_FIELDS; i++)
        strbuf_free(&ig->scratch[i]);
    strbuf_free(&ig->keybuf);
    strbuf_free(&ig->subject_key);
    strbuf_free(&ig->last_model);
    strbuf_free(&ig->last_persona);
    strbuf_free(&ig->last_condition);
    strmap_free(&ig->traitless);
    if (ig->reader_running) {
        pthread_mutex_lock(&ig->pipe.mu);
        ig->reader_quit = 1;
        pthread_cond_signal(&ig->job_cv);
        pthread_mutex_unlock(&ig->pipe.mu);
        pthread_join(ig->reader, NULL);
        pthread_cond_destroy(&ig->job_cv);
    }
    if (ig->pipe_ready)
        pipeline_destroy(&ig->pipe);
    pcre2_match_data_free(ig->extract_md);   /* the last file's, which no reset released */
    source_hash_free(&ig->hash);
    free(ig->chunk);                    /* after the hash, which may have been lent it */
    answer_free();
    decision_free();
    amount_free();
    free(ig);
}

/* ---------- files ---------- */

/* Steps a statement about the whole file (its source row); b holds its bind results. */
static int step_once(struct ingest *ig, struct binder *b)
{
    if (b->rc != SQLITE_OK) {
        sqlite3_clear_bindings(b->st);
        return diag_error("store: '%s': cannot store the source's %s: %s", ig->path, b->column, sqlite3_errstr(b->rc));
    }
    int rc = sqlite3_step(b->st);
    sqlite3_reset(b->st);
    sqlite3_clear_bindings(b->st);
    if (rc != SQLITE_DONE)
        return diag_error("store: '%s': %s", ig->path, sqlite3_errmsg(ig->db));
    return 0;
}

struct reader_job {
    struct ingest *ig;
    int fd;
    const char *format;
    int rc;
};

/* One file on the reading thread: the whole file through its reader, then the last batch and the
 * end mark (after which the job, on the writer's stack, is not touched again). */
static void read_one(struct reader_job *job)
{
    struct ingest *ig = job->ig;
    const struct mapping *m = ig->map;
    char delimiter = ig->opt.delimiter ? ig->opt.delimiter : m->delimiter;
    if (m->jq)
        job->rc = read_jq(ig, job->fd, ig->path, strcmp(job->format, "csv") == 0, delimiter);
    else if (strcmp(job->format, "jsonl") == 0)
        job->rc = read_jsonl(ig, job->fd, ig->path);
    else if (strcmp(job->format, "json") == 0)
        job->rc = read_json_document(ig, job->fd, ig->path, m->records);
    else
        job->rc = read_csv(ig, job->fd, ig->path, delimiter);
    if (ig->cur) {
        if (ig->cur->n)
            pipeline_push(&ig->pipe, ig->cur);
        else
            pipeline_recycle(&ig->pipe, ig->cur);
        ig->cur = NULL;
    }
    pipeline_finish(&ig->pipe);
}

/* The reading thread: each file it is given, until ingest_free() tells it to end. */
static void *reader_main(void *arg)
{
    struct ingest *ig = arg;
    pthread_mutex_lock(&ig->pipe.mu);
    for (;;) {
        while (!ig->job && !ig->reader_quit)
            pthread_cond_wait(&ig->job_cv, &ig->pipe.mu);
        if (!ig->job)
            break;
        struct reader_job *job = ig->job;
        ig->job = NULL;
        pthread_mutex_unlock(&ig->pipe.mu);
        read_one(job);
        pthread_mutex_lock(&ig->pipe.mu);
    }
    pthread_mutex_unlock(&ig->pipe.mu);
    return NULL;
}

static void write_inline(void *ctx, struct batch *b)
{
    write_batch(ctx, b);
    test_pause_in_load();
}

/* A small regular file (one read's worth) is read, hashed and written on this thread: there is
 * nothing to overlap, and the hand-overs between threads cost more than its rows (many small files,
 * the fuzzers). */
static int reads_inline(const struct ingest *ig, int fd)
{
    struct stat sb;
    return !ig->map->jq && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size <= (off_t)INGEST_CHUNK;
}

/* Hands the file to the reading thread while this one writes; returns the reader's status. */
static int read_and_write(struct ingest *ig, int fd, const char *format)
{
    struct reader_job job = { ig, fd, format, 0 };
    struct batch *b;
    if (reads_inline(ig, fd)) {
        ig->pipe.done = 0;
        ig->pipe.sink = write_inline;
        ig->pipe.sink_ctx = ig;
        read_one(&job);
        ig->pipe.sink = NULL;
        return job.rc;
    }
    if (!ig->reader_running) {
        int err = pthread_cond_init(&ig->job_cv, NULL);
        if (err == 0 && (err = pthread_create(&ig->reader, NULL, reader_main, ig)) != 0)
            pthread_cond_destroy(&ig->job_cv);
        if (err != 0)
            return diag_error("cannot start the reading thread: %s", strerror(err));
        ig->reader_running = 1;
    }
    pthread_mutex_lock(&ig->pipe.mu);
    ig->pipe.done = 0;
    ig->job = &job;
    pthread_cond_signal(&ig->job_cv);
    pthread_mutex_unlock(&ig->pipe.mu);
    while ((b = pipeline_pop(&ig->pipe))) {
        write_batch(ig, b);             /* after a failure it writes nothing, but keeps draining */
        if (ig->watch.on && !atomic_load(&ig->fatal) && ingest_watch_indexes(ig, b->n) < 0)
            atomic_store(&ig->fatal, 1);
        pipeline_recycle(&ig->pipe, b);
        if (ig->bulk)
            writeback_after_batch(&ig->writeback);
        test_pause_in_load();
    }
    return job.rc;                      /* set before the end mark, under the queue's mutex */
}
static const char *format_by_extension(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return NULL;
    if (strcasecmp(dot, ".jsonl") == 0 || strcasecmp(dot, ".ndjson") == 0)
        return "jsonl";
    if (strcasecmp(dot, ".json") == 0)
        return "json";
    if (strcasecmp(dot, ".csv") == 0 || strcasecmp(dot, ".tsv") == 0 || strcasecmp(dot, ".txt") == 0)
        return "csv";
    return NULL;
}

static int open_input(struct ingest *ig, const char *path, int *fd)
{
    struct stat sb;
    if (strcmp(path, "-") == 0) {
        *fd = 0;
        return 0;
    }
    *fd = -1;
    if (store_refuse_own_file(ig->db, path, "a log file") < 0)
        return -1;
    if ((*fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return diag_error("cannot open '%s': %s", path, strerror(errno));
    if (fstat(*fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        close(*fd);
        return diag_error("'%s' is a directory, not a log file", path);
    }
    return 0;
}

static void reset_file_state(struct ingest *ig)
{
    for (size_t i = 0; i < ig->n_header; i++)
        free(ig->header[i]);
    free(ig->header);
    free(ig->col_of_field);
    free(ig->wide_items);
    free(ig->reps_cols);
    ig->reps_cols = NULL;
    ig->n_reps = 0;
    ig->header = NULL;
    ig->col_of_field = NULL;
    ig->wide_items = NULL;
    ig->n_header = 0;
    ig->file_errors = 0;
    ig->last_bad_line = -1;
    ig->last_bad_hash = 0;
    ig->file_records = 0;
    ig->file_kept = 0;
    ig->file_rejected = 0;
    ig->file_bytes = 0;
    ig->file_lines = 0;
    ig->progress_last = 0;
    ig->progress_shown = 0;
    ig->wide_missing_file = 0;
    if (ig->item_used)
        memset(ig->item_used, 0, ig->n_item_info);
    pcre2_match_data_free(ig->extract_md);
    ig->extract_md = NULL;
    source_hash_stop(&ig->hash);
}

/* After reading: look the content hash up; skip, replace (--force) or record the new source. */
static int finish_source(struct ingest *ig, const char *hex)
{
    sqlite3_stmt *find = ig->st[S_SOURCE_FIND];
    int64_t old = 0;
    /* the identity of a source is its content read through its mapping: the same file under
     * another mapping (profile, jq program, options) is another source */
    int rc = sqlite3_bind_text(find, 1, hex, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(find, 2, ig->mapping_text, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(find);
    if (rc == SQLITE_ROW)
        old = sqlite3_column_int64(find, 0);
    sqlite3_reset(find);
    sqlite3_clear_bindings(find);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return diag_error("store: %s", sqlite3_errmsg(ig->db));
    if (old && !ig->opt.force) {
        diag_note("skipped '%s': the same content was ingested before with the same mapping, as source %lld "
                  "(--force replaces it)",
                  ig->path, (long long)old);
        return 1;
    }
    if (old) {
        struct binder del = { ig->st[S_SOURCE_DELETE], SQLITE_OK, NULL };
        b_int(&del, 1, "id", old);
        if (step_once(ig, &del) < 0)
            return -1;
        diag_note("replaced source %lld with '%s' (--force)", (long long)old, ig->path);
    }
    struct binder b = { ig->st[S_SOURCE_DONE], SQLITE_OK, NULL };
    b_int(&b, 1, "id", ig->source_id);
    b_text(&b, 2, "sha256", hex, -1);
    b_int(&b, 3, "lines", ig->file_lines);
    b_int(&b, 4, "records", ig->file_kept);   /* records stored; bad ones are in rejects */
    return step_once(ig, &b);
}

int ingest_file(struct ingest *ig, const char *path)
{
    const struct mapping *m = ig->map;
    const char *format = ig->opt.format ? ig->opt.format : m->format;
    int fd = -1, ret = -1, rc;
    char hex[65];
    size_t before[N_TYPES];
    long status_before[4], decision_before[4], amount_before[4], condition_before = ig->condition_records;
    long probs_before = ig->prob_count;
    memcpy(before, ig->type_count, sizeof before);
    memcpy(status_before, ig->status_count, sizeof status_before);
    memcpy(decision_before, ig->decision_count, sizeof decision_before);
    memcpy(amount_before, ig->amount_count, sizeof amount_before);
    reset_file_state(ig);
    ig->is_stdin = strcmp(path, "-") == 0;
    /* the name of the source in the store and in messages: --source-name for standard input */
    ig->path = ig->is_stdin && ig->opt.source_name ? ig->opt.source_name : path;
    if (!format) {
        format = format_by_extension(path);
        if (m->jq && (!format || strcmp(format, "csv") != 0))
            format = "jsonl";       /* jq reads JSON of any shape and writes JSON Lines */
    }
    if (!format) {
        if (ig->is_stdin)
            format = "jsonl";
        else
            return diag_error("'%s': cannot tell the format from the name; give --format jsonl|csv|json", path);
    }
    if (ig->opt.wide && m->jq)
        return diag_error("'%s': --wide and --jq cannot be combined (jq's output is records, not a wide table)",
                          ig->path);
    if (ig->opt.wide)
        format = "csv";
    if (m->reps_re && strcmp(format, "csv") != 0)
        return diag_error("'%s': --reps-columns applies to CSV input, not %s", ig->path, format);
    if (open_input(ig, path, &fd) < 0)
        return -1;
    if (source_hash_begin(&ig->hash, !reads_inline(ig, fd)) < 0)
        goto out;
    ig->bulk = ig->fk_off = 0;
    if (ingest_wants_bulk(ig, fd) && (ig->bulk = store_bulk_begin(ig->db)) < 0) {
        ig->bulk = 0;
        goto out;
    }
    if (ig->bulk)
        writeback_open(&ig->writeback, ig->db);
    /* --force replaces a source through ON DELETE CASCADE, which needs the foreign keys on */
    if (ig->bulk && !ig->opt.force) {
        if (store_exec(ig->db, "PRAGMA foreign_keys = OFF") < 0)
            goto out;
        ig->fk_off = 1;
    }
    if (store_begin(ig->db) < 0)
        goto out;
    strmap_clear(&ig->subjects);  /* another process may have changed the store since */
    strmap_clear(&ig->designs);
    if (ingest_defer_indexes(ig, fd) < 0)
        goto out;
    ingest_drop_behind(ig, fd);
    struct binder src = { ig->st[S_SOURCE], SQLITE_OK, NULL };
    b_text(&src, 1, "path", ig->path, -1);
    b_text(&src, 2, "format", ig->opt.wide ? "wide" : format, -1);
    b_text(&src, 3, "mapping", ig->mapping_text, -1);
    if (step_once(ig, &src) < 0)
        goto out;
    ig->source_id = sqlite3_last_insert_rowid(ig->db);
    ig->file_start = ingest_now();

    atomic_store(&ig->fatal, 0);
    ig->last_valid = 0;
    rc = read_and_write(ig, fd, format);
    if (ig->progress_shown)
        fputs("\r\033[K", stderr);
    if (rc < 0 || atomic_load(&ig->fatal) || (ig->file_errors && !ig->opt.skip_bad)) {
        if (ig->file_errors && !ig->opt.skip_bad && !atomic_load(&ig->fatal))
            diag_note("nothing of '%s' was stored (%s%ld bad line%s; --skip-bad keeps the good ones)", ig->path,
                      ig->file_errors > MAX_REPORTED_ERRORS ? "at least " : "", ig->file_errors,
                      ig->file_errors == 1 ? "" : "s");
        goto out;
    }
    if (ig->file_records == 0 && ig->file_errors == 0) {
        diag_error("'%s': no records found (empty file?)", ig->path);
        goto out;
    }
    if (ig->fk_off && ingest_check_references(ig) < 0)
        goto out;
    if (ingest_restore_indexes(ig) < 0)
        goto out;
    source_hash_hex(&ig->hash, hex);
    if ((rc = finish_source(ig, hex)) < 0)
        goto out;
    if (rc == 1) {
        store_rollback(ig->db);
        ret = 1;
        goto restore;
    }
    if (store_commit(ig->db) < 0)
        goto restore;
    if (ig->file_rejected)
        diag_note("'%s': %ld record%s rejected by the profile's reject rules (reasons: psyfaith export rejects)",
                  path, ig->file_rejected, ig->file_rejected == 1 ? "" : "s");
    if (ig->opt.skip_bad && ig->file_errors)
        diag_note("'%s': kept the good lines, %ld bad line%s recorded in rejects", ig->path, ig->file_errors,
                  ig->file_errors == 1 ? "" : "s");
    ig->files_done++;
    ig->wide_missing += ig->wide_missing_file;
    traitless_settle(ig, 1);
    ret = 0;
    goto done;
out:
    store_rollback(ig->db);
restore:
    /* Counts describe what the store holds: undo this file's share when it was not kept. */
    memcpy(ig->type_count, before, sizeof before);
    memcpy(ig->status_count, status_before, sizeof status_before);
    memcpy(ig->decision_count, decision_before, sizeof decision_before);
    memcpy(ig->amount_count, amount_before, sizeof amount_before);
    ig->condition_records = condition_before;
    ig->prob_count = probs_before;
    traitless_settle(ig, 0);
done:
    source_hash_stop(&ig->hash);     /* a file given up before its digest */
    if (ig->fk_off && store_exec(ig->db, "PRAGMA foreign_keys = ON") < 0 && ret == 0)
        ret = -1;
    if (ig->bulk)
        writeback_close(&ig->writeback);
    if (ig->bulk && store_bulk_end(ig->db) < 0 && ret == 0)
        ret = -1;
    ig->bulk = ig->fk_off = 0;
    strbuf_reset(&ig->deferred_index);   /* made again, or rolled back with the file */
    ingest_watch_end(ig);
    ig->drop_fd = -1;                    /* closed below */
    strmap_clear(&ig->subjects);   /* a rolled-back file's subjects are gone again */
    strmap_clear(&ig->designs);    /* and so are its designs */
    ig->last_valid = 0;
    if (fd > 0)
        close(fd);
    return ret;
}

void ingest_print_summary(const struct ingest *ig)
{
    if (ig->opt.quiet)
        return;
    fprintf(stderr, "psyfaith: ingested %ld file%s:", ig->files_done, ig->files_done == 1 ? "" : "s");
    int any = 0;
    for (int t = 0; t < N_TYPES; t++)
        if (ig->type_count[t]) {
            fprintf(stderr, "%s %zu %s", any ? "," : "", ig->type_count[t], type_names[t][ig->type_count[t] != 1]);
            any = 1;
        }
    if (!any)
        fputs(" no records", stderr);
    fputc('\n', stderr);
    if (ig->type_count[R_RESPONSE])
        fprintf(stderr, "psyfaith: responses: %ld ok, %ld ambiguous, %ld refusal, %ld unparsed\n",
                ig->status_count[ANSWER_OK], ig->status_count[ANSWER_AMBIGUOUS],
                ig->status_count[ANSWER_REFUSAL], ig->status_count[ANSWER_UNPARSED]);
    if (ig->prob_count)
        fprintf(stderr, "psyfaith: %ld response%s with option probabilities\n", ig->prob_count,
                ig->prob_count == 1 ? "" : "s");
    if (ig->type_count[R_ULTIMATUM])
        fprintf(stderr, "psyfaith: ultimatum decisions: %ld ok, %ld ambiguous, %ld refusal, %ld unparsed\n",
                ig->decision_count[ANSWER_OK], ig->decision_count[ANSWER_AMBIGUOUS],
                ig->decision_count[ANSWER_REFUSAL], ig->decision_count[ANSWER_UNPARSED]);
    if (ig->type_count[R_THRESHOLD] || ig->type_count[R_OFFER])
        fprintf(stderr, "psyfaith: amounts (thresholds and offers): %ld ok, %ld ambiguous, %ld refusal, %ld unparsed\n",
                ig->amount_count[ANSWER_OK], ig->amount_count[ANSWER_AMBIGUOUS],
                ig->amount_count[ANSWER_REFUSAL], ig->amount_count[ANSWER_UNPARSED]);
    if (ig->wide_missing)
        fprintf(stderr, "psyfaith: %s: %ld answers missing\n", ig->opt.wide ? "wide table" : "repetition columns",
                ig->wide_missing);
    if (ig->condition_records)
        fprintf(stderr, "psyfaith: %ld record%s with a condition\n", ig->condition_records,
                ig->condition_records == 1 ? "" : "s");
    if (ig->traitless_count)
        fprintf(stderr, "psyfaith: %ld persona%s without a trait (not TRAIT=LEVEL; kept as named personas)\n",
                ig->traitless_count, ig->traitless_count == 1 ? "" : "s");
}
