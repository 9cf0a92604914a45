/* nitrace merge: union inputs and write one config (see main.c's usage). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nitrace/ops.h"


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

static int write_stdout(const nt_config *c)
{
    nt_diags d;
    nt_diags_init(&d);
    char *text = nt_write_string(c, NT_FILE_COMBINED, &d);
    cli_print_diags(&d);
    nt_diags_free(&d);
    if (!text) {
        cli_say(NULL, "cannot serialize the merged config (out of memory)");
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
        char what[512];
        describe_inexpressible(c, what, sizeof what);
        cli_say("use -o DIR to write them as legacy files",
                "warning: reachability-metadata.json cannot express %s; they were left out of "
                "standard output", what);
    }
    return rc;
}

int cmd_merge(int argc, char **argv, const cli_cmd *self)
{
    static const struct option longs[] = {
        CLI_OUTPUT_LONGOPT,
        CLI_FORMAT_LONGOPT,
        CLI_FILTER_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    cli_args a;
    nt_config *c = NULL;
    int rc = cli_parse_args(argc, argv, "o:", longs, self, &a);
    if (rc >= 0)
        goto done;
    if (!a.out && a.format && a.fmt == NT_FORMAT_LEGACY) {
        rc = cli_usage_error(self, "--format legacy writes several files and needs -o DIR");
        goto done;
    }
    if (a.out && !a.out[0]) {
        rc = cli_usage_error(self, "-o needs a directory name");
        goto done;
    }
    if (optind >= argc) {
        rc = cli_usage_error(self, "no INPUT given");
        goto done;
    }
    if ((rc = cli_input_prepare(&a.io)) != CLI_EXIT_OK)
        goto done;
    size_t n_inputs = (size_t)(argc - optind), n_files = 0;
    if (!(c = cli_load(argv + optind, n_inputs, &a.io, &n_files, &rc)))
        goto done;
    if (!a.out) {
        rc = write_stdout(c);
        goto done;
    }
    if ((rc = cli_write_dir(c, a.out, a.fmt)) != CLI_EXIT_OK)
        goto done;
    char counts[1024], ins[64], files[64];
    cli_describe_counts(c, counts, sizeof counts);
    cli_say(NULL, "merged %s (%s): %s -> %s", cli_plural(ins, sizeof ins, n_inputs, "input", "inputs"),
            cli_plural(files, sizeof files, n_files, "file", "files"), counts, a.out);
done:
    nt_config_free(c);
    cli_args_free(&a);
    return rc;
}
