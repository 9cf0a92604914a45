/* nitrace core: counts of a config's entries.
 *
 * reflection_types counts class entries of the reflection set; proxy and
 * lambda entries of that set are counted in proxies / lambdas instead.
 * reflection_methods / reflection_fields count the members of every
 * reflection entry (jni_* likewise for the jni set).  serialization_types
 * counts every serialization entry (classes and proxies).
 *
 * packages: every type entry of every set (reflection, jni, serialization,
 * lambda capturing) counts once under the first dot-separated segment of its
 * class name ("java.lang.String" -> "java", "Foo" -> "Foo",
 * "int[]" -> "int[]"); proxies count under "(proxy)", lambdas under their
 * declaring class. Sorted by count (descending), then name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nitrace/map.h"
#include "nitrace/ops.h"

static int count_type(nt_map *pkgs, const nt_type *t)
{
    char buf[256];
    const char *pkg;
    if (t->td.kind == NT_TD_PROXY) {
        pkg = "(proxy)";
    } else {
        const char *name = t->td.name ? t->td.name : "";
        size_t len = strcspn(name, ".");
        if (len >= sizeof buf)
            len = sizeof buf - 1;
        memcpy(buf, name, len);
        buf[len] = '\0';
        pkg = buf;
    }
    uintptr_t n = (uintptr_t)nt_map_get(pkgs, pkg);
    return nt_map_put(pkgs, pkg, (void *)(n + 1));
}

static int pkg_cmp(const void *x, const void *y)
{
    const nt_stat_pkg *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->package, b->package);
}

static void count_members(const nt_typeset *s, size_t *methods, size_t *fields)
{
    for (size_t i = 0; i < s->count; i++) {
        *methods += s->items[i]->n_methods;
        *fields += s->items[i]->n_fields;
    }
}

nt_status nt_config_stats(const nt_config *c, nt_stats *out)
{
    if (!c || !out)
        return NT_ERR_INVAL;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < c->reflection.count; i++) {
        switch (c->reflection.items[i]->td.kind) {
        case NT_TD_CLASS: out->reflection_types++; break;
        case NT_TD_PROXY: out->proxies++; break;
        case NT_TD_LAMBDA: out->lambdas++; break;
        }
    }
    count_members(&c->reflection, &out->reflection_methods, &out->reflection_fields);
    out->jni_types = c->jni.count;
    count_members(&c->jni, &out->jni_methods, &out->jni_fields);
    out->serialization_types = c->serialization.count;
    out->lambda_capturing_types = c->lambda_capturing.count;
    for (size_t i = 0; i < c->n_resources; i++) {
        switch (c->resources[i].kind) {
        case NT_RES_GLOB: out->resource_globs++; break;
        case NT_RES_PATTERN: out->resource_patterns++; break;
        case NT_RES_EXCLUDE: out->resource_excludes++; break;
        }
    }
    out->bundles = c->n_bundles;
    out->predefined_classes = c->n_predefined;
    out->foreign_entries =
        c->foreign_downcalls.n + c->foreign_upcalls.n + c->foreign_direct_upcalls.n;

    nt_map pkgs;
    nt_map_init(&pkgs);
    const nt_typeset *sets[] = {&c->reflection, &c->jni, &c->serialization, &c->lambda_capturing};
    for (size_t k = 0; k < sizeof sets / sizeof *sets; k++)
        for (size_t i = 0; i < sets[k]->count; i++)
            if (count_type(&pkgs, sets[k]->items[i]) != 0)
                goto nomem;
    if (pkgs.count) {
        out->packages = calloc(pkgs.count, sizeof *out->packages);
        if (!out->packages)
            goto nomem;
        const char *key;
        void *val;
        for (size_t pos = 0; (pos = nt_map_next(&pkgs, pos, &key, &val)) != 0;) {
            nt_stat_pkg *p = &out->packages[out->n_packages];
            p->package = strdup(key);
            if (!p->package)
                goto nomem;
            p->count = (size_t)(uintptr_t)val;
            out->n_packages++;
        }
        qsort(out->packages, out->n_packages, sizeof *out->packages, pkg_cmp);
    }
    nt_map_free(&pkgs);
    return NT_OK;
nomem:
    nt_map_free(&pkgs);
    nt_stats_free(out);
    return NT_ERR_NOMEM;
}

void nt_stats_free(nt_stats *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_packages; i++)
        free(s->packages[i].package);
    free(s->packages);
    memset(s, 0, sizeof *s);
}
