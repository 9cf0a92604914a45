/* nitrace core: deterministic serialization of the model (legacy
 * *-config.json files and the combined reachability-metadata.json, schema
 * v1.2.0) and writing a config directory.
 *
 * Each entry is built as a small jansson tree in the key order GraalVM
 * prints, dumped by jansson (json_dumpb, 2-space indentation) as soon as it is
 * complete, appended to one output buffer and freed; the few containers
 * around the entries are written by the emitter below, which re-indents each
 * dumped entry to its depth. jansson does all escaping and value formatting.
 * (One tree for a whole file, dumped with json_dumps and copied, made a
 * 10 000-entry write allocate, touch and free every node of a ~100 000-node
 * tree plus three copies of the text: about 2.5 times the CPU time and ~2 000
 * page faults per write, where this way adds almost none.) The config is never
 * modified: entries are sorted through arrays of pointers. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "nitrace/io.h"
#include "nitrace/model.h"
#include "fsutil_priv.h"
#include "ops_priv.h"
#include "order_priv.h"

typedef struct wctx {
    nt_diags *d;
    nt_status err;       /* first failure (NT_OK while none) */
    int warned_utf8;
} wctx;

/* How a condition is printed. */
typedef enum cond_style {
    COND_REACHABLE,      /* legacy files: typeReachable, as GraalVM prints them */
    COND_REACHED         /* combined file: always typeReached */
} cond_style;

/* Which part of a file's content is written. */
typedef enum part {
    PART_FULL = 0,       /* nt_write_string: everything the file kind can say */
    PART_LEFTOVERS = 1,  /* combined output: legacy files hold only what v1.2 cannot express */
    PART_LEGACY_DIR = 2  /* legacy output: reachability-metadata.json holds only what the legacy
                            files cannot express (lambdas, foreign, bundles in a module) */
} part;

/* Flags the combined v1.2 file can carry (in the order it prints them). */
static const unsigned combined_flags[] = {
    NT_ALL_DECLARED_FIELDS,       NT_ALL_PUBLIC_FIELDS,  NT_ALL_DECLARED_METHODS,
    NT_ALL_PUBLIC_METHODS,        NT_ALL_DECLARED_CONSTRUCTORS,
    NT_ALL_PUBLIC_CONSTRUCTORS,   NT_UNSAFE_ALLOCATED,
};
#define N_COMBINED_FLAGS (sizeof combined_flags / sizeof combined_flags[0])

static void oom(wctx *w)
{
    if (w->err == NT_OK)
        w->err = NT_ERR_NOMEM;
}

/* ---- JSON building helpers ---------------------------------------------- */

/* Length of the valid UTF-8 sequence at s, 0 when invalid. */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* A JSON string; invalid UTF-8 bytes become U+FFFD (with one warning). */
static json_t *jstr(wctx *w, const char *s)
{
    if (!s)
        s = "";
    json_t *j = json_string(s);
    if (j)
        return j;
    size_t len = strlen(s);
    char *buf = malloc(len * 3 + 1);
    if (!buf) {
        oom(w);
        return NULL;
    }
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = utf8_seq(p);
        if (n) {
            memcpy(buf + o, p, n);
            o += n;
            p += n;
        } else {
            memcpy(buf + o, "\xEF\xBF\xBD", 3);
            o += 3;
            p++;
        }
    }
    buf[o] = '\0';
    j = json_string(buf);
    free(buf);
    if (!j)
        oom(w);
    else if (!w->warned_utf8) {
        w->warned_utf8 = 1;
        nt_diag_warn(w->d, "", 0, 0,
                     "a name is not valid UTF-8; invalid bytes were written as U+FFFD");
    }
    return j;
}

static void oset(wctx *w, json_t *o, const char *key, json_t *v)
{
    if (!v) {
        oom(w);
        return;
    }
    /* keys are this file's ASCII literals or keys jansson parsed: valid UTF-8 */
    if (!o || json_object_set_new_nocheck(o, key, v) != 0)
        oom(w);
}

static void apush(wctx *w, json_t *a, json_t *v)
{
    if (!v) {
        oom(w);
        return;
    }
    if (!a || json_array_append_new(a, v) != 0)
        oom(w);
}

static json_t *jobj(wctx *w)
{
    json_t *o = json_object();
    if (!o)
        oom(w);
    return o;
}

static json_t *jarr(wctx *w)
{
    json_t *a = json_array();
    if (!a)
        oom(w);
    return a;
}

static json_t *strv_json(wctx *w, const nt_strv *s)
{
    json_t *a = jarr(w);
    for (size_t i = 0; a && i < s->n; i++)
        apush(w, a, jstr(w, s->v[i]));
    return a;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A string set (locales, class names, reasons): sorted, duplicates left out,
 * so the output does not depend on the order inputs were merged in. */
static json_t *strset_json(wctx *w, const nt_strv *s)
{
    json_t *a = jarr(w);
    if (!a || s->n == 0)
        return a;
    const char **v = malloc(s->n * sizeof *v);
    if (!v) {
        oom(w);
        return a;
    }
    memcpy(v, s->v, s->n * sizeof *v);
    qsort(v, s->n, sizeof *v, cmp_cstr);
    for (size_t i = 0; i < s->n; i++)
        if (i == 0 || strcmp(v[i], v[i - 1]) != 0)
            apush(w, a, jstr(w, v[i]));
    free(v);
    return a;
}

/* Add key: array only when it has elements (members are omitted when empty). */
static void oset_nonempty(wctx *w, json_t *o, const char *key, json_t *a)
{
    if (a && json_array_size(a) == 0) {
        json_decref(a);
        return;
    }
    oset(w, o, key, a);
}

static void add_condition(wctx *w, json_t *o, const nt_cond *c, cond_style style)
{
    if (!c || c->kind == NT_COND_NONE)
        return;
    const char *key = style == COND_REACHED ? "typeReached" : "typeReachable";
    json_t *cj = jobj(w);
    oset(w, cj, key, jstr(w, c->type));
    oset(w, o, "condition", cj);
}

static void add_reasons_legacy(wctx *w, json_t *o, const nt_strv *r)
{
    if (r->n > 0)
        oset(w, o, "reasons", strset_json(w, r));
}

static void add_reason_combined(wctx *w, json_t *o, const nt_strv *r)
{
    if (r->n == 1)
        oset(w, o, "reason", jstr(w, r->v[0]));
    else if (r->n > 1)
        oset(w, o, "reason", strset_json(w, r));
}

static json_t *proxy_desc_json(wctx *w, const nt_typedesc *td)
{
    json_t *o = jobj(w);
    oset(w, o, "proxy", strv_json(w, &td->ifaces));
    return o;
}

/* The combined-file "type" value. */
static json_t *typedesc_json(wctx *w, const nt_typedesc *td)
{
    if (td->kind == NT_TD_CLASS)
        return jstr(w, td->name);
    if (td->kind == NT_TD_PROXY)
        return proxy_desc_json(w, td);
    json_t *lam = jobj(w);
    oset(w, lam, "declaringClass", jstr(w, td->name));
    if (td->lambda_method) {
        json_t *m = jobj(w);
        oset(w, m, "name", jstr(w, td->lambda_method));
        if (td->lambda_has_params)
            oset(w, m, "parameterTypes", strv_json(w, &td->lambda_params));
        oset(w, lam, "declaringMethod", m);
    }
    oset(w, lam, "interfaces", strv_json(w, &td->ifaces));
    json_t *o = jobj(w);
    oset(w, o, "lambda", lam);
    return o;
}

static json_t *method_json(wctx *w, const nt_method *m)
{
    json_t *o = jobj(w);
    oset(w, o, "name", jstr(w, m->name));
    if (!m->any_params)
        oset(w, o, "parameterTypes", strv_json(w, &m->params));
    return o;
}

/* ---- the output emitter ------------------------------------------------- */

/* Writes the containers around the entries (GraalVM's layout: 2-space
 * indentation, "key": value, [] and {} when empty) and dumps every value
 * through jansson (json_dumpb), re-indented to its depth. Every '\n' in
 * jansson's output is layout (newlines inside strings are escaped), so
 * re-indenting is adding 2 * depth spaces after each one. */
enum { EM_MAX_DEPTH = 8 };

typedef struct emit {
    wctx *w;
    char *s;                       /* output, NUL-terminated by em_finish */
    size_t len, cap;
    int depth;                     /* open containers */
    size_t count[EM_MAX_DEPTH];    /* members written in each open container */
    char closer[EM_MAX_DEPTH];
    char *scratch;                 /* one value's dump (json_dumpb) */
    size_t scratch_cap;
} emit;

/* Room for n more bytes; 0 after a failure. */
static int em_grow(emit *e, size_t n)
{
    if (e->w->err != NT_OK)
        return 0;
    if (n > e->cap - e->len) {
        size_t nc = e->cap ? e->cap : 65536;
        while (nc - e->len < n) {
            if (nc > SIZE_MAX / 2) {
                oom(e->w);
                return 0;
            }
            nc *= 2;
        }
        char *ns = realloc(e->s, nc);
        if (!ns) {
            oom(e->w);
            return 0;
        }
        e->s = ns;
        e->cap = nc;
    }
    return 1;
}

static inline void em_raw(emit *e, const char *s, size_t n)
{
    if ((n <= e->cap - e->len && e->w->err == NT_OK) || em_grow(e, n)) {
        memcpy(e->s + e->len, s, n);
        e->len += n;
    }
}

/* A newline and the indentation of depth. */
static void em_newline(emit *e, int depth)
{
    static const char spaces[] = "\n                                ";   /* 32 spaces */
    size_t n = 2 * (size_t)depth;
    size_t k = n < 32 ? n : 32;
    em_raw(e, spaces, k + 1);
    for (n -= k; n > 0; n -= k) {
        k = n < 32 ? n : 32;
        em_raw(e, spaces + 1, k);
    }
}

/* Dump v (consumed; NULL means it could not be built) at the current depth:
 * json_dumpb into the scratch buffer, then copied with the indentation of the
 * depth added after each newline. */
static void em_json(emit *e, json_t *v)
{
    if (!v) {
        oom(e->w);
        return;
    }
    const size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY;
    size_t n = e->w->err == NT_OK ? json_dumpb(v, e->scratch, e->scratch_cap, flags) : 0;
    if (n > e->scratch_cap) {      /* did not fit: grow the scratch buffer, dump again */
        size_t nc = n > 16384 ? n : 16384;
        char *ns = realloc(e->scratch, nc);
        if (ns) {
            e->scratch = ns;
            e->scratch_cap = nc;
            n = json_dumpb(v, e->scratch, e->scratch_cap, flags);
        }
        if (!ns || n > e->scratch_cap)
            n = 0;
    }
    json_decref(v);
    if (n == 0) {
        oom(e->w);
        return;
    }
    const char *p = e->scratch, *end = e->scratch + n, *nl;
    while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        em_raw(e, p, (size_t)(nl - p));
        em_newline(e, e->depth);
        p = nl + 1;
    }
    em_raw(e, p, (size_t)(end - p));
}

/* Separator and indentation before the next member of the innermost container. */
static void em_member(emit *e)
{
    if (e->depth == 0)
        return;                    /* the file's root value */
    if (e->count[e->depth - 1]++ > 0)
        em_raw(e, ",", 1);
    em_newline(e, e->depth);
}

/* Open an array ('[') or object ('{') as the current value. */
static void em_open(emit *e, char open)
{
    if (e->depth >= EM_MAX_DEPTH) {
        if (e->w->err == NT_OK)
            e->w->err = nt_diag_add(e->w->d, NT_ERR_INVAL, "", 0, 0,
                                    "this is a bug in the writer", "output nested too deeply");
        return;
    }
    em_raw(e, &open, 1);
    e->count[e->depth] = 0;
    e->closer[e->depth] = open == '[' ? ']' : '}';
    e->depth++;
}

static void em_close(emit *e)
{
    if (e->depth == 0)
        return;                    /* em_open failed (and said so) */
    e->depth--;
    if (e->count[e->depth] > 0)
        em_newline(e, e->depth);
    em_raw(e, &e->closer[e->depth], 1);
}

/* "key": in the innermost (object) container; the value follows. */
static void em_key(emit *e, const char *key)
{
    em_member(e);
    em_json(e, json_string_nocheck(key));
    em_raw(e, ": ", 2);
}

static void em_field(emit *e, const char *key, json_t *v)
{
    em_key(e, key);
    em_json(e, v);
}

static void em_item(emit *e, json_t *v)
{
    em_member(e);
    em_json(e, v);
}

/* The text with its trailing newline (caller frees), or NULL. */
static char *em_finish(emit *e, size_t *len_out)
{
    em_raw(e, "\n", 2);            /* the newline and the terminating NUL */
    free(e->scratch);
    if (e->w->err != NT_OK) {
        free(e->s);
        if (e->w->err == NT_ERR_NOMEM)
            nt_diag_add(e->w->d, NT_ERR_NOMEM, "", 0, 0, "", "out of memory while serializing");
        return NULL;
    }
    if (len_out)
        *len_out = e->len - 1;
    return e->s;
}

/* ---- sorted views ------------------------------------------------------- */

/* Sorted copy of a type set's pointer array (NULL when empty or on NOMEM). */
static nt_type **sorted_types(wctx *w, const nt_typeset *s)
{
    if (s->count == 0)
        return NULL;
    nt_type **v = malloc(s->count * sizeof *v);
    if (!v) {
        oom(w);
        return NULL;
    }
    memcpy(v, s->items, s->count * sizeof *v);
    nt_order_sort_types(v, s->count);
    return v;
}

static const nt_field **sorted_fields(wctx *w, const nt_type *t)
{
    if (t->n_fields == 0)
        return NULL;
    const nt_field **v = malloc(t->n_fields * sizeof *v);
    if (!v) {
        oom(w);
        return NULL;
    }
    for (size_t i = 0; i < t->n_fields; i++)
        v[i] = &t->fields[i];
    qsort(v, t->n_fields, sizeof *v, nt_field_pcmp);
    return v;
}

static const nt_method **sorted_methods(wctx *w, const nt_type *t)
{
    if (t->n_methods == 0)
        return NULL;
    const nt_method **v = malloc(t->n_methods * sizeof *v);
    if (!v) {
        oom(w);
        return NULL;
    }
    for (size_t i = 0; i < t->n_methods; i++)
        v[i] = &t->methods[i];
    qsort(v, t->n_methods, sizeof *v, nt_method_pcmp);
    return v;
}

/* ---- what combined v1.2 cannot express ---------------------------------- */

static int method_is_leftover(const nt_method *m)
{
    return m->level == NT_ACCESSED && m->any_params;
}

static int type_has_leftover(const nt_type *t)
{
    if (t->td.kind == NT_TD_LAMBDA)
        return 0;   /* legacy files cannot carry lambdas either */
    for (size_t i = 0; i < t->n_fields; i++)
        if (t->fields[i].flags)
            return 1;
    for (size_t i = 0; i < t->n_methods; i++)
        if (method_is_leftover(&t->methods[i]))
            return 1;
    return 0;
}

static int set_has_leftover(const nt_typeset *s)
{
    for (size_t i = 0; i < s->count; i++)
        if (type_has_leftover(s->items[i]))
            return 1;
    return 0;
}

static int bundle_is_leftover(const nt_bundle *b)
{
    return b->locales.n > 0 || b->class_names.n > 0;
}

/* A bundle in a named module: only the combined file has a "module" key for
 * bundles (legacy output writes "module:name" when it has to). */
static int bundle_needs_combined(const nt_bundle *b)
{
    return b->module != NULL && !bundle_is_leftover(b);
}

static int has_module_bundles(const nt_config *c)
{
    for (size_t i = 0; i < c->n_bundles; i++)
        if (bundle_needs_combined(&c->bundles[i]))
            return 1;
    return 0;
}

static int resources_have_leftover(const nt_config *c)
{
    for (size_t i = 0; i < c->n_resources; i++)
        if (c->resources[i].kind != NT_RES_GLOB)
            return 1;
    for (size_t i = 0; i < c->n_bundles; i++)
        if (bundle_is_leftover(&c->bundles[i]))
            return 1;
    return 0;
}

static int ser_is_leftover(const nt_type *t)
{
    return t->td.kind == NT_TD_CLASS && t->custom_ctor != NULL;
}

static int serialization_has_leftover(const nt_config *c)
{
    if (c->lambda_capturing.count > 0)
        return 1;
    for (size_t i = 0; i < c->serialization.count; i++)
        if (ser_is_leftover(c->serialization.items[i]))
            return 1;
    return 0;
}

int nt_combined_expresses_all(const nt_config *c)
{
    return !set_has_leftover(&c->reflection) && !set_has_leftover(&c->jni) &&
           !resources_have_leftover(c) && !serialization_has_leftover(c) &&
           c->n_predefined == 0;
}

static int has_lambdas(const nt_typeset *s)
{
    for (size_t i = 0; i < s->count; i++)
        if (s->items[i]->td.kind == NT_TD_LAMBDA)
            return 1;
    return 0;
}

static int has_foreign(const nt_config *c)
{
    return c->foreign_downcalls.n + c->foreign_upcalls.n + c->foreign_direct_upcalls.n > 0;
}

/* ---- legacy reflect-config.json / jni-config.json ----------------------- */

static int is_bare_proxy(const nt_type *t)
{
    return t->td.kind == NT_TD_PROXY && nt_type_is_bare(t);
}

/* One legacy entry. leftovers: only what combined v1.2 cannot express. */
static json_t *legacy_type_json(wctx *w, const nt_type *t, int leftovers)
{
    json_t *o = jobj(w);
    add_condition(w, o, &t->cond, COND_REACHABLE);
    if (t->td.kind == NT_TD_PROXY)
        oset(w, o, "type", proxy_desc_json(w, &t->td));
    else
        oset(w, o, "name", jstr(w, t->td.name));
    if (!leftovers)
        for (unsigned i = 0; i < NT_TYPE_FLAG_COUNT; i++)
            if (t->flags & (1u << i))
                oset(w, o, nt_type_flag_name(1u << i), json_true());

    const nt_field **fs = sorted_fields(w, t);
    json_t *fa = jarr(w);
    for (size_t i = 0; fs && i < t->n_fields; i++) {
        const nt_field *f = fs[i];
        if (leftovers && !f->flags)
            continue;
        json_t *fo = jobj(w);
        oset(w, fo, "name", jstr(w, f->name));
        if (f->flags & NT_FIELD_ALLOW_WRITE)
            oset(w, fo, "allowWrite", json_true());
        if (f->flags & NT_FIELD_ALLOW_UNSAFE_ACCESS)
            oset(w, fo, "allowUnsafeAccess", json_true());
        apush(w, fa, fo);
    }
    free(fs);
    oset_nonempty(w, o, "fields", fa);

    const nt_method **ms = sorted_methods(w, t);
    json_t *ma = jarr(w), *qa = jarr(w);
    for (size_t i = 0; ms && i < t->n_methods; i++) {
        const nt_method *m = ms[i];
        if (leftovers && !method_is_leftover(m))
            continue;
        apush(w, m->level == NT_ACCESSED ? ma : qa, method_json(w, m));
    }
    free(ms);
    oset_nonempty(w, o, "methods", ma);
    oset_nonempty(w, o, "queriedMethods", qa);
    add_reasons_legacy(w, o, &t->reasons);
    return o;
}

static void emit_reflect_like(emit *e, const nt_typeset *s, int is_reflect, int leftovers)
{
    wctx *w = e->w;
    em_open(e, '[');
    nt_type **v = sorted_types(w, s);
    for (size_t i = 0; v && i < s->count; i++) {
        const nt_type *t = v[i];
        if (t->td.kind == NT_TD_LAMBDA)
            continue;                  /* only the combined file can express it */
        if (is_reflect && is_bare_proxy(t))
            continue;                  /* proxy-config.json */
        if (leftovers && !type_has_leftover(t))
            continue;
        em_item(e, legacy_type_json(w, t, leftovers));
    }
    free(v);
    em_close(e);
}

/* ---- proxy-config.json -------------------------------------------------- */

static json_t *proxy_entry_json(wctx *w, const nt_type *t)
{
    json_t *o = jobj(w);
    add_condition(w, o, &t->cond, COND_REACHABLE);
    oset(w, o, "interfaces", strv_json(w, &t->td.ifaces));
    add_reasons_legacy(w, o, &t->reasons);
    return o;
}

static void emit_proxy(emit *e, const nt_config *c)
{
    em_open(e, '[');
    nt_type **v = sorted_types(e->w, &c->reflection);
    for (size_t i = 0; v && i < c->reflection.count; i++)
        if (is_bare_proxy(v[i]))
            em_item(e, proxy_entry_json(e->w, v[i]));
    free(v);
    em_close(e);
}

/* ---- resource-config.json ----------------------------------------------- */

static const nt_resource **sorted_resources(wctx *w, const nt_config *c)
{
    if (c->n_resources == 0)
        return NULL;
    const nt_resource **v = malloc(c->n_resources * sizeof *v);
    if (!v) {
        oom(w);
        return NULL;
    }
    for (size_t i = 0; i < c->n_resources; i++)
        v[i] = &c->resources[i];
    qsort(v, c->n_resources, sizeof *v, nt_resource_pcmp);
    return v;
}

static const nt_bundle **sorted_bundles(wctx *w, const nt_config *c)
{
    if (c->n_bundles == 0)
        return NULL;
    const nt_bundle **v = malloc(c->n_bundles * sizeof *v);
    if (!v) {
        oom(w);
        return NULL;
    }
    for (size_t i = 0; i < c->n_bundles; i++)
        v[i] = &c->bundles[i];
    qsort(v, c->n_bundles, sizeof *v, nt_bundle_pcmp);
    return v;
}

/* "module:text" or text. */
static json_t *module_prefixed(wctx *w, const char *module, const char *text)
{
    if (!module)
        return jstr(w, text);
    size_t n = strlen(module) + strlen(text ? text : "") + 2;
    char *buf = malloc(n);
    if (!buf) {
        oom(w);
        return NULL;
    }
    snprintf(buf, n, "%s:%s", module, text ? text : "");
    json_t *j = jstr(w, buf);
    free(buf);
    return j;
}

/* One resources.includes/excludes entry. */
static json_t *pattern_json(wctx *w, const nt_resource *r)
{
    json_t *o = jobj(w);
    add_condition(w, o, &r->cond, COND_REACHABLE);
    oset(w, o, "pattern", module_prefixed(w, r->module, r->value));
    return o;
}

static void emit_patterns(emit *e, const nt_resource *const *rv, size_t n, nt_res_kind kind)
{
    em_open(e, '[');
    for (size_t i = 0; rv && i < n; i++)
        if (rv[i]->kind == kind)
            em_item(e, pattern_json(e->w, rv[i]));
    em_close(e);
}

static void emit_resource(emit *e, const nt_config *c, part pt)
{
    wctx *w = e->w;
    int leftovers = pt == PART_LEFTOVERS;
    const nt_resource **rv = sorted_resources(w, c);
    em_open(e, '{');
    em_key(e, "resources");
    em_open(e, '{');
    em_key(e, "includes");
    emit_patterns(e, rv, c->n_resources, NT_RES_PATTERN);
    em_key(e, "excludes");
    emit_patterns(e, rv, c->n_resources, NT_RES_EXCLUDE);
    em_close(e);

    em_key(e, "bundles");
    em_open(e, '[');
    const nt_bundle **bv = sorted_bundles(w, c);
    for (size_t i = 0; bv && i < c->n_bundles; i++) {
        const nt_bundle *b = bv[i];
        if (leftovers && !bundle_is_leftover(b))
            continue;
        if (pt == PART_LEGACY_DIR && bundle_needs_combined(b))
            continue;                  /* reachability-metadata.json */
        json_t *o = jobj(w);
        add_condition(w, o, &b->cond, COND_REACHABLE);
        oset(w, o, "name", module_prefixed(w, b->module, b->name));
        if (b->locales.n > 0)
            oset(w, o, "locales", strset_json(w, &b->locales));
        if (b->class_names.n > 0)
            oset(w, o, "classNames", strset_json(w, &b->class_names));
        em_item(e, o);
    }
    free(bv);
    em_close(e);

    em_key(e, "globs");
    em_open(e, '[');
    for (size_t i = 0; rv && !leftovers && i < c->n_resources; i++) {
        const nt_resource *r = rv[i];
        if (r->kind != NT_RES_GLOB)
            continue;
        json_t *o = jobj(w);
        add_condition(w, o, &r->cond, COND_REACHABLE);
        if (r->module)
            oset(w, o, "module", jstr(w, r->module));
        oset(w, o, "glob", jstr(w, r->value));
        em_item(e, o);
    }
    em_close(e);
    em_close(e);
    free(rv);
}

/* ---- serialization-config.json ------------------------------------------ */

static void emit_serialization(emit *e, const nt_config *c, int leftovers)
{
    wctx *w = e->w;
    em_open(e, '{');
    em_key(e, "types");
    em_open(e, '[');
    nt_type **v = sorted_types(w, &c->serialization);
    for (size_t i = 0; v && i < c->serialization.count; i++) {
        const nt_type *t = v[i];
        if (t->td.kind != NT_TD_CLASS)
            continue;                  /* lambdas: combined file; proxies: below */
        if (leftovers && !ser_is_leftover(t))
            continue;
        json_t *o = jobj(w);
        add_condition(w, o, &t->cond, COND_REACHABLE);
        oset(w, o, "name", jstr(w, t->td.name));
        if (t->custom_ctor)
            oset(w, o, "customTargetConstructorClass", jstr(w, t->custom_ctor));
        add_reasons_legacy(w, o, &t->reasons);
        em_item(e, o);
    }
    em_close(e);

    em_key(e, "lambdaCapturingTypes");
    em_open(e, '[');
    nt_type **lv = sorted_types(w, &c->lambda_capturing);
    for (size_t i = 0; lv && i < c->lambda_capturing.count; i++) {
        const nt_type *t = lv[i];
        if (t->td.kind != NT_TD_CLASS)
            continue;
        json_t *o = jobj(w);
        add_condition(w, o, &t->cond, COND_REACHABLE);
        oset(w, o, "name", jstr(w, t->td.name));
        add_reasons_legacy(w, o, &t->reasons);
        em_item(e, o);
    }
    free(lv);
    em_close(e);

    em_key(e, "proxies");
    em_open(e, '[');
    for (size_t i = 0; v && !leftovers && i < c->serialization.count; i++)
        if (v[i]->td.kind == NT_TD_PROXY)
            em_item(e, proxy_entry_json(w, v[i]));
    free(v);
    em_close(e);
    em_close(e);
}

/* ---- predefined-classes-config.json ------------------------------------- */

/* One group per type: {"type", "classes": [{"hash", "nameInfo"?}...]}. */
static void emit_predefined(emit *e, const nt_config *c)
{
    wctx *w = e->w;
    em_open(e, '[');
    const nt_predef **v = c->n_predefined ? malloc(c->n_predefined * sizeof *v) : NULL;
    if (c->n_predefined && !v)
        oom(w);
    for (size_t i = 0; v && i < c->n_predefined; i++)
        v[i] = &c->predefined[i];
    if (v)
        qsort(v, c->n_predefined, sizeof *v, nt_predef_pcmp);
    for (size_t i = 0; v && i < c->n_predefined;) {
        size_t j = i;
        json_t *g = jobj(w), *classes = jarr(w);
        oset(w, g, "type", jstr(w, v[i]->type ? v[i]->type : "agent-extracted"));
        for (; j < c->n_predefined && nt_strcmp_null(v[j]->type, v[i]->type) == 0; j++) {
            json_t *o = jobj(w);
            oset(w, o, "hash", jstr(w, v[j]->hash));
            if (v[j]->name_info)
                oset(w, o, "nameInfo", jstr(w, v[j]->name_info));
            apush(w, classes, o);
        }
        oset(w, g, "classes", classes);
        em_item(e, g);
        i = j;
    }
    free(v);
    em_close(e);
}

/* ---- combined reachability-metadata.json -------------------------------- */

enum { SET_REFLECTION = 0, SET_JNI = 1, SET_SERIALIZATION = 2 };

typedef struct contrib {
    char *tdkey;          /* owned */
    const char *ctype;    /* condition type; NULL: always */
    int set;
    const nt_type *t;
} contrib;

static int contrib_cmp(const void *pa, const void *pb)
{
    const contrib *a = pa, *b = pb;
    int r = strcmp(a->tdkey, b->tdkey);
    if (r)
        return r;
    r = nt_strcmp_null(a->ctype, b->ctype);
    if (r)
        return r;
    return a->set - b->set;
}

typedef struct cvec {
    contrib *v;
    size_t n, cap;
} cvec;

static void cvec_add(wctx *w, cvec *cv, const nt_type *t, int set)
{
    if (cv->n == cv->cap) {
        size_t nc = cv->cap ? cv->cap * 2 : 16;
        contrib *nv = realloc(cv->v, nc * sizeof *nv);
        if (!nv) {
            oom(w);
            return;
        }
        cv->v = nv;
        cv->cap = nc;
    }
    char *k = nt_typedesc_key(&t->td);
    if (!k) {
        oom(w);
        return;
    }
    contrib *e = &cv->v[cv->n++];
    e->tdkey = k;
    e->ctype = t->cond.kind == NT_COND_NONE ? NULL : (t->cond.type ? t->cond.type : "");
    e->set = set;
    e->t = t;
}

static void collect(wctx *w, cvec *cv, const nt_typeset *s, int set, int lambdas_only)
{
    for (size_t i = 0; i < s->count; i++) {
        const nt_type *t = s->items[i];
        if (lambdas_only && t->td.kind != NT_TD_LAMBDA)
            continue;
        if (set == SET_SERIALIZATION && ser_is_leftover(t))
            continue;
        cvec_add(w, cv, t, set);
    }
}

/* Build one combined reflection entry from contributions g[0..n). */
static json_t *combined_entry(wctx *w, const contrib *g, size_t n)
{
    const nt_type *first = g[0].t;
    int is_lambda = first->td.kind == NT_TD_LAMBDA;
    unsigned flags = 0;
    int jni = 0, ser = 0;
    size_t nf = 0, nm = 0;
    for (size_t i = 0; i < n; i++) {
        flags |= g[i].t->flags;
        if (g[i].set == SET_JNI)
            jni = 1;
        if (g[i].set == SET_SERIALIZATION)
            ser = 1;
        nf += g[i].t->n_fields;
        nm += g[i].t->n_methods;
    }
    const nt_field **fs = nf ? malloc(nf * sizeof *fs) : NULL;
    const nt_method **ms = nm ? malloc(nm * sizeof *ms) : NULL;
    if ((nf && !fs) || (nm && !ms)) {
        free(fs);
        free(ms);
        oom(w);
        return NULL;
    }
    nt_strv reasons = {0};
    size_t fi = 0, mi = 0;
    /* A member the entry's flags cover is not listed: one contribution's flags
     * (reflection's) cover another's members (JNI's) once they are one entry,
     * and reading the entry back would drop them: the output would not be the
     * fixed point a write of what was read must be. */
    for (size_t i = 0; i < n; i++) {
        const nt_type *t = g[i].t;
        for (size_t k = 0; k < t->n_fields; k++)
            if (is_lambda || (!t->fields[k].flags &&   /* flagged fields: legacy leftover */
                              !nt_ops_field_covered(flags, &t->fields[k])))
                fs[fi++] = &t->fields[k];
        for (size_t k = 0; k < t->n_methods; k++) {
            const nt_method *m = &t->methods[k];
            if (m->level != NT_ACCESSED)
                continue;                           /* queries are implied in v1.2 */
            if (!is_lambda && nt_ops_method_covered(flags, m))
                continue;
            if (m->any_params) {
                if (is_lambda)
                    nt_diag_warn(w->d, "", 0, 0,
                                 "method %s of a lambda entry has no parameterTypes and "
                                 "cannot be written in any format; left out",
                                 m->name ? m->name : "");
                continue;
            }
            ms[mi++] = m;
        }
        for (size_t k = 0; k < t->reasons.n; k++)
            if (nt_strv_add_unique(&reasons, t->reasons.v[k]) != NT_OK)
                oom(w);
    }
    if (fi > 1)
        qsort(fs, fi, sizeof *fs, nt_field_pcmp);
    if (mi > 1)
        qsort(ms, mi, sizeof *ms, nt_method_pcmp);

    json_t *o = jobj(w);
    add_condition(w, o, &first->cond, COND_REACHED);
    oset(w, o, "type", typedesc_json(w, &first->td));
    for (size_t i = 0; i < N_COMBINED_FLAGS; i++)
        if (flags & combined_flags[i])
            oset(w, o, nt_type_flag_name(combined_flags[i]), json_true());
    if (ser)
        oset(w, o, "serializable", json_true());
    if (jni)
        oset(w, o, "jniAccessible", json_true());
    json_t *fa = jarr(w);
    for (size_t i = 0; i < fi; i++) {
        if (i > 0 && nt_field_cmp(fs[i], fs[i - 1]) == 0)
            continue;
        json_t *fo = jobj(w);
        oset(w, fo, "name", jstr(w, fs[i]->name));
        apush(w, fa, fo);
    }
    oset_nonempty(w, o, "fields", fa);
    json_t *ma = jarr(w);
    for (size_t i = 0; i < mi; i++) {
        if (i > 0 && nt_method_cmp(ms[i], ms[i - 1]) == 0)
            continue;
        apush(w, ma, method_json(w, ms[i]));
    }
    oset_nonempty(w, o, "methods", ma);
    add_reason_combined(w, o, &reasons);
    nt_strv_free(&reasons);
    free(fs);
    free(ms);
    return o;
}

/* "reflection": [...], left out when empty. */
static void emit_combined_reflection(emit *e, const nt_config *c, int lambdas_only)
{
    wctx *w = e->w;
    cvec cv = {0};
    collect(w, &cv, &c->reflection, SET_REFLECTION, lambdas_only);
    collect(w, &cv, &c->jni, SET_JNI, lambdas_only);
    collect(w, &cv, &c->serialization, SET_SERIALIZATION, lambdas_only);
    if (cv.n > 1)
        qsort(cv.v, cv.n, sizeof *cv.v, contrib_cmp);
    if (cv.n > 0) {
        em_key(e, "reflection");
        em_open(e, '[');
        for (size_t i = 0; i < cv.n;) {
            size_t j = i + 1;
            while (j < cv.n && strcmp(cv.v[j].tdkey, cv.v[i].tdkey) == 0 &&
                   nt_strcmp_null(cv.v[j].ctype, cv.v[i].ctype) == 0)
                j++;
            em_item(e, combined_entry(w, &cv.v[i], j - i));
            i = j;
        }
        em_close(e);
    }
    for (size_t i = 0; i < cv.n; i++)
        free(cv.v[i].tdkey);
    free(cv.v);
}

static int combined_has_resource(const nt_resource *r, int module_bundles_only)
{
    return r->kind == NT_RES_GLOB && !module_bundles_only;
}

static int combined_has_bundle(const nt_bundle *b, int module_bundles_only)
{
    return !bundle_is_leftover(b) && (!module_bundles_only || b->module);
}

/* "resources": [globs..., bundles...], left out when empty. */
static void emit_combined_resources(emit *e, const nt_config *c, int module_bundles_only)
{
    wctx *w = e->w;
    size_t n = 0;
    for (size_t i = 0; i < c->n_resources; i++)
        n += (size_t)combined_has_resource(&c->resources[i], module_bundles_only);
    for (size_t i = 0; i < c->n_bundles; i++)
        n += (size_t)combined_has_bundle(&c->bundles[i], module_bundles_only);
    if (n == 0)
        return;
    em_key(e, "resources");
    em_open(e, '[');
    const nt_resource **rv = sorted_resources(w, c);
    for (size_t i = 0; rv && i < c->n_resources; i++) {
        const nt_resource *r = rv[i];
        if (!combined_has_resource(r, module_bundles_only))
            continue;
        json_t *o = jobj(w);
        add_condition(w, o, &r->cond, COND_REACHED);
        if (r->module)
            oset(w, o, "module", jstr(w, r->module));
        oset(w, o, "glob", jstr(w, r->value));
        add_reason_combined(w, o, &r->reasons);
        em_item(e, o);
    }
    free(rv);
    const nt_bundle **bv = sorted_bundles(w, c);
    for (size_t i = 0; bv && i < c->n_bundles; i++) {
        const nt_bundle *b = bv[i];
        if (!combined_has_bundle(b, module_bundles_only))
            continue;
        json_t *o = jobj(w);
        add_condition(w, o, &b->cond, COND_REACHED);
        if (b->module)
            oset(w, o, "module", jstr(w, b->module));
        oset(w, o, "bundle", jstr(w, b->name));
        add_reason_combined(w, o, &b->reasons);
        em_item(e, o);
    }
    free(bv);
    em_close(e);
}

/* A foreign entry with its keys in GraalVM's order (condition, class, method,
 * returnType, parameterTypes, options), other keys after them as stored. */
static json_t *foreign_ordered(wctx *w, json_t *e)
{
    static const char *const order[] = {"condition", "class", "method", "returnType",
                                        "parameterTypes", "options", NULL};
    json_t *o = jobj(w);
    for (size_t i = 0; order[i]; i++) {
        json_t *v = json_object_get(e, order[i]);
        if (v)
            oset(w, o, order[i], json_incref(v));
    }
    const char *k;
    json_t *v;
    json_object_foreach(e, k, v)
    {
        if (!json_object_get(o, k))
            oset(w, o, k, json_incref(v));
    }
    json_decref(e);
    return o;
}

static json_t *foreign_list(wctx *w, const nt_strv *s, const char *what)
{
    json_t *a = jarr(w);
    if (s->n == 0)
        return a;
    char **v = malloc(s->n * sizeof *v);
    if (!v) {
        oom(w);
        return a;
    }
    memcpy(v, s->v, s->n * sizeof *v);
    qsort(v, s->n, sizeof *v, nt_str_pcmp);
    for (size_t i = 0; i < s->n; i++) {
        if (i > 0 && strcmp(v[i], v[i - 1]) == 0)
            continue;
        json_error_t je;
        json_t *e = json_loads(v[i], JSON_REJECT_DUPLICATES, &je);
        if (!e || !json_is_object(e)) {
            json_decref(e);
            if (w->err == NT_OK)
                w->err = nt_diag_add(w->d, NT_ERR_INVAL, "", 0, 0,
                                     "this is a bug in whatever added the entry to the model",
                                     "stored foreign %s entry is not a JSON object: %s", what,
                                     e ? "not an object" : je.text);
            continue;
        }
        apush(w, a, foreign_ordered(w, e));
    }
    free(v);
    return a;
}

/* lambdas_only: the companion file of legacy output (lambdas, foreign,
 * bundles in a module). */
static void emit_combined(emit *e, const nt_config *c, int lambdas_only)
{
    wctx *w = e->w;
    em_open(e, '{');
    if (c->comments.n == 1)
        em_field(e, "comment", jstr(w, c->comments.v[0]));
    else if (c->comments.n > 1)
        em_field(e, "comment", strv_json(w, &c->comments));
    emit_combined_reflection(e, c, lambdas_only);
    emit_combined_resources(e, c, lambdas_only);
    if (has_foreign(c)) {
        json_t *f = jobj(w);
        oset(w, f, "downcalls", foreign_list(w, &c->foreign_downcalls, "downcall"));
        oset(w, f, "upcalls", foreign_list(w, &c->foreign_upcalls, "upcall"));
        oset(w, f, "directUpcalls", foreign_list(w, &c->foreign_direct_upcalls, "directUpcall"));
        em_field(e, "foreign", f);
    }
    em_close(e);
}

/* ---- one file ----------------------------------------------------------- */

static char *write_kind(const nt_config *c, nt_file_kind kind, part pt, nt_diags *d,
                        size_t *len)
{
    wctx w = {d, NT_OK, 0};
    emit e = {.w = &w};
    switch (kind) {
    case NT_FILE_REFLECT: emit_reflect_like(&e, &c->reflection, 1, pt == PART_LEFTOVERS); break;
    case NT_FILE_JNI: emit_reflect_like(&e, &c->jni, 0, pt == PART_LEFTOVERS); break;
    case NT_FILE_RESOURCE: emit_resource(&e, c, pt); break;
    case NT_FILE_PROXY: emit_proxy(&e, c); break;
    case NT_FILE_SERIALIZATION: emit_serialization(&e, c, pt == PART_LEFTOVERS); break;
    case NT_FILE_PREDEFINED: emit_predefined(&e, c); break;
    case NT_FILE_COMBINED: emit_combined(&e, c, pt == PART_LEGACY_DIR); break;
    default:
        nt_diag_add(d, NT_ERR_INVAL, "", 0, 0, "", "cannot write a file of kind %d", (int)kind);
        return NULL;
    }
    return em_finish(&e, len);
}

char *nt_write_string(const nt_config *c, nt_file_kind kind, nt_diags *d)
{
    if (!c) {
        nt_diag_add(d, NT_ERR_INVAL, "", 0, 0, "", "nt_write_string: no config");
        return NULL;
    }
    return write_kind(c, kind, PART_FULL, d, NULL);
}

/* ---- nt_write_dir ------------------------------------------------------- */

typedef struct out_file {
    nt_file_kind kind;
    part pt;
    char *path;
    char *text;
    size_t len;
    int unchanged;        /* the target already holds exactly this text */
} out_file;

/* Does the existing target parse as its kind? (A target that already holds
 * exactly the new text is not parsed again: it is left as it is.) Records the
 * verdict in diags.
 * Returns NT_OK (absent or parsable), NT_ERR_REFUSED, or NT_ERR_NOMEM. */
static nt_status check_target(out_file *f, nt_diags *d)
{
    struct stat st;
    if (lstat(f->path, &st) < 0 && errno == ENOENT)
        return NT_OK;
    char *data = NULL;
    size_t len = 0;
    nt_diags rd;
    nt_diags_init(&rd);
    nt_status st_read = nt_read_whole_file(f->path, 0, &data, &len, &rd);
    if (st_read == NT_OK && f->text && len == f->len && memcmp(data, f->text, len) == 0) {
        /* Exactly the text this writer produces: it parses, and it stays. */
        f->unchanged = 1;
        free(data);
        nt_diags_free(&rd);
        return NT_OK;
    }
    nt_status st_parse = st_read;
    if (st_read == NT_OK) {
        nt_config *scratch = nt_config_new();
        if (!scratch) {
            free(data);
            nt_diags_free(&rd);
            return nt_diag_add(d, NT_ERR_NOMEM, f->path, 0, 0, "", "out of memory");
        }
        st_parse = nt_read_buffer(scratch, f->kind, data, len, f->path, NULL, &rd);
        nt_config_free(scratch);
    }
    if (st_parse == NT_OK) {
        free(data);
        nt_diags_free(&rd);
        return NT_OK;
    }
    free(data);
    /* Pass on what the reader found, then say why nothing is written. */
    for (size_t i = 0; i < rd.count; i++)
        if (rd.items[i].code != NT_OK)
            nt_diag_add(d, rd.items[i].code, rd.items[i].file, rd.items[i].line, rd.items[i].col,
                        rd.items[i].hint, "%s", rd.items[i].msg);
    nt_diags_free(&rd);
    return nt_diag_add(d, NT_ERR_REFUSED, f->path, 0, 0,
                       "fix or move it; nitrace never overwrites a file it cannot parse",
                       "refusing to %s %s: the existing file %s as %s",
                       f->text ? "write" : "remove", f->path,
                       st_read == NT_OK ? "does not parse" : "cannot be read",
                       nt_file_kind_name(f->kind));
}

/* The config files of dir that this write does not produce but native-image
 * would read together with it (the other layout's, a combined file the
 * legacy layout no longer needs): appended to gone (path set, text NULL). */
static size_t obsolete_files(const char *dir, const out_file *files, size_t n, out_file *gone,
                             nt_status *st, nt_diags *d)
{
    static const nt_file_kind all[] = {NT_FILE_REFLECT,       NT_FILE_JNI,   NT_FILE_RESOURCE,
                                       NT_FILE_PROXY,         NT_FILE_SERIALIZATION,
                                       NT_FILE_PREDEFINED,    NT_FILE_COMBINED};
    size_t ng = 0;
    for (size_t k = 0; k < sizeof all / sizeof all[0] && *st == NT_OK; k++) {
        size_t i = 0;
        while (i < n && files[i].kind != all[k])
            i++;
        if (i < n)
            continue;
        char *path = nt_path_join(dir, nt_file_kind_name(all[k]));
        struct stat sb;
        if (!path)
            *st = nt_diag_add(d, NT_ERR_NOMEM, dir, 0, 0, "", "out of memory");
        else if (lstat(path, &sb) == 0)
            gone[ng++] = (out_file){all[k], PART_FULL, path, NULL, 0, 0};
        else
            free(path);
    }
    return ng;
}

nt_status nt_write_dir(const nt_config *c, const char *dir, nt_format fmt, nt_diags *d)
{
    if (!c || !dir || !*dir)
        return nt_diag_add(d, NT_ERR_INVAL, dir ? dir : "", 0, 0, "",
                           "nt_write_dir: missing config or directory");
    out_file files[8];
    size_t n = 0;
    if (fmt == NT_FORMAT_LEGACY) {
        static const nt_file_kind legacy[] = {NT_FILE_REFLECT, NT_FILE_JNI, NT_FILE_RESOURCE,
                                              NT_FILE_PROXY, NT_FILE_SERIALIZATION,
                                              NT_FILE_PREDEFINED};
        for (size_t i = 0; i < sizeof legacy / sizeof legacy[0]; i++)
            files[n++] = (out_file){legacy[i], PART_LEGACY_DIR, NULL, NULL, 0, 0};
        if (has_lambdas(&c->reflection) || has_lambdas(&c->jni) ||
            has_lambdas(&c->serialization) || has_foreign(c) || has_module_bundles(c))
            files[n++] = (out_file){NT_FILE_COMBINED, PART_LEGACY_DIR, NULL, NULL, 0, 0};
    } else if (fmt == NT_FORMAT_COMBINED) {
        files[n++] = (out_file){NT_FILE_COMBINED, PART_FULL, NULL, NULL, 0, 0};
        if (set_has_leftover(&c->reflection))
            files[n++] = (out_file){NT_FILE_REFLECT, PART_LEFTOVERS, NULL, NULL, 0, 0};
        if (set_has_leftover(&c->jni))
            files[n++] = (out_file){NT_FILE_JNI, PART_LEFTOVERS, NULL, NULL, 0, 0};
        if (resources_have_leftover(c))
            files[n++] = (out_file){NT_FILE_RESOURCE, PART_LEFTOVERS, NULL, NULL, 0, 0};
        if (serialization_has_leftover(c))
            files[n++] = (out_file){NT_FILE_SERIALIZATION, PART_LEFTOVERS, NULL, NULL, 0, 0};
        if (c->n_predefined > 0)
            files[n++] = (out_file){NT_FILE_PREDEFINED, PART_LEFTOVERS, NULL, NULL, 0, 0};
    } else {
        return nt_diag_add(d, NT_ERR_INVAL, dir, 0, 0, "", "unknown output format %d", (int)fmt);
    }

    nt_status st = NT_OK;
    /* 1. Serialize everything first: nothing is written when that fails. */
    for (size_t i = 0; i < n && st == NT_OK; i++) {
        files[i].text = write_kind(c, files[i].kind, files[i].pt, d, &files[i].len);
        files[i].path = nt_path_join(dir, nt_file_kind_name(files[i].kind));
        if (!files[i].text)
            st = NT_ERR_NOMEM;
        else if (!files[i].path)
            st = nt_diag_add(d, NT_ERR_NOMEM, dir, 0, 0, "", "out of memory");
    }
    /* 2. The directory, then every existing target, and every file this write
     *    makes obsolete, must parse. */
    out_file gone[8];
    size_t ng = 0;
    if (st == NT_OK)
        st = nt_mkdir_p(dir, d);
    if (st == NT_OK)
        ng = obsolete_files(dir, files, n, gone, &st, d);
    if (st == NT_OK) {
        nt_status refused = NT_OK;
        for (size_t i = 0; i < n + ng; i++) {
            nt_status r = check_target(i < n ? &files[i] : &gone[i - n], d);
            if (r == NT_ERR_NOMEM) {
                refused = r;
                break;
            }
            if (r != NT_OK)
                refused = NT_ERR_REFUSED;
        }
        st = refused;
    }
    /* 3. Write, remove the obsolete files, then flush the directory once. */
    const char *last = NULL;
    for (size_t i = 0; i < n && st == NT_OK; i++)
        if (!files[i].unchanged) {
            st = nt_atomic_write_in(dir, files[i].path, files[i].text, files[i].len, d);
            last = files[i].path;
        }
    for (size_t i = 0; i < ng && st == NT_OK; i++) {
        if (unlink(gone[i].path) != 0 && errno != ENOENT) {
            st = nt_diag_add(d, NT_ERR_WRITE, gone[i].path, 0, 0, "remove it by hand",
                             "cannot remove the earlier %s, which native-image would read "
                             "together with the files just written: %s",
                             nt_file_kind_name(gone[i].kind), strerror(errno));
            break;
        }
        nt_diag_warn(d, gone[i].path, 0, 0,
                     "removed: native-image would have read this earlier file together with "
                     "the configuration just written");
        last = gone[i].path;
    }
    if (st == NT_OK && last)
        st = nt_fsync_dir(dir, last, d);
    for (size_t i = 0; i < n; i++) {
        free(files[i].text);
        free(files[i].path);
    }
    for (size_t i = 0; i < ng; i++)
        free(gone[i].path);
    return st;
}
