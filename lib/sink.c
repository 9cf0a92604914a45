/* The sink: writes what a recorder holds to a config directory
 * (config-output-dir / config-merge-dir, with config-to-omit) or to a trace
 * file. See include/nitrace/sink.h, DESIGN.md §5 and reference §4.
 *
 * Files in DIR:
 *   the config files (nt_write_dir), written atomically file by file;
 *   .lock                      config-output-dir only: the PID of the owner;
 *   .nitrace/provenance.json   docs/provenance.md;
 *   .nitrace/lock              flock'd while a merge flush (or the taking of
 *                              .lock) is in progress. */
#include "nitrace/sink.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "fsutil_priv.h"
#include "nitrace/map.h"
#include "nitrace/ops.h"

struct nt_sink {
    char *dir;                /* config directory, or NULL */
    char *trace_path;         /* trace file, or NULL */
    int merge;
    nt_format format;
    const nt_filter_set *filters;
    nt_config *omit;          /* union of the config-to-omit dirs; NULL: none */
    char *lock_path;          /* DIR/.lock */
    int own_lock;             /* we created DIR/.lock ... */
    dev_t lock_dev;           /* ... which is this file */
    ino_t lock_ino;
    char *meta_dir;           /* DIR/.nitrace */
    char *flock_path;         /* DIR/.nitrace/lock */
    char *writers_path;       /* DIR/.nitrace/writers ... */
    int writers_fd;           /* ... flocked for the sink's life (see take_mode_lock), or -1 */
    char *prov_path;          /* DIR/.nitrace/provenance.json */
    struct stat prov_written; /* config-output-dir: that file as our last write left it ... */
    int prov_known;           /* ... once there was one */
    int flushed;              /* a flush succeeded ... */
    unsigned long last_gen;   /* ... at this recorder generation */
    nt_map reported;          /* diagnostics already given (keys), see pass_diags */
};

static nt_status nomem(nt_diags *d, const char *file)
{
    return nt_diag_add(d, NT_ERR_NOMEM, file ? file : "", 0, 0, NULL, "out of memory");
}

/* ---- diagnostics given once per sink --------------------------------------- */

/* A periodic writer meets the same problem at every flush (a file that does
 * not parse, an event the processor warns about). Pass each diagnostic of a
 * flush on the first time only; write errors (NT_ERR_WRITE), NOMEM and
 * caller mistakes always pass: the caller decides how often to log those. */
static void pass_diags(nt_sink *s, const nt_diags *from, nt_diags *to)
{
    for (size_t i = 0; i < from->count; i++) {
        const nt_error *e = &from->items[i];
        int always = e->code == NT_ERR_WRITE || e->code == NT_ERR_NOMEM || e->code == NT_ERR_INVAL;
        if (!always) {
            char key[2048];
            snprintf(key, sizeof key, "%d|%s|%d|%d|%s", (int)e->code, e->file, e->line, e->col,
                     e->msg);
            if (nt_map_get(&s->reported, key))
                continue;
            /* remember it; when memory is short, report again rather than lose it */
            (void)nt_map_put(&s->reported, key, (void *)1);
        }
        if (!to)
            continue;
        if (e->code == NT_OK)
            nt_diag_warn(to, e->file, e->line, e->col, "%s", e->msg);
        else
            nt_diag_add(to, e->code, e->file, e->line, e->col, e->hint[0] ? e->hint : NULL, "%s",
                        e->msg);
    }
}

/* ---- flock on DIR/.nitrace/lock -------------------------------------------- */

static int lock_meta(nt_sink *s, nt_diags *d)
{
    if (nt_mkdir_p(s->meta_dir, d) != NT_OK)
        return -1;
    int fd = open(s->flock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        nt_diag_add(d, NT_ERR_WRITE, s->flock_path, 0, 0, "choose a writable directory",
                    "cannot open the lock file: %s", strerror(errno));
        return -1;
    }
    while (flock(fd, LOCK_EX) != 0) {
        if (errno == EINTR)
            continue;
        nt_diag_add(d, NT_ERR_WRITE, s->flock_path, 0, 0,
                    "the file system must support flock(2) for config-merge-dir",
                    "cannot lock: %s", strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static void unlock_meta(int fd)
{
    if (fd >= 0)
        close(fd);   /* releases the flock */
}

/* ---- DIR/.lock (config-output-dir) ---------------------------------------- */

/* The PID a lock file names: >0, 0 when the text is not a PID, -1 when the
 * file cannot be read (gone). */
static long read_lock_pid(const char *path)
{
    char buf[64];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n;
    do
        n = read(fd, buf, sizeof buf - 1);
    while (n < 0 && errno == EINTR);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    char *end;
    errno = 0;
    long pid = strtol(buf, &end, 10);
    while (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t')
        end++;
    if (end == buf || *end || errno || pid <= 0)
        return 0;
    return pid;
}

static int process_alive(long pid)
{
    return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* The .lock files this process holds (device and inode), so that a lock
 * naming this process's own pid is told apart: held by another sink of this
 * process, or left by an earlier process that had the same pid (a container
 * restarted after a SIGKILL runs java with the same pid again, often 1). */
enum { OWN_LOCKS = 16 };
static struct {
    dev_t dev;
    ino_t ino;
} own_locks[OWN_LOCKS];
static size_t n_own_locks;
static pthread_mutex_t own_locks_mu = PTHREAD_MUTEX_INITIALIZER;

static void own_lock_note(const struct stat *st, int add)
{
    pthread_mutex_lock(&own_locks_mu);
    for (size_t i = 0; i < n_own_locks; i++)
        if (own_locks[i].dev == st->st_dev && own_locks[i].ino == st->st_ino) {
            if (!add)
                own_locks[i] = own_locks[--n_own_locks];
            pthread_mutex_unlock(&own_locks_mu);
            return;
        }
    if (add && n_own_locks < OWN_LOCKS) {
        own_locks[n_own_locks].dev = st->st_dev;
        own_locks[n_own_locks++].ino = st->st_ino;
    }
    pthread_mutex_unlock(&own_locks_mu);
}

/* pid names a process that may be writing: alive, and for this process's
 * own pid, one of its own sinks holds the lock file at path. */
static int lock_holder_alive(long pid, const char *path)
{
    if (pid != (long)getpid())
        return process_alive(pid);
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    int held = 0;
    pthread_mutex_lock(&own_locks_mu);
    for (size_t i = 0; i < n_own_locks; i++)
        held |= own_locks[i].dev == st.st_dev && own_locks[i].ino == st.st_ino;
    pthread_mutex_unlock(&own_locks_mu);
    return held;
}

static nt_status take_output_lock(nt_sink *s, nt_diags *d)
{
    /* .nitrace/lock serializes the check-and-replace of a stale .lock
     * between nitrace instances. */
    int mfd = lock_meta(s, d);
    if (mfd < 0)
        return NT_ERR_WRITE;
    nt_status st = NT_OK;
    for (int attempt = 0;; attempt++) {
        int fd = open(s->lock_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            char pid[32];
            int n = snprintf(pid, sizeof pid, "%ld", (long)getpid());
            ssize_t w;
            do
                w = write(fd, pid, (size_t)n);
            while (w < 0 && errno == EINTR);
            int e = errno;
            struct stat lst;
            int have_stat = fstat(fd, &lst) == 0;
            close(fd);
            if (w == n && have_stat) {
                s->lock_dev = lst.st_dev;
                s->lock_ino = lst.st_ino;
                own_lock_note(&lst, 1);
            }
            if (w != n) {
                unlink(s->lock_path);
                st = nt_diag_add(d, NT_ERR_WRITE, s->lock_path, 0, 0,
                                 "free disk space or choose a writable directory",
                                 "cannot write the lock file: %s",
                                 w < 0 ? strerror(e) : "short write");
                break;
            }
            s->own_lock = 1;
            break;
        }
        if (errno != EEXIST || attempt >= 3) {
            st = nt_diag_add(d, NT_ERR_WRITE, s->lock_path, 0, 0, "choose a writable directory",
                             "cannot create the lock file: %s", strerror(errno));
            break;
        }
        long pid = read_lock_pid(s->lock_path);
        if (pid < 0)
            continue;   /* removed meanwhile: try again */
        if (pid == 0) {
            st = nt_diag_add(d, NT_ERR_REFUSED, s->lock_path, 0, 0,
                             "if no agent is writing to the directory, delete the lock file",
                             "Output directory '%s' is locked, but the lock file does not name "
                             "a process, so nitrace cannot tell whether another agent instance "
                             "is still writing to this directory",
                             s->dir);
            break;
        }
        if (lock_holder_alive(pid, s->lock_path)) {
            st = nt_diag_add(d, NT_ERR_REFUSED, s->lock_path, 0, 0,
                             "use config-merge-dir to let several JVMs share a directory, or give "
                             "each process its own (config-output-dir=DIR/{pid})",
                             "Output directory '%s' is locked by process %ld, which means another "
                             "agent instance is already writing to this directory. Only one agent "
                             "instance can safely write to a specific target directory at the "
                             "same time",
                             s->dir, pid);
            break;
        }
        if (pid == (long)getpid())
            nt_diag_warn(d, s->lock_path, 0, 0,
                         "replacing the stale lock file of process %ld: that is this process's "
                         "own number, left by an earlier process that had it (it ended without "
                         "removing the file)",
                         pid);
        else
            nt_diag_warn(d, s->lock_path, 0, 0,
                         "replacing the stale lock file of process %ld, which no longer runs "
                         "(it ended without removing it)",
                         pid);
        if (unlink(s->lock_path) != 0 && errno != ENOENT) {
            st = nt_diag_add(d, NT_ERR_WRITE, s->lock_path, 0, 0, "delete it by hand",
                             "cannot remove the stale lock file: %s", strerror(errno));
            break;
        }
    }
    unlock_meta(mfd);
    return st;
}

/* An output JVM and a merge JVM on one directory: the output JVM replaces
 * the files with its own config at each write, so what the merge JVM added
 * would be lost. DIR/.nitrace/writers is flocked for a sink's whole life,
 * shared by merge sinks and exclusively by an output sink: the one that comes
 * second is refused. Where the file cannot be made, a sink goes on without
 * it (its writes report the directory); where flock(2) is not supported, an
 * output sink does (a merge sink needs flock for every write anyway). */
static nt_status take_mode_lock(nt_sink *s, nt_diags *d)
{
    int fd = open(s->writers_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return NT_OK; /* a directory nothing can be written to: the writes report it */
    int r;
    do
        r = flock(fd, (s->merge ? LOCK_SH : LOCK_EX) | LOCK_NB);
    while (r != 0 && errno == EINTR);
    if (r == 0) {
        s->writers_fd = fd;
        return NT_OK;
    }
    int e = errno;
    close(fd);
    if (e != EWOULDBLOCK)
        return s->merge ? nt_diag_add(d, NT_ERR_WRITE, s->writers_path, 0, 0,
                                      "the file system must support flock(2) for "
                                      "config-merge-dir",
                                      "cannot lock: %s", strerror(e))
                        : NT_OK;
    if (s->merge)
        return nt_diag_add(d, NT_ERR_REFUSED, s->writers_path, 0, 0,
                           "wait for that JVM to end, or let it use config-merge-dir too",
                           "Output directory '%s' is being written by another JVM with "
                           "config-output-dir, which replaces its files at every write: what "
                           "this JVM merged into it would be lost",
                           s->dir);
    return nt_diag_add(d, NT_ERR_REFUSED, s->writers_path, 0, 0,
                       "use config-merge-dir here too, or another directory",
                       "Output directory '%s' is being merged into by another JVM "
                       "(config-merge-dir): writing it with config-output-dir would replace "
                       "what that JVM adds",
                       s->dir);
}

static void release_output_lock(nt_sink *s)
{
    if (!s->own_lock)
        return;
    /* remove it only while it is still the file we created */
    struct stat st;
    if (stat(s->lock_path, &st) == 0 && st.st_dev == s->lock_dev && st.st_ino == s->lock_ino &&
        read_lock_pid(s->lock_path) == (long)getpid())
        unlink(s->lock_path);
    struct stat mine = {.st_dev = s->lock_dev, .st_ino = s->lock_ino};
    own_lock_note(&mine, 0);
    s->own_lock = 0;
}

/* ---- open / close --------------------------------------------------------- */

static nt_status read_omit(nt_sink *s, const nt_sink_opts *o, nt_diags *d)
{
    if (o->n_omit == 0)
        return NT_OK;
    if (!(s->omit = nt_config_new()))
        return nomem(d, NULL);
    for (size_t i = 0; i < o->n_omit; i++) {
        const char *p = o->omit_dirs[i];
        if (!p || !*p)
            return nt_diag_add(d, NT_ERR_INVAL, "", 0, 0, NULL, "empty config-to-omit path");
        struct stat st;
        if (stat(p, &st) != 0)
            return nt_diag_add(d, NT_ERR_IO, p, 0, 0,
                               "config-to-omit must name an existing config directory",
                               "cannot read the config-to-omit directory: %s", strerror(errno));
        nt_diags rd;
        nt_diags_init(&rd);
        size_t n_files = 0;
        nt_status st_read = nt_read_input(s->omit, p, NULL, &rd, &n_files);
        if (st_read == NT_ERR_IO && n_files == 0 && S_ISDIR(st.st_mode)) {
            /* an existing directory without config files omits nothing */
            nt_diag_warn(d, p, 0, 0, "config-to-omit directory holds no config files");
            nt_diags_free(&rd);
            continue;
        }
        for (size_t k = 0; k < rd.count; k++) {
            const nt_error *e = &rd.items[k];
            if (e->code == NT_OK)
                nt_diag_warn(d, e->file, e->line, e->col, "%s", e->msg);
            else
                nt_diag_add(d, e->code, e->file, e->line, e->col, e->hint[0] ? e->hint : NULL,
                            "%s", e->msg);
        }
        nt_diags_free(&rd);
        if (st_read != NT_OK)
            return st_read;
    }
    return NT_OK;
}

static nt_status open_trace(nt_sink *s, nt_diags *d)
{
    const char *slash = strrchr(s->trace_path, '/');
    if (slash && slash != s->trace_path) {
        char *parent = strndup(s->trace_path, (size_t)(slash - s->trace_path));
        if (!parent)
            return nomem(d, s->trace_path);
        nt_status st = nt_mkdir_p(parent, d);
        free(parent);
        if (st != NT_OK)
            return st;
    }
    static const char empty[] = "[\n]\n";
    return nt_atomic_write(s->trace_path, empty, sizeof empty - 1, d);
}

void nt_sink_close(nt_sink *s)
{
    if (!s)
        return;
    release_output_lock(s);
    if (s->writers_fd >= 0)
        close(s->writers_fd); /* releases its flock */
    free(s->writers_path);
    free(s->dir);
    free(s->trace_path);
    free(s->lock_path);
    free(s->meta_dir);
    free(s->flock_path);
    free(s->prov_path);
    nt_config_free(s->omit);
    nt_map_free(&s->reported);
    free(s);
}

nt_sink *nt_sink_open(const nt_sink_opts *o, nt_diags *d)
{
    if (!o || (!o->dir == !o->trace_path) || (o->dir && !*o->dir) ||
        (o->trace_path && !*o->trace_path) || (o->merge && !o->dir) ||
        (o->n_omit && !o->omit_dirs) ||
        (o->format != NT_FORMAT_LEGACY && o->format != NT_FORMAT_COMBINED)) {
        nt_diag_add(d, NT_ERR_INVAL, "", 0, 0,
                    "give either a config directory (output or merge) or a trace file",
                    "invalid sink options");
        return NULL;
    }
    nt_sink *s = calloc(1, sizeof *s);
    if (!s) {
        nomem(d, NULL);
        return NULL;
    }
    s->writers_fd = -1;
    nt_map_init(&s->reported);
    s->merge = o->merge != 0;
    s->format = o->format;
    s->filters = o->filters;
    nt_status st = NT_OK;
    if (o->trace_path) {
        if (!(s->trace_path = strdup(o->trace_path)))
            st = nomem(d, NULL);
    } else if (!(s->dir = strdup(o->dir)) || !(s->lock_path = nt_path_join(o->dir, ".lock")) ||
               !(s->meta_dir = nt_path_join(o->dir, ".nitrace")) ||
               !(s->flock_path = nt_path_join(s->meta_dir, "lock")) ||
               !(s->writers_path = nt_path_join(s->meta_dir, "writers")) ||
               !(s->prov_path = nt_path_join(s->meta_dir, "provenance.json"))) {
        st = nomem(d, NULL);
    }
    if (st == NT_OK)
        st = read_omit(s, o, d);
    if (st == NT_OK) {
        if (s->trace_path)
            st = open_trace(s, d);
        else if ((st = nt_mkdir_p(s->meta_dir, d)) == NT_OK && !s->merge)
            st = take_output_lock(s, d);
        if (st == NT_OK && !s->trace_path)
            st = take_mode_lock(s, d);
    }
    if (st != NT_OK) {
        nt_sink_close(s);
        return NULL;
    }
    return s;
}

/* ---- flushing ------------------------------------------------------------- */

/* This run's config: the recorder's events through the filters. A build
 * error other than NOMEM (an ill-shaped event) is reported, and the rest is
 * still written; *build_st receives it. NULL on NOMEM. */
static nt_config *build_config(nt_sink *s, nt_recorder *r, nt_status *build_st, nt_diags *d)
{
    nt_config *c = nt_config_new();
    if (!c) {
        *build_st = nomem(d, NULL);
        return NULL;
    }
    *build_st = nt_recorder_build(r, c, s->filters, d);
    if (*build_st == NT_ERR_NOMEM) {
        nt_config_free(c);
        return NULL;
    }
    return c;
}

/* Subtract config-to-omit and normalise. */
static nt_status finish_config(nt_sink *s, nt_config *c, nt_diags *d)
{
    if (s->omit && nt_config_subtract(c, s->omit) != NT_OK)
        return nomem(d, s->dir);
    nt_config_normalize(c);
    return NT_OK;
}

/* The provenance document is rendered on a second thread while the flushing
 * one builds and writes the config files: both only read the recorder (each
 * from its own snapshot, see recorder.c), and at the final flush of a JVM the
 * two are about half of the exit's cost each (`lein version`: 11 ms of
 * rendering beside 16 ms of building and writing the configs). The files are
 * still written in the same order, by the flushing thread. */
typedef struct prov_job {
    nt_recorder *r;
    char *text;     /* rendered document (malloc'd) or NULL: out of memory */
    pthread_t thread;
    int threaded;   /* 0: pthread_create failed, render when joining */
} prov_job;

static void *prov_render(void *arg)
{
    prov_job *j = arg;
    j->text = nt_recorder_provenance_json(j->r);
    return NULL;
}

static void prov_start(prov_job *j, nt_recorder *r)
{
    j->r = r;
    j->text = NULL;
    j->threaded = pthread_create(&j->thread, NULL, prov_render, j) == 0;
}

/* Waits for the document; the caller owns the result (NULL: out of memory). */
static char *prov_join(prov_job *j)
{
    if (j->threaded)
        pthread_join(j->thread, NULL);
    else
        prov_render(j);
    return j->text;
}

/* Writes and frees text (prov_join's result). */
static nt_status write_provenance(nt_sink *s, char *text, nt_diags *d)
{
    if (!text)
        return nomem(d, s->prov_path);
    nt_status st = nt_mkdir_p(s->meta_dir, d);
    if (st == NT_OK)
        st = nt_atomic_write(s->prov_path, text, strlen(text), d);
    free(text);
    s->prov_known = st == NT_OK && lstat(s->prov_path, &s->prov_written) == 0;
    return st;
}

/* After reading path into a scratch object: st is how that went, rd what
 * the reader said. A file that cannot be read or parsed is reported once per
 * sink (its first error) as the reason nothing is written, and makes the
 * result NT_ERR_REFUSED; once it reads again, a new problem is reported again.
 * NOMEM passes through. */
static nt_status judge_existing(nt_sink *s, const char *path, nt_status st, const nt_diags *rd,
                                nt_diags *d)
{
    char key[1100];
    snprintf(key, sizeof key, "unreadable|%s", path);
    if (st == NT_ERR_NOMEM)
        return nomem(d, path);
    if (st == NT_OK) {
        nt_map_remove(&s->reported, key);
        return NT_OK;
    }
    if (!nt_map_get(&s->reported, key)) {
        (void)nt_map_put(&s->reported, key, (void *)1);
        const nt_error *first = NULL;
        for (size_t k = 0; k < rd->count && !first; k++)
            if (rd->items[k].code != NT_OK)
                first = &rd->items[k];
        nt_diag_add(d, NT_ERR_REFUSED, path, first ? first->line : 0, first ? first->col : 0,
                    "fix or move it; nitrace never overwrites a file it cannot parse",
                    "%s; nothing is written to the %s directory while this file %s",
                    first ? first->msg : nt_status_str(st), s->merge ? "merge" : "output",
                    st == NT_ERR_PARSE ? "does not parse" : "cannot be read");
    }
    return NT_ERR_REFUSED;
}

/* Read DIR/.nitrace/provenance.json (if any) into prov; a file that cannot be
 * read or parsed is never replaced (judge_existing). */
static nt_status read_provenance_file(nt_sink *s, nt_recorder *prov, nt_diags *d)
{
    struct stat sb;
    if (lstat(s->prov_path, &sb) != 0 && errno == ENOENT)
        return NT_OK;
    char *data = NULL;
    size_t len = 0;
    nt_diags rd;
    nt_diags_init(&rd);
    nt_status st = nt_read_whole_file(s->prov_path, 0, &data, &len, &rd);
    if (st == NT_OK)
        st = nt_provenance_read(data, len, s->prov_path, prov, &rd);
    free(data);
    st = judge_existing(s, s->prov_path, st, &rd, d);
    nt_diags_free(&rd);
    return st;
}

/* config-output-dir replaces the provenance file, but not one it cannot
 * parse (a file of someone else's, or damaged): that is checked whenever the
 * file is not as this sink's last write left it. */
static nt_status check_output_provenance(nt_sink *s, nt_diags *d)
{
    struct stat st;
    if (lstat(s->prov_path, &st) != 0)
        return NT_OK; /* none (or unreadable: the write reports it) */
    if (s->prov_known && st.st_dev == s->prov_written.st_dev &&
        st.st_ino == s->prov_written.st_ino && st.st_size == s->prov_written.st_size &&
        st.st_mtim.tv_sec == s->prov_written.st_mtim.tv_sec &&
        st.st_mtim.tv_nsec == s->prov_written.st_mtim.tv_nsec)
        return NT_OK;
    nt_recorder *scratch = nt_recorder_new();
    if (!scratch)
        return nomem(d, s->prov_path);
    nt_status rc = read_provenance_file(s, scratch, d);
    nt_recorder_free(scratch);
    return rc;
}

static nt_status flush_output(nt_sink *s, nt_recorder *r, nt_diags *d)
{
    nt_status pst = check_output_provenance(s, d);
    if (pst != NT_OK)
        return pst; /* nothing is written beside a provenance file that does not parse */
    prov_job pj;
    prov_start(&pj, r);
    nt_status bst;
    nt_config *c = build_config(s, r, &bst, d);
    nt_status st = c ? finish_config(s, c, d) : NT_ERR_NOMEM;
    if (st == NT_OK)
        st = nt_write_dir(c, s->dir, s->format, d);
    char *text = prov_join(&pj);
    if (st == NT_OK)
        st = write_provenance(s, text, d);
    else
        free(text);
    nt_config_free(c);
    return st != NT_OK ? st : bst;
}

/* Read the config files DIR holds into disk. A file that cannot be read or
 * parsed is reported once per sink (one diagnostic) and makes the result
 * NT_ERR_REFUSED. */
static nt_status read_merge_dir(nt_sink *s, nt_config *disk, nt_diags *d)
{
    static const nt_file_kind kinds[] = {NT_FILE_COMBINED, NT_FILE_REFLECT, NT_FILE_JNI,
                                         NT_FILE_RESOURCE, NT_FILE_PROXY, NT_FILE_SERIALIZATION,
                                         NT_FILE_PREDEFINED};
    nt_status res = NT_OK;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char *path = nt_path_join(s->dir, nt_file_kind_name(kinds[i]));
        if (!path)
            return nomem(d, s->dir);
        struct stat sb;
        if (lstat(path, &sb) != 0 && errno == ENOENT) {
            free(path);
            continue;
        }
        /* read into a scratch config so a bad file adds nothing */
        nt_config *one = nt_config_new();
        if (!one) {
            free(path);
            return nomem(d, s->dir);
        }
        nt_diags rd;
        nt_diags_init(&rd);
        nt_status st = judge_existing(s, path, nt_read_file(one, path, kinds[i], NULL, &rd),
                                      &rd, d);
        if (st != NT_OK) {
            if (res == NT_OK || st == NT_ERR_NOMEM)
                res = st; /* NT_ERR_REFUSED or NOMEM */
        } else {
            for (size_t k = 0; k < rd.count; k++)
                if (rd.items[k].code == NT_OK)
                    nt_diag_warn(d, rd.items[k].file, rd.items[k].line, rd.items[k].col, "%s",
                                 rd.items[k].msg);
            if (nt_config_merge(disk, one) != NT_OK)
                res = nomem(d, path);
        }
        nt_diags_free(&rd);
        nt_config_free(one);
        free(path);
        if (res == NT_ERR_NOMEM)
            return res;
    }
    return res;
}

static nt_status flush_merge(nt_sink *s, nt_recorder *r, nt_diags *d)
{
    /* the expensive part before taking the lock */
    nt_status bst;
    nt_config *mine = build_config(s, r, &bst, d);
    if (!mine)
        return NT_ERR_NOMEM;
    nt_config *disk = nt_config_new();
    nt_recorder *prov = nt_recorder_new();
    nt_status st = disk && prov ? NT_OK : nomem(d, s->dir);
    int fd = -1;
    if (st == NT_OK && (fd = lock_meta(s, d)) < 0)
        st = NT_ERR_WRITE;
    if (st == NT_OK) {
        nt_status a = read_merge_dir(s, disk, d);
        nt_status b = read_provenance_file(s, prov, d);
        st = a == NT_ERR_NOMEM || b == NT_ERR_NOMEM ? NT_ERR_NOMEM : a != NT_OK ? a : b;
    }
    if (st == NT_OK && nt_recorder_merge(prov, r) != NT_OK)
        st = nomem(d, s->prov_path);
    prov_job pj;
    int rendering = st == NT_OK;
    if (rendering)
        prov_start(&pj, prov);
    if (st == NT_OK && nt_config_merge(disk, mine) != NT_OK)
        st = nomem(d, s->dir);
    if (st == NT_OK)
        st = finish_config(s, disk, d);
    if (st == NT_OK)
        st = nt_write_dir(disk, s->dir, s->format, d);
    char *text = rendering ? prov_join(&pj) : NULL;
    if (st == NT_OK)
        st = write_provenance(s, text, d);
    else
        free(text);
    unlock_meta(fd);
    nt_recorder_free(prov);
    nt_config_free(disk);
    nt_config_free(mine);
    return st != NT_OK ? st : bst;
}

static nt_status flush_trace(nt_sink *s, nt_recorder *r, nt_diags *d)
{
    char *lines = nt_recorder_trace_lines(r, 0, NULL);
    if (!lines)
        return nomem(d, s->trace_path);
    size_t n = strlen(lines);
    char *text = malloc(n + 6);
    if (!text) {
        free(lines);
        return nomem(d, s->trace_path);
    }
    /* GraalVM's layout: "[", newline, lines joined by ",\n", newline, "]", newline */
    size_t len = n ? (size_t)sprintf(text, "[\n%s\n]\n", lines) : (size_t)sprintf(text, "[\n]\n");
    nt_status st = nt_atomic_write(s->trace_path, text, len, d);
    free(text);
    free(lines);
    return st;
}

nt_status nt_sink_flush(nt_sink *s, nt_recorder *r, int force, nt_diags *d)
{
    if (!s || !r)
        return nt_diag_add(d, NT_ERR_INVAL, "", 0, 0, NULL, "nt_sink_flush: no sink or recorder");
    unsigned long gen = nt_recorder_generation(r);
    if (!force && s->flushed && gen == s->last_gen)
        return NT_OK;
    nt_diags fd;
    nt_diags_init(&fd);
    nt_status st;
    if (s->trace_path)
        st = flush_trace(s, r, &fd);
    else if (s->merge)
        st = flush_merge(s, r, &fd);
    else
        st = flush_output(s, r, &fd);
    pass_diags(s, &fd, d);
    nt_diags_free(&fd);
    /* written (an ill-shaped recorded event, NT_ERR_PARSE, does not stop
     * the write): nothing to do until the recorder changes */
    if (st == NT_OK || st == NT_ERR_PARSE) {
        s->flushed = 1;
        s->last_gen = gen;
    }
    return st;
}
