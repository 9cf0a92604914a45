/* Test driver for agent/jni_table.c on a real JVM, independent of agent/agent.c: a minimal
 * JVMTI agent that installs only the JNI function-table wrappers and, at VMDeath, writes the
 * recorder's events as a GraalVM trace file to the file named by its option string.
 *   java -agentpath:libntjniprobe.so=OUT.json ...
 * It records the same meta events a trace file starts with (initialization, phase changes),
 * so `nitrace merge OUT.json` turns the trace into the config the real agent would write.
 * The recorder's provenance document goes to OUT.json.prov.json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_priv.h"

nt_agent nt_g;
static char *out_path;

static void meta(const char *event, const char *phase, const char *version)
{
    nt_event e;
    memset(&e, 0, sizeof e);
    e.tracer = "meta";
    e.event = event;
    e.phase = phase;
    e.version = version;
    e.result = -1;
    e.track = -1;
    if (nt_recorder_add(nt_g.rec, &e, NULL) < 0)
        nt_fail("probe: out of memory");
}

static void JNICALL on_start(jvmtiEnv *jvmti, JNIEnv *env)
{
    (void)env;
    if (nt_jni_table_install(jvmti) != 0)
        nt_fail("probe: nt_jni_table_install failed");
}

static void JNICALL on_init(jvmtiEnv *jvmti, JNIEnv *env, jthread thread)
{
    (void)jvmti, (void)env, (void)thread;
    meta("phase_change", "live", NULL);
    nt_g.live = 1;
}

static void JNICALL on_death(jvmtiEnv *jvmti, JNIEnv *env)
{
    (void)jvmti, (void)env;
    meta("phase_change", "dead", NULL);
    nt_g.recording = 0;
    size_t next = 0;
    char *text = nt_recorder_trace_lines(nt_g.rec, 0, &next);
    FILE *f = text ? fopen(out_path, "w") : NULL;
    /* GraalVM's trace file: "[", the events joined by ",\n", "]" */
    int ok = f && fprintf(f, "[\n%s\n]\n", text) >= 0;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        nt_log("probe: cannot write %s", out_path);
    free(text);

    /* the provenance document beside it: OUTPUT.prov.json */
    char *prov = nt_recorder_provenance_json(nt_g.rec);
    size_t n = strlen(out_path) + sizeof ".prov.json";
    char *path = malloc(n);
    f = NULL;
    if (prov && path) {
        snprintf(path, n, "%s.prov.json", out_path);
        f = fopen(path, "w");
    }
    ok = f && fputs(prov, f) >= 0;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        nt_log("probe: cannot write the provenance file");
    free(path);
    free(prov);
}

JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved)
{
    (void)reserved;
    jvmtiEnv *jvmti = NULL;
    if (!options || !*options) {
        fprintf(stderr, "probe: usage: -agentpath:libntjniprobe.so=OUTPUT\n");
        return JNI_ERR;
    }
    if ((*vm)->GetEnv(vm, (void **)&jvmti, JVMTI_VERSION_1_2) != JNI_OK)
        return JNI_ERR;
    out_path = strdup(options);
    nt_log_open(NULL);
    nt_g.vm = vm;
    nt_g.jvmti = jvmti;
    nt_g.rec = nt_recorder_new();
    if (!out_path || !nt_g.rec)
        return JNI_ERR;
    nt_g.recording = 1;
    meta("initialization", NULL, "1");

    jvmtiEventCallbacks cb;
    memset(&cb, 0, sizeof cb);
    cb.VMStart = on_start;
    cb.VMInit = on_init;
    cb.VMDeath = on_death;
    if ((*jvmti)->SetEventCallbacks(jvmti, &cb, (jint)sizeof cb) != JVMTI_ERROR_NONE)
        return JNI_ERR;
    jvmtiEvent evs[] = {JVMTI_EVENT_VM_START, JVMTI_EVENT_VM_INIT, JVMTI_EVENT_VM_DEATH};
    for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++)
        if ((*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, evs[i], NULL) !=
            JVMTI_ERROR_NONE)
            return JNI_ERR;
    return JNI_OK;
}
