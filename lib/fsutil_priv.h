/* nitrace internal: file-system helpers shared by the writer (lib/fsutil.c). */
#ifndef NITRACE_FSUTIL_PRIV_H
#define NITRACE_FSUTIL_PRIV_H

#include "nitrace/error.h"

/* Create dir and its missing parents (mode 0777 & ~umask). An existing
 * directory is fine. NT_ERR_WRITE with a diagnostic on failure. */
nt_status nt_mkdir_p(const char *dir, nt_diags *d);

/* nt_atomic_write of path = nt_path_join(dir, name) without flushing dir
 * (the caller calls nt_fsync_dir(dir) once after its last file): a directory
 * of six config files takes 7 fsyncs instead of 12. A path that is a
 * symbolic link to a file elsewhere still gets its own directory flushed. */
nt_status nt_atomic_write_in(const char *dir, const char *path, const char *data, size_t len,
                             nt_diags *d);
/* fsync the directory dir; failures are reported against path (the file
 * whose rename it makes durable). */
nt_status nt_fsync_dir(const char *dir, const char *path, nt_diags *d);

/* "dir/name" (no doubled slash). Caller frees; NULL on NOMEM. */
char *nt_path_join(const char *dir, const char *name);

#endif
