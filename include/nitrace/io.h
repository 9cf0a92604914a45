/* nitrace core: reading and writing GraalVM config files.
 *
 * Reading is strict: any JSON that GraalVM's schemas (v1.0-v1.2 legacy files,
 * reachability-metadata v1.0-v1.2, older unversioned shapes GraalVM's parser
 * accepts) do not allow is reported with file, line and column, and the
 * reader returns NT_ERR_PARSE. Problems are appended to the nt_diags given
 * (which may be NULL). A read that fails may have added part of the file's
 * entries to the config: callers that care read into a fresh config.
 *
 * Writing is deterministic (sorted, 2-space indentation, trailing newline)
 * and atomic (temp file in the same directory, fsync, rename, fsync dir).
 * Ownership: returned strings are malloc'd; the caller frees them. */
#ifndef NITRACE_IO_H
#define NITRACE_IO_H

#include <stddef.h>

#include "nitrace/error.h"
#include "nitrace/model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nt_file_kind {
    NT_FILE_UNKNOWN = 0,
    NT_FILE_REFLECT,         /* reflect-config.json */
    NT_FILE_JNI,             /* jni-config.json */
    NT_FILE_RESOURCE,        /* resource-config.json */
    NT_FILE_PROXY,           /* proxy-config.json */
    NT_FILE_SERIALIZATION,   /* serialization-config.json */
    NT_FILE_PREDEFINED,      /* predefined-classes-config.json */
    NT_FILE_COMBINED,        /* reachability-metadata.json */
    NT_FILE_TRACE            /* trace-output file (JSON array of events) */
} nt_file_kind;

/* The standard file name of a kind ("reflect-config.json"), NULL for
 * UNKNOWN/TRACE. */
const char *nt_file_kind_name(nt_file_kind k);
/* Kind from a file's base name; UNKNOWN when it is not a standard name. */
nt_file_kind nt_file_kind_from_name(const char *basename);

typedef enum nt_format {
    NT_FORMAT_LEGACY = 0,    /* the six *-config.json files */
    NT_FORMAT_COMBINED = 1   /* reachability-metadata.json (schema v1.2), plus legacy
                                files for what it cannot express */
} nt_format;

struct nt_filter_set;        /* trace.h */

typedef struct nt_read_opts {
    /* Filters for trace inputs (GraalVM applies filters to traces only).
     * NULL: GraalVM's defaults (built-in caller + heuristic filters). */
    const struct nt_filter_set *filters;
    /* Maximum input file size in bytes; 0 = default (1 GiB). */
    size_t max_bytes;
} nt_read_opts;

/* Parse one file's text of the given kind (UNKNOWN: guess from content) into c.
 * label names the input in diagnostics (usually the path). */
nt_status nt_read_buffer(nt_config *c, nt_file_kind kind, const char *data, size_t len,
                         const char *label, const nt_read_opts *opts, nt_diags *d);
/* Read one file; kind UNKNOWN means: from the base name, else from content. */
nt_status nt_read_file(nt_config *c, const char *path, nt_file_kind kind,
                       const nt_read_opts *opts, nt_diags *d);
/* Read an input as the CLI understands it: a file (config or trace), a config
 * directory (the standard file names), or a tree searched for
 * META-INF/native-image/ directories (searched recursively). *n_files (may be NULL) receives the
 * number of files read. */
nt_status nt_read_input(nt_config *c, const char *path, const nt_read_opts *opts,
                        nt_diags *d, size_t *n_files);

/* Serialize one file of the given kind from c (sorted copy; c is not changed).
 * For NT_FILE_COMBINED only what the combined format can express is written.
 * Returns malloc'd text, or NULL (NOMEM) with a diagnostic. */
char *nt_write_string(const nt_config *c, nt_file_kind kind, nt_diags *d);
/* 1 when the combined file alone expresses all of c (no legacy side files). */
int nt_combined_expresses_all(const nt_config *c);
/* Write the config to dir in the given format. Legacy: all six files.
 * Combined: reachability-metadata.json, plus the legacy file of each category
 * it cannot express, when non-empty. Existing target files that do not parse
 * are left untouched and reported (NT_ERR_REFUSED). Creates dir if missing. */
nt_status nt_write_dir(const nt_config *c, const char *dir, nt_format fmt, nt_diags *d);

/* Atomically replace path with data: temp file in the same directory, write,
 * fsync, rename, fsync the directory. */
nt_status nt_atomic_write(const char *path, const char *data, size_t len, nt_diags *d);
/* Read a whole file (NUL-terminated copy in *out, length in *len). */
nt_status nt_read_whole_file(const char *path, size_t max_bytes, char **out, size_t *len,
                             nt_diags *d);

#ifdef __cplusplus
}
#endif
#endif
