/* Fuzz target: the agent's class-file parser and rewriter (agent/classfile.c: cf_parse,
 * cf_instrument, cf_hook_descriptor, cf_method_has_annotation). The agent runs it inside other
 * people's JVMs on every class the ClassFileLoadHook sees, so hostile bytes must give an error
 * status, never a crash.
 *
 * Input layout: byte 0 selects the hook specs (bit 0: CF_HOOK_ERASE_REFS on every spec; bit 1:
 * CF_HOOK_CALLER on every spec; bit 2: only every other method; bit 3: a long hook class name;
 * bits 4-7 unused); the rest is the class file.
 *
 * Checks: no crash, leak or sanitizer report, and for a class that parses
 *  - an error status always comes with a message, and no output;
 *  - a successful instrumentation yields a class file that parses again, with the same name,
 *    version and method list (names, descriptors, flags); every applied method's code grew by a
 *    positive multiple of 4 and max_stack did not shrink; every other method is unchanged;
 *  - done[] marks exactly the specs whose method exists;
 *  - no spec applied means no output. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FZ_MAX_SPECS = 64, FZ_MAX_NAME = 300 };

__attribute__((noreturn)) static void fz_fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_classfile: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

static void fz_check_err(cf_status st, const char *err, size_t err_size)
{
    if (st == CF_OK)
        return;
    if (memchr(err, '\0', err_size) == NULL || err[0] == '\0')
        fz_fail("an error status without a message", cf_status_str(st));
    if (cf_status_str(st) == NULL)
        fz_fail("cf_status_str returned NULL", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned mode = data[0];
    const uint8_t *cls_bytes = data + 1;
    size_t cls_len = size - 1;

    cf_class *c = NULL;
    char err[256];
    memset(err, 'x', sizeof err);
    cf_status st = cf_parse(cls_bytes, cls_len, &c, err, sizeof err);
    fz_check_err(st, err, sizeof err);
    if (st != CF_OK) {
        if (c != NULL)
            fz_fail("cf_parse failed but returned a class", err);
        return 0;
    }
    if (c == NULL)
        fz_fail("cf_parse succeeded without a class", NULL);
    if (cf_class_name(c) == NULL)
        fz_fail("a parsed class has no name", NULL);

    static cf_hook_spec specs[FZ_MAX_SPECS];
    static char names[FZ_MAX_SPECS][FZ_MAX_NAME], descs[FZ_MAX_SPECS][FZ_MAX_NAME];
    static size_t spec_method[FZ_MAX_SPECS];
    static char hook_names[FZ_MAX_SPECS][16];
    size_t ns = 0;
    unsigned flags = (mode & 1u ? CF_HOOK_ERASE_REFS : 0u) | (mode & 2u ? CF_HOOK_CALLER : 0u);
    size_t nm = cf_method_count(c);
    for (size_t i = 0; i < nm; i++) {
        cf_method_info mi;
        if (cf_method_at(c, i, &mi) != 0)
            fz_fail("cf_method_at refused an index below cf_method_count", NULL);
        int cs = cf_method_has_annotation(c, i, CF_CALLER_SENSITIVE);
        if (ns >= FZ_MAX_SPECS || mi.name_len >= FZ_MAX_NAME || mi.desc_len >= FZ_MAX_NAME)
            continue;
        /* what the agent never asks for (it would be refused, and the whole call with it) */
        if (!mi.has_code || ((flags & CF_HOOK_CALLER) && !cs))
            continue;
        if ((mode & 4u) && (i % 2))
            continue;
        memcpy(names[ns], mi.name, mi.name_len);
        names[ns][mi.name_len] = '\0';
        memcpy(descs[ns], mi.desc, mi.desc_len);
        descs[ns][mi.desc_len] = '\0';
        if (strlen(names[ns]) != mi.name_len || strlen(descs[ns]) != mi.desc_len)
            continue; /* a NUL inside a name: not something a spec can name */
        if (cf_find_method(c, names[ns], descs[ns]) != (long)i)
            continue; /* the same name and descriptor twice (a mutated file) */
        char *hd = cf_hook_descriptor(cf_class_name(c), names[ns], descs[ns],
                                      (mi.access_flags & 0x0008) != 0, flags);
        free(hd);
        snprintf(hook_names[ns], sizeof hook_names[ns], "h%zu", ns);
        specs[ns].method_name = names[ns];
        specs[ns].method_desc = descs[ns];
        specs[ns].hook_name = hook_names[ns];
        specs[ns].flags = flags;
        specs[ns].hook_class = (ns & 1) ? "fz/OtherHooks" : NULL;
        spec_method[ns] = i;
        ns++;
    }
    if (cf_method_at(c, nm, &(cf_method_info){0}) == 0)
        fz_fail("cf_method_at accepted the index cf_method_count", NULL);

    const char *hook_class =
        (mode & 8u) ? "org/example/a/rather/long/package/name/for/the/NitraceHookClass" : "H";
    uint8_t *out = NULL;
    size_t out_len = 0;
    int done[FZ_MAX_SPECS];
    memset(err, 'x', sizeof err);
    cf_status ist = cf_instrument(c, hook_class, specs, ns, &out, &out_len, done, err, sizeof err);
    fz_check_err(ist, err, sizeof err);
    if (ist != CF_OK) {
        if (out != NULL || out_len != 0)
            fz_fail("cf_instrument failed but produced output", err);
        cf_class_free(c);
        return 0;
    }
    size_t applied = 0;
    for (size_t k = 0; k < ns; k++) {
        if (done[k] != 1)
            fz_fail("a spec naming an existing method was not applied", names[k]);
        applied++;
    }
    if (applied == 0) {
        if (out != NULL || out_len != 0)
            fz_fail("output without any applied spec", NULL);
        cf_class_free(c);
        return 0;
    }
    if (out == NULL || out_len == 0)
        fz_fail("specs applied but no output", NULL);

    cf_class *c2 = NULL;
    cf_status st2 = cf_parse(out, out_len, &c2, err, sizeof err);
    if (st2 != CF_OK)
        fz_fail("the rewritten class does not parse", err);
    if (strcmp(cf_class_name(c), cf_class_name(c2)) != 0 ||
        cf_major_version(c) != cf_major_version(c2) || cf_minor_version(c) != cf_minor_version(c2))
        fz_fail("the rewritten class changed its name or version", cf_class_name(c2));
    if (cf_method_count(c2) != nm)
        fz_fail("the rewritten class has another number of methods", NULL);
    if (cf_constant_pool_count(c2) < cf_constant_pool_count(c))
        fz_fail("the rewritten constant pool is smaller", NULL);
    size_t k = 0;
    for (size_t i = 0; i < nm; i++) {
        cf_method_info a, b;
        if (cf_method_at(c, i, &a) != 0 || cf_method_at(c2, i, &b) != 0)
            fz_fail("cf_method_at failed on a parsed class", NULL);
        if (a.name_len != b.name_len || memcmp(a.name, b.name, a.name_len) != 0 ||
            a.desc_len != b.desc_len || memcmp(a.desc, b.desc, a.desc_len) != 0 ||
            a.access_flags != b.access_flags || a.has_code != b.has_code)
            fz_fail("a method's name, descriptor or flags changed", NULL);
        while (k < ns && spec_method[k] < i)
            k++;
        int hooked = k < ns && spec_method[k] == i;
        if (hooked) {
            if (!b.has_code || b.code_length <= a.code_length ||
                (b.code_length - a.code_length) % 4 != 0 || b.max_stack < a.max_stack ||
                b.max_locals != a.max_locals)
                fz_fail("a hooked method's code did not grow by a multiple of 4", names[k]);
        } else if (a.code_length != b.code_length || a.max_stack != b.max_stack ||
                   a.max_locals != b.max_locals) {
            fz_fail("a method that was not hooked changed", NULL);
        }
    }
    cf_class_free(c2);
    free(out);
    cf_class_free(c);
    return 0;
}
