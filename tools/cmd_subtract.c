/* nitrace subtract: BASE minus the union of OMIT inputs (see main.c's usage). */
#include <stdio.h>

#include "cli.h"
#include "nitrace/ops.h"

enum { OPT_FORMAT = 0x200 };

int cmd_subtract(int argc, char **argv, const cli_cmd *self)
{
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, OPT_FORMAT},
        CLI_FILTER_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *format = NULL;
    cli_input_opts io;
    cli_input_opts_init(&io);
    nt_config *base = NULL, *omit = NULL;
    int rc = CLI_EXIT_OK, opt;
    while ((opt = cli_getopt(argc, argv, "o:", longs, self)) != CLI_OPT_END) {
        if (opt == CLI_OPT_HELP || opt == CLI_OPT_ERROR) {
            rc = opt == CLI_OPT_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
            goto done;
        }
        if (opt == 'o')
            out = optarg;
        else if (opt == OPT_FORMAT)
            format = optarg;
        else if (!cli_input_opt(&io, opt, optarg)) {
            rc = cli_usage_error(self, "unexpected option");
            goto done;
        }
    }
    nt_format fmt = NT_FORMAT_LEGACY;
    if (format && cli_parse_format(format, &fmt) != 0) {
        rc = cli_usage_error(self, "unknown format '%s', expected 'legacy' or 'combined'", format);
        goto done;
    }
    if (!out || !out[0]) {
        rc = cli_usage_error(self, "-o DIR is required");
        goto done;
    }
    if (argc - optind < 2) {
        rc = cli_usage_error(self, argc - optind == 0 ? "no BASE and OMIT given"
                                                      : "no OMIT input given");
        goto done;
    }
    if ((rc = cli_input_prepare(&io)) != CLI_EXIT_OK)
        goto done;
    base = nt_config_new();
    omit = nt_config_new();
    if (!base || !omit) {
        cli_say(NULL, "out of memory");
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    size_t n_base_files = 0, n_omit_files = 0;
    size_t n_omits = (size_t)(argc - optind - 1);
    int rc_base = cli_read_inputs(base, argv + optind, 1, &io, &n_base_files);
    int rc_omit = cli_read_inputs(omit, argv + optind + 1, n_omits, &io, &n_omit_files);
    if (rc_base != CLI_EXIT_OK || rc_omit != CLI_EXIT_OK) {
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    size_t before = nt_config_entry_count(base);
    nt_config_normalize(base);
    if (nt_config_subtract(base, omit) != NT_OK) {
        cli_say(NULL, "out of memory while subtracting");
        rc = CLI_EXIT_OUTPUT;
        goto done;
    }
    nt_config_normalize(base);
    if ((rc = cli_write_dir(base, out, fmt)) != CLI_EXIT_OK)
        goto done;
    char counts[1024], omits[64], files[64];
    size_t after = nt_config_entry_count(base);
    cli_describe_counts(base, counts, sizeof counts);
    cli_say(NULL, "subtracted %s (%s) from %s: %zu of %zu entries left: %s -> %s",
            cli_plural(omits, sizeof omits, n_omits, "input", "inputs"),
            cli_plural(files, sizeof files, n_omit_files, "file", "files"), argv[optind], after,
            before, counts, out);
done:
    nt_config_free(base);
    nt_config_free(omit);
    cli_input_opts_free(&io);
    return rc;
}
