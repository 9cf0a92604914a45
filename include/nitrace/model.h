/* nitrace core: the in-memory model of GraalVM Native Image metadata.
 *
 * One nt_config holds everything GraalVM's config files can say, in a form
 * that both the legacy files (reflect-, jni-, resource-, proxy-,
 * serialization-, predefined-classes-config.json) and the combined
 * reachability-metadata.json map onto:
 *
 *   reflection        types (classes, proxies, lambdas) registered for reflection
 *   jni               types registered for JNI access (jni-config / "jni" / jniAccessible)
 *   serialization     types registered for serialization ("types", serialization proxies)
 *   lambda_capturing  serialization "lambdaCapturingTypes"
 *   resources         globs, regex include patterns, regex exclude patterns
 *   bundles           resource bundles
 *   predefined        predefined classes (hash + nameInfo)
 *   foreign           FFM downcalls/upcalls/directUpcalls, kept as canonical JSON text
 *
 * Names are stored in Java source syntax ("java.lang.String[]", "a.B$C").
 * Type sets are indexed by (type descriptor, condition); adding an entry that
 * exists returns the existing one.
 *
 * Ownership: an nt_config owns every string and entry reachable from it.
 * Pointers returned by the nt_*_get/add functions stay owned by the config and
 * are valid until the entry is removed or the config is freed. Strings passed
 * in are copied. */
#ifndef NITRACE_MODEL_H
#define NITRACE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "nitrace/error.h"
#include "nitrace/map.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- string vector ---------------------------------------------------- */
typedef struct nt_strv {
    char **v;
    size_t n;
    size_t cap;
} nt_strv;

void nt_strv_free(nt_strv *s);
/* Append a copy of str. Returns NT_OK or NT_ERR_NOMEM. */
nt_status nt_strv_push(nt_strv *s, const char *str);
/* Append a copy unless an equal string is present; keeps insertion order. */
nt_status nt_strv_add_unique(nt_strv *s, const char *str);
int nt_strv_contains(const nt_strv *s, const char *str);
void nt_strv_sort(nt_strv *s);             /* strcmp order, then removes duplicates */
int nt_strv_equal(const nt_strv *a, const nt_strv *b);  /* same strings, same order */
nt_status nt_strv_copy(nt_strv *dst, const nt_strv *src);  /* dst must be empty */

/* ---- conditions ------------------------------------------------------- */
typedef enum nt_cond_kind {
    NT_COND_NONE = 0,       /* always */
    NT_COND_REACHABLE = 1,  /* {"typeReachable": T} (legacy, deprecated) */
    NT_COND_REACHED = 2     /* {"typeReached": T} */
} nt_cond_kind;

/* The kind records how a file spelled the condition; it is not part of an
 * entry's identity (nt_cond_equal / keys compare the type only), and writers
 * print typeReachable in legacy files and typeReached in the combined file,
 * as GraalVM does. */
typedef struct nt_cond {
    nt_cond_kind kind;
    char *type;             /* NULL when kind == NT_COND_NONE */
} nt_cond;

extern const nt_cond NT_COND_ALWAYS;  /* {NT_COND_NONE, NULL} */

/* ---- type descriptors ------------------------------------------------- */
typedef enum nt_td_kind {
    NT_TD_CLASS = 0,   /* "java.lang.String" */
    NT_TD_PROXY = 1,   /* {"proxy": [ifaces...]} */
    NT_TD_LAMBDA = 2   /* {"lambda": {declaringClass, declaringMethod?, interfaces}} */
} nt_td_kind;

typedef struct nt_typedesc {
    nt_td_kind kind;
    char *name;            /* CLASS: the class; LAMBDA: declaringClass; PROXY: NULL */
    nt_strv ifaces;        /* PROXY and LAMBDA: interfaces, order as given */
    char *lambda_method;   /* LAMBDA: declaringMethod.name, or NULL */
    int lambda_has_params; /* LAMBDA: declaringMethod has parameterTypes */
    nt_strv lambda_params; /* LAMBDA: declaringMethod.parameterTypes */
} nt_typedesc;

/* A borrowed class descriptor for look-ups: nt_td_class("a.B"). */
nt_typedesc nt_td_class(const char *name);
/* Canonical key text of a descriptor ("a.B", "proxy:[I1,I2]", "lambda:..."),
 * used for indexing and for sorting. Caller frees. NULL on NOMEM. */
char *nt_typedesc_key(const nt_typedesc *td);
nt_status nt_typedesc_copy(nt_typedesc *dst, const nt_typedesc *src);
void nt_typedesc_free(nt_typedesc *td);

/* Convert a JVM or JNI class name to Java source syntax:
 * "[Ljava.lang.String;" -> "java.lang.String[]", "[[I" -> "int[][]",
 * "java/lang/String" -> "java.lang.String" (JNI form), "Z" is kept as is
 * unless it is an array element. Caller frees. */
char *nt_java_name(const char *jvm_or_jni_name);
/* Java name of a primitive type descriptor letter ('I' -> "int", 'V' ->
 * "void"); NULL for any other character. Static storage. */
const char *nt_primitive_name(char descriptor);

/* ---- members ---------------------------------------------------------- */
typedef enum nt_access_level {
    NT_QUERIED = 1,   /* queriedMethods: may be looked up, not invoked */
    NT_ACCESSED = 2   /* methods: may be invoked */
} nt_access_level;

typedef struct nt_method {
    char *name;           /* "<init>" for constructors */
    int any_params;       /* legacy entry without "parameterTypes": every overload */
    nt_strv params;       /* Java source syntax, when !any_params */
    nt_access_level level;
} nt_method;

enum {
    NT_FIELD_ALLOW_WRITE = 1u << 0,         /* legacy "allowWrite": true */
    NT_FIELD_ALLOW_UNSAFE_ACCESS = 1u << 1  /* legacy "allowUnsafeAccess": true */
};

typedef struct nt_field {
    char *name;
    unsigned flags;
} nt_field;

/* ---- type entries ----------------------------------------------------- */
enum nt_type_flag {
    NT_ALL_DECLARED_FIELDS = 1u << 0,
    NT_ALL_PUBLIC_FIELDS = 1u << 1,
    NT_ALL_DECLARED_METHODS = 1u << 2,
    NT_ALL_PUBLIC_METHODS = 1u << 3,
    NT_ALL_DECLARED_CONSTRUCTORS = 1u << 4,
    NT_ALL_PUBLIC_CONSTRUCTORS = 1u << 5,
    NT_ALL_DECLARED_CLASSES = 1u << 6,
    NT_ALL_PUBLIC_CLASSES = 1u << 7,
    NT_ALL_RECORD_COMPONENTS = 1u << 8,
    NT_ALL_PERMITTED_SUBCLASSES = 1u << 9,
    NT_ALL_NEST_MEMBERS = 1u << 10,
    NT_ALL_SIGNERS = 1u << 11,
    NT_QUERY_ALL_DECLARED_METHODS = 1u << 12,
    NT_QUERY_ALL_PUBLIC_METHODS = 1u << 13,
    NT_QUERY_ALL_DECLARED_CONSTRUCTORS = 1u << 14,
    NT_QUERY_ALL_PUBLIC_CONSTRUCTORS = 1u << 15,
    NT_UNSAFE_ALLOCATED = 1u << 16
};
#define NT_TYPE_FLAG_COUNT 17
/* JSON key of one flag bit ("allDeclaredFields", ...); NULL for a bad bit. */
const char *nt_type_flag_name(unsigned flag_bit);
/* Flag bit for a JSON key, 0 when the key is not a flag. */
unsigned nt_type_flag_from_name(const char *key);

typedef struct nt_type {
    nt_typedesc td;
    nt_cond cond;
    unsigned flags;          /* enum nt_type_flag bits */
    nt_field *fields;
    size_t n_fields, cap_fields;
    nt_method *methods;      /* both accessed and queried (see level) */
    size_t n_methods, cap_methods;
    char *custom_ctor;       /* serialization: customTargetConstructorClass, else NULL;
                                part of the key: set only by nt_typeset_get_ctor */
    nt_strv reasons;         /* "reason"/"reasons" strings */
    char *key;               /* index key (descriptor, condition, custom_ctor); owned */
} nt_type;

/* Find or add a field / method. An existing method of the same name and
 * parameters is upgraded to ACCESSED when level is ACCESSED; flags are OR-ed.
 * params may be NULL when n_params is 0; any_params != 0 means "every overload".
 * Return NULL only on NOMEM. */
nt_field *nt_type_add_field(nt_type *t, const char *name, unsigned flags);
nt_method *nt_type_add_method(nt_type *t, const char *name, int any_params,
                              const char *const *params, size_t n_params,
                              nt_access_level level);
nt_field *nt_type_find_field(const nt_type *t, const char *name);
nt_method *nt_type_find_method(const nt_type *t, const char *name, int any_params,
                               const char *const *params, size_t n_params);
void nt_type_remove_field(nt_type *t, size_t index);
void nt_type_remove_method(nt_type *t, size_t index);
/* 1 when the entry registers nothing beyond the type itself. */
int nt_type_is_bare(const nt_type *t);

/* ---- type sets -------------------------------------------------------- */
typedef struct nt_typeset {
    nt_type **items;
    size_t count, cap;
    nt_map index;     /* key -> nt_type* */
} nt_typeset;

/* Find the entry for (td, cond) without a custom target constructor; create
 * it when create != 0. cond may be NULL (always). Returns NULL when absent (or
 * on NOMEM). The set owns the entry. */
nt_type *nt_typeset_get(nt_typeset *s, const nt_typedesc *td, const nt_cond *cond, int create);
/* The same for (td, cond, ctor): GraalVM keys serialization entries by their
 * customTargetConstructorClass too, so one type can have an entry without one
 * and entries with different ones. ctor NULL is nt_typeset_get; a created
 * entry gets a copy of ctor as its custom_ctor. */
nt_type *nt_typeset_get_ctor(nt_typeset *s, const nt_typedesc *td, const nt_cond *cond,
                             const char *ctor, int create);
/* Convenience for classes. */
nt_type *nt_typeset_get_class(nt_typeset *s, const char *name, const nt_cond *cond, int create);
void nt_typeset_remove(nt_typeset *s, size_t index);

/* ---- resources and bundles -------------------------------------------- */
typedef enum nt_res_kind {
    NT_RES_GLOB = 0,     /* globs[] / combined "glob" */
    NT_RES_PATTERN = 1,  /* resources.includes[].pattern (Java regex) */
    NT_RES_EXCLUDE = 2   /* resources.excludes[].pattern (Java regex) */
} nt_res_kind;

typedef struct nt_resource {
    nt_res_kind kind;
    char *module;        /* NULL when none */
    char *value;         /* glob or pattern text (pattern without a "module:" prefix) */
    nt_cond cond;
    nt_strv reasons;
} nt_resource;

typedef struct nt_bundle {
    char *name;
    char *module;        /* NULL when none */
    nt_cond cond;
    nt_strv locales;     /* language tags, "" is the root locale */
    nt_strv class_names;
    nt_strv reasons;
} nt_bundle;

typedef struct nt_predef {
    char *type;          /* "agent-extracted" */
    char *hash;
    char *name_info;     /* NULL when absent */
} nt_predef;

/* ---- the whole config ------------------------------------------------- */
typedef struct nt_config {
    nt_typeset reflection;
    nt_typeset jni;
    nt_typeset serialization;
    nt_typeset lambda_capturing;
    nt_resource *resources;
    size_t n_resources, cap_resources;
    nt_bundle *bundles;
    size_t n_bundles, cap_bundles;
    nt_predef *predefined;
    size_t n_predefined, cap_predefined;
    nt_strv foreign_downcalls;      /* canonical JSON objects, one per entry */
    nt_strv foreign_upcalls;
    nt_strv foreign_direct_upcalls;
    nt_strv comments;               /* top-level "comment" strings */
    /* private: look-up indexes maintained by the nt_config_* functions */
    nt_map res_index;               /* resource key -> index + 1 */
    nt_map bundle_index;            /* bundle key -> index + 1 */
    int res_index_dirty, bundle_index_dirty;
} nt_config;

nt_config *nt_config_new(void);     /* NULL on NOMEM; free with nt_config_free */
void nt_config_free(nt_config *c);

/* Add a resource/bundle/predefined entry unless an equal one is present
 * (reasons are merged into the existing one). Return the entry, NULL on NOMEM. */
nt_resource *nt_config_add_resource(nt_config *c, nt_res_kind kind, const char *module,
                                    const char *value, const nt_cond *cond);
nt_bundle *nt_config_add_bundle(nt_config *c, const char *name, const char *module,
                                const nt_cond *cond);
nt_predef *nt_config_add_predefined(nt_config *c, const char *type, const char *hash,
                                    const char *name_info);
void nt_config_remove_resource(nt_config *c, size_t index);
void nt_config_remove_bundle(nt_config *c, size_t index);

/* Total number of entries (types of every set + resources + bundles +
 * predefined + foreign). */
size_t nt_config_entry_count(const nt_config *c);

/* ---- conditions helpers ----------------------------------------------- */
nt_status nt_cond_copy(nt_cond *dst, const nt_cond *src);
void nt_cond_free(nt_cond *c);
int nt_cond_equal(const nt_cond *a, const nt_cond *b);
/* Order: none first, then by type name (the kind is ignored). */
int nt_cond_cmp(const nt_cond *a, const nt_cond *b);

/* ---- glob helpers ----------------------------------------------------- */
/* Escape a literal resource name for use as a GraalVM glob (backslash before
 * '*', '?', '[', ']', '{', '}', '\\'). Caller frees. */
char *nt_glob_escape(const char *literal);
/* If pattern is a Java regex of the form \Q...\E (what Pattern.quote makes,
 * including its \E\\E\Q splitting), return the literal text, else NULL.
 * Caller frees. */
char *nt_regex_unquote(const char *pattern);
/* Does glob (GraalVM syntax: '*' within a path segment, '**' across segments,
 * backslash escapes) match name? */
int nt_glob_match(const char *glob, const char *name);
/* 1 when a POSIX extended regex is safe to hand to regcomp: at most 4096
 * bytes and 64 quantifiers, and no quantifier directly after another one
 * ("a++", "a*{2}", "a+?"): glibc's regcomp needs memory exponential in such
 * stacks, and in Java they mean possessive/lazy matching that POSIX lacks. */
int nt_regex_is_tame(const char *ere);

#ifdef __cplusplus
}
#endif
#endif
