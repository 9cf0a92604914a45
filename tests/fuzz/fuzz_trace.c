/* Fuzz target: the trace reader (nt_trace_read_buffer) and trace events
 * (nt_event_parse, nt_event_to_json).
 *
 * Input layout: byte 0 selects the filters (byte % 8: 0 and 5-7 = NULL, i.e.
 * GraalVM's defaults; 1-4 = nt_filter_set_new(builtin_caller, heuristic) with
 * (0,0), (1,0), (0,1), (1,1); the ASCII digits '0'..'7' map the same way);
 * the rest is the trace file text, passed without a terminating NUL.
 *
 * Checks: no crash, leak or sanitizer report; a failed read reports at least
 * one error; the config a successful read produces survives the write / read
 * / write round trip of every file kind (fuzz_roundtrip.h); and each line of
 * the input that nt_event_parse accepts (a trailing ',' removed, as in
 * GraalVM's array layout) gives JSON that parses again to the same JSON:
 * to_json(parse(to_json(parse(line)))) == to_json(parse(line)). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_roundtrip.h"
#include "nitrace/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FUZZ_MAX_LINES = 64 };

static void fuzz_event_round_trip(const char *line, size_t len)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_event *e = NULL;
    nt_status st = nt_event_parse(line, len, "line", &e, &d);
    fuzz_touch_diags(&d);
    if (st != NT_OK) {
        if (e != NULL)
            fuzz_fail("fuzz_trace", "nt_event_parse failed but returned an event", 0, NULL, NULL,
                      &d);
        if (d.count == d.warnings)
            fuzz_fail("fuzz_trace", "nt_event_parse failed without an error diagnostic", 0, NULL,
                      NULL, &d);
        nt_diags_free(&d);
        return;
    }
    if (e == NULL)
        fuzz_fail("fuzz_trace", "nt_event_parse returned NT_OK and no event", 0, NULL, NULL, &d);
    char *first = nt_event_to_json(e);
    if (first == NULL) {
        if (e->tracer != NULL)
            fuzz_fail("fuzz_trace", "nt_event_to_json returned NULL for a parsed event", 0, NULL,
                      NULL, &d);
        nt_event_free(e);
        nt_diags_free(&d);
        return;
    }
    nt_event *e2 = NULL;
    st = nt_event_parse(first, strlen(first), "to_json", &e2, &d);
    if (st != NT_OK || e2 == NULL)
        fuzz_fail("fuzz_trace", "nt_event_to_json output does not parse", 0, first, NULL, &d);
    char *second = nt_event_to_json(e2);
    if (second == NULL || strcmp(first, second) != 0)
        fuzz_fail("fuzz_trace", "to_json(parse(to_json(e))) differs from to_json(e)", 0, first,
                  second, &d);
    free(second);
    free(first);
    nt_event_free(e2);
    nt_event_free(e);
    nt_diags_free(&d);
}

static void fuzz_event_lines(const char *text, size_t len)
{
    size_t pos = 0;
    for (int n = 0; n < FUZZ_MAX_LINES && pos < len; n++) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t l = end - pos;
        while (l > 0 && (text[pos + l - 1] == '\r' || text[pos + l - 1] == ' ' ||
                         text[pos + l - 1] == '\t'))
            l--;
        if (l > 0 && text[pos + l - 1] == ',')
            l--;
        if (l > 0 && text[pos] == '{')
            fuzz_event_round_trip(text + pos, l);
        pos = end + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned mode = data[0] % 8;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    nt_filter_set *fs = NULL;
    if (mode >= 1 && mode <= 4) {
        fs = nt_filter_set_new((int)((mode - 1) & 1), (int)(((mode - 1) >> 1) & 1));
        if (fs == NULL)
            abort();
    }
    nt_config *c = nt_config_new();
    if (c == NULL)
        abort();
    nt_diags d;
    nt_diags_init(&d);
    nt_status st = nt_trace_read_buffer(c, text, len, "fuzz-trace.json", fs, &d);
    fuzz_touch_diags(&d);
    if (st == NT_OK)
        fuzz_round_trip_all("fuzz_trace", c);
    else if (d.count == d.warnings)
        fuzz_fail("fuzz_trace", "trace read failed without an error diagnostic", (int)mode, NULL,
                  NULL, &d);
    nt_diags_free(&d);
    nt_config_free(c);
    if (fs != NULL)
        nt_filter_set_free(fs);

    fuzz_event_lines(text, len);
    return 0;
}
