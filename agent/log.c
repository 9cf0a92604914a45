/* The agent's log: one line per message, "nitrace: " prefix, to log=FILE or
 * stderr. nt_fail logs once and stops recording for good. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>

#include "agent_priv.h"

static FILE *log_fp;
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static int failed;

void nt_log_open(const char *path)
{
    if (!path) {
        log_fp = stderr;
        return;
    }
    FILE *f = fopen(path, "a");
    if (!f) {
        log_fp = stderr;
        nt_log("cannot open log file %s: %s (logging to stderr)", path, strerror(errno));
        return;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    log_fp = f;
}

static void vlog(const char *fmt, va_list ap)
{
    pthread_mutex_lock(&log_mu);
    FILE *f = log_fp ? log_fp : stderr;
    fputs("nitrace: ", f);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
    fflush(f);
    pthread_mutex_unlock(&log_mu);
}

void nt_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(fmt, ap);
    va_end(ap);
}

void nt_debug(const char *fmt, ...)
{
    if (!nt_g.opts.verbose)
        return;
    va_list ap;
    va_start(ap, fmt);
    vlog(fmt, ap);
    va_end(ap);
}

void nt_fail(const char *fmt, ...)
{
    nt_g.recording = 0;
    if (__atomic_exchange_n(&failed, 1, __ATOMIC_SEQ_CST))
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    nt_log("%s; recording stopped (the program continues unaffected)", msg);
}
