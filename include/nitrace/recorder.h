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
    /* Check mode: the top stack frames at the access, one "cls.method(File:line)" per line.
     * Not part of the context's identity: the recorder keeps the first one given for each
     * (event, context) pair and does not write it to the provenance. NULL: none. */
    const char *frames;
} nt_rec_context;

typedef struct nt_recorder nt_recorder;

nt_recorder *nt_recorder_new(void);   /* NULL on NOMEM */
void nt_recorder_free(nt_recorder *r);

/* Record e seen in ctx (ctx NULL: the event without a context; it then gets
 * no entry in the provenance's "contexts"). Returns 1 when the (event,
 * context) pair is new, 0 when known, -1 on NOMEM or when e has no tracer
 * (the recorder stays consistent).
 *
 * Order matters for processing: what an event gives depends on the meta
 * events before it (phase_change, track_reflection_metadata). A meta event
 * other than the last one recorded starts a new "segment"; an event already
 * recorded that is added again in a later segment is replayed again at that
 * point (nt_recorder_add then returns 1 even for a known context). A hook's
 * fast-path dedup must therefore include nt_recorder_segment() in its key (or
 * forget what it saw when the segment changes). */
int nt_recorder_add(nt_recorder *r, const nt_event *e, const nt_rec_context *ctx);

/* The current segment number (0 before the first meta event). */
unsigned long nt_recorder_segment(nt_recorder *r);

/* Number of distinct events and of distinct (event, context) pairs. */
size_t nt_recorder_event_count(nt_recorder *r);
size_t nt_recorder_context_count(nt_recorder *r);
/* Increments whenever something new is recorded (to skip needless writes). */
unsigned long nt_recorder_generation(nt_recorder *r);

/* Replay the recording through nt_process_event (a fresh nt_trace_state)
 * with filters f (NULL: GraalVM's default filters) into out: every distinct
 * event in first-seen order, and again in each later segment it was seen in
 * (see nt_recorder_add), which gives what processing every event as it
 * happened would give. Events the processor rejects are reported and
 * skipped (NT_ERR_PARSE at the end); NT_ERR_NOMEM stops. Known limit: the
 * launcher JNI heuristic ignores JNI accesses until the launcher's start-up
 * sequence is over; such an access repeated identically after it, in the
 * same segment, is still only replayed at its first position. A JNI event
 * whose every context names a native library inside a JDK home registered
 * with nt_native_home_add (the running JDK's own native code) is handed to
 * nt_process_event marked as such, and the built-in heuristic filter drops
 * it (f without that filter keeps it). */
nt_status nt_recorder_build(nt_recorder *r, nt_config *out, const struct nt_filter_set *f,
                            nt_diags *d);

/* GraalVM trace lines of entries number [from, count) of the replay
 * sequence (the distinct events in first-seen order, an event again in each
 * later segment it was seen in; count >= nt_recorder_event_count): each
 * event's compact JSON text (nt_event_to_json), joined with ",\n", no
 * brackets and no trailing separator ("" when there is none), so that
 * "[\n" + lines + "\n]\n" is a whole trace file (reference §5) and
 * ",\n" + lines appends to one. *next (may be NULL) receives the count at the
 * time of the call (the `from` of the next call). Caller frees; NULL on
 * NOMEM. */
char *nt_recorder_trace_lines(nt_recorder *r, size_t from, size_t *next);

/* Call fn for every distinct event, in first-seen order, with its compact
 * JSON text (nt_event_to_json) and the contexts it was seen in (newest
 * first; frames included). Meta events are visited too (with no contexts).
 * The text and contexts are valid during the call only. fn returns 0 to go
 * on, non-zero to stop (returned as NT_ERR_INVAL). The events are a snapshot
 * taken under the lock; fn runs without it. Returns NT_OK, NT_ERR_NOMEM, or
 * NT_ERR_INVAL (NULL arguments, or fn stopped). */
typedef int (*nt_recorder_visit_fn)(void *user, const char *event_text,
                                    const nt_rec_context *ctxs, size_t n_ctxs);
nt_status nt_recorder_visit(nt_recorder *r, nt_recorder_visit_fn fn, void *user);

/* The provenance document (format in docs/provenance.md): for every
 * distinct event, the event and the list of contexts it was seen in. Sorted,
 * deterministic, 2-space indentation, trailing newline. Caller frees; NULL on
 * NOMEM. */
char *nt_recorder_provenance_json(nt_recorder *r);

/* Read a provenance document (docs/provenance.md) and add every event and
 * context in it to `into` (an event listed with no context is added with
 * ctx NULL). Strict: unknown keys, wrong types, an unsupported version and
 * events nt_event_parse rejects are errors reported against label (the
 * position of JSON syntax errors, otherwise the JSON path of the offending
 * value). On error nothing of the document is added. Returns NT_OK,
 * NT_ERR_PARSE or NT_ERR_NOMEM. */
nt_status nt_provenance_read(const char *data, size_t len, const char *label, nt_recorder *into,
                             nt_diags *d);

/* Add every event and context of `from` to `into` (a union: events new to
 * `into` are appended in from's first-seen order; idempotent). Segments of
 * `from` are not carried over, so building a merged recorder replays each
 * event at its first position only: merge is for provenance (unions of
 * runs), not for building configs. Merging a recorder into itself does
 * nothing. Returns NT_OK, NT_ERR_INVAL (NULL) or NT_ERR_NOMEM. */
nt_status nt_recorder_merge(nt_recorder *into, nt_recorder *from);

#ifdef __cplusplus
}
#endif
#endif
