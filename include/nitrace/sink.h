/* nitrace core: where the agent's recordings go — a config directory written
 * periodically and at exit (crash-safe, optionally merged with what the
 * directory holds and with other JVMs writing it at the same time), or a
 * GraalVM trace file.
 *
 * Semantics (DESIGN.md §5, reference/graalvm-agent.md §1 and §4):
 *  - config-output-dir: the directory's files are replaced by this run's
 *    config; a `.lock` holding the PID is created at open (refused when another
 *    live process holds it) and removed at close.
 *  - config-merge-dir: each flush takes an exclusive flock on DIR/.nitrace/lock,
 *    re-reads what is on disk, unions this run's config into it, writes, and
 *    unlocks, so several JVMs can share DIR. A file on disk that cannot be
 *    parsed is reported once and left untouched; nothing is written over it.
 *  - config-to-omit dirs are read at open and subtracted before every write.
 *  - provenance goes to DIR/.nitrace/provenance.json (docs/provenance.md;
 *    merged likewise).
 *  - trace-output: the recorder's trace lines (nt_recorder_trace_lines) as a
 *    GraalVM trace file, created at open ("[\n]\n") and replaced atomically
 *    at every flush, so it is a complete JSON array after every flush.
 * Write errors (ENOSPC, EACCES, EROFS, ...) are returned as diagnostics; the
 * caller logs them once and goes on. Other diagnostics of a flush (a file
 * that does not parse, processor warnings) are passed on the first time only:
 * a sink reports each problem once, write errors (NT_ERR_WRITE) every time.
 * Flush results: NT_OK; NT_ERR_PARSE when a recorded event was ill-shaped
 * (reported; the rest was written); NT_ERR_REFUSED when an unparsable file
 * blocked the write; NT_ERR_WRITE / NT_ERR_NOMEM.
 * Ownership: the sink copies its options. Not thread-safe: one writer thread. */
#ifndef NITRACE_SINK_H
#define NITRACE_SINK_H

#include <stddef.h>

#include "nitrace/error.h"
#include "nitrace/io.h"
#include "nitrace/recorder.h"
#include "nitrace/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nt_sink_opts {
    const char *dir;                 /* config directory, or NULL with trace_path */
    int merge;                       /* config-merge-dir semantics */
    nt_format format;
    const char *trace_path;          /* trace-output file, or NULL */
    const char *const *omit_dirs;    /* config-to-omit */
    size_t n_omit;
    const struct nt_filter_set *filters;  /* borrowed; must outlive the sink */
} nt_sink_opts;

typedef struct nt_sink nt_sink;

/* Prepare the output (create dirs, take the .lock of config-output-dir, read
 * config-to-omit). NULL with diagnostics on failure. */
nt_sink *nt_sink_open(const nt_sink_opts *o, nt_diags *d);
/* Write what r holds now. Skips the write when nothing changed since the last
 * successful flush (unless force). */
nt_status nt_sink_flush(nt_sink *s, nt_recorder *r, int force, nt_diags *d);
/* Release locks; does not flush. */
void nt_sink_close(nt_sink *s);

#ifdef __cplusplus
}
#endif
#endif
