/* nitrace diff: what B adds to and removes from A (see main.c's usage). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nitrace/ops.h"


/* [{"category": C, "entries": [...]}, ...] of the lines with this sign, in
 * the diff's order (sorted by category, then text). NULL on NOMEM. */
static json_t *group_lines(const nt_diff *df, char sign)
{
    json_t *groups = json_array();
    json_t *entries = NULL;
    const char *current = NULL;
    if (!groups)
        return NULL;
    for (size_t i = 0; i < df->count; i++) {
        const nt_diff_line *l = &df->lines[i];
        if (l->sign != sign)
            continue;
        if (!current || strcmp(current, l->category) != 0) {
            json_t *g = json_pack("{s:s, s:[]}", "category", l->category, "entries");
            if (!g || json_array_append_new(groups, g) != 0)
                goto fail;
            entries = json_object_get(g, "entries");
            current = l->category;
        }
        if (json_array_append_new(entries, json_string(l->text)) != 0)
            goto fail;
    }
    return groups;
fail:
    json_decref(groups);
    return NULL;
}

static int print_json(const nt_diff *df)
{
    json_t *added = group_lines(df, '+');
    json_t *removed = group_lines(df, '-');
    json_t *root = added && removed ? json_pack("{s:o, s:o}", "added", added, "removed", removed)
                                    : NULL;
    if (!root) {
        json_decref(added);
        json_decref(removed);
    }
    int rc = cli_print_json(root);
    json_decref(root);
    return rc;
}

int cmd_diff(int argc, char **argv, const cli_cmd *self)
{
    static const struct option longs[] = {
        CLI_JSON_LONGOPT,
        CLI_FILTER_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    cli_args a;
    nt_config *ca = NULL, *cb = NULL;
    nt_diff df;
    memset(&df, 0, sizeof df);
    int rc = cli_parse_args(argc, argv, "", longs, self, &a);
    if (rc >= 0)
        goto done;
    if (argc - optind != 2) {
        rc = cli_usage_error(self, "expected two inputs A and B, got %d", argc - optind);
        goto done;
    }
    if ((rc = cli_input_prepare(&a.io)) != CLI_EXIT_OK)
        goto done;
    int rc_a = CLI_EXIT_OK, rc_b = CLI_EXIT_OK;
    ca = cli_load(argv + optind, 1, &a.io, NULL, &rc_a);
    cb = cli_load(argv + optind + 1, 1, &a.io, NULL, &rc_b);
    if (!ca || !cb) {
        rc = rc_a != CLI_EXIT_OK ? rc_a : rc_b;
        goto done;
    }
    if (nt_config_diff(ca, cb, &df) != NT_OK) {
        cli_say(NULL, "out of memory while comparing");
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    if (a.json) {
        if (print_json(&df) != 0) {
            rc = CLI_EXIT_OUTPUT;
            goto done;
        }
    } else {
        for (size_t i = 0; i < df.count; i++)
            printf("%c %s %s\n", df.lines[i].sign, df.lines[i].category, df.lines[i].text);
    }
    rc = df.count ? CLI_EXIT_FOUND : CLI_EXIT_OK;
done:
    nt_diff_free(&df);
    nt_config_free(ca);
    nt_config_free(cb);
    cli_args_free(&a);
    return rc;
}
