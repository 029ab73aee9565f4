/* ingest/pointer.h -- RFC 6901 JSON Pointer look-up over cJSON.  Debian's libcjson-dev (1.7.15)
 * ships without cJSON_Utils, so this small resolver stands in for cJSONUtils_GetPointer. */
#ifndef PSYFAITH_POINTER_H
#define PSYFAITH_POINTER_H
#include <cjson/cJSON.h>

/* The value at `pointer` ("" = the root, "/a/0/b~1c" = member "b/c" of element 0 of "a"), or
 * NULL when there is none or the pointer is malformed.  Borrows `root`. */
const cJSON *json_pointer_get(const cJSON *root, const char *pointer);

/* NULL when `pointer` is well formed, else why not (a static string): a bad "~" escape or a token
 * too long.  Checked where a pointer is given, so that a typo is named there and is never read
 * as a field missing from every record. */
const char *json_pointer_check(const char *pointer);
#endif
