/* nitrace CLI: entry point and dispatch table. Each subcommand lives in
 * tools/cmd_<name>.c; this file only finds it and handles the global
 * options (--help, --version, help CMD). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef NITRACE_VERSION
#define NITRACE_VERSION "0.1.0"
#endif


static const cli_cmd commands[] = {
    {"merge", cmd_merge, "union configs, config directories and trace files into one config",
     "usage: nitrace merge [-o DIR] [--format legacy|combined] [filter options] INPUT...\n"
     "\n"
     "Union the inputs (GraalVM's merge rules: flags are OR-ed, accessed methods\n"
     "beat queried ones, all* flags cover members), normalise and write the result.\n"
     "INPUT is a config file (reflect-config.json, ..., reachability-metadata.json),\n"
     "a trace file (trace-output=...), a config directory, or a tree searched for\n"
     "META-INF/native-image/** directories.\n"
     "\n"
     "options:\n"
     "  -o, --output DIR      write the config files to DIR (created if missing;\n"
     "                        existing files that do not parse are left alone)\n"
     "  --format FORMAT       with -o: 'legacy' (default) writes the six *-config.json\n"
     "                        files; 'combined' writes reachability-metadata.json\n"
     "                        plus legacy files for what it cannot express\n"
     "  -h, --help            show this help\n"
     "Without -o, reachability-metadata.json is printed to standard output.\n"
     "\n" CLI_FILTER_USAGE
     "\n"
     "exit status: 0 ok, 2 usage, 3 unreadable or invalid input, 4 cannot write output\n"},
    {"subtract", cmd_subtract, "remove from a config everything other configs cover",
     "usage: nitrace subtract -o DIR [--format legacy|combined] [filter options] BASE OMIT...\n"
     "\n"
     "Write BASE minus the union of the OMIT inputs to DIR, with GraalVM's\n"
     "config-to-omit semantics: every entry, flag and member an OMIT input covers is\n"
     "removed; a type left with nothing is removed. Inputs are as for 'merge'.\n"
     "\n"
     "options:\n"
     "  -o, --output DIR      write the config files to DIR (required)\n"
     "  --format FORMAT       'legacy' (default) or 'combined', as for 'merge'\n"
     "  -h, --help            show this help\n"
     "\n" CLI_FILTER_USAGE
     "\n"
     "exit status: 0 ok, 2 usage, 3 unreadable or invalid input, 4 cannot write output\n"},
    {"diff", cmd_diff, "show what one config adds to and removes from another",
     "usage: nitrace diff [--json] [filter options] A B\n"
     "\n"
     "Compare two inputs (as for 'merge') member by member. Each difference is one\n"
     "line: '+ CATEGORY ENTRY' when B has it and A does not, '- CATEGORY ENTRY' when\n"
     "A has it and B does not; sorted by category, then entry.\n"
     "\n"
     "options:\n"
     "  --json                print {\"added\": [...], \"removed\": [...]}, each a list of\n"
     "                        {\"category\": C, \"entries\": [...]} sorted by category\n"
     "  -h, --help            show this help\n"
     "\n" CLI_FILTER_USAGE
     "\n"
     "exit status: 0 same, 1 different, 2 usage, 3 unreadable or invalid input\n"},
    {"stats", cmd_stats, "count entries per category and per top-level package",
     "usage: nitrace stats [--json] [filter options] INPUT...\n"
     "\n"
     "Union the inputs (as for 'merge') and print the number of entries per category\n"
     "and the number of types per top-level package (most first).\n"
     "\n"
     "options:\n"
     "  --json                print the counts as a JSON object\n"
     "  -h, --help            show this help\n"
     "\n" CLI_FILTER_USAGE
     "\n"
     "exit status: 0 ok, 2 usage, 3 unreadable or invalid input\n"},
    {"validate", cmd_validate, "check config and trace files strictly, reporting every problem",
     "usage: nitrace validate INPUT...\n"
     "\n"
     "Read every file of every input (as for 'merge') strictly against GraalVM's\n"
     "formats and report each problem as FILE:LINE:COL.\n"
     "\n"
     "options:\n"
     "  -h, --help            show this help\n"
     "\n"
     "exit status: 0 all valid, 1 problems found, 2 usage, 3 an input cannot be read\n"},
    {"prune", cmd_prune, "drop build-time noise (Clojure namespace loading) from a config",
     "usage: nitrace prune [--clojure] [--build-time-init=all|clojure|PKG,...] [--explain]\n"
     "                     [--rules FILE] [-o DIR] [--format legacy|combined] INPUT\n"
     "\n"
     "Remove from INPUT (a config directory or file, as for 'merge') the entries that\n"
     "are only needed while classes initialised at build time run. When INPUT is a\n"
     "directory holding .nitrace/provenance.json (written by the nitrace agent), each\n"
     "recorded access is replayed to learn which entries, members and flags it gives:\n"
     "what was only seen before the main phase or inside the <clinit> of a class\n"
     "initialised at build time is dropped; everything seen at run time is kept, and\n"
     "method-handle lookups always are. Without provenance, name rules are applied\n"
     "and the result is reported as heuristic.\n"
     "\n"
     "options:\n"
     "  --clojure             use the built-in Clojure rules (namespace loading,\n"
     "                        runtime compiler, launcher JNI, canAccess rewrite)\n"
     "  --build-time-init=SET classes initialised at build time: 'clojure' (default:\n"
     "                        *__init classes, classes of packages holding one, and\n"
     "                        clojure.*), 'all', or a comma-separated list of packages\n"
     "                        or classes (may include 'clojure')\n"
     "  --explain             print a table of every removed or rewritten entry, of\n"
     "                        every kept entry a name rule alone would remove and of\n"
     "                        every entry no recorded event registers (rule\n"
     "                        not-recorded), with the rule and the recorded contexts\n"
     "  --rules FILE          add the rules of FILE (docs/prune-rules.md) before the\n"
     "                        built-in ones (repeatable)\n"
     "  -o, --output DIR      write the pruned config to DIR\n"
     "  --format FORMAT       with -o: 'legacy' (default) or 'combined'\n"
     "  -h, --help            show this help\n"
     "Without -o, reachability-metadata.json is printed to standard output and the\n"
     "--explain table goes to standard error.\n"
     "\n"
     "exit status: 0 ok, 2 usage, 3 unreadable or invalid input, 4 cannot write output\n"},
    {"check", cmd_check, "run a program and report the accesses a config does not cover",
     "usage: nitrace check [--build-time-init=SET] [--report FILE] [--json] [--agent LIB]\n"
     "                     CONFIGDIR... -- COMMAND [ARGS...]\n"
     "\n"
     "Run COMMAND (java ARGS..., or a script that starts java) with the nitrace agent\n"
     "in check mode: every dynamic access it makes at run time is tested against the\n"
     "union of the CONFIGDIRs as a native image built with them would test it (types,\n"
     "methods and constructors queried or invoked, fields, all*/queryAll* flags,\n"
     "resources, bundles, proxies, serialization, JNI). Accesses made only while\n"
     "classes initialised at build time run are skipped, as 'prune' drops them. Then\n"
     "print each missing entry once, with the access that needed it, its caller and\n"
     "its top 8 stack frames. For java, -agentpath is inserted after COMMAND; for\n"
     "anything else it is appended to JAVA_TOOL_OPTIONS.\n"
     "\n"
     "options:\n"
     "  --build-time-init=SET classes initialised at build time, as for 'prune':\n"
     "                        'clojure' (default), 'all', 'none' or packages/classes\n"
     "                        (comma-separated)\n"
     "  --report FILE         keep the JSON report in FILE (also written every second\n"
     "                        while the program runs)\n"
     "  --json                print the JSON report instead of the text\n"
     "  --agent LIB           the agent (default: $NITRACE_AGENT, else libnitrace.so\n"
     "                        installed next to nitrace, else the build tree's)\n"
     "  -h, --help            show this help\n"
     "\n"
     "exit status: 0 everything covered, 1 uncovered accesses, 2 usage, 3 unreadable\n"
     "config or no report (the agent did not run), 4 cannot write, 5 everything\n"
     "covered but the program failed\n"},
    {"jni-scan", cmd_jni_scan, "list the native methods a JNI library implements",
     "usage: nitrace jni-scan [--json] LIBRARY...\n"
     "\n"
     "For each ELF shared library (or executable), decode its exported Java_*\n"
     "functions per JNI's name mangling into class, method and, for overloaded\n"
     "(long) names, parameter types; and say whether it exports JNI_OnLoad and\n"
     "whether its code calls RegisterNatives (x86-64 code scan). Native methods a\n"
     "run never reached are the JNI paths its config may still miss.\n"
     "One line per library, then one per method, sorted:\n"
     "  LIB: N native methods, JNI_OnLoad exported|not exported, RegisterNatives\n"
     "       called|not called|unknown (not x86-64 code)\n"
     "    CLASS.METHOD(PARAMETER TYPES)  SYMBOL    (a long name)\n"
     "    CLASS.METHOD  SYMBOL                     (a short name: any overload)\n"
     "\n"
     "options:\n"
     "  --json                print {\"libraries\": [{\"path\", \"jniOnLoad\",\n"
     "                        \"registerNatives\" (null: unknown), \"methods\": [{\"symbol\",\n"
     "                        \"class\", \"method\", \"signature\" (null: short name)}],\n"
     "                        \"undecodable\": [{\"symbol\", \"reason\"}]}]}\n"
     "  -h, --help            show this help\n"
     "\n"
     "exit status: 0 ok, 1 a Java_* export cannot be decoded, 2 usage, 3 unreadable\n"
     "or not an ELF file\n"},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const cli_cmd *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_help(void)
{
    printf("usage: nitrace COMMAND [options] [args]\n"
           "       nitrace help COMMAND | nitrace COMMAND --help\n"
           "       nitrace --version\n"
           "\n"
           "Record and manipulate GraalVM Native Image metadata (reflect-config.json,\n"
           "reachability-metadata.json, ...).\n"
           "\n"
           "commands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        printf("  %-10s %s\n", commands[i].name, commands[i].summary);
    printf("  %-10s %s\n", "help", "show the usage of a command");
    printf("\n"
           "exit status:\n"
           "  0  ok\n"
           "  1  differences or problems found\n"
           "  2  usage error\n"
           "  3  unreadable or invalid input\n"
           "  4  cannot write output\n");
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "nitrace: no command given (run 'nitrace --help' for the list of "
                        "commands)\n");
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        print_help();
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        printf("nitrace %s\n", NITRACE_VERSION);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "help") == 0) {
        if (argc == 2) {
            print_help();
            return CLI_EXIT_OK;
        }
        const cli_cmd *cmd = find_command(argv[2]);
        if (!cmd) {
            fprintf(stderr, "nitrace: help: unknown command '%s' (run 'nitrace --help' for the "
                            "list of commands)\n", argv[2]);
            return CLI_EXIT_USAGE;
        }
        if (argc > 3) {
            fprintf(stderr, "nitrace: help: too many arguments (run 'nitrace help %s')\n",
                    cmd->name);
            return CLI_EXIT_USAGE;
        }
        cli_print_usage(cmd);
        return CLI_EXIT_OK;
    }
    if (name[0] == '-') {
        fprintf(stderr, "nitrace: unknown option '%s' (run 'nitrace --help' for usage)\n", name);
        return CLI_EXIT_USAGE;
    }
    const cli_cmd *cmd = find_command(name);
    if (!cmd) {
        fprintf(stderr, "nitrace: unknown command '%s' (run 'nitrace --help' for the list of "
                        "commands)\n", name);
        return CLI_EXIT_USAGE;
    }
    return cmd->run(argc - 1, argv + 1, cmd);
}

int main(int argc, char **argv)
{
    int rc = run(argc, argv);
    /* Whatever a command printed must reach its destination; a command that
     * already reported a write failure has said so. */
    if ((fflush(stdout) != 0 || ferror(stdout)) && rc != CLI_EXIT_OUTPUT) {
        fprintf(stderr, "nitrace: cannot write to standard output (check the pipe or disk)\n");
        rc = CLI_EXIT_OUTPUT;
    }
    return rc;
}
