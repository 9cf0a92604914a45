/* nitrace core: the recorder — the set of distinct access events a running
 * program made, each with the distinct contexts it was seen in (provenance).
 *
 * The agent's hooks deduplicate on their own fast path and call
 * nt_recorder_add only for what may be new; the recorder then deduplicates
 * exactly (event text + context) under a mutex. Everything the agent writes is
 * derived from the recorder: the config (events replayed through
 * nt_process_event with the filters, in recording order), the trace file, and
 * the provenance file (DESIGN.md §4).
 *
 * Thread-safety: every function may be called from any thread concurrently.
 * Ownership: the recorder copies what it is given; returned strings and
 * configs belong to the caller. Pure C + pthreads. */
#ifndef NITRACE_RECORDER_H
#define NITRACE_RECORDER_H

#include <stddef.h>

#include "nitrace/error.h"
#include "nitrace/model.h"
#include "nitrace/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where an access happened. Strings borrowed; NULL = unknown / none. */
typedef struct nt_rec_context {
    const char *caller_class;  /* Java caller as the caller filter sees it */
    const char *clinit_class;  /* class whose <clinit> is outermost on the stack */
    int clojure_loading;       /* clojure.lang.RT.load / clojure.core$load on the stack */
    int main_phase;            /* the program's main phase had begun */
    const char *jni_library;   /* JNI: path of the native library that called */
    const char *jni_function;  /* JNI: symbol of the native function that called */
} nt_rec_context;

typedef struct nt_recorder nt_recorder;

nt_recorder *nt_recorder_new(void);   /* NULL on NOMEM */
void nt_recorder_free(nt_recorder *r);

/* Record e seen in ctx (ctx may be NULL). Returns 1 when the (event, context)
 * pair is new, 0 when known, -1 on NOMEM (the recorder stays consistent). */
int nt_recorder_add(nt_recorder *r, const nt_event *e, const nt_rec_context *ctx);

/* Number of distinct events and of distinct (event, context) pairs. */
size_t nt_recorder_event_count(nt_recorder *r);
size_t nt_recorder_context_count(nt_recorder *r);
/* Increments whenever something new is recorded (to skip needless writes). */
unsigned long nt_recorder_generation(nt_recorder *r);

/* Replay every distinct event, in first-seen order, through nt_process_event
 * with filters f (NULL: GraalVM's default filters) into out. */
nt_status nt_recorder_build(nt_recorder *r, nt_config *out, const struct nt_filter_set *f,
                            nt_diags *d);

/* GraalVM trace lines ("[" + one event per line + "]") of events number
 * [from, count) in first-seen order; *next receives the count at the time of
 * the call. Caller frees. */
char *nt_recorder_trace_lines(nt_recorder *r, size_t from, size_t *next);

/* The provenance document (format in README "Provenance file"): for every
 * distinct event, the event and the list of contexts it was seen in. Sorted,
 * deterministic. Caller frees. */
char *nt_recorder_provenance_json(nt_recorder *r);

#ifdef __cplusplus
}
#endif
#endif
