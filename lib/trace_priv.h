/* nitrace core, internal: filter machinery shared by filter.c,
 * builtin_filters.c and trace.c (see include/nitrace/trace.h). */
#ifndef NITRACE_TRACE_PRIV_H
#define NITRACE_TRACE_PRIV_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "nitrace/trace.h"

/* One "rules" entry: a pattern (see trace.h) and its verdict. */
typedef struct nt_frule {
    char *pattern;   /* owned */
    int include;
} nt_frule;

/* One chain's file rules (built-in rules are not copied here). */
typedef struct nt_fchain {
    nt_frule *rules;
    size_t n_rules, cap_rules;
    regex_t *inc;    /* regexRules includeClasses, compiled anchored */
    size_t n_inc, cap_inc;
    regex_t *exc;    /* regexRules excludeClasses */
    size_t n_exc, cap_exc;
} nt_fchain;

struct nt_filter_set {
    int builtin_caller;
    int heuristic;
    nt_fchain caller;
    nt_fchain access;
};

/* The filters used when the caller passes NULL: built-in caller filter and
 * heuristics, no files. Static storage. */
const nt_filter_set *nt_default_filters(void);

/* ---- builtin_filters.c -------------------------------------------------- */

/* Is pattern well-formed ("**", "*", "p.*", "p.**" or a name without '*')? */
int nt_frule_valid(const char *pattern);
/* Does pattern match the class name? */
int nt_frule_match(const char *pattern, const char *name);

/* Apply the built-in caller / access rules to a verdict (1 include, 0
 * exclude): returns the verdict after the last matching built-in rule, or
 * `verdict` when none matches. */
int nt_builtin_caller_verdict(const char *name, int verdict);
int nt_builtin_access_verdict(const char *name, int verdict);

/* Heuristics (reference §2.6). */
int nt_heur_is_lambda_name(const char *name);     /* contains "$$Lambda" */
int nt_heur_is_proxy_name(const char *name);      /* ^(.+[/.])?\$Proxy[0-9]+$ */
int nt_heur_blocked_resource(const char *name);
/* The launcher's JNI start-up sequence. *phase starts at 0. Returns 1 when the
 * JNI access must be ignored; sets *mismatch when a required step did not
 * match (the sequence is then over and everything later is traced). */
int nt_heur_jni_launch(int *phase, const char *function, const char *cls, const char *name,
                       const char *sig, int *mismatch);
#define NT_JNI_LAUNCH_DONE 100

/* ---- trace.c ------------------------------------------------------------ */
/* MurmurHash3 x64 128-bit with a seed (nt_predefined_hash uses seed 0). */
void nt_murmur3_x64_128(const void *key, size_t len, uint64_t seed, uint64_t *h1, uint64_t *h2);

#endif
