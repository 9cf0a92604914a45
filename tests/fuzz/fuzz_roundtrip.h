/* Shared checks of the fuzz targets (static inline: every fuzz_*.c in this
 * directory is a target of its own, so shared code cannot live in a .c). */
#ifndef NT_FUZZ_ROUNDTRIP_H
#define NT_FUZZ_ROUNDTRIP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nitrace/error.h"
#include "nitrace/io.h"
#include "nitrace/model.h"

/* Format every diagnostic, so the formatting code runs on hostile text too. */
static inline void fuzz_touch_diags(const nt_diags *d)
{
    char buf[2048];
    for (size_t i = 0; i < d->count; i++) {
        memset(buf, 'x', sizeof buf);
        nt_error_format(&d->items[i], buf, sizeof buf);
        if (memchr(buf, '\0', sizeof buf) == NULL)
            abort();
    }
}

/* Report a broken invariant and abort (libFuzzer saves the input). */
__attribute__((noreturn)) static inline void fuzz_fail(const char *target, const char *what,
                                                      int kind, const char *text,
                                                      const char *text2, const nt_diags *d)
{
    char buf[2048];
    fprintf(stderr, "%s: %s (kind %d)\n", target, what, kind);
    if (text)
        fprintf(stderr, "--- first ---\n%s\n", text);
    if (text2)
        fprintf(stderr, "--- second ---\n%s\n", text2);
    if (d) {
        for (size_t i = 0; i < d->count; i++) {
            nt_error_format(&d->items[i], buf, sizeof buf);
            fprintf(stderr, "%s\n", buf);
        }
    }
    abort();
}

/* Write kind from c, read it back as that kind, write again: the read must
 * succeed and both texts must be equal. */
static inline void fuzz_round_trip(const char *target, const nt_config *c, nt_file_kind kind)
{
    nt_diags d;
    nt_diags_init(&d);
    char *first = nt_write_string(c, kind, &d);
    if (first == NULL)
        fuzz_fail(target, "nt_write_string returned NULL", (int)kind, NULL, NULL, &d);
    nt_config *again = nt_config_new();
    if (again == NULL)
        abort();
    nt_status st = nt_read_buffer(again, kind, first, strlen(first), "written", NULL, &d);
    if (st != NT_OK)
        fuzz_fail(target, "written text does not read back", (int)kind, first, NULL, &d);
    char *second = nt_write_string(again, kind, &d);
    if (second == NULL)
        fuzz_fail(target, "nt_write_string returned NULL on the re-read config", (int)kind, first,
                  NULL, &d);
    if (strcmp(first, second) != 0)
        fuzz_fail(target, "write(read(write(c))) differs from write(c)", (int)kind, first, second,
                  &d);
    fuzz_touch_diags(&d);
    free(second);
    free(first);
    nt_config_free(again);
    nt_diags_free(&d);
}

/* The round trip for every kind a config can be written as. */
static inline void fuzz_round_trip_all(const char *target, const nt_config *c)
{
    static const nt_file_kind fuzz_write_kinds[7] = {
        NT_FILE_REFLECT,       NT_FILE_JNI,        NT_FILE_RESOURCE, NT_FILE_PROXY,
        NT_FILE_SERIALIZATION, NT_FILE_PREDEFINED, NT_FILE_COMBINED,
    };
    for (size_t k = 0; k < sizeof fuzz_write_kinds / sizeof fuzz_write_kinds[0]; k++)
        fuzz_round_trip(target, c, fuzz_write_kinds[k]);
}

#endif
