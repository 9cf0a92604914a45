/* Benchmark: write one large config (the agent's periodic write).
 *
 *   bench_write [-r RUNS] [-j JSON] CONFIG OUTDIR
 *
 * Reads CONFIG (a config directory or file, e.g. the 10 000-entry directory
 * bench/gen_configs.py writes as single/), then times, median over RUNS
 * (default 11):
 *   nt_write_dir   legacy and combined format, each run into a fresh
 *                  OUTDIR/<format>-run<N> (atomic writes with fsync included);
 *   nt_write_string of each kind (serialisation alone, no I/O).
 * Prints one table line per measurement; -j writes them as JSON. The agent
 * issue's target is <= 50 ms for a 10 000-entry write; it is reported, never
 * judged. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"
#include "nitrace/io.h"
#include "nitrace/model.h"

enum { BENCH_MAX_RUNS = 64 };

static const nt_file_kind bench_kinds[] = {
    NT_FILE_REFLECT,       NT_FILE_JNI,        NT_FILE_RESOURCE, NT_FILE_PROXY,
    NT_FILE_SERIALIZATION, NT_FILE_PREDEFINED, NT_FILE_COMBINED,
};

static json_t *bench_result(const char *name, size_t entries, const double *t, int runs)
{
    double med = bench_median(t, (size_t)runs);
    json_t *arr = json_array();
    for (int i = 0; i < runs; i++)
        json_array_append_new(arr, json_real(t[i]));
    printf("%-44s %8zu entries  median %8.2f ms  %10.0f entries/s  [%d runs]\n", name, entries,
           med * 1e3, med > 0 ? (double)entries / med : 0.0, runs);
    return json_pack("{s:s, s:I, s:f, s:f, s:o}", "name", name, "entries", (json_int_t)entries,
                     "median_ms", med * 1e3, "entries_per_s",
                     med > 0 ? (double)entries / med : 0.0, "runs_s", arr);
}

int main(int argc, char **argv)
{
    int runs = 11, opt;
    const char *json_path = NULL;
    while ((opt = getopt(argc, argv, "r:j:")) != -1) {
        if (opt == 'r')
            runs = atoi(optarg);
        else if (opt == 'j')
            json_path = optarg;
        else
            goto usage;
    }
    if (argc - optind != 2 || runs < 1 || runs > BENCH_MAX_RUNS)
        goto usage;
    const char *input = argv[optind], *outdir = argv[optind + 1];

    nt_diags d;
    nt_diags_init(&d);
    nt_config *c = nt_config_new();
    if (c == NULL)
        return 1;
    nt_status st = nt_read_input(c, input, NULL, &d, NULL);
    if (st != NT_OK) {
        bench_print_diags(&d);
        fprintf(stderr, "bench_write: %s: %s\n", input, nt_status_str(st));
        return 1;
    }
    size_t entries = nt_config_entry_count(c);
    if (bench_mkdir(outdir) != 0)
        return 1;

    json_t *results = json_array();
    static const struct {
        const char *name;
        const char *dir;
        nt_format fmt;
    } formats[] = {
        {"write_dir (legacy)", "legacy", NT_FORMAT_LEGACY},
        {"write_dir (combined)", "combined", NT_FORMAT_COMBINED},
    };
    double t[BENCH_MAX_RUNS];
    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
        for (int i = 0; i < runs; i++) {
            char dir[4096];
            snprintf(dir, sizeof dir, "%s/%s-run%d", outdir, formats[f].dir, i);
            double t0 = bench_now();
            st = nt_write_dir(c, dir, formats[f].fmt, &d);
            t[i] = bench_now() - t0;
            if (st != NT_OK) {
                bench_print_diags(&d);
                fprintf(stderr, "bench_write: %s: %s\n", dir, nt_status_str(st));
                return 1;
            }
        }
        json_array_append_new(results, bench_result(formats[f].name, entries, t, runs));
    }
    for (size_t k = 0; k < sizeof bench_kinds / sizeof bench_kinds[0]; k++) {
        for (int i = 0; i < runs; i++) {
            double t0 = bench_now();
            char *s = nt_write_string(c, bench_kinds[k], &d);
            t[i] = bench_now() - t0;
            if (s == NULL) {
                bench_print_diags(&d);
                return 1;
            }
            free(s);
        }
        char name[64];
        snprintf(name, sizeof name, "write_string (%s)", nt_file_kind_name(bench_kinds[k]));
        json_array_append_new(results, bench_result(name, entries, t, runs));
    }

    if (json_path != NULL) {
        json_t *doc = json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:f}", "benchmark", "write",
                                "input", input, "entries", (json_int_t)entries, "runs",
                                (json_int_t)runs, "results", results, "machine",
                                bench_machine_json(), "target_ms", 50.0);
        if (doc == NULL || bench_write_json(json_path, doc) != 0)
            return 1;
        json_decref(doc);
    } else {
        json_decref(results);
    }
    nt_config_free(c);
    nt_diags_free(&d);
    return 0;
usage:
    fprintf(stderr, "usage: bench_write [-r RUNS] [-j JSON] CONFIG OUTDIR\n");
    return 2;
}
