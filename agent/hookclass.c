/* The hook class: a class file written here (no javac at build time) with one
 * `public static native void` per intercepted method, defined with the boot
 * loader in its unnamed module, read by the modules of the target classes
 * (AddModuleReads), its natives bound to agent/hooks.c with RegisterNatives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_priv.h"
#include "classfile.h"
#include "intercepts.h"

typedef struct buf {
    uint8_t *d;
    size_t len, cap;
    int oom;
} buf;

static void put(buf *b, const void *p, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *d = realloc(b->d, cap);
        if (!d) {
            b->oom = 1;
            return;
        }
        b->d = d;
        b->cap = cap;
    }
    memcpy(b->d + b->len, p, n);
    b->len += n;
}

static void u1(buf *b, unsigned v)
{
    uint8_t c = (uint8_t)v;
    put(b, &c, 1);
}

static void u2(buf *b, unsigned v)
{
    uint8_t c[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    put(b, c, 2);
}

static void u4(buf *b, uint32_t v)
{
    uint8_t c[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    put(b, c, 4);
}

/* Appends a CONSTANT_Utf8 (ASCII only: every name here is) to the pool and
 * returns its index. */
static unsigned utf8(buf *cp, unsigned *next, const char *s)
{
    size_t n = strlen(s);
    u1(cp, 1);
    u2(cp, (unsigned)n);
    put(cp, s, n);
    return (*next)++;
}

/* One hook method: name + descriptor (malloc'd). */
typedef struct hm {
    const char *name;
    char *desc;
    void *fn;
    char *own_name; /* malloc'd name, when name is not a table string */
    int fast;       /* its entry has NT_I_FAST */
    int caller;     /* the variant with the caller class argument */
} hm;

/* The natives of the hook class, in class-file order, each name and
 * descriptor once (entries may share a hook: the eighteen Field accessors;
 * they must then share its C function). Caller frees descs. */
static int hook_methods(hm **out, size_t *nout)
{
    size_t n;
    const nt_icpt *t = nt_icpt_table(&n);
    hm *v = calloc(2 * n, sizeof *v);
    if (!v)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        for (int caller = 0; caller <= ((t[i].flags & NT_I_CS) ? 1 : 0); caller++) {
            unsigned flags = nt_icpt_hook_flags(&t[i]) | (caller ? CF_HOOK_CALLER : 0);
            char *d = cf_hook_descriptor(t[i].cls, t[i].method, t[i].desc, t[i].is_static, flags);
            if (!d)
                goto fail;
            void *fn = caller ? t[i].fn_caller : t[i].fn;
            size_t j = 0;
            while (j < k && !(strcmp(v[j].name, t[i].hook) == 0 && strcmp(v[j].desc, d) == 0))
                j++;
            if (j < k) { /* a shared hook */
                free(d);
                if (v[j].fn != fn || v[j].fast != ((t[i].flags & NT_I_FAST) != 0))
                    goto fail;
                continue;
            }
            v[k].name = t[i].hook;
            v[k].desc = d;
            v[k].fn = fn;
            v[k].fast = (t[i].flags & NT_I_FAST) != 0;
            v[k].caller = caller;
            k++;
        }
    }
    *out = v;
    *nout = k;
    return 0;
fail:
    for (size_t j = 0; j < k; j++)
        free(v[j].desc);
    free(v);
    return -1;
}

static void free_methods(hm *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].desc);
        free(v[i].own_name);
    }
    free(v);
}

int nt_hookclass_bytes(uint8_t **out, size_t *out_len)
{
    hm *ms = NULL;
    size_t nm = 0;
    *out = NULL;
    *out_len = 0;
    if (hook_methods(&ms, &nm) != 0)
        return -1;
    buf cp = {0}, b = {0};
    unsigned next = 1;
    unsigned this_name = utf8(&cp, &next, NT_HOOK_CLASS);
    u1(&cp, 7);
    u2(&cp, this_name);
    unsigned this_cls = next++;
    unsigned super_name = utf8(&cp, &next, "java/lang/Object");
    u1(&cp, 7);
    u2(&cp, super_name);
    unsigned super_cls = next++;
    unsigned *mn = calloc(nm ? nm : 1, 2 * sizeof *mn);
    if (!mn) {
        free_methods(ms, nm);
        free(cp.d);
        return -1;
    }
    for (size_t i = 0; i < nm; i++) {
        mn[2 * i] = utf8(&cp, &next, ms[i].name);
        mn[2 * i + 1] = utf8(&cp, &next, ms[i].desc);
    }
    u4(&b, 0xCAFEBABEu);
    u2(&b, 0);
    u2(&b, 52); /* Java 8 class file: natives need nothing newer */
    u2(&b, next);
    put(&b, cp.d, cp.len);
    u2(&b, 0x0001 | 0x0010 | 0x0020); /* ACC_PUBLIC | ACC_FINAL | ACC_SUPER */
    u2(&b, this_cls);
    u2(&b, super_cls);
    u2(&b, 0); /* interfaces */
    u2(&b, 0); /* fields */
    u2(&b, (unsigned)nm);
    for (size_t i = 0; i < nm; i++) {
        u2(&b, 0x0001 | 0x0008 | 0x0100); /* ACC_PUBLIC | ACC_STATIC | ACC_NATIVE */
        u2(&b, mn[2 * i]);
        u2(&b, mn[2 * i + 1]);
        u2(&b, 0); /* no attributes */
    }
    u2(&b, 0); /* class attributes */
    free(mn);
    free(cp.d);
    free_methods(ms, nm);
    if (b.oom || cp.oom || next > 65535u) {
        free(b.d);
        return -1;
    }
    *out = b.d;
    *out_len = b.len;
    return 0;
}

/* The boot modules holding the packages of the target classes, distinct, in a
 * JVMTI-allocated array of local references (as GetAllModules gives them).
 * Returns 0, or -1 when a package is in no boot module (or out of memory). */
static int target_modules(JNIEnv *env, jint *n_out, jobject **out)
{
    jvmtiEnv *jvmti = nt_g.jvmti;
    size_t n;
    const nt_icpt *t = nt_icpt_table(&n);
    jobject *mods = NULL;
    if ((*jvmti)->Allocate(jvmti, (jlong)(n * sizeof *mods), (unsigned char **)&mods) !=
        JVMTI_ERROR_NONE)
        return -1;
    jint nm = 0;
    for (size_t i = 0; i < n; i++) {
        char pkg[256];
        const char *slash = strrchr(t[i].cls, '/');
        size_t l = slash ? (size_t)(slash - t[i].cls) : 0;
        if (l >= sizeof pkg)
            l = sizeof pkg - 1;
        memcpy(pkg, t[i].cls, l);
        pkg[l] = '\0';
        jobject m = NULL;
        if ((*jvmti)->GetNamedModule(jvmti, NULL, pkg, &m) != JVMTI_ERROR_NONE || !m) {
            for (jint k = 0; k < nm; k++)
                (*env)->DeleteLocalRef(env, mods[k]);
            (*jvmti)->Deallocate(jvmti, (unsigned char *)mods);
            return -1;
        }
        jint k = 0;
        while (k < nm && !(*env)->IsSameObject(env, mods[k], m))
            k++;
        if (k < nm)
            (*env)->DeleteLocalRef(env, m);
        else
            mods[nm++] = m;
    }
    *n_out = nm;
    *out = mods;
    return 0;
}

int nt_hookclass_define(JNIEnv *env)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    if (nt_hookclass_bytes(&bytes, &len) != 0) {
        nt_log("cannot build the hook class (out of memory)");
        return -1;
    }
    jclass cls = (*env)->DefineClass(env, NT_HOOK_CLASS, NULL, (const jbyte *)bytes, (jsize)len);
    free(bytes);
    if (!cls) {
        if ((*env)->ExceptionCheck(env)) {
            (*env)->ExceptionDescribe(env);
            (*env)->ExceptionClear(env);
        }
        nt_log("cannot define the hook class %s with the boot loader", NT_HOOK_CLASS);
        return -1;
    }
    hm *ms = NULL;
    size_t nm = 0;
    if (hook_methods(&ms, &nm) != 0) {
        nt_log("cannot bind the hook class (out of memory)");
        return -1;
    }
    JNINativeMethod *jm = calloc(nm ? nm : 1, sizeof *jm);
    if (!jm) {
        free_methods(ms, nm);
        nt_log("cannot bind the hook class (out of memory)");
        return -1;
    }
    for (size_t i = 0; i < nm; i++) {
        jm[i].name = (char *)ms[i].name;
        jm[i].signature = ms[i].desc;
        jm[i].fnPtr = ms[i].fn;
    }
    jint rc = (*env)->RegisterNatives(env, cls, jm, (jint)nm);
    free(jm);
    free_methods(ms, nm);
    if (rc != 0) {
        if ((*env)->ExceptionCheck(env)) {
            (*env)->ExceptionDescribe(env);
            (*env)->ExceptionClear(env);
        }
        nt_log("cannot bind the natives of the hook class");
        return -1;
    }
    /* the modules of the target classes (java.base, jdk.unsupported) read the
     * hook class's (unnamed) module, so rewritten JDK code links to it; if one
     * cannot be found by its package, every module of the boot layer does */
    jvmtiEnv *jvmti = nt_g.jvmti;
    jclass cc = (*env)->GetObjectClass(env, cls);
    jmethodID get_module = cc ? (*env)->GetMethodID(env, cc, "getModule", "()Ljava/lang/Module;")
                              : NULL;
    jobject hook_module = get_module ? (*env)->CallObjectMethod(env, cls, get_module) : NULL;
    if ((*env)->ExceptionCheck(env))
        (*env)->ExceptionClear(env);
    jint nmod = 0;
    jobject *mods = NULL;
    if (!hook_module || (target_modules(env, &nmod, &mods) != 0 &&
                         (*jvmti)->GetAllModules(jvmti, &nmod, &mods) != JVMTI_ERROR_NONE)) {
        nt_log("cannot find the modules that must read the hook class");
        return -1;
    }
    /* GetAllModules made nmod local references at once (-Xcheck:jni counts them) */
    (*env)->EnsureLocalCapacity(env, nmod + 32);
    int rc2 = 0;
    for (jint i = 0; i < nmod; i++) {
        if ((*jvmti)->AddModuleReads(jvmti, mods[i], hook_module) != JVMTI_ERROR_NONE)
            rc2 = -1;
        (*env)->DeleteLocalRef(env, mods[i]);
    }
    (*jvmti)->Deallocate(jvmti, (unsigned char *)mods);
    if (rc2 != 0) {
        nt_log("cannot make the JDK's modules read the hook class");
        return -1;
    }
    (*env)->DeleteLocalRef(env, cls);
    return 0;
}

/* ---- the Java fast path (NT_FAST_CLASS) ------------------------------------- */

static volatile int fast_ready;

int nt_fastclass_ready(void)
{
    return fast_ready;
}

static void clear_exception(JNIEnv *env)
{
    if ((*env)->ExceptionCheck(env))
        (*env)->ExceptionClear(env);
}

/* The natives NT_FAST_CLASS declares: <hook>N for each NT_I_FAST entry's hook
 * descriptor without a caller argument, bound to the same C functions as NT_HOOK_CLASS's, and
 * state(). Also checks that the class has each public fast method the
 * rewritten code will call. *out: free with free_methods. Returns the count
 * or -1. */
static long fast_methods(JNIEnv *env, jclass cls, hm **out)
{
    hm *all = NULL;
    size_t n = 0;
    if (hook_methods(&all, &n) != 0)
        return -1;
    hm *v = calloc(n + 1, sizeof *v);
    size_t k = 0;
    int ok = v != NULL;
    for (size_t j = 0; ok && j < n; j++) {
        /* the rewriter passes no caller class to the fast path (intercepts.c) */
        if (!all[j].fast || all[j].caller)
            continue;
        if (!(*env)->GetStaticMethodID(env, cls, all[j].name, all[j].desc)) {
            clear_exception(env);
            nt_debug("fast path: %s.%s%s is missing", NT_FAST_CLASS, all[j].name,
                     all[j].desc);
            ok = 0;
            break;
        }
        size_t len = strlen(all[j].name) + 2;
        v[k].own_name = malloc(len);
        v[k].desc = all[j].desc;
        all[j].desc = NULL; /* moved */
        v[k].fn = all[j].fn;
        ok = v[k].own_name != NULL;
        if (ok) {
            snprintf(v[k].own_name, len, "%sN", all[j].name);
            v[k].name = v[k].own_name;
        }
        k++;
    }
    if (ok) {
        v[k].name = "state";
        v[k].desc = strdup("()I");
        v[k].fn = (void *)nth_state;
        ok = v[k].desc != NULL;
        k++;
    }
    free_methods(all, n);
    if (!ok) {
        if (v)
            free_methods(v, k);
        return -1;
    }
    *out = v;
    return (long)k;
}

/* The number of native methods cls declares, or -1. */
static long count_natives(jclass cls)
{
    jvmtiEnv *jvmti = nt_g.jvmti;
    jint n = 0;
    jmethodID *ms = NULL;
    if ((*jvmti)->GetClassMethods(jvmti, cls, &n, &ms) != JVMTI_ERROR_NONE)
        return -1;
    long natives = 0;
    for (jint i = 0; i < n; i++) {
        jboolean is_native = JNI_FALSE;
        if ((*jvmti)->IsMethodNative(jvmti, ms[i], &is_native) == JVMTI_ERROR_NONE && is_native)
            natives++;
    }
    (*jvmti)->Deallocate(jvmti, (unsigned char *)ms);
    return natives;
}

void nt_fastclass_define(JNIEnv *env)
{
    jclass fast = NULL;
    for (size_t i = 0; i < nt_fast_classes_count; i++) {
        const nt_embedded_class *c = &nt_fast_classes[i];
        jclass k = (*env)->DefineClass(env, c->name, NULL, (const jbyte *)c->bytes,
                                       (jsize)c->len);
        if (!k) {
            clear_exception(env);
            nt_debug("fast path off: cannot define %s", c->name);
            return;
        }
        if (strcmp(c->name, NT_FAST_CLASS) == 0)
            fast = k;
        else
            (*env)->DeleteLocalRef(env, k);
    }
    if (!fast) {
        nt_debug("fast path off: %s is not embedded", NT_FAST_CLASS);
        return;
    }
    hm *ms = NULL;
    long nm = fast_methods(env, fast, &ms);
    if (nm < 0) {
        nt_debug("fast path off: %s does not match the hook table", NT_FAST_CLASS);
        return;
    }
    JNINativeMethod *jm = calloc((size_t)nm, sizeof *jm);
    int ok = jm != NULL;
    for (long i = 0; ok && i < nm; i++) {
        jm[i].name = (char *)ms[i].name;
        jm[i].signature = ms[i].desc;
        jm[i].fnPtr = ms[i].fn;
    }
    if (ok && (*env)->RegisterNatives(env, fast, jm, (jint)nm) != 0) {
        clear_exception(env);
        ok = 0;
    }
    free(jm);
    free_methods(ms, (size_t)nm);
    /* every native the class declares is bound (RegisterNatives binds only
     * declared ones, each once): the counts agree */
    if (!ok || count_natives(fast) != nm) {
        nt_debug("fast path off: cannot bind the natives of %s", NT_FAST_CLASS);
        return;
    }
    jclass g = (*env)->NewGlobalRef(env, fast);
    if (!g)
        return;
    nt_hooks_fast_class(g);
    fast_ready = 1;
}
