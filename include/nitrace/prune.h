/* nitrace core: pruning build-time noise from a config (`nitrace prune`).
 *
 * Two modes:
 *   - with provenance (a recorder read from DIR/.nitrace/provenance.json):
 *     every recorded event is replayed alone through nt_process_event
 *     (GraalVM's default filters, phase "live") into a scratch config, which
 *     says which entries, flags and members it produces. A flag, member or
 *     type entry of the input is dropped when every context of every event
 *     producing it is build-time (nt_prune_context_is_build_time), or matches
 *     a drop rule with a caller pattern; a type left with nothing is removed.
 *     Method and constructor handle lookups (findMethodHandle,
 *     findConstructorHandle) are always kept (DESIGN.md §4). What no event
 *     produced is kept. A flag dropped this way gives back the members it
 *     covered that run-time events registered.
 *   - without provenance: the name rules (rules without a caller pattern) are
 *     applied, and the report says the result is heuristic.
 * Rewrite rules apply in both modes, after dropping.
 *
 * Rules: one declarative table (nt_prune_clojure_rules) plus user rules
 * (nt_prune_rules_read, format in docs/prune-rules.md). User rules come
 * before the built-in ones; the first rule that matches decides.
 *
 * Ownership: the built-in table is static; nt_prune_rules and
 * nt_prune_report own their strings. Not thread-safe. */
#ifndef NITRACE_PRUNE_H
#define NITRACE_PRUNE_H

#include <stddef.h>

#include "nitrace/error.h"
#include "nitrace/model.h"
#include "nitrace/recorder.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nt_prune_action {
    NT_PRUNE_DROP = 0,     /* remove the entry (or the matching members) */
    NT_PRUNE_KEEP = 1,     /* keep it: stops later rules from matching */
    NT_PRUNE_REWRITE = 2   /* move the matching members to rewrite_class */
} nt_prune_action;

/* Entry kinds a rule applies to (bits). */
enum {
    NT_PRUNE_REFLECTION = 1u << 0,
    NT_PRUNE_JNI = 1u << 1,
    NT_PRUNE_SERIALIZATION = 1u << 2,
    NT_PRUNE_RESOURCE = 1u << 3,
    NT_PRUNE_ALL_KINDS = 0xfu
};

/* One rule. Patterns are fnmatch(3) globs without flags: '*' matches any run
 * of characters ('.', '/' and '$' included), '?' one character, [...] a set.
 * Class names are in Java source syntax ("a.b.C$D", "int[]"); resource names
 * are the literal resource path of a literal glob or \Q..\E pattern, else the
 * pattern text. */
typedef struct nt_prune_rule {
    const char *id;
    const char *description;
    unsigned kinds;            /* NT_PRUNE_* bits */
    const char *name;          /* glob on the class or resource name (required) */
    const char *member;        /* optional glob on a method/field name: the rule then
                                  acts on those members only */
    const char *caller;        /* optional glob on the caller class: needs provenance */
    nt_prune_action action;
    const char *rewrite_class; /* REWRITE: class that receives the members */
} nt_prune_rule;

/* The built-in Clojure rules (clojure-runtime.md §2.7, §5). Static. */
const nt_prune_rule *nt_prune_clojure_rules(size_t *n);

/* Does rule r match an entry of kind `kind` (one NT_PRUNE_* bit) named name,
 * member member (NULL: the entry as a whole) and caller (NULL: unknown)?
 * A rule with a member pattern matches members only, one without matches
 * whole entries only; a rule with a caller pattern never matches a NULL
 * caller. */
int nt_prune_rule_matches(const nt_prune_rule *r, unsigned kind, const char *name,
                          const char *member, const char *caller);

/* User rules read from a file. */
typedef struct nt_prune_rules {
    nt_prune_rule *v;
    size_t n, cap;
} nt_prune_rules;

void nt_prune_rules_init(nt_prune_rules *r);
void nt_prune_rules_free(nt_prune_rules *r);
/* Parse a rules document (docs/prune-rules.md) and append its rules to out.
 * Strict: unknown keys, wrong types, bad values are errors against label.
 * On error nothing is appended. Returns NT_OK, NT_ERR_PARSE or NT_ERR_NOMEM. */
nt_status nt_prune_rules_read(const char *data, size_t len, const char *label,
                              nt_prune_rules *out, nt_diags *d);

typedef struct nt_prune_opts {
    int clojure;                   /* use the built-in Clojure rules */
    int build_time_all;            /* every <clinit> is build-time initialised */
    int build_time_clojure;        /* the default Clojure set is build-time initialised */
    const char *const *build_time_packages; /* more packages (and their subpackages) or
                                               classes initialised at build time */
    size_t n_build_time_packages;
    const nt_prune_rule *user_rules;        /* checked before the built-in rules */
    size_t n_user_rules;
} nt_prune_opts;

/* The default: --clojure with --build-time-init=clojure. */
void nt_prune_opts_init(nt_prune_opts *o);

/* Is a context build-time? Before the main phase with no <clinit> or a JDK
 * class's (the launcher, the JDK starting up), or clinit_class initialised at
 * build time (opts; ns_packages: packages holding an `__init` class and their
 * subpackages, used by the default Clojure set; a program class's <clinit>
 * before main, the main class's, is judged so too). clojure_loading alone in
 * the main phase is a run-time `require` and is not build-time; inside a
 * build-time <clinit> it is. */
int nt_prune_context_is_build_time(const nt_rec_context *ctx, const nt_prune_opts *o,
                                   const nt_strv *ns_packages);

typedef enum nt_prune_verdict {
    NT_PRUNE_REMOVED = 0,      /* removed */
    NT_PRUNE_REWRITTEN = 1,    /* moved by a rewrite rule */
    NT_PRUNE_KEPT = 2,         /* kept although a name rule alone would remove it */
    NT_PRUNE_UNRECORDED = 3    /* kept: no replayed provenance event registers it (entries
                                  merged in from another source, or let through by the
                                  recording's filter files); provenance mode only */
} nt_prune_verdict;

typedef struct nt_prune_line {
    nt_prune_verdict verdict;
    char *category;    /* "reflection", "jni", "serialization", "resources", ... */
    char *entry;       /* "java.lang.String method toUpperCase()", "foo/bar.clj", ... */
    char *rule;        /* rule id, or "build-time-only" / "run-time" / "method-handle" */
    char *provenance;  /* contexts summary, "" without provenance */
} nt_prune_line;

typedef struct nt_prune_report {
    int heuristic;          /* 1: no provenance, name rules only */
    size_t before, after;   /* nt_config_entry_count */
    size_t events;          /* provenance events replayed */
    nt_prune_line *lines;   /* sorted: verdict, category, entry */
    size_t n, cap;
} nt_prune_report;

void nt_prune_report_init(nt_prune_report *r);
void nt_prune_report_free(nt_prune_report *r);

/* Prune c in place. prov NULL: heuristic mode. rep (may be NULL) receives
 * what was done. Events of prov that nt_process_event rejects are reported
 * as warnings and skipped. Returns NT_OK, NT_ERR_NOMEM or NT_ERR_INVAL. */
nt_status nt_prune(nt_config *c, nt_recorder *prov, const nt_prune_opts *o,
                   nt_prune_report *rep, nt_diags *d);

#ifdef __cplusplus
}
#endif
#endif
