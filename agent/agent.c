/* libnitrace.so entry points: option parsing, JVMTI setup, event callbacks and
 * the writer thread. The program never stops or changes behaviour because of
 * the agent: after startup, problems are logged (once) and recording goes on
 * without the part that failed, or stops (nt_fail). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent_priv.h"
#include "check.h"
#include "intercepts.h"
#include "nitrace/map.h"
#include "nitrace/sink.h"

#define EXPORT __attribute__((visibility("default")))

nt_agent nt_g;

static nt_sink *sink;
static pthread_mutex_t flush_mu = PTHREAD_MUTEX_INITIALIZER;
static int final_done;        /* the final flush has happened */
static int started;           /* Agent_OnLoad/OnAttach succeeded */

/* writer thread */
static pthread_t writer;
static int writer_running;
static pthread_mutex_t wr_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wr_cv; /* on CLOCK_MONOTONIC: a wall-clock step must not delay a write */
static int wr_stop;

/* ---- diagnostics: each distinct message once ---------------------------------------- */

static nt_map said;
static pthread_mutex_t said_mu = PTHREAD_MUTEX_INITIALIZER;

/* A write failing (full disk, directory gone) usually fails for every file and every period:
 * only the first error of a failing flush is logged, and none while the flushes keep failing
 * (a flush without errors ends that). Warnings are logged as they come, each distinct one once. */
static int flush_failing;

static void log_diags(const nt_diags *d)
{
    int errors_logged = flush_failing;
    int had_error = 0;
    for (size_t i = 0; i < d->count; i++) {
        if (d->items[i].code != NT_OK) { /* an error; NT_OK marks a warning */
            had_error = 1;
            if (errors_logged)
                continue;
            errors_logged = 1;
        }
        char line[2048];
        nt_error_format(&d->items[i], line, sizeof line);
        const char *msg = strncmp(line, "nitrace: ", 9) == 0 ? line + 9 : line;
        pthread_mutex_lock(&said_mu);
        int known = nt_map_get(&said, msg) != NULL;
        if (!known)
            nt_map_put(&said, msg, (void *)1);
        pthread_mutex_unlock(&said_mu);
        if (!known)
            nt_log("%s", msg);
    }
    flush_failing = had_error;
}

static void flush(int force)
{
    pthread_mutex_lock(&flush_mu);
    if (!final_done && nt_agent_check_on())
        nt_agent_check_write(nt_g.rec, 1, 0); /* check mode: the report at every period, no config */
    if (sink && !final_done) {
        nt_diags d;
        nt_diags_init(&d);
        nt_sink_flush(sink, nt_g.rec, force, &d);
        log_diags(&d);
        nt_diags_free(&d);
    }
    pthread_mutex_unlock(&flush_mu);
}

static void final_flush(void)
{
    pthread_mutex_lock(&flush_mu);
    if (!final_done && nt_agent_check_on()) {
        final_done = 1; /* check-fail=exit may end the process in here */
        nt_agent_check_write(nt_g.rec, 1, 1);
    }
    if (sink && !final_done) {
        nt_diags d;
        nt_diags_init(&d);
        nt_sink_flush(sink, nt_g.rec, 1, &d);
        log_diags(&d);
        nt_diags_free(&d);
        nt_sink_close(sink);
        sink = NULL;
        final_done = 1;
    }
    pthread_mutex_unlock(&flush_mu);
}

static void *writer_main(void *arg)
{
    (void)arg;
    long delay = nt_g.opts.write_initial_delay_secs;
    long period = nt_g.opts.write_period_secs;
    pthread_mutex_lock(&wr_mu);
    struct timespec when;
    clock_gettime(CLOCK_MONOTONIC, &when);
    when.tv_sec += delay;
    while (!wr_stop) {
        int rc = pthread_cond_timedwait(&wr_cv, &wr_mu, &when);
        if (wr_stop)
            break;
        if (rc == ETIMEDOUT) {
            pthread_mutex_unlock(&wr_mu);
            flush(0);
            pthread_mutex_lock(&wr_mu);
            clock_gettime(CLOCK_MONOTONIC, &when);
            when.tv_sec += period;
        }
    }
    pthread_mutex_unlock(&wr_mu);
    return NULL;
}

static void writer_start(void)
{
    if (nt_g.opts.write_period_secs <= 0 || writer_running)
        return;
    pthread_condattr_t ca;
    int ok = pthread_condattr_init(&ca) == 0;
    if (ok) {
        ok = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
             pthread_cond_init(&wr_cv, &ca) == 0;
        pthread_condattr_destroy(&ca);
    }
    if (!ok) {
        nt_log("cannot start the writer thread; configuration is written at exit only");
        return;
    }
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    if (pthread_create(&writer, &attr, writer_main, NULL) == 0)
        writer_running = 1;
    else
        nt_log("cannot start the writer thread; configuration is written at exit only");
    pthread_attr_destroy(&attr);
}

static void writer_stop(void)
{
    if (!writer_running)
        return;
    pthread_mutex_lock(&wr_mu);
    wr_stop = 1;
    pthread_cond_signal(&wr_cv);
    pthread_mutex_unlock(&wr_mu);
    pthread_join(writer, NULL);
    writer_running = 0;
}

/* ---- meta events ------------------------------------------------------------------------ */

static void meta_event(const nt_event *e)
{
    if (nt_g.rec && nt_recorder_add(nt_g.rec, e, NULL) < 0)
        nt_fail("out of memory recording a meta event");
}

static nt_event meta_init(const char *event)
{
    nt_event e;
    memset(&e, 0, sizeof e);
    e.tracer = "meta";
    e.event = event;
    e.result = -1;
    e.track = -1;
    e.builtin_caller_filter = -1;
    e.builtin_heuristic_filter = -1;
    return e;
}

static void meta(const char *event, const char *phase, const char *version, int track)
{
    nt_event e = meta_init(event);
    e.phase = phase;
    e.version = version;
    e.track = track;
    meta_event(&e);
}

/* ---- JVMTI callbacks ------------------------------------------------------------------------ */

static void go_live(jvmtiEnv *jvmti, JNIEnv *env)
{
    if (nt_g.live)
        return;
    /* The live phase begins before the hooks do: once a JDK class is
     * retransformed, another thread (a program we attach to) can make an
     * access at once, and an access recorded in the start phase would be
     * dropped by the heuristic filter and, known from then on, never recorded
     * again. */
    meta("phase_change", "live", NULL, -1);
    /* the agent's own JNI calls below must not be recorded; their local
     * references go away with the frame */
    int entered = nt_enter();
    int framed = (*env)->PushLocalFrame(env, 64) == 0;
    if (nt_hooks_init(env) != 0 || nt_hookclass_define(env) != 0) {
        nt_fail("cannot install the interception hooks");
    } else {
        nt_fastclass_define(env);
        nt_debug("Java fast path %s", nt_fastclass_ready() ? "on" : "off");
        int n = nt_intercepts_start(jvmti, env);
        nt_debug("%d JDK methods intercepted", n < 0 ? nt_intercepts_applied() : n);
    }
    if (framed)
        (*env)->PopLocalFrame(env, NULL);
    if (entered)
        nt_leave();
    nt_g.live = 1;
    writer_start();
}

static void JNICALL on_vm_start(jvmtiEnv *jvmti, JNIEnv *env)
{
    (void)env;
    meta("phase_change", "start", NULL, -1);
#ifdef NT_HAVE_JNI_TABLE
    if (nt_jni_table_install(jvmti) != 0)
        nt_log("JNI accesses are not recorded (cannot replace the JNI function table)");
#else
    (void)jvmti;
    nt_log("JNI accesses are not recorded (built without the JNI function table)");
#endif
}

static void JNICALL on_vm_init(jvmtiEnv *jvmti, JNIEnv *env, jthread thread)
{
    (void)thread;
    go_live(jvmti, env);
}

static void JNICALL on_vm_death(jvmtiEnv *jvmti, JNIEnv *env)
{
    (void)jvmti;
    (void)env;
    meta("phase_change", "dead", NULL, -1);
    writer_stop();
    final_flush();
}

/* ---- setup -------------------------------------------------------------------------------- */

static int startup_error(const char *fmt, const char *arg)
{
    fputs("nitrace: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return JNI_ERR;
}

static int diag_error(const nt_diags *d, const char *what)
{
    char line[2048];
    if (d->count > 0) {
        nt_error_format(&d->items[0], line, sizeof line);
        const char *msg = strncmp(line, "nitrace: ", 9) == 0 ? line + 9 : line;
        return startup_error("%s", msg);
    }
    return startup_error("%s", what);
}

static int setup(JavaVM *vm, const char *options, int attach)
{
    if (started)
        return startup_error("%s", "the agent is already loaded");
    char err[2048];
    memset(&nt_g, 0, sizeof nt_g);
    nt_g.vm = vm;
    if (nt_agent_opts_parse(options, (long)getpid(), time(NULL), &nt_g.opts, err, sizeof err) != 0)
        return startup_error("%s", err);
    nt_agent_opts *o = &nt_g.opts;

    nt_diags d;
    nt_diags_init(&d);
    nt_g.filters = nt_filter_set_new(o->builtin_caller_filter, o->builtin_heuristic_filter);
    if (!nt_g.filters)
        return startup_error("%s", "out of memory");
    for (size_t i = 0; i < o->caller_filter_files.n; i++)
        if (nt_filter_set_add_file(nt_g.filters, o->caller_filter_files.v[i], NT_FILTER_CALLER,
                                   &d) != NT_OK) {
            int rc = diag_error(&d, "bad caller filter file");
            nt_diags_free(&d);
            return rc;
        }
    for (size_t i = 0; i < o->access_filter_files.n; i++)
        if (nt_filter_set_add_file(nt_g.filters, o->access_filter_files.v[i], NT_FILTER_ACCESS,
                                   &d) != NT_OK) {
            int rc = diag_error(&d, "bad access filter file");
            nt_diags_free(&d);
            return rc;
        }
    nt_g.rec = nt_recorder_new();
    if (!nt_g.rec)
        return startup_error("%s", "out of memory");

    nt_sink_opts so;
    memset(&so, 0, sizeof so);
    so.dir = o->trace_output ? NULL : o->output_dir;
    so.merge = o->merge;
    so.format = o->format == NT_AGENT_FORMAT_COMBINED ? NT_FORMAT_COMBINED : NT_FORMAT_LEGACY;
    so.trace_path = o->trace_output;
    so.omit_dirs = (const char *const *)o->omit_dirs.v;
    so.n_omit = o->omit_dirs.n;
    so.filters = nt_g.filters;
    if (o->check_configs.n > 0 && nt_agent_check_open(o, nt_g.filters, &d) != 0) {
        int rc = diag_error(&d, "cannot read the configs to check against");
        nt_diags_free(&d);
        return rc;
    }
    sink = o->check_configs.n > 0 ? NULL : nt_sink_open(&so, &d); /* check mode writes no config */
    if (!sink && o->check_configs.n == 0) {
        int rc = diag_error(&d, "cannot open the output");
        nt_diags_free(&d);
        return rc;
    }
    nt_diags_free(&d);

    nt_log_open(o->log_file);
    for (size_t i = 0; i < o->notices.n; i++)
        nt_log("%s", o->notices.v[i]);
    if (o->default_output)
        nt_log("no output options provided, tracking dynamic accesses and writing configuration "
               "to directory: %s",
               o->output_dir);
    if (o->omit_from_classpath)
        nt_log("experimental-omit-config-from-classpath is not supported; ignoring it");
    if (o->class_define_support)
        nt_log("experimental-class-define-support is not supported; ignoring it");

    jvmtiEnv *jvmti = NULL;
    if ((*vm)->GetEnv(vm, (void **)&jvmti, JVMTI_VERSION_1_2) != JNI_OK || !jvmti)
        return startup_error("%s", "JVMTI 1.2 is not available");
    nt_g.jvmti = jvmti;

    jvmtiCapabilities caps;
    memset(&caps, 0, sizeof caps);
    caps.can_retransform_classes = 1;
    caps.can_generate_all_class_hook_events = 1;
    caps.can_tag_objects = 1;
    caps.can_get_bytecodes = 1;
    caps.can_get_constant_pool = 1;
    jvmtiError e = (*jvmti)->AddCapabilities(jvmti, &caps);
    if (e != JVMTI_ERROR_NONE) {
        snprintf(err, sizeof err, "JVMTI refused the capabilities the agent needs (error %d)",
                 (int)e);
        return startup_error("%s", err);
    }
    if (o->check_configs.n > 0)
        nt_agent_check_caps(jvmti); /* file:line in the report's frames */
    jvmtiEventCallbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.VMStart = on_vm_start;
    cb.VMInit = on_vm_init;
    cb.VMDeath = on_vm_death;
    cb.ClassFileLoadHook = nt_intercepts_cflh;
    if ((*jvmti)->SetEventCallbacks(jvmti, &cb, (jint)sizeof cb) != JVMTI_ERROR_NONE)
        return startup_error("%s", "cannot set JVMTI event callbacks");
    /* ClassFileLoadHook: enabled by nt_intercepts_start (agent/intercepts.c) */
    jvmtiEvent evs[] = {JVMTI_EVENT_VM_START, JVMTI_EVENT_VM_INIT, JVMTI_EVENT_VM_DEATH};
    for (size_t i = 0; i < sizeof evs / sizeof *evs; i++) {
        if (attach && (evs[i] == JVMTI_EVENT_VM_START || evs[i] == JVMTI_EVENT_VM_INIT))
            continue;
        if ((*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, evs[i], NULL) !=
            JVMTI_ERROR_NONE)
            return startup_error("%s", "cannot enable JVMTI events");
    }

#ifdef NT_HAVE_JNI_TABLE
    nt_jni_register_home(jvmti);
#endif
    nt_g.recording = 1;
    meta("initialization", NULL, "1", -1);
    meta("track_reflection_metadata", NULL, NULL, o->track_reflection_metadata ? 1 : 0);
    if (!o->trace_output) {
        /* for nitrace prune, which replays the provenance file with them (GraalVM's
         * trace format has no such event: not in trace files) */
        nt_event f = meta_init("builtin_filters");
        f.builtin_caller_filter = o->builtin_caller_filter ? 1 : 0;
        f.builtin_heuristic_filter = o->builtin_heuristic_filter ? 1 : 0;
        meta_event(&f);
    }
    started = 1;
    return JNI_OK;
}

EXPORT JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved)
{
    (void)reserved;
    return setup(vm, options, 0);
}

EXPORT JNIEXPORT jint JNICALL Agent_OnAttach(JavaVM *vm, char *options, void *reserved)
{
    (void)reserved;
    jint rc = setup(vm, options, 1);
    if (rc != JNI_OK)
        return rc;
    JNIEnv *env = NULL;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_6) != JNI_OK || !env) {
        nt_fail("no JNI environment at attach");
        return JNI_OK;
    }
    meta("phase_change", "start", NULL, -1);
#ifdef NT_HAVE_JNI_TABLE
    if (nt_jni_table_install(nt_g.jvmti) != 0)
        nt_log("JNI accesses are not recorded (cannot replace the JNI function table)");
#endif
    nt_log("attached to a running JVM: accesses made before now are not known");
    nt_g.main_phase = 1; /* the program is running: its main phase has begun */
    go_live(nt_g.jvmti, env);
    return JNI_OK;
}

EXPORT JNIEXPORT void JNICALL Agent_OnUnload(JavaVM *vm)
{
    (void)vm;
    if (!started)
        return;
    writer_stop();
    if (!final_done)
        meta("phase_change", "unload", NULL, -1);
    final_flush();
}
