/* nitrace core: JNI native-method symbol names ("Java_..."), per the JNI
 * specification's "Resolving Native Method Names":
 *
 *   short name  Java_<mangled class>_<mangled method>
 *   long name   Java_<mangled class>_<mangled method>__<mangled argument signature>
 *
 * Mangling maps every UTF-16 unit c of the (internal-form) names: ASCII
 * letters and digits stay; '/' -> "_"; '_' -> "_1"; ';' -> "_2"; '[' -> "_3";
 * anything else -> "_0xxxx" (4 lowercase hex digits; HotSpot's mangler, e.g.
 * '$' -> "_00024", a non-BMP character -> two escapes of its surrogates).
 *
 * Decoding reads '_' followed by '0'..'3' as an escape and any other '_' as
 * a separator; "__" (an empty component) starts the argument signature of a
 * long name, so "Java_p_C_m__" is m() and "Java_p_C_m" is any overload of m.
 *
 * Ownership: strings returned here are malloc'd and owned by the caller.
 * Pure C, no JVM headers; thread-safe (no shared state). */
#ifndef NITRACE_JNI_MANGLE_H
#define NITRACE_JNI_MANGLE_H

#include <stddef.h>

#include "nitrace/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A decoded native-method symbol. */
typedef struct nt_jni_native {
    char *class_name; /* Java form, UTF-8: "p.q.Outer$Inner" */
    char *method;     /* UTF-8 */
    char *signature;  /* long names: the argument descriptor with parentheses,
                         "(I[Ljava/lang/String;)"; short names: NULL */
} nt_jni_native;

/* Decode `symbol`. Returns NT_OK (out filled; free with nt_jni_native_free),
 * NT_ERR_INVAL when symbol does not start with "Java_" (not a native-method
 * symbol), NT_ERR_PARSE when it does but is not a valid mangled name (why
 * receives the reason, e.g. "bad escape \"_4\" at offset 12"; why may be
 * NULL), NT_ERR_NOMEM. On error out is zeroed. */
nt_status nt_jni_demangle(const char *symbol, nt_jni_native *out, char *why, size_t why_n);
void nt_jni_native_free(nt_jni_native *n);

/* The symbol the JVM looks up for method `method` of class `class_name`
 * (Java form "p.C$D" or internal form "p/C$D", UTF-8): the short name when
 * args is NULL, the long name otherwise (args: the argument descriptor, with
 * or without its parentheses, e.g. "(ILjava/lang/String;)" or ""). Returns
 * NULL on NOMEM or when an input is not valid UTF-8. */
char *nt_jni_mangle(const char *class_name, const char *method, const char *args);

/* Java-readable parameter list of an argument descriptor:
 * "(I[Ljava/lang/String;)" -> "(int, java.lang.String[])". NULL on NOMEM or
 * when desc is not a well-formed argument descriptor. */
char *nt_jni_params_text(const char *desc);

#ifdef __cplusplus
}
#endif
#endif
