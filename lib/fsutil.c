/* nitrace core: atomic file replacement and directory creation. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "nitrace/io.h"
#include "fsutil_priv.h"

static const char *errno_hint(int err)
{
    switch (err) {
    case ENOSPC:
#ifdef EDQUOT
    case EDQUOT:
#endif
        return "free disk space (or raise the quota) and retry";
    case EACCES:
    case EPERM:
    case EROFS:
        return "choose a writable directory";
    case ENOENT:
    case ENOTDIR:
        return "check that the output directory path exists and is a directory";
    case EISDIR:
        return "the target is a directory; choose another output path";
    case EFBIG:
        return "the file size limit was reached (see ulimit -f)";
    case ENAMETOOLONG:
        return "use a shorter output path";
    default:
        return "";
    }
}

static nt_status fail(nt_diags *d, const char *path, const char *what, int err)
{
    return nt_diag_add(d, NT_ERR_WRITE, path, 0, 0, errno_hint(err), "cannot %s: %s", what,
                       strerror(err));
}

/* The process umask without changing it (umask(2) is process-wide and racy
 * with other threads): read from /proc/self/status, 022 when unknown. */
static mode_t current_umask(void)
{
    mode_t mask = 022;
    FILE *f = fopen("/proc/self/status", "re");
    if (!f)
        return mask;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "Umask:", 6) == 0) {
            char *end;
            unsigned long v = strtoul(line + 6, &end, 8);
            if (end != line + 6)
                mask = (mode_t)(v & 0777);
            break;
        }
    }
    fclose(f);
    return mask;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0) {
            errno = EIO;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static int fsync_retry(int fd)
{
    int r;
    do
        r = fsync(fd);
    while (r < 0 && errno == EINTR);
    return r;
}

/* nt_atomic_write; when the file's directory is synced_dir (as spelled), the
 * caller flushes that directory itself (nt_fsync_dir), once for many files. */
static nt_status atomic_write(const char *path, const char *data, size_t len,
                              const char *synced_dir, nt_diags *d)
{
    if (!path || !*path || (!data && len > 0))
        return nt_diag_add(d, NT_ERR_INVAL, path ? path : "", 0, 0, "",
                           "nt_atomic_write: invalid arguments");

    /* Write through a symbolic link to the file it names. */
    char *target = NULL;
    struct stat lst;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        target = realpath(path, NULL);
    if (!target)
        target = strdup(path);
    if (!target)
        return nt_diag_add(d, NT_ERR_NOMEM, path, 0, 0, "", "out of memory");

    struct stat st;
    int exists = stat(target, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        free(target);
        return fail(d, path, "replace a directory with a file", EISDIR);
    }
    mode_t mode = exists ? (st.st_mode & 07777) : (0644 & ~current_umask());

    const char *slash = strrchr(target, '/');
    size_t dlen = slash ? (size_t)(slash - target) : 0;
    const char *base = slash ? slash + 1 : target;
    char dirbuf[PATH_MAX];
    if (!slash)
        snprintf(dirbuf, sizeof dirbuf, ".");
    else if (dlen == 0)
        snprintf(dirbuf, sizeof dirbuf, "/");
    else if (dlen < sizeof dirbuf)
        snprintf(dirbuf, sizeof dirbuf, "%.*s", (int)dlen, target);
    else {
        free(target);
        return fail(d, path, "create a temporary file", ENAMETOOLONG);
    }
    char tmp[PATH_MAX];
    int tl = snprintf(tmp, sizeof tmp, "%s/.%s.tmp.XXXXXX", dirbuf, base);
    if (tl < 0 || (size_t)tl >= sizeof tmp) {
        free(target);
        return fail(d, path, "create a temporary file", ENAMETOOLONG);
    }

    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        free(target);
        return fail(d, path, "create a temporary file in its directory", e);
    }
    const char *what = "write the temporary file";
    if (fchmod(fd, mode) < 0) {
        what = "set the file mode";
        goto fail_fd;
    }
    if (exists && (st.st_uid != geteuid() || st.st_gid != getegid())) {
        /* Keep the owner of a replaced file when allowed; not an error otherwise. */
        if (fchown(fd, st.st_uid, st.st_gid) < 0) {
            /* ignored: an unprivileged writer cannot give files away */
        }
    }
    if (write_all(fd, data, len) < 0)
        goto fail_fd;
    if (fsync_retry(fd) < 0) {
        what = "flush the temporary file to disk";
        goto fail_fd;
    }
    if (close(fd) < 0 && errno != EINTR) {
        int e = errno;
        unlink(tmp);
        free(target);
        return fail(d, path, "close the temporary file", e);
    }
    fd = -1;
    if (rename(tmp, target) < 0) {
        int e = errno;
        unlink(tmp);
        free(target);
        return fail(d, path, "rename the temporary file over the target", e);
    }
    free(target);
    if (synced_dir && strcmp(synced_dir, dirbuf) == 0)
        return NT_OK;
    return nt_fsync_dir(dirbuf, path, d);

fail_fd:;
    int e = errno;
    close(fd);
    unlink(tmp);
    free(target);
    return fail(d, path, what, e);
}

nt_status nt_atomic_write(const char *path, const char *data, size_t len, nt_diags *d)
{
    return atomic_write(path, data, len, NULL, d);
}

nt_status nt_atomic_write_in(const char *dir, const char *path, const char *data, size_t len,
                             nt_diags *d)
{
    return atomic_write(path, data, len, dir, d);
}

nt_status nt_fsync_dir(const char *dir, const char *path, nt_diags *d)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return fail(d, path, "open its directory to flush it (the file was replaced)", errno);
    if (fsync_retry(dfd) < 0 && errno != EINVAL) {
        int e = errno;
        close(dfd);
        return fail(d, path, "flush its directory (the file was replaced)", e);
    }
    close(dfd);
    return NT_OK;
}

nt_status nt_mkdir_p(const char *dir, nt_diags *d)
{
    if (!dir || !*dir)
        return nt_diag_add(d, NT_ERR_INVAL, "", 0, 0, "", "empty output directory path");
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return NT_OK;
        return nt_diag_add(d, NT_ERR_WRITE, dir, 0, 0, "choose a directory path",
                           "output directory path exists and is not a directory");
    }
    char *p = strdup(dir);
    if (!p)
        return nt_diag_add(d, NT_ERR_NOMEM, dir, 0, 0, "", "out of memory");
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    for (char *s = p + 1;; s++) {
        int last = *s == '\0';
        if (*s == '/' || last) {
            char saved = *s;
            *s = '\0';
            if (mkdir(p, 0777) == 0) {
                /* the new entry is durable only once its parent is flushed: without it a
                 * crash could take the directory away with the files fsynced into it */
                char *slash = strrchr(p, '/');
                if (!slash) {
                    (void)nt_fsync_dir(".", dir, NULL);
                } else {
                    *slash = '\0';
                    (void)nt_fsync_dir(slash == p ? "/" : p, dir, NULL);
                    *slash = '/';
                }
            } else if (errno != EEXIST) {
                int e = errno;
                nt_status r = nt_diag_add(d, NT_ERR_WRITE, dir, 0, 0, errno_hint(e),
                                          "cannot create directory %s: %s", p, strerror(e));
                free(p);
                return r;
            }
            *s = saved;
            if (last)
                break;
        }
    }
    free(p);
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
        return nt_diag_add(d, NT_ERR_WRITE, dir, 0, 0, "choose a directory path",
                           "cannot create output directory");
    return NT_OK;
}

char *nt_path_join(const char *dir, const char *name)
{
    size_t dl = strlen(dir);
    int slash = dl > 0 && dir[dl - 1] == '/';
    size_t n = dl + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s%s", dir, slash ? "" : "/", name);
    return p;
}
