/* nitrace core: check mode — which run-time accesses of a recording a config
 * does not cover, the way a native image built with that config would fail
 * with a missing-registration error.
 *
 * How (DESIGN.md §7): every distinct recorded event is replayed alone through
 * nt_process_event (the given filters; phase "live"; reflection metadata
 * tracked, so a lookup needs only query registration, an invocation the
 * member itself) into a scratch config. Each entry of the scratch config —
 * the type, each method/constructor (queried or invoked), field, flag
 * (queryAll* and all* bulk queries), unsafe allocation, resource, bundle locale,
 * proxy interface list, serialization and JNI entry — becomes one nt_access
 * tested with nt_covers against the checked config. Replaying one event at a
 * time gives exact, per-access answers with GraalVM's rules for every traced
 * function, and tells which entry is missing rather than only that one is.
 *
 * Prune's rewrite rules apply as prune applies them (a member recorded on one
 * class is checked on the class the rule names, e.g. Method.canAccess on
 * AccessibleObject).
 *
 * Events seen only in build-time contexts (nt_prune_context_is_build_time
 * with the prune options given, the same rules and --build-time-init choices
 * as `nitrace prune`) are skipped; method- and constructor-handle lookups are
 * checked whatever their context, as prune keeps them.
 *
 * Each missing entry is reported once, with the first event that needed it,
 * its caller and up to 8 stack frames of the earliest run-time context.
 *
 * Ownership: a checker borrows the config and options (they must outlive
 * it); reports own their strings. Not thread-safe: one checker per thread. */
#ifndef NITRACE_CHECK_H
#define NITRACE_CHECK_H

#include <stddef.h>

#include "nitrace/error.h"
#include "nitrace/model.h"
#include "nitrace/prune.h"
#include "nitrace/recorder.h"
#include "nitrace/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NT_CHECK_MAX_FRAMES 8

typedef struct nt_check_opts {
    nt_prune_opts build_time;             /* which contexts are build-time (prune's rules);
                                             its rewrite rules (user rules, and the built-in
                                             Clojure ones when `clojure`) apply too */
    const struct nt_filter_set *filters;  /* NULL: GraalVM's default filters */
} nt_check_opts;

/* Defaults: prune's (--build-time-init=clojure), GraalVM's default filters. */
void nt_check_opts_init(nt_check_opts *o);

/* One missing entry. */
typedef struct nt_check_item {
    char *category;  /* "reflection", "jni", "serialization", "lambda-capturing",
                        "resources", "bundles" */
    char *type;      /* class name (Java syntax), "proxy [I1, I2]", resource or bundle name */
    char *missing;   /* "type", "method", "constructor", "field", "flag",
                        "unsafe-allocation", "proxy", "resource", "bundle" */
    char *member;    /* "m(int, java.lang.String)", "<init>()", field name, flag name,
                        module of a resource, locale of a bundle; NULL when none */
    char *access;    /* methods: "invoked" or "queried"; NULL otherwise */
    char *entry;     /* one line: "reflection com.x.Y method m(int) (invoked)" */
    char *event;     /* the recorded event (GraalVM trace JSON) that first needed it */
    char *caller;    /* caller class of that access; NULL when none */
    nt_strv frames;  /* up to NT_CHECK_MAX_FRAMES "cls.method(File:line)", top first */
} nt_check_item;

typedef struct nt_check_report {
    size_t events;      /* distinct access events recorded (meta events not counted) */
    size_t build_time;  /* events skipped: seen in build-time contexts only */
    size_t checked;     /* events tested */
    nt_check_item *items;  /* sorted by category, type, entry */
    size_t n, cap;
} nt_check_report;

void nt_check_report_init(nt_check_report *r);
void nt_check_report_free(nt_check_report *r);

typedef struct nt_checker nt_checker;

/* A checker for config cfg. It caches the verdict of each distinct event, so
 * running it again on a recorder that grew only examines the new events and
 * contexts. NULL on NOMEM. */
nt_checker *nt_checker_new(const nt_config *cfg, const nt_check_opts *o);
void nt_checker_free(nt_checker *ck);

/* Check everything r holds now into out (emptied first). Events the
 * processor rejects are reported as warnings and skipped. Returns NT_OK,
 * NT_ERR_NOMEM or NT_ERR_INVAL. */
nt_status nt_checker_run(nt_checker *ck, nt_recorder *r, nt_check_report *out, nt_diags *d);

/* The report as JSON (format in the README's check section): version, the
 * config directories, counts, and the items. Sorted, 2-space indentation,
 * trailing newline. Caller frees; NULL on NOMEM. */
char *nt_check_report_json(const nt_check_report *rep, const char *const *configs,
                           size_t n_configs);

/* Read a report written by nt_check_report_json into out (emptied first).
 * Strict (unknown keys, wrong types: NT_ERR_PARSE against label). */
nt_status nt_check_report_read(const char *data, size_t len, const char *label,
                               nt_check_report *out, nt_diags *d);

/* The report as readable text: a summary line, then per item its entry,
 * caller and frames. Caller frees; NULL on NOMEM. */
char *nt_check_report_text(const nt_check_report *rep);

#ifdef __cplusplus
}
#endif
#endif
