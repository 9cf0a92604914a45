/* nitrace core: status codes and diagnostics.
 *
 * Every core function that can fail returns an nt_status (0 on success, a
 * negative code otherwise) and, when given a non-NULL nt_diags, appends one
 * nt_error per problem found (file, line, column, message, hint).
 * Ownership: an nt_diags owns its errors; nt_diags_free releases them. */
#ifndef NITRACE_ERROR_H
#define NITRACE_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nt_status {
    NT_OK = 0,
    NT_ERR_NOMEM = -1,   /* allocation failed */
    NT_ERR_IO = -2,      /* input cannot be opened or read */
    NT_ERR_PARSE = -3,   /* input is not valid JSON / not of the expected shape */
    NT_ERR_WRITE = -4,   /* output cannot be written */
    NT_ERR_INVAL = -5,   /* invalid argument (caller's mistake) */
    NT_ERR_REFUSED = -6  /* refused to act to protect user data (e.g. unparsable target) */
} nt_status;

/* A human-readable name for a status ("parse error", ...). Static storage. */
const char *nt_status_str(nt_status st);

typedef struct nt_error {
    char file[1024];  /* path of the offending file, "" when not about a file */
    int line;         /* 1-based; 0 when unknown */
    int col;          /* 1-based; 0 when unknown */
    nt_status code;
    char msg[512];    /* what is wrong */
    char hint[256];   /* what to do ("" when nothing useful to say) */
} nt_error;

typedef struct nt_diags {
    nt_error *items;
    size_t count;
    size_t cap;
    size_t warnings;  /* how many of items are warnings (code == NT_OK) */
} nt_diags;

void nt_diags_init(nt_diags *d);
void nt_diags_free(nt_diags *d);
/* Append an error. d may be NULL (then nothing is recorded). Returns code. */
nt_status nt_diag_add(nt_diags *d, nt_status code, const char *file, int line, int col,
                      const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Append a warning (code NT_OK): reported, but does not fail the operation. */
void nt_diag_warn(nt_diags *d, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Format one error as "nitrace: FILE:LINE:COL: MSG (HINT)" into buf. */
void nt_error_format(const nt_error *e, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
