/* nitrace validate: read every file strictly and report every problem (see
 * main.c's usage). The reader reports problems with file:line:col; this
 * command prints them and sums up. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Number of distinct files named by the errors (not warnings) of d. */
static size_t files_with_errors(const nt_diags *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++) {
        if (d->items[i].code == NT_OK)
            continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = d->items[j].code != NT_OK && strcmp(d->items[j].file, d->items[i].file) == 0;
        if (!seen)
            n++;
    }
    return n;
}

int cmd_validate(int argc, char **argv, const cli_cmd *self)
{
    static const struct option longs[] = {{NULL, 0, NULL, 0}};
    int opt;
    while ((opt = cli_getopt(argc, argv, "", longs, self)) != CLI_OPT_END) {
        if (opt == CLI_OPT_HELP)
            return CLI_EXIT_OK;
        if (opt == CLI_OPT_ERROR)
            return CLI_EXIT_USAGE;
        return cli_usage_error(self, "unexpected option");
    }
    if (optind >= argc)
        return cli_usage_error(self, "no INPUT given");

    size_t files = 0, problems = 0, bad_files = 0;
    int unreadable = 0;
    for (int i = optind; i < argc; i++) {
        nt_diags d;
        nt_diags_init(&d);
        nt_config *c = nt_config_new();
        if (!c) {
            cli_say(NULL, "out of memory");
            return CLI_EXIT_INPUT;
        }
        size_t nf = 0;
        nt_status st = nt_read_input(c, argv[i], NULL, &d, &nf);
        cli_print_diags(&d);
        files += nf;
        size_t errors = cli_error_count(&d);
        if (st == NT_ERR_PARSE) {
            if (errors == 0) {
                cli_say("see the format in GraalVM's schemas", "%s: %s", argv[i],
                        nt_status_str(st));
                errors = 1;
                bad_files++;
            } else {
                bad_files += files_with_errors(&d);
            }
            problems += errors;
        } else if (st != NT_OK) {
            if (errors == 0)
                cli_say("check the path and its permissions", "%s: %s", argv[i],
                        nt_status_str(st));
            unreadable = 1;
        }
        nt_config_free(c);
        nt_diags_free(&d);
    }
    char nfiles[64];
    cli_plural(nfiles, sizeof nfiles, files, "file", "files");
    if (unreadable)
        return CLI_EXIT_INPUT;
    if (problems) {
        char nprob[64];
        cli_say(NULL, "%s found in %zu of %s", cli_plural(nprob, sizeof nprob, problems, "problem",
                                                          "problems"), bad_files, nfiles);
        return CLI_EXIT_FOUND;
    }
    cli_say(NULL, "%s valid", nfiles);
    return CLI_EXIT_OK;
}
