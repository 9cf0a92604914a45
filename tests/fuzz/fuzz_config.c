/* Fuzz target: config readers and writers (nt_read_buffer, nt_write_string).
 *
 * Input layout: byte 0 selects the file kind (byte % 8: 0 = NT_FILE_UNKNOWN,
 * 1 = REFLECT, 2 = JNI, 3 = RESOURCE, 4 = PROXY, 5 = SERIALIZATION,
 * 6 = PREDEFINED, 7 = COMBINED; the ASCII digits '0'..'7' map to the same
 * kinds, so seed files read as "1[{\"name\":\"a.B\"}]"); the rest is the file
 * text, passed without a terminating NUL.
 *
 * Checks: no crash, leak or sanitizer report; a failed read reports at least
 * one error; after a successful read, every kind is written with
 * nt_write_string, each output reads back without error as that kind, and
 * writing the re-read config gives the same text (abort() otherwise, so
 * libFuzzer and the replay driver report it). */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_roundtrip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const nt_file_kind fuzz_read_kinds[8] = {
    NT_FILE_UNKNOWN,    NT_FILE_REFLECT,       NT_FILE_JNI,        NT_FILE_RESOURCE,
    NT_FILE_PROXY,      NT_FILE_SERIALIZATION, NT_FILE_PREDEFINED, NT_FILE_COMBINED,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    nt_file_kind kind = fuzz_read_kinds[data[0] % 8];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    nt_config *c = nt_config_new();
    if (c == NULL)
        abort();
    nt_diags d;
    nt_diags_init(&d);
    nt_status st = nt_read_buffer(c, kind, text, len, "fuzz-input.json", NULL, &d);
    fuzz_touch_diags(&d);
    if (st == NT_OK)
        fuzz_round_trip_all("fuzz_config", c);
    else if (d.count == d.warnings)
        fuzz_fail("fuzz_config", "read failed without an error diagnostic", (int)kind, NULL, NULL,
                  &d);
    nt_diags_free(&d);
    nt_config_free(c);
    return 0;
}
