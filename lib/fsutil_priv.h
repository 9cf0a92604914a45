/* nitrace internal: file-system helpers shared by the writer (lib/fsutil.c). */
#ifndef NITRACE_FSUTIL_PRIV_H
#define NITRACE_FSUTIL_PRIV_H

#include "nitrace/error.h"

/* Create dir and its missing parents (mode 0777 & ~umask). An existing
 * directory is fine. NT_ERR_WRITE with a diagnostic on failure. */
nt_status nt_mkdir_p(const char *dir, nt_diags *d);

/* "dir/name" (no doubled slash). Caller frees; NULL on NOMEM. */
char *nt_path_join(const char *dir, const char *name);

#endif
