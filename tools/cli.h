/* nitrace CLI: shared declarations of the subcommands (tools/cmd_*.c) and
 * their helpers (tools/cli_common.c). Each subcommand is a thin layer over
 * lib/: it parses its options, reads inputs, calls the core, prints. */
#ifndef NITRACE_CLI_H
#define NITRACE_CLI_H

#include <getopt.h>
#include <stddef.h>

#include "nitrace/error.h"
#include "nitrace/io.h"
#include "nitrace/model.h"

/* Exit codes (documented in `nitrace --help`). */
enum {
    CLI_EXIT_OK = 0,       /* ok */
    CLI_EXIT_FOUND = 1,    /* differences or problems found */
    CLI_EXIT_USAGE = 2,    /* usage error */
    CLI_EXIT_INPUT = 3,    /* unreadable or invalid input */
    CLI_EXIT_OUTPUT = 4    /* cannot write output */
};

typedef struct cli_cmd cli_cmd;
typedef int (*cli_cmd_fn)(int argc, char **argv, const cli_cmd *self);

/* One entry of main.c's dispatch table. argv[0] is the command's name. */
struct cli_cmd {
    const char *name;
    cli_cmd_fn run;
    const char *summary;   /* one line, for `nitrace --help` */
    const char *usage;     /* full usage text, for `nitrace help CMD` */
};

int cmd_merge(int argc, char **argv, const cli_cmd *self);
int cmd_subtract(int argc, char **argv, const cli_cmd *self);
int cmd_diff(int argc, char **argv, const cli_cmd *self);
int cmd_stats(int argc, char **argv, const cli_cmd *self);
int cmd_validate(int argc, char **argv, const cli_cmd *self);
int cmd_prune(int argc, char **argv, const cli_cmd *self);
int cmd_check(int argc, char **argv, const cli_cmd *self);
int cmd_jni_scan(int argc, char **argv, const cli_cmd *self);

/* ---- usage errors and diagnostics ------------------------------------- */

/* Print the command's usage text to stdout. */
void cli_print_usage(const cli_cmd *self);
/* Print "nitrace: CMD: WHAT (run 'nitrace help CMD' for usage)" to stderr and
 * return CLI_EXIT_USAGE. */
int cli_usage_error(const cli_cmd *self, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Print one line "nitrace: WHAT (HINT)" to stderr (hint may be NULL). */
void cli_say(const char *hint, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print every diagnostic of d to stderr, in order, with nt_error_format.
 * Warnings come out as "nitrace: warning: ...". */
void cli_print_diags(const nt_diags *d);
/* Number of errors (not warnings) in d. */
size_t cli_error_count(const nt_diags *d);

/* ---- option parsing --------------------------------------------------- */

/* Option values returned by cli_getopt besides the caller's own. */
enum {
    CLI_OPT_END = -1,       /* no more options; positional args from optind */
    CLI_OPT_HELP = 0x1000,  /* --help / -h given: usage printed, exit 0 */
    CLI_OPT_ERROR = 0x1001, /* usage error printed, exit 2 */
    /* filter options shared by the commands that read inputs */
    CLI_OPT_CALLER_FILTER = 0x1100,
    CLI_OPT_ACCESS_FILTER,
    CLI_OPT_NO_BUILTIN_CALLER,
    CLI_OPT_NO_BUILTIN_HEURISTIC
};

/* getopt_long with nitrace's messages: shortopts without a leading ':'
 * ("o:" ...), longopts terminated by a zero entry. -h and --help are added by
 * this function. Unknown options and missing arguments print a usage error. */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts,
               const cli_cmd *self);

/* The long options of the trace filters, for building a command's longopts
 * table: CLI_FILTER_LONGOPTS expands to four struct option initialisers. */
#define CLI_FILTER_LONGOPTS                                                     \
    {"caller-filter-file", required_argument, NULL, CLI_OPT_CALLER_FILTER},     \
    {"access-filter-file", required_argument, NULL, CLI_OPT_ACCESS_FILTER},     \
    {"no-builtin-caller-filter", no_argument, NULL, CLI_OPT_NO_BUILTIN_CALLER}, \
    {"no-builtin-heuristic-filter", no_argument, NULL, CLI_OPT_NO_BUILTIN_HEURISTIC}

#define CLI_FILTER_USAGE                                                              \
    "trace filters (apply to trace-file inputs only, as in native-image-configure):\n" \
    "  --caller-filter-file F        add the rules of filter file F for callers\n"     \
    "                                (repeatable; applied in order, last match wins)\n" \
    "  --access-filter-file F        add the rules of filter file F for accessed\n"    \
    "                                classes (repeatable)\n"                           \
    "  --no-builtin-caller-filter    do not drop accesses made by JDK internals\n"     \
    "  --no-builtin-heuristic-filter do not drop startup and launcher noise\n"

/* How a command reads its inputs (trace filters). */
typedef struct cli_input_opts {
    nt_strv caller_filter_files;
    nt_strv access_filter_files;
    int no_builtin_caller;
    int no_builtin_heuristic;
    struct nt_filter_set *filters;   /* built by cli_input_prepare; NULL: defaults */
} cli_input_opts;

void cli_input_opts_init(cli_input_opts *o);
void cli_input_opts_free(cli_input_opts *o);
/* Handle one of the CLI_OPT_*FILTER* options. Returns 1 when opt was one. */
int cli_input_opt(cli_input_opts *o, int opt, const char *arg);
/* Build the filter set from the options (reads the filter files). Returns
 * CLI_EXIT_OK or CLI_EXIT_INPUT (diagnostics printed). */
int cli_input_prepare(cli_input_opts *o);

/* Read every path with nt_read_input into a fresh config each and union them
 * into dst (nt_config_merge). Diagnostics (warnings too) are printed.
 * *n_files (may be NULL) receives the number of files read. Returns
 * CLI_EXIT_OK, or CLI_EXIT_INPUT when an input cannot be read or is invalid. */
int cli_read_inputs(nt_config *dst, char *const *paths, size_t n, const cli_input_opts *o,
                    size_t *n_files);

/* Options shared by the commands: -o/--output DIR, --format, --json and the
 * trace filters. A command lists the ones it takes in its longopts table. */
enum { CLI_OPT_FORMAT = 0x1200, CLI_OPT_JSON };
#define CLI_OUTPUT_LONGOPT {"output", required_argument, NULL, 'o'}
#define CLI_FORMAT_LONGOPT {"format", required_argument, NULL, CLI_OPT_FORMAT}
#define CLI_JSON_LONGOPT {"json", no_argument, NULL, CLI_OPT_JSON}

typedef struct cli_args {
    const char *out;      /* -o DIR, NULL when not given */
    const char *format;   /* --format text, NULL when not given */
    nt_format fmt;        /* parsed --format (legacy when not given) */
    int json;             /* --json */
    cli_input_opts io;    /* trace filters */
} cli_args;

/* Parse a command's options into a (initialised here; free with
 * cli_args_free). Returns -1 when parsing succeeded and the positional
 * arguments start at optind; otherwise the exit code the command returns
 * (0 after --help, CLI_EXIT_USAGE after a usage error, printed). */
int cli_parse_args(int argc, char **argv, const char *shortopts, const struct option *longopts,
                   const cli_cmd *self, cli_args *a);
void cli_args_free(cli_args *a);

/* A new config holding the union of the n inputs (cli_read_inputs). On
 * failure returns NULL and sets *rc (diagnostics printed). Caller frees. */
nt_config *cli_load(char *const *paths, size_t n, const cli_input_opts *o, size_t *n_files,
                    int *rc);

/* Print root to stdout as 2-space-indented JSON in insertion order plus a
 * newline. root NULL (a failed allocation while building it) or a failed
 * dump: "out of memory" is said and -1 returned; else 0. */
struct json_t;
int cli_print_json(const struct json_t *root);
/* Write c as reachability-metadata.json to standard output (cli_common.c);
 * `what` names it in messages ("merged"). Warns about entries the combined
 * file cannot express. Returns a CLI exit code. */
int cli_write_combined_stdout(const nt_config *c, const char *what);

/* "legacy" / "combined" -> fmt. Returns 0, or -1 for anything else. */
int cli_parse_format(const char *s, nt_format *fmt);

/* Write c to dir in fmt; prints diagnostics. Returns CLI_EXIT_OK or
 * CLI_EXIT_OUTPUT. */
int cli_write_dir(const nt_config *c, const char *dir, nt_format fmt);

/* Human-readable counts of c: "42 reflection types, 3 jni types, ...", or
 * "no entries". Writes into buf (always NUL-terminated). */
void cli_describe_counts(const nt_config *c, char *buf, size_t n);

/* "1 file" / "3 files" into buf. */
const char *cli_plural(char *buf, size_t n, size_t count, const char *one, const char *many);

#endif
