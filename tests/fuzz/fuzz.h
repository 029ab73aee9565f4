/* tests/fuzz/fuzz.h -- shared by the fuzz harnesses (tests/fuzz/fuzz_*.c).
 *
 * Each harness is one file with one FUZZ_TARGET(name).  Built by `make fuzz` with clang
 * -fsanitize=fuzzer it is libFuzzer's LLVMFuzzerTestOneInput; built with -DFUZZ_REPLAY (by
 * `make check`, any compiler, no fuzzer runtime) it is fuzz_NAME(), which tests/test_fuzz_replay.c
 * calls on every file of tests/fuzz/NAME/seed and tests/fuzz/NAME/regress. */
#ifndef PSYFAITH_FUZZ_H
#define PSYFAITH_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#ifdef FUZZ_REPLAY
#define FUZZ_TARGET(name) int fuzz_##name(const uint8_t *data, size_t size)
#else
#define FUZZ_TARGET(name) int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int fuzz_jsonl(const uint8_t *data, size_t size);
int fuzz_csv(const uint8_t *data, size_t size);
int fuzz_answer(const uint8_t *data, size_t size);
int fuzz_decision(const uint8_t *data, size_t size);
int fuzz_amount(const uint8_t *data, size_t size);
int fuzz_mapping(const uint8_t *data, size_t size);
int fuzz_persona(const uint8_t *data, size_t size);
int fuzz_audit(const uint8_t *data, size_t size);   /* built when metrics/audit_claims.c exists */

/* One in-memory store per process, created on first use with the bundled item banks and norms,
 * like `psyfaith init`.  Never NULL (aborts when the store cannot be made). */
sqlite3 *fuzz_store(void);
/* Deletes everything an ingest stored (sources and their rows, subjects, rejects), so that the
 * next input starts from the freshly initialised store. */
void fuzz_store_reset(sqlite3 *db);
/* Rows stored by ingests: sources + subjects + rows of every record table + rejects. */
long fuzz_store_rows(sqlite3 *db);
/* Writes an input to this process's temporary file for `suffix` (".jsonl", ".csv", ...) and
 * returns a path to it: /proc/self/fd/N on Linux (the file has no name left, so the path carries
 * no extension: give the format), else the file's name, removed at exit. */
const char *fuzz_write_input(const void *data, size_t size, const char *suffix);

/* One way of ingesting: a mapping given as profile lines, and the options of `psyfaith ingest`. */
struct mapping;
struct ingest;
struct fuzz_mode {
    const char *name;
    const char *const *profile;     /* NULL-terminated profile lines, or NULL */
    int skip_bad;
    const char *format;             /* jsonl csv json: forced, since the file name is a temp name */
    struct mapping *map;            /* made on first use, kept for the process */
    struct ingest *ig;
};
/* The mode's mapping and ingest run, made on first use (aborts when they cannot be made). */
struct ingest *fuzz_mode_ready(struct fuzz_mode *mode);
/* Ingests the file at `path` the way `mode` says, into fuzz_store(), through ingest_file() -- the
 * reader thread, validation, the writer and the per-file transaction -- then checks that the store
 * holds all of the file or none of it, with no transaction left open, and resets the store. */
int fuzz_ingest(struct fuzz_mode *mode, const char *path);

/* A property every input must keep; a violation aborts, which libFuzzer reports as a crash. */
#define FUZZ_ASSERT(c) ((c) ? (void)0 : fuzz_fail(#c, __FILE__, __LINE__))
void fuzz_fail(const char *what, const char *file, int line) __attribute__((noreturn));

#endif
