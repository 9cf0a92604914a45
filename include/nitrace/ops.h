/* nitrace core: operations on configs — union, subtraction, normalisation,
 * equality, coverage, diff and statistics.
 *
 * Semantics follow GraalVM's ConfigurationSet (reference/graalvm-agent.md §4):
 * entries are keyed by (type descriptor, condition); boolean flags are OR-ed;
 * an ACCESSED method beats a QUERIED one; all* flags cover members, but a
 * member carrying its own flags (allowWrite, allowUnsafeAccess) is never
 * dropped. Ownership: functions never take ownership of their inputs; results
 * returned through pointers are owned by the caller (free functions below). */
#ifndef NITRACE_OPS_H
#define NITRACE_OPS_H

#include <stddef.h>

#include "nitrace/error.h"
#include "nitrace/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* dst := dst ∪ src (src unchanged). Then normalises dst. */
nt_status nt_config_merge(nt_config *dst, const nt_config *src);
/* The same union without normalising: merging many configs, call this for
 * each and nt_config_normalize once at the end (normalising after every
 * input costs inputs × result size). */
nt_status nt_config_union(nt_config *dst, const nt_config *src);
/* Apply subsumption rules in place (members covered by all* flags, queried
 * methods covered by accessed ones or by queryAll* / all* flags, duplicate
 * resources/bundles). Idempotent. */
void nt_config_normalize(nt_config *c);
/* Sort every set into GraalVM's deterministic order (reference §3.2). */
void nt_config_sort(nt_config *c);
/* dst := dst \ omit, with config-to-omit semantics: remove every entry, flag
 * and member that omit covers; a type entry left with nothing is removed. */
nt_status nt_config_subtract(nt_config *dst, const nt_config *omit);
/* Deep copy. NULL on NOMEM. */
nt_config *nt_config_clone(const nt_config *c);
/* 1 when a and b hold the same entries (order-insensitive). */
int nt_config_equal(const nt_config *a, const nt_config *b);

/* ---- coverage: would a native image built with config c allow access a? -- */
typedef enum nt_access_kind {
    NT_ACC_TYPE = 0,        /* Class.forName, loadClass, FindClass, Array.newInstance, ... */
    NT_ACC_METHOD,          /* a method or constructor ("<init>"), queried or invoked */
    NT_ACC_FIELD,           /* a field, read or written */
    NT_ACC_BULK,            /* getDeclaredMethods() & co: needs the flags in `bulk` */
    NT_ACC_UNSAFE_ALLOC,    /* Unsafe.allocateInstance / JNI AllocObject */
    NT_ACC_RESOURCE,        /* a resource name (optionally in a module) */
    NT_ACC_BUNDLE,          /* ResourceBundle.getBundle(name, locale) */
    NT_ACC_PROXY,           /* a proxy class for `ifaces` */
    NT_ACC_SERIALIZATION,   /* serialization of `type` */
    NT_ACC_LAMBDA_CAPTURING /* serialized lambda captured in `type` */
} nt_access_kind;

typedef struct nt_access {
    nt_access_kind kind;
    int jni;                    /* 1: JNI lookup (jni set), 0: reflection */
    const char *type;           /* class name, Java source syntax */
    const char *const *ifaces;  /* PROXY */
    size_t n_ifaces;
    const char *member;         /* METHOD / FIELD name */
    const char *const *params;  /* METHOD parameter types */
    size_t n_params;
    nt_access_level level;      /* METHOD: queried or invoked */
    int declared;               /* member declared in `type`: 1 yes, 0 no, -1 unknown */
    int is_public;              /* member is public: 1 yes, 0 no, -1 unknown */
    unsigned bulk;              /* BULK: nt_type_flag bits any of which satisfies it */
    const char *module;         /* RESOURCE / BUNDLE: module or NULL */
    const char *resource;       /* RESOURCE name, BUNDLE base name */
    const char *locale;         /* BUNDLE language tag or NULL */
    const char *cond_type;      /* reached type the access happens under; NULL: ignore conditions */
} nt_access;

/* 1 when c covers a (conditions: an entry with a condition covers only when
 * a->cond_type equals it, unless a->cond_type is NULL). */
int nt_covers(const nt_config *c, const nt_access *a);

/* ---- diff ------------------------------------------------------------- */
typedef struct nt_diff_line {
    const char *category;  /* "reflection", "jni", "resources", ... (static) */
    char sign;             /* '+' added in B, '-' removed from A */
    char *text;            /* human-readable entry, e.g. "java.lang.String method length()" */
} nt_diff_line;

typedef struct nt_diff {
    nt_diff_line *lines;
    size_t count, cap;
} nt_diff;

/* Fill out with what B adds and removes relative to A, member by member,
 * sorted by category then text. Returns NT_OK; out->count == 0 means equal. */
nt_status nt_config_diff(const nt_config *a, const nt_config *b, nt_diff *out);
void nt_diff_free(nt_diff *d);

/* ---- stats ------------------------------------------------------------ */
typedef struct nt_stat_pkg {
    char *package;         /* top-level package ("java", "com.example" -> "com") */
    size_t count;
} nt_stat_pkg;

typedef struct nt_stats {
    size_t reflection_types, reflection_methods, reflection_fields, proxies, lambdas;
    size_t jni_types, jni_methods, jni_fields;
    size_t serialization_types, lambda_capturing_types;
    size_t resource_globs, resource_patterns, resource_excludes, bundles;
    size_t predefined_classes, foreign_entries;
    nt_stat_pkg *packages; /* sorted by count desc, then name */
    size_t n_packages;
} nt_stats;

nt_status nt_config_stats(const nt_config *c, nt_stats *out);
void nt_stats_free(nt_stats *s);

#ifdef __cplusplus
}
#endif
#endif
