/* Fuzz target: filter-file parsing (nt_filter_set_add_buffer) and matching
 * (nt_filter_accepts_caller / nt_filter_accepts_access).
 *
 * Input layout: byte 0 selects the chain and the built-in filters
 * (bit 0: 0 = caller chain, 1 = access chain; bit 1: built-in caller filter;
 * bit 2: heuristic filter; the ASCII digits '0'..'7' give every combination);
 * the rest is the filter file text, passed without a terminating NUL.
 *
 * Probe names: a fixed list of class names plus every JSON string of the
 * input (first 32), stripped of "*" so that patterns become names of their
 * own package.
 *
 * Checks: no crash, leak or sanitizer report; a failed add reports at least
 * one error and leaves the set as it was ("on error nothing of the file is
 * added": every probe gets the same verdict as from a set without the file);
 * adding an accepted file a second time changes no verdict (rules are
 * last-match-wins and regex rules are a union, so a repeated file is a no-op). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_roundtrip.h"
#include "nitrace/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FUZZ_MAX_PROBES = 64, FUZZ_MAX_PROBE_LEN = 256 };

static const char *const fuzz_fixed_probes[] = {
    "java.lang.String",
    "java.util.Collections",
    "com.foo.Bar",
    "com.foo.bar.Baz",
    "com.foo.bar.baz.Qux",
    "com.foo.Gen$$Generated12",
    "Main",
    "a.B$C",
    "[Ljava.lang.String;",
    "jdk.vm.ci.Foo",
    "sun.reflect.Generated",
    "clojure.lang.RT",
    "",
};

typedef struct fuzz_probes {
    char names[FUZZ_MAX_PROBES][FUZZ_MAX_PROBE_LEN];
    size_t n;
} fuzz_probes;

static void fuzz_probe_add(fuzz_probes *p, const char *s, size_t len)
{
    if (p->n >= FUZZ_MAX_PROBES)
        return;
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < FUZZ_MAX_PROBE_LEN; i++) {
        if (s[i] == '*' || s[i] == '\0')
            continue;
        p->names[p->n][o++] = s[i];
    }
    /* "p.**" -> "p." -> "p.X": a class of that package. */
    if (o > 0 && p->names[p->n][o - 1] == '.' && o + 2 < FUZZ_MAX_PROBE_LEN)
        p->names[p->n][o++] = 'X';
    p->names[p->n][o] = '\0';
    p->n++;
}

/* Fixed names plus the input's quoted strings (escapes left as they are). */
static void fuzz_collect_probes(fuzz_probes *p, const char *text, size_t len)
{
    p->n = 0;
    for (size_t i = 0; i < sizeof fuzz_fixed_probes / sizeof fuzz_fixed_probes[0]; i++)
        fuzz_probe_add(p, fuzz_fixed_probes[i], strlen(fuzz_fixed_probes[i]));
    size_t i = 0;
    while (i < len && p->n < FUZZ_MAX_PROBES) {
        if (text[i] != '"') {
            i++;
            continue;
        }
        size_t start = ++i;
        while (i < len && text[i] != '"') {
            if (text[i] == '\\' && i + 1 < len)
                i++;
            i++;
        }
        fuzz_probe_add(p, text + start, (i < len ? i : len) - start);
        i++;
    }
}

/* One bit per probe and question: caller chain, access chain. */
static void fuzz_verdicts(const nt_filter_set *s, const fuzz_probes *p, unsigned char *out)
{
    for (size_t i = 0; i < p->n; i++) {
        out[2 * i] = (unsigned char)(nt_filter_accepts_caller(s, p->names[i]) != 0);
        out[2 * i + 1] = (unsigned char)(nt_filter_accepts_access(s, p->names[i]) != 0);
    }
}

static void fuzz_compare(const fuzz_probes *p, const unsigned char *a, const unsigned char *b,
                         const char *what, int mode)
{
    for (size_t i = 0; i < 2 * p->n; i++) {
        if (a[i] != b[i]) {
            fprintf(stderr, "fuzz_filter: probe \"%s\" (%s chain): %d vs %d\n", p->names[i / 2],
                    i % 2 ? "access" : "caller", a[i], b[i]);
            fuzz_fail("fuzz_filter", what, mode, NULL, NULL, NULL);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned mode = data[0] % 8;
    int which = (mode & 1) ? NT_FILTER_ACCESS : NT_FILTER_CALLER;
    int builtin_caller = (mode >> 1) & 1, heuristic = (mode >> 2) & 1;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    static fuzz_probes probes;
    static unsigned char before[2 * FUZZ_MAX_PROBES], after[2 * FUZZ_MAX_PROBES],
        twice[2 * FUZZ_MAX_PROBES];
    fuzz_collect_probes(&probes, text, len);

    nt_filter_set *s = nt_filter_set_new(builtin_caller, heuristic);
    if (s == NULL)
        abort();
    fuzz_verdicts(s, &probes, before);
    (void)nt_filter_heuristic(s);

    nt_diags d;
    nt_diags_init(&d);
    nt_status st = nt_filter_set_add_buffer(s, text, len, "fuzz-filter.json", which, &d);
    fuzz_touch_diags(&d);
    fuzz_verdicts(s, &probes, after);
    if (st != NT_OK) {
        if (d.count == d.warnings)
            fuzz_fail("fuzz_filter", "add failed without an error diagnostic", (int)mode, NULL,
                      NULL, &d);
        fuzz_compare(&probes, before, after, "a rejected filter file changed the set", (int)mode);
    } else {
        nt_status st2 = nt_filter_set_add_buffer(s, text, len, "fuzz-filter.json", which, &d);
        if (st2 != NT_OK)
            fuzz_fail("fuzz_filter", "a filter file accepted once is rejected the second time",
                      (int)mode, NULL, NULL, &d);
        fuzz_verdicts(s, &probes, twice);
        fuzz_compare(&probes, after, twice, "adding the same filter file twice changed a verdict",
                     (int)mode);
    }
    for (size_t i = 0; i < probes.n; i++)
        (void)nt_filter_accepts_callerless(probes.names[i]);
    nt_diags_free(&d);
    nt_filter_set_free(s);
    return 0;
}
