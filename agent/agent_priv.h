/* Agent-internal shared state and helpers (JVMTI/JNI side). Not installed.
 * Everything here is hidden (-fvisibility=hidden); only Agent_OnLoad,
 * Agent_OnAttach and Agent_OnUnload are exported. */
#ifndef NITRACE_AGENT_PRIV_H
#define NITRACE_AGENT_PRIV_H

#include <jni.h>
#include <jvmti.h>
#include <stddef.h>

#include "nitrace/recorder.h"
#include "nitrace/trace.h"
#include "options.h"

typedef struct nt_agent {
    JavaVM *vm;
    jvmtiEnv *jvmti;
    nt_agent_opts opts;
    nt_recorder *rec;
    nt_filter_set *filters;
    volatile int recording;   /* 0 once an internal failure stopped recording */
    volatile int live;        /* VMInit has run */
    volatile int main_phase;  /* the program's main phase has begun */
} nt_agent;

extern nt_agent nt_g;

/* ---- logging (agent/log.c) ---------------------------------------------- */
/* Open the log (opts.log_file or stderr). */
void nt_log_open(const char *path);
/* One line "nitrace: ..." to the log. */
void nt_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Verbose-only line. */
void nt_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An internal failure: logged once ("nitrace: ... ; recording stopped"),
 * then recording stops for good. Never aborts the program. */
void nt_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- re-entrance guard (agent/stack.c) ------------------------------------ */
/* Returns 1 and marks the thread busy when the agent may act on this thread;
 * 0 when the agent is already active on it (its own JNI calls re-entered a
 * hook) or recording is off. Pair every 1 with nt_leave(). */
int nt_enter(void);
void nt_leave(void);
/* 1 when the last hook on this thread finished with a key the Java fast
 * path may ask about (agent/hooks.c nth_state): set by the hook when it
 * finishes, reset to 0 by nt_enter() and when read. */
extern _Thread_local int nt_hook_state __attribute__((tls_model("initial-exec")));

/* ---- stack helpers (agent/stack.c) ---------------------------------------- */
/* The method and bytecode index of the current thread's frame at `depth`
 * (0 = top): 0, or -1 when there is none. One JVMTI GetFrameLocation, which
 * walks to that frame and stops (a one-frame GetStackTrace walks one frame
 * further). */
int nt_frame_at(jvmtiEnv *jvmti, int depth, jmethodID *method, jlocation *location);
/* Name (Java syntax, "a.b.C$D") of the declaring class of the frame at
 * `depth` of the current thread (0 = top). Returns 0 and writes into out,
 * or -1 when there is no such frame. Uses only JVMTI (no JNI upcalls). */
int nt_frame_class(jvmtiEnv *jvmti, int depth, char *out, size_t n);
/* 1 when m is a loadClass(String) method (ClassLoader's or an override). */
int nt_method_is_load_class(jvmtiEnv *jvmti, jmethodID m);
/* The declaring class of method m (Java syntax), or NULL. The string lives as
 * long as the agent (per-method records are never freed). */
const char *nt_method_class(jvmtiEnv *jvmti, jmethodID m);
/* A pointer hooks.c keeps with method m's record (its loadClass call sites):
 * NULL until set. nt_method_swap_sites stores p if the pointer is still
 * `expected` (compare-and-swap) and returns 1, else 0; -1 when m's record
 * cannot be made. The caller keeps a replaced pointer's target alive (readers
 * may still use it). */
void *nt_method_sites(jvmtiEnv *jvmti, jmethodID m);
int nt_method_swap_sites(jvmtiEnv *jvmti, jmethodID m, void *expected, void *p);
/* Fill ctx for an access whose caller frame is at `caller_depth`:
 * caller class, outermost <clinit> class on the stack, Clojure namespace
 * loading on the stack, main phase. The class names point to the agent's
 * per-method records, which live as long as the agent (never freed). Returns
 * 0, or -1 when the stack cannot be read. */
int nt_stack_context(jvmtiEnv *jvmti, int caller_depth, nt_rec_context *ctx);

/* ---- JNI function table (agent/jni_table.c) ------------------------------- */
/* Replace JNI functions (FindClass, Get*ID, ...) with recording wrappers.
 * Called at VMStart. Returns 0 or -1 (then logged). */
int nt_jni_table_install(jvmtiEnv *jvmti);
/* Register the JVM's java.home as the JDK's own native code (once; OnLoad or
 * live phase). */
void nt_jni_register_home(jvmtiEnv *jvmti);

#endif
