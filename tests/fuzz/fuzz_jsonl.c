/* tests/fuzz/fuzz_jsonl.c -- the JSONL reader and record validation: each input is a log file,
 * ingested through the real path (reader thread, validation of the six record types, writer, one
 * transaction) into an in-memory store, in three ways:
 *   native   the native record format, --skip-bad (bad lines become rejects, good ones stay)
 *   mapped   an OpenAI-batch style mapping: JSON Pointers, constants, --extract regexes
 *   document the bytes as one JSON document (--format json) with PersonaLLM's --answers-regex
 * After each: all of the file or none of it is stored, and no transaction is left open. */
#include "tests/fuzz/fuzz.h"

static const char *const mapped_profile[] = {
    "map answer=/response/body/choices/0/message/content",
    "map model=/response/body/model",
    "extract temperature=custom_id~(?:^|;)temperature=([0-9.]+)",
    "extract persona=custom_id~(?:^|;)persona=([^;]+)",
    "extract rep=custom_id~(?:^|;)rep=(\\d+)",
    "extract item=custom_id~(?:^|;)item=([^;]+)",
    "set instrument=IPIP-50",
    "set option_order=descending",
    NULL,
};

static const char *const document_profile[] = {
    "map persona=persona_encoding",
    "map rep=iteration",
    "map answer=annotation",
    "set instrument=PersonaLLM-BFI",
    "set temperature=0.7",
    "set model=gpt-4-0613",
    "answers-regex \\((?<item>[a-z]{1,2})\\)\\s*(?<answer>[^\\n(]*)",
    NULL,
};

static struct fuzz_mode modes[] = {
    { "native", NULL, 1, "jsonl", NULL, NULL },
    { "mapped", mapped_profile, 0, "jsonl", NULL, NULL },
    { "document", document_profile, 1, "json", NULL, NULL },
};

FUZZ_TARGET(jsonl)
{
    const char *path = fuzz_write_input(data, size, ".jsonl");
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        fuzz_ingest(&modes[i], path);
    return 0;
}
