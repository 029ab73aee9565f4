/* ingest/pointer.h -- RFC 6901 JSON Pointer look-up over cJSON.  Debian's libcjson-dev (1.7.15)
 * ships without cJSON_Utils, so this small resolver stands in for cJSONUtils_GetPointer.
 *
 * Pure: no allocation, no output, no state.  Results point into the caller's cJSON tree and live
 * as long as it does (during ingest, until the record's arena is reset: json_arena.h). */
#ifndef PSYFAITH_POINTER_H
#define PSYFAITH_POINTER_H
#include <cjson/cJSON.h>

/* A member name that an object holds twice (cJSON keeps both; which one a look-up finds is an
 * accident of the parser, so psyfaith takes neither): positions are 1-based among the members. */
struct json_dup {
    char name[256];
    int first, second;      /* second 0: no duplicate */
};

/* The member `name` of object `obj`, or NULL.  When the object holds that name twice, *dup says
 * where (dup may be NULL); the first is returned.  Linear in the object's size. */
const cJSON *json_member(const cJSON *obj, const char *name, struct json_dup *dup);

/* The value at `pointer` ("" = the root, "/a/0/b~1c" = member "b/c" of element 0 of "a"), or
 * NULL when there is none or the pointer is malformed.  A duplicate member name met on the way is
 * reported in *dup (may be NULL) and the look-up stops there (NULL).  Borrows `root`. */
const cJSON *json_pointer_get(const cJSON *root, const char *pointer, struct json_dup *dup);

/* NULL when `pointer` is well formed, else why not (a static string): a bad "~" escape or a token
 * too long.  Checked where a pointer is given, so that a typo is named there and is never read
 * as a field missing from every record. */
const char *json_pointer_check(const char *pointer);
#endif
