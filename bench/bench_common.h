/* Helpers shared by the benchmark programs: timing, medians, the machine
 * description written into the JSON results. */
#ifndef NT_BENCH_COMMON_H
#define NT_BENCH_COMMON_H

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "nitrace/error.h"

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts a copy). n must be > 0. */
static inline double bench_median(const double *v, size_t n)
{
    double tmp[64];
    size_t m = n < 64 ? n : 64;
    memcpy(tmp, v, m * sizeof *v);
    qsort(tmp, m, sizeof *tmp, bench_cmp_double);
    return m % 2 ? tmp[m / 2] : (tmp[m / 2 - 1] + tmp[m / 2]) / 2.0;
}

static inline void bench_print_diags(const nt_diags *d)
{
    char buf[2048];
    for (size_t i = 0; i < d->count; i++) {
        nt_error_format(&d->items[i], buf, sizeof buf);
        fprintf(stderr, "%s\n", buf);
    }
}

/* {"cpus": N, "machine": "x86_64", "kernel": "...", "date": "2026-...Z",
 *  "loadavg_1min": L} (the load when the results were written: other work on
 *  the machine inflates timings) */
static inline json_t *bench_machine_json(void)
{
    struct utsname u;
    char date[64] = "";
    time_t t = time(NULL);
    struct tm tm;
    if (gmtime_r(&t, &tm) != NULL)
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (uname(&u) != 0)
        memset(&u, 0, sizeof u);
    double load[1] = {-1.0};
    if (getloadavg(load, 1) != 1)
        load[0] = -1.0;
    return json_pack("{s:I, s:s, s:s, s:s, s:f}", "cpus", (json_int_t)sysconf(_SC_NPROCESSORS_ONLN),
                     "machine", u.machine, "kernel", u.release, "date", date, "loadavg_1min",
                     load[0]);
}

/* mkdir -p for one level below an existing parent; 0 on success or exists. */
static inline int bench_mkdir(const char *path)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST)
        return 0;
    fprintf(stderr, "bench: mkdir %s: %s\n", path, strerror(errno));
    return -1;
}

/* Write a JSON document to path (2-space indent, sorted keys, trailing newline). */
static inline int bench_write_json(const char *path, json_t *doc)
{
    if (json_dump_file(doc, path, JSON_INDENT(2) | JSON_SORT_KEYS) != 0) {
        fprintf(stderr, "bench: cannot write %s\n", path);
        return -1;
    }
    FILE *f = fopen(path, "a");
    if (f != NULL) {
        fputc('\n', f);
        fclose(f);
    }
    return 0;
}

#endif
