/* Unit tests for the sink (lib/sink.c): real files in mkdtemp directories. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nitrace/io.h"
#include "nitrace/ops.h"
#include "nitrace/recorder.h"
#include "nitrace/sink.h"
#include "nitrace/trace.h"
#include "nt_test.h"

static char base[64];

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static void rm_rf(const char *p)
{
    nftw(p, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

static char *path_of(const char *rel)
{
    static char bufs[8][512];
    static int k;
    char *b = bufs[k++ % 8];
    snprintf(b, 512, "%s/%s", base, rel);
    return b;
}

static char *slurp(const char *path)
{
    char *data = NULL;
    size_t len = 0;
    if (nt_read_whole_file(path, 0, &data, &len, NULL) != NT_OK)
        return NULL;
    return data;
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int exists(const char *path)
{
    return access(path, F_OK) == 0;
}

static int add_line(nt_recorder *r, const char *line, const nt_rec_context *ctx)
{
    nt_event *e = NULL;
    if (nt_event_parse(line, strlen(line), "test", &e, NULL) != NT_OK)
        return -2;
    int rc = nt_recorder_add(r, e, ctx);
    nt_event_free(e);
    return rc;
}

static const char LIVE[] = "{\"tracer\":\"meta\",\"event\":\"phase_change\",\"phase\":\"live\"}";

/* forName of com.example.<name> by com.example.Main. */
static void add_class(nt_recorder *r, const char *name)
{
    char line[512];
    snprintf(line, sizeof line,
             "{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\","
             "\"caller_class\":\"com.example.Main\",\"result\":true,\"args\":[\"com.example.%s\"]}",
             name);
    nt_rec_context ctx = {.caller_class = "com.example.Main", .main_phase = 1};
    NT_CHECK(add_line(r, line, &ctx) >= 0);
}

static void add_resource(nt_recorder *r, const char *name)
{
    char line[512];
    snprintf(line, sizeof line,
             "{\"tracer\":\"reflect\",\"function\":\"getResource\",\"class\":\"java.lang.ClassLoader\","
             "\"caller_class\":\"com.example.Main\",\"result\":true,\"args\":[\"%s\"]}",
             name);
    NT_CHECK(add_line(r, line, NULL) >= 0);
}

static nt_recorder *sample(void)
{
    nt_recorder *r = nt_recorder_new();
    NT_CHECK(add_line(r, LIVE, NULL) == 1);
    add_class(r, "A");
    add_class(r, "B");
    add_resource(r, "app.properties");
    NT_CHECK(add_line(r,
                      "{\"tracer\":\"reflect\",\"function\":\"newProxyInstance\",\"caller_class\":"
                      "\"com.example.Main\",\"result\":true,\"args\":[\"\\u0000\",[\"com.example.Api\"],"
                      "\"\\u0000\"]}",
                      NULL) == 1);
    return r;
}

static const nt_file_kind LEGACY[] = {NT_FILE_REFLECT, NT_FILE_JNI, NT_FILE_RESOURCE,
                                      NT_FILE_PROXY, NT_FILE_SERIALIZATION, NT_FILE_PREDEFINED};
#define N_LEGACY (sizeof LEGACY / sizeof LEGACY[0])

/* Every legacy file in dir holds exactly nt_write_string(expected). */
static void check_dir_equals(const char *dir, const nt_config *expected)
{
    for (size_t i = 0; i < N_LEGACY; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", dir, nt_file_kind_name(LEGACY[i]));
        char *want = nt_write_string(expected, LEGACY[i], NULL);
        char *got = slurp(p);
        NT_CHECK_STR(got, want);
        free(want);
        free(got);
    }
}

/* What the sink should write: the recorder's config, omit subtracted, normalized. */
static nt_config *expected_config(nt_recorder *r, const nt_config *omit)
{
    nt_config *c = nt_config_new();
    NT_CHECK(nt_recorder_build(r, c, NULL, NULL) == NT_OK);
    if (omit)
        NT_CHECK(nt_config_subtract(c, omit) == NT_OK);
    nt_config_normalize(c);
    return c;
}

static size_t count_code(const nt_diags *d, nt_status code)
{
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++)
        n += d->items[i].code == code;
    return n;
}

static void print_diags(const nt_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char buf[2048];
        nt_error_format(&d->items[i], buf, sizeof buf);
        fprintf(stderr, "  diag: %s\n", buf);
    }
}

/* ---- config-output-dir ------------------------------------------------------ */

static void test_output_dir(void)
{
    nt_recorder *r = sample();
    const char *dir = path_of("out/deep/cfg");
    nt_sink_opts o = {.dir = dir, .format = NT_FORMAT_LEGACY};
    nt_diags d;
    nt_diags_init(&d);
    nt_sink *s = nt_sink_open(&o, &d);
    NT_CHECK(s != NULL);
    print_diags(&d);
    NT_CHECK(d.count == 0);
    /* .lock holds our PID */
    char lock[600];
    snprintf(lock, sizeof lock, "%s/.lock", dir);
    char *pid = slurp(lock);
    char want_pid[32];
    snprintf(want_pid, sizeof want_pid, "%ld", (long)getpid());
    NT_CHECK_STR(pid, want_pid);
    free(pid);

    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_OK);
    print_diags(&d);
    NT_CHECK(d.count == 0);
    nt_config *exp = expected_config(r, NULL);
    NT_CHECK(exp->reflection.count == 3 && exp->n_resources == 1);   /* A, B, the proxy */
    check_dir_equals(dir, exp);
    char prov_path[600];
    snprintf(prov_path, sizeof prov_path, "%s/.nitrace/provenance.json", dir);
    char *prov = slurp(prov_path);
    char *want_prov = nt_recorder_provenance_json(r);
    NT_CHECK_STR(prov, want_prov);
    free(prov);
    free(want_prov);

    /* unchanged recorder: no write unless forced */
    char reflect[600];
    snprintf(reflect, sizeof reflect, "%s/reflect-config.json", dir);
    NT_CHECK(unlink(reflect) == 0);
    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_OK);
    NT_CHECK(!exists(reflect));
    NT_CHECK(nt_sink_flush(s, r, 1, &d) == NT_OK);
    NT_CHECK(exists(reflect));
    /* a change is written */
    NT_CHECK(unlink(reflect) == 0);
    add_class(r, "C");
    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_OK);
    nt_config_free(exp);
    exp = expected_config(r, NULL);
    NT_CHECK(exp->reflection.count == 4);
    check_dir_equals(dir, exp);

    /* a second sink on the same directory is refused while we hold it */
    nt_diags d2;
    nt_diags_init(&d2);
    NT_CHECK(nt_sink_open(&o, &d2) == NULL);
    NT_CHECK(d2.count == 1 && d2.items[0].code == NT_ERR_REFUSED);
    NT_CHECK(d2.count == 1 && strstr(d2.items[0].msg, "is locked by process") != NULL);
    nt_diags_free(&d2);

    nt_sink_close(s);
    NT_CHECK(!exists(lock));
    NT_CHECK(d.count == 0);
    nt_config_free(exp);
    nt_diags_free(&d);
    nt_recorder_free(r);
}

static void test_output_dir_combined(void)
{
    nt_recorder *r = sample();
    const char *dir = path_of("combined");
    nt_sink_opts o = {.dir = dir, .format = NT_FORMAT_COMBINED};
    nt_diags d;
    nt_diags_init(&d);
    nt_sink *s = nt_sink_open(&o, &d);
    NT_CHECK(s && nt_sink_flush(s, r, 0, &d) == NT_OK);
    nt_config *exp = expected_config(r, NULL);
    char p[600];
    snprintf(p, sizeof p, "%s/reachability-metadata.json", dir);
    char *got = slurp(p);
    char *want = nt_write_string(exp, NT_FILE_COMBINED, NULL);
    NT_CHECK_STR(got, want);
    snprintf(p, sizeof p, "%s/reflect-config.json", dir);
    NT_CHECK(!exists(p));
    free(got);
    free(want);
    nt_config_free(exp);
    nt_sink_close(s);
    nt_diags_free(&d);
    nt_recorder_free(r);
}

/* A corrupt target in an output dir: refused, untouched, reported once. */
static void test_output_dir_corrupt_target(void)
{
    nt_recorder *r = sample();
    const char *dir = path_of("outcorrupt");
    mkdir(dir, 0777);
    char p[600];
    snprintf(p, sizeof p, "%s/reflect-config.json", dir);
    put_file(p, "[{\"name\": ");
    nt_sink_opts o = {.dir = dir, .format = NT_FORMAT_LEGACY};
    nt_diags d;
    nt_diags_init(&d);
    nt_sink *s = nt_sink_open(&o, &d);
    NT_CHECK(s && nt_sink_flush(s, r, 0, &d) == NT_ERR_REFUSED);
    NT_CHECK(count_code(&d, NT_ERR_REFUSED) == 1);
    size_t first = d.count;
    NT_CHECK(s && nt_sink_flush(s, r, 0, &d) == NT_ERR_REFUSED);
    NT_CHECK(d.count == first);
    char *text = slurp(p);
    NT_CHECK_STR(text, "[{\"name\": ");
    free(text);
    nt_sink_close(s);
    nt_diags_free(&d);
    nt_recorder_free(r);
}

/* ---- .lock -------------------------------------------------------------- */

static void test_lock_live(void)
{
    const char *dir = path_of("locked");
    mkdir(dir, 0777);
    char lock[600];
    snprintf(lock, sizeof lock, "%s/.lock", dir);
    char text[32];
    snprintf(text, sizeof text, "%ld", (long)getppid());   /* alive: it waits for us */
    put_file(lock, text);
    nt_sink_opts o = {.dir = dir};
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_sink_open(&o, &d) == NULL);
    NT_CHECK(d.count == 1);
    if (d.count == 1) {
        char want[128];
        snprintf(want, sizeof want, "is locked by process %ld, which means another agent instance",
                 (long)getppid());
        NT_CHECK(d.items[0].code == NT_ERR_REFUSED);
        NT_CHECK(strstr(d.items[0].msg, want) != NULL);
        NT_CHECK(strstr(d.items[0].msg, dir) != NULL);
        NT_CHECK(d.items[0].hint[0] != '\0');
    }
    char *after = slurp(lock);
    NT_CHECK_STR(after, text);
    free(after);
    /* a lock file that names no process is refused too */
    put_file(lock, "garbage\n");
    nt_diags_free(&d);
    nt_diags_init(&d);
    NT_CHECK(nt_sink_open(&o, &d) == NULL);
    NT_CHECK(d.count == 1 && d.items[0].code == NT_ERR_REFUSED);
    nt_diags_free(&d);
}

static void test_lock_stale(void)
{
    const char *dir = path_of("stale");
    mkdir(dir, 0777);
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    NT_CHECK(child > 0);
    waitpid(child, NULL, 0);   /* now gone */
    char lock[600];
    snprintf(lock, sizeof lock, "%s/.lock", dir);
    char text[32];
    snprintf(text, sizeof text, "%ld\n", (long)child);
    put_file(lock, text);
    nt_sink_opts o = {.dir = dir};
    nt_diags d;
    nt_diags_init(&d);
    nt_sink *s = nt_sink_open(&o, &d);
    NT_CHECK(s != NULL);
    NT_CHECK(d.count == 1 && d.warnings == 1 && strstr(d.items[0].msg, "stale") != NULL);
    char *now = slurp(lock);
    char want[32];
    snprintf(want, sizeof want, "%ld", (long)getpid());
    NT_CHECK_STR(now, want);
    free(now);
    nt_sink_close(s);
    NT_CHECK(!exists(lock));
    nt_diags_free(&d);
}

/* A lock file naming this very process: left by an earlier process with the
 * same pid (a container restarted after a kill runs java as pid 1 again) is
 * stale; the lock of another sink of this process is not. */
static void test_lock_own_pid(void)
{
    const char *dir = path_of("ownpid");
    mkdir(dir, 0777);
    char lock[600];
    snprintf(lock, sizeof lock, "%s/.lock", dir);
    char text[32];
    snprintf(text, sizeof text, "%ld\n", (long)getpid());
    put_file(lock, text);
    nt_sink_opts o = {.dir = dir};
    nt_diags d;
    nt_diags_init(&d);
    nt_sink *s = nt_sink_open(&o, &d);
    NT_CHECK(s != NULL);
    NT_CHECK(d.count == 1 && d.warnings == 1 && strstr(d.items[0].msg, "stale") != NULL &&
             strstr(d.items[0].msg, "own number") != NULL);
    /* a second sink of this process on the same directory is refused */
    nt_diags_free(&d);
    nt_diags_init(&d);
    NT_CHECK(nt_sink_open(&o, &d) == NULL);
    NT_CHECK(d.count == 1 && d.items[0].code == NT_ERR_REFUSED &&
             strstr(d.items[0].msg, "is locked by process") != NULL);
    NT_CHECK(exists(lock));
    nt_sink_close(s);
    NT_CHECK(!exists(lock));
    /* and once closed, the directory can be opened again without a warning */
    nt_diags_free(&d);
    nt_diags_init(&d);
    s = nt_sink_open(&o, &d);
    NT_CHECK(s != NULL && d.count == 0);
    nt_sink_close(s);
    nt_diags_free(&d);
}

/* An output sink and merge sinks never share a directory: the output sink
 * replaces the files at every write and would drop what a merge sink adds.
 * Whichever comes second is refused; merge sinks share. */
static void test_output_and_merge_exclusive(void)
{
    const char *dir = path_of("mixed");
    char lock[600];
    snprintf(lock, sizeof lock, "%s/.lock", dir);
    nt_sink_opts out = {.dir = dir}, mrg = {.dir = dir, .merge = 1};
    nt_diags d;
    nt_diags_init(&d);
    nt_sink *o1 = nt_sink_open(&out, &d);
    NT_CHECK(o1 != NULL && d.count == 0);
    NT_CHECK(nt_sink_open(&mrg, &d) == NULL);
    NT_CHECK(d.count == 1 && d.items[0].code == NT_ERR_REFUSED &&
             strstr(d.items[0].msg, "with config-output-dir") != NULL &&
             strstr(d.items[0].msg, dir) != NULL);
    nt_sink_close(o1);

    nt_diags_free(&d);
    nt_diags_init(&d);
    nt_sink *m1 = nt_sink_open(&mrg, &d), *m2 = nt_sink_open(&mrg, &d);
    NT_CHECK(m1 != NULL && m2 != NULL && d.count == 0);
    NT_CHECK(nt_sink_open(&out, &d) == NULL);
    NT_CHECK(d.count == 1 && d.items[0].code == NT_ERR_REFUSED &&
             strstr(d.items[0].msg, "merged into by another JVM") != NULL);
    NT_CHECK(!exists(lock)); /* the refused output sink let its .lock go */
    nt_sink_close(m1);
    NT_CHECK(nt_sink_open(&out, &d) == NULL); /* one merge sink still open */
    nt_sink_close(m2);
    nt_diags_free(&d);
    nt_diags_init(&d);
    o1 = nt_sink_open(&out, &d);
    NT_CHECK(o1 != NULL && d.count == 0);
    nt_sink_close(o1);
    nt_diags_free(&d);
}

/* ---- config-merge-dir ------------------------------------------------------ */

static void test_merge_union_and_idempotent(void)
{
    const char *dir = path_of("merge");
    /* what an earlier run left: class Old and a resource */
    nt_recorder *old = nt_recorder_new();
    add_line(old, LIVE, NULL);
    add_class(old, "Old");
    add_class(old, "A");
    add_resource(old, "old.txt");
    nt_config *oldc = expected_config(old, NULL);
    NT_CHECK(nt_write_dir(oldc, dir, NT_FORMAT_LEGACY, NULL) == NT_OK);

    nt_recorder *r = sample();
    nt_sink_opts o = {.dir = dir, .merge = 1, .format = NT_FORMAT_LEGACY};
    nt_diags d;
    nt_diags_init(&d);
    nt_sink *s = nt_sink_open(&o, &d);
    NT_CHECK(s != NULL);
    char lock[600];
    snprintf(lock, sizeof lock, "%s/.lock", dir);
    NT_CHECK(!exists(lock));   /* merge dirs are shared: no .lock */
    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_OK);
    print_diags(&d);
    NT_CHECK(d.count == 0);
    nt_config *exp = expected_config(r, NULL);
    NT_CHECK(nt_config_merge(exp, oldc) == NT_OK);
    NT_CHECK(exp->reflection.count == 4 && exp->n_resources == 2);
    check_dir_equals(dir, exp);

    /* flushing again and again changes nothing */
    char *before[N_LEGACY + 1];
    char prov_path[600];
    snprintf(prov_path, sizeof prov_path, "%s/.nitrace/provenance.json", dir);
    for (size_t i = 0; i < N_LEGACY; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", dir, nt_file_kind_name(LEGACY[i]));
        before[i] = slurp(p);
    }
    before[N_LEGACY] = slurp(prov_path);
    for (int k = 0; k < 3; k++)
        NT_CHECK(nt_sink_flush(s, r, 1, &d) == NT_OK);
    for (size_t i = 0; i < N_LEGACY; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", dir, nt_file_kind_name(LEGACY[i]));
        char *after = slurp(p);
        NT_CHECK_STR(after, before[i]);
        free(after);
        free(before[i]);
    }
    char *after = slurp(prov_path);
    NT_CHECK_STR(after, before[N_LEGACY]);
    char *want_prov = nt_recorder_provenance_json(r);
    NT_CHECK_STR(after, want_prov);   /* the earlier run left no provenance */
    free(want_prov);
    free(after);
    free(before[N_LEGACY]);
    NT_CHECK(d.count == 0);
    nt_sink_close(s);

    /* a second run merges its provenance with the first's */
    nt_recorder *r2 = nt_recorder_new();
    add_line(r2, LIVE, NULL);
    add_class(r2, "Second");
    s = nt_sink_open(&o, &d);
    NT_CHECK(s && nt_sink_flush(s, r2, 0, &d) == NT_OK);
    nt_sink_close(s);
    nt_recorder *u = nt_recorder_new();
    NT_CHECK(nt_recorder_merge(u, r) == NT_OK && nt_recorder_merge(u, r2) == NT_OK);
    after = slurp(prov_path);
    want_prov = nt_recorder_provenance_json(u);
    NT_CHECK_STR(after, want_prov);
    free(after);
    free(want_prov);
    nt_config *r2c = expected_config(r2, NULL);
    NT_CHECK(nt_config_merge(exp, r2c) == NT_OK);
    check_dir_equals(dir, exp);

    nt_config_free(r2c);
    nt_recorder_free(u);
    nt_recorder_free(r2);
    nt_config_free(exp);
    nt_config_free(oldc);
    nt_diags_free(&d);
    nt_recorder_free(r);
    nt_recorder_free(old);
}

static void test_merge_missing_dir(void)
{
    const char *dir = path_of("merge-new/sub");
    nt_recorder *r = sample();
    nt_sink_opts o = {.dir = dir, .merge = 1};
    nt_diags d;
    nt_diags_init(&d);
    nt_sink *s = nt_sink_open(&o, &d);
    NT_CHECK(s && nt_sink_flush(s, r, 0, &d) == NT_OK);
    NT_CHECK(d.count == 0);
    nt_config *exp = expected_config(r, NULL);
    check_dir_equals(dir, exp);
    nt_config_free(exp);
    nt_sink_close(s);
    nt_diags_free(&d);
    nt_recorder_free(r);
}

/* Child "JVM": its own classes X<id>_<i>, one more per flush. */
static int child_run(const char *dir, int id)
{
    nt_recorder *r = nt_recorder_new();
    add_line(r, LIVE, NULL);
    nt_sink_opts o = {.dir = dir, .merge = 1, .format = NT_FORMAT_LEGACY};
    nt_sink *s = nt_sink_open(&o, NULL);
    if (!s)
        return 2;
    int bad = 0;
    for (int i = 0; i < 20; i++) {
        char name[64];
        snprintf(name, sizeof name, "X%d_%d", id, i);
        add_class(r, name);
        snprintf(name, sizeof name, "res/%d/%d.txt", id, i);
        add_resource(r, name);
        if (nt_sink_flush(s, r, 0, NULL) != NT_OK)
            bad = 1;
    }
    nt_sink_close(s);
    nt_recorder_free(r);
    return bad;
}

static void test_merge_two_processes(void)
{
    const char *dir = path_of("shared");
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        if (kids[k] == 0)
            _exit(child_run(dir, k));
    }
    for (int k = 0; k < 2; k++) {
        int status = -1;
        NT_CHECK(waitpid(kids[k], &status, 0) == kids[k]);
        NT_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    /* the union of both */
    nt_recorder *all = nt_recorder_new();
    add_line(all, LIVE, NULL);
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 20; i++) {
            char name[64];
            snprintf(name, sizeof name, "X%d_%d", k, i);
            add_class(all, name);
            snprintf(name, sizeof name, "res/%d/%d.txt", k, i);
            add_resource(all, name);
        }
    nt_config *exp = expected_config(all, NULL);
    NT_CHECK(exp->reflection.count == 40 && exp->n_resources == 40);
    check_dir_equals(dir, exp);
    /* provenance: every event of both */
    char p[600];
    snprintf(p, sizeof p, "%s/.nitrace/provenance.json", dir);
    char *prov = slurp(p);
    nt_recorder *back = nt_recorder_new();
    NT_CHECK(prov && nt_provenance_read(prov, strlen(prov), p, back, NULL) == NT_OK);
    NT_CHECK(nt_recorder_event_count(back) == 81);
    char *want = nt_recorder_provenance_json(all);
    NT_CHECK_STR(prov, want);
    free(want);
    free(prov);
    nt_recorder_free(back);
    nt_config_free(exp);
    nt_recorder_free(all);
}

static void test_merge_corrupt_file(void)
{
    const char *dir = path_of("corrupt");
    mkdir(dir, 0777);
    char p[600];
    snprintf(p, sizeof p, "%s/reflect-config.json", dir);
    static const char bad[] = "[\n  {\"name\": \"a.B\",,}\n]\n";
    put_file(p, bad);
    nt_recorder *r = sample();
    nt_sink_opts o = {.dir = dir, .merge = 1};
    nt_diags d;
    nt_diags_init(&d);
    nt_sink *s = nt_sink_open(&o, &d);
    NT_CHECK(s != NULL);
    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_ERR_REFUSED);
    NT_CHECK(d.count == 1);
    if (d.count == 1) {
        NT_CHECK(d.items[0].code == NT_ERR_REFUSED);
        NT_CHECK_STR(d.items[0].file, p);
        NT_CHECK(d.items[0].line == 2);
    }
    NT_CHECK(nt_sink_flush(s, r, 1, &d) == NT_ERR_REFUSED);
    add_class(r, "New");
    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_ERR_REFUSED);
    NT_CHECK(d.count == 1);
    char *now = slurp(p);
    NT_CHECK_STR(now, bad);
    free(now);
    /* nothing else was written */
    char q[600];
    snprintf(q, sizeof q, "%s/resource-config.json", dir);
    NT_CHECK(!exists(q));
    snprintf(q, sizeof q, "%s/.nitrace/provenance.json", dir);
    NT_CHECK(!exists(q));
    /* once fixed, the next flush writes */
    put_file(p, "[]\n");
    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_OK);
    NT_CHECK(d.count == 1);
    nt_config *exp = expected_config(r, NULL);
    check_dir_equals(dir, exp);
    nt_config_free(exp);

    /* a corrupt provenance file blocks the merge the same way */
    put_file(q, "{\"version\": 1, \"events\": 7}");
    add_class(r, "Newer");
    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_ERR_REFUSED);
    NT_CHECK(d.count == 2 && d.items[1].code == NT_ERR_REFUSED);
    NT_CHECK(d.count == 2 && strcmp(d.items[1].file, q) == 0);
    now = slurp(q);
    NT_CHECK_STR(now, "{\"version\": 1, \"events\": 7}");
    free(now);
    nt_sink_close(s);
    nt_diags_free(&d);
    nt_recorder_free(r);
}

/* config-output-dir replaces its files, but never a provenance file it
 * cannot parse: nothing is written while it is there. */
static void test_output_bad_provenance(void)
{
    const char *dir = path_of("outbadprov");
    char meta[600], q[700], refl[600];
    snprintf(meta, sizeof meta, "%s/.nitrace", dir);
    snprintf(q, sizeof q, "%s/provenance.json", meta);
    snprintf(refl, sizeof refl, "%s/reflect-config.json", dir);
    mkdir(dir, 0777);
    mkdir(meta, 0777);
    put_file(q, "{bad");
    nt_recorder *r = sample();
    nt_sink_opts o = {.dir = dir};
    nt_diags d;
    nt_diags_init(&d);
    nt_sink *s = nt_sink_open(&o, &d);
    NT_CHECK(s != NULL);
    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_ERR_REFUSED);
    NT_CHECK(d.count == 1 && d.items[0].code == NT_ERR_REFUSED && strcmp(d.items[0].file, q) == 0 &&
             strstr(d.items[0].hint, "never overwrites") != NULL);
    NT_CHECK(nt_sink_flush(s, r, 1, &d) == NT_ERR_REFUSED);
    NT_CHECK(d.count == 1); /* said once */
    char *now = slurp(q);
    NT_CHECK_STR(now, "{bad");
    free(now);
    NT_CHECK(!exists(refl));
    /* once it is gone, the next flush writes, and the sink's own file is replaced later on */
    unlink(q);
    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_OK);
    NT_CHECK(exists(refl) && exists(q));
    add_class(r, "Later");
    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_OK);
    char *want = nt_recorder_provenance_json(r);
    now = slurp(q);
    NT_CHECK_STR(now, want);
    free(now);
    /* a valid file put there meanwhile is replaced too; a damaged one is not */
    put_file(q, "{\"version\": 1, \"events\": []}");
    add_class(r, "Later2");
    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_OK);
    free(want);
    want = nt_recorder_provenance_json(r);
    now = slurp(q);
    NT_CHECK_STR(now, want);
    free(now);
    free(want);
    put_file(q, "[1");
    add_class(r, "Later3");
    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_ERR_REFUSED);
    now = slurp(q);
    NT_CHECK_STR(now, "[1");
    free(now);
    nt_sink_close(s);
    nt_diags_free(&d);
    nt_recorder_free(r);
}

/* ---- config-to-omit -------------------------------------------------------- */

static void test_omit(void)
{
    const char *omit_dir = path_of("omit");
    nt_recorder *o_rec = nt_recorder_new();
    add_line(o_rec, LIVE, NULL);
    add_class(o_rec, "A");
    add_resource(o_rec, "app.properties");
    nt_config *omit = expected_config(o_rec, NULL);
    NT_CHECK(nt_write_dir(omit, omit_dir, NT_FORMAT_COMBINED, NULL) == NT_OK);

    nt_recorder *r = sample();
    const char *dir = path_of("omitted");
    const char *const omits[] = {omit_dir};
    nt_sink_opts o = {.dir = dir, .omit_dirs = omits, .n_omit = 1};
    nt_diags d;
    nt_diags_init(&d);
    nt_sink *s = nt_sink_open(&o, &d);
    NT_CHECK(s && nt_sink_flush(s, r, 0, &d) == NT_OK);
    print_diags(&d);
    nt_config *exp = expected_config(r, omit);
    NT_CHECK(exp->reflection.count == 2 && exp->n_resources == 0);
    check_dir_equals(dir, exp);
    char p[600];
    snprintf(p, sizeof p, "%s/reflect-config.json", dir);
    char *text = slurp(p);
    NT_CHECK(text && !strstr(text, "com.example.A\"") && strstr(text, "com.example.B\""));
    free(text);
    nt_sink_close(s);

    /* merge-dir subtracts as well */
    const char *mdir = path_of("omitted-merge");
    o.dir = mdir;
    o.merge = 1;
    s = nt_sink_open(&o, &d);
    NT_CHECK(s && nt_sink_flush(s, r, 0, &d) == NT_OK);
    check_dir_equals(mdir, exp);
    nt_sink_close(s);

    /* a missing omit dir is an error at open */
    const char *const missing[] = {path_of("no-such-dir")};
    o.omit_dirs = missing;
    nt_diags_free(&d);
    nt_diags_init(&d);
    NT_CHECK(nt_sink_open(&o, &d) == NULL);
    NT_CHECK(d.count == 1 && d.items[0].code == NT_ERR_IO);
    /* an omit dir whose file does not parse too */
    const char *badomit = path_of("badomit");
    mkdir(badomit, 0777);
    snprintf(p, sizeof p, "%s/reflect-config.json", badomit);
    put_file(p, "{");
    const char *const bads[] = {badomit};
    o.omit_dirs = bads;
    NT_CHECK(nt_sink_open(&o, &d) == NULL);
    NT_CHECK(count_code(&d, NT_ERR_PARSE) >= 1);

    nt_config_free(exp);
    nt_config_free(omit);
    nt_diags_free(&d);
    nt_recorder_free(r);
    nt_recorder_free(o_rec);
}

/* ---- trace-output ---------------------------------------------------------- */

static void check_trace_file(const char *path, nt_recorder *r)
{
    char *text = slurp(path);
    json_error_t je;
    json_t *arr = text ? json_loads(text, JSON_ALLOW_NUL, &je) : NULL;
    NT_CHECK(json_is_array(arr));
    size_t next = 0;
    char *lines = nt_recorder_trace_lines(r, 0, &next);
    NT_CHECK(json_array_size(arr) == next);
    char want[65536];
    if (next)
        snprintf(want, sizeof want, "[\n%s\n]\n", lines);
    else
        snprintf(want, sizeof want, "[\n]\n");
    NT_CHECK_STR(text, want);
    /* and it reads back as a trace into the config the recorder gives */
    nt_config *c = nt_config_new();
    NT_CHECK(text && nt_trace_read_buffer(c, text, strlen(text), path, NULL, NULL) == NT_OK);
    nt_config *exp = expected_config(r, NULL);
    NT_CHECK(nt_config_equal(c, exp));
    nt_config_free(c);
    nt_config_free(exp);
    free(lines);
    json_decref(arr);
    free(text);
}

static void test_trace_output(void)
{
    const char *path = path_of("traces/run/trace.json");
    nt_recorder *r = nt_recorder_new();
    nt_sink_opts o = {.trace_path = path};
    nt_diags d;
    nt_diags_init(&d);
    nt_sink *s = nt_sink_open(&o, &d);
    NT_CHECK(s != NULL);
    check_trace_file(path, r);
    add_line(r, "{\"tracer\":\"meta\",\"event\":\"initialization\",\"version\":\"1\"}", NULL);
    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_OK);
    check_trace_file(path, r);
    add_line(r, LIVE, NULL);
    add_class(r, "A");
    add_resource(r, "x.txt");
    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_OK);
    check_trace_file(path, r);
    for (int i = 0; i < 50; i++) {
        char name[32];
        snprintf(name, sizeof name, "T%d", i);
        add_class(r, name);
        if (i % 10 == 0) {
            NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_OK);
            check_trace_file(path, r);
        }
    }
    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_OK);
    check_trace_file(path, r);
    char *text = slurp(path);
    static const char head[] =
        "[\n{\"tracer\":\"meta\",\"event\":\"initialization\",\"version\":\"1\"},\n";
    NT_CHECK(text && strncmp(text, head, sizeof head - 1) == 0);
    free(text);
    NT_CHECK(d.count == 0);
    nt_sink_close(s);
    nt_diags_free(&d);
    nt_recorder_free(r);
}

/* ---- errors ---------------------------------------------------------------- */

static void test_unwritable(void)
{
    const char *file = path_of("plainfile");
    put_file(file, "x");
    nt_diags d;
    nt_diags_init(&d);
    nt_sink_opts o = {.dir = path_of("plainfile/cfg")};
    NT_CHECK(nt_sink_open(&o, &d) == NULL);
    NT_CHECK(d.count >= 1 && d.items[0].code == NT_ERR_WRITE);
    o.merge = 1;
    NT_CHECK(nt_sink_open(&o, &d) == NULL);
    nt_sink_opts t = {.trace_path = path_of("plainfile/t/trace.json")};
    NT_CHECK(nt_sink_open(&t, &d) == NULL);
    NT_CHECK(count_code(&d, NT_ERR_WRITE) == d.count && d.count >= 3);

    /* the directory goes away under an open sink: a diagnostic, no crash */
    const char *dir = path_of("vanishing");
    nt_sink_opts v = {.dir = dir};
    size_t before = d.count;
    nt_sink *s = nt_sink_open(&v, &d);
    NT_CHECK(s != NULL);
    rm_rf(dir);
    put_file(dir, "now a file");
    nt_recorder *r = sample();
    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_ERR_WRITE);
    NT_CHECK(d.count > before && d.items[d.count - 1].code == NT_ERR_WRITE);
    NT_CHECK(d.items[d.count - 1].file[0] != '\0');
    /* write errors are reported every time (the caller decides) */
    before = d.count;
    NT_CHECK(nt_sink_flush(s, r, 0, &d) == NT_ERR_WRITE);
    NT_CHECK(d.count > before);
    nt_sink_close(s);

    /* bad options */
    nt_sink_opts none = {0};
    NT_CHECK(nt_sink_open(&none, &d) == NULL);
    nt_sink_opts both = {.dir = path_of("x"), .trace_path = path_of("y")};
    NT_CHECK(nt_sink_open(&both, &d) == NULL);
    NT_CHECK(d.items[d.count - 1].code == NT_ERR_INVAL);
    nt_recorder_free(r);
    nt_diags_free(&d);
}

int main(void)
{
    snprintf(base, sizeof base, "/tmp/nt_sink_XXXXXX");
    if (!mkdtemp(base)) {
        perror("mkdtemp");
        return 1;
    }
    NT_RUN(test_output_dir);
    NT_RUN(test_output_dir_combined);
    NT_RUN(test_output_dir_corrupt_target);
    NT_RUN(test_lock_live);
    NT_RUN(test_lock_stale);
    NT_RUN(test_lock_own_pid);
    NT_RUN(test_output_bad_provenance);
    NT_RUN(test_output_and_merge_exclusive);
    NT_RUN(test_merge_union_and_idempotent);
    NT_RUN(test_merge_missing_dir);
    NT_RUN(test_merge_two_processes);
    NT_RUN(test_merge_corrupt_file);
    NT_RUN(test_omit);
    NT_RUN(test_trace_output);
    NT_RUN(test_unwritable);
    if (!getenv("NT_KEEP_TMP"))
        rm_rf(base);
    NT_DONE();
}
