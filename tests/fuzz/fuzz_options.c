/* Fuzz target: the agent's option string (agent/options.c, nt_agent_opts_parse and
 * nt_agent_expand_path).
 *
 * Input: the option string itself (bytes up to the first NUL; the JVM passes a C string).
 *
 * Checks: no crash, leak or sanitizer report, and
 *  - a refused string gives a non-empty one-line reason and leaves the struct zeroed (freed);
 *  - an accepted string gives a consistent struct: one output (a config dir, a trace file, or the
 *    default directory; none in check mode, and check options only with check-config), booleans 0/1, a period of -1 or >= 1, an initial delay >= 0, only
 *    non-empty paths;
 *  - parsing is a function: the same string parsed twice gives the same struct;
 *  - expanded paths are fixed points of nt_agent_expand_path (the expansion never produces a
 *    new "{pid}" or "{datetime}");
 *  - round trip: the struct written back as an option string parses to the same struct. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const long fz_pid = 4242;
static const time_t fz_now = 1546300790; /* 2018-12-31T23:59:50Z */

__attribute__((noreturn)) static void fz_fail(const char *what, const char *input,
                                              const char *other)
{
    fprintf(stderr, "fuzz_options: %s\n  input: \"%s\"\n", what, input);
    if (other)
        fprintf(stderr, "  other: \"%s\"\n", other);
    abort();
}

static int fz_streq(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcmp(a, b) == 0;
}

static int fz_paths_eq(const nt_agent_paths *a, const nt_agent_paths *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (!fz_streq(a->v[i], b->v[i]))
            return 0;
    return 1;
}

/* Equal in everything the option string determines; notices (ignored historic options) are
 * compared only when with_notices. */
static int fz_opts_eq(const nt_agent_opts *a, const nt_agent_opts *b, int with_notices)
{
    return fz_streq(a->output_dir, b->output_dir) && a->merge == b->merge &&
           a->default_output == b->default_output && fz_streq(a->trace_output, b->trace_output) &&
           fz_paths_eq(&a->omit_dirs, &b->omit_dirs) &&
           a->omit_from_classpath == b->omit_from_classpath &&
           fz_paths_eq(&a->caller_filter_files, &b->caller_filter_files) &&
           fz_paths_eq(&a->access_filter_files, &b->access_filter_files) &&
           a->builtin_caller_filter == b->builtin_caller_filter &&
           a->builtin_heuristic_filter == b->builtin_heuristic_filter &&
           a->write_period_secs == b->write_period_secs &&
           a->write_initial_delay_secs == b->write_initial_delay_secs &&
           a->class_loader_support == b->class_loader_support &&
           a->class_define_support == b->class_define_support &&
           a->unsafe_allocation_support == b->unsafe_allocation_support &&
           a->track_reflection_metadata == b->track_reflection_metadata &&
           a->format == b->format && fz_streq(a->log_file, b->log_file) &&
           a->verbose == b->verbose && fz_paths_eq(&a->check_configs, &b->check_configs) &&
           fz_streq(a->check_report, b->check_report) && a->check_fail_exit == b->check_fail_exit &&
           a->check_bt_all == b->check_bt_all && a->check_bt_clojure == b->check_bt_clojure &&
           fz_paths_eq(&a->check_bt_packages, &b->check_bt_packages) &&
           (!with_notices || fz_paths_eq(&a->notices, &b->notices));
}

static int fz_bool(int v)
{
    return v == 0 || v == 1;
}

/* An expanded path must be non-empty and expand to itself. */
static void fz_check_expanded(const char *path, const char *input)
{
    if (path == NULL || path[0] == '\0')
        fz_fail("an accepted path is empty", input, NULL);
    char *again = nt_agent_expand_path(path, fz_pid, fz_now);
    if (again == NULL)
        abort();
    if (strcmp(again, path) != 0)
        fz_fail("an expanded path changes when expanded again", input, again);
    free(again);
}

typedef struct fz_buf {
    char *s;
    size_t len, cap;
} fz_buf;

static void fz_put(fz_buf *b, const char *name, const char *val)
{
    size_t need = strlen(name) + (val ? strlen(val) + 1 : 0) + 2;
    if (b->len + need + 1 > b->cap) {
        size_t nc = (b->cap + need + 1) * 2;
        char *ns = realloc(b->s, nc);
        if (ns == NULL)
            abort();
        b->s = ns;
        b->cap = nc;
    }
    b->len += (size_t)sprintf(b->s + b->len, "%s%s%s%s", b->len ? "," : "", name,
                              val ? "=" : "", val ? val : "");
}

static void fz_put_bool(fz_buf *b, const char *name, int v)
{
    fz_put(b, name, v ? "true" : "false");
}

static void fz_put_int(fz_buf *b, const char *name, int v)
{
    char n[32];
    snprintf(n, sizeof n, "%d", v);
    fz_put(b, name, n);
}

/* The option string that gives o (ignored historic options are not repeated). */
static char *fz_serialize(const nt_agent_opts *o)
{
    fz_buf b = {NULL, 0, 0};
    fz_put(&b, "verbose", o->verbose ? "true" : "false");
    if (o->trace_output)
        fz_put(&b, "trace-output", o->trace_output);
    else if (!o->default_output && o->output_dir)
        fz_put(&b, o->merge ? "config-merge-dir" : "config-output-dir", o->output_dir);
    for (size_t i = 0; i < o->omit_dirs.n; i++)
        fz_put(&b, "config-to-omit", o->omit_dirs.v[i]);
    for (size_t i = 0; i < o->caller_filter_files.n; i++)
        fz_put(&b, "caller-filter-file", o->caller_filter_files.v[i]);
    for (size_t i = 0; i < o->access_filter_files.n; i++)
        fz_put(&b, "access-filter-file", o->access_filter_files.v[i]);
    fz_put_bool(&b, "builtin-caller-filter", o->builtin_caller_filter);
    fz_put_bool(&b, "builtin-heuristic-filter", o->builtin_heuristic_filter);
    if (o->write_period_secs != -1)
        fz_put_int(&b, "config-write-period-secs", o->write_period_secs);
    fz_put_int(&b, "config-write-initial-delay-secs", o->write_initial_delay_secs);
    fz_put_bool(&b, "experimental-class-loader-support", o->class_loader_support);
    fz_put_bool(&b, "experimental-class-define-support", o->class_define_support);
    fz_put_bool(&b, "experimental-unsafe-allocation-support", o->unsafe_allocation_support);
    fz_put_bool(&b, "experimental-omit-config-from-classpath", o->omit_from_classpath);
    fz_put_bool(&b, "track-reflection-metadata", o->track_reflection_metadata);
    fz_put(&b, "format", o->format == NT_AGENT_FORMAT_COMBINED ? "combined" : "legacy");
    if (o->log_file)
        fz_put(&b, "log", o->log_file);
    for (size_t i = 0; i < o->check_configs.n; i++)
        fz_put(&b, "check-config", o->check_configs.v[i]);
    if (o->check_report)
        fz_put(&b, "check-report", o->check_report);
    if (o->check_configs.n > 0) {
        fz_put(&b, "check-fail", o->check_fail_exit ? "exit" : "log");
        size_t need = 16;
        for (size_t i = 0; i < o->check_bt_packages.n; i++)
            need += strlen(o->check_bt_packages.v[i]) + 1;
        char *set = malloc(need);
        if (set == NULL)
            abort();
        set[0] = '\0';
        if (o->check_bt_all)
            strcat(set, "all:");
        if (o->check_bt_clojure)
            strcat(set, "clojure:");
        for (size_t i = 0; i < o->check_bt_packages.n; i++) {
            strcat(set, o->check_bt_packages.v[i]);
            strcat(set, ":");
        }
        if (set[0] == '\0')
            strcpy(set, "none:");
        set[strlen(set) - 1] = '\0';
        fz_put(&b, "check-build-time-init", set);
        free(set);
    }
    return b.s;
}

static void fz_check_accepted(const nt_agent_opts *o, const char *input)
{
    int outputs = (o->trace_output != NULL) + (o->output_dir != NULL);
    if (o->check_configs.n > 0 ? outputs != 0 : outputs != 1)
        fz_fail("an accepted string does not give exactly one output (none in check mode)", input,
                NULL);
    if (o->check_configs.n == 0 && (o->check_report || o->check_fail_exit || o->check_bt_all ||
                                    !o->check_bt_clojure || o->check_bt_packages.n))
        fz_fail("a check option was accepted without check-config", input, NULL);
    if (!fz_bool(o->check_fail_exit) || !fz_bool(o->check_bt_all) || !fz_bool(o->check_bt_clojure))
        fz_fail("a check flag is neither 0 nor 1", input, NULL);
    for (size_t i = 0; i < o->check_configs.n; i++)
        fz_check_expanded(o->check_configs.v[i], input);
    if (o->check_report)
        fz_check_expanded(o->check_report, input);
    for (size_t i = 0; i < o->check_bt_packages.n; i++) {
        const char *pk = o->check_bt_packages.v[i];
        if (pk == NULL || pk[0] == '\0' || strchr(pk, ':') || strcmp(pk, "all") == 0 ||
            strcmp(pk, "clojure") == 0 || strcmp(pk, "none") == 0)
            fz_fail("a build-time package is empty, has a ':' or is a keyword", input, NULL);
    }
    if (o->default_output && (o->output_dir == NULL || o->merge))
        fz_fail("the default output is not a config-output-dir", input, NULL);
    if (o->trace_output && o->write_period_secs > 0)
        fz_fail("trace-output accepted with a write period", input, NULL);
    if (!fz_bool(o->merge) || !fz_bool(o->default_output) || !fz_bool(o->omit_from_classpath) ||
        !fz_bool(o->builtin_caller_filter) || !fz_bool(o->builtin_heuristic_filter) ||
        !fz_bool(o->class_loader_support) || !fz_bool(o->class_define_support) ||
        !fz_bool(o->unsafe_allocation_support) || !fz_bool(o->track_reflection_metadata) ||
        !fz_bool(o->verbose))
        fz_fail("a boolean option is neither 0 nor 1", input, NULL);
    if (o->write_period_secs != -1 && o->write_period_secs < 1)
        fz_fail("a write period below 1 was accepted", input, NULL);
    if (o->write_initial_delay_secs < 0)
        fz_fail("a negative initial delay was accepted", input, NULL);
    if (o->format != NT_AGENT_FORMAT_LEGACY && o->format != NT_AGENT_FORMAT_COMBINED)
        fz_fail("unknown format value", input, NULL);
    if (o->output_dir)
        fz_check_expanded(o->output_dir, input);
    if (o->trace_output)
        fz_check_expanded(o->trace_output, input);
    if (o->log_file)
        fz_check_expanded(o->log_file, input);
    for (size_t i = 0; i < o->omit_dirs.n; i++)
        fz_check_expanded(o->omit_dirs.v[i], input);
    for (size_t i = 0; i < o->caller_filter_files.n; i++)
        if (o->caller_filter_files.v[i] == NULL || o->caller_filter_files.v[i][0] == '\0')
            fz_fail("an empty caller filter file was accepted", input, NULL);
    for (size_t i = 0; i < o->access_filter_files.n; i++)
        if (o->access_filter_files.v[i] == NULL || o->access_filter_files.v[i][0] == '\0')
            fz_fail("an empty access filter file was accepted", input, NULL);
    for (size_t i = 0; i < o->notices.n; i++)
        if (o->notices.v[i] == NULL || o->notices.v[i][0] == '\0' ||
            strchr(o->notices.v[i], '\n') != NULL)
            fz_fail("a notice is empty or not one line", input, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *input = malloc(size + 1);
    if (input == NULL)
        return 0;
    memcpy(input, data, size);
    input[size] = '\0'; /* a C string: ends at the first NUL, as the JVM passes it */

    nt_agent_opts o, o2;
    char err[512], err2[512];
    memset(err, 'x', sizeof err);
    int rc = nt_agent_opts_parse(input, fz_pid, fz_now, &o, err, sizeof err);
    int rc2 = nt_agent_opts_parse(input, fz_pid, fz_now, &o2, err2, sizeof err2);
    if (rc != rc2)
        fz_fail("the same string parsed twice gives different results", input, NULL);
    if (rc != 0) {
        static const nt_agent_opts zero;
        if (rc != -1)
            fz_fail("nt_agent_opts_parse returned neither 0 nor -1", input, NULL);
        if (memchr(err, '\0', sizeof err) == NULL || err[0] == '\0' || strchr(err, '\n'))
            fz_fail("a refusal without a one-line reason", input, err);
        if (strcmp(err, err2) != 0)
            fz_fail("the same string refused with two reasons", err, err2);
        if (memcmp(&o, &zero, sizeof o) != 0)
            fz_fail("a refused string leaves the struct set", input, err);
        free(input);
        return 0;
    }
    if (!fz_opts_eq(&o, &o2, 1))
        fz_fail("the same string parsed twice gives different structs", input, NULL);
    nt_agent_opts_free(&o2);
    fz_check_accepted(&o, input);

    char *again = fz_serialize(&o);
    nt_agent_opts o3;
    if (nt_agent_opts_parse(again, fz_pid, fz_now, &o3, err, sizeof err) != 0)
        fz_fail("the written-back option string is refused", input, err);
    if (!fz_opts_eq(&o, &o3, 0))
        fz_fail("the written-back option string parses to another struct", input, again);
    nt_agent_opts_free(&o3);
    free(again);
    nt_agent_opts_free(&o);
    free(input);
    return 0;
}
