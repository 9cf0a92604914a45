/* Benchmark: merge many config directories with the core library.
 *
 *   bench_merge [-r RUNS] [-m merge|direct] [-f legacy|combined] [-j JSON] INPUT_ROOT OUTDIR
 *
 * INPUT_ROOT holds the inputs (config directories or files, as bench/gen_configs.py
 * writes them); every entry of it is one input, taken in name order. One run:
 *   read    each input with nt_read_input into a fresh config,
 *   union   nt_config_union into the accumulated config (-m merge, default), or
 *           read every input straight into one config (-m direct),
 *   normalise nt_config_normalize,
 *   write   nt_write_dir into OUTDIR/run<N> (-f, default legacy, as nitrace merge).
 * Prints one table line with the median over RUNS (default 5) of the total
 * and of each phase, and entries/s (input entries / median total; the input
 * entries are counted in an untimed pass before the runs); -j writes
 * the same as JSON. Exits 1 when an input does not read. Timings are
 * reported, never judged. */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"
#include "nitrace/io.h"
#include "nitrace/model.h"
#include "nitrace/ops.h"

enum { BENCH_MAX_RUNS = 64 };

static int bench_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted paths of INPUT_ROOT's entries (dot files skipped). */
static char **bench_list_inputs(const char *root, size_t *n_out)
{
    DIR *dp = opendir(root);
    if (dp == NULL) {
        perror(root);
        return NULL;
    }
    char **v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            char **nv = realloc(v, cap * sizeof *nv);
            if (nv == NULL) {
                closedir(dp);
                return NULL;
            }
            v = nv;
        }
        size_t len = strlen(root) + strlen(de->d_name) + 2;
        v[n] = malloc(len);
        if (v[n] == NULL) {
            closedir(dp);
            return NULL;
        }
        snprintf(v[n], len, "%s/%s", root, de->d_name);
        n++;
    }
    closedir(dp);
    if (n > 1)
        qsort(v, n, sizeof *v, bench_name_cmp);
    *n_out = n;
    return v;
}

typedef struct bench_run {
    double read, merge, normalize, write, total;
    size_t out_entries;
} bench_run;

/* Sum of the inputs' entry counts (untimed pass before the runs). */
static int bench_count_inputs(char **inputs, size_t n, size_t *total)
{
    *total = 0;
    for (size_t i = 0; i < n; i++) {
        nt_diags d;
        nt_diags_init(&d);
        nt_config *c = nt_config_new();
        if (c == NULL)
            return -1;
        nt_status st = nt_read_input(c, inputs[i], NULL, &d, NULL);
        if (st != NT_OK) {
            bench_print_diags(&d);
            fprintf(stderr, "bench_merge: %s: %s\n", inputs[i], nt_status_str(st));
            return -1;
        }
        *total += nt_config_entry_count(c);
        nt_config_free(c);
        nt_diags_free(&d);
    }
    return 0;
}

static int bench_one(char **inputs, size_t n, int direct, nt_format fmt, const char *outdir,
                     bench_run *r)
{
    memset(r, 0, sizeof *r);
    nt_diags d;
    nt_diags_init(&d);
    double t_start = bench_now();
    nt_config *acc = nt_config_new();
    if (acc == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        double t0 = bench_now();
        nt_config *dst = direct ? acc : nt_config_new();
        if (dst == NULL)
            return -1;
        nt_status st = nt_read_input(dst, inputs[i], NULL, &d, NULL);
        double t1 = bench_now();
        r->read += t1 - t0;
        if (st != NT_OK) {
            bench_print_diags(&d);
            fprintf(stderr, "bench_merge: %s: %s\n", inputs[i], nt_status_str(st));
            return -1;
        }
        if (!direct) {
            double t2 = bench_now();
            st = nt_config_union(acc, dst);
            r->merge += bench_now() - t2;
            nt_config_free(dst);
            if (st != NT_OK) {
                fprintf(stderr, "bench_merge: merge %s: %s\n", inputs[i], nt_status_str(st));
                return -1;
            }
        }
    }
    double t3 = bench_now();
    nt_config_normalize(acc);
    double t4 = bench_now();
    r->normalize = t4 - t3;
    nt_status st = nt_write_dir(acc, outdir, fmt, &d);
    double t5 = bench_now();
    r->write = t5 - t4;
    r->total = t5 - t_start;
    r->out_entries = nt_config_entry_count(acc);
    if (st != NT_OK) {
        bench_print_diags(&d);
        fprintf(stderr, "bench_merge: write %s: %s\n", outdir, nt_status_str(st));
        return -1;
    }
    nt_config_free(acc);
    nt_diags_free(&d);
    return 0;
}

static void bench_usage(void)
{
    fprintf(stderr, "usage: bench_merge [-r RUNS] [-m merge|direct] [-f legacy|combined] "
                    "[-j JSON] INPUT_ROOT OUTDIR\n");
}

int main(int argc, char **argv)
{
    int runs = 5, direct = 0, opt;
    nt_format fmt = NT_FORMAT_LEGACY;
    const char *json_path = NULL;
    while ((opt = getopt(argc, argv, "r:m:f:j:")) != -1) {
        switch (opt) {
        case 'r':
            runs = atoi(optarg);
            break;
        case 'm':
            if (strcmp(optarg, "direct") == 0)
                direct = 1;
            else if (strcmp(optarg, "merge") == 0)
                direct = 0;
            else
                return bench_usage(), 2;
            break;
        case 'f':
            if (strcmp(optarg, "legacy") == 0)
                fmt = NT_FORMAT_LEGACY;
            else if (strcmp(optarg, "combined") == 0)
                fmt = NT_FORMAT_COMBINED;
            else
                return bench_usage(), 2;
            break;
        case 'j':
            json_path = optarg;
            break;
        default:
            return bench_usage(), 2;
        }
    }
    if (argc - optind != 2 || runs < 1 || runs > BENCH_MAX_RUNS)
        return bench_usage(), 2;
    const char *root = argv[optind], *outdir = argv[optind + 1];
    size_t n = 0;
    char **inputs = bench_list_inputs(root, &n);
    if (inputs == NULL || n == 0) {
        fprintf(stderr, "bench_merge: no inputs in %s\n", root);
        return 1;
    }
    if (bench_mkdir(outdir) != 0)
        return 1;
    size_t in_entries = 0;
    if (bench_count_inputs(inputs, n, &in_entries) != 0)
        return 1;

    double tot[BENCH_MAX_RUNS], rd[BENCH_MAX_RUNS], mg[BENCH_MAX_RUNS], nz[BENCH_MAX_RUNS],
        wr[BENCH_MAX_RUNS];
    bench_run r = {0};
    for (int i = 0; i < runs; i++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/run%d", outdir, i);
        if (bench_one(inputs, n, direct, fmt, dir, &r) != 0)
            return 1;
        tot[i] = r.total;
        rd[i] = r.read;
        mg[i] = r.merge;
        nz[i] = r.normalize;
        wr[i] = r.write;
    }
    double m_tot = bench_median(tot, (size_t)runs);
    double eps = m_tot > 0 ? (double)in_entries / m_tot : 0.0;
    const char *mode = direct ? "direct" : "merge";
    const char *fmt_name = fmt == NT_FORMAT_LEGACY ? "legacy" : "combined";
    printf("%-28s %6zu inputs %8zu entries -> %7zu  median %8.3f s  (read %.3f  union %.3f  "
           "normalise %.3f  write %.3f)  %10.0f entries/s  [%d runs]\n",
           direct ? "merge (lib, read-into-one)" : "merge (lib, nt_config_union)", n,
           in_entries, r.out_entries, m_tot, bench_median(rd, (size_t)runs),
           bench_median(mg, (size_t)runs), bench_median(nz, (size_t)runs),
           bench_median(wr, (size_t)runs), eps, runs);
    if (json_path != NULL) {
        json_t *runs_arr = json_array();
        for (int i = 0; i < runs; i++)
            json_array_append_new(runs_arr, json_real(tot[i]));
        json_t *doc = json_pack(
            "{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:o, s:o, s:f}",
            "benchmark", "merge", "mode", mode, "format", fmt_name, "inputs", (json_int_t)n,
            "input_entries", (json_int_t)in_entries, "output_entries",
            (json_int_t)r.out_entries, "runs", (json_int_t)runs, "median_s", m_tot,
            "median_read_s", bench_median(rd, (size_t)runs), "median_union_s",
            bench_median(mg, (size_t)runs), "median_normalize_s", bench_median(nz, (size_t)runs),
            "median_write_s", bench_median(wr, (size_t)runs), "entries_per_s", eps, "runs_s",
            runs_arr, "machine", bench_machine_json(), "target_s", 1.0);
        if (doc == NULL || bench_write_json(json_path, doc) != 0)
            return 1;
        json_decref(doc);
    }
    for (size_t i = 0; i < n; i++)
        free(inputs[i]);
    free(inputs);
    return 0;
}
