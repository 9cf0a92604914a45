/* nitrace core (private): a growable NUL-terminated text buffer, used to build
 * entry texts, keys and reports. Start with `nt_sbuf b = {0};`. An allocation
 * failure sets `oom` and makes every later call a no-op; nt_sb_take reports it.
 * Not thread-safe (one buffer per builder). */
#ifndef NITRACE_SBUF_PRIV_H
#define NITRACE_SBUF_PRIV_H

#include <stddef.h>

typedef struct nt_sbuf {
    char *s;       /* NULL until something is added; always NUL-terminated after */
    size_t len, cap;
    int oom;
} nt_sbuf;

void nt_sb_putn(nt_sbuf *b, const char *s, size_t n);
void nt_sb_puts(nt_sbuf *b, const char *s);
void nt_sb_printf(nt_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text (caller frees; "" when nothing was added), or NULL after an
 * allocation failure (the buffer is freed either way). */
char *nt_sb_take(nt_sbuf *b);

#endif
