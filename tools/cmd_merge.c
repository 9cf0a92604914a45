/* nitrace merge: union inputs and write one config (see main.c's usage). */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "nitrace/ops.h"


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
        rc = cli_write_combined_stdout(c, "merged");
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
