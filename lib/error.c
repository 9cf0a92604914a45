/* Status names and diagnostics (see include/nitrace/error.h). */
#include "nitrace/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *nt_status_str(nt_status st)
{
    switch (st) {
    case NT_OK: return "ok";
    case NT_ERR_NOMEM: return "out of memory";
    case NT_ERR_IO: return "cannot read input";
    case NT_ERR_PARSE: return "invalid input";
    case NT_ERR_WRITE: return "cannot write output";
    case NT_ERR_INVAL: return "invalid argument";
    case NT_ERR_REFUSED: return "refused to overwrite";
    }
    return "unknown error";
}

void nt_diags_init(nt_diags *d)
{
    memset(d, 0, sizeof *d);
}

void nt_diags_free(nt_diags *d)
{
    free(d->items);
    nt_diags_init(d);
}

static nt_error *diag_push(nt_diags *d)
{
    if (d->count == d->cap) {
        size_t ncap = d->cap ? d->cap * 2 : 8;
        nt_error *n = realloc(d->items, ncap * sizeof *n);
        if (!n)
            return NULL;
        d->items = n;
        d->cap = ncap;
    }
    nt_error *e = &d->items[d->count++];
    memset(e, 0, sizeof *e);
    return e;
}

static void diag_fill(nt_error *e, nt_status code, const char *file, int line, int col,
                      const char *hint, const char *fmt, va_list ap)
{
    e->code = code;
    snprintf(e->file, sizeof e->file, "%s", file ? file : "");
    e->line = line;
    e->col = col;
    snprintf(e->hint, sizeof e->hint, "%s", hint ? hint : "");
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

nt_status nt_diag_add(nt_diags *d, nt_status code, const char *file, int line, int col,
                      const char *hint, const char *fmt, ...)
{
    if (!d)
        return code;
    nt_error *e = diag_push(d);
    if (!e)
        return code;
    va_list ap;
    va_start(ap, fmt);
    diag_fill(e, code, file, line, col, hint, fmt, ap);
    va_end(ap);
    return code;
}

void nt_diag_warn(nt_diags *d, const char *file, int line, int col, const char *fmt, ...)
{
    if (!d)
        return;
    nt_error *e = diag_push(d);
    if (!e)
        return;
    va_list ap;
    va_start(ap, fmt);
    diag_fill(e, NT_OK, file, line, col, NULL, fmt, ap);
    va_end(ap);
    d->warnings++;
}

void nt_error_format(const nt_error *e, char *buf, size_t n)
{
    char where[1100] = "";
    if (e->file[0] && e->line > 0)
        snprintf(where, sizeof where, "%s:%d:%d: ", e->file, e->line, e->col > 0 ? e->col : 1);
    else if (e->file[0])
        snprintf(where, sizeof where, "%s: ", e->file);
    const char *warn = e->code == NT_OK ? "warning: " : "";
    if (e->hint[0])
        snprintf(buf, n, "nitrace: %s%s%s (%s)", warn, where, e->msg, e->hint);
    else
        snprintf(buf, n, "nitrace: %s%s%s", warn, where, e->msg);
}
