/* ingest/json_arena.h -- cJSON's allocations during ingest come from a bump arena released per record.
 * cJSON allocates every node and string with malloc and frees them one by one; for a record of a few
 * hundred bytes that was a tenth of ingest time.  cJSON offers allocation hooks for exactly this.
 * The hooks are process-wide: only one thread may parse JSON between begin and end (the ingest
 * reader does). */
#ifndef PSYFAITH_JSON_ARENA_H
#define PSYFAITH_JSON_ARENA_H

void json_arena_begin(void);   /* installs the hooks */
void json_arena_reset(void);   /* releases everything parsed since the last reset, at once */
void json_arena_end(void);     /* restores malloc/free and returns the arena's memory */

#endif
