/* nitrace subtract: BASE minus the union of OMIT inputs (see main.c's usage). */
#include <stdio.h>

#include "cli.h"
#include "nitrace/ops.h"


int cmd_subtract(int argc, char **argv, const cli_cmd *self)
{
    static const struct option longs[] = {
        CLI_OUTPUT_LONGOPT,
        CLI_FORMAT_LONGOPT,
        CLI_FILTER_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    cli_args a;
    nt_config *base = NULL, *omit = NULL;
    int rc = cli_parse_args(argc, argv, "o:", longs, self, &a);
    if (rc >= 0)
        goto done;
    if (!a.out || !a.out[0]) {
        rc = cli_usage_error(self, "-o DIR is required");
        goto done;
    }
    if (argc - optind < 2) {
        rc = cli_usage_error(self, argc - optind == 0 ? "no BASE and OMIT given"
                                                      : "no OMIT input given");
        goto done;
    }
    if ((rc = cli_input_prepare(&a.io)) != CLI_EXIT_OK)
        goto done;
    size_t n_base_files = 0, n_omit_files = 0;
    size_t n_omits = (size_t)(argc - optind - 1);
    int rc_base = CLI_EXIT_OK, rc_omit = CLI_EXIT_OK;
    base = cli_load(argv + optind, 1, &a.io, &n_base_files, &rc_base);
    omit = cli_load(argv + optind + 1, n_omits, &a.io, &n_omit_files, &rc_omit);
    if (!base || !omit) {
        rc = rc_base != CLI_EXIT_OK ? rc_base : rc_omit;
        goto done;
    }
    size_t before = nt_config_entry_count(base);
    if (nt_config_subtract(base, omit) != NT_OK) {
        cli_say(NULL, "out of memory while subtracting");
        rc = CLI_EXIT_OUTPUT;
        goto done;
    }
    nt_config_normalize(base);
    if ((rc = cli_write_dir(base, a.out, a.fmt)) != CLI_EXIT_OK)
        goto done;
    char counts[1024], omits[64], files[64];
    size_t after = nt_config_entry_count(base);
    cli_describe_counts(base, counts, sizeof counts);
    cli_say(NULL, "subtracted %s (%s) from %s: %zu of %zu entries left: %s -> %s",
            cli_plural(omits, sizeof omits, n_omits, "input", "inputs"),
            cli_plural(files, sizeof files, n_omit_files, "file", "files"), argv[optind], after,
            before, counts, a.out);
done:
    nt_config_free(base);
    nt_config_free(omit);
    cli_args_free(&a);
    return rc;
}
