/* The native hooks behind the hook class: JNI arguments -> nt_event ->
 * nt_recorder_add.
 *
 * Every hook first builds a 128-bit key of what identifies the access (hook,
 * class identities as JVMTI tags, string characters via GetStringRegion into
 * a stack buffer, (class, slot) of reflected members) and of where it comes from (the caller class
 * handed in by the rewritten @CallerSensitive method, or else the caller
 * frame's jmethodID from JVMTI GetFrameLocation) and looks it up in a
 * striped set. A hit (a hot loop repeating the same access) ends there: no
 * allocation, no upcall, no full stack walk. Only a first sighting builds
 * names (JVMTI), walks the stack for the context (nt_stack_context) and hands
 * the event to the recorder. Hooks never call the intercepted method. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent_priv.h"
#include "intercepts.h"

#define JV (nt_g.jvmti)

/* ---- identities ----------------------------------------------------------- */

static volatile jlong next_tag = 1;

/* Classes met on hot paths map to their tags through a lock-free direct-mapped
 * cache indexed by identity hash: one record per slot, published once and
 * never replaced or freed while the agent runs (a weak reference, so a class
 * can still be unloaded), checked with IsSameObject. JVMTI GetTag takes the
 * tag map's global lock; a cache hit takes no lock. A slot already taken by
 * another object falls back to GetTag. */
typedef struct id_rec {
    jint hash;
    jweak ref;
    uint64_t id;
} id_rec;

#define ID_CACHE 4096
static id_rec *id_cache[ID_CACHE];

static uint64_t obj_tag(jobject o);

/* Per thread and role (receiver or declaring class, caller, array element,
 * other), the record of the last object met: a hot loop repeating an access
 * pays one IsSameObject per identity. Records are never freed, so a thread
 * may keep pointers to them without references of its own. */
enum { ROLE_SELF, ROLE_CALLER, ROLE_ELEM, ROLE_OTHER, ROLES };
static _Thread_local id_rec *memo[ROLES] __attribute__((tls_model("initial-exec")));

/* A stable number for an object (class, MethodType, Locale). */
static uint64_t obj_id(JNIEnv *env, jobject o, int role)
{
    if (!o)
        return 0;
    id_rec *m = memo[role];
    if (m && (*env)->IsSameObject(env, m->ref, o))
        return m->id;
    jint h = 0;
    if ((*JV)->GetObjectHashCode(JV, o, &h) != JVMTI_ERROR_NONE)
        return obj_tag(o);
    id_rec **slot = &id_cache[(uint32_t)h & (ID_CACHE - 1)];
    id_rec *r = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (r) {
        if (r->hash == h && (*env)->IsSameObject(env, r->ref, o)) {
            memo[role] = r;
            return r->id;
        }
        return obj_tag(o);
    }
    uint64_t id = obj_tag(o);
    if (!id)
        return 0;
    id_rec *n = malloc(sizeof *n);
    if (!n)
        return id;
    n->hash = h;
    n->id = id;
    n->ref = (*env)->NewWeakGlobalRef(env, o);
    id_rec *expect = NULL;
    if (n->ref && __atomic_compare_exchange_n(slot, &expect, n, 0, __ATOMIC_RELEASE,
                                              __ATOMIC_RELAXED)) {
        memo[role] = n;
    } else {
        if (n->ref)
            (*env)->DeleteWeakGlobalRef(env, n->ref);
        free(n);
    }
    return id;
}

/* The object's JVMTI tag (set on first use). */
static uint64_t obj_tag(jobject o)
{
    jlong tag = 0;
    if ((*JV)->GetTag(JV, o, &tag) != JVMTI_ERROR_NONE)
        return 0;
    if (tag == 0) {
        tag = __atomic_fetch_add(&next_tag, 1, __ATOMIC_RELAXED);
        if ((*JV)->SetTag(JV, o, tag) != JVMTI_ERROR_NONE)
            return 0;
    }
    return (uint64_t)tag;
}

/* ---- keys ----------------------------------------------------------------- */

typedef struct key {
    uint64_t a, b;
} key;

static void k_init(key *k, const char *hook)
{
    k->a = 0xcbf29ce484222325ull;
    k->b = 0x84222325cbf29ce4ull;
    for (const char *p = hook; *p; p++) {
        k->a = (k->a ^ (uint8_t)*p) * 0x100000001b3ull;
        k->b = ((k->b << 5 | k->b >> 59) ^ (uint8_t)*p) * 0x9E3779B97F4A7C15ull;
    }
}

static void k_u64(key *k, uint64_t v)
{
    k->a = (k->a ^ v) * 0x100000001b3ull;
    k->a ^= k->a >> 29;
    k->b = ((k->b << 7 | k->b >> 57) ^ v) * 0x9E3779B97F4A7C15ull;
    k->b ^= k->b >> 31;
}

/* String characters, copied in chunks into a stack buffer (no allocation). */
static void k_str(key *k, JNIEnv *env, jobject s)
{
    if (!s) {
        k_u64(k, 0xFFFFFFFFull);
        return;
    }
    jsize n = (*env)->GetStringLength(env, s);
    k_u64(k, (uint64_t)n);
    jchar buf[128];
    for (jsize off = 0; off < n; off += 128) {
        jsize len = n - off < 128 ? n - off : 128;
        (*env)->GetStringRegion(env, s, off, len, buf);
        for (jsize i = 0; i < len; i += 4) {
            uint64_t v = buf[i];
            if (i + 1 < len)
                v |= (uint64_t)buf[i + 1] << 16;
            if (i + 2 < len)
                v |= (uint64_t)buf[i + 2] << 32;
            if (i + 3 < len)
                v |= (uint64_t)buf[i + 3] << 48;
            k_u64(k, v);
        }
    }
}

static void k_obj(key *k, JNIEnv *env, jobject o)
{
    k_u64(k, obj_id(env, o, ROLE_SELF));
}

static void k_obj_role(key *k, JNIEnv *env, jobject o, int role)
{
    k_u64(k, obj_id(env, o, role));
}

static void k_class_array(key *k, JNIEnv *env, jobject arr)
{
    if (!arr) {
        k_u64(k, 0xFFFFFFFEull);
        return;
    }
    jsize n = (*env)->GetArrayLength(env, arr);
    k_u64(k, (uint64_t)n);
    for (jsize i = 0; i < n; i++) {
        jobject c = (*env)->GetObjectArrayElement(env, arr, i);
        k_obj_role(k, env, c, ROLE_ELEM);
        if (c)
            (*env)->DeleteLocalRef(env, c);
    }
}

/* The method of the frame k_frame read last on this thread (refused_caller). */
static _Thread_local jmethodID who_method __attribute__((tls_model("initial-exec")));

/* The caller frame's method (depth: frames above it, the hook's own frame
 * is 0 and the intercepted method 1). */
static void k_frame(key *k, int depth)
{
    jlocation loc;
    if (nt_frame_at(JV, depth, &who_method, &loc) != 0)
        who_method = NULL;
    k_u64(k, (uint64_t)(uintptr_t)who_method); /* record() reads the caller from it */
}

/* ---- the seen-set: 64 stripes of open-addressing sets of 128-bit keys ------ */

/* Lookups take no lock: a stripe's table is published with a release store,
 * and a table replaced by a bigger one stays allocated (and readable, merely
 * incomplete: a miss in it is checked again under the stripe's lock) until
 * the agent unloads. Inserts happen under the lock; a slot is written b first,
 * then a with release order, so a reader that sees a slot's `a` sees its `b`.
 * Slots are never emptied.
 *
 * The low bit of a stored `b` is the RECHECK flag; keys compare without it.
 * A key whose access has been seen only in contexts that may be build-time
 * (before the main phase, under a <clinit>, inside Clojure namespace loading)
 * keeps RECHECK: each later sighting reads the stack again, so that the first
 * run-time sighting is recorded too (prune keeps an entry with one run-time
 * context, DESIGN.md §4) and clears the flag. A run-time access repeated in a
 * hot loop costs one lock-free probe. */

#define NSTRIPES 64
#define RECHECK 1ull

typedef struct table {
    size_t cap; /* power of two */
    key slots[];
} table;

typedef struct retired {
    struct retired *next;
    table *t;
} retired;

typedef struct stripe {
    pthread_mutex_t mu;
    table *t;          /* current table: atomic loads and stores */
    size_t count;      /* under mu */
    retired *old;      /* replaced tables, under mu */
} __attribute__((aligned(64))) stripe;

static stripe stripes[NSTRIPES];
static pthread_once_t stripes_once = PTHREAD_ONCE_INIT;

static void stripes_init(void)
{
    for (int i = 0; i < NSTRIPES; i++)
        pthread_mutex_init(&stripes[i].mu, NULL);
}

/* The form a key is stored and looked up in. */
static key k_norm(key k)
{
    if (k.a == 0)
        k.a = 1; /* a == 0 marks an empty slot */
    k.b &= ~RECHECK;
    return k;
}

static stripe *stripe_of(key k)
{
    return &stripes[(k.a >> 58) & (NSTRIPES - 1)];
}

/* The slot holding k (normalized) in t, or NULL. Lock-free. */
static key *t_find(table *t, key k)
{
    if (!t)
        return NULL;
    size_t mask = t->cap - 1;
    for (size_t j = (size_t)(k.b >> 1) & mask;; j = (j + 1) & mask) {
        uint64_t a = __atomic_load_n(&t->slots[j].a, __ATOMIC_ACQUIRE);
        if (a == 0)
            return NULL;
        if (a == k.a && (__atomic_load_n(&t->slots[j].b, __ATOMIC_RELAXED) & ~RECHECK) == k.b)
            return &t->slots[j];
    }
}

/* Store k (normalized) with flag into a free slot of t (the caller made room). */
static void t_put(table *t, key k, uint64_t flag)
{
    size_t mask = t->cap - 1;
    size_t j = (size_t)(k.b >> 1) & mask;
    while (t->slots[j].a)
        j = (j + 1) & mask;
    __atomic_store_n(&t->slots[j].b, k.b | flag, __ATOMIC_RELAXED);
    __atomic_store_n(&t->slots[j].a, k.a, __ATOMIC_RELEASE);
}

enum { K_ABSENT = 0, K_KNOWN = 1, K_RECHECK = 2 };

/* Lock-free lookup of k (normalized). */
static int seen_get(key k)
{
    key *s = t_find(__atomic_load_n(&stripe_of(k)->t, __ATOMIC_ACQUIRE), k);
    if (!s)
        return K_ABSENT;
    return (__atomic_load_n(&s->b, __ATOMIC_RELAXED) & RECHECK) ? K_RECHECK : K_KNOWN;
}

/* Insert k (normalized) with flag unless present. 0 inserted, 1 present, -1 NOMEM. */
static int seen_add(key k, uint64_t flag)
{
    stripe *s = stripe_of(k);
    pthread_mutex_lock(&s->mu);
    table *t = s->t;
    if (t_find(t, k)) {
        pthread_mutex_unlock(&s->mu);
        return 1;
    }
    if (!t || (s->count + 1) * 2 > t->cap) {
        size_t cap = t ? t->cap * 2 : 256;
        table *n = calloc(1, sizeof *n + cap * sizeof(key));
        retired *r = t ? malloc(sizeof *r) : NULL;
        if (!n || (t && !r)) {
            free(n);
            free(r);
            pthread_mutex_unlock(&s->mu);
            return -1;
        }
        n->cap = cap;
        for (size_t i = 0; t && i < t->cap; i++)
            if (t->slots[i].a) {
                key o = {t->slots[i].a, t->slots[i].b & ~RECHECK};
                t_put(n, o, t->slots[i].b & RECHECK);
            }
        __atomic_store_n(&s->t, n, __ATOMIC_RELEASE);
        if (r) { /* readers may still be probing t */
            r->t = t;
            r->next = s->old;
            s->old = r;
        }
    }
    t_put(s->t, k, flag);
    s->count++;
    pthread_mutex_unlock(&s->mu);
    return 0;
}

/* Clear k's RECHECK flag (k normalized and present). */
static void seen_clear_recheck(key k)
{
    stripe *s = stripe_of(k);
    pthread_mutex_lock(&s->mu);
    key *slot = t_find(s->t, k);
    if (slot)
        __atomic_store_n(&slot->b, k.b, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&s->mu);
}

/* ---- sightings ---------------------------------------------------------------- */

/* Per thread: the key of the current access without its caller (k_who
 * saves it before mixing the caller in), for NT_STATE_SETTLED. */
static _Thread_local key who_pre __attribute__((tls_model("initial-exec")));
static _Thread_local int who_pre_ok __attribute__((tls_model("initial-exec")));
static _Thread_local int who_depth __attribute__((tls_model("initial-exec"))); /* w.depth */

/* What the hook on this thread is recording: set by first_sighting, read by
 * record() and done(). */
typedef struct sighting {
    key k;          /* the access key (normalized) */
    key pre;        /* the access key without the caller (pre_ok) */
    int has_key;    /* first_sighting ran in this hook (done() hands k to state()) */
    int pre_ok;
    int active;     /* first_sighting returned 1 and the hook has not finished */
    int recorded;   /* record() ran for it */
    int settled;    /* recorded in a run-time context from an accepted caller */
    jmethodID caller_method; /* the method of the frame at caller_depth k_frame read for the key */
    int caller_depth;
    int ctx_ok;     /* first_sighting walked the stack from ctx_depth: ctx is this access's */
    int ctx_depth;
    nt_rec_context ctx;
} sighting;

static _Thread_local sighting cur __attribute__((tls_model("initial-exec")));

static int ctx_may_be_build_time(const nt_rec_context *c)
{
    return !c->main_phase || c->clinit_class || c->clojure_loading;
}

/* Key of (access key, build-time context): one per distinct such context. */
static key k_context(key k, const nt_rec_context *c)
{
    key x = k;
    k_u64(&x, 0xC0C0C0C0ull ^ (uint64_t)c->main_phase ^ (uint64_t)c->clojure_loading << 1);
    for (const char *p = c->clinit_class ? c->clinit_class : ""; *p; p++)
        k_u64(&x, (uint8_t)*p);
    return k_norm(x);
}

static void cache_nomem(void)
{
    nt_fail("out of memory in the access cache");
}

/* Key marking an access (without its caller) as settled: recorded in a
 * run-time context from a caller the filters accept (NT_STATE_SETTLED). */
static key k_settled(key pre)
{
    k_u64(&pre, 0x5E771ED5E771ED00ull);
    return k_norm(pre);
}

/* Ends the fast path: 1 = build the event and record() it, 0 = known. */
static int first_sighting(key k)
{
    cur.active = 0;
    k = k_norm(k);
    cur.k = k;
    cur.has_key = 1;
    cur.settled = 0;
    cur.pre_ok = who_pre_ok;
    cur.pre = who_pre;
    cur.ctx_ok = 0;
    int depth = who_pre_ok ? who_depth : 0;
    cur.caller_method = who_pre_ok ? who_method : NULL;
    cur.caller_depth = depth;
    who_pre_ok = 0;
    int st = seen_get(k);
    if (st == K_KNOWN)
        return 0;
    int r = st == K_ABSENT ? seen_add(k, RECHECK) : 1; /* cleared by record() at run time */
    if (r < 0) {
        cache_nomem();
        return 0;
    }
    if (r == 1) {
        /* seen before (maybe by another thread between the probe and the add), so far
         * in possibly build-time contexts only: is this one new? (record() reuses the walk) */
        nt_rec_context *ctx = &cur.ctx;
        if (nt_stack_context(JV, depth, ctx) != 0)
            return 0;
        cur.ctx_ok = 1;
        cur.ctx_depth = depth;
        if (ctx_may_be_build_time(ctx)) {
            r = seen_add(k_context(k, ctx), 0);
            if (r < 0)
                cache_nomem();
            if (r != 0)
                return 0;
        }
    }
    cur.active = 1;
    cur.recorded = 0;
    return 1;
}

/* After record() computed the context of the current sighting. */
static void sighting_context(const nt_rec_context *ctx)
{
    if (!cur.active)
        return;
    cur.recorded = 1;
    if (!ctx_may_be_build_time(ctx)) {
        seen_clear_recheck(cur.k);
        if (cur.pre_ok && ctx->caller_class &&
            nt_filter_accepts_caller(nt_g.filters, ctx->caller_class)) {
            cur.settled = 1;
            if (seen_add(k_settled(cur.pre), 0) < 0)
                cache_nomem();
        }
    } else if (seen_add(k_context(cur.k, ctx), 0) < 0) {
        cache_nomem();
    }
}

/* ---- slow-path helpers ------------------------------------------------------ */

/* Strings allocated while building one event; freed together. */
typedef struct arena {
    char *p[64];
    int n;
    int oom;
} arena;

static char *a_keep(arena *a, char *s)
{
    if (!s) {
        a->oom = 1;
        return NULL;
    }
    if (a->n == 64) {
        free(s);
        a->oom = 1;
        return NULL;
    }
    a->p[a->n++] = s;
    return s;
}

static void a_free(arena *a)
{
    for (int i = 0; i < a->n; i++)
        free(a->p[i]);
    a->n = 0;
}

/* One type descriptor ("I", "[Ljava/lang/String;", "Lp/C;") in Class.getName()
 * form ("int", "[Ljava.lang.String;", "p.C"). len: descriptor length. */
static char *desc_to_name(const char *d, size_t len)
{
    static const struct {
        char c;
        const char *n;
    } prim[] = {{'Z', "boolean"}, {'B', "byte"}, {'C', "char"},   {'S', "short"}, {'I', "int"},
                {'J', "long"},    {'F', "float"}, {'D', "double"}, {'V', "void"}};
    if (len == 1) {
        for (size_t i = 0; i < sizeof prim / sizeof *prim; i++)
            if (prim[i].c == d[0])
                return strdup(prim[i].n);
        return NULL;
    }
    const char *s = d;
    size_t n = len;
    if (d[0] == 'L' && d[len - 1] == ';') {
        s = d + 1;
        n = len - 2;
    }
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    /* a hidden class's signature "Lp/Foo.0x1a;" is Class.getName() "p.Foo/0x1a" */
    for (size_t i = 0; i < n; i++)
        out[i] = s[i] == '/' ? '.' : s[i] == '.' ? '/' : s[i];
    out[n] = '\0';
    return out;
}

/* Class.getName() of a class, from JVMTI (no upcall). Kept in the arena. */
static const char *class_name(arena *a, jobject cls)
{
    if (!cls)
        return NULL;
    char *sig = NULL;
    if ((*JV)->GetClassSignature(JV, cls, &sig, NULL) != JVMTI_ERROR_NONE || !sig)
        return NT_UNKNOWN;
    char *n = desc_to_name(sig, strlen(sig));
    (*JV)->Deallocate(JV, (unsigned char *)sig);
    return n ? a_keep(a, n) : NT_UNKNOWN;
}

/* The class's type descriptor with dots ("[Ljava.lang.String;", "I"): the
 * element of an array class name. Kept in the arena. */
static const char *class_desc_dots(arena *a, jobject cls)
{
    char *sig = NULL;
    if (!cls || (*JV)->GetClassSignature(JV, cls, &sig, NULL) != JVMTI_ERROR_NONE || !sig)
        return NULL;
    char *out = strdup(sig);
    (*JV)->Deallocate(JV, (unsigned char *)sig);
    if (out)
        for (char *p = out; *p; p++)
            if (*p == '/')
                *p = '.';
    return a_keep(a, out);
}

static const char *jstr(arena *a, JNIEnv *env, jobject s)
{
    if (!s)
        return NULL;
    const char *u = (*env)->GetStringUTFChars(env, s, NULL);
    if (!u) {
        (*env)->ExceptionClear(env);
        a->oom = 1;
        return NULL;
    }
    char *c = strdup(u);
    (*env)->ReleaseStringUTFChars(env, s, u);
    return a_keep(a, c);
}

#define MAXP 255

/* Names of the classes in a Class[] (NULL array: none). */
static size_t class_array_names(arena *a, JNIEnv *env, jobject arr, const char **names, size_t max)
{
    if (!arr)
        return 0;
    jsize n = (*env)->GetArrayLength(env, arr);
    size_t k = 0;
    for (jsize i = 0; i < n && k < max; i++) {
        jobject c = (*env)->GetObjectArrayElement(env, arr, i);
        names[k++] = c ? class_name(a, c) : NT_UNKNOWN;
        if (c)
            (*env)->DeleteLocalRef(env, c);
    }
    return k;
}

/* ---- cached JDK handles ----------------------------------------------------- */

static jmethodID m_class_new_instance; /* Class.newInstance() */
static jmethodID m_enclosing0;         /* Class.getEnclosingMethod0() */
static jmethodID m_locale_tag;         /* Locale.toLanguageTag() */
static jmethodID m_mt_params;          /* MethodType.parameterArray() */
static jmethodID m_osc_name;           /* ObjectStreamClass.getName() */
static jmethodID m_sl_capturing;       /* SerializedLambda.getCapturingClass() */
static jclass c_serializable;          /* java.io.Serializable (global) */
static jclass c_class;                 /* java.lang.Class (global) */
static jint class_new_instance_slot = -1;
static jfieldID f_method_clazz, f_method_slot, f_method_name, f_method_params;
static jfieldID f_ctor_clazz, f_ctor_slot, f_ctor_params;
static jfieldID f_field_clazz, f_field_slot, f_field_name;
static jclass c_classloader;           /* java.lang.ClassLoader (global) */
static jmethodID m_class_get_method;   /* Class.getMethod(String, Class[]) */
static jmethodID m_class_get_field;    /* Class.getField(String) */

static jmethodID method_id(JNIEnv *env, const char *cls, const char *name, const char *sig)
{
    jclass c = (*env)->FindClass(env, cls);
    if (!c) {
        (*env)->ExceptionClear(env);
        return NULL;
    }
    jmethodID m = (*env)->GetMethodID(env, c, name, sig);
    if (!m)
        (*env)->ExceptionClear(env);
    (*env)->DeleteLocalRef(env, c);
    return m;
}

static jclass global_class(JNIEnv *env, const char *name)
{
    jclass c = (*env)->FindClass(env, name);
    if (!c) {
        (*env)->ExceptionClear(env);
        return NULL;
    }
    jclass g = (*env)->NewGlobalRef(env, c);
    (*env)->DeleteLocalRef(env, c);
    return g;
}

/* A method of a class that has an instance at hand (hence is initialized). */
static jmethodID lazy_mid(JNIEnv *env, jmethodID *slot, const char *cls, const char *name,
                          const char *sig)
{
    jmethodID m = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (!m) {
        m = method_id(env, cls, name, sig);
        if (m)
            __atomic_store_n(slot, m, __ATOMIC_RELEASE);
    }
    return m;
}

#define MID_LOCALE_TAG(env) \
    lazy_mid(env, &m_locale_tag, "java/util/Locale", "toLanguageTag", "()Ljava/lang/String;")
#define MID_MT_PARAMS(env)                                                            \
    lazy_mid(env, &m_mt_params, "java/lang/invoke/MethodType", "parameterArray", \
             "()[Ljava/lang/Class;")
#define MID_OSC_NAME(env) \
    lazy_mid(env, &m_osc_name, "java/io/ObjectStreamClass", "getName", "()Ljava/lang/String;")
#define MID_SL_CAPTURING(env)                                                                  \
    lazy_mid(env, &m_sl_capturing, "java/lang/invoke/SerializedLambda", "getCapturingClass", \
             "()Ljava/lang/String;")

int nt_hooks_init(JNIEnv *env)
{
    pthread_once(&stripes_once, stripes_init);
    /* Only classes initialized long before VMInit here: JNI FindClass/GetMethodID
     * initialize classes, and the agent must not change the program's class
     * initialization order. The others are resolved on first use (lazy_mid),
     * when an instance proves their class is initialized. */
    m_class_new_instance = method_id(env, "java/lang/Class", "newInstance", "()Ljava/lang/Object;");
    c_serializable = global_class(env, "java/io/Serializable");
    c_classloader = global_class(env, "java/lang/ClassLoader");
    c_class = global_class(env, "java/lang/Class");
    m_enclosing0 = method_id(env, "java/lang/Class", "getEnclosingMethod0", "()[Ljava/lang/Object;");
    m_class_get_method = method_id(env, "java/lang/Class", "getMethod",
                                   "(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;");
    m_class_get_field =
        method_id(env, "java/lang/Class", "getField", "(Ljava/lang/String;)Ljava/lang/reflect/Field;");
    jclass cm = (*env)->FindClass(env, "java/lang/reflect/Method");
    jclass cc = (*env)->FindClass(env, "java/lang/reflect/Constructor");
    jclass cf = (*env)->FindClass(env, "java/lang/reflect/Field");
    if (!cm || !cc || !cf) {
        (*env)->ExceptionClear(env);
        nt_log("cannot resolve java.lang.reflect classes");
        return -1;
    }
    f_method_clazz = (*env)->GetFieldID(env, cm, "clazz", "Ljava/lang/Class;");
    f_method_slot = (*env)->GetFieldID(env, cm, "slot", "I");
    f_method_name = (*env)->GetFieldID(env, cm, "name", "Ljava/lang/String;");
    f_method_params = (*env)->GetFieldID(env, cm, "parameterTypes", "[Ljava/lang/Class;");
    f_ctor_clazz = (*env)->GetFieldID(env, cc, "clazz", "Ljava/lang/Class;");
    f_ctor_slot = (*env)->GetFieldID(env, cc, "slot", "I");
    f_ctor_params = (*env)->GetFieldID(env, cc, "parameterTypes", "[Ljava/lang/Class;");
    f_field_clazz = (*env)->GetFieldID(env, cf, "clazz", "Ljava/lang/Class;");
    f_field_slot = (*env)->GetFieldID(env, cf, "slot", "I");
    f_field_name = (*env)->GetFieldID(env, cf, "name", "Ljava/lang/String;");
    if ((*env)->ExceptionCheck(env))
        (*env)->ExceptionClear(env);
    if (m_class_new_instance && c_class && f_method_slot) {
        jobject m = (*env)->ToReflectedMethod(env, c_class, m_class_new_instance, JNI_FALSE);
        if (m)
            class_new_instance_slot = (*env)->GetIntField(env, m, f_method_slot);
        if ((*env)->ExceptionCheck(env))
            (*env)->ExceptionClear(env);
    }
    if (!m_class_new_instance || !c_serializable || !c_classloader || !c_class ||
        !f_method_clazz || !f_method_slot || !f_method_name || !f_method_params ||
        !f_ctor_clazz || !f_ctor_slot || !f_ctor_params || !f_field_clazz || !f_field_slot ||
        !f_field_name || !m_class_get_method || !m_class_get_field) {
        nt_log("cannot resolve the JDK methods the hooks need");
        return -1;
    }
    return 0;
}

/* ---- recording -------------------------------------------------------------- */

/* How a hook knows its caller. */
typedef struct who {
    int cs;         /* the caller class was handed in (cls; NULL = no Java caller) */
    jobject cls;
    int depth;      /* else: the caller frame's depth */
} who;

static who by_class(jobject cls, int depth)
{
    who w = {1, cls, depth};
    return w;
}

static who by_frame(int depth)
{
    who w = {0, NULL, depth};
    return w;
}

/* The frame depth of the program's caller of the intercepted method, seen
 * from a native hook: 2 when NT_HOOK_CLASS's native was called by the
 * rewritten JDK method, 3 when NT_FAST_CLASS's native was called by the
 * Java fast path that the rewritten method called. h: the class declaring
 * the native (JNI's second argument). */
static jclass fast_cls; /* global reference, set by nt_hooks_fast_class */

void nt_hooks_fast_class(jclass cls)
{
    fast_cls = cls;
}

static int hook_depth(JNIEnv *env, jclass h)
{
    return fast_cls && (*env)->IsSameObject(env, h, fast_cls) ? 3 : 2;
}

static void k_who(key *k, JNIEnv *env, who w)
{
    who_pre = *k;
    who_pre_ok = 1;
    who_depth = w.depth;
    who_method = NULL;
    if (w.cs)
        k_u64(k, obj_id(env, w.cls, ROLE_CALLER) ^ 0x5a5a5a5a00000000ull);
    else
        k_frame(k, w.depth);
}

/* An event the config can never hold because the caller filters refuse its
 * caller (the JDK's own calls, mostly): its context does not matter, so the
 * stack is not walked, and the access is not re-checked in other contexts.
 * Fills ctx with the caller only and returns 1; 0 otherwise. */
static int refused_caller(const nt_event *e, who w, arena *a, nt_rec_context *ctx)
{
    if (!nt_event_caller_filtered(e->tracer, e->function))
        return 0;
    const char *caller = NULL;
    char buf[1024];
    if (w.cs)
        caller = w.cls ? class_name(a, w.cls) : NULL;
    else if (cur.active && cur.caller_method && cur.caller_depth == w.depth)
        caller = nt_method_class(JV, cur.caller_method); /* read for the key */
    else if (nt_frame_class(JV, w.depth, buf, sizeof buf) == 0)
        caller = a_keep(a, strdup(buf));
    if (!caller || nt_is_unknown(caller) || nt_filter_accepts_caller(nt_g.filters, caller))
        return 0;
    memset(ctx, 0, sizeof *ctx);
    ctx->main_phase = nt_g.main_phase;
    ctx->caller_class = caller;
    return 1;
}

/* First sighting: fill the context from the stack and record. */
static void record(nt_event *e, who w, arena *a)
{
    if (a->oom) {
        nt_fail("out of memory building a trace event");
        return;
    }
    nt_rec_context ctx;
    int refused = 0;
    if (cur.active && cur.ctx_ok && cur.ctx_depth == w.depth) {
        ctx = cur.ctx; /* first_sighting's walk */
    } else if ((refused = refused_caller(e, w, a, &ctx)) != 0) {
        /* no walk */
    } else if (nt_stack_context(JV, w.depth, &ctx) != 0) {
        memset(&ctx, 0, sizeof ctx);
        ctx.main_phase = nt_g.main_phase;
    }
    if (a->oom) {
        nt_fail("out of memory building a trace event");
        return;
    }
    if (w.cs && !refused) {
        ctx.caller_class = w.cls ? class_name(a, w.cls) : NULL;
        if (ctx.caller_class && nt_is_unknown(ctx.caller_class))
            ctx.caller_class = NULL;
    }
    e->caller_class = ctx.caller_class;
    if (nt_recorder_add(nt_g.rec, e, &ctx) < 0)
        nt_fail("out of memory recording an access");
    if (!refused) {
        sighting_context(&ctx);
    } else if (cur.active) {
        cur.recorded = 1;
        seen_clear_recheck(cur.k);
    }
}

static void reflect_event(nt_event *e, const char *function)
{
    memset(e, 0, sizeof *e);
    e->tracer = "reflect";
    e->function = function;
    e->result = -1;
    e->track = -1;
}

static nt_arg arg_s(const char *s)
{
    nt_arg x;
    memset(&x, 0, sizeof x);
    if (!s)
        x.kind = NT_ARG_NULL;
    else if (nt_is_unknown(s))
        x.kind = NT_ARG_UNKNOWN;
    else {
        x.kind = NT_ARG_STRING;
        x.str = s;
    }
    return x;
}

static nt_arg arg_v(const char *const *v, size_t n)
{
    nt_arg x;
    memset(&x, 0, sizeof x);
    x.kind = NT_ARG_STRINGS;
    x.strs = v;
    x.n_strs = n;
    return x;
}

static nt_arg arg_unknown(void)
{
    nt_arg x;
    memset(&x, 0, sizeof x);
    x.kind = NT_ARG_UNKNOWN;
    return x;
}

/* Leave the hook: no exception of ours may escape into the program. Only a
 * first sighting calls into Java (upcalls before the key, call_string, clear
 * their own exceptions); the fast path's JNI calls raise none. */
static void done(JNIEnv *env)
{
    if (cur.active) {
        /* A first sighting that recorded nothing (not an access after all):
         * its context cannot change that. */
        if (!cur.recorded)
            seen_clear_recheck(cur.k);
        cur.active = 0;
        if ((*env)->ExceptionCheck(env))
            (*env)->ExceptionClear(env);
    }
    if (cur.has_key) { /* state() may report on cur's key (cur stays until the next key) */
        nt_hook_state = 1;
        cur.has_key = 0;
    }
    nt_leave();
}

/* NT_FAST_CLASS.state(): what is known of the access of the hook this thread
 * just left (NT_STATE_*; 0 when it stopped before its key). Looked up here,
 * not in done(): only the Java fast path asks, and only after a miss. */
jint JNICALL nth_state(JNIEnv *env, jclass h)
{
    (void)env;
    (void)h;
    if (!nt_hook_state)
        return 0;
    nt_hook_state = 0;
    jint st = 0;
    if (seen_get(cur.k) == K_KNOWN)
        st |= NT_STATE_KNOWN;
    if (cur.settled || (cur.pre_ok && seen_get(k_settled(cur.pre)) == K_KNOWN))
        st |= NT_STATE_SETTLED;
    return st;
}

static void set_args(nt_event *e, nt_arg *args, size_t n)
{
    e->has_args = 1;
    e->args = args;
    e->n_args = n;
}

/* First sighting of a named access: record `function` on the class cls (or,
 * when cls is NULL, the class named cls_name) with args [name] (with_name) or
 * none. */
static void record_named(JNIEnv *env, const char *function, const char *cls_name, jobject cls,
                         int with_name, jobject name, who w)
{
    arena a = {0};
    nt_event e;
    reflect_event(&e, function);
    e.class_name = cls ? class_name(&a, cls) : cls_name;
    nt_arg args[1];
    if (with_name) {
        args[0] = arg_s(jstr(&a, env, name));
        set_args(&e, args, 1);
    }
    record(&e, w, &a);
    a_free(&a);
}

/* Key of a member given as a reflection object: the hook, (declaring class, slot). */
static void k_member(key *k, JNIEnv *env, const char *hook, jobject decl, jint slot)
{
    k_init(k, hook);
    k_obj(k, env, decl);
    k_u64(k, (uint64_t)(uint32_t)slot);
}

/* ---- native signatures -------------------------------------------------------- */

/* Each native's parameters must match its hook descriptor (intercepts.c)
 * exactly: RegisterNatives binds by name and descriptor, and the types before
 * the trailing caller argument decide where it arrives (a float/double value
 * moves it to another register). Parameters a hook does not read are UNUSED. */
#define UNUSED __attribute__((unused))
#define PARAMS(...) __VA_ARGS__

/* The two natives of a hook of a caller-sensitive entry: fn(env, h, PARAMS)
 * for the plain descriptor, with w = the caller frame, and fnC(env, h, PARAMS,
 * caller) for the one with the caller class, with w = that class. The body
 * (after params) reads env and w. */
#define HOOK_PAIR_AS(storage, fn, params, ...)                                                 \
    storage void JNICALL fn(JNIEnv *env, jclass h, PARAMS params)                              \
    {                                                                                          \
        const who w = by_frame(hook_depth(env, h));                                            \
        __VA_ARGS__;                                                                           \
    }                                                                                          \
    storage void JNICALL fn##C(JNIEnv *env, jclass h, PARAMS params, jobject caller)           \
    {                                                                                          \
        const who w = by_class(caller, hook_depth(env, h));                                    \
        __VA_ARGS__;                                                                           \
    }
#define HOOK_PAIR(name, params, ...) HOOK_PAIR_AS(, nth_##name, params, __VA_ARGS__)

/* ---- class lookup ------------------------------------------------------------ */

static void for_name(JNIEnv *env, const char *function, jobject name, who w)
{
    if (!name || !nt_enter())
        return;
    key k;
    k_init(&k, function);
    k_str(&k, env, name);
    k_who(&k, env, w);
    if (first_sighting(k))
        record_named(env, function, "java.lang.Class", NULL, 1, name, w);
    done(env);
}

HOOK_PAIR(forName1, (jobject name), for_name(env, "forName", name, w))
HOOK_PAIR(forName3, (jobject name, jboolean init UNUSED, jobject loader UNUSED),
          for_name(env, "forName", name, w))
HOOK_PAIR(forNameModule, (jobject module UNUSED, jobject name), for_name(env, "forName", name, w))

void JNICALL nth_forNameCaller(JNIEnv *env, jclass h, jobject name, jobject caller)
{
    for_name(env, "forName", name, by_class(caller, hook_depth(env, h)));
}

void JNICALL nth_findSystemClass(JNIEnv *env, jclass h, jobject loader UNUSED, jobject name)
{
    for_name(env, "findSystemClass", name, by_frame(hook_depth(env, h)));
}


/* Explicit loadClass calls (GraalVM's rule for telling them from the class
 * loading the VM starts): a call site is explicit when its bytecode is
 * `invokevirtual X.loadClass(String)Class` and its method is not a class
 * loader's. Each calling method gets one record, kept with the method's
 * facts (stack.c) and built on its first loadClass call: a bitmap of the
 * positions that may hold an explicit call. First these are the positions
 * holding the invokevirtual opcode (one copy of the bytecode; a class
 * loader's methods get none). The VM's own loads come from new, getstatic,
 * invokestatic, ldc...: in `clojure.main -e` 1 870 of 1 877 loadClass calls
 * (from 193 methods) are not at an invokevirtual, and each then costs a bit
 * test. Only when a call comes from a marked position is the class's
 * constant pool copied out (GetConstantPool copies the whole pool: 107 pools,
 * 10-18 ms, when every calling method was scanned) and the record replaced by
 * the exact one. (A position inside another instruction's operands may be
 * marked too; the VM only ever reports instruction starts.) */
typedef struct load_sites {
    int exact;       /* the bits are the explicit sites (the pool was read) */
    size_t len;      /* positions covered */
    uint8_t bits[];
} load_sites;

static load_sites *sites_new(size_t len, int exact)
{
    load_sites *ls = calloc(1, sizeof *ls + (len + 7) / 8);
    if (ls) {
        ls->exact = exact;
        ls->len = len;
    }
    return ls;
}

static int site_marked(const load_sites *ls, jlocation bci)
{
    return bci >= 0 && (uint64_t)bci < ls->len && (ls->bits[bci >> 3] >> (bci & 7) & 1);
}

static void site_mark(load_sites *ls, size_t i)
{
    ls->bits[i >> 3] |= (uint8_t)(1u << (i & 7));
}

/* The first record of m: its invokevirtual positions (none for a class
 * loader's method or a method without bytecode). NULL: out of memory. */
static load_sites *invoke_sites(JNIEnv *env, jmethodID m)
{
    jclass decl = NULL;
    int from_loader = (*JV)->GetMethodDeclaringClass(JV, m, &decl) == JVMTI_ERROR_NONE &&
                      (*env)->IsAssignableFrom(env, decl, c_classloader);
    if (decl)
        (*env)->DeleteLocalRef(env, decl);
    jint blen = 0;
    unsigned char *code = NULL;
    if (from_loader || (*JV)->GetBytecodes(JV, m, &blen, &code) != JVMTI_ERROR_NONE)
        return sites_new(0, 1);
    load_sites *ls = sites_new((size_t)blen, 0);
    for (jint i = 0; ls && i + 2 < blen; i++)
        if (code[i] == 0xb6)
            site_mark(ls, (size_t)i);
    (*JV)->Deallocate(JV, code);
    return ls;
}

/* The exact record of m: the positions calling *.loadClass(String)Class;
 * none when the bytecode or the pool cannot be read. NULL: out of memory. */
static load_sites *exact_sites(jmethodID m)
{
    jint blen = 0;
    unsigned char *code = NULL;
    if ((*JV)->GetBytecodes(JV, m, &blen, &code) != JVMTI_ERROR_NONE)
        return sites_new(0, 1);
    jclass cls = NULL;
    jint count = 0, bytes = 0;
    unsigned char *cp = NULL;
    if ((*JV)->GetMethodDeclaringClass(JV, m, &cls) != JVMTI_ERROR_NONE ||
        (*JV)->GetConstantPool(JV, cls, &count, &bytes, &cp) != JVMTI_ERROR_NONE) {
        (*JV)->Deallocate(JV, code);
        return sites_new(0, 1);
    }
    /* offsets of entries 1..count-1 */
    size_t *off = calloc((size_t)count + 1, sizeof *off);
    load_sites *ls = off ? sites_new((size_t)blen, 1) : NULL;
    size_t p = 0;
    for (jint i = 1; ls && i < count && p < (size_t)bytes; i++) {
        off[i] = p;
        unsigned tag = cp[p];
        size_t len;
        switch (tag) {
        case 1: len = 3 + ((size_t)cp[p + 1] << 8 | cp[p + 2]); break;
        case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: len = 5; break;
        case 5: case 6: len = 9; i++; break;
        case 7: case 8: case 16: case 19: case 20: len = 3; break;
        case 15: len = 4; break;
        default: len = (size_t)bytes; break;
        }
        p += len;
    }
#define U2(q) ((unsigned)cp[(q)] << 8 | cp[(q) + 1])
    static const char nm[] = "loadClass", ds[] = "(Ljava/lang/String;)Ljava/lang/Class;";
    for (jint i = 0; ls && i + 2 < blen; i++) {
        if (code[i] != 0xb6)
            continue;
        unsigned idx = (unsigned)code[i + 1] << 8 | code[i + 2];
        if (!idx || idx >= (unsigned)count || cp[off[idx]] != 10)
            continue;
        unsigned nat = U2(off[idx] + 3);
        if (nat >= (unsigned)count || cp[off[nat]] != 12)
            continue;
        unsigned ni = U2(off[nat] + 1), di = U2(off[nat] + 3);
        if (ni < (unsigned)count && di < (unsigned)count && cp[off[ni]] == 1 &&
            cp[off[di]] == 1 && U2(off[ni] + 1) == sizeof nm - 1 &&
            memcmp(cp + off[ni] + 3, nm, sizeof nm - 1) == 0 &&
            U2(off[di] + 1) == sizeof ds - 1 && memcmp(cp + off[di] + 3, ds, sizeof ds - 1) == 0)
            site_mark(ls, (size_t)i);
    }
#undef U2
    free(off);
    (*JV)->Deallocate(JV, cp);
    (*JV)->Deallocate(JV, code);
    return ls;
}

/* Is the loadClass call at (m, bci) explicit? A method's record is published
 * once and replaced at most once, by its exact record; the replaced one is
 * kept (another thread may be reading it), so a method has at most two,
 * which live as long as the agent. */
static int explicit_site(JNIEnv *env, jmethodID m, jlocation bci)
{
    if (bci < 0)
        return 0;
    load_sites *ls = nt_method_sites(JV, m);
    if (!ls) {
        load_sites *mine = invoke_sites(env, m);
        if (!mine) {
            cache_nomem();
            return 0;
        }
        int swapped = nt_method_swap_sites(JV, m, NULL, mine);
        if (swapped != 1)
            free(mine); /* 0: another thread published one first */
        if (swapped < 0) /* no record for m: its class (so its pool) cannot be read, or no memory */
            return 0;
        ls = nt_method_sites(JV, m);
    }
    if (!site_marked(ls, bci))
        return 0;
    if (!ls->exact) {
        load_sites *x = exact_sites(m);
        if (!x) {
            cache_nomem();
            return 0;
        }
        if (nt_method_swap_sites(JV, m, ls, x) != 1)
            free(x); /* another thread published the exact record first */
        ls = nt_method_sites(JV, m);
    }
    return site_marked(ls, bci);
}

void JNICALL nth_loadClass(JNIEnv *env, jclass h UNUSED, jobject loader UNUSED, jobject name)
{
    if (!name || !nt_enter())
        return;
    jmethodID m;
    jlocation loc;
    int depth = 2, found = nt_frame_at(JV, depth, &m, &loc) == 0;
    /* Called by an override of loadClass(String) that calls super.loadClass: GraalVM's
     * agent breaks in every class loader's own loadClass(String) and drops the inner
     * call (its caller is a class loader), so the call that counts is the override's,
     * from the frame below it. */
    while (found && depth < 10 && nt_method_is_load_class(JV, m))
        found = nt_frame_at(JV, ++depth, &m, &loc) == 0;
    if (!found || !explicit_site(env, m, loc)) {
        done(env); /* no Java caller (the VM loading a class), or not an explicit call */
        return;
    }
    key k;
    k_init(&k, "loadClass");
    k_str(&k, env, name);
    k_u64(&k, (uint64_t)(uintptr_t)m);
    k_u64(&k, (uint64_t)loc);
    if (first_sighting(k))
        record_named(env, "loadClass", "java.lang.ClassLoader", NULL, 1, name, by_frame(depth));
    done(env);
}

/* ---- Class queries -------------------------------------------------------------- */

/* The class declaring the public member that getMethod (search = 1) or
 * getField (search = 0) finds from self, which may be a superclass or
 * superinterface of self (GraalVM's trace "declaring_class"); NULL when there
 * is none. Hooks run at the entry of the lookup, so the first sighting does
 * the lookup itself: the same public method through JNI, inside the agent's
 * re-entrance guard (its own hook records nothing), which neither initializes
 * classes nor loads any the program's call would not. Its exception
 * (NoSuchMethodException, NoSuchFieldException, NPE) is discarded: the
 * program's own call throws it. The result is read as the file reads every
 * reflection object (the clazz field: Member.getDeclaringClass()). */
static jobject found_declaring(JNIEnv *env, int search, jobject self, jobject name,
                               jobject params)
{
    jobject m = search ? (*env)->CallObjectMethod(env, self, m_class_get_method, name, params)
                       : (*env)->CallObjectMethod(env, self, m_class_get_field, name);
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
        return NULL;
    }
    if (!m)
        return NULL;
    jobject decl = (*env)->GetObjectField(env, m, search ? f_method_clazz : f_field_clazz);
    (*env)->DeleteLocalRef(env, m);
    return decl;
}

/* has_params: 0 name only, 1 name + Class[], 2 Class[] only. inherited: the
 * member may be found in a supertype (getMethod, getField). */
static void get_member(JNIEnv *env, const char *function, jobject self, jobject name,
                       int has_params, jobject params, int inherited, who w)
{
    if (!self || !nt_enter())
        return;
    if (has_params != 2 && !name) { /* getMethod/getField(null) throws NPE */
        nt_leave();
        return;
    }
    key k;
    k_init(&k, function);
    k_obj(&k, env, self);
    if (has_params != 2)
        k_str(&k, env, name);
    if (has_params)
        k_class_array(&k, env, params);
    k_who(&k, env, w);
    if (first_sighting(k)) {
        arena a = {0};
        nt_event e;
        reflect_event(&e, function);
        e.class_name = class_name(&a, self);
        jobject decl = inherited ? found_declaring(env, has_params, self, name, params) : NULL;
        if (decl) {
            if (!(*env)->IsSameObject(env, decl, self))
                e.declaring_class = class_name(&a, decl);
            (*env)->DeleteLocalRef(env, decl);
        }
        const char *pn[MAXP];
        size_t np = has_params ? class_array_names(&a, env, params, pn, MAXP) : 0;
        nt_arg args[2];
        size_t na = 0;
        if (has_params != 2)
            args[na++] = arg_s(jstr(&a, env, name));
        if (has_params)
            args[na++] = arg_v(pn, np);
        set_args(&e, args, na);
        record(&e, w, &a);
        a_free(&a);
    }
    done(env);
}

HOOK_PAIR(getMethod, (jobject self, jobject name, jobject params),
          get_member(env, "getMethod", self, name, 1, params, 1, w))
HOOK_PAIR(getDeclaredMethod, (jobject self, jobject name, jobject params),
          get_member(env, "getDeclaredMethod", self, name, 1, params, 0, w))
HOOK_PAIR(getConstructor, (jobject self, jobject params),
          get_member(env, "getConstructor", self, NULL, 2, params, 0, w))
HOOK_PAIR(getDeclaredConstructor, (jobject self, jobject params),
          get_member(env, "getDeclaredConstructor", self, NULL, 2, params, 0, w))
HOOK_PAIR(getField, (jobject self, jobject name),
          get_member(env, "getField", self, name, 0, NULL, 1, w))
HOOK_PAIR(getDeclaredField, (jobject self, jobject name),
          get_member(env, "getDeclaredField", self, name, 0, NULL, 0, w))

/* bulk queries and Class.newInstance: the receiver is all there is */
static void bulk(JNIEnv *env, const char *function, jobject self, who w)
{
    if (!self || !nt_enter())
        return;
    key k;
    k_init(&k, function);
    k_obj(&k, env, self);
    k_who(&k, env, w);
    if (first_sighting(k))
        record_named(env, function, NULL, self, 0, NULL, w);
    done(env);
}

/* getEnclosingMethod/Constructor: the result "holder.name(descriptor)" comes
 * from Class.getEnclosingMethod0() (the private native behind both, which
 * reads the EnclosingMethod attribute; no caller checks, no side effects). */
static void enclosing(JNIEnv *env, const char *function, jobject self, int ctor, who w)
{
    if (!self || !nt_enter())
        return;
    key k;
    k_init(&k, function);
    k_obj(&k, env, self);
    k_who(&k, env, w);
    if (first_sighting(k) && m_enclosing0) {
        jobject info = (*env)->CallObjectMethod(env, self, m_enclosing0);
        if (!(*env)->ExceptionCheck(env) && info && (*env)->GetArrayLength(env, info) == 3) {
            arena a = {0};
            jobject holder = (*env)->GetObjectArrayElement(env, info, 0);
            const char *name = jstr(&a, env, (*env)->GetObjectArrayElement(env, info, 1));
            const char *desc = jstr(&a, env, (*env)->GetObjectArrayElement(env, info, 2));
            const char *hname = holder ? class_name(&a, holder) : NULL;
            if (name && desc && hname && !nt_is_unknown(hname) &&
                (strcmp(name, "<init>") == 0) == ctor && strcmp(name, "<clinit>") != 0) {
                size_t len = strlen(hname) + strlen(name) + strlen(desc) + 2;
                char *res = a_keep(&a, malloc(len));
                if (res) {
                    snprintf(res, len, "%s.%s%s", hname, name, desc);
                    nt_event e;
                    reflect_event(&e, function);
                    e.class_name = class_name(&a, self);
                    e.result_str = res;
                    record(&e, w, &a);
                }
            }
            a_free(&a);
        }
    }
    done(env);
}

HOOK_PAIR(getEnclosingMethod, (jobject self), enclosing(env, "getEnclosingMethod", self, 0, w))
HOOK_PAIR(getEnclosingConstructor, (jobject self),
          enclosing(env, "getEnclosingConstructor", self, 1, w))

const char *const nt_bulk_names[NT_BULK_COUNT] = {
    "getFields",           "getDeclaredFields",   "getMethods",
    "getDeclaredMethods",  "getConstructors",     "getDeclaredConstructors",
    "getClasses",          "getDeclaredClasses",  "getRecordComponents",
    "getPermittedSubclasses", "getNestMembers",   "getSigners",
    "newInstance"};

/* One pair of natives per NT_BULK_* slot: bulk_<i> and bulk_<i>C. */
#define BULK_SLOTS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12)
#define BULK_HOOK(i) \
    HOOK_PAIR_AS(static, bulk_##i, (jobject self), bulk(env, nt_bulk_names[i], self, w))
#define BULK_ONE(i) +1
#define BULK_FN(i) (void *)bulk_##i,
#define BULK_FN_C(i) (void *)bulk_##i##C,
_Static_assert(0 BULK_SLOTS(BULK_ONE) == NT_BULK_COUNT, "one BULK_SLOTS entry per NT_BULK_*");
BULK_SLOTS(BULK_HOOK)
void *const nt_bulk_fns[NT_BULK_COUNT] = {BULK_SLOTS(BULK_FN)};
void *const nt_bulk_fns_caller[NT_BULK_COUNT] = {BULK_SLOTS(BULK_FN_C)};
#undef BULK_SLOTS
#undef BULK_HOOK
#undef BULK_ONE
#undef BULK_FN
#undef BULK_FN_C

/* ---- members given as reflection objects ----------------------------------------------- */

/* Method/Constructor/Field objects are read field by field (clazz, slot,
 * name, parameterTypes): JNI FromReflectedMethod/Field would initialize the
 * declaring class, running its <clinit> inside the hook (its accesses then go
 * unrecorded, its exceptions would be swallowed) and earlier than the program
 * does. A member is identified by (declaring class, slot). */

/* Record an event about a reflected method/constructor: class = its declaring
 * class, args [name, [params]] (name != NULL) or [[params]]. */
static void member_event(JNIEnv *env, const char *function, jobject decl, jobject name,
                         jobject params, who w, jobject new_instance_of)
{
    arena a = {0};
    nt_event e;
    reflect_event(&e, function);
    e.class_name = class_name(&a, decl);
    const char *pn[MAXP];
    size_t np = class_array_names(&a, env, params, pn, MAXP);
    nt_arg args[2];
    size_t na = 0;
    if (name)
        args[na++] = arg_s(jstr(&a, env, name));
    args[na++] = arg_v(pn, np);
    set_args(&e, args, na);
    record(&e, w, &a);
    if (new_instance_of) {
        /* Method.invoke of Class.newInstance: also the class instantiated */
        nt_event e2;
        reflect_event(&e2, "newInstance");
        e2.class_name = class_name(&a, new_instance_of);
        record(&e2, w, &a);
    }
    a_free(&a);
}

static int is_class_new_instance(JNIEnv *env, jobject decl, jint slot)
{
    return slot == class_new_instance_slot && c_class && (*env)->IsSameObject(env, decl, c_class);
}

/* A method given as its fields (declaring class, slot, name, parameter
 * types): invokeMethod (Method.invoke, which hands them in so that its
 * Method copy does not escape; obj: its receiver) or findMethodHandle
 * (Lookup.unreflect; obj NULL). hook names the key. */
static void method_parts_access(JNIEnv *env, const char *hook, const char *function,
                                jobject decl, jint slot, jobject name, jobject params,
                                jobject obj, who w)
{
    if (!decl || !nt_enter())
        return;
    int new_inst = obj && is_class_new_instance(env, decl, slot);
    key k;
    k_member(&k, env, hook, decl, slot);
    if (new_inst)
        k_obj_role(&k, env, obj, ROLE_OTHER);
    k_who(&k, env, w);
    if (first_sighting(k))
        member_event(env, function, decl, name, params, w, new_inst ? obj : NULL);
    done(env);
}

/* The same for a Method object. */
static void method_access(JNIEnv *env, const char *hook, const char *function, jobject method,
                          jobject obj, who w)
{
    if (!method)
        return;
    method_parts_access(env, hook, function, (*env)->GetObjectField(env, method, f_method_clazz),
                        (*env)->GetIntField(env, method, f_method_slot),
                        (*env)->GetObjectField(env, method, f_method_name),
                        (*env)->GetObjectField(env, method, f_method_params), obj, w);
}

HOOK_PAIR(invoke, (jobject decl, jint slot, jobject name, jobject params, jobject obj),
          method_parts_access(env, "invokeMethod", "invokeMethod", decl, slot, name, params, obj,
                              w))

void JNICALL nth_invokeCaller(JNIEnv *env, jclass h, jobject decl, jint slot, jobject name,
                              jobject params, jobject obj, jobject caller)
{
    method_parts_access(env, "invokeMethod", "invokeMethod", decl, slot, name, params, obj,
                        by_class(caller, hook_depth(env, h)));
}

/* A constructor as its fields: invokeConstructor (Constructor.newInstance) or
 * findConstructorHandle (Lookup.unreflectConstructor). */
static void ctor_parts_access(JNIEnv *env, const char *function, jobject decl, jint slot,
                              jobject params, who w)
{
    if (!decl || !nt_enter())
        return;
    key k;
    k_member(&k, env, function, decl, slot);
    k_who(&k, env, w);
    if (first_sighting(k))
        member_event(env, function, decl, NULL, params, w, NULL);
    done(env);
}

static void ctor_access(JNIEnv *env, const char *function, jobject ctor, who w)
{
    if (!ctor)
        return;
    ctor_parts_access(env, function, (*env)->GetObjectField(env, ctor, f_ctor_clazz),
                      (*env)->GetIntField(env, ctor, f_ctor_slot),
                      (*env)->GetObjectField(env, ctor, f_ctor_params), w);
}

HOOK_PAIR(ctorNewInstance, (jobject decl, jint slot, jobject params),
          ctor_parts_access(env, "invokeConstructor", decl, slot, params, w))

/* A Field given as an argument: unreflectField (Lookup.unreflectGetter/Setter):
 * the Field's declaring class, args [name]. The key is the field's identity
 * (declaring class, slot) and the caller. */
static void field_access(JNIEnv *env, const char *function, jobject field, who w)
{
    if (!field || !nt_enter())
        return;
    jobject decl = (*env)->GetObjectField(env, field, f_field_clazz);
    jint slot = (*env)->GetIntField(env, field, f_field_slot);
    key k;
    k_member(&k, env, function, decl, slot);
    k_who(&k, env, w);
    if (decl && first_sighting(k))
        record_named(env, function, NULL, decl, 1,
                     (*env)->GetObjectField(env, field, f_field_name), w);
    done(env); /* decl: a local reference freed when the native returns */
}

/* Field.get* / set*: the rewritten method hands in its Field's declaring
 * class and name (CF_HOOK_MEMBER_PARTS), not the Field: a Field copy that
 * getDeclaredField made for the call does not escape into the hook and can
 * still be scalar-replaced (no allocation per call). A field is identified
 * by (declaring class, name). */
static void field_parts_access(JNIEnv *env, jobject decl, jobject name, who w)
{
    if (!decl || !name || !nt_enter())
        return;
    key k;
    k_init(&k, "accessField");
    k_obj(&k, env, decl);
    k_str(&k, env, name);
    k_who(&k, env, w);
    if (first_sighting(k))
        record_named(env, "accessField", NULL, decl, 1, name, w);
    done(env);
}

HOOK_PAIR(fieldAccess, (jobject decl, jobject name), field_parts_access(env, decl, name, w))

/* ---- arrays, Unsafe ---------------------------------------------------------------- */

static void array_new(JNIEnv *env, jobject comp, int dims, int depth)
{
    if (!comp || dims <= 0 || dims > 255 || !nt_enter())
        return;
    who w = by_frame(depth);
    key k;
    k_init(&k, "Array.newInstance");
    k_obj(&k, env, comp);
    k_u64(&k, (uint64_t)dims);
    k_who(&k, env, w);
    if (first_sighting(k)) {
        arena a = {0};
        const char *d = class_desc_dots(&a, comp);
        if (d) {
            size_t len = strlen(d);
            char *name = malloc((size_t)dims + len + 1);
            if (name) {
                memset(name, '[', (size_t)dims);
                memcpy(name + dims, d, len + 1);
            }
            nt_event e;
            reflect_event(&e, "newInstance");
            e.class_name = "java.lang.reflect.Array";
            nt_arg args[1] = {arg_s(a_keep(&a, name))};
            set_args(&e, args, 1);
            record(&e, w, &a);
        }
        a_free(&a);
    }
    done(env);
}

void JNICALL nth_arrayNew1(JNIEnv *env, jclass h, jobject comp, jint len UNUSED)
{
    array_new(env, comp, 1, hook_depth(env, h));
}
void JNICALL nth_arrayNewN(JNIEnv *env, jclass h, jobject comp, jobject dims)
{
    array_new(env, comp, dims ? (int)(*env)->GetArrayLength(env, dims) : 0, hook_depth(env, h));
}

static void class_and_name(JNIEnv *env, const char *function, jobject cls, jobject name,
                           int with_name, int depth)
{
    if (!cls || (with_name && !name) || !nt_enter())
        return;
    who w = by_frame(depth);
    key k;
    k_init(&k, function);
    k_obj(&k, env, cls);
    if (with_name)
        k_str(&k, env, name);
    k_who(&k, env, w);
    if (first_sighting(k))
        record_named(env, function, NULL, cls, with_name, name, w);
    done(env);
}

void JNICALL nth_allocateInstance(JNIEnv *env, jclass h, jobject unsafe UNUSED, jobject cls)
{
    class_and_name(env, "allocateInstance", cls, NULL, 0, hook_depth(env, h));
}

/* ---- resources --------------------------------------------------------------------- */

/* module_arg: 0 = [name], 1 = [module, name]. loader: its class is "class". */
static void resource(JNIEnv *env, const char *function, jobject loader, int module_arg,
                     jobject module, jobject name, int depth)
{
    if (!name || !nt_enter())
        return;
    who w = by_frame(depth);
    key k;
    k_init(&k, function);
    k_obj(&k, env, loader ? (*env)->GetObjectClass(env, loader) : NULL);
    if (module_arg)
        k_str(&k, env, module);
    k_str(&k, env, name);
    k_who(&k, env, w);
    if (first_sighting(k)) {
        arena a = {0};
        nt_event e;
        reflect_event(&e, function);
        if (!module_arg) {
            jclass lc = loader ? (*env)->GetObjectClass(env, loader) : NULL;
            e.class_name = lc ? class_name(&a, lc) : "java.lang.ClassLoader";
        }
        nt_arg args[2];
        size_t na = 0;
        if (module_arg)
            args[na++] = arg_s(jstr(&a, env, module));
        args[na++] = arg_s(jstr(&a, env, name));
        set_args(&e, args, na);
        record(&e, w, &a);
        a_free(&a);
    }
    done(env);
}

void JNICALL nth_findResource(JNIEnv *env, jclass h, jobject loader, jobject module,
                              jobject name)
{
    resource(env, "findResource", loader, 1, module, name, hook_depth(env, h));
}
void JNICALL nth_findResourceAsStream(JNIEnv *env, jclass h, jobject loader,
                                      jobject module, jobject name)
{
    resource(env, "findResourceAsStream", loader, 1, module, name, hook_depth(env, h));
}
void JNICALL nth_getResource(JNIEnv *env, jclass h, jobject loader, jobject name)
{
    resource(env, "getResource", loader, 0, NULL, name, hook_depth(env, h));
}
void JNICALL nth_getResources(JNIEnv *env, jclass h, jobject loader, jobject name)
{
    resource(env, "getResources", loader, 0, NULL, name, hook_depth(env, h));
}
void JNICALL nth_getSystemResource(JNIEnv *env, jclass h, jobject name)
{
    resource(env, "getSystemResource", NULL, 0, NULL, name, hook_depth(env, h));
}
void JNICALL nth_getSystemResources(JNIEnv *env, jclass h, jobject name)
{
    resource(env, "getSystemResources", NULL, 0, NULL, name, hook_depth(env, h));
}

/* ResourceBundle.getBundleImpl(Module, Module, String, Locale, Control): the
 * caller is the first frame outside ResourceBundle. */
void JNICALL nth_getBundleImpl(JNIEnv *env, jclass h UNUSED, jobject caller_module UNUSED,
                               jobject module UNUSED, jobject base, jobject locale,
                               jobject control UNUSED)
{
    if (!base || !nt_enter())
        return;
    jvmtiFrameInfo fi[6];
    jint count = 0;
    if ((*JV)->GetStackTrace(JV, NULL, 2, 6, fi, &count) != JVMTI_ERROR_NONE)
        count = 0;
    key k;
    k_init(&k, "getBundleImpl");
    k_str(&k, env, base);
    k_obj_role(&k, env, locale, ROLE_OTHER);
    for (jint i = 0; i < count; i++)
        k_u64(&k, (uint64_t)(uintptr_t)fi[i].method);
    if (first_sighting(k)) {
        int depth = 2;
        char cls[512];
        while (depth < 8 && nt_frame_class(JV, depth, cls, sizeof cls) == 0 &&
               strncmp(cls, "java.util.ResourceBundle", 24) == 0)
            depth++;
        arena a = {0};
        const char *tag = NT_UNKNOWN;
        jmethodID mid = MID_LOCALE_TAG(env);
        if (locale && mid) {
            jobject t = (*env)->CallObjectMethod(env, locale, mid);
            if ((*env)->ExceptionCheck(env))
                (*env)->ExceptionClear(env);
            else if (t)
                tag = jstr(&a, env, t);
        }
        nt_event e;
        reflect_event(&e, "getBundleImpl");
        nt_arg args[5] = {arg_unknown(), arg_unknown(), arg_s(jstr(&a, env, base)),
                          arg_s(tag ? tag : NT_UNKNOWN), arg_unknown()};
        set_args(&e, args, 5);
        record(&e, by_frame(depth), &a);
        a_free(&a);
    }
    done(env);
}

/* ---- proxies ------------------------------------------------------------------------ */

static void proxy(JNIEnv *env, const char *function, jobject ifaces, int nargs, who w)
{
    if (!ifaces || !nt_enter())
        return;
    key k;
    k_init(&k, function);
    k_class_array(&k, env, ifaces);
    k_who(&k, env, w);
    if (first_sighting(k)) {
        arena a = {0};
        const char *in[MAXP];
        size_t n = class_array_names(&a, env, ifaces, in, MAXP);
        nt_event e;
        reflect_event(&e, function);
        nt_arg args[3] = {arg_unknown(), arg_v(in, n), arg_unknown()};
        set_args(&e, args, (size_t)nargs);
        record(&e, w, &a);
        a_free(&a);
    }
    done(env);
}

HOOK_PAIR(getProxyClass, (jobject loader UNUSED, jobject ifaces),
          proxy(env, "getProxyClass", ifaces, 2, w))
HOOK_PAIR(newProxyInstance, (jobject loader UNUSED, jobject ifaces, jobject ih UNUSED),
          proxy(env, "newProxyInstance", ifaces, 3, w))

/* MethodHandleProxies.asInterfaceInstance(intfc, target): as GraalVM's agent,
 * the interface with every public method invoked, and a proxy of it and
 * sun.invoke.WrapperInstance (JDK 17 makes one with Proxy, from a caller the
 * built-in filter drops; JDK 22+ spins a hidden class). Recorded whatever the
 * outcome, like the other method-handle lookups. */
void JNICALL nth_asInterfaceInstance(JNIEnv *env, jclass h UNUSED, jobject intfc,
                                     jobject target UNUSED)
{
    if (!intfc || !nt_enter())
        return;
    who w = by_frame(2);
    key k;
    k_init(&k, "asInterfaceInstance");
    k_obj(&k, env, intfc);
    k_who(&k, env, w);
    if (first_sighting(k)) {
        arena a = {0};
        const char *name = class_name(&a, intfc);
        nt_event e;
        reflect_event(&e, "asInterfaceInstance");
        e.class_name = name;
        record(&e, w, &a);
        reflect_event(&e, "newMethodHandleProxyInstance");
        nt_arg args[1] = {arg_v(&name, 1)};
        set_args(&e, args, 1);
        record(&e, w, &a);
        a_free(&a);
    }
    done(env);
}

/* ---- serialization -------------------------------------------------------------------- */

static void serialization(const char *function, const char *name, int nargs, arena *a)
{
    nt_event e;
    reflect_event(&e, function);
    e.tracer = "serialization";
    nt_arg args[2] = {arg_s(name), arg_s(NULL)};
    set_args(&e, args, (size_t)nargs);
    record(&e, by_frame(2), a);
}

void JNICALL nth_oscInit(JNIEnv *env, jclass h UNUSED, jobject cls)
{
    if (!cls || !nt_enter())
        return;
    key k;
    k_init(&k, "ObjectStreamClass.<init>");
    k_obj(&k, env, cls);
    if (first_sighting(k) && (*env)->IsAssignableFrom(env, cls, c_serializable)) {
        arena a = {0};
        serialization("ObjectStreamClass.<init>", class_name(&a, cls), 2, &a);
        a_free(&a);
    }
    done(env);
}

/* The String an upcall (mid, NULL when unresolved) on obj returns, or NULL
 * (its exception discarded: not the program's). */
static jobject call_string(JNIEnv *env, jobject obj, jmethodID mid)
{
    jobject s = mid ? (*env)->CallObjectMethod(env, obj, mid) : NULL;
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
        return NULL;
    }
    return s;
}

void JNICALL nth_resolveClass(JNIEnv *env, jclass h UNUSED, jobject ois UNUSED, jobject desc)
{
    if (!desc || !nt_enter())
        return;
    jobject name = call_string(env, desc, MID_OSC_NAME(env));
    if (!name) {
        done(env);
        return;
    }
    key k;
    k_init(&k, "ObjectInputStream.readClassDescriptor");
    k_str(&k, env, name);
    if (first_sighting(k)) {
        arena a = {0};
        serialization("ObjectInputStream.readClassDescriptor", jstr(&a, env, name), 1, &a);
        a_free(&a);
    }
    (*env)->DeleteLocalRef(env, name);
    done(env);
}

void JNICALL nth_lambdaReadResolve(JNIEnv *env, jclass h UNUSED, jobject sl)
{
    if (!sl || !nt_enter())
        return;
    jobject cap = call_string(env, sl, MID_SL_CAPTURING(env));
    if (!cap) {
        done(env);
        return;
    }
    key k;
    k_init(&k, "SerializedLambda.readResolve");
    k_str(&k, env, cap);
    if (first_sighting(k)) {
        arena a = {0};
        const char *s = jstr(&a, env, cap);
        char *dots = s ? a_keep(&a, strdup(s)) : NULL;
        for (char *p = dots; p && *p; p++)
            if (*p == '/')
                *p = '.';
        serialization("SerializedLambda.readResolve", dots, 1, &a);
        a_free(&a);
    }
    (*env)->DeleteLocalRef(env, cap);
    done(env);
}

/* ---- method handles --------------------------------------------------------------------- */

/* findStatic/findVirtual/findSpecial/bind: [name, [params of type]];
 * findConstructor: [[params]]; findGetter & co: [name]; findClass: [name]. */
enum { LK_METHOD, LK_CTOR, LK_FIELD, LK_CLASS };

static void lookup(JNIEnv *env, int kind, jobject refc, jobject name, jobject type)
{
    if ((kind != LK_CLASS && !refc) || (kind != LK_CTOR && !name) || !nt_enter())
        return;
    static const char *const fn[] = {"findMethodHandle", "findConstructorHandle",
                                     "findFieldHandle", "findClass"};
    who w = by_frame(2);
    key k;
    k_init(&k, fn[kind]);
    k_obj(&k, env, refc);
    if (kind != LK_CTOR)
        k_str(&k, env, name);
    if (kind == LK_METHOD || kind == LK_CTOR)
        k_obj_role(&k, env, type, ROLE_OTHER);
    k_who(&k, env, w);
    if (first_sighting(k)) {
        arena a = {0};
        nt_event e;
        reflect_event(&e, fn[kind]);
        if (kind != LK_CLASS)
            e.class_name = class_name(&a, refc);
        const char *pn[MAXP];
        size_t np = 0;
        jmethodID mid = MID_MT_PARAMS(env);
        if ((kind == LK_METHOD || kind == LK_CTOR) && type && mid) {
            jobject arr = (*env)->CallObjectMethod(env, type, mid);
            if ((*env)->ExceptionCheck(env))
                (*env)->ExceptionClear(env);
            else if (arr)
                np = class_array_names(&a, env, arr, pn, MAXP);
        }
        nt_arg args[2];
        size_t na = 0;
        if (kind != LK_CTOR)
            args[na++] = arg_s(jstr(&a, env, name));
        if (kind == LK_METHOD || kind == LK_CTOR)
            args[na++] = arg_v(pn, np);
        set_args(&e, args, na);
        record(&e, w, &a);
        a_free(&a);
    }
    done(env);
}

void JNICALL nth_findMethod(JNIEnv *env, jclass h UNUSED, jobject lk UNUSED, jobject refc,
                            jobject name, jobject type)
{
    lookup(env, LK_METHOD, refc, name, type);
}
void JNICALL nth_findSpecial(JNIEnv *env, jclass h UNUSED, jobject lk UNUSED, jobject refc,
                             jobject name, jobject type, jobject special_caller UNUSED)
{
    lookup(env, LK_METHOD, refc, name, type);
}
void JNICALL nth_bind(JNIEnv *env, jclass h UNUSED, jobject lk UNUSED, jobject recv, jobject name,
                      jobject type)
{
    lookup(env, LK_METHOD, recv ? (*env)->GetObjectClass(env, recv) : NULL, name, type);
}
void JNICALL nth_findConstructor(JNIEnv *env, jclass h UNUSED, jobject lk UNUSED, jobject refc,
                                 jobject type)
{
    lookup(env, LK_CTOR, refc, NULL, type);
}
void JNICALL nth_findField(JNIEnv *env, jclass h UNUSED, jobject lk UNUSED, jobject refc,
                           jobject name, jobject type UNUSED)
{
    lookup(env, LK_FIELD, refc, name, NULL);
}
void JNICALL nth_findClass(JNIEnv *env, jclass h UNUSED, jobject lk UNUSED, jobject name)
{
    lookup(env, LK_CLASS, NULL, name, NULL);
}

void JNICALL nth_unreflect(JNIEnv *env, jclass h UNUSED, jobject lk UNUSED, jobject method)
{
    method_access(env, "unreflect", "findMethodHandle", method, NULL, by_frame(2));
}
void JNICALL nth_unreflectConstructor(JNIEnv *env, jclass h UNUSED, jobject lk UNUSED,
                                      jobject ctor)
{
    ctor_access(env, "findConstructorHandle", ctor, by_frame(2));
}
void JNICALL nth_unreflectField(JNIEnv *env, jclass h UNUSED, jobject lk UNUSED, jobject field)
{
    field_access(env, "unreflectField", field, by_frame(2));
}
