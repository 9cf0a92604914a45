/* nitrace CLI: helpers shared by the subcommands (see cli.h). */
#include "cli.h"

#include <jansson.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nitrace/io.h"
#include "nitrace/ops.h"
#include "nitrace/trace.h"

/* ---- usage errors and diagnostics ------------------------------------- */

void cli_print_usage(const cli_cmd *self)
{
    fputs(self->usage, stdout);
}

int cli_usage_error(const cli_cmd *self, const char *fmt, ...)
{
    char what[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    fprintf(stderr, "nitrace: %s: %s (run 'nitrace help %s' for usage)\n", self->name, what,
            self->name);
    return CLI_EXIT_USAGE;
}

void cli_say(const char *hint, const char *fmt, ...)
{
    char what[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (hint && hint[0])
        fprintf(stderr, "nitrace: %s (%s)\n", what, hint);
    else
        fprintf(stderr, "nitrace: %s\n", what);
}

void cli_print_diags(const nt_diags *d)
{
    char line[2200];
    for (size_t i = 0; i < d->count; i++) {
        nt_error_format(&d->items[i], line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
}

size_t cli_error_count(const nt_diags *d)
{
    return d->count - d->warnings;
}

/* ---- option parsing --------------------------------------------------- */

#define CLI_MAX_LONGOPTS 32

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts,
               const cli_cmd *self)
{
    /* Built once per process: every command parses its options once. */
    static char shorts[64];
    static struct option longs[CLI_MAX_LONGOPTS + 2];
    static int built;
    if (!built) {
        snprintf(shorts, sizeof shorts, ":%sh", shortopts);
        size_t n = 0;
        for (; longopts && longopts[n].name && n < CLI_MAX_LONGOPTS; n++)
            longs[n] = longopts[n];
        longs[n++] = (struct option){"help", no_argument, NULL, 'h'};
        longs[n] = (struct option){NULL, 0, NULL, 0};
        built = 1;
        opterr = 0;
    }
    int c = getopt_long(argc, argv, shorts, longs, NULL);
    if (c == -1)
        return CLI_OPT_END;
    if (c == 'h') {
        cli_print_usage(self);
        return CLI_OPT_HELP;
    }
    if (c == '?' || c == ':') {
        /* Missing argument: the option is the last word getopt took. Unknown
         * option: optopt is the character of a short one, 0 for a long one. */
        char opt[256];
        if (c == '?' && optopt > 0 && optopt < 128) {
            snprintf(opt, sizeof opt, "-%c", optopt);
        } else {
            const char *a = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
            size_t len = strcspn(a, "=");
            snprintf(opt, sizeof opt, "%.*s", (int)(len < 200 ? len : 200), a);
        }
        if (c == ':') {
            cli_usage_error(self, "option '%s' needs an argument", opt);
            return CLI_OPT_ERROR;
        }
        /* A long option getopt rejected may be a known one given a value, or
         * an abbreviation of several. */
        size_t matches = 0, exact = 0;
        if (strncmp(opt, "--", 2) == 0 && opt[2]) {
            for (size_t i = 0; longs[i].name; i++) {
                if (strncmp(longs[i].name, opt + 2, strlen(opt + 2)) == 0)
                    matches++;
                if (strcmp(longs[i].name, opt + 2) == 0)
                    exact = 1;
            }
        }
        if (exact || matches == 1)
            cli_usage_error(self, "option '%s' takes no argument", opt);
        else if (matches > 1)
            cli_usage_error(self, "option '%s' is ambiguous", opt);
        else
            cli_usage_error(self, "unknown option '%s'", opt);
        return CLI_OPT_ERROR;
    }
    return c;
}

/* ---- inputs ----------------------------------------------------------- */

void cli_input_opts_init(cli_input_opts *o)
{
    memset(o, 0, sizeof *o);
}

void cli_input_opts_free(cli_input_opts *o)
{
    nt_strv_free(&o->caller_filter_files);
    nt_strv_free(&o->access_filter_files);
    nt_filter_set_free(o->filters);
    o->filters = NULL;
}

int cli_input_opt(cli_input_opts *o, int opt, const char *arg)
{
    switch (opt) {
    case CLI_OPT_CALLER_FILTER:
        if (nt_strv_push(&o->caller_filter_files, arg) != NT_OK)
            abort();
        return 1;
    case CLI_OPT_ACCESS_FILTER:
        if (nt_strv_push(&o->access_filter_files, arg) != NT_OK)
            abort();
        return 1;
    case CLI_OPT_NO_BUILTIN_CALLER:
        o->no_builtin_caller = 1;
        return 1;
    case CLI_OPT_NO_BUILTIN_HEURISTIC:
        o->no_builtin_heuristic = 1;
        return 1;
    default:
        return 0;
    }
}

int cli_input_prepare(cli_input_opts *o)
{
    if (!o->caller_filter_files.n && !o->access_filter_files.n && !o->no_builtin_caller &&
        !o->no_builtin_heuristic)
        return CLI_EXIT_OK;  /* GraalVM's defaults */
    nt_diags d;
    nt_diags_init(&d);
    int rc = CLI_EXIT_OK;
    nt_filter_set *fs = nt_filter_set_new(!o->no_builtin_caller, !o->no_builtin_heuristic);
    if (!fs) {
        cli_say(NULL, "out of memory");
        return CLI_EXIT_INPUT;
    }
    for (size_t i = 0; i < o->caller_filter_files.n; i++)
        if (nt_filter_set_add_file(fs, o->caller_filter_files.v[i], NT_FILTER_CALLER, &d) != NT_OK)
            rc = CLI_EXIT_INPUT;
    for (size_t i = 0; i < o->access_filter_files.n; i++)
        if (nt_filter_set_add_file(fs, o->access_filter_files.v[i], NT_FILTER_ACCESS, &d) != NT_OK)
            rc = CLI_EXIT_INPUT;
    cli_print_diags(&d);
    nt_diags_free(&d);
    if (rc != CLI_EXIT_OK) {
        nt_filter_set_free(fs);
        return rc;
    }
    o->filters = fs;
    return CLI_EXIT_OK;
}

int cli_read_inputs(nt_config *dst, char *const *paths, size_t n, const cli_input_opts *o,
                    size_t *n_files)
{
    nt_read_opts ropts;
    memset(&ropts, 0, sizeof ropts);
    ropts.filters = o ? o->filters : NULL;
    size_t files = 0;
    int rc = CLI_EXIT_OK;
    for (size_t i = 0; i < n; i++) {
        nt_diags d;
        nt_diags_init(&d);
        nt_config *c = nt_config_new();
        if (!c) {
            cli_say(NULL, "out of memory");
            return CLI_EXIT_INPUT;
        }
        size_t nf = 0;
        nt_status st = nt_read_input(c, paths[i], &ropts, &d, &nf);
        files += nf;
        cli_print_diags(&d);
        if (st != NT_OK) {
            /* The reader explains every problem; add a line only when it
             * said nothing. */
            if (cli_error_count(&d) == 0)
                cli_say("check the path and the file's format", "%s: %s", paths[i],
                        nt_status_str(st));
            rc = CLI_EXIT_INPUT;
        } else if (rc == CLI_EXIT_OK && nt_config_union(dst, c) != NT_OK) {
            cli_say(NULL, "%s: out of memory while merging", paths[i]);
            rc = CLI_EXIT_INPUT;
        }
        nt_config_free(c);
        nt_diags_free(&d);
    }
    nt_config_normalize(dst);
    if (n_files)
        *n_files = files;
    return rc;
}

int cli_parse_format(const char *s, nt_format *fmt)
{
    if (strcmp(s, "legacy") == 0) {
        *fmt = NT_FORMAT_LEGACY;
        return 0;
    }
    if (strcmp(s, "combined") == 0) {
        *fmt = NT_FORMAT_COMBINED;
        return 0;
    }
    return -1;
}

int cli_write_dir(const nt_config *c, const char *dir, nt_format fmt)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_status st = nt_write_dir(c, dir, fmt, &d);
    cli_print_diags(&d);
    if (st != NT_OK && cli_error_count(&d) == 0)
        cli_say("check that the directory can be created and written", "%s: %s", dir,
                nt_status_str(st));
    nt_diags_free(&d);
    return st == NT_OK ? CLI_EXIT_OK : CLI_EXIT_OUTPUT;
}

/* ---- summaries -------------------------------------------------------- */

const char *cli_plural(char *buf, size_t n, size_t count, const char *one, const char *many)
{
    snprintf(buf, n, "%zu %s", count, count == 1 ? one : many);
    return buf;
}

static void append_count(char *buf, size_t n, size_t *len, size_t count, const char *one,
                         const char *many)
{
    if (count == 0 || *len >= n)
        return;
    char item[128];
    cli_plural(item, sizeof item, count, one, many);
    int w = snprintf(buf + *len, n - *len, "%s%s", *len ? ", " : "", item);
    if (w > 0)
        *len += (size_t)w;
}

void cli_describe_counts(const nt_config *c, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    nt_stats s;
    memset(&s, 0, sizeof s);
    if (nt_config_stats(c, &s) != NT_OK) {
        snprintf(buf, n, "%zu entries", nt_config_entry_count(c));
        return;
    }
    append_count(buf, n, &len, s.reflection_types, "reflection type", "reflection types");
    append_count(buf, n, &len, s.proxies, "proxy", "proxies");
    append_count(buf, n, &len, s.lambdas, "lambda", "lambdas");
    append_count(buf, n, &len, s.jni_types, "jni type", "jni types");
    append_count(buf, n, &len, s.serialization_types, "serialization type",
                 "serialization types");
    append_count(buf, n, &len, s.lambda_capturing_types, "lambda-capturing type",
                 "lambda-capturing types");
    append_count(buf, n, &len, s.resource_globs + s.resource_patterns + s.resource_excludes,
                 "resource", "resources");
    append_count(buf, n, &len, s.bundles, "bundle", "bundles");
    append_count(buf, n, &len, s.predefined_classes, "predefined class", "predefined classes");
    append_count(buf, n, &len, s.foreign_entries, "foreign entry", "foreign entries");
    if (len == 0)
        snprintf(buf, n, "no entries");
    nt_stats_free(&s);
}

int cli_parse_args(int argc, char **argv, const char *shortopts, const struct option *longopts,
                   const cli_cmd *self, cli_args *a)
{
    memset(a, 0, sizeof *a);
    a->fmt = NT_FORMAT_LEGACY;
    cli_input_opts_init(&a->io);
    int opt;
    while ((opt = cli_getopt(argc, argv, shortopts, longopts, self)) != CLI_OPT_END) {
        if (opt == CLI_OPT_HELP)
            return CLI_EXIT_OK;
        if (opt == CLI_OPT_ERROR)
            return CLI_EXIT_USAGE;
        if (opt == 'o')
            a->out = optarg;
        else if (opt == CLI_OPT_FORMAT)
            a->format = optarg;
        else if (opt == CLI_OPT_JSON)
            a->json = 1;
        else if (!cli_input_opt(&a->io, opt, optarg))
            return cli_usage_error(self, "unexpected option");
    }
    if (a->format && cli_parse_format(a->format, &a->fmt) != 0)
        return cli_usage_error(self, "unknown format '%s', expected 'legacy' or 'combined'",
                               a->format);
    return -1;
}

void cli_args_free(cli_args *a)
{
    cli_input_opts_free(&a->io);
}

nt_config *cli_load(char *const *paths, size_t n, const cli_input_opts *o, size_t *n_files,
                    int *rc)
{
    nt_config *c = nt_config_new();
    if (!c) {
        cli_say(NULL, "out of memory");
        *rc = CLI_EXIT_INPUT;
        return NULL;
    }
    int r = cli_read_inputs(c, paths, n, o, n_files);
    if (r != CLI_EXIT_OK) {
        nt_config_free(c);
        *rc = r;
        return NULL;
    }
    return c;
}

int cli_print_json(const struct json_t *root)
{
    char *text = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    if (!text) {
        cli_say(NULL, "out of memory");
        return -1;
    }
    printf("%s\n", text);
    free(text);
    return 0;
}

/* ---- combined config to standard output (merge, prune) ---------------- */

/* Entries of a type set that the combined file cannot carry (mirrors the
 * writer's rules): fields with allowWrite/allowUnsafeAccess, accessed methods
 * without parameterTypes ("every overload"). */
static void count_type_leftovers(const nt_typeset *s, size_t *fields, size_t *methods)
{
    for (size_t i = 0; i < s->count; i++) {
        const nt_type *t = s->items[i];
        if (t->td.kind == NT_TD_LAMBDA)
            continue;
        for (size_t j = 0; j < t->n_fields; j++)
            if (t->fields[j].flags)
                (*fields)++;
        for (size_t j = 0; j < t->n_methods; j++)
            if (t->methods[j].level == NT_ACCESSED && t->methods[j].any_params)
                (*methods)++;
    }
}

/* What reachability-metadata.json cannot hold, for the warning printed when
 * merge writes it to standard output. */
static void describe_inexpressible(const nt_config *c, char *buf, size_t n)
{
    size_t patterns = 0, excludes = 0, rich_bundles = 0, custom = 0, fields = 0, methods = 0;
    size_t len = 0;
    for (size_t i = 0; i < c->n_resources; i++) {
        if (c->resources[i].kind == NT_RES_PATTERN)
            patterns++;
        else if (c->resources[i].kind == NT_RES_EXCLUDE)
            excludes++;
    }
    for (size_t i = 0; i < c->n_bundles; i++)
        if (c->bundles[i].locales.n || c->bundles[i].class_names.n)
            rich_bundles++;
    for (size_t i = 0; i < c->serialization.count; i++)
        if (c->serialization.items[i]->td.kind == NT_TD_CLASS &&
            c->serialization.items[i]->custom_ctor)
            custom++;
    count_type_leftovers(&c->reflection, &fields, &methods);
    count_type_leftovers(&c->jni, &fields, &methods);
    struct {
        size_t count;
        const char *one, *many;
    } items[] = {
        {fields, "field with allowWrite or allowUnsafeAccess",
         "fields with allowWrite or allowUnsafeAccess"},
        {methods, "method without parameterTypes", "methods without parameterTypes"},
        {custom, "serialization type with customTargetConstructorClass",
         "serialization types with customTargetConstructorClass"},
        {c->lambda_capturing.count, "lambda-capturing type", "lambda-capturing types"},
        {patterns, "resource regex pattern", "resource regex patterns"},
        {excludes, "resource exclude", "resource excludes"},
        {rich_bundles, "bundle with locales or class names", "bundles with locales or class names"},
        {c->n_predefined, "predefined class", "predefined classes"},
    };
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        if (!items[i].count || len >= n)
            continue;
        char item[128];
        cli_plural(item, sizeof item, items[i].count, items[i].one, items[i].many);
        int w = snprintf(buf + len, n - len, "%s%s", len ? ", " : "", item);
        if (w > 0)
            len += (size_t)w;
    }
    if (len == 0)
        snprintf(buf, n, "some entries");
}

/* Write c as reachability-metadata.json to standard output; `what` names the
 * config in the out-of-memory message ("merged", "pruned"). Warns, naming
 * them, about entries the combined file cannot carry. Returns a CLI exit code. */
int cli_write_combined_stdout(const nt_config *c, const char *what)
{
    nt_diags d;
    nt_diags_init(&d);
    char *text = nt_write_string(c, NT_FILE_COMBINED, &d);
    cli_print_diags(&d);
    nt_diags_free(&d);
    if (!text) {
        cli_say(NULL, "cannot serialize the %s config (out of memory)", what);
        return CLI_EXIT_OUTPUT;
    }
    size_t len = strlen(text);
    int rc = CLI_EXIT_OK;
    if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
        cli_say("check the pipe or disk", "cannot write to standard output");
        rc = CLI_EXIT_OUTPUT;
    }
    free(text);
    if (rc == CLI_EXIT_OK && !nt_combined_expresses_all(c)) {
        char items[512];
        describe_inexpressible(c, items, sizeof items);
        cli_say("use -o DIR to write them as legacy files",
                "warning: reachability-metadata.json cannot express %s; they were left out of "
                "standard output", items);
    }
    return rc;
}
