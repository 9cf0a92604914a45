/* The agent's option string, parsed into a plain struct.
 *
 * The syntax and meaning follow GraalVM's native-image-agent
 * (reference/graalvm-agent.md §1): comma-separated, no escaping, booleans as
 * `name`, `name=true` or `name=false`; `{pid}` and `{datetime}` expand in
 * paths. nitrace adds options of its own; none changes the meaning of a
 * GraalVM option. Pure C: no JVM headers, so it is unit-tested on its own.
 * Ownership: nt_agent_opts owns all strings; free with nt_agent_opts_free. */
#ifndef NITRACE_AGENT_OPTIONS_H
#define NITRACE_AGENT_OPTIONS_H

#include <stddef.h>
#include <time.h>

typedef struct nt_agent_paths {
    char **v;
    size_t n;
} nt_agent_paths;

typedef enum nt_agent_format {
    NT_AGENT_FORMAT_LEGACY = 0,
    NT_AGENT_FORMAT_COMBINED = 1
} nt_agent_format;

typedef struct nt_agent_opts {
    char *output_dir;             /* config-output-dir or config-merge-dir (expanded) */
    int merge;                    /* 1: config-merge-dir */
    int default_output;           /* 1: no output option given, default directory chosen */
    char *trace_output;           /* trace-output (expanded) */
    nt_agent_paths omit_dirs;     /* config-to-omit (repeatable, expanded) */
    int omit_from_classpath;      /* experimental-omit-config-from-classpath */
    nt_agent_paths caller_filter_files;
    nt_agent_paths access_filter_files;
    int builtin_caller_filter;    /* default 1 */
    int builtin_heuristic_filter; /* default 1 */
    int write_period_secs;        /* config-write-period-secs; -1 = off */
    int write_initial_delay_secs; /* config-write-initial-delay-secs; default 1 */
    int class_loader_support;     /* experimental-class-loader-support; default 1 */
    int class_define_support;     /* experimental-class-define-support; default 0 */
    int unsafe_allocation_support;/* experimental-unsafe-allocation-support; default 0 */
    int track_reflection_metadata;/* default 1 */
    /* nitrace's own options */
    nt_agent_format format;       /* format=legacy|combined; default legacy */
    char *log_file;               /* log=FILE; NULL = stderr */
    int verbose;                  /* verbose */
    /* check mode (nitrace): test every access against configs instead of writing config */
    nt_agent_paths check_configs; /* check-config=DIR[:DIR...] (repeatable, expanded) */
    char *check_report;           /* check-report=FILE (expanded); NULL = log only */
    int check_fail_exit;          /* check-fail=exit (1) or log (0, default) */
    int check_bt_all;             /* check-build-time-init=all */
    int check_bt_clojure;         /* check-build-time-init includes clojure (the default) */
    nt_agent_paths check_bt_packages; /* check-build-time-init=PKG[:PKG...] */
    /* messages to print once the log is open (e.g. ignored historic options) */
    nt_agent_paths notices;
} nt_agent_opts;

/* Parse `options` (may be NULL or empty). pid and now expand {pid} and
 * {datetime}. On error returns -1 and writes a one-line reason (without the
 * "nitrace: " prefix) into err; opts is then freed. */
int nt_agent_opts_parse(const char *options, long pid, time_t now, nt_agent_opts *opts,
                        char *err, size_t err_size);
void nt_agent_opts_free(nt_agent_opts *opts);

/* Replace {pid} and {datetime} (UTC, yyyyMMdd'T'HHmmss'Z'). Caller frees. */
char *nt_agent_expand_path(const char *path, long pid, time_t now);

#endif
