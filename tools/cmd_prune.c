/* nitrace prune: drop build-time noise from a config (see main.c's usage and
 * include/nitrace/prune.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "nitrace/io.h"
#include "nitrace/ops.h"
#include "nitrace/prune.h"
#include "nitrace/recorder.h"

int cmd_prune(int argc, char **argv, const cli_cmd *self);

enum { OPT_CLOJURE = 0x2000, OPT_BTI, OPT_EXPLAIN, OPT_RULES };

#define PRUNE_MAX_BYTES ((size_t)1 << 30)

static int read_rules(const char *path, nt_prune_rules *rules)
{
    nt_diags d;
    nt_diags_init(&d);
    char *data = NULL;
    size_t len = 0;
    nt_status st = nt_read_whole_file(path, PRUNE_MAX_BYTES, &data, &len, &d);
    if (st == NT_OK)
        st = nt_prune_rules_read(data, len, path, rules, &d);
    cli_print_diags(&d);
    nt_diags_free(&d);
    free(data);
    return st == NT_OK ? CLI_EXIT_OK : CLI_EXIT_INPUT;
}

/* DIR/.nitrace/provenance.json into *out when INPUT is a directory holding
 * one; *out stays NULL otherwise. */
static int read_provenance(const char *input, nt_recorder **out, char *path, size_t n)
{
    struct stat sb;
    *out = NULL;
    snprintf(path, n, "%s/.nitrace/provenance.json", input);
    if (stat(input, &sb) != 0 || !S_ISDIR(sb.st_mode) || stat(path, &sb) != 0)
        return CLI_EXIT_OK;
    nt_diags d;
    nt_diags_init(&d);
    char *data = NULL;
    size_t len = 0;
    nt_recorder *r = nt_recorder_new();
    nt_status st = r ? nt_read_whole_file(path, PRUNE_MAX_BYTES, &data, &len, &d) : NT_ERR_NOMEM;
    if (st == NT_OK)
        st = nt_provenance_read(data, len, path, r, &d);
    cli_print_diags(&d);
    nt_diags_free(&d);
    free(data);
    if (st != NT_OK) {
        nt_recorder_free(r);
        if (st == NT_ERR_NOMEM)
            cli_say(NULL, "out of memory");
        return CLI_EXIT_INPUT;
    }
    *out = r;
    return CLI_EXIT_OK;
}

static const char *verdict_name(nt_prune_verdict v)
{
    /* NT_PRUNE_UNRECORDED is kept too: its rule column says why */
    return v == NT_PRUNE_REMOVED ? "removed" : v == NT_PRUNE_REWRITTEN ? "rewritten" : "kept";
}

static void print_explain(FILE *f, const nt_prune_report *rep)
{
    fprintf(f, "%-9s  %-13s  %-28s  %s  |  %s\n", "VERDICT", "CATEGORY", "RULE", "ENTRY",
            "PROVENANCE");
    for (size_t i = 0; i < rep->n; i++) {
        const nt_prune_line *l = &rep->lines[i];
        fprintf(f, "%-9s  %-13s  %-28s  %s  |  %s\n", verdict_name(l->verdict), l->category,
                l->rule, l->entry,
                l->provenance[0] ? l->provenance
                                 : (rep->heuristic ? "(no provenance: name rule)" : "-"));
    }
}

/* --build-time-init=all|clojure|PKG,... into o; the strings point into arg
 * copy *buf (caller frees) and *pkgs (caller frees). */
static int parse_bti(const cli_cmd *self, const char *arg, nt_prune_opts *o, char **buf,
                     const char ***pkgs)
{
    o->build_time_all = 0;
    o->build_time_clojure = 0;
    o->n_build_time_packages = 0;
    free(*buf);
    free(*pkgs);
    *pkgs = NULL;
    *buf = strdup(arg);
    size_t cap = 1;
    for (const char *s = arg; *s; s++)
        cap += *s == ',';
    *pkgs = calloc(cap, sizeof **pkgs);
    if (!*buf || !*pkgs) {
        cli_say(NULL, "out of memory");
        return CLI_EXIT_INPUT;
    }
    size_t n = 0;
    char *save = NULL;
    size_t al = strlen(arg);
    if (al == 0 || arg[0] == ',' || arg[al - 1] == ',' || strstr(arg, ",,"))
        return cli_usage_error(self, "--build-time-init: empty item in '%s'", arg);
    for (char *tok = strtok_r(*buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "all") == 0)
            o->build_time_all = 1;
        else if (strcmp(tok, "clojure") == 0)
            o->build_time_clojure = 1;
        else if (strspn(tok, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$.") !=
                     strlen(tok) ||
                 tok[0] == '.' || tok[strlen(tok) - 1] == '.' || strstr(tok, ".."))
            return cli_usage_error(self, "--build-time-init: '%s' is not a package or class name",
                                   tok);
        else
            (*pkgs)[n++] = tok;
    }
    if (!o->build_time_all && !o->build_time_clojure && n == 0)
        return cli_usage_error(self, "--build-time-init needs all, clojure or package names");
    o->build_time_packages = *pkgs;
    o->n_build_time_packages = n;
    return -1;
}

int cmd_prune(int argc, char **argv, const cli_cmd *self)
{
    static const struct option longs[] = {
        CLI_OUTPUT_LONGOPT,
        CLI_FORMAT_LONGOPT,
        {"clojure", no_argument, NULL, OPT_CLOJURE},
        {"build-time-init", required_argument, NULL, OPT_BTI},
        {"explain", no_argument, NULL, OPT_EXPLAIN},
        {"rules", required_argument, NULL, OPT_RULES},
        {NULL, 0, NULL, 0},
    };
    nt_prune_opts po;
    nt_prune_opts_init(&po);
    po.clojure = 0;
    nt_prune_rules rules;
    nt_prune_rules_init(&rules);
    nt_prune_report rep;
    nt_prune_report_init(&rep);
    const char *out = NULL, *format = NULL;
    nt_format fmt = NT_FORMAT_LEGACY;
    int explain = 0, rc = -1, have_rules = 0;
    char *bti_buf = NULL;
    const char **bti_pkgs = NULL;
    nt_config *c = NULL;
    nt_recorder *prov = NULL;
    cli_input_opts io;
    cli_input_opts_init(&io);
    int opt;
    while (rc < 0 && (opt = cli_getopt(argc, argv, "o:", longs, self)) != CLI_OPT_END) {
        switch (opt) {
        case CLI_OPT_HELP: rc = CLI_EXIT_OK; break;
        case CLI_OPT_ERROR: rc = CLI_EXIT_USAGE; break;
        case 'o': out = optarg; break;
        case CLI_OPT_FORMAT: format = optarg; break;
        case OPT_CLOJURE: po.clojure = 1; break;
        case OPT_EXPLAIN: explain = 1; break;
        case OPT_BTI: rc = parse_bti(self, optarg, &po, &bti_buf, &bti_pkgs); break;
        case OPT_RULES:
            have_rules = 1;
            if (read_rules(optarg, &rules) != CLI_EXIT_OK)
                rc = CLI_EXIT_INPUT;
            break;
        default: rc = cli_usage_error(self, "unexpected option"); break;
        }
    }
    if (rc >= 0)
        goto done;
    if (format && cli_parse_format(format, &fmt) != 0) {
        rc = cli_usage_error(self, "unknown format '%s', expected 'legacy' or 'combined'", format);
        goto done;
    }
    if (out && !out[0]) {
        rc = cli_usage_error(self, "-o needs a directory");
        goto done;
    }
    if (!po.clojure && !have_rules) {
        rc = cli_usage_error(self, "nothing to prune with: give --clojure and/or --rules FILE");
        goto done;
    }
    if (argc - optind != 1) {
        rc = cli_usage_error(self, argc == optind ? "no INPUT given" : "give exactly one INPUT");
        goto done;
    }
    po.user_rules = rules.v;
    po.n_user_rules = rules.n;
    const char *input = argv[optind];
    int lrc = CLI_EXIT_OK;
    c = cli_load(argv + optind, 1, &io, NULL, &lrc);
    if (!c) {
        rc = lrc;
        goto done;
    }
    char ppath[4096];
    if ((rc = read_provenance(input, &prov, ppath, sizeof ppath)) != CLI_EXIT_OK)
        goto done;
    nt_diags d;
    nt_diags_init(&d);
    nt_status st = nt_prune(c, prov, &po, &rep, &d);
    cli_print_diags(&d);
    nt_diags_free(&d);
    if (st != NT_OK) {
        rc = CLI_EXIT_INPUT;
        goto done;
    }
    if (out) {
        if ((rc = cli_write_dir(c, out, fmt)) != CLI_EXIT_OK)
            goto done;
        if (explain)
            print_explain(stdout, &rep);
    } else {
        if (explain)
            print_explain(stderr, &rep);
        if ((rc = cli_write_combined_stdout(c, "pruned")) != CLI_EXIT_OK)
            goto done;
    }
    size_t removed = 0, kept = 0, rewritten = 0, unrec = 0;
    for (size_t i = 0; i < rep.n; i++) {
        if (rep.lines[i].verdict == NT_PRUNE_REMOVED)
            removed++;
        else if (rep.lines[i].verdict == NT_PRUNE_KEPT)
            kept++;
        else if (rep.lines[i].verdict == NT_PRUNE_UNRECORDED)
            unrec++;
        else
            rewritten++;
    }
    char counts[1024];
    cli_describe_counts(c, counts, sizeof counts);
    if (prov)
        cli_say(NULL, "pruned %s with provenance (%zu events replayed): %zu of %zu entries left "
                "(%zu removals, %zu rewrites, %zu kept against a name rule): %s -> %s",
                input, rep.events, rep.after, rep.before, removed, rewritten, kept, counts,
                out ? out : "standard output");
    else
        cli_say("record with the nitrace agent to prune from provenance",
                "pruned %s by name rules only: the result is HEURISTIC (no %s): %zu of %zu "
                "entries left (%zu removals, %zu rewrites): %s -> %s",
                input, ".nitrace/provenance.json", rep.after, rep.before, removed, rewritten,
                counts, out ? out : "standard output");
    if (prov && unrec)
        cli_say("merged in from another source, or let through by the recording's filter "
                "files; --explain lists them: rule not-recorded",
                "%s: %zu %s that no recorded event registers %s kept as %s", input, unrec,
                unrec == 1 ? "entry or member" : "entries or members", unrec == 1 ? "was" : "were",
                unrec == 1 ? "it is" : "they are");
    rc = CLI_EXIT_OK;
done:
    nt_recorder_free(prov);
    nt_config_free(c);
    nt_prune_report_free(&rep);
    nt_prune_rules_free(&rules);
    cli_input_opts_free(&io);
    free(bti_buf);
    free(bti_pkgs);
    return rc;
}
