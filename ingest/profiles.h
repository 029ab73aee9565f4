/* ingest/profiles.h -- the shipped profiles: ingest profiles (and the jq programs they name) for other
 * labs' data formats, compiled into the binary from fixtures/profiles by the Makefile (build/shipped_profiles.h),
 * so that `--profile NAME` works from any directory.
 *
 * Owns: finding a profile by file name or shipped name, listing and showing the shipped ones.  A
 * shipped profile's first line is "# NAME: one-line description"; NAME is its file name without
 * ".profile".  A file that exists always wins over a shipped profile of the same name.
 * Errors: 0 / -1 after diag_error() printed why; an unknown name lists the shipped names.
 * Ownership: every string returned is static (the compiled-in text). */
#ifndef PSYFAITH_PROFILES_H
#define PSYFAITH_PROFILES_H

#include <stddef.h>

struct mapping;

/* Loads `spec` into the mapping: the profile file `spec` if one exists, else the shipped profile
 * named `spec` (with or without ".profile"); its jq program, if any, is the shipped one. */
int profile_load(struct mapping *m, const char *spec);

size_t profiles_count(void);
const char *profiles_name(size_t i, char *buf, size_t size);   /* into buf: "openai-batch" */
/* The description after "# NAME: " on the first line (up to its end), and its length. */
const char *profiles_description(size_t i, size_t *len);
/* The whole text of the shipped profile or jq program NAME ("x", "x.profile" or "x.jq"), or NULL. */
const char *profiles_text(const char *name, const char **file);

#endif
