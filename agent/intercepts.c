/* The table of intercepted JDK methods and the class-file rewriting behind it
 * (ClassFileLoadHook + RetransformClasses). See intercepts.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_priv.h"
#include "classfile.h"
#include "intercepts.h"

#define S_ "Ljava/lang/String;"
#define C_ "Ljava/lang/Class;"
#define O_ "Ljava/lang/Object;"
#define MT_ "Ljava/lang/invoke/MethodType;"
#define MH_ "Ljava/lang/invoke/MethodHandle;"
#define VH_ "Ljava/lang/invoke/VarHandle;"

#define FN(f) ((void *)(f))
#define CS(name, f) NT_I_CS, name, FN(f), FN(f##C)
#define NOCS(name, f) 0, name, FN(f), NULL
/* ... with a Java fast path in NT_FAST_CLASS (agent/java/nitrace/NitraceFast.java) */
#define CSF(name, f) NT_I_CS | NT_I_FAST, name, FN(f), FN(f##C)
#define NOCSF(name, f) NT_I_FAST, name, FN(f), NULL

static const nt_icpt table[] = {
    /* ---- class lookup ---- */
    {"java/lang/Class", "forName", "(" S_ ")" C_, 1, CSF("forName1", nth_forName1)},
    {"java/lang/Class", "forName", "(" S_ "ZLjava/lang/ClassLoader;)" C_, 1,
     CSF("forName3", nth_forName3)},
    {"java/lang/Class", "forName", "(" S_ C_ ")" C_, 1, NOCSF("forNameCaller", nth_forNameCaller)},
    {"java/lang/Class", "forName", "(Ljava/lang/Module;" S_ ")" C_, 1,
     CSF("forNameModule", nth_forNameModule)},
    {"java/lang/ClassLoader", "findSystemClass", "(" S_ ")" C_, 0,
     NOCSF("findSystemClass", nth_findSystemClass)},
    {"java/lang/ClassLoader", "loadClass", "(" S_ ")" C_, 0, NT_I_LOADER, "loadClass",
     FN(nth_loadClass), NULL},
    /* ---- Class queries ---- */
    {"java/lang/Class", "getMethod", "(" S_ "[" C_ ")Ljava/lang/reflect/Method;", 0,
     CSF("getMethod", nth_getMethod)},
    {"java/lang/Class", "getDeclaredMethod", "(" S_ "[" C_ ")Ljava/lang/reflect/Method;", 0,
     CSF("getDeclaredMethod", nth_getDeclaredMethod)},
    {"java/lang/Class", "getConstructor", "([" C_ ")Ljava/lang/reflect/Constructor;", 0,
     CSF("getConstructor", nth_getConstructor)},
    {"java/lang/Class", "getDeclaredConstructor", "([" C_ ")Ljava/lang/reflect/Constructor;", 0,
     CSF("getDeclaredConstructor", nth_getDeclaredConstructor)},
    {"java/lang/Class", "getField", "(" S_ ")Ljava/lang/reflect/Field;", 0,
     CSF("getField", nth_getField)},
    {"java/lang/Class", "getDeclaredField", "(" S_ ")Ljava/lang/reflect/Field;", 0,
     CSF("getDeclaredField", nth_getDeclaredField)},
    {"java/lang/Class", "getEnclosingMethod", "()Ljava/lang/reflect/Method;", 0,
     CSF("getEnclosingMethod", nth_getEnclosingMethod)},
    {"java/lang/Class", "getEnclosingConstructor", "()Ljava/lang/reflect/Constructor;", 0,
     CSF("getEnclosingConstructor", nth_getEnclosingConstructor)},
#define BULK(m, d, k) {"java/lang/Class", m, d, 0, NT_I_CS | NT_I_FAST, m, NULL, NULL}
    BULK("getFields", "()[Ljava/lang/reflect/Field;", NT_BULK_FIELDS),
    BULK("getDeclaredFields", "()[Ljava/lang/reflect/Field;", NT_BULK_DECLARED_FIELDS),
    BULK("getMethods", "()[Ljava/lang/reflect/Method;", NT_BULK_METHODS),
    BULK("getDeclaredMethods", "()[Ljava/lang/reflect/Method;", NT_BULK_DECLARED_METHODS),
    BULK("getConstructors", "()[Ljava/lang/reflect/Constructor;", NT_BULK_CONSTRUCTORS),
    BULK("getDeclaredConstructors", "()[Ljava/lang/reflect/Constructor;",
         NT_BULK_DECLARED_CONSTRUCTORS),
    BULK("getClasses", "()[" C_, NT_BULK_CLASSES),
    BULK("getDeclaredClasses", "()[" C_, NT_BULK_DECLARED_CLASSES),
    BULK("getRecordComponents", "()[Ljava/lang/reflect/RecordComponent;",
         NT_BULK_RECORD_COMPONENTS),
    BULK("getPermittedSubclasses", "()[" C_, NT_BULK_PERMITTED_SUBCLASSES),
    BULK("getNestMembers", "()[" C_, NT_BULK_NEST_MEMBERS),
    BULK("getSigners", "()[" O_, NT_BULK_SIGNERS),
    BULK("newInstance", "()" O_, NT_BULK_NEW_INSTANCE),
#undef BULK
    /* ---- reflective access ---- */
    {"java/lang/reflect/Method", "invoke", "(" O_ "[" O_ ")" O_, 0,
     NT_I_CS | NT_I_TRACK | NT_I_FAST | NT_I_SLOT | NT_I_SKIP1, "invoke",
     FN(nth_invoke), FN(nth_invokeC)},
    {"java/lang/reflect/Method", "invoke", "(" O_ "[" O_ C_ ")" O_, 0,
     NT_I_TRACK | NT_I_FAST | NT_I_SLOT | NT_I_SKIP1, "invokeCaller",
     FN(nth_invokeCaller), NULL},
    {"java/lang/reflect/Constructor", "newInstance", "([" O_ ")" O_, 0,
     NT_I_CS | NT_I_TRACK | NT_I_FAST | NT_I_SLOT | NT_I_SKIP0, "ctorNewInstance", FN(nth_ctorNewInstance), FN(nth_ctorNewInstanceC)},
    /* Field.get* / set* -> "accessField" (GraalVM 25, PR #11839) */
#define FIELD_FLAGS NT_I_CS | NT_I_TRACK | NT_I_PARTS | NT_I_FAST | NT_I_SKIP0
#define FG(m, r) {"java/lang/reflect/Field", m, "(" O_ ")" r, 0, FIELD_FLAGS, \
                  "fieldAccess", FN(nth_fieldAccess), FN(nth_fieldAccessC)}
#define FS(m, v) {"java/lang/reflect/Field", m, "(" O_ v ")V", 0, FIELD_FLAGS | NT_I_SKIP1, \
                  "fieldAccess", FN(nth_fieldAccess), FN(nth_fieldAccessC)},
    FG("get", O_), FG("getBoolean", "Z"), FG("getByte", "B"), FG("getChar", "C"),
    FG("getShort", "S"), FG("getInt", "I"), FG("getLong", "J"), FG("getFloat", "F"),
    FG("getDouble", "D"),
    NT_FIELD_SETTERS(FS)
#undef FG
#undef FS
#undef FIELD_FLAGS
    /* ---- arrays, Unsafe ---- */
    {"java/lang/reflect/Array", "newInstance", "(" C_ "I)" O_, 1, NOCSF("arrayNew1", nth_arrayNew1)},
    {"java/lang/reflect/Array", "newInstance", "(" C_ "[I)" O_, 1, NOCSF("arrayNewN", nth_arrayNewN)},
    {"sun/misc/Unsafe", "allocateInstance", "(" C_ ")" O_, 0,
     NOCSF("allocateInstance", nth_allocateInstance)},
    /* Not jdk.internal.misc.Unsafe.objectFieldOffset(Class, String), which GraalVM's agent
     * intercepts: only java.base code can call it (the program would need --add-exports),
     * and the built-in caller filter drops those callers but java.util.concurrent.atomic's
     * own <clinit>s (AtomicLong.value & co., which native-image needs no config for).
     * Rewriting the class, loaded before VMInit, cost 2.4-3.1 ms of every JVM start. */
    /* ---- resources ---- */
    {"jdk/internal/loader/BuiltinClassLoader", "findResource", "(" S_ S_ ")Ljava/net/URL;", 0,
     NOCSF("findResource", nth_findResource)},
    {"jdk/internal/loader/BuiltinClassLoader", "findResourceAsStream",
     "(" S_ S_ ")Ljava/io/InputStream;", 0, NOCSF("findResourceAsStream", nth_findResourceAsStream)},
    {"jdk/internal/loader/Loader", "findResource", "(" S_ S_ ")Ljava/net/URL;", 0,
     NOCSF("loaderFindResource", nth_findResource)},
    {"java/lang/ClassLoader", "getResource", "(" S_ ")Ljava/net/URL;", 0,
     NOCSF("getResource", nth_getResource)},
    {"java/lang/ClassLoader", "getResources", "(" S_ ")Ljava/util/Enumeration;", 0,
     NOCSF("getResources", nth_getResources)},
    {"java/lang/ClassLoader", "getSystemResource", "(" S_ ")Ljava/net/URL;", 1,
     NOCSF("getSystemResource", nth_getSystemResource)},
    {"java/lang/ClassLoader", "getSystemResources", "(" S_ ")Ljava/util/Enumeration;", 1,
     NOCSF("getSystemResources", nth_getSystemResources)},
    {"java/util/ResourceBundle", "getBundleImpl",
     "(Ljava/lang/Module;Ljava/lang/Module;" S_
     "Ljava/util/Locale;Ljava/util/ResourceBundle$Control;)Ljava/util/ResourceBundle;",
     1, NOCS("getBundleImpl", nth_getBundleImpl)},
    /* ---- proxies ---- */
    {"java/lang/reflect/Proxy", "getProxyClass", "(Ljava/lang/ClassLoader;[" C_ ")" C_, 1,
     CS("getProxyClass", nth_getProxyClass)},
    {"java/lang/reflect/Proxy", "newProxyInstance",
     "(Ljava/lang/ClassLoader;[" C_ "Ljava/lang/reflect/InvocationHandler;)" O_, 1,
     CS("newProxyInstance", nth_newProxyInstance)},
    {"java/lang/invoke/MethodHandleProxies", "asInterfaceInstance", "(" C_ MH_ ")" O_, 1,
     NOCS("asInterfaceInstance", nth_asInterfaceInstance)},
    /* ---- serialization ---- */
    {"java/io/ObjectStreamClass", "<init>", "(" C_ ")V", 0, NOCS("oscInit", nth_oscInit)},
    {"java/io/ObjectInputStream", "resolveClass", "(Ljava/io/ObjectStreamClass;)" C_, 0,
     NOCS("resolveClass", nth_resolveClass)},
    {"java/lang/invoke/SerializedLambda", "readResolve", "()" O_, 0,
     NOCS("lambdaReadResolve", nth_lambdaReadResolve)},
    /* ---- method handles ---- */
#define LK "java/lang/invoke/MethodHandles$Lookup"
    {LK, "findStatic", "(" C_ S_ MT_ ")" MH_, 0, NOCS("findStatic", nth_findMethod)},
    {LK, "findVirtual", "(" C_ S_ MT_ ")" MH_, 0, NOCS("findVirtual", nth_findMethod)},
    {LK, "findSpecial", "(" C_ S_ MT_ C_ ")" MH_, 0, NOCS("findSpecial", nth_findSpecial)},
    {LK, "bind", "(" O_ S_ MT_ ")" MH_, 0, NOCS("bind", nth_bind)},
    {LK, "findConstructor", "(" C_ MT_ ")" MH_, 0, NOCS("findConstructor", nth_findConstructor)},
    {LK, "findGetter", "(" C_ S_ C_ ")" MH_, 0, NOCS("findGetter", nth_findField)},
    {LK, "findSetter", "(" C_ S_ C_ ")" MH_, 0, NOCS("findSetter", nth_findField)},
    {LK, "findStaticGetter", "(" C_ S_ C_ ")" MH_, 0, NOCS("findStaticGetter", nth_findField)},
    {LK, "findStaticSetter", "(" C_ S_ C_ ")" MH_, 0, NOCS("findStaticSetter", nth_findField)},
    {LK, "findVarHandle", "(" C_ S_ C_ ")" VH_, 0, NOCS("findVarHandle", nth_findField)},
    {LK, "findStaticVarHandle", "(" C_ S_ C_ ")" VH_, 0,
     NOCS("findStaticVarHandle", nth_findField)},
    {LK, "findClass", "(" S_ ")" C_, 0, NOCS("findClass", nth_findClass)},
    {LK, "unreflect", "(Ljava/lang/reflect/Method;)" MH_, 0, NOCS("unreflect", nth_unreflect)},
    {LK, "unreflectConstructor", "(Ljava/lang/reflect/Constructor;)" MH_, 0,
     NOCS("unreflectConstructor", nth_unreflectConstructor)},
    {LK, "unreflectGetter", "(Ljava/lang/reflect/Field;)" MH_, 0,
     NOCS("unreflectGetter", nth_unreflectField)},
    {LK, "unreflectSetter", "(Ljava/lang/reflect/Field;)" MH_, 0,
     NOCS("unreflectSetter", nth_unreflectField)},
#undef LK
};

#define NT_NICPT (sizeof table / sizeof *table)

/* The bulk entries get their natives from nt_bulk_fns (filled on first use). */
static nt_icpt resolved[NT_NICPT];
static pthread_once_t resolved_once = PTHREAD_ONCE_INIT;

static void resolve_table(void)
{
    size_t bulk = 0;
    for (size_t i = 0; i < NT_NICPT; i++) {
        resolved[i] = table[i];
        if (!table[i].fn) {
            resolved[i].fn = nt_bulk_fns[bulk];
            resolved[i].fn_caller = nt_bulk_fns_caller[bulk];
            bulk++;
        }
    }
}

unsigned nt_icpt_hook_flags(const nt_icpt *e)
{
    return CF_HOOK_ERASE_REFS | ((e->flags & NT_I_PARTS) ? CF_HOOK_MEMBER_PARTS : 0) |
           ((e->flags & NT_I_SLOT) ? CF_HOOK_MEMBER_SLOT : 0) |
           ((e->flags & NT_I_SKIP0) ? CF_HOOK_SKIP_P0 : 0) |
           ((e->flags & NT_I_SKIP1) ? CF_HOOK_SKIP_P1 : 0);
}

const nt_icpt *nt_icpt_table(size_t *n)
{
    pthread_once(&resolved_once, resolve_table);
    *n = NT_NICPT;
    return resolved;
}

/* ---- rewriting ------------------------------------------------------------ */

static volatile int rewriting;       /* the hook class exists: rewrite target classes */
static volatile int applied_count;
static unsigned char refused[NT_NICPT]; /* a rewrite of this entry failed: never again */
static unsigned char applied[NT_NICPT];
static pthread_mutex_t rw_mu = PTHREAD_MUTEX_INITIALIZER;

int nt_intercepts_applied(void)
{
    return applied_count;
}

static int entry_enabled(const nt_icpt *e)
{
    const nt_agent_opts *o = &nt_g.opts;
    if ((e->flags & NT_I_TRACK) && !o->track_reflection_metadata)
        return 0;
    if ((e->flags & NT_I_LOADER) && !o->class_loader_support)
        return 0;
    if ((e->flags & NT_I_UNSAFE) && !o->unsafe_allocation_support)
        return 0;
    return 1;
}

static int is_target_class(const char *name)
{
    size_t n;
    const nt_icpt *t = nt_icpt_table(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].cls, name) == 0)
            return 1;
    return 0;
}

/* ---- when to stop listening to class loads ---------------------------------- *
 * While the ClassFileLoadHook event is enabled, the VM hands every class it
 * loads to the hook — for a class from the CDS archive it first has to read
 * the class file from the runtime image — which is most of the agent's cost
 * at start-up. So the event is enabled only from VMInit (nothing is rewritten
 * before) and disabled again once every target class (one with an enabled
 * entry) has been loaded and rewritten. Target classes not loaded at VMInit
 * (ObjectStreamClass, ResourceBundle, Proxy, ...) are loaded then, without
 * being initialised (Class.forName(name, false, system loader) inside the
 * agent's re-entrance guard): loading a JDK class runs none of its code, and
 * it spares every later class load the hook. */

static const char *target_names[NT_NICPT]; /* distinct target classes */
static size_t n_targets;
static unsigned char target_seen[NT_NICPT];
static size_t n_seen;

static void targets_init(void)
{
    size_t n;
    const nt_icpt *t = nt_icpt_table(&n);
    for (size_t i = 0; i < n; i++) {
        if (!entry_enabled(&t[i]))
            continue;
        size_t j = 0;
        while (j < n_targets && strcmp(target_names[j], t[i].cls) != 0)
            j++;
        if (j == n_targets)
            target_names[n_targets++] = t[i].cls;
    }
}

/* A target class is loaded (under rw_mu). Returns 1 when it was the last one. */
static int target_loaded(const char *name)
{
    for (size_t j = 0; j < n_targets; j++)
        if (strcmp(target_names[j], name) == 0 && !target_seen[j]) {
            target_seen[j] = 1;
            return ++n_seen == n_targets;
        }
    return 0;
}

/* Load (not initialise) the target classes not loaded yet; the
 * ClassFileLoadHook rewrites each as it loads. A class that cannot be loaded
 * is counted as done: there is nothing of it to intercept. */
static void preload_targets(JNIEnv *env)
{
    jclass cc = (*env)->FindClass(env, "java/lang/Class");
    jclass cl = (*env)->FindClass(env, "java/lang/ClassLoader");
    jmethodID for_name = cc ? (*env)->GetStaticMethodID(env, cc, "forName",
                                  "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;")
                            : NULL;
    jmethodID sys = cl ? (*env)->GetStaticMethodID(env, cl, "getSystemClassLoader",
                                                   "()Ljava/lang/ClassLoader;")
                       : NULL;
    jobject loader = sys ? (*env)->CallStaticObjectMethod(env, cl, sys) : NULL;
    if ((*env)->ExceptionCheck(env) || !for_name || !loader) {
        (*env)->ExceptionClear(env);
        return;
    }
    int entered = nt_enter(); /* 0: already inside the agent (VMInit): hooks ignore us too */
    for (size_t j = 0; j < n_targets; j++) {
        pthread_mutex_lock(&rw_mu);
        int seen = target_seen[j];
        pthread_mutex_unlock(&rw_mu);
        if (seen)
            continue;
        char dotted[256];
        snprintf(dotted, sizeof dotted, "%s", target_names[j]);
        for (char *p = dotted; *p; p++)
            if (*p == '/')
                *p = '.';
        jstring name = (*env)->NewStringUTF(env, dotted);
        jobject c = name ? (*env)->CallStaticObjectMethod(env, cc, for_name, name, JNI_FALSE, loader)
                         : NULL;
        if ((*env)->ExceptionCheck(env) || !c) {
            (*env)->ExceptionClear(env);
            pthread_mutex_lock(&rw_mu);
            int last = target_loaded(target_names[j]);
            pthread_mutex_unlock(&rw_mu);
            (void)last; /* the caller disables the hook when all are done */
        }
        if (c)
            (*env)->DeleteLocalRef(env, c);
        if (name)
            (*env)->DeleteLocalRef(env, name);
    }
    if (entered)
        nt_leave();
}

static int hook_off; /* the ClassFileLoadHook was disabled for good */

static void cflh_enable(jvmtiEnv *jvmti, int on)
{
    if (!on && __atomic_exchange_n(&hook_off, 1, __ATOMIC_ACQ_REL))
        return;
    if (!on)
        nt_debug("all %zu intercepted classes are loaded: class loads are no longer hooked",
                 n_targets);
    if ((*jvmti)->SetEventNotificationMode(jvmti, on ? JVMTI_ENABLE : JVMTI_DISABLE,
                                           JVMTI_EVENT_CLASS_FILE_LOAD_HOOK,
                                           NULL) != JVMTI_ERROR_NONE && on)
        nt_log("cannot enable the ClassFileLoadHook; JDK methods are not intercepted");
}

/* Rewrite one target class. Entries whose rewrite fails are logged once and
 * left out (the class is rewritten without them). Returns malloc'd bytes or
 * NULL (nothing to do / nothing possible). */
static uint8_t *rewrite(const uint8_t *data, size_t len, size_t *out_len)
{
    size_t n;
    const nt_icpt *t = nt_icpt_table(&n);
    cf_class *cls = NULL;
    char err[512];
    if (cf_parse(data, len, &cls, err, sizeof err) != CF_OK) {
        nt_log("cannot parse class file to intercept its methods: %s", err);
        return NULL;
    }
    const char *cname = cf_class_name(cls);
    cf_hook_spec specs[NT_NICPT];
    size_t idx[NT_NICPT];
    size_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(t[i].cls, cname) != 0 || refused[i] || !entry_enabled(&t[i]))
            continue;
        long mi = cf_find_method(cls, t[i].method, t[i].desc);
        cf_method_info info;
        if (mi < 0 || cf_method_at(cls, (size_t)mi, &info) != 0 || !info.has_code)
            continue; /* absent on this JDK, or native */
        unsigned flags = nt_icpt_hook_flags(&t[i]);
        int fast = (t[i].flags & NT_I_FAST) && nt_fastclass_ready();
        /* The Java fast path needs no caller: it keys a repeat on the access alone once
         * the access is settled, and its native finds the caller frame as GraalVM's agent
         * does (JVMTI, depth 1 from the intercepted method). Not calling
         * Reflection.getCallerClass() keeps the hit path free of the stack walk it costs
         * whenever the JIT cannot inline the JDK method into its caller. */
        if (!fast && (t[i].flags & NT_I_CS) &&
            cf_method_has_annotation(cls, (size_t)mi, CF_CALLER_SENSITIVE))
            flags |= CF_HOOK_CALLER;
        specs[ns].method_name = t[i].method;
        specs[ns].method_desc = t[i].desc;
        specs[ns].hook_name = t[i].hook;
        specs[ns].flags = flags;
        specs[ns].hook_class = fast ? NT_FAST_CLASS : NULL;
        idx[ns++] = i;
    }
    uint8_t *out = NULL;
    *out_len = 0;
    int done[NT_NICPT];
    while (ns > 0) {
        cf_status st = cf_instrument(cls, NT_HOOK_CLASS, specs, ns, &out, out_len, done, err,
                                     sizeof err);
        if (st == CF_OK)
            break;
        if (st == CF_ERR_NOMEM) {
            nt_log("out of memory rewriting %s; its methods are not intercepted", cname);
            break;
        }
        /* find the entries that fail on their own and leave them out */
        size_t keep = 0;
        for (size_t k = 0; k < ns; k++) {
            uint8_t *one = NULL;
            size_t one_len = 0;
            char e1[512];
            if (cf_instrument(cls, NT_HOOK_CLASS, &specs[k], 1, &one, &one_len, NULL, e1,
                              sizeof e1) == CF_OK) {
                free(one);
                specs[keep] = specs[k];
                idx[keep++] = idx[k];
            } else {
                pthread_mutex_lock(&rw_mu);
                int first = !refused[idx[k]];
                refused[idx[k]] = 1;
                pthread_mutex_unlock(&rw_mu);
                if (first)
                    nt_log("cannot intercept %s.%s%s (%s); recording goes on without it", cname,
                           specs[k].method_name, specs[k].method_desc, e1);
            }
        }
        if (keep == ns) {
            nt_log("cannot intercept the methods of %s (%s); recording goes on without them",
                   cname, err);
            ns = 0;
            break;
        }
        ns = keep;
    }
    if (out) {
        pthread_mutex_lock(&rw_mu);
        for (size_t k = 0; k < ns; k++)
            if (done[k] && !applied[idx[k]]) {
                applied[idx[k]] = 1;
                applied_count++;
                nt_debug("intercepting %s.%s%s%s", cname, specs[k].method_name,
                         specs[k].method_desc,
                         (specs[k].flags & CF_HOOK_CALLER) ? " (caller-sensitive)" : "");
            }
        pthread_mutex_unlock(&rw_mu);
    }
    cf_class_free(cls);
    return out;
}

void JNICALL nt_intercepts_cflh(jvmtiEnv *jvmti, JNIEnv *env, jclass class_being_redefined,
                                jobject loader, const char *name, jobject protection_domain,
                                jint class_data_len, const unsigned char *class_data,
                                jint *new_class_data_len, unsigned char **new_class_data)
{
    (void)env;
    (void)loader;
    (void)protection_domain;
    if (!rewriting || !name || !is_target_class(name) || class_data_len <= 0)
        return;
    if (!class_being_redefined) {
        pthread_mutex_lock(&rw_mu);
        int last = target_loaded(name);
        pthread_mutex_unlock(&rw_mu);
        if (last)
            cflh_enable(jvmti, 0); /* this class is still rewritten below */
    }
    size_t len = 0;
    uint8_t *out = rewrite(class_data, (size_t)class_data_len, &len);
    if (!out)
        return;
    unsigned char *jbuf = NULL;
    if ((*jvmti)->Allocate(jvmti, (jlong)len, &jbuf) != JVMTI_ERROR_NONE) {
        free(out);
        return;
    }
    memcpy(jbuf, out, len);
    free(out);
    *new_class_data = jbuf;
    *new_class_data_len = (jint)len;
}

int nt_intercepts_start(jvmtiEnv *jvmti, JNIEnv *env)
{
    pthread_mutex_lock(&rw_mu);
    targets_init();
    pthread_mutex_unlock(&rw_mu);
    rewriting = 1;
    cflh_enable(jvmti, 1); /* before listing loaded classes: none slips through */
    jint count = 0;
    jclass *classes = NULL;
    if ((*jvmti)->GetLoadedClasses(jvmti, &count, &classes) != JVMTI_ERROR_NONE) {
        nt_log("GetLoadedClasses failed; only classes loaded from now on are intercepted");
        return -1;
    }
    /* GetLoadedClasses made count local references at once (-Xcheck:jni counts them) */
    (*env)->EnsureLocalCapacity(env, count + 32);
    jclass *targets = malloc((count ? (size_t)count : 1) * sizeof *targets);
    jint nt = 0;
    for (jint i = 0; targets && i < count; i++) {
        char *sig = NULL;
        if ((*jvmti)->GetClassSignature(jvmti, classes[i], &sig, NULL) != JVMTI_ERROR_NONE ||
            !sig)
            continue;
        size_t l = strlen(sig);
        if (l > 2 && sig[0] == 'L' && sig[l - 1] == ';') {
            sig[l - 1] = '\0';
            jboolean mod = JNI_FALSE;
            if (is_target_class(sig + 1)) {
                pthread_mutex_lock(&rw_mu);
                target_loaded(sig + 1);
                pthread_mutex_unlock(&rw_mu);
                if ((*jvmti)->IsModifiableClass(jvmti, classes[i], &mod) == JVMTI_ERROR_NONE &&
                    mod)
                    targets[nt++] = classes[i];
            }
        }
        (*jvmti)->Deallocate(jvmti, (unsigned char *)sig);
    }
    int rc = 0;
    if (nt > 0) {
        jvmtiError e = (*jvmti)->RetransformClasses(jvmti, nt, targets);
        if (e != JVMTI_ERROR_NONE) {
            /* one at a time, so one refusal does not cost the others */
            for (jint i = 0; i < nt; i++) {
                jvmtiError e1 = (*jvmti)->RetransformClasses(jvmti, 1, &targets[i]);
                if (e1 != JVMTI_ERROR_NONE) {
                    char *sig = NULL;
                    (*jvmti)->GetClassSignature(jvmti, targets[i], &sig, NULL);
                    nt_log("cannot retransform %s (JVMTI error %d); its methods are not "
                           "intercepted",
                           sig ? sig : "?", (int)e1);
                    if (sig)
                        (*jvmti)->Deallocate(jvmti, (unsigned char *)sig);
                    rc = -1;
                }
            }
        }
    }
    free(targets);
    (*jvmti)->Deallocate(jvmti, (unsigned char *)classes);
    preload_targets(env);
    pthread_mutex_lock(&rw_mu);
    int all = n_seen == n_targets;
    pthread_mutex_unlock(&rw_mu);
    if (all)
        cflh_enable(jvmti, 0); /* every target is loaded and was retransformed */
    return rc < 0 ? rc : applied_count;
}
