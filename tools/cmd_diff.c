/* nitrace diff: what B adds to and removes from A (see main.c's usage). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nitrace/ops.h"

enum { OPT_JSON = 0x200 };

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
    char *text = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    if (!root) {
        json_decref(added);
        json_decref(removed);
    }
    json_decref(root);
    if (!text) {
        cli_say(NULL, "out of memory");
        return -1;
    }
    printf("%s\n", text);
    free(text);
    return 0;
}

int cmd_diff(int argc, char **argv, const cli_cmd *self)
{
    static const struct option longs[] = {
        {"json", no_argument, NULL, OPT_JSON},
        CLI_FILTER_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    int json = 0;
    cli_input_opts io;
    cli_input_opts_init(&io);
    nt_config *a = NULL, *b = NULL;
    nt_diff df;
    memset(&df, 0, sizeof df);
    int rc = CLI_EXIT_OK, opt;
    while ((opt = cli_getopt(argc, argv, "", longs, self)) != CLI_OPT_END) {
        if (opt == CLI_OPT_HELP || opt == CLI_OPT_ERROR) {
            rc = opt == CLI_OPT_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
            goto done;
        }
        if (opt == OPT_JSON)
            json = 1;
        else if (!cli_input_opt(&io, opt, optarg)) {
            rc = cli_usage_error(self, "unexpected option");
            goto done;
        }
    }
    if (argc - optind != 2) {
        rc = cli_usage_error(self, "expected two inputs A and B, got %d", argc - optind);
        goto done;
    }
    if ((rc = cli_input_prepare(&io)) != CLI_EXIT_OK)
        goto done;
    a = nt_config_new();
    b = nt_config_new();
    if (!a || !b) {
        cli_say(NULL, "out of memory");
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    int rc_a = cli_read_inputs(a, argv + optind, 1, &io, NULL);
    int rc_b = cli_read_inputs(b, argv + optind + 1, 1, &io, NULL);
    if (rc_a != CLI_EXIT_OK || rc_b != CLI_EXIT_OK) {
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    nt_config_normalize(a);
    nt_config_normalize(b);
    if (nt_config_diff(a, b, &df) != NT_OK) {
        cli_say(NULL, "out of memory while comparing");
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    if (json) {
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
    nt_config_free(a);
    nt_config_free(b);
    cli_input_opts_free(&io);
    return rc;
}
