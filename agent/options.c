/* Parsing of the agent's option string (see options.h). */
#include "options.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char accepted_list[] =
    "config-output-dir, config-merge-dir, config-to-omit, trace-output, caller-filter-file, "
    "access-filter-file, builtin-caller-filter, builtin-heuristic-filter, no-builtin-caller-filter, "
    "no-builtin-heuristic-filter, no-filter, config-write-period-secs, "
    "config-write-initial-delay-secs, experimental-class-loader-support, "
    "experimental-class-define-support, experimental-unsafe-allocation-support, "
    "experimental-omit-config-from-classpath, track-reflection-metadata, format, log, verbose, "
    "check-config, check-report, check-fail, check-build-time-init";

static int fail(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    /* one line: control characters of an echoed option (a newline...) become '?' */
    for (char *p = err; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    return -1;
}

static int paths_push(nt_agent_paths *p, char *owned)
{
    char **n = realloc(p->v, (p->n + 1) * sizeof *n);
    if (!n) {
        free(owned);
        return -1;
    }
    p->v = n;
    p->v[p->n++] = owned;
    return 0;
}

static void paths_free(nt_agent_paths *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i]);
    free(p->v);
    p->v = NULL;
    p->n = 0;
}

void nt_agent_opts_free(nt_agent_opts *o)
{
    free(o->output_dir);
    free(o->trace_output);
    free(o->log_file);
    paths_free(&o->omit_dirs);
    paths_free(&o->caller_filter_files);
    paths_free(&o->access_filter_files);
    paths_free(&o->notices);
    paths_free(&o->check_configs);
    paths_free(&o->check_bt_packages);
    free(o->check_report);
    memset(o, 0, sizeof *o);
}

char *nt_agent_expand_path(const char *path, long pid, time_t now)
{
    char pidbuf[32], datebuf[32];
    struct tm tm;
    snprintf(pidbuf, sizeof pidbuf, "%ld", pid);
    gmtime_r(&now, &tm);
    strftime(datebuf, sizeof datebuf, "%Y%m%dT%H%M%SZ", &tm);
    size_t cap = strlen(path) + 1;
    for (const char *p = path; (p = strchr(p, '{')) != NULL; p++)
        cap += sizeof datebuf + sizeof pidbuf;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    char *w = out;
    for (const char *p = path; *p;) {
        if (strncmp(p, "{pid}", 5) == 0) {
            w += sprintf(w, "%s", pidbuf);
            p += 5;
        } else if (strncmp(p, "{datetime}", 10) == 0) {
            w += sprintf(w, "%s", datebuf);
            p += 10;
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
    return out;
}

/* Boolean value: NULL (bare name) is true. Returns 0/1, or -1 when invalid. */
static int parse_bool(const char *v)
{
    if (!v || strcmp(v, "true") == 0)
        return 1;
    if (strcmp(v, "false") == 0)
        return 0;
    return -1;
}

static int parse_int(const char *v, long min, int *out)
{
    if (!v || !*v)
        return -1;
    errno = 0;
    char *end;
    long n = strtol(v, &end, 10);
    if (errno || *end || n < min || n > INT_MAX)
        return -1;
    *out = (int)n;
    return 0;
}

typedef enum {
    K_BOOL,      /* int field */
    K_NEG_BOOL,  /* no-xxx: sets the int field to !value */
    K_PATHS,     /* repeatable path, expanded */
    K_RAWPATHS,  /* repeatable path, not expanded (filter files) */
    K_INT,       /* int with a minimum */
    K_SPECIAL    /* handled in code */
} opt_kind;

typedef struct opt_def {
    const char *name;
    opt_kind kind;
    size_t offset;
    long min;
} opt_def;

#define OFF(f) offsetof(nt_agent_opts, f)

static const opt_def defs[] = {
    {"config-output-dir", K_SPECIAL, 0, 0},
    {"config-merge-dir", K_SPECIAL, 0, 0},
    {"trace-output", K_SPECIAL, 0, 0},
    {"config-to-omit", K_PATHS, OFF(omit_dirs), 0},
    {"caller-filter-file", K_RAWPATHS, OFF(caller_filter_files), 0},
    {"access-filter-file", K_RAWPATHS, OFF(access_filter_files), 0},
    {"builtin-caller-filter", K_BOOL, OFF(builtin_caller_filter), 0},
    {"builtin-heuristic-filter", K_BOOL, OFF(builtin_heuristic_filter), 0},
    {"no-builtin-caller-filter", K_NEG_BOOL, OFF(builtin_caller_filter), 0},
    {"no-builtin-heuristic-filter", K_NEG_BOOL, OFF(builtin_heuristic_filter), 0},
    {"no-filter", K_SPECIAL, 0, 0},
    {"config-write-period-secs", K_INT, OFF(write_period_secs), 1},
    {"config-write-initial-delay-secs", K_INT, OFF(write_initial_delay_secs), 0},
    {"experimental-class-loader-support", K_BOOL, OFF(class_loader_support), 0},
    {"experimental-class-define-support", K_BOOL, OFF(class_define_support), 0},
    {"experimental-unsafe-allocation-support", K_BOOL, OFF(unsafe_allocation_support), 0},
    {"experimental-omit-config-from-classpath", K_BOOL, OFF(omit_from_classpath), 0},
    {"track-reflection-metadata", K_BOOL, OFF(track_reflection_metadata), 0},
    {"format", K_SPECIAL, 0, 0},
    {"log", K_SPECIAL, 0, 0},
    {"verbose", K_BOOL, OFF(verbose), 0},
    {"check-config", K_SPECIAL, 0, 0},
    {"check-report", K_SPECIAL, 0, 0},
    {"check-fail", K_SPECIAL, 0, 0},
    {"check-build-time-init", K_SPECIAL, 0, 0},
};

/* check-config=DIR[:DIR...] and check-build-time-init=SET[:SET...]: each
 * colon-separated part (commas separate options). */
static int check_option(nt_agent_opts *o, const char *name, const char *val, long pid,
                        time_t now, char *err, size_t en)
{
    if (strcmp(name, "check-report") == 0) {
        if (!val || !*val)
            return fail(err, en, "option 'check-report' needs a path: check-report=FILE");
        free(o->check_report);
        o->check_report = nt_agent_expand_path(val, pid, now);
        return o->check_report ? 0 : fail(err, en, "out of memory");
    }
    if (strcmp(name, "check-fail") == 0) {
        if (val && strcmp(val, "exit") == 0)
            o->check_fail_exit = 1;
        else if (val && strcmp(val, "log") == 0)
            o->check_fail_exit = 0;
        else
            return fail(err, en, "option 'check-fail' takes exit or log, not '%s'",
                        val ? val : "");
        return 0;
    }
    int cfg = strcmp(name, "check-config") == 0;
    if (!val || !*val)
        return fail(err, en, cfg ? "option 'check-config' needs a directory: check-config=DIR[:DIR...]"
                                 : "option 'check-build-time-init' takes all, clojure, none or "
                                   "packages: check-build-time-init=clojure:com.example");
    char *copy = strdup(val);
    if (!copy)
        return fail(err, en, "out of memory");
    int rc = 0;
    if (!cfg)
        o->check_bt_clojure = 0; /* the value replaces the default set */
    char *save = NULL;
    for (char *part = strtok_r(copy, ":", &save); part && rc == 0;
         part = strtok_r(NULL, ":", &save)) {
        if (cfg) {
            char *p = nt_agent_expand_path(part, pid, now);
            if (!p || paths_push(&o->check_configs, p) != 0)
                rc = fail(err, en, "out of memory");
        } else if (strcmp(part, "all") == 0) {
            o->check_bt_all = 1;
        } else if (strcmp(part, "clojure") == 0) {
            o->check_bt_clojure = 1;
        } else if (strcmp(part, "none") != 0) {
            char *p = strdup(part);
            if (!p || paths_push(&o->check_bt_packages, p) != 0)
                rc = fail(err, en, "out of memory");
        }
    }
    free(copy);
    return rc;
}

/* GraalVM options nitrace does not implement: the JVM must not start with a
 * silently different meaning. */
static const char *const unsupported[] = {
    "experimental-configuration-with-origins", "experimental-conditional-config-filter-file",
    "conditional-config-class-filter-file", "experimental-conditional-config-part",
};

static int handle(nt_agent_opts *o, const opt_def *d, const char *name, const char *val,
                  long pid, time_t now, int *outputs, char *err, size_t en)
{
    int *ip = (int *)((char *)o + d->offset);
    switch (d->kind) {
    case K_BOOL:
    case K_NEG_BOOL: {
        int b = parse_bool(val);
        if (b < 0)
            return fail(err, en, "option '%s' takes true or false, not '%s'", name, val);
        *ip = d->kind == K_BOOL ? b : !b;
        return 0;
    }
    case K_INT:
        if (parse_int(val, d->min, ip) != 0)
            return fail(err, en, "option '%s' takes a whole number >= %ld, not '%s'", name,
                        d->min, val ? val : "");
        return 0;
    case K_PATHS:
    case K_RAWPATHS: {
        if (!val || !*val)
            return fail(err, en, "option '%s' needs a path: %s=PATH", name, name);
        char *p = d->kind == K_PATHS ? nt_agent_expand_path(val, pid, now) : strdup(val);
        if (!p || paths_push((nt_agent_paths *)((char *)o + d->offset), p) != 0)
            return fail(err, en, "out of memory");
        return 0;
    }
    case K_SPECIAL:
        break;
    }
    if (strcmp(name, "config-output-dir") == 0 || strcmp(name, "config-merge-dir") == 0 ||
        strcmp(name, "trace-output") == 0) {
        if (!val || !*val)
            return fail(err, en, "option '%s' needs a path: %s=PATH", name, name);
        if (++*outputs > 1)
            return fail(err, en,
                        "only one of config-output-dir, config-merge-dir and trace-output may be "
                        "given (found '%s' after another output option)", name);
        char *p = nt_agent_expand_path(val, pid, now);
        if (!p)
            return fail(err, en, "out of memory");
        if (name[0] == 't') {
            o->trace_output = p;
        } else {
            o->output_dir = p;
            o->merge = strcmp(name, "config-merge-dir") == 0;
        }
        return 0;
    }
    if (strcmp(name, "no-filter") == 0) {
        int b = parse_bool(val);
        if (b < 0)
            return fail(err, en, "option 'no-filter' takes true or false, not '%s'", val);
        o->builtin_caller_filter = o->builtin_heuristic_filter = !b;
        return 0;
    }
    if (strcmp(name, "format") == 0) {
        if (val && strcmp(val, "legacy") == 0)
            o->format = NT_AGENT_FORMAT_LEGACY;
        else if (val && strcmp(val, "combined") == 0)
            o->format = NT_AGENT_FORMAT_COMBINED;
        else
            return fail(err, en, "option 'format' takes legacy or combined, not '%s'",
                        val ? val : "");
        return 0;
    }
    if (strncmp(name, "check-", 6) == 0)
        return check_option(o, name, val, pid, now, err, en);
    if (strcmp(name, "log") == 0) {
        if (!val || !*val)
            return fail(err, en, "option 'log' needs a path: log=FILE");
        free(o->log_file);
        o->log_file = nt_agent_expand_path(val, pid, now);
        return o->log_file ? 0 : fail(err, en, "out of memory");
    }
    return fail(err, en, "internal error: unhandled option '%s'", name);
}

int nt_agent_opts_parse(const char *options, long pid, time_t now, nt_agent_opts *o,
                        char *err, size_t en)
{
    memset(o, 0, sizeof *o);
    o->builtin_caller_filter = 1;
    o->builtin_heuristic_filter = 1;
    o->write_period_secs = -1;
    o->write_initial_delay_secs = 1;
    o->class_loader_support = 1;
    o->track_reflection_metadata = 1;
    o->check_bt_clojure = 1;
    err[0] = '\0';

    char *copy = strdup(options ? options : "");
    if (!copy)
        return fail(err, en, "out of memory");
    int outputs = 0, rc = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok && rc == 0; tok = strtok_r(NULL, ",", &save)) {
        char *val = strchr(tok, '=');
        if (val)
            *val++ = '\0';
        const opt_def *d = NULL;
        for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
            if (strcmp(tok, defs[i].name) == 0)
                d = &defs[i];
        if (d) {
            rc = handle(o, d, tok, val, pid, now, &outputs, err, en);
            continue;
        }
        if (strcmp(tok, "restrict") == 0 || strncmp(tok, "restrict-", 9) == 0 ||
            strcmp(tok, "build") == 0) {
            char msg[256];
            snprintf(msg, sizeof msg, "option '%s' is no longer supported by GraalVM's agent; ignoring it", tok);
            for (char *c = msg; *c; c++) /* one line, as every message */
                if ((unsigned char)*c < 0x20 || *c == 0x7f)
                    *c = '?';
            char *m = strdup(msg);
            if (!m || paths_push(&o->notices, m) != 0)
                rc = fail(err, en, "out of memory");
            continue;
        }
        for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++)
            if (strcmp(tok, unsupported[i]) == 0)
                rc = fail(err, en,
                          "option '%s' (GraalVM's conditional/origins mode) is not supported by "
                          "nitrace; remove it", tok);
        if (rc == 0)
            rc = fail(err, en, "unknown option '%s'; accepted: %s", tok, accepted_list);
    }
    free(copy);
    if (rc == 0 && o->trace_output && o->write_period_secs > 0)
        rc = fail(err, en, "config-write-period-secs works with config output only, not with trace-output");
    if (rc == 0 && o->check_configs.n == 0 &&
        (o->check_report || o->check_fail_exit || o->check_bt_all || !o->check_bt_clojure ||
         o->check_bt_packages.n))
        rc = fail(err, en, "check-report, check-fail and check-build-time-init need "
                           "check-config=DIR (the configs to check against)");
    if (rc == 0 && o->check_configs.n > 0 && outputs > 0)
        rc = fail(err, en, "check-config writes no configuration: remove config-output-dir, "
                           "config-merge-dir and trace-output (the report goes to check-report=FILE)");
    if (rc == 0 && outputs == 0 && o->check_configs.n == 0) {
        o->default_output = 1;
        o->output_dir = nt_agent_expand_path("native-image-agent_config-pid{pid}-{datetime}", pid, now);
        if (!o->output_dir)
            rc = fail(err, en, "out of memory");
    }
    if (rc != 0)
        nt_agent_opts_free(o);
    return rc;
}
