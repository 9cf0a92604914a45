/* The JDK methods nitrace intercepts, the hook class their rewritten code
 * calls, and the native hook functions (agent/hooks.c) behind it.
 *
 * Flow: at VMInit the hook class (NT_HOOK_CLASS, boot loader, public, read by
 * the modules of the target classes so that rewritten JDK code can call it)
 * is defined from bytes made by nt_hookclass_bytes(); its static native
 * methods are bound with RegisterNatives; then every loaded target class is
 * retransformed, and the ClassFileLoadHook (nt_intercepts_cflh) injects
 * `invokestatic NT_HOOK_CLASS.<hook>(receiver, args..[, caller])V` at the
 * entry of each table method (agent/classfile.h). Classes loaded later are
 * rewritten when they load. Internal to the agent. */
#ifndef NITRACE_AGENT_INTERCEPTS_H
#define NITRACE_AGENT_INTERCEPTS_H

#include <jni.h>
#include <jvmti.h>
#include <stddef.h>
#include <stdint.h>

/* In no named module: the boot loader's unnamed module (RegisterNatives on a
 * class of a named boot module from agent code makes HotSpot print a warning
 * per method). The modules of the target classes are made to read it (JVMTI
 * AddModuleReads). */
#define NT_HOOK_CLASS "nitrace/NitraceHooks"

/* The Java fast path (agent/java/nitrace/NitraceFast.java, compiled at build
 * time and embedded): for each NT_I_FAST entry a public static method with the
 * hook's name and descriptor looks the access up in a Java cache and returns
 * at once on a hit, so that a repeated access makes no JNI transition. On a
 * miss it calls its private static native <hook>N (the same C function as the
 * NT_HOOK_CLASS native), then state() says whether the access may be cached
 * (NT_STATE_*). Rewritten JDK code calls NT_FAST_CLASS for NT_I_FAST entries
 * when the class could be defined and bound, else NT_HOOK_CLASS. */
#define NT_FAST_CLASS "nitrace/NitraceFast"
enum {
    NT_STATE_KNOWN = 1,  /* the access from this caller is recorded for good */
    NT_STATE_SETTLED = 2 /* recorded in a run-time context from a caller the caller filters
                            accept: the same access from any other caller adds nothing */
};

/* nt_icpt.flags */
enum {
    NT_I_CS = 1,      /* the JDK method is @CallerSensitive (on some JDK): the hook gets the
                         caller class from Reflection.getCallerClass() when the annotation is
                         present in the class being rewritten */
    NT_I_TRACK = 2,   /* only with track-reflection-metadata */
    NT_I_LOADER = 4,  /* only with experimental-class-loader-support */
    NT_I_UNSAFE = 8,  /* only with experimental-unsafe-allocation-support */
    NT_I_PARTS = 16,  /* the hook gets the receiver's getDeclaringClass() and getName()
                         instead of the receiver (CF_HOOK_MEMBER_PARTS) */
    NT_I_SLOT = 64,   /* the hook gets the Method's/Constructor's clazz, slot, [name,]
                         parameterTypes instead of the receiver (CF_HOOK_MEMBER_SLOT) */
    NT_I_SKIP0 = 128, /* the hook does not get the method's first parameter (CF_HOOK_SKIP_P0) */
    NT_I_SKIP1 = 256, /* ... nor its second (CF_HOOK_SKIP_P1) */
    NT_I_FAST = 32    /* NT_FAST_CLASS has a public static method named hook with the hook
                         descriptor(s): a Java-side cache in front of the native (see below) */
};

/* One intercepted JDK method. fn is the native for the plain hook descriptor
 * (receiver + parameters, references erased to Object); fn_caller (NT_I_CS
 * only) the native for the descriptor with a trailing caller argument. */
typedef struct nt_icpt {
    const char *cls;     /* internal name, e.g. "java/lang/Class" */
    const char *method;
    const char *desc;
    int is_static;
    unsigned flags;
    const char *hook;    /* method name in the hook class (unique per entry) */
    void *fn;
    void *fn_caller;
} nt_icpt;

/* The table (agent/intercepts.c). */
const nt_icpt *nt_icpt_table(size_t *n);
/* The CF_HOOK_* flags of an entry's hook call (agent/classfile.h), without
 * CF_HOOK_CALLER. */
unsigned nt_icpt_hook_flags(const nt_icpt *e);

/* Build the hook class: public final, one `public static native void` per
 * table entry (two for NT_I_CS entries). *out is malloc'd (caller frees).
 * Returns 0, or -1 on NOMEM / bad descriptor. (agent/hookclass.c) */
int nt_hookclass_bytes(uint8_t **out, size_t *out_len);
/* Define the hook class with the boot loader and bind its natives. Returns 0,
 * or -1 after logging why. (agent/hookclass.c) */
int nt_hookclass_define(JNIEnv *env);

/* Define NT_FAST_CLASS (and its nested classes) with the boot loader and
 * bind its natives; on any failure the fast path is left off (logged with
 * verbose only) and hooks go to NT_HOOK_CLASS. (agent/hookclass.c) */
void nt_fastclass_define(JNIEnv *env);
/* 1 once nt_fastclass_define succeeded. */
int nt_fastclass_ready(void);
/* Embedded class files of NT_FAST_CLASS (generated at build time). */
typedef struct nt_embedded_class {
    const char *name; /* internal name */
    const unsigned char *bytes;
    size_t len;
} nt_embedded_class;
extern const nt_embedded_class nt_fast_classes[];
extern const size_t nt_fast_classes_count;

/* Enable rewriting: from now on the ClassFileLoadHook rewrites target
 * classes; then retransform the target classes already loaded. Called at
 * VMInit (or at attach) once the hook class exists. Returns the number of
 * rewritten methods ready so far, or -1. (agent/intercepts.c) */
int nt_intercepts_start(jvmtiEnv *jvmti, JNIEnv *env);
/* ClassFileLoadHook body. */
void JNICALL nt_intercepts_cflh(jvmtiEnv *jvmti, JNIEnv *env, jclass class_being_redefined,
                                jobject loader, const char *name, jobject protection_domain,
                                jint class_data_len, const unsigned char *class_data,
                                jint *new_class_data_len, unsigned char **new_class_data);
/* Number of JDK methods currently rewritten (for notices and tests). */
int nt_intercepts_applied(void);

/* Hook runtime (agent/hooks.c): cache handles of JDK methods the hooks call
 * (Class.getName, ...). Called at VMInit before nt_intercepts_start.
 * Returns 0 or -1. */
int nt_hooks_init(JNIEnv *env);

/* The fast class (global reference), so that hooks find their caller's frame
 * one deeper when its natives called them. (agent/hooks.c) */
void nt_hooks_fast_class(jclass cls);
/* NT_FAST_CLASS.state()I */
jint JNICALL nth_state(JNIEnv *env, jclass h);

/* ---- native hook functions (agent/hooks.c) ---- */
#define NT_HOOK_FN(name) JNICALL name
/* The natives of a caller-sensitive entry: nth_<name>(env, h, params...) for
 * the plain hook descriptor and nth_<name>C(env, h, params..., caller). */
#define NT_HOOK_PAIR(name, ...)                                   \
    void NT_HOOK_FN(nth_##name)(JNIEnv *, jclass, __VA_ARGS__); \
    void NT_HOOK_FN(nth_##name##C)(JNIEnv *, jclass, __VA_ARGS__, jobject caller);
/* class lookup */
NT_HOOK_PAIR(forName1, jobject name)
NT_HOOK_PAIR(forName3, jobject name, jboolean init, jobject loader)
void NT_HOOK_FN(nth_forNameCaller)(JNIEnv *, jclass, jobject name, jobject caller);
NT_HOOK_PAIR(forNameModule, jobject module, jobject name)
void NT_HOOK_FN(nth_loadClass)(JNIEnv *, jclass, jobject loader, jobject name);
void NT_HOOK_FN(nth_findSystemClass)(JNIEnv *, jclass, jobject loader, jobject name);
/* Class queries: one function per Java method name, dispatch by table slot */
NT_HOOK_PAIR(getMethod, jobject self, jobject name, jobject params)
NT_HOOK_PAIR(getDeclaredMethod, jobject self, jobject name, jobject params)
NT_HOOK_PAIR(getConstructor, jobject self, jobject params)
NT_HOOK_PAIR(getDeclaredConstructor, jobject self, jobject params)
NT_HOOK_PAIR(getField, jobject self, jobject name)
NT_HOOK_PAIR(getDeclaredField, jobject self, jobject name)
NT_HOOK_PAIR(getEnclosingMethod, jobject self)
NT_HOOK_PAIR(getEnclosingConstructor, jobject self)
/* bulk queries and Class.newInstance: receiver only; NT_BULK_* selects the name */
enum {
    NT_BULK_FIELDS, NT_BULK_DECLARED_FIELDS, NT_BULK_METHODS, NT_BULK_DECLARED_METHODS,
    NT_BULK_CONSTRUCTORS, NT_BULK_DECLARED_CONSTRUCTORS, NT_BULK_CLASSES,
    NT_BULK_DECLARED_CLASSES, NT_BULK_RECORD_COMPONENTS, NT_BULK_PERMITTED_SUBCLASSES,
    NT_BULK_NEST_MEMBERS, NT_BULK_SIGNERS, NT_BULK_NEW_INSTANCE, NT_BULK_COUNT
};
extern void *const nt_bulk_fns[NT_BULK_COUNT];
extern void *const nt_bulk_fns_caller[NT_BULK_COUNT];
extern const char *const nt_bulk_names[NT_BULK_COUNT];
/* reflective access: the member as its fields (NT_I_SLOT), without the
 * arguments of the call (NT_I_SKIP*: a boxed value or varargs array that
 * reached the hook could no longer be scalar-replaced) */
NT_HOOK_PAIR(invoke, jobject decl, jint slot, jobject name, jobject params, jobject obj)
void NT_HOOK_FN(nth_invokeCaller)(JNIEnv *, jclass, jobject decl, jint slot, jobject name,
                                  jobject params, jobject obj, jobject caller);
NT_HOOK_PAIR(ctorNewInstance, jobject decl, jint slot, jobject params)
/* Field.get* / set*: the field's declaring class and name only (NT_I_PARTS,
 * NT_I_SKIP*), one pair for all eighteen. NT_FIELD_SETTERS(X): X(Java method,
 * value descriptor) per setter, in table order. */
NT_HOOK_PAIR(fieldAccess, jobject decl, jobject name)
#define NT_FIELD_SETTERS(X)                                                              \
    X("set", "Ljava/lang/Object;") X("setBoolean", "Z") X("setByte", "B") X("setChar", "C") \
    X("setShort", "S") X("setInt", "I") X("setLong", "J") X("setFloat", "F")             \
    X("setDouble", "D")
/* arrays, Unsafe */
void NT_HOOK_FN(nth_arrayNew1)(JNIEnv *, jclass, jobject comp, jint len);
void NT_HOOK_FN(nth_arrayNewN)(JNIEnv *, jclass, jobject comp, jobject dims);
void NT_HOOK_FN(nth_allocateInstance)(JNIEnv *, jclass, jobject unsafe, jobject cls);
/* resources */
void NT_HOOK_FN(nth_findResource)(JNIEnv *, jclass, jobject loader, jobject module, jobject name);
void NT_HOOK_FN(nth_findResourceAsStream)(JNIEnv *, jclass, jobject loader, jobject module,
                                          jobject name);
void NT_HOOK_FN(nth_getResource)(JNIEnv *, jclass, jobject loader, jobject name);
void NT_HOOK_FN(nth_getResources)(JNIEnv *, jclass, jobject loader, jobject name);
void NT_HOOK_FN(nth_getSystemResource)(JNIEnv *, jclass, jobject name);
void NT_HOOK_FN(nth_getSystemResources)(JNIEnv *, jclass, jobject name);
void NT_HOOK_FN(nth_getBundleImpl)(JNIEnv *, jclass, jobject caller_module, jobject module,
                                   jobject base, jobject locale, jobject control);
/* proxies */
NT_HOOK_PAIR(getProxyClass, jobject loader, jobject ifaces)
NT_HOOK_PAIR(newProxyInstance, jobject loader, jobject ifaces, jobject h)
void NT_HOOK_FN(nth_asInterfaceInstance)(JNIEnv *, jclass, jobject intfc, jobject target);
/* serialization */
void NT_HOOK_FN(nth_oscInit)(JNIEnv *, jclass, jobject cls);
void NT_HOOK_FN(nth_resolveClass)(JNIEnv *, jclass, jobject ois, jobject desc);
void NT_HOOK_FN(nth_lambdaReadResolve)(JNIEnv *, jclass, jobject sl);
/* method handles (MethodHandles$Lookup) */
void NT_HOOK_FN(nth_findMethod)(JNIEnv *, jclass, jobject lookup, jobject refc, jobject name,
                                jobject type);
void NT_HOOK_FN(nth_findSpecial)(JNIEnv *, jclass, jobject lookup, jobject refc, jobject name,
                                 jobject type, jobject special_caller);
void NT_HOOK_FN(nth_bind)(JNIEnv *, jclass, jobject lookup, jobject recv, jobject name,
                          jobject type);
void NT_HOOK_FN(nth_findConstructor)(JNIEnv *, jclass, jobject lookup, jobject refc,
                                     jobject type);
void NT_HOOK_FN(nth_findField)(JNIEnv *, jclass, jobject lookup, jobject refc, jobject name,
                               jobject type);
void NT_HOOK_FN(nth_findClass)(JNIEnv *, jclass, jobject lookup, jobject name);
void NT_HOOK_FN(nth_unreflect)(JNIEnv *, jclass, jobject lookup, jobject method);
void NT_HOOK_FN(nth_unreflectConstructor)(JNIEnv *, jclass, jobject lookup, jobject ctor);
void NT_HOOK_FN(nth_unreflectField)(JNIEnv *, jclass, jobject lookup, jobject field);

#endif
