/* Trace events -> config entries (GraalVM's trace processors, 2022-23 rules
 * keeping queried vs accessed), the trace-file reader and the trace-line
 * writer. See include/nitrace/trace.h and reference/graalvm-agent.md
 * §2.5-§2.7, §3.3-§3.7, §5. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "trace_priv.h"

const char nt_unknown_value[1] = "";

/* ---- small helpers ------------------------------------------------------ */

static int is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static int known(const char *s)
{
    return s && !nt_is_unknown(s);
}

/* Per-event scratch memory: a fixed buffer, then malloc'd blocks freed when
 * the event is done. Converted names and parameter lists live here. */
#define SCR_BUF 2048
#define MAX_PARAMS 256

typedef struct scratch {
    char buf[SCR_BUF];
    size_t used;
    void **heap;
    size_t n_heap, cap_heap;
    int oom;
} scratch;

static void *scr_keep(scratch *s, void *p)
{
    if (!p) {
        s->oom = 1;
        return NULL;
    }
    if (s->n_heap == s->cap_heap) {
        size_t ncap = s->cap_heap ? s->cap_heap * 2 : 8;
        void **n = realloc(s->heap, ncap * sizeof *n);
        if (!n) {
            free(p);
            s->oom = 1;
            return NULL;
        }
        s->heap = n;
        s->cap_heap = ncap;
    }
    s->heap[s->n_heap++] = p;
    return p;
}

static char *scr_chars(scratch *s, size_t n)
{
    if (s->used + n <= SCR_BUF) {
        char *p = s->buf + s->used;
        s->used += n;
        return p;
    }
    return scr_keep(s, malloc(n));
}

static void scr_free(scratch *s)
{
    for (size_t i = 0; i < s->n_heap; i++)
        free(s->heap[i]);
    free(s->heap);
    s->heap = NULL;
    s->n_heap = s->cap_heap = 0;
    s->used = 0;
}

/* JVM class name (Class.getName()) -> Java source syntax with the same rule
 * as the config readers (nt_java_name); no allocation for plain names
 * (hidden classes "a.B$$Lambda/0x..." keep their '/'). */
static const char *jname(scratch *s, const char *name)
{
    if (name[0] != '[' && (!strchr(name, '/') || strchr(name, '.')))
        return name;
    return scr_keep(s, nt_java_name(name));
}

/* JNI class name ("a/b/C", "[La/b/C;") -> Java source syntax. */
static const char *jni_class_name(scratch *s, const char *name)
{
    if (!strchr(name, '/'))
        return jname(s, name);
    return scr_keep(s, nt_java_name(name));
}

/* One JNI field descriptor at *pp -> Java source name in scratch; advances
 * *pp. Returns NULL when malformed (or OOM: s->oom). allow_void for return
 * types. */
static const char *jni_type(scratch *s, const char **pp, int allow_void)
{
    const char *p = *pp;
    size_t dims = 0;
    while (*p == '[')
        dims++, p++;
    const char *base;
    size_t blen;
    const char *next;
    if (*p == 'L') {
        const char *q = strchr(p, ';');
        if (!q || q == p + 1)
            return NULL;
        base = p + 1;
        blen = (size_t)(q - p - 1);
        next = q + 1;
    } else {
        base = nt_primitive_name(*p);
        if (!base || (*p == 'V' && (dims || !allow_void)))
            return NULL;
        blen = strlen(base);
        next = p + 1;
    }
    char *out = scr_chars(s, blen + 2 * dims + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < blen; i++)
        out[i] = base[i] == '/' ? '.' : base[i];
    for (size_t i = 0; i < dims; i++)
        memcpy(out + blen + 2 * i, "[]", 2);
    out[blen + 2 * dims] = '\0';
    *pp = next;
    return out;
}

/* "(I[Ljava/lang/String;)V" -> {"int", "java.lang.String[]"}. -1 when
 * malformed (or OOM). */
static int jni_params(scratch *s, const char *sig, const char **out, size_t *n)
{
    *n = 0;
    if (!sig || sig[0] != '(')
        return -1;
    const char *p = sig + 1;
    while (*p != ')') {
        if (!*p || *n >= MAX_PARAMS)
            return -1;
        const char *t = jni_type(s, &p, 0);
        if (!t)
            return -1;
        out[(*n)++] = t;
    }
    p++;
    if (!jni_type(s, &p, 1) || *p)
        return -1;
    return 0;
}

/* Resolve "." and ".." segments of a resource name ("a/b/../c" -> "a/c");
 * names that would climb above the root are kept as given. */
static const char *canon_resource(scratch *s, const char *name)
{
    if (!strstr(name, "./") && !strstr(name, "/.") && strcmp(name, ".") != 0)
        return name;
    size_t n = strlen(name);
    char *out = scr_chars(s, n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    const char *p = name;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 1 && p[0] == '.') {
            /* drop */
        } else if (len == 2 && p[0] == '.' && p[1] == '.') {
            if (o == 0)
                return name;
            /* remove the last segment written (out holds "seg/seg/") */
            size_t k = o - 1;
            while (k > 0 && out[k - 1] != '/')
                k--;
            o = k;
        } else {
            memcpy(out + o, p, len);
            o += len;
            if (e)
                out[o++] = '/';
        }
        if (!e)
            break;
        p = e + 1;
    }
    out[o] = '\0';
    return out;
}

/* ---- predefined classes: GraalVM's class digest ------------------------ */

static uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t load_le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint64_t fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

/* MurmurHash3 x64 128-bit (Austin Appleby's public-domain algorithm),
 * blocks read little-endian. */
void nt_murmur3_x64_128(const void *key, size_t len, uint64_t seed, uint64_t *o1, uint64_t *o2)
{
    const unsigned char *data = key;
    const uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
    uint64_t h1 = seed, h2 = seed;
    size_t nblocks = len / 16;
    for (size_t i = 0; i < nblocks; i++) {
        uint64_t k1 = load_le64(data + i * 16), k2 = load_le64(data + i * 16 + 8);
        k1 *= c1;
        k1 = rotl64(k1, 31);
        k1 *= c2;
        h1 ^= k1;
        h1 = rotl64(h1, 27);
        h1 += h2;
        h1 = h1 * 5 + 0x52dce729;
        k2 *= c2;
        k2 = rotl64(k2, 33);
        k2 *= c1;
        h2 ^= k2;
        h2 = rotl64(h2, 31);
        h2 += h1;
        h2 = h2 * 5 + 0x38495ab5;
    }
    const unsigned char *tail = data + nblocks * 16;
    size_t rest = len & 15;
    uint64_t k1 = 0, k2 = 0;
    for (size_t i = rest; i > 8; i--)
        k2 ^= (uint64_t)tail[i - 1] << (8 * (i - 9));
    if (rest > 8) {
        k2 *= c2;
        k2 = rotl64(k2, 33);
        k2 *= c1;
        h2 ^= k2;
    }
    for (size_t i = rest < 8 ? rest : 8; i > 0; i--)
        k1 ^= (uint64_t)tail[i - 1] << (8 * (i - 1));
    if (rest > 0) {
        k1 *= c1;
        k1 = rotl64(k1, 31);
        k1 *= c2;
        h1 ^= k1;
    }
    h1 ^= (uint64_t)len;
    h2 ^= (uint64_t)len;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 += h2;
    h2 += h1;
    *o1 = h1;
    *o2 = h2;
}

static void base62_11(uint64_t v, char *out)
{
    static const char digits[] =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (int i = 0; i < 11; i++) {
        out[i] = digits[v % 62];
        v /= 62;
    }
}

void nt_predefined_hash(const void *data, size_t len, char out[23])
{
    uint64_t h1, h2;
    nt_murmur3_x64_128(data, len, 0, &h1, &h2);
    base62_11(h1, out);
    base62_11(h2, out + 11);
    out[22] = '\0';
}

/* Standard Base64 (padding optional, no whitespace) into a malloc'd buffer.
 * Returns NULL when malformed (*bad = 1) or on NOMEM (*bad = 0). */
static unsigned char *base64_decode(const char *s, size_t *out_len, int *bad)
{
    size_t n = strlen(s);
    *bad = 1;
    while (n > 0 && s[n - 1] == '=')
        n--;
    if (n % 4 == 1 || strlen(s) - n > 2)
        return NULL;
    unsigned char *out = malloc(n / 4 * 3 + 3);
    if (!out) {
        *bad = 0;
        return NULL;
    }
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        int v = ch >= 'A' && ch <= 'Z'   ? ch - 'A'
                : ch >= 'a' && ch <= 'z' ? ch - 'a' + 26
                : ch >= '0' && ch <= '9' ? ch - '0' + 52
                : ch == '+'              ? 62
                : ch == '/'              ? 63
                                         : -1;
        if (v < 0) {
            free(out);
            return NULL;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    *out_len = o;
    return out;
}

/* ---- processing context ------------------------------------------------- */

enum {
    W_LAMBDA_CLASS = 1u << 1,
    W_JNI_LAUNCH = 1u << 2,
    W_VERSION = 1u << 3
};

typedef struct ctx {
    nt_config *c;
    nt_trace_state *st;
    const nt_event *e;
    const nt_filter_set *f;
    nt_diags *d;
    int heur;
    scratch s;
} ctx;

static nt_status bad(ctx *x, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static nt_status bad(ctx *x, const char *hint, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return nt_diag_add(x->d, NT_ERR_PARSE, x->st->label, x->st->line, x->st->col, hint,
                       "%s event \"%s\": %s", x->e->tracer,
                       x->e->function ? x->e->function : "", msg);
}

static nt_status nomem(ctx *x)
{
    return nt_diag_add(x->d, NT_ERR_NOMEM, x->st->label, x->st->line, x->st->col, NULL,
                       "out of memory while processing a trace event");
}

static void warn_once_bit(ctx *x, unsigned bit, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void warn_once_bit(ctx *x, unsigned bit, const char *fmt, ...)
{
    if (x->st->warned & bit)
        return;
    x->st->warned |= bit;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    nt_diag_warn(x->d, x->st->label, x->st->line, x->st->col, "%s", msg);
}

/* Warn once per tracer/function pair that nitrace does not process. */
static nt_status unsupported(ctx *x, const char *what)
{
    char key[256];
    snprintf(key, sizeof key, "%s\x1f%s", x->e->tracer, x->e->function ? x->e->function : "");
    if (nt_map_get(&x->st->warned_functions, key))
        return NT_OK;
    if (nt_map_put(&x->st->warned_functions, key, (void *)1) != 0)
        return nomem(x);
    if (strcmp(what, "tracer") == 0)
        nt_diag_warn(x->d, x->st->label, x->st->line, x->st->col,
                     "unsupported tracer \"%s\": its events are skipped", x->e->tracer);
    else
        nt_diag_warn(x->d, x->st->label, x->st->line, x->st->col,
                     "unsupported %s \"%s\" (tracer \"%s\"): its events are skipped", what,
                     x->e->function ? x->e->function : "", x->e->tracer);
    return NT_OK;
}

static size_t nargs(const ctx *x)
{
    return x->e->has_args ? x->e->n_args : 0;
}

static nt_status want_args(ctx *x, size_t n)
{
    if (nargs(x) != n)
        return bad(x, "see the argument shapes of reference §5",
                   "expected %zu argument%s, found %zu", n, n == 1 ? "" : "s", nargs(x));
    return NT_OK;
}

/* String argument i: *out = the string, NULL (JSON null) or NT_UNKNOWN. */
static nt_status arg_str(ctx *x, size_t i, const char **out)
{
    const nt_arg *a = &x->e->args[i];
    switch (a->kind) {
    case NT_ARG_STRING: *out = a->str; return NT_OK;
    case NT_ARG_NULL: *out = NULL; return NT_OK;
    case NT_ARG_UNKNOWN: *out = NT_UNKNOWN; return NT_OK;
    default: break;
    }
    return bad(x, NULL, "argument %zu must be a string", i + 1);
}

/* Array-of-names argument i converted to Java names in out[] (max
 * MAX_PARAMS). null_ok: a JSON null means an empty list. */
static nt_status arg_names(ctx *x, size_t i, int null_ok, const char **out, size_t *n)
{
    const nt_arg *a = &x->e->args[i];
    *n = 0;
    if (a->kind == NT_ARG_NULL && null_ok)
        return NT_OK;
    if (a->kind != NT_ARG_STRINGS)
        return bad(x, NULL, "argument %zu must be an array of class names", i + 1);
    if (a->n_strs > MAX_PARAMS)
        return bad(x, NULL, "argument %zu has more than %d class names", i + 1, MAX_PARAMS);
    for (size_t k = 0; k < a->n_strs; k++) {
        if (!known(a->strs[k]) || !a->strs[k][0])
            return bad(x, NULL, "argument %zu: element %zu is not a class name", i + 1, k + 1);
        const char *j = jname(&x->s, a->strs[k]);
        if (!j)
            return nomem(x);
        out[(*n)++] = j;
    }
    return NT_OK;
}

/* GraalVM's AccessAdvisor.shouldIgnore. */
static int ignored(ctx *x, const char *qclass, const char *caller, int lambda_heuristic)
{
    if (x->heur && !x->st->live)
        return 1;
    if (!known(qclass))
        qclass = NULL;
    if (known(caller) && !nt_filter_accepts_caller(x->f, caller))
        return 1;
    if (!caller && qclass && !nt_filter_accepts_callerless(qclass))
        return 1;
    if (qclass && !nt_filter_accepts_access(x->f, qclass))
        return 1;
    if (x->heur && qclass) {
        if (lambda_heuristic && nt_heur_is_lambda_name(qclass))
            return 1;
        if (nt_heur_is_proxy_name(qclass))
            return 1;
    }
    return 0;
}

static nt_type *class_entry(ctx *x, nt_typeset *set, const char *jvm_name)
{
    const char *n = jname(&x->s, jvm_name);
    if (!n)
        return NULL;
    return nt_typeset_get_class(set, n, NULL, 1);
}

static nt_type *proxy_entry(ctx *x, nt_typeset *set, const char *const *ifaces, size_t n)
{
    const char **conv = scr_keep(&x->s, malloc((n ? n : 1) * sizeof *conv));
    if (!conv)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!(conv[i] = jname(&x->s, ifaces[i])))
            return NULL;
    nt_typedesc td;
    memset(&td, 0, sizeof td);
    td.kind = NT_TD_PROXY;
    td.ifaces.v = (char **)conv;
    td.ifaces.n = td.ifaces.cap = n;
    return nt_typeset_get(set, &td, NULL, 1);
}

/* The entry of the event's "class" (a name or a proxy). */
static nt_type *event_class_entry(ctx *x, nt_typeset *set)
{
    if (x->e->class_is_proxy)
        return proxy_entry(x, set, x->e->class_ifaces, x->e->n_class_ifaces);
    return class_entry(x, set, x->e->class_name);
}

/* The entry for a member: declaring_class when given, else "class"; the
 * class itself is registered too when it differs. */
static nt_type *member_entry(ctx *x, nt_typeset *set)
{
    const char *decl = x->e->declaring_class;
    if (known(decl) && !x->e->class_is_proxy && !is(decl, x->e->class_name)) {
        if (!class_entry(x, set, x->e->class_name))
            return NULL;
        return class_entry(x, set, decl);
    }
    return event_class_entry(x, set);
}

static nt_status add_method(ctx *x, nt_type *t, const char *name, const char *const *params,
                            size_t n, nt_access_level level)
{
    if (!t || !nt_type_add_method(t, name, 0, params, n, level))
        return nomem(x);
    return NT_OK;
}

/* ---- reflection tracer -------------------------------------------------- */

typedef struct bulk_fn {
    const char *name;
    unsigned tracked;    /* flag when reflection metadata is tracked */
    unsigned untracked;  /* flag otherwise */
} bulk_fn;

static const bulk_fn bulk_fns[] = {
    {"getDeclaredFields", NT_ALL_DECLARED_FIELDS, NT_ALL_DECLARED_FIELDS},
    {"getFields", NT_ALL_PUBLIC_FIELDS, NT_ALL_PUBLIC_FIELDS},
    {"getDeclaredMethods", NT_QUERY_ALL_DECLARED_METHODS, NT_ALL_DECLARED_METHODS},
    {"getMethods", NT_QUERY_ALL_PUBLIC_METHODS, NT_ALL_PUBLIC_METHODS},
    {"getDeclaredConstructors", NT_QUERY_ALL_DECLARED_CONSTRUCTORS, NT_ALL_DECLARED_CONSTRUCTORS},
    {"getConstructors", NT_QUERY_ALL_PUBLIC_CONSTRUCTORS, NT_ALL_PUBLIC_CONSTRUCTORS},
    {"getDeclaredClasses", NT_ALL_DECLARED_CLASSES, NT_ALL_DECLARED_CLASSES},
    {"getClasses", NT_ALL_PUBLIC_CLASSES, NT_ALL_PUBLIC_CLASSES},
    {"getRecordComponents", NT_ALL_RECORD_COMPONENTS, NT_ALL_RECORD_COMPONENTS},
    {"getPermittedSubclasses", NT_ALL_PERMITTED_SUBCLASSES, NT_ALL_PERMITTED_SUBCLASSES},
    {"getNestMembers", NT_ALL_NEST_MEMBERS, NT_ALL_NEST_MEMBERS},
    {"getSigners", NT_ALL_SIGNERS, NT_ALL_SIGNERS},
    /* MethodHandleProxies.asInterfaceInstance: every public method is invoked */
    {"asInterfaceInstance", NT_ALL_PUBLIC_METHODS, NT_ALL_PUBLIC_METHODS},
};

static const char *const resource_fns[] = {
    "getResource",       "getResourceAsStream", "getSystemResource", "getSystemResourceAsStream",
    "getResources",      "getSystemResources",  "getEntry",          NULL,
};

static int in_list(const char *fn, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(fn, *list) == 0)
            return 1;
    return 0;
}

static nt_status add_resource(ctx *x, const char *module, const char *name)
{
    if (!known(name))
        return NT_OK; /* nothing to register */
    if (x->heur && nt_heur_blocked_resource(name))
        return NT_OK;
    const char *canon = canon_resource(&x->s, name);
    if (!canon)
        return nomem(x);
    char *glob = nt_glob_escape(canon);
    if (!glob)
        return nomem(x);
    nt_resource *r = nt_config_add_resource(x->c, NT_RES_GLOB, known(module) ? module : NULL,
                                            glob, NULL);
    free(glob);
    return r ? NT_OK : nomem(x);
}

static nt_status add_proxy(ctx *x, nt_typeset *set, const nt_arg *a, const char *extra)
{
    if (a->kind != NT_ARG_STRINGS || a->n_strs == 0)
        return bad(x, NULL, "the interfaces argument must be a non-empty array of names");
    if (a->n_strs > MAX_PARAMS)
        return bad(x, NULL, "too many proxy interfaces");
    const char *ifaces[MAX_PARAMS + 1];
    size_t n = 0;
    for (size_t i = 0; i < a->n_strs; i++) {
        if (!known(a->strs[i]))
            return NT_OK; /* an interface the agent could not name: nothing usable */
        if (ignored(x, a->strs[i], x->e->caller_class, 0))
            return NT_OK;
        ifaces[n++] = a->strs[i];
    }
    if (extra)
        ifaces[n++] = extra;
    return proxy_entry(x, set, ifaces, n) ? NT_OK : nomem(x);
}

/* getBundleImpl and, from GraalVM 20-23 agents, getBundleImplJDK11OrLater
 * (the same arguments) and getBundleImplJDK8OrEarlier ([baseName, ?, ?, ?] or
 * [baseName, ?, ?, ?, classNames[], locales[]]). jdk8: the latter. */
static nt_status bundle(ctx *x, int jdk8)
{
    size_t n = nargs(x);
    if (!jdk8 && n != 5 && n != 7)
        return bad(x, "getBundleImpl has 5 arguments (7 in old traces)",
                   "expected 5 or 7 arguments, found %zu", n);
    if (jdk8 && n != 4 && n != 6)
        return bad(x, "getBundleImplJDK8OrEarlier has 4 or 6 arguments",
                   "expected 4 or 6 arguments, found %zu", n);
    const char *base = NULL;
    nt_status st = arg_str(x, jdk8 ? 0 : 2, &base);
    if (st != NT_OK)
        return st;
    if (!known(base))
        return NT_OK;
    if (strchr(base, ':')) { /* no Java bundle name; legacy files could not express it */
        nt_diag_warn(x->d, x->st->label, x->st->line, x->st->col,
                     "bundle base name \"%s\" contains ':'; the event is skipped", base);
        return NT_OK;
    }
    nt_bundle *b = nt_config_add_bundle(x->c, base, NULL, NULL);
    if (!b)
        return nomem(x);
    if (jdk8 && n == 4)
        return NT_OK;
    if (!jdk8 && n == 5) {
        const char *tag = NULL;
        if ((st = arg_str(x, 3, &tag)) != NT_OK)
            return st;
        if (known(tag) && nt_strv_add_unique(&b->locales, is(tag, "und") ? "" : tag) != NT_OK)
            return nomem(x);
        return NT_OK;
    }
    /* old shape: [?, ?, baseName, ?, ?, classNames[], locales[]] (JDK 8: from 4) */
    int first = jdk8 ? 4 : 5;
    for (int k = first; k <= first + 1; k++) {
        const nt_arg *a = &x->e->args[k];
        if (a->kind == NT_ARG_NULL || a->kind == NT_ARG_UNKNOWN)
            continue;
        if (a->kind != NT_ARG_STRINGS)
            return bad(x, NULL, "argument %d must be an array of strings", k + 1);
        for (size_t i = 0; i < a->n_strs; i++) {
            const char *v = a->strs[i];
            if (!known(v))
                continue;
            if (k == first) {
                const char *j = jname(&x->s, v);
                if (!j || nt_strv_add_unique(&b->class_names, j) != NT_OK)
                    return nomem(x);
            } else if (nt_strv_add_unique(&b->locales, is(v, "und") ? "" : v) != NT_OK) {
                return nomem(x);
            }
        }
    }
    return NT_OK;
}

/* getEnclosingMethod/Constructor: result "pkg.Holder.name(sig)". GraalVM's
 * processor registers it as a declared, accessed method (its three-argument
 * addMethod), also when reflection metadata is tracked: the program holds a
 * Method it may invoke. */
static nt_status enclosing(ctx *x, nt_access_level level)
{
    const char *r = x->e->result_str;
    if (!r)
        return NT_OK;
    const char *paren = strchr(r, '(');
    const char *dot = NULL;
    for (const char *p = r; paren && p < paren; p++)
        if (*p == '.')
            dot = p;
    if (!paren || !dot || dot == r || dot + 1 == paren)
        return bad(x, NULL, "result \"%s\" is not of the form class.method(signature)", r);
    size_t clen = (size_t)(dot - r), mlen = (size_t)(paren - dot - 1);
    char *cls = scr_chars(&x->s, clen + 1), *meth = scr_chars(&x->s, mlen + 1);
    if (!cls || !meth)
        return nomem(x);
    memcpy(cls, r, clen);
    cls[clen] = '\0';
    memcpy(meth, dot + 1, mlen);
    meth[mlen] = '\0';
    const char *params[MAX_PARAMS];
    size_t n;
    if (jni_params(&x->s, paren, params, &n) != 0)
        return x->s.oom ? nomem(x) : bad(x, NULL, "bad method signature in result \"%s\"", r);
    if (ignored(x, cls, x->e->caller_class, 1))
        return NT_OK;
    return add_method(x, class_entry(x, &x->c->reflection, cls), meth, params, n, level);
}

int nt_event_caller_filtered(const char *tracer, const char *function)
{
    /* do_reflect: everything but the resource lookups goes through ignored() with
     * the event's caller */
    return tracer && function && is(tracer, "reflect") && !in_list(function, resource_fns) &&
           !is(function, "findResource") && !is(function, "findResourceAsStream");
}

static nt_status do_reflect(ctx *x)
{
    const nt_event *e = x->e;
    const char *fn = e->function;
    const char *caller = e->caller_class;
    nt_config *c = x->c;
    nt_status st;
    const char *s0 = NULL;

    if (is(fn, "findResource") || is(fn, "findResourceAsStream")) {
        const char *module = NULL;
        if ((st = want_args(x, 2)) != NT_OK || (st = arg_str(x, 0, &module)) != NT_OK ||
            (st = arg_str(x, 1, &s0)) != NT_OK)
            return st;
        return add_resource(x, module, s0);
    }
    if (in_list(fn, resource_fns)) {
        if ((st = want_args(x, 1)) != NT_OK || (st = arg_str(x, 0, &s0)) != NT_OK)
            return st;
        return add_resource(x, NULL, s0);
    }

    int load_class = is(fn, "loadClass") || is(fn, "findSystemClass");
    if (load_class || is(fn, "forName") || is(fn, "findClass")) {
        if ((st = want_args(x, 1)) != NT_OK || (st = arg_str(x, 0, &s0)) != NT_OK)
            return st;
        if (!known(s0) || !*s0)
            return NT_OK;
        if (ignored(x, s0, caller, 1))
            return NT_OK;
        if (load_class && x->heur && !caller)
            return NT_OK; /* the VM loading a class */
        return class_entry(x, &c->reflection, s0) ? NT_OK : nomem(x);
    }
    if (is(fn, "methodTypeDescriptor")) {
        const char *types[MAX_PARAMS];
        size_t n;
        if ((st = want_args(x, 1)) != NT_OK)
            return st;
        const nt_arg *a = &e->args[0];
        if (a->kind != NT_ARG_STRINGS)
            return bad(x, NULL, "argument 1 must be an array of class names");
        if ((st = arg_names(x, 0, 0, types, &n)) != NT_OK)
            return st;
        for (size_t i = 0; i < n; i++)
            if (!ignored(x, a->strs[i], caller, 1) &&
                !nt_typeset_get_class(&c->reflection, types[i], NULL, 1))
                return nomem(x);
        return NT_OK;
    }

    /* everything else is about "class" (or about no class at all) */
    const char *qclass = e->class_is_proxy ? NULL : e->class_name;
    if (!e->class_is_proxy && nt_is_unknown(e->class_name))
        return NT_OK;
    if (ignored(x, qclass, caller, 1))
        return NT_OK;
    int has_class = e->class_is_proxy || e->class_name;
    int track = x->st->track_reflection;
    nt_access_level query = track ? NT_QUERIED : NT_ACCESSED;

    for (size_t i = 0; i < sizeof bulk_fns / sizeof *bulk_fns; i++) {
        if (!is(fn, bulk_fns[i].name))
            continue;
        if (!has_class)
            return bad(x, NULL, "the event has no \"class\"");
        nt_type *t = event_class_entry(x, &c->reflection);
        if (!t)
            return nomem(x);
        t->flags |= track ? bulk_fns[i].tracked : bulk_fns[i].untracked;
        return NT_OK;
    }

    if (is(fn, "getField") || is(fn, "getDeclaredField") || is(fn, "objectFieldOffset") ||
        is(fn, "findFieldHandle") || is(fn, "unreflectField") || is(fn, "accessField")) {
        /* accessField (Field.get/set, GraalVM 25): the field of its declaring class; the
         * model has no queried/accessed distinction for fields */
        if ((st = want_args(x, 1)) != NT_OK || (st = arg_str(x, 0, &s0)) != NT_OK)
            return st;
        if (!has_class)
            return bad(x, NULL, "the event has no \"class\"");
        if (!known(s0))
            return NT_OK;
        nt_type *t = member_entry(x, &c->reflection);
        if (!t || !nt_type_add_field(t, s0, 0))
            return nomem(x);
        return NT_OK;
    }

    int m_access = is(fn, "findMethodHandle") || is(fn, "invokeMethod");
    if (m_access || is(fn, "getMethod") || is(fn, "getDeclaredMethod")) {
        const char *params[MAX_PARAMS];
        size_t n;
        if ((st = want_args(x, 2)) != NT_OK || (st = arg_str(x, 0, &s0)) != NT_OK ||
            (st = arg_names(x, 1, 1, params, &n)) != NT_OK)
            return st;
        if (!has_class)
            return bad(x, NULL, "the event has no \"class\"");
        if (!known(s0))
            return NT_OK;
        return add_method(x, member_entry(x, &c->reflection), s0, params, n,
                          m_access ? NT_ACCESSED : query);
    }

    int c_access = is(fn, "findConstructorHandle") || is(fn, "invokeConstructor");
    if (c_access || is(fn, "getConstructor") || is(fn, "getDeclaredConstructor")) {
        const char *params[MAX_PARAMS];
        size_t n;
        if ((st = want_args(x, 1)) != NT_OK || (st = arg_names(x, 0, 1, params, &n)) != NT_OK)
            return st;
        if (!has_class)
            return bad(x, NULL, "the event has no \"class\"");
        return add_method(x, event_class_entry(x, &c->reflection), "<init>", params, n,
                          c_access ? NT_ACCESSED : query);
    }

    if (is(fn, "getProxyClass") || is(fn, "newProxyInstance")) {
        size_t want = is(fn, "getProxyClass") ? 2 : 3;
        if ((st = want_args(x, want)) != NT_OK)
            return st;
        return add_proxy(x, &c->reflection, &e->args[1], NULL);
    }
    if (is(fn, "newMethodHandleProxyInstance")) {
        if ((st = want_args(x, 1)) != NT_OK)
            return st;
        return add_proxy(x, &c->reflection, &e->args[0], "sun.invoke.WrapperInstance");
    }

    if (is(fn, "getEnclosingMethod") || is(fn, "getEnclosingConstructor"))
        return enclosing(x, NT_ACCESSED);

    if (is(fn, "newInstance")) {
        if (!has_class)
            return bad(x, NULL, "the event has no \"class\"");
        if (is(e->class_name, "java.lang.reflect.Array")) {
            if (nargs(x) < 1)
                return bad(x, NULL, "Array.newInstance needs the array class as argument 1");
            if ((st = arg_str(x, 0, &s0)) != NT_OK)
                return st;
            if (!known(s0) || !*s0)
                return NT_OK;
            return class_entry(x, &c->reflection, s0) ? NT_OK : nomem(x);
        }
        return add_method(x, event_class_entry(x, &c->reflection), "<init>", NULL, 0,
                          NT_ACCESSED);
    }

    if (is(fn, "getBundleImpl") || is(fn, "getBundleImplJDK11OrLater"))
        return bundle(x, 0);
    if (is(fn, "getBundleImplJDK8OrEarlier"))
        return bundle(x, 1);

    if (is(fn, "allocateInstance")) {
        if (!has_class)
            return bad(x, NULL, "the event has no \"class\"");
        nt_type *t = event_class_entry(x, &c->reflection);
        if (!t)
            return nomem(x);
        t->flags |= NT_UNSAFE_ALLOCATED;
        return NT_OK;
    }

    return unsupported(x, "reflection function");
}

/* ---- JNI tracer --------------------------------------------------------- */

static nt_status do_jni(ctx *x)
{
    const nt_event *e = x->e;
    const char *fn = e->function;
    const char *caller = e->caller_class;
    nt_config *c = x->c;
    nt_status st;
    const char *name = NULL, *sig = NULL;

    if (is(fn, "FindClass") || is(fn, "DefineClass")) {
        if ((st = want_args(x, 1)) != NT_OK || (st = arg_str(x, 0, &name)) != NT_OK)
            return st;
        if (!known(name) || !*name)
            return NT_OK;
        const char *java = jni_class_name(&x->s, name);
        if (!java)
            return nomem(x);
        if (ignored(x, java, caller, 1))
            return NT_OK;
        int mismatch = 0;
        if (x->heur && nt_heur_jni_launch(&x->st->jni_launch, fn, NULL, NULL, NULL, &mismatch))
            return NT_OK;
        if (x->heur && nt_native_home_contains(e->native_library))
            return NT_OK; /* made by the JDK's own native code */
        if (is(fn, "DefineClass")) {
            if (!nt_heur_is_proxy_name(name))
                nt_diag_warn(x->d, x->st->label, x->st->line, x->st->col,
                             "unsupported JNI function DefineClass used to load class %s", java);
            return NT_OK;
        }
        return nt_typeset_get_class(&c->jni, java, NULL, 1) ? NT_OK : nomem(x);
    }

    int method_id = is(fn, "GetMethodID") || is(fn, "GetStaticMethodID");
    int field_id = is(fn, "GetFieldID") || is(fn, "GetStaticFieldID");
    int to_field = is(fn, "ToReflectedField"), from_field = is(fn, "FromReflectedField");
    int to_method = is(fn, "ToReflectedMethod"), from_method = is(fn, "FromReflectedMethod");
    int throw_new = is(fn, "ThrowNew"), alloc = is(fn, "AllocObject");
    int new_array = is(fn, "NewObjectArray");
    if (!(method_id || field_id || to_field || from_field || to_method || from_method ||
          throw_new || alloc || new_array))
        return unsupported(x, "JNI function");

    size_t want = (method_id || field_id || to_method || from_method) ? 2
                  : (to_field || from_field || throw_new)             ? 1
                                                                      : 0;
    if ((st = want_args(x, want)) != NT_OK)
        return st;
    if (want >= 1 && !throw_new && (st = arg_str(x, 0, &name)) != NT_OK)
        return st;
    if (want == 2 && (st = arg_str(x, 1, &sig)) != NT_OK)
        return st;
    if (throw_new) {
        name = "<init>";
        sig = "(Ljava/lang/String;)V";
    }
    if (e->class_is_proxy)
        return bad(x, NULL, "a JNI event's \"class\" must be a class name");
    if (!e->class_name)
        return bad(x, NULL, "the event has no \"class\"");
    if (nt_is_unknown(e->class_name))
        return NT_OK;
    if (ignored(x, e->class_name, caller, 1))
        return NT_OK;
    if (x->heur) {
        int mismatch = 0;
        if (nt_heur_jni_launch(&x->st->jni_launch, fn, e->class_name, known(name) ? name : NULL,
                               known(sig) ? sig : NULL, &mismatch))
            return NT_OK;
        if (mismatch)
            warn_once_bit(x, W_JNI_LAUNCH,
                          "unexpected JNI call %s %s.%s%s during the launcher's start-up "
                          "sequence; tracing all later JNI accesses",
                          fn, e->class_name, known(name) ? name : "", known(sig) ? sig : "");
        if (nt_native_home_contains(e->native_library))
            return NT_OK; /* made by the JDK's own native code */
    }

    if (alloc) {
        nt_type *t = class_entry(x, &c->reflection, e->class_name);
        if (!t)
            return nomem(x);
        t->flags |= NT_UNSAFE_ALLOCATED;
        return NT_OK;
    }
    if (new_array)
        return class_entry(x, &c->jni, e->class_name) ? NT_OK : nomem(x);
    if (!known(name) || (want == 2 && !known(sig)))
        return NT_OK;

    nt_typeset *set = (to_field || to_method) ? &c->reflection : &c->jni;
    if (field_id || to_field || from_field) {
        nt_type *t = member_entry(x, set);
        if (!t || !nt_type_add_field(t, name, 0))
            return nomem(x);
        return NT_OK;
    }
    const char *params[MAX_PARAMS];
    size_t n;
    if (jni_params(&x->s, sig, params, &n) != 0)
        return x->s.oom ? nomem(x)
                        : bad(x, "a JNI method signature looks like (I[Ljava/lang/String;)V",
                              "bad JNI method signature \"%s\"", sig);
    return add_method(x, member_entry(x, set), name, params, n, NT_ACCESSED);
}

/* ---- serialization tracer ----------------------------------------------- */

static nt_status lambda_capturing(ctx *x, const char *name)
{
    const char *cut = strstr(name, "$$Lambda");
    size_t len = cut ? (size_t)(cut - name) : strlen(name);
    char *cls = scr_chars(&x->s, len + 1);
    if (!cls)
        return nomem(x);
    memcpy(cls, name, len);
    cls[len] = '\0';
    return class_entry(x, &x->c->lambda_capturing, cls) ? NT_OK : nomem(x);
}

static nt_status do_serialization(ctx *x)
{
    const nt_event *e = x->e;
    const char *fn = e->function;
    nt_status st;
    const char *name = NULL;
    if (is(fn, "ObjectStreamClass.<init>") || is(fn, "ObjectInputStream.readClassDescriptor")) {
        const char *ctor = NULL;
        if (nargs(x) != 1 && nargs(x) != 2)
            return bad(x, NULL, "expected 2 arguments (class, custom constructor class), found %zu",
                       nargs(x));
        if ((st = arg_str(x, 0, &name)) != NT_OK ||
            (nargs(x) == 2 && (st = arg_str(x, 1, &ctor)) != NT_OK))
            return st;
        if (!known(name) || !*name)
            return NT_OK;
        if (ignored(x, name, NULL, 0))
            return NT_OK;
        if (nt_heur_is_lambda_name(name))
            return lambda_capturing(x, name);
        /* with a custom target constructor: an entry of its own (GraalVM's key) */
        const char *n = jname(&x->s, name);
        const char *j = known(ctor) && *ctor ? jname(&x->s, ctor) : NULL;
        if (!n || (known(ctor) && *ctor && !j))
            return nomem(x);
        nt_typedesc td = nt_td_class(n);
        return nt_typeset_get_ctor(&x->c->serialization, &td, NULL, j, 1) ? NT_OK : nomem(x);
    }
    if (is(fn, "SerializedLambda.readResolve")) {
        if ((st = want_args(x, 1)) != NT_OK || (st = arg_str(x, 0, &name)) != NT_OK)
            return st;
        if (!known(name) || !*name || ignored(x, name, NULL, 0))
            return NT_OK;
        return lambda_capturing(x, name);
    }
    if (is(fn, "ProxyClassSerialization")) {
        if ((st = want_args(x, 1)) != NT_OK)
            return st;
        const nt_arg *a = &e->args[0];
        if (a->kind != NT_ARG_STRINGS || a->n_strs == 0)
            return bad(x, NULL, "argument 1 must be a non-empty array of interface names");
        for (size_t i = 0; i < a->n_strs; i++)
            if (!known(a->strs[i]) || ignored(x, a->strs[i], NULL, 0))
                return NT_OK;
        return proxy_entry(x, &x->c->serialization, a->strs, a->n_strs) ? NT_OK : nomem(x);
    }
    return unsupported(x, "serialization function");
}

/* ---- classloading tracer (predefined classes) --------------------------- */

static nt_status do_classloading(ctx *x)
{
    nt_status st;
    const char *name = NULL, *b64 = NULL;
    if (!is(x->e->function, "onClassFileLoadHook"))
        return unsupported(x, "classloading function");
    if ((st = want_args(x, 2)) != NT_OK || (st = arg_str(x, 0, &name)) != NT_OK ||
        (st = arg_str(x, 1, &b64)) != NT_OK)
        return st;
    if (!known(b64))
        return bad(x, NULL, "argument 2 must hold the class bytes in Base64");
    size_t n = 0;
    int malformed = 0;
    unsigned char *bytes = base64_decode(b64, &n, &malformed);
    if (!bytes)
        return malformed ? bad(x, NULL, "argument 2 is not valid Base64") : nomem(x);
    char hash[23];
    nt_predefined_hash(bytes, n, hash);
    free(bytes);
    char *info = NULL;
    if (known(name) && *name) {
        size_t len = strlen(name);
        if (!(info = scr_chars(&x->s, len + 1)))
            return nomem(x);
        for (size_t i = 0; i <= len; i++)
            info[i] = name[i] == '/' ? '.' : name[i];
    }
    return nt_config_add_predefined(x->c, "agent-extracted", hash, info) ? NT_OK : nomem(x);
}

/* ---- meta events and dispatch ------------------------------------------- */

static nt_status do_meta(ctx *x)
{
    const nt_event *e = x->e;
    if (is(e->event, "initialization")) {
        if (e->version && !is(e->version, "1"))
            warn_once_bit(x, W_VERSION, "trace format version \"%s\" (expected \"1\")",
                          e->version);
        return NT_OK;
    }
    if (is(e->event, "phase_change")) {
        if (!known(e->phase))
            return bad(x, NULL, "phase_change without \"phase\"");
        x->st->live = is(e->phase, "live");
        return NT_OK;
    }
    if (is(e->event, "track_reflection_metadata")) {
        if (e->track < 0)
            return bad(x, NULL, "track_reflection_metadata without a boolean \"track\"");
        x->st->track_reflection = e->track != 0;
        return NT_OK;
    }
    /* the recording agent's built-in filter settings: a trace or a recording is
     * processed with the filters its reader chooses (prune replays with these) */
    if (is(e->event, "builtin_filters"))
        return NT_OK;
    char key[256];
    snprintf(key, sizeof key, "meta\x1f%s", e->event ? e->event : "");
    if (nt_map_get(&x->st->warned_functions, key))
        return NT_OK;
    if (nt_map_put(&x->st->warned_functions, key, (void *)1) != 0)
        return nomem(x);
    nt_diag_warn(x->d, x->st->label, x->st->line, x->st->col,
                 "unsupported meta event \"%s\": skipped", e->event ? e->event : "");
    return NT_OK;
}

void nt_trace_state_init(nt_trace_state *st)
{
    memset(st, 0, sizeof *st);
    st->track_reflection = 1;
    nt_map_init(&st->warned_functions);
}

void nt_trace_state_free(nt_trace_state *st)
{
    nt_map_free(&st->warned_functions);
    memset(st, 0, sizeof *st);
}

nt_status nt_process_event(nt_config *c, nt_trace_state *st, const nt_event *e,
                           const struct nt_filter_set *f, nt_diags *d)
{
    if (!c || !st || !e)
        return nt_diag_add(d, NT_ERR_INVAL, "", 0, 0, NULL, "nt_process_event: NULL argument");
    ctx xs;
    ctx *x = &xs;
    x->c = c;
    x->st = st;
    x->e = e;
    x->f = f ? f : nt_default_filters();
    x->d = d;
    x->heur = nt_filter_heuristic(x->f);
    x->s.used = 0;
    x->s.heap = NULL;
    x->s.n_heap = x->s.cap_heap = 0;
    x->s.oom = 0;

    nt_status rc;
    if (!e->tracer) {
        rc = nt_diag_add(d, NT_ERR_PARSE, st->label, st->line, st->col, NULL,
                         "trace event without \"tracer\"");
    } else if (is(e->tracer, "meta")) {
        rc = do_meta(x);
    } else if (!e->function) {
        rc = bad(x, NULL, "the event has no \"function\"");
    } else if (e->result == 0) {
        rc = NT_OK; /* failed lookups are not registered */
    } else if (is(e->tracer, "reflect")) {
        rc = do_reflect(x);
    } else if (is(e->tracer, "jni")) {
        rc = do_jni(x);
    } else if (is(e->tracer, "serialization")) {
        rc = do_serialization(x);
    } else if (is(e->tracer, "classloading")) {
        rc = do_classloading(x);
    } else {
        rc = unsupported(x, "tracer");
    }
    if (rc == NT_OK && x->s.oom)
        rc = nomem(x);
    scr_free(&x->s);
    return rc;
}

/* ---- JSON -> event ------------------------------------------------------ */

typedef struct evbuf {
    nt_arg *args;
    size_t cap_args;
    const char **strs;
    size_t cap_strs;
    char **owned;
    size_t n_owned, cap_owned;
} evbuf;

static void evbuf_reset(evbuf *b)
{
    for (size_t i = 0; i < b->n_owned; i++)
        free(b->owned[i]);
    b->n_owned = 0;
}

static void evbuf_free(evbuf *b)
{
    evbuf_reset(b);
    free(b->args);
    free(b->strs);
    free(b->owned);
    memset(b, 0, sizeof *b);
}

static const char *jstr(const json_t *v)
{
    const char *s = json_string_value(v);
    if (json_string_length(v) == 1 && s[0] == '\0')
        return NT_UNKNOWN;
    return s;
}

static int is_name_array(const json_t *v)
{
    size_t i;
    json_t *el;
    json_array_foreach(v, i, el) {
        if (!json_is_string(el) && !json_is_null(el))
            return 0;
    }
    return 1;
}

/* 0 ok, -1 shape error (err), -2 NOMEM, 1 unsupported class descriptor. */
static int str_member(json_t *o, const char *key, const char **out, char *err, size_t errn)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v)) {
        snprintf(err, errn, "\"%s\" must be a string", key);
        return -1;
    }
    *out = jstr(v);
    return 0;
}

/* A string holding NUL anywhere but as the whole "\u0000" unknown marker
 * would be cut short by C code: such events are rejected. */
static int has_embedded_nul(const json_t *v)
{
    if (json_is_string(v))
        return json_string_length(v) != strlen(json_string_value(v)) && json_string_length(v) != 1;
    size_t i;
    const char *k;
    json_t *el;
    if (json_is_array(v)) {
        json_array_foreach(v, i, el)
            if (has_embedded_nul(el))
                return 1;
    } else if (json_is_object(v)) {
        json_object_foreach((json_t *)v, k, el)
            if (has_embedded_nul(el))
                return 1;
    }
    return 0;
}

static int event_from_json(json_t *o, nt_event *e, evbuf *b, char *err, size_t errn)
{
    memset(e, 0, sizeof *e);
    e->result = -1;
    e->track = -1;
    e->builtin_caller_filter = -1;
    e->builtin_heuristic_filter = -1;
    evbuf_reset(b);
    if (!json_is_object(o)) {
        snprintf(err, errn, "a trace event must be a JSON object");
        return -1;
    }
    if (has_embedded_nul(o)) {
        snprintf(err, errn, "a string of the event contains a NUL character (\\u0000 is only "
                            "valid alone, as the unknown-value marker)");
        return -1;
    }
    if (str_member(o, "tracer", &e->tracer, err, errn) ||
        str_member(o, "function", &e->function, err, errn) ||
        str_member(o, "declaring_class", &e->declaring_class, err, errn) ||
        str_member(o, "caller_class", &e->caller_class, err, errn) ||
        str_member(o, "event", &e->event, err, errn) ||
        str_member(o, "phase", &e->phase, err, errn) ||
        str_member(o, "version", &e->version, err, errn))
        return -1;
    if (!known(e->tracer)) {
        snprintf(err, errn, "a trace event needs a \"tracer\" string");
        return -1;
    }
    if (nt_is_unknown(e->function)) {
        snprintf(err, errn, "\"function\" is unknown (\"\\u0000\")");
        return -1;
    }

    /* count the strings the args need, so pointers stay valid */
    json_t *args = json_object_get(o, "args");
    size_t n_args = 0, n_strs = 0;
    json_t *cls = json_object_get(o, "class");
    json_t *proxy = NULL;
    if (cls && json_is_array(cls))
        proxy = cls;
    else if (cls && json_is_object(cls)) {
        proxy = json_object_get(cls, "proxy");
        if (!proxy || json_object_size(cls) != 1)
            return 1; /* lambda descriptor or other object */
        if (!json_is_array(proxy)) {
            snprintf(err, errn, "\"class\": \"proxy\" must be an array of interface names");
            return -1;
        }
    } else if (cls && !json_is_string(cls) && !json_is_null(cls)) {
        snprintf(err, errn, "\"class\" must be a string, an array of interfaces or an object");
        return -1;
    }
    if (proxy) {
        size_t i;
        json_t *el;
        json_array_foreach(proxy, i, el) {
            if (!json_is_string(el)) {
                snprintf(err, errn, "\"class\": proxy interfaces must be strings");
                return -1;
            }
        }
        n_strs += json_array_size(proxy);
    }
    if (args && !json_is_null(args)) {
        if (!json_is_array(args)) {
            snprintf(err, errn, "\"args\" must be an array");
            return -1;
        }
        n_args = json_array_size(args);
        size_t i;
        json_t *el;
        json_array_foreach(args, i, el) {
            if (json_is_array(el) && is_name_array(el))
                n_strs += json_array_size(el);
        }
    }
    if (n_args > b->cap_args) {
        nt_arg *na = realloc(b->args, n_args * sizeof *na);
        if (!na)
            return -2;
        b->args = na;
        b->cap_args = n_args;
    }
    if (n_strs > b->cap_strs) {
        const char **ns = realloc(b->strs, n_strs * sizeof *ns);
        if (!ns)
            return -2;
        b->strs = ns;
        b->cap_strs = n_strs;
    }
    size_t used = 0;
    if (proxy) {
        size_t i;
        json_t *el;
        e->class_is_proxy = 1;
        e->class_ifaces = b->strs;
        json_array_foreach(proxy, i, el) b->strs[used++] = jstr(el);
        e->n_class_ifaces = json_array_size(proxy);
        if (e->n_class_ifaces == 0) {
            snprintf(err, errn, "\"class\": a proxy needs at least one interface");
            return -1;
        }
    } else if (cls && json_is_string(cls)) {
        e->class_name = jstr(cls);
    }
    if (args && !json_is_null(args)) {
        e->has_args = 1;
        e->args = b->args;
        e->n_args = n_args;
        size_t i;
        json_t *el;
        json_array_foreach(args, i, el) {
            nt_arg *a = &b->args[i];
            memset(a, 0, sizeof *a);
            if (json_is_string(el)) {
                a->str = jstr(el);
                a->kind = nt_is_unknown(a->str) ? NT_ARG_UNKNOWN : NT_ARG_STRING;
                if (a->kind == NT_ARG_UNKNOWN)
                    a->str = NULL;
            } else if (json_is_null(el)) {
                a->kind = NT_ARG_NULL;
            } else if (json_is_boolean(el)) {
                a->kind = NT_ARG_BOOL;
                a->b = json_is_true(el);
            } else if (json_is_array(el) && is_name_array(el)) {
                a->kind = NT_ARG_STRINGS;
                a->strs = b->strs ? b->strs + used : NULL;
                a->n_strs = json_array_size(el);
                size_t k;
                json_t *s;
                json_array_foreach(el, k, s) b->strs[used++] = json_is_null(s) ? NULL : jstr(s);
            } else {
                char *text = json_dumps(el, JSON_COMPACT | JSON_ENCODE_ANY);
                if (!text)
                    return -2;
                if (b->n_owned == b->cap_owned) {
                    size_t ncap = b->cap_owned ? b->cap_owned * 2 : 4;
                    char **no = realloc(b->owned, ncap * sizeof *no);
                    if (!no) {
                        free(text);
                        return -2;
                    }
                    b->owned = no;
                    b->cap_owned = ncap;
                }
                b->owned[b->n_owned++] = text;
                a->kind = NT_ARG_OTHER;
                a->str = text;
            }
        }
    }

    json_t *res = json_object_get(o, "result");
    if (json_is_boolean(res)) {
        e->result = json_is_true(res);
    } else if (json_is_string(res)) {
        const char *s = jstr(res);
        if (is(s, "true"))
            e->result = 1;
        else if (is(s, "false"))
            e->result = 0;
        else if (known(s))
            e->result_str = s;
    }
    json_t *track = json_object_get(o, "track");
    if (json_is_boolean(track))
        e->track = json_is_true(track);
    else if (json_is_string(track) && (is(json_string_value(track), "true") ||
                                       is(json_string_value(track), "false")))
        e->track = is(json_string_value(track), "true");
    else if (track && !json_is_null(track)) {
        snprintf(err, errn, "\"track\" must be a boolean");
        return -1;
    }
    static const char *const filter_keys[] = {"builtin_caller_filter", "builtin_heuristic_filter"};
    int *filter_vals[] = {&e->builtin_caller_filter, &e->builtin_heuristic_filter};
    for (size_t i = 0; i < 2; i++) {
        json_t *v = json_object_get(o, filter_keys[i]);
        if (json_is_boolean(v)) {
            *filter_vals[i] = json_is_true(v);
        } else if (v) {
            snprintf(err, errn, "\"%s\" must be a boolean", filter_keys[i]);
            return -1;
        }
    }
    return 0;
}

static const char *const event_keys[] = {
    "tracer", "function", "class", "declaring_class", "caller_class", "result", "args",
    "stack_trace", "event", "phase", "version", "track", "builtin_caller_filter",
    "builtin_heuristic_filter", NULL,
};

/* ---- heap events -------------------------------------------------------- */

typedef struct heap_event {
    nt_event ev; /* first: nt_event_free casts back */
    json_t *root;
    evbuf buf;
} heap_event;

nt_status nt_event_parse(const char *text, size_t len, const char *label, nt_event **out,
                         nt_diags *d)
{
    *out = NULL;
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
    if (!root)
        return nt_diag_add(d, NT_ERR_PARSE, label, je.line, je.column, NULL,
                           "invalid JSON: %s", je.text);
    heap_event *h = calloc(1, sizeof *h);
    if (!h) {
        json_decref(root);
        return nt_diag_add(d, NT_ERR_NOMEM, label, 0, 0, NULL, "out of memory");
    }
    h->root = root;
    char err[200] = "";
    int rc = event_from_json(root, &h->ev, &h->buf, err, sizeof err);
    if (rc != 0) {
        nt_event_free(&h->ev);
        if (rc == -2)
            return nt_diag_add(d, NT_ERR_NOMEM, label, 0, 0, NULL, "out of memory");
        return nt_diag_add(d, NT_ERR_PARSE, label, 1, 1, NULL, "%s",
                           rc == 1 ? "lambda class descriptors in trace events are not supported"
                                   : err);
    }
    *out = &h->ev;
    return NT_OK;
}

void nt_event_free(nt_event *e)
{
    if (!e)
        return;
    heap_event *h = (heap_event *)e;
    evbuf_free(&h->buf);
    json_decref(h->root);
    free(h);
}

/* ---- event -> JSON ------------------------------------------------------ */

static json_t *jval(const char *s)
{
    if (!s)
        return json_null();
    if (nt_is_unknown(s))
        return json_stringn("", 1);
    return json_string(s);
}

static int put(json_t *o, const char *key, json_t *v)
{
    return v ? json_object_set_new(o, key, v) : -1;
}

char *nt_event_to_json(const nt_event *e)
{
    if (!e || !e->tracer)
        return NULL;
    json_t *o = json_object();
    if (!o)
        return NULL;
    int bad = put(o, "tracer", jval(e->tracer));
    if (is(e->tracer, "meta")) {
        if (e->event)
            bad |= put(o, "event", jval(e->event));
        if (e->version)
            bad |= put(o, "version", jval(e->version));
        if (e->phase)
            bad |= put(o, "phase", jval(e->phase));
        if (e->track >= 0)
            bad |= put(o, "track", json_boolean(e->track));
        if (is(e->event, "builtin_filters") && e->builtin_caller_filter >= 0)
            bad |= put(o, "builtin_caller_filter", json_boolean(e->builtin_caller_filter));
        if (is(e->event, "builtin_filters") && e->builtin_heuristic_filter >= 0)
            bad |= put(o, "builtin_heuristic_filter",
                       json_boolean(e->builtin_heuristic_filter));
    }
    if (e->function)
        bad |= put(o, "function", jval(e->function));
    if (e->class_is_proxy) {
        json_t *a = json_array();
        bad |= put(o, "class", a);
        for (size_t i = 0; a && i < e->n_class_ifaces; i++)
            bad |= json_array_append_new(a, jval(e->class_ifaces[i]));
    } else if (e->class_name) {
        bad |= put(o, "class", jval(e->class_name));
    }
    if (e->declaring_class)
        bad |= put(o, "declaring_class", jval(e->declaring_class));
    if (e->caller_class)
        bad |= put(o, "caller_class", jval(e->caller_class));
    if (e->result_str)
        bad |= put(o, "result", jval(e->result_str));
    else if (e->result >= 0)
        bad |= put(o, "result", json_boolean(e->result));
    if (e->has_args) {
        json_t *a = json_array();
        bad |= put(o, "args", a);
        for (size_t i = 0; a && i < e->n_args; i++) {
            const nt_arg *g = &e->args[i];
            json_t *v = NULL;
            switch (g->kind) {
            case NT_ARG_STRING: v = jval(g->str ? g->str : ""); break;
            case NT_ARG_NULL: v = json_null(); break;
            case NT_ARG_UNKNOWN: v = jval(NT_UNKNOWN); break;
            case NT_ARG_BOOL: v = json_boolean(g->b); break;
            case NT_ARG_STRINGS:
                v = json_array();
                for (size_t k = 0; v && k < g->n_strs; k++)
                    bad |= json_array_append_new(v, jval(g->strs[k]));
                break;
            case NT_ARG_OTHER:
                v = g->str ? json_loads(g->str, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL) : NULL;
                if (!v)
                    v = json_null();
                break;
            }
            bad |= v ? json_array_append_new(a, v) : -1;
        }
    }
    char *text = bad ? NULL : json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return text;
}

/* ---- trace files -------------------------------------------------------- */

#define MAX_REPORTED 100

typedef struct pos_cursor {
    size_t off;
    int line, col;
} pos_cursor;

/* Advance the cursor to byte offset off (forward only); columns count code
 * points like jansson does. */
static void cursor_to(pos_cursor *p, const char *text, size_t off)
{
    for (; p->off < off; p->off++) {
        unsigned char ch = (unsigned char)text[p->off];
        if (ch == '\n') {
            p->line++;
            p->col = 1;
        } else if ((ch & 0xC0) != 0x80) {
            p->col++;
        }
    }
}

static size_t skip_ws(const char *t, size_t len, size_t pos)
{
    while (pos < len && (t[pos] == ' ' || t[pos] == '\t' || t[pos] == '\n' || t[pos] == '\r'))
        pos++;
    return pos;
}

nt_status nt_trace_read_buffer(nt_config *c, const char *data, size_t len, const char *label,
                               const struct nt_filter_set *filters, nt_diags *d)
{
    if (!c || (!data && len))
        return nt_diag_add(d, NT_ERR_INVAL, label, 0, 0, NULL,
                           "nt_trace_read_buffer: NULL argument");
    if (!label)
        label = "";
    nt_trace_state st;
    nt_trace_state_init(&st);
    st.label = label;
    evbuf buf;
    memset(&buf, 0, sizeof buf);
    pos_cursor cur = {0, 1, 1};
    int errors = 0, nomem_seen = 0;
    size_t events = 0;
    nt_status result = NT_OK;

#define REPORT(line_, col_, hint_, ...)                                                   \
    do {                                                                                  \
        if (errors++ < MAX_REPORTED)                                                      \
            nt_diag_add(d, NT_ERR_PARSE, label, (line_), (col_), (hint_), __VA_ARGS__);   \
    } while (0)

    size_t pos = skip_ws(data, len, 0);
    int array = 0;
    if (pos >= len) {
        REPORT(1, 1, "trace-output files hold a JSON array of event objects",
               "empty trace file");
        goto done;
    }
    if (data[pos] == '[') {
        array = 1;
        pos++;
    } else if (data[pos] != '{') {
        cursor_to(&cur, data, pos);
        REPORT(cur.line, cur.col, "trace-output files hold a JSON array of event objects",
               "a trace file must be a JSON array of event objects");
        goto done;
    }

    for (int after_comma = 0;;) {
        pos = skip_ws(data, len, pos);
        cursor_to(&cur, data, pos);
        if (pos >= len) {
            if (array)
                nt_diag_warn(d, label, cur.line, cur.col,
                             "the trace ends without its closing ']' (the JVM was stopped "
                             "before the agent closed it); %zu events read",
                             events);
            break;
        }
        if (array && data[pos] == ']' && !after_comma) {
            pos = skip_ws(data, len, pos + 1);
            if (pos < len) {
                cursor_to(&cur, data, pos);
                REPORT(cur.line, cur.col, NULL, "unexpected text after the trace's closing ']'");
            }
            break;
        }
        if (data[pos] != '{') {
            REPORT(cur.line, cur.col, "each trace entry is a JSON object",
                   "expected a trace event object");
            break;
        }
        json_error_t je;
        json_t *o = json_loadb(data + pos, len - pos,
                               JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
                               &je);
        if (!o) {
            if (je.position >= 0 && (size_t)je.position >= len - pos) {
                nt_diag_warn(d, label, cur.line, cur.col,
                             "the last trace event is cut off (the JVM was stopped while the "
                             "agent wrote it): ignored; %zu events read",
                             events);
            } else {
                int line = cur.line, col = cur.col;
                if (je.line == 1)
                    col = cur.col + je.column - 1;
                else if (je.line > 1) {
                    line = cur.line + je.line - 1;
                    col = je.column;
                }
                REPORT(line, col, NULL, "invalid JSON: %s", je.text);
            }
            break;
        }
        events++;
        st.line = cur.line;
        st.col = cur.col;
        nt_event e;
        char err[200] = "";
        int rc = event_from_json(o, &e, &buf, err, sizeof err);
        if (rc == -2) {
            nomem_seen = 1;
        } else if (rc == -1) {
            REPORT(cur.line, cur.col, "see the trace format in reference §5", "%s", err);
        } else if (rc == 1) {
            if (!(st.warned & W_LAMBDA_CLASS)) {
                st.warned |= W_LAMBDA_CLASS;
                nt_diag_warn(d, label, cur.line, cur.col,
                             "events whose \"class\" is a lambda descriptor are not supported: "
                             "skipped");
            }
        } else {
            const char *k;
            json_t *v;
            json_object_foreach(o, k, v) {
                if (in_list(k, event_keys))
                    continue;
                char key[160];
                snprintf(key, sizeof key, "key\x1f%s", k);
                if (!nt_map_get(&st.warned_functions, key)) {
                    if (nt_map_put(&st.warned_functions, key, (void *)1) != 0)
                        nomem_seen = 1;
                    nt_diag_warn(d, label, cur.line, cur.col,
                                 "unknown trace event key \"%s\": ignored", k);
                }
            }
            nt_status ps = nt_process_event(c, &st, &e, filters, errors < MAX_REPORTED ? d : NULL);
            if (ps == NT_ERR_NOMEM)
                nomem_seen = 1;
            else if (ps != NT_OK)
                errors++;
        }
        pos += (size_t)je.position;
        json_decref(o);
        if (nomem_seen)
            break;
        if (!array) {
            after_comma = 0;
            continue;
        }
        pos = skip_ws(data, len, pos);
        cursor_to(&cur, data, pos);
        if (pos >= len) {
            nt_diag_warn(d, label, cur.line, cur.col,
                         "the trace ends without its closing ']' (the JVM was stopped before the "
                         "agent closed it); %zu events read",
                         events);
            break;
        }
        if (data[pos] == ',') {
            pos++;
            after_comma = 1;
            continue;
        }
        if (data[pos] == ']') {
            after_comma = 0;
            continue;
        }
        REPORT(cur.line, cur.col, NULL, "expected ',' or ']' after a trace event");
        break;
    }
#undef REPORT

done:
    if (errors > MAX_REPORTED)
        nt_diag_add(d, NT_ERR_PARSE, label, 0, 0, NULL, "%d more problems not listed",
                    errors - MAX_REPORTED);
    if (nomem_seen)
        result = nt_diag_add(d, NT_ERR_NOMEM, label, 0, 0, NULL, "out of memory");
    else if (errors)
        result = NT_ERR_PARSE;
    evbuf_free(&buf);
    nt_trace_state_free(&st);
    return result;
}
