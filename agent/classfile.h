/* classfile.h - bounded class-file parser and entry-hook injector for the nitrace agent.
 *
 * Pure C (no jni.h / jvmti.h). Runs inside other people's JVMs (ClassFileLoadHook), so every
 * read is length-checked and malformed input yields an error status, never a crash.
 *
 * What cf_instrument() does to each selected method (found by name + descriptor):
 *   the Code attribute starts with
 *       aload_0                      (instance methods other than <init>: the receiver)
 *       <x>load n                    (each parameter, iload/lload/fload/dload/aload, short
 *                                     forms for n <= 3, wide form for n > 255)
 *       invokestatic HookClass.hookName(<receiver type><param types>)V
 *       nop...                       (so the inserted length is a multiple of 4, which keeps
 *                                     tableswitch/lookupswitch padding of the original code valid)
 *   followed by the original code, unchanged (all branches are relative).
 *   Constructors (<init>) do not pass the receiver: `this` is uninitialized before super().
 *   Updated: code_length, max_stack, exception table, StackMapTable (first frame's offset_delta,
 *   converting same_frame / same_locals_1_stack_item to their _extended forms when the delta
 *   exceeds 63; Uninitialized(offset) verification types in every frame), LineNumberTable and
 *   LocalVariableTable / LocalVariableTypeTable (entries starting at pc 0 keep starting at 0 and
 *   grow by the inserted length, so they cover the injected code; the others shift).
 *   A selected method whose Code carries any other attribute (e.g. RuntimeVisibleTypeAnnotations)
 *   is refused: the call fails and nothing is produced.
 *   New constant-pool entries (Utf8, Class, NameAndType, Methodref) are appended at the end.
 *
 * Accepted class-file versions: 45.0 up to 69 (Java 25), any minor (incl. 65535 preview).
 * Names and descriptors given by the caller are compared byte-for-byte with the class file's
 * modified-UTF-8 strings (plain ASCII for every JDK name we intercept).
 */
#ifndef NITRACE_AGENT_CLASSFILE_H
#define NITRACE_AGENT_CLASSFILE_H

#include <stddef.h>
#include <stdint.h>

#define CF_MAX_MAJOR_VERSION 69u

typedef enum cf_status {
    CF_OK = 0,
    CF_ERR_TRUNCATED,   /* input ends inside a structure */
    CF_ERR_MALFORMED,   /* structurally invalid (bad tag, bad index, inconsistent length...) */
    CF_ERR_UNSUPPORTED, /* valid but not handled: version > 69, unknown Code attribute,
                           abstract/native method selected, result would exceed class-file limits */
    CF_ERR_NOMEM,
    CF_ERR_ARG          /* invalid argument from the caller (NULL, bad descriptor in a spec...) */
} cf_status;

/* Static string describing a status ("ok", "truncated class file", ...). Never NULL. */
const char *cf_status_str(cf_status st);

/* ---- parsing ---- */

typedef struct cf_class cf_class;

/* Parses `len` bytes at `data` (copied: the caller's buffer may be freed afterwards).
 * On success *out is a new cf_class the caller releases with cf_class_free().
 * On error *out is NULL and, if err != NULL, a NUL-terminated message is written into
 * err[0..err_size-1]. The whole file is checked, up to the last byte. */
cf_status cf_parse(const uint8_t *data, size_t len, cf_class **out, char *err, size_t err_size);

void cf_class_free(cf_class *cls); /* NULL is allowed */

/* Internal name of this_class, e.g. "java/lang/Class". Owned by cls, NUL-terminated. */
const char *cf_class_name(const cf_class *cls);
uint16_t cf_major_version(const cf_class *cls);
uint16_t cf_minor_version(const cf_class *cls);
/* Number of constant-pool slots (constant_pool_count, i.e. highest index + 1). */
unsigned cf_constant_pool_count(const cf_class *cls);

size_t cf_method_count(const cf_class *cls);

typedef struct cf_method_info {
    const char *name;     /* NOT NUL-terminated: points into cls, name_len bytes */
    size_t name_len;
    const char *desc;     /* NOT NUL-terminated: points into cls, desc_len bytes */
    size_t desc_len;
    uint16_t access_flags;
    int has_code;         /* 1 if the method has a Code attribute */
    uint32_t code_length; /* 0 without Code */
    uint16_t max_stack, max_locals;
} cf_method_info;

/* Fills *info for method i (0 <= i < cf_method_count). Returns 0, or -1 if i is out of range.
 * The pointers stay valid until cf_class_free(cls). */
int cf_method_at(const cf_class *cls, size_t i, cf_method_info *info);

/* Index of the method with this name and descriptor (NUL-terminated), or -1. */
long cf_find_method(const cf_class *cls, const char *name, const char *desc);

/* ---- instrumentation ---- */

#define CF_HOOK_ERASE_REFS 1u /* every reference type in the hook descriptor (receiver,
                                 objects, arrays) becomes Ljava/lang/Object; */
#define CF_HOOK_CALLER 2u     /* also pass the caller class as a last Ljava/lang/Object;
                                 argument: `invokestatic jdk/internal/reflect/Reflection.
                                 getCallerClass()Ljava/lang/Class;` right before the hook call.
                                 Only valid in methods annotated @CallerSensitive (the JVM throws
                                 InternalError otherwise): cf_instrument refuses
                                 (CF_ERR_UNSUPPORTED) a selected method without the annotation. */

#define CF_HOOK_MEMBER_PARTS 4u /* instead of the receiver, pass receiver.getDeclaringClass()
                                   and receiver.getName() (`aload_0; invokevirtual
                                   <this class>.getDeclaringClass()Ljava/lang/Class;` and
                                   `...getName()Ljava/lang/String;`): for java.lang.reflect.Field
                                   / Method / Constructor, whose instances then need not escape
                                   into the hook (a copy made by getDeclaredField can still be
                                   scalar-replaced). Instance methods only. */
#define CF_HOOK_MEMBER_SLOT 8u /* instead of the receiver, pass its fields (getfield, legal in
                                  the class's own code): for java.lang.reflect.Method clazz,
                                  slot, name, parameterTypes; for Constructor clazz, slot,
                                  parameterTypes. The receiver (a copy that Class.getMethod
                                  made) then does not escape into the hook; (clazz, slot) names
                                  the member exactly. Instance methods of those two classes
                                  only; not with CF_HOOK_MEMBER_PARTS. */
#define CF_HOOK_SKIP_P0 16u /* do not pass the method's first parameter (one the hook does not
                               read: a value passed to the hook escapes, and the JIT can no
                               longer scalar-replace a boxed value or varargs array) */
#define CF_HOOK_SKIP_P1 32u /* ... nor its second */
/* 1 when flags drop parameter i from the hook call. */
static inline int cf_hook_skips(unsigned flags, size_t i)
{
    return (i == 0 && (flags & CF_HOOK_SKIP_P0)) || (i == 1 && (flags & CF_HOOK_SKIP_P1));
}
#define CF_CALLER_SENSITIVE "Ljdk/internal/reflect/CallerSensitive;"

/* 1 if method i carries a (runtime-visible or -invisible) annotation of type `type_desc`
 * (a field descriptor, e.g. CF_CALLER_SENSITIVE), else 0 (also for bad input). */
int cf_method_has_annotation(const cf_class *cls, size_t i, const char *type_desc);

typedef struct cf_hook_spec {
    const char *method_name; /* e.g. "forName" */
    const char *method_desc; /* e.g. "(Ljava/lang/String;)Ljava/lang/Class;" */
    const char *hook_name;   /* name of the static void method in the hook class */
    unsigned flags;          /* CF_HOOK_* */
    const char *hook_class;  /* internal name of the class declaring the hook; NULL: the
                                hook_class argument of cf_instrument() */
} cf_hook_spec;

/* Rewrites the class so that each method matching a spec calls its hook first (see top).
 * hook_class is an internal name ("java/lang/NitraceHook"), the owner of every hook whose spec
 * names none. Specs whose method is absent
 * are skipped (not an error); if `done` is not NULL, done[i] is set to 1 when specs[i] was
 * applied, else 0. Two specs naming the same method are an error (CF_ERR_ARG).
 *
 * On success: if at least one spec applied, *out is a malloc'd buffer of *out_len bytes that
 * the CALLER FREES with free(); if none applied, *out is NULL and *out_len is 0.
 * On error: *out is NULL, *out_len is 0, nothing is modified, err receives a message (the
 * message names the method when a particular method was refused). */
cf_status cf_instrument(const cf_class *cls, const char *hook_class, const cf_hook_spec *specs,
                        size_t nspecs, uint8_t **out, size_t *out_len, int *done, char *err,
                        size_t err_size);

/* Hook descriptor cf_instrument() would use for `method_desc` of a method in class
 * `class_name` ("(Ljava/lang/Class;Ljava/lang/String;)V" for Class.getMethod's receiver +
 * name + ... ). is_static: the method has ACC_STATIC; a method named "<init>" never passes
 * its receiver. Returns a malloc'd NUL-terminated string the caller frees, or NULL if the
 * descriptor is invalid or memory is exhausted. */
char *cf_hook_descriptor(const char *class_name, const char *method_name, const char *method_desc,
                         int is_static, unsigned flags);

#endif
