/* nitrace stats: counts per category and per top-level package (see main.c's
 * usage). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nitrace/ops.h"


typedef struct stat_row {
    const char *label;   /* text table */
    const char *key;     /* JSON */
    size_t value;
} stat_row;

#define N_ROWS 16

static void fill_rows(const nt_stats *s, stat_row rows[N_ROWS])
{
    const stat_row r[N_ROWS] = {
        {"reflection types", "reflection_types", s->reflection_types},
        {"reflection methods", "reflection_methods", s->reflection_methods},
        {"reflection fields", "reflection_fields", s->reflection_fields},
        {"proxies", "proxies", s->proxies},
        {"lambdas", "lambdas", s->lambdas},
        {"jni types", "jni_types", s->jni_types},
        {"jni methods", "jni_methods", s->jni_methods},
        {"jni fields", "jni_fields", s->jni_fields},
        {"serialization types", "serialization_types", s->serialization_types},
        {"lambda-capturing types", "lambda_capturing_types", s->lambda_capturing_types},
        {"resource globs", "resource_globs", s->resource_globs},
        {"resource patterns", "resource_patterns", s->resource_patterns},
        {"resource excludes", "resource_excludes", s->resource_excludes},
        {"bundles", "bundles", s->bundles},
        {"predefined classes", "predefined_classes", s->predefined_classes},
        {"foreign entries", "foreign_entries", s->foreign_entries},
    };
    memcpy(rows, r, sizeof r);
}

static void print_text(const nt_stats *s)
{
    stat_row rows[N_ROWS];
    fill_rows(s, rows);
    printf("%-32s %8s\n", "category", "count");
    for (size_t i = 0; i < N_ROWS; i++)
        printf("%-32s %8zu\n", rows[i].label, rows[i].value);
    printf("\n%-32s %8s\n", "top-level package", "entries");
    for (size_t i = 0; i < s->n_packages; i++)
        printf("%-32s %8zu\n", s->packages[i].package[0] ? s->packages[i].package : "(default)",
               s->packages[i].count);
}

static int print_json(const nt_stats *s)
{
    stat_row rows[N_ROWS];
    fill_rows(s, rows);
    json_t *cats = json_object();
    json_t *pkgs = json_array();
    json_t *root = json_object();
    int bad = !cats || !pkgs || !root;
    for (size_t i = 0; !bad && i < N_ROWS; i++)
        bad = json_object_set_new(cats, rows[i].key, json_integer((json_int_t)rows[i].value)) != 0;
    for (size_t i = 0; !bad && i < s->n_packages; i++)
        bad = json_array_append_new(pkgs, json_pack("{s:s, s:I}", "package", s->packages[i].package,
                                                     "count", (json_int_t)s->packages[i].count)) != 0;
    int ok = !bad && json_object_set(root, "categories", cats) == 0 &&
             json_object_set(root, "packages", pkgs) == 0;
    int rc = cli_print_json(ok ? root : NULL);
    json_decref(cats);
    json_decref(pkgs);
    json_decref(root);
    return rc;
}

int cmd_stats(int argc, char **argv, const cli_cmd *self)
{
    static const struct option longs[] = {
        CLI_JSON_LONGOPT,
        CLI_FILTER_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    cli_args a;
    nt_config *c = NULL;
    nt_stats s;
    memset(&s, 0, sizeof s);
    int rc = cli_parse_args(argc, argv, "", longs, self, &a);
    if (rc >= 0)
        goto done;
    if (optind >= argc) {
        rc = cli_usage_error(self, "no INPUT given");
        goto done;
    }
    if ((rc = cli_input_prepare(&a.io)) != CLI_EXIT_OK)
        goto done;
    if (!(c = cli_load(argv + optind, (size_t)(argc - optind), &a.io, NULL, &rc)))
        goto done;
    if (nt_config_stats(c, &s) != NT_OK) {
        cli_say(NULL, "out of memory while counting");
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    if (a.json) {
        if (print_json(&s) != 0)
            rc = CLI_EXIT_OUTPUT;
    } else {
        print_text(&s);
    }
done:
    nt_stats_free(&s);
    nt_config_free(c);
    cli_args_free(&a);
    return rc;
}
