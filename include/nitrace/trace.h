/* nitrace core: GraalVM trace events, the rules that turn them into config
 * entries, and GraalVM's caller/access filters.
 *
 * Two users:
 *   - nt_trace_read_buffer() reads a trace-output file of GraalVM's agent
 *     (reference/graalvm-agent.md §5): a JSON array with one event object per
 *     line (a file cut off before its closing ']' is accepted with a warning;
 *     JSON Lines without the array are accepted too);
 *   - the JVMTI agent builds nt_event structs from intercepted calls and hands
 *     them to nt_process_event() (and to nt_event_to_json() in trace mode).
 *
 * Processing follows GraalVM's 2022-23 trace processors, keeping queried vs
 * accessed members (reference §3.3-§3.7) and GraalVM's filters (§2.5-§2.7).
 *
 * Ownership: an nt_event only borrows its strings and arrays; nothing in this
 * module keeps a pointer into an event after the call returns. Everything
 * added to a config is copied into it. Strings returned by functions here are
 * malloc'd and owned by the caller. A filter set and a trace state are owned
 * by whoever created them; none of this is thread-safe (the agent serializes
 * calls to nt_process_event for one config/state). */
#ifndef NITRACE_TRACE_H
#define NITRACE_TRACE_H

#include <stddef.h>

#include "nitrace/error.h"
#include "nitrace/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- unknown values ----------------------------------------------------- */
/* GraalVM writes a value its agent could not obtain as the string "\u0000".
 * In an nt_event such a value is the distinguished pointer NT_UNKNOWN (compare
 * pointers, not contents; its text is ""): for the string members below and
 * for elements of string arrays. */
extern const char nt_unknown_value[];
#define NT_UNKNOWN (nt_unknown_value)
static inline int nt_is_unknown(const char *s) { return s == nt_unknown_value; }

/* ---- events ------------------------------------------------------------- */
typedef enum nt_arg_kind {
    NT_ARG_STRING = 0,   /* str */
    NT_ARG_NULL = 1,     /* JSON null (GraalVM's EXPLICIT_NULL) */
    NT_ARG_UNKNOWN = 2,  /* "\u0000" */
    NT_ARG_BOOL = 3,     /* b */
    NT_ARG_STRINGS = 4,  /* strs[0..n_strs): elements are strings, NULL (JSON null)
                            or NT_UNKNOWN */
    NT_ARG_OTHER = 5     /* anything else (number, object, nested array): str holds
                            its compact JSON text */
} nt_arg_kind;

typedef struct nt_arg {
    nt_arg_kind kind;
    const char *str;
    int b;
    const char *const *strs;
    size_t n_strs;
} nt_arg;

/* One trace entry. Every pointer is borrowed; NULL means "absent" (for
 * class/declaring_class/caller_class, NT_UNKNOWN means "\u0000").
 * Zero-initialise and fill what you have. */
typedef struct nt_event {
    const char *tracer;            /* "reflect", "jni", "serialization", "meta",
                                      "classloading", ... (required) */
    const char *function;          /* required unless tracer is "meta" */
    /* "class": a name (JVM syntax as Class.getName() gives it, e.g.
     * "[Ljava.lang.String;") ... */
    const char *class_name;
    /* ... or a proxy class given by its interfaces (a JSON array, or
     * {"proxy":[...]}); class_is_proxy != 0 then and class_name is NULL. */
    int class_is_proxy;
    const char *const *class_ifaces;
    size_t n_class_ifaces;
    const char *declaring_class;
    const char *caller_class;      /* NULL: no Java caller */
    int result;                    /* -1 missing/unknown/not a boolean, 0 false, 1 true
                                      ("true"/"false" strings of old traces count) */
    const char *result_str;        /* result when it is any other string
                                      (getEnclosingMethod: "a.B.m(sig)"), else NULL */
    int has_args;                  /* "args" present */
    const nt_arg *args;
    size_t n_args;
    /* meta events ("tracer":"meta") */
    const char *event;             /* "initialization", "phase_change",
                                      "track_reflection_metadata", "builtin_filters" */
    const char *phase;             /* phase_change: "start", "live", "dead", "unload" */
    const char *version;           /* initialization: "1" */
    int track;                     /* track_reflection_metadata: 0/1; -1 absent */
    /* nitrace's "builtin_filters" meta event (the agent's built-in filter
     * settings, in provenance files only; processing ignores it, prune replays
     * a recording with them): 0/1; -1 absent */
    int builtin_caller_filter;
    int builtin_heuristic_filter;
    /* nitrace extension, not part of GraalVM's trace format (never written by
     * nt_event_to_json, never set by nt_event_parse): for a JNI event, the
     * real path of the native library that made the call, set by
     * nt_recorder_build when every context of the event names a library
     * inside a JDK home (nt_native_home_add); NULL otherwise. */
    const char *native_library;
} nt_event;

/* One trace line in GraalVM's format: keys in the order tracer, function,
 * class, declaring_class, caller_class, result, args (meta events: tracer,
 * event, then version/phase/track); absent members are left out; NT_UNKNOWN
 * is written as "\u0000"; compact, no trailing newline. result_str, when set,
 * is written as the result. Caller frees. NULL on NOMEM or when e has no
 * tracer. */
char *nt_event_to_json(const nt_event *e);

/* Parse one JSON object (a trace line) into a heap event. *out receives an
 * event whose strings live as long as it does; free it with nt_event_free.
 * JSON syntax errors are reported against label at jansson's line/column
 * inside text, shape errors at 1:1. *out stays NULL on error.
 * Returns NT_OK, NT_ERR_PARSE or NT_ERR_NOMEM. */
nt_status nt_event_parse(const char *text, size_t len, const char *label, nt_event **out,
                         nt_diags *d);
void nt_event_free(nt_event *e);

/* ---- filters ------------------------------------------------------------ */
/* A filter set: the caller filter chain (built-in caller filter of reference
 * §2.5 when enabled, then caller-filter files in the order added), the access
 * filter chain (GraalVM's built-in access filter, then access-filter files),
 * the caller-less access filter, and the heuristic filter switch (§2.6).
 *
 * Filter files are GraalVM's filter JSON:
 *   {"rules":[{"includeClasses":"p.*"},{"excludeClasses":"p.q.**"},...],
 *    "regexRules":[{"includeClasses":"regex"},{"excludeClasses":"regex"}]}
 * "rules" patterns: "**" every class, "p.**" classes of p and its
 * subpackages, "p.*" classes of p only, "*" classes of the unnamed package,
 * anything else one class; '*' elsewhere is an error. Rules apply in order;
 * the last match wins; a class no rule matches keeps the verdict of the chain
 * before it (the chain starts with "include everything").
 * "regexRules" (optional): POSIX extended regexes matched against the whole
 * name (anchored). A class passes them when there are no include regexes or
 * one matches, and no exclude regex matches (GraalVM's RegexFilter), over all
 * files of the chain. A class is accepted only when both "rules" and
 * "regexRules" accept it.
 * Java-regex features POSIX ERE lacks and that are NOT supported (a file
 * using them is rejected when regcomp fails, otherwise they mean something
 * else): \Q...\E quoting, \d \w \s \b shorthands (write [0-9] etc.), lazy and
 * possessive quantifiers (*? +? *+), (?:...) and other (?...) groups, look-
 * around, named groups, \p{..} classes. POSIX matches leftmost-longest, which
 * only matters for captures, never for the anchored yes/no used here. */
struct nt_filter_set;
typedef struct nt_filter_set nt_filter_set;

enum { NT_FILTER_CALLER = 0, NT_FILTER_ACCESS = 1 };

/* builtin_caller: start the caller chain with GraalVM's built-in caller filter
 * (the agent's builtin-caller-filter option). builtin_heuristic: apply the
 * heuristic filter (builtin-heuristic-filter). NULL on NOMEM. */
nt_filter_set *nt_filter_set_new(int builtin_caller, int builtin_heuristic);
void nt_filter_set_free(nt_filter_set *set);
/* Append the rules of a filter file to the caller (NT_FILTER_CALLER) or access
 * (NT_FILTER_ACCESS) chain. Strict: unknown keys, wrong types, bad patterns
 * and bad regexes are reported with file:line:col; on error nothing of the
 * file is added. Returns NT_OK, NT_ERR_IO, NT_ERR_PARSE, NT_ERR_NOMEM or
 * NT_ERR_INVAL (bad which). */
nt_status nt_filter_set_add_file(nt_filter_set *set, const char *path, int which, nt_diags *d);
/* The same for a file's text (label names it in diagnostics). */
nt_status nt_filter_set_add_buffer(nt_filter_set *set, const char *data, size_t len,
                                   const char *label, int which, nt_diags *d);
/* Does the caller chain accept this caller class (Java format, e.g.
 * "java.util.Collections")? A NULL caller is accepted. */
int nt_filter_accepts_caller(const nt_filter_set *set, const char *name);
/* Does the access chain accept an access of this class (as the trace names
 * it)? NULL is accepted. */
int nt_filter_accepts_access(const nt_filter_set *set, const char *name);
/* The caller-less access filter: may class `name` be registered when the
 * access has no Java caller? (Excludes jdk.vm.ci.** and "[Ljava.lang.String;",
 * the launcher's argv array.) */
int nt_filter_accepts_callerless(const char *name);
int nt_filter_heuristic(const nt_filter_set *set);
/* 1 when GraalVM's rules drop an event of this tracer and function whose
 * caller class the caller chain refuses (all "reflect" events but the resource
 * lookups, which are not caller-filtered): the config can then hold nothing of
 * it, whatever its context. 0 otherwise (and for JNI, serialization, ...). */
int nt_event_caller_filtered(const char *tracer, const char *function);

/* ---- JDK-internal native code ------------------------------------------- */
/* nitrace's library heuristic: JNI lookups made by the JDK's own native code
 * (libjava, libnio, libmanagement, the launcher and libjli, ...) are noise in
 * a native-image config. With the heuristic filter on (nt_filter_heuristic),
 * nt_process_event drops a JNI event whose native_library lies inside a
 * registered JDK home, after the launcher-sequence heuristic has seen it.
 * Process-wide: the agent registers its JVM's real java.home at start; the
 * CLI registers none (trace files name no library), so it never applies
 * there. At most 8 homes; registering one twice is a no-op. Thread-safe:
 * readers see a home once its registration has returned. Returns NT_OK,
 * NT_ERR_INVAL (not an absolute path, or too many homes) or NT_ERR_NOMEM. */
nt_status nt_native_home_add(const char *dir);
/* Is path inside (below) a registered home? Compares strings: give real
 * paths (realpath) on both sides. */
int nt_native_home_contains(const char *path);

/* ---- predefined classes ------------------------------------------------- */
/* GraalVM's digest of a class file (jdk.graal.compiler.util.Digest, what
 * PredefinedClassesSupport checks): MurmurHash3 x64 128-bit, seed 0, each
 * 64-bit half in base 62 (digits, A-Z, a-z; least significant digit first,
 * 11 digits). out receives 22 characters and a NUL. */
void nt_predefined_hash(const void *data, size_t len, char out[23]);

/* ---- processing --------------------------------------------------------- */
typedef struct nt_trace_state {
    int live;             /* phase "live" seen (and no later phase change) */
    int jni_launch;       /* progress through the launcher's JNI start-up sequence */
    int track_reflection; /* last track_reflection_metadata event; 1 until one says
                             otherwise (the agent's default) */
    unsigned warned;      /* one-time warnings already given (internal bits) */
    nt_map warned_functions; /* unsupported function names already reported */
    /* Position of the event being processed, for diagnostics (set by the
     * trace reader; the agent may leave them empty/0). */
    const char *label;
    int line, col;
} nt_trace_state;

void nt_trace_state_init(nt_trace_state *st);
void nt_trace_state_free(nt_trace_state *st);

/* Apply one event to c: meta events update st; other events are filtered
 * (f NULL = built-in caller + heuristic filters) and, when kept, added.
 * Filtering follows GraalVM's AccessAdvisor: with heuristics, nothing counts
 * before phase "live" or after a later phase change; the caller chain applies
 * to caller_class (NT_UNKNOWN passes); without a caller the caller-less filter
 * applies to the accessed class; the access chain applies to the accessed
 * class; lambda ("$$Lambda") and proxy ("$ProxyN") class names, loadClass
 * without a caller and the launcher's JNI start-up sequence are dropped, and
 * so are JNI events whose native_library lies in a registered JDK home.
 * Resource lookups are only subject to the heuristic block list (GraalVM does
 * not filter them by caller). Rules per function: reference §3.3-§3.7 and the
 * comments in lib/trace.c. Reflection metadata is "tracked" until a
 * track_reflection_metadata event says otherwise: bulk queries then give
 * queryAll* flags (allDeclaredFields/allPublicFields/all*Classes always) and
 * get(Declared)Method/Constructor give queried methods; untracked they give
 * all* flags and accessed methods.
 * "classloading" events (onClassFileLoadHook: [name, Base64 bytes]) add a
 * predefined class {"agent-extracted", hash, nameInfo with '.'}; writing the
 * <hash>.classdata file is the caller's business.
 * Events with "result": false are skipped. Unknown tracers/functions give a
 * warning once per name. Returns NT_OK, NT_ERR_NOMEM, or NT_ERR_PARSE when
 * the event's arguments do not have the shape its function needs (reported
 * in d; nothing is added then). */
nt_status nt_process_event(nt_config *c, nt_trace_state *st, const nt_event *e,
                           const struct nt_filter_set *f, nt_diags *d);

/* Read a trace file's text into c (see above). filters NULL = built-in caller
 * + heuristic filters. Strict: malformed JSON and ill-shaped events are
 * errors with file:line:col (the reader goes on with the next well-formed
 * event and returns NT_ERR_PARSE at the end; malformed JSON ends the read).
 * Warnings (not errors): a missing closing ']' or a cut-off last event (a
 * JVM killed while tracing), unknown event keys (once per key), unsupported
 * tracers/functions/meta events (once per name). */
nt_status nt_trace_read_buffer(nt_config *c, const char *data, size_t len, const char *label,
                               const struct nt_filter_set *filters, nt_diags *d);

#ifdef __cplusplus
}
#endif
#endif
