/* Check mode of the agent (see check.h): configs read at start, readable
 * stack frames captured on first sightings, the report computed by
 * lib/check.c at every periodic write and at exit. */
#include "check.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent_priv.h"
#include "nitrace/check.h"
#include "nitrace/io.h"
#include "nitrace/map.h"
#include "nitrace/ops.h"

static int check_on;
static nt_config *cfg;
static nt_checker *checker;
static nt_check_opts copts;
static const char **bt_packages;
static unsigned long last_gen;
static int have_run;
static nt_map logged;          /* entries already logged */
static int caps_lines, caps_source;

int nt_agent_check_on(void)
{
    return check_on;
}

int nt_agent_check_open(const nt_agent_opts *o, const struct nt_filter_set *filters, nt_diags *d)
{
    cfg = nt_config_new();
    if (!cfg) {
        nt_diag_add(d, NT_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < o->check_configs.n; i++) {
        const char *dir = o->check_configs.v[i];
        nt_config *one = nt_config_new();
        size_t files = 0;
        nt_status st = one ? nt_read_input(one, dir, NULL, d, &files) : NT_ERR_NOMEM;
        if (st == NT_OK && files == 0)
            st = nt_diag_add(d, NT_ERR_IO, dir, 0, 0,
                             "give a directory holding reflect-config.json & co or "
                             "reachability-metadata.json",
                             "check-config: no config file found in %s", dir);
        if (st == NT_OK)
            st = nt_config_union(cfg, one);
        nt_config_free(one);
        if (st != NT_OK) {
            if (d && d->count == d->warnings)
                nt_diag_add(d, st, dir, 0, 0, NULL, "check-config: cannot read %s", dir);
            return -1;
        }
    }
    nt_config_normalize(cfg);
    nt_check_opts_init(&copts);
    copts.filters = filters;
    copts.build_time.build_time_all = o->check_bt_all;
    copts.build_time.build_time_clojure = o->check_bt_clojure;
    if (o->check_bt_packages.n) {
        bt_packages = calloc(o->check_bt_packages.n, sizeof *bt_packages);
        if (!bt_packages) {
            nt_diag_add(d, NT_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
            return -1;
        }
        for (size_t i = 0; i < o->check_bt_packages.n; i++)
            bt_packages[i] = o->check_bt_packages.v[i];
        copts.build_time.build_time_packages = bt_packages;
        copts.build_time.n_build_time_packages = o->check_bt_packages.n;
    }
    checker = nt_checker_new(cfg, &copts);
    if (!checker) {
        nt_diag_add(d, NT_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
        return -1;
    }
    nt_map_init(&logged);
    check_on = 1;
    return 0;
}

void nt_agent_check_caps(jvmtiEnv *jvmti)
{
    jvmtiCapabilities have, want;
    memset(&want, 0, sizeof want);
    if ((*jvmti)->GetPotentialCapabilities(jvmti, &have) != JVMTI_ERROR_NONE)
        return;
    want.can_get_line_numbers = have.can_get_line_numbers;
    want.can_get_source_file_name = have.can_get_source_file_name;
    if ((*jvmti)->AddCapabilities(jvmti, &want) == JVMTI_ERROR_NONE) {
        caps_lines = want.can_get_line_numbers;
        caps_source = want.can_get_source_file_name;
    }
}

/* ---- frames ----------------------------------------------------------------------------- */

/* "cls.method(File.java" per jmethodID (valid for the life of the class); never freed:
 * bounded by the methods seen on first sightings. */
static pthread_mutex_t names_mu = PTHREAD_MUTEX_INITIALIZER;
static nt_map names;

static const char *method_head(jvmtiEnv *jvmti, jmethodID m)
{
    char key[32];
    snprintf(key, sizeof key, "%p", (void *)m);
    pthread_mutex_lock(&names_mu);
    const char *h = nt_map_get(&names, key);
    pthread_mutex_unlock(&names_mu);
    if (h)
        return h;
    jclass cls = NULL;
    char *sig = NULL, *name = NULL, *src = NULL;
    char cname[512] = "?";
    if ((*jvmti)->GetMethodDeclaringClass(jvmti, m, &cls) == JVMTI_ERROR_NONE && cls) {
        if ((*jvmti)->GetClassSignature(jvmti, cls, &sig, NULL) == JVMTI_ERROR_NONE && sig) {
            const char *s = sig;
            size_t len = strlen(s);
            if (len >= 2 && s[0] == 'L' && s[len - 1] == ';') {
                s++;
                len -= 2;
            }
            if (len >= sizeof cname)
                len = sizeof cname - 1;
            for (size_t i = 0; i < len; i++)
                cname[i] = s[i] == '/' ? '.' : s[i] == '.' ? '/' : s[i];
            cname[len] = '\0';
            (*jvmti)->Deallocate(jvmti, (unsigned char *)sig);
        }
        if (caps_source && (*jvmti)->GetSourceFileName(jvmti, cls, &src) != JVMTI_ERROR_NONE)
            src = NULL;
        JNIEnv *env = NULL;
        if ((*nt_g.vm)->GetEnv(nt_g.vm, (void **)&env, JNI_VERSION_1_6) == JNI_OK && env)
            (*env)->DeleteLocalRef(env, cls);
    }
    if ((*jvmti)->GetMethodName(jvmti, m, &name, NULL, NULL) != JVMTI_ERROR_NONE)
        name = NULL;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s.%s(%s", cname, name ? name : "?", src ? src : "Unknown Source");
    if (name)
        (*jvmti)->Deallocate(jvmti, (unsigned char *)name);
    if (src)
        (*jvmti)->Deallocate(jvmti, (unsigned char *)src);
    char *copy = strdup(buf);
    if (!copy)
        return NULL;
    pthread_mutex_lock(&names_mu);
    const char *old = nt_map_get(&names, key);
    if (old) {
        free(copy);
        h = old;
    } else if (nt_map_put(&names, key, copy) != 0) {
        free(copy);
        h = NULL;
    } else {
        h = copy;
    }
    pthread_mutex_unlock(&names_mu);
    return h;
}

static int line_of(jvmtiEnv *jvmti, jmethodID m, jlocation loc)
{
    if (!caps_lines || loc < 0)
        return -1;
    jint n = 0;
    jvmtiLineNumberEntry *t = NULL;
    if ((*jvmti)->GetLineNumberTable(jvmti, m, &n, &t) != JVMTI_ERROR_NONE || !t)
        return -1;
    int line = -1;
    jlocation best = -1;
    for (jint i = 0; i < n; i++)
        if (t[i].start_location <= loc && t[i].start_location >= best) {
            best = t[i].start_location;
            line = t[i].line_number;
        }
    (*jvmti)->Deallocate(jvmti, (unsigned char *)t);
    return line;
}

/* The per-thread buffer is on the heap (a pthread key frees it when the thread ends): the
 * library's static TLS block must stay small, or the JVM cannot load it. */
#define FRAMES_BUF_SIZE (NT_CHECK_MAX_FRAMES * 600)
static pthread_key_t frames_key;
static pthread_once_t frames_once = PTHREAD_ONCE_INIT;
static int frames_key_ok;

static void frames_key_init(void)
{
    frames_key_ok = pthread_key_create(&frames_key, free) == 0;
}

const char *nt_agent_check_frames(jvmtiEnv *jvmti, const jvmtiFrameInfo *frames, int count)
{
    pthread_once(&frames_once, frames_key_init);
    if (!frames_key_ok)
        return NULL;
    char *frames_buf = pthread_getspecific(frames_key);
    if (!frames_buf) {
        frames_buf = malloc(FRAMES_BUF_SIZE);
        if (!frames_buf || pthread_setspecific(frames_key, frames_buf) != 0) {
            free(frames_buf);
            return NULL;
        }
    }
    size_t used = 0;
    frames_buf[0] = '\0';
    for (int i = 0; i < count && i < NT_CHECK_MAX_FRAMES; i++) {
        const char *h = method_head(jvmti, frames[i].method);
        if (!h)
            continue;
        char line[600];
        int ln = line_of(jvmti, frames[i].method, frames[i].location);
        jboolean native = JNI_FALSE;
        (*jvmti)->IsMethodNative(jvmti, frames[i].method, &native);
        if (native)
            snprintf(line, sizeof line, "%.500s", h);
        else if (ln >= 0)
            snprintf(line, sizeof line, "%.500s:%d)", h, ln);
        else
            snprintf(line, sizeof line, "%.500s)", h);
        if (native) {
            /* "cls.m(File" -> "cls.m(Native Method)" */
            char *paren = strrchr(line, '(');
            if (paren)
                snprintf(paren, sizeof line - (size_t)(paren - line), "(Native Method)");
        }
        size_t l = strlen(line);
        if (used + l + 2 > FRAMES_BUF_SIZE)
            break;
        if (used)
            frames_buf[used++] = '\n';
        memcpy(frames_buf + used, line, l + 1);
        used += l;
    }
    return used ? frames_buf : NULL;
}

/* ---- the report ----------------------------------------------------------------------- */

static void log_diag_list(const nt_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char line[2048];
        nt_error_format(&d->items[i], line, sizeof line);
        nt_log("%s", strncmp(line, "nitrace: ", 9) == 0 ? line + 9 : line);
    }
}

void nt_agent_check_write(nt_recorder *r, int force, int final)
{
    if (!check_on || !r)
        return;
    unsigned long gen = nt_recorder_generation(r);
    if (!force && have_run && gen == last_gen)
        return;
    nt_check_report rep;
    nt_check_report_init(&rep);
    nt_diags d;
    nt_diags_init(&d);
    nt_status st = nt_checker_run(checker, r, &rep, &d);
    if (st != NT_OK) {
        log_diag_list(&d);
        nt_diags_free(&d);
        return;
    }
    have_run = 1;
    last_gen = gen;
    for (size_t i = 0; i < rep.n; i++) {
        const nt_check_item *it = &rep.items[i];
        if (nt_map_get(&logged, it->entry))
            continue;
        nt_map_put(&logged, it->entry, (void *)1);
        nt_log("check: not covered: %s (caller %s%s%s)", it->entry,
               it->caller ? it->caller : "none", it->frames.n ? ", at " : "",
               it->frames.n ? it->frames.v[0] : "");
    }
    const nt_agent_opts *o = &nt_g.opts;
    if (o->check_report) {
        char *json = nt_check_report_json(&rep, (const char *const *)o->check_configs.v,
                                          o->check_configs.n);
        if (!json)
            nt_diag_add(&d, NT_ERR_NOMEM, "", 0, 0, NULL, "out of memory writing the report");
        else
            nt_atomic_write(o->check_report, json, strlen(json), &d);
        free(json);
    }
    /* each distinct problem once (the report is rewritten at every period) */
    for (size_t i = 0; i < d.count; i++) {
        char line[2048];
        nt_error_format(&d.items[i], line, sizeof line);
        if (nt_map_get(&logged, line))
            continue;
        nt_map_put(&logged, line, (void *)1);
        nt_log("%s", strncmp(line, "nitrace: ", 9) == 0 ? line + 9 : line);
    }
    size_t uncovered = rep.n;
    if (final) {
        if (uncovered)
            nt_log("check: %zu %s not covered by the checked config (%zu events checked)%s%s",
                   uncovered, uncovered == 1 ? "entry is" : "entries are", rep.checked,
                   o->check_report ? "; report: " : "", o->check_report ? o->check_report : "");
        else
            nt_log("check: every run-time access is covered (%zu events checked, %zu seen only "
                   "at build time)", rep.checked, rep.build_time);
    }
    nt_check_report_free(&rep);
    nt_diags_free(&d);
    if (final && uncovered && o->check_fail_exit) {
        fflush(NULL);
        _exit(1);
    }
}
