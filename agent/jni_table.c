/* JNI function-table interception (reference/graalvm-agent.md §2.4, DESIGN.md §3).
 *
 * At VMStart the JNI function table is copied (GetJNIFunctionTable), the
 * entries GraalVM's agent intercepts are replaced with the wrappers below, and
 * the table is installed for every current and future JNIEnv
 * (SetJNIFunctionTable). Each wrapper calls the original function first, so the
 * program sees exactly the result and exception state it would see without the
 * agent. Then, unless the agent is already active on this thread (its own JNI
 * calls pass straight through), it saves and clears any pending exception,
 * builds a GraalVM "jni" trace event (§5), hands it to the recorder and
 * re-throws the saved exception.
 *
 * Names come from JVMTI (GetClassSignature, Get{Method,Field}DeclaringClass,
 * Get{Method,Field}Name), not from Class.getName() upcalls; the only Java
 * upcall is Field.getDeclaringClass() for FromReflectedField, whose jfieldID
 * alone does not name its class.
 *
 * The caller is the frame at depth 0: the native method that made the JNI
 * call (for JNI_OnLoad/JNI_OnUnload, the frame above the JDK's native that
 * runs them, see record). A thread without Java frames (the launcher before
 * main, a native thread just attached) has no caller. No filtering happens here: the
 * launcher's start-up sequence and filtered callers are recorded and dropped
 * later by nt_process_event, exactly as in a GraalVM trace file.
 *
 * The native caller: each wrapper takes its return address; on a dedup miss
 * nt_elfsym_lookup (lib/elfsym.c, cached per address) maps it to the real
 * path of the loaded object and the function (static functions too when the
 * library keeps its .symtab; "export+0xOFF" for the nearest exported symbol
 * when it is stripped). A JNI call in tail position (compiled as a jump)
 * returns to the caller's caller: the return address then follows a direct
 * call, which JNI calls never are, and the lookup names that call's target
 * instead (see elfsym.h). Both go to the provenance (jniLibrary,
 * jniFunction); a JNI access whose every context lies inside the JVM's
 * java.home (registered with nt_native_home_add) is dropped from the config
 * by the heuristic filter (lib/recorder.c, lib/trace.c).
 *
 * "result" is whether the original call succeeded (non-NULL, or JNI_OK for
 * ThrowNew) on a non-NULL class. GraalVM's newest agent marks failed Get*ID
 * lookups true (and AllocObject whenever a class is given); here a failed one stays
 * false, so it never reaches the config.
 *
 * Deduplication before the recorder: a striped table of 128-bit keys over the
 * complete event, the whole Java stack (jmethodIDs), the native call site and
 * the main-phase flag, i.e. over everything the (event, context) pair depends
 * on. A hit skips the stack-context walk, the native-library lookup and the
 * recorder (which serializes the event under its mutex); a miss or an
 * unreadable stack always goes to the recorder, which deduplicates exactly. */
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent_priv.h"
#include "nitrace/elfsym.h"

static struct JNINativeInterface_ orig; /* the table before our wrappers */
static jvmtiEnv *jt;
static int installed;
static jmethodID field_get_declaring_class; /* java.lang.reflect.Field.getDeclaringClass */

/* ---- one intercepted call ---------------------------------------------- */

enum { MAX_OWNED = 6, MAX_JVMTI_OWNED = 4, MAX_ARGS = 2 };

typedef struct call {
    JNIEnv *env;
    void *ra;                /* return address: the native caller's code */
    jthrowable pending;      /* exception pending after the original call */
    nt_event e;
    nt_arg args[MAX_ARGS];
    char *owned[MAX_OWNED];  /* malloc'd strings the event points to */
    size_t n_owned;
    unsigned char *jvmti_owned[MAX_JVMTI_OWNED]; /* JVMTI-allocated strings */
    size_t n_jvmti;
    int nomem;
} call;

static void begin(call *c, JNIEnv *env, void *ra, const char *function)
{
    memset(c, 0, sizeof *c);
    c->env = env;
    c->ra = ra;
    c->pending = (*env)->ExceptionOccurred(env);
    if (c->pending)
        (*env)->ExceptionClear(env);
    c->e.tracer = "jni";
    c->e.function = function;
    c->e.result = -1;
    c->e.has_args = 1;
    c->e.args = c->args;
}

static void own(call *c, char *s)
{
    if (c->n_owned < MAX_OWNED)
        c->owned[c->n_owned++] = s;
    else
        free(s); /* cannot happen: no wrapper keeps more than MAX_OWNED */
}

static void own_jvmti(call *c, char *s)
{
    if (!s)
        return;
    if (c->n_jvmti < MAX_JVMTI_OWNED)
        c->jvmti_owned[c->n_jvmti++] = (unsigned char *)s;
    else
        (*jt)->Deallocate(jt, (unsigned char *)s);
}

static void arg_str(call *c, const char *s)
{
    nt_arg *a = &c->args[c->e.n_args++];
    if (!s) {
        a->kind = NT_ARG_NULL;
    } else if (nt_is_unknown(s)) {
        a->kind = NT_ARG_UNKNOWN;
    } else {
        a->kind = NT_ARG_STRING;
        a->str = s;
    }
}

static void drop_local(call *c, jobject o)
{
    if (o)
        (*c->env)->DeleteLocalRef(c->env, o);
}

/* A JVM type signature -> the name Class.getName() gives: "Lp/C;" -> "p.C",
 * "[Lp/C;" -> "[Lp.C;", "[I" stays, "I" -> "int". A hidden class's signature
 * ("Lp/C.0x1a;", JVMTI's form) becomes "p.C/0x1a": class names in internal form
 * contain no '.', so '/' and '.' swap. prefix is prepended to sig (NewObjectArray:
 * "[" + element signature). Returns malloc'd text or NULL on NOMEM. */
static char *sig_to_name(const char *prefix, const char *sig)
{
    static const char *const prims[][2] = {
        {"B", "byte"}, {"C", "char"},  {"D", "double"}, {"F", "float"},  {"I", "int"},
        {"J", "long"}, {"S", "short"}, {"Z", "boolean"}, {"V", "void"},
    };
    size_t plen = strlen(prefix), slen = strlen(sig);
    if (!plen && slen == 1)
        for (size_t i = 0; i < sizeof prims / sizeof prims[0]; i++)
            if (sig[0] == prims[i][0][0])
                return strdup(prims[i][1]);
    char *full = malloc(plen + slen + 1);
    if (!full)
        return NULL;
    memcpy(full, prefix, plen);
    memcpy(full + plen, sig, slen + 1);
    const char *s = full;
    size_t len = plen + slen;
    if (len >= 2 && full[0] == 'L' && full[len - 1] == ';') {
        s = full + 1;
        len -= 2;
    }
    char *out = malloc(len + 1);
    if (out) {
        for (size_t i = 0; i < len; i++)
            out[i] = s[i] == '/' ? '.' : s[i] == '.' ? '/' : s[i];
        out[len] = '\0';
    }
    free(full);
    return out;
}

/* Name of class k for the event: NULL when k is NULL (absent), NT_UNKNOWN when
 * JVMTI cannot name it (GraalVM's "\u0000"). prefix: see sig_to_name. */
static const char *class_name_p(call *c, jclass k, const char *prefix)
{
    if (!k)
        return NULL;
    char *sig = NULL;
    if ((*jt)->GetClassSignature(jt, k, &sig, NULL) != JVMTI_ERROR_NONE || !sig)
        return NT_UNKNOWN;
    char *name = sig_to_name(prefix, sig);
    (*jt)->Deallocate(jt, (unsigned char *)sig);
    if (!name) {
        c->nomem = 1;
        return NT_UNKNOWN;
    }
    own(c, name);
    return name;
}

static const char *class_name(call *c, jclass k)
{
    return class_name_p(c, k, "");
}

/* Declaring class of a method ID (NULL id: absent). */
static const char *method_declaring(call *c, jmethodID m)
{
    if (!m)
        return NULL;
    jclass d = NULL;
    if ((*jt)->GetMethodDeclaringClass(jt, m, &d) != JVMTI_ERROR_NONE || !d)
        return NT_UNKNOWN;
    const char *n = class_name(c, d);
    drop_local(c, d);
    return n;
}

/* Declaring class of field f of class k (NULL id or class: absent). */
static const char *field_declaring(call *c, jclass k, jfieldID f)
{
    if (!f || !k)
        return NULL;
    jclass d = NULL;
    if ((*jt)->GetFieldDeclaringClass(jt, k, f, &d) != JVMTI_ERROR_NONE || !d)
        return NT_UNKNOWN;
    const char *n = class_name(c, d);
    drop_local(c, d);
    return n;
}

/* Args [name, signature] of a method ID (NULL when unknown). */
static void arg_method(call *c, jmethodID m)
{
    char *n = NULL, *s = NULL;
    if (m && (*jt)->GetMethodName(jt, m, &n, &s, NULL) == JVMTI_ERROR_NONE) {
        own_jvmti(c, n);
        own_jvmti(c, s);
    } else {
        n = s = NULL;
    }
    arg_str(c, n);
    arg_str(c, s);
}

static const char *field_name(call *c, jclass k, jfieldID f)
{
    char *n = NULL;
    if (!k || !f || (*jt)->GetFieldName(jt, k, f, &n, NULL, NULL) != JVMTI_ERROR_NONE)
        return NULL;
    own_jvmti(c, n);
    return n;
}

/* ---- deduplication ------------------------------------------------------ */

typedef struct key {
    uint64_t a, b;
} key;

static void kh_word(key *k, uint64_t v)
{
    k->a = (k->a ^ v) * 0xff51afd7ed558ccdULL;
    k->a ^= k->a >> 32;
    k->b = (k->b + v + 1) * 0xc4ceb9fe1a85ec53ULL;
    k->b ^= k->b >> 29;
}

static void kh_bytes(key *k, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        kh_word(k, w);
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    kh_word(k, w ^ ((uint64_t)n << 56));
}

static void kh_str(key *k, const char *s)
{
    unsigned tag = !s ? 1 : nt_is_unknown(s) ? 2 : 3;
    kh_word(k, tag);
    if (tag == 3)
        kh_bytes(k, s, strlen(s) + 1);
}

/* Hash of the current thread's Java stack (every frame's method). Returns -1
 * when the stack cannot be read (e.g. start phase). */
static int stack_hash(key *k)
{
    enum { CHUNK = 128 };
    jvmtiFrameInfo fr[CHUNK];
    jint depth = 0;
    for (;;) {
        jint count = 0;
        jvmtiError err = (*jt)->GetStackTrace(jt, NULL, depth, CHUNK, fr, &count);
        if (err != JVMTI_ERROR_NONE) {
            if (depth > 0 && err == JVMTI_ERROR_ILLEGAL_ARGUMENT)
                break; /* the depth was an exact multiple of CHUNK */
            return -1;
        }
        for (jint i = 0; i < count; i++)
            kh_word(k, (uint64_t)(uintptr_t)fr[i].method);
        depth += count;
        if (count < CHUNK)
            break;
    }
    kh_word(k, (uint64_t)depth);
    return 0;
}

enum { CACHE_SLOTS = 4096, CACHE_LOCKS = 16 };
static key cache[CACHE_SLOTS];
#define NT_MU PTHREAD_MUTEX_INITIALIZER
static pthread_mutex_t cache_mu[CACHE_LOCKS] = {NT_MU, NT_MU, NT_MU, NT_MU, NT_MU, NT_MU,
                                                NT_MU, NT_MU, NT_MU, NT_MU, NT_MU, NT_MU,
                                                NT_MU, NT_MU, NT_MU, NT_MU};
#undef NT_MU

/* 1 when k is in the cache; with insert, put it there (replacing the slot). */
static int cache_probe(const key *k, int insert)
{
    size_t slot = (size_t)(k->a % CACHE_SLOTS);
    pthread_mutex_t *mu = &cache_mu[slot % CACHE_LOCKS];
    pthread_mutex_lock(mu);
    int hit = cache[slot].a == k->a && cache[slot].b == k->b;
    if (insert)
        cache[slot] = *k;
    pthread_mutex_unlock(mu);
    return hit;
}

/* ---- the JDK's own native code ------------------------------------------ */

/* 0: java.home not registered yet; 1: done (or given up). */
static int home_state;

/* Register the real path of the JVM's java.home as a JDK home
 * (nt_native_home_add): JNI accesses made by native code inside it are
 * dropped by the heuristic filter when the config is built, and the code
 * addresses inside it are not symbolized (lib/elfsym.c: naming one function
 * of libjvm.so meant reading and sorting its 58 000 symbols, 40-100 ms of
 * start-up). JVMTI gives system properties in the OnLoad and live phases
 * only: the agent calls this from Agent_OnLoad/OnAttach; in the start phase
 * it returns without effect and a later call registers it. */
void nt_jni_register_home(jvmtiEnv *jvmti)
{
    if (__atomic_load_n(&home_state, __ATOMIC_ACQUIRE))
        return;
    char *home = NULL;
    jvmtiError err = (*jvmti)->GetSystemProperty(jvmti, "java.home", &home);
    if (err == JVMTI_ERROR_WRONG_PHASE)
        return; /* start phase: later */
    int expected = 0;
    if (!__atomic_compare_exchange_n(&home_state, &expected, 1, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        if (home)
            (*jvmti)->Deallocate(jvmti, (unsigned char *)home);
        return; /* another thread did it */
    }
    char real[PATH_MAX];
    if (err != JVMTI_ERROR_NONE || !home) {
        nt_log("cannot read java.home (JVMTI error %d): JNI accesses of the JDK's own native "
               "code are not filtered",
               (int)err);
    } else if (!realpath(home, real)) {
        nt_log("cannot resolve java.home %s: JNI accesses of the JDK's own native code are not "
               "filtered",
               home);
    } else if (nt_native_home_add(real) != NT_OK) {
        nt_fail("out of memory registering java.home");
    } else {
        nt_debug("JNI accesses made by native code under %s count as the JDK's own", real);
    }
    if (home)
        (*jvmti)->Deallocate(jvmti, (unsigned char *)home);
}

/* ---- recording ---------------------------------------------------------- */

static void record(call *c)
{
    if (!nt_g.rec || !nt_g.recording)
        return;
    key k = {0xcbf29ce484222325ULL, 0x243f6a8885a308d3ULL};
    const nt_event *e = &c->e;
    kh_str(&k, e->function);
    kh_str(&k, e->class_name);
    kh_str(&k, e->declaring_class);
    kh_word(&k, (uint64_t)(int64_t)e->result);
    kh_word(&k, e->n_args);
    for (size_t i = 0; i < e->n_args; i++) {
        kh_word(&k, (uint64_t)e->args[i].kind);
        kh_str(&k, e->args[i].kind == NT_ARG_STRING ? e->args[i].str : NULL);
    }
    kh_word(&k, (uint64_t)(uintptr_t)c->ra);
    kh_word(&k, (uint64_t)nt_g.main_phase);
    int cacheable = stack_hash(&k) == 0;
    if (cacheable && cache_probe(&k, 0))
        return;

    /* The native code that called: its library (real path) and function
     * (lib/elfsym.c: .symtab when present, else the nearest export). */
    nt_jni_register_home(jt);
    char lib[PATH_MAX], fn[1024];
    int have_lib = c->ra && nt_elfsym_lookup(c->ra, 1, lib, sizeof lib, fn, sizeof fn) > 0;

    nt_rec_context ctx;
    if (nt_stack_context(jt, 0, &ctx) != 0) {
        memset(&ctx, 0, sizeof ctx); /* no readable stack: no Java caller */
        ctx.main_phase = nt_g.main_phase;
    } else if (have_lib && !nt_native_home_contains(lib) && ctx.caller_class &&
               strcmp(ctx.caller_class, "jdk.internal.loader.NativeLibraries") == 0 &&
               nt_stack_context(jt, 1, &ctx) != 0) {
        /* A program's library in JNI_OnLoad or JNI_OnUnload, which run under
         * NativeLibraries.load and unload (JDK 17 and later), natives of a class the
         * built-in caller filter drops. GraalVM's agent names the frame above
         * (NativeLibraries$NativeLibraryImpl for a load, which its filter keeps for this
         * reason): so does this one, or the lookups a library makes in JNI_OnLoad, where
         * most libraries cache their classes and IDs, would be lost. The JDK's own
         * libraries (and libjava's code of load itself) keep the native as their caller. */
        memset(&ctx, 0, sizeof ctx);
        ctx.main_phase = nt_g.main_phase;
    }
    c->e.caller_class = ctx.caller_class;

    /* The java launcher looks up main, with no Java frame on the stack, just
     * before it calls it: from then on the program's main phase has begun. */
    if (!ctx.caller_class && e->n_args >= 1 && e->args[0].kind == NT_ARG_STRING &&
        strcmp(e->args[0].str, "main") == 0 &&
        (strcmp(e->function, "GetStaticMethodID") == 0 || strcmp(e->function, "GetMethodID") == 0))
        nt_g.main_phase = 1;

    if (have_lib) {
        ctx.jni_library = lib;
        if (fn[0])
            ctx.jni_function = fn;
    }

    int r = nt_recorder_add(nt_g.rec, &c->e, &ctx);
    if (r < 0)
        nt_fail("out of memory recording JNI %s", c->e.function);
    else if (cacheable)
        cache_probe(&k, 1);
}

/* Record (unless an internal error happened), free, restore the exception
 * state the original call left, leave the agent. */
static void finish(call *c)
{
    JNIEnv *env = c->env;
    if (c->nomem)
        nt_fail("out of memory recording JNI %s", c->e.function);
    else
        record(c);
    for (size_t i = 0; i < c->n_owned; i++)
        free(c->owned[i]);
    for (size_t i = 0; i < c->n_jvmti; i++)
        (*jt)->Deallocate(jt, c->jvmti_owned[i]);
    if ((*env)->ExceptionCheck(env))
        (*env)->ExceptionClear(env); /* raised by our own calls: not the program's */
    if (c->pending) {
        if ((*env)->Throw(env, c->pending) != JNI_OK)
            nt_fail("cannot restore the exception pending after JNI %s", c->e.function);
        (*env)->DeleteLocalRef(env, c->pending);
    }
    nt_leave();
}

/* ---- wrappers ----------------------------------------------------------- */

#define RA() __builtin_return_address(0)

static void rec_class_lookup(JNIEnv *env, void *ra, const char *fn, const char *name, int ok)
{
    call c;
    begin(&c, env, ra, fn);
    c.e.result = ok;
    arg_str(&c, name);
    finish(&c);
}

static jclass JNICALL w_DefineClass(JNIEnv *env, const char *name, jobject loader,
                                    const jbyte *buf, jsize len)
{
    void *ra = RA();
    jclass r = orig.DefineClass(env, name, loader, buf, len);
    if (nt_enter())
        rec_class_lookup(env, ra, "DefineClass", name, r != NULL);
    return r;
}

static jclass JNICALL w_FindClass(JNIEnv *env, const char *name)
{
    void *ra = RA();
    jclass r = orig.FindClass(env, name);
    if (name && nt_enter())
        rec_class_lookup(env, ra, "FindClass", name, r != NULL);
    return r;
}

static void rec_member_id(JNIEnv *env, void *ra, const char *fn, jclass clazz, const char *name,
                          const char *sig, const void *id, int is_method)
{
    call c;
    begin(&c, env, ra, fn);
    c.e.class_name = class_name(&c, clazz);
    c.e.declaring_class = is_method ? method_declaring(&c, (jmethodID)id)
                                    : field_declaring(&c, clazz, (jfieldID)id);
    c.e.result = id != NULL && c.e.class_name; /* no class: nothing to register */
    arg_str(&c, name);
    arg_str(&c, sig);
    finish(&c);
}

/* Get{,Static}{Method,Field}ID: one wrapper each, all alike (a macro, not a
 * helper: RA() must be taken in the wrapper itself). */
#define MEMBER_ID_WRAPPER(fn, idt, is_method)                                               \
    static idt JNICALL w_##fn(JNIEnv *env, jclass clazz, const char *name, const char *sig) \
    {                                                                                       \
        void *ra = RA();                                                                    \
        idt r = orig.fn(env, clazz, name, sig);                                             \
        if (nt_enter())                                                                     \
            rec_member_id(env, ra, #fn, clazz, name, sig, r, is_method);                    \
        return r;                                                                           \
    }
MEMBER_ID_WRAPPER(GetMethodID, jmethodID, 1)
MEMBER_ID_WRAPPER(GetStaticMethodID, jmethodID, 1)
MEMBER_ID_WRAPPER(GetFieldID, jfieldID, 0)
MEMBER_ID_WRAPPER(GetStaticFieldID, jfieldID, 0)
#undef MEMBER_ID_WRAPPER

static void rec_class_only(JNIEnv *env, void *ra, const char *fn, jclass clazz, int ok,
                           int unknown_arg)
{
    call c;
    begin(&c, env, ra, fn);
    c.e.class_name = class_name(&c, clazz);
    c.e.result = ok && c.e.class_name;
    if (unknown_arg)
        arg_str(&c, NT_UNKNOWN); /* ThrowNew: GraalVM does not trace the message */
    finish(&c);
}

static jobject JNICALL w_AllocObject(JNIEnv *env, jclass clazz)
{
    void *ra = RA();
    jobject r = orig.AllocObject(env, clazz);
    if (nt_enter())
        rec_class_only(env, ra, "AllocObject", clazz, r != NULL, 0);
    return r;
}

static jint JNICALL w_ThrowNew(JNIEnv *env, jclass clazz, const char *msg)
{
    void *ra = RA();
    jint r = orig.ThrowNew(env, clazz, msg);
    if (nt_enter())
        rec_class_only(env, ra, "ThrowNew", clazz, r == JNI_OK, 1);
    return r;
}

static jobjectArray JNICALL w_NewObjectArray(JNIEnv *env, jsize len, jclass elem, jobject init)
{
    void *ra = RA();
    jobjectArray r = orig.NewObjectArray(env, len, elem, init);
    if (nt_enter()) {
        call c;
        begin(&c, env, ra, "NewObjectArray");
        /* the array's class, as GraalVM names it; absent when no array was made */
        c.e.class_name = r ? class_name_p(&c, elem, "[") : NULL;
        c.e.result = r != NULL;
        finish(&c);
    }
    return r;
}

static jmethodID JNICALL w_FromReflectedMethod(JNIEnv *env, jobject method)
{
    void *ra = RA();
    jmethodID r = orig.FromReflectedMethod(env, method);
    if (nt_enter()) {
        call c;
        begin(&c, env, ra, "FromReflectedMethod");
        c.e.class_name = method_declaring(&c, r);
        c.e.result = r != NULL;
        arg_method(&c, r);
        finish(&c);
    }
    return r;
}

/* Field.getDeclaringClass() of a reflected field (a local ref), or NULL. */
static jclass reflected_field_class(call *c, jobject field)
{
    JNIEnv *env = c->env;
    jmethodID mid = __atomic_load_n(&field_get_declaring_class, __ATOMIC_ACQUIRE);
    if (!mid) {
        jclass fc = (*env)->GetObjectClass(env, field);
        if (!fc)
            return NULL;
        mid = orig.GetMethodID(env, fc, "getDeclaringClass", "()Ljava/lang/Class;");
        drop_local(c, fc);
        if (!mid)
            return NULL;
        __atomic_store_n(&field_get_declaring_class, mid, __ATOMIC_RELEASE);
    }
    jclass d = (jclass)(*env)->CallObjectMethod(env, field, mid);
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
        drop_local(c, d);
        return NULL;
    }
    return d;
}

static jfieldID JNICALL w_FromReflectedField(JNIEnv *env, jobject field)
{
    void *ra = RA();
    jfieldID r = orig.FromReflectedField(env, field);
    if (nt_enter()) {
        call c;
        begin(&c, env, ra, "FromReflectedField");
        const char *name = NULL;
        if (r) {
            jclass d = reflected_field_class(&c, field);
            c.e.class_name = d ? class_name(&c, d) : NT_UNKNOWN;
            name = d ? field_name(&c, d, r) : NULL;
            if (!name)
                name = NT_UNKNOWN;
            drop_local(&c, d);
        }
        c.e.result = r != NULL;
        arg_str(&c, name);
        finish(&c);
    }
    return r;
}

static jobject JNICALL w_ToReflectedMethod(JNIEnv *env, jclass clazz, jmethodID m,
                                           jboolean is_static)
{
    void *ra = RA();
    jobject r = orig.ToReflectedMethod(env, clazz, m, is_static);
    if (nt_enter()) {
        call c;
        begin(&c, env, ra, "ToReflectedMethod");
        c.e.class_name = class_name(&c, clazz);
        c.e.declaring_class = method_declaring(&c, m);
        c.e.result = r != NULL && c.e.class_name; /* HotSpot ignores a NULL clazz here */
        arg_method(&c, m);
        finish(&c);
    }
    return r;
}

static jobject JNICALL w_ToReflectedField(JNIEnv *env, jclass clazz, jfieldID f,
                                          jboolean is_static)
{
    void *ra = RA();
    jobject r = orig.ToReflectedField(env, clazz, f, is_static);
    if (nt_enter()) {
        call c;
        begin(&c, env, ra, "ToReflectedField");
        c.e.class_name = class_name(&c, clazz);
        c.e.declaring_class = field_declaring(&c, clazz, f);
        c.e.result = r != NULL && c.e.class_name;
        arg_str(&c, field_name(&c, clazz, f));
        finish(&c);
    }
    return r;
}

/* ---- installation ------------------------------------------------------- */

int nt_jni_table_install(jvmtiEnv *jvmti)
{
    if (installed)
        return 0;
    jniNativeInterface *t = NULL;
    jvmtiError err = (*jvmti)->GetJNIFunctionTable(jvmti, &t);
    if (err != JVMTI_ERROR_NONE || !t) {
        nt_log("GetJNIFunctionTable failed (JVMTI error %d): JNI calls are not recorded",
               (int)err);
        return -1;
    }
    orig = *t;
    jt = jvmti;
    nt_jni_register_home(jt); /* done at OnLoad / attach already; else at the first live call */
    t->DefineClass = w_DefineClass;
    t->FindClass = w_FindClass;
    t->AllocObject = w_AllocObject;
    t->GetMethodID = w_GetMethodID;
    t->GetStaticMethodID = w_GetStaticMethodID;
    t->GetFieldID = w_GetFieldID;
    t->GetStaticFieldID = w_GetStaticFieldID;
    t->ThrowNew = w_ThrowNew;
    t->FromReflectedMethod = w_FromReflectedMethod;
    t->ToReflectedMethod = w_ToReflectedMethod;
    t->FromReflectedField = w_FromReflectedField;
    t->ToReflectedField = w_ToReflectedField;
    t->NewObjectArray = w_NewObjectArray;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    err = (*jvmti)->SetJNIFunctionTable(jvmti, t);
    (*jvmti)->Deallocate(jvmti, (unsigned char *)t);
    if (err != JVMTI_ERROR_NONE) {
        nt_log("SetJNIFunctionTable failed (JVMTI error %d): JNI calls are not recorded",
               (int)err);
        return -1;
    }
    installed = 1;
    return 0;
}
