/* LD_PRELOAD fault shim for the reliability suite (tests/reliability/faults.sh).
 *
 * Makes write, fsync/fdatasync, rename/renameat and open/openat fail with a chosen errno, but only
 * for paths under one prefix (the agent's output directory), so the JVM itself keeps working, and
 * only while an "arm" file exists, so a test can let the first writes succeed and then start and
 * stop the failures. Every injected failure appends one line "OP PATH" to a log file.
 *
 * Environment:
 *   NT_FAULT_PREFIX  path prefix whose files fail (required; an absolute path)
 *   NT_FAULT_ERRNO   ENOSPC, EIO, EACCES, EROFS or EDQUOT (default EIO)
 *   NT_FAULT_OPS     comma-separated subset of write,fsync,rename,open (default all)
 *   NT_FAULT_ARM     failures happen only while this file exists (default: always)
 *   NT_FAULT_LOG     file the shim appends "OP PATH" lines to (default: none)
 * For write and fsync the path of the descriptor is read from /proc/self/fd. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

enum { OP_WRITE = 1, OP_FSYNC = 2, OP_RENAME = 4, OP_OPEN = 8 };

static int shim_ready;
static const char *shim_prefix;
static size_t shim_prefix_len;
static int shim_errno = EIO;
static unsigned shim_ops = OP_WRITE | OP_FSYNC | OP_RENAME | OP_OPEN;
static const char *shim_arm;
static const char *shim_log;

static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);

__attribute__((constructor)) static void shim_init(void)
{
    real_write = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    real_rename = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
    real_renameat = (int (*)(int, const char *, int, const char *))dlsym(RTLD_NEXT, "renameat");
    real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
    real_open64 = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open64");
    real_openat = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat");
    real_openat64 = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat64");

    shim_prefix = getenv("NT_FAULT_PREFIX");
    if (shim_prefix == NULL || shim_prefix[0] != '/')
        return; /* nothing to do: a harmless pass-through */
    shim_prefix_len = strlen(shim_prefix);
    const char *e = getenv("NT_FAULT_ERRNO");
    if (e != NULL) {
        if (strcmp(e, "ENOSPC") == 0)
            shim_errno = ENOSPC;
        else if (strcmp(e, "EACCES") == 0)
            shim_errno = EACCES;
        else if (strcmp(e, "EROFS") == 0)
            shim_errno = EROFS;
        else if (strcmp(e, "EDQUOT") == 0)
            shim_errno = EDQUOT;
        else
            shim_errno = EIO;
    }
    const char *ops = getenv("NT_FAULT_OPS");
    if (ops != NULL) {
        shim_ops = 0;
        if (strstr(ops, "write"))
            shim_ops |= OP_WRITE;
        if (strstr(ops, "fsync"))
            shim_ops |= OP_FSYNC;
        if (strstr(ops, "rename"))
            shim_ops |= OP_RENAME;
        if (strstr(ops, "open"))
            shim_ops |= OP_OPEN;
    }
    shim_arm = getenv("NT_FAULT_ARM");
    shim_log = getenv("NT_FAULT_LOG");
    shim_ready = 1;
}

static int shim_under_prefix(const char *path)
{
    return path != NULL && strncmp(path, shim_prefix, shim_prefix_len) == 0 &&
           (path[shim_prefix_len] == '\0' || path[shim_prefix_len] == '/' ||
            shim_prefix[shim_prefix_len - 1] == '/');
}

/* Raw system calls only below: the shim must not call the functions it replaces. */
static int shim_armed(void)
{
    if (shim_arm == NULL)
        return 1;
    struct stat sb;
    return syscall(SYS_newfstatat, AT_FDCWD, shim_arm, &sb, 0) == 0;
}

static void shim_record(const char *op, const char *path)
{
    if (shim_log == NULL)
        return;
    char line[4200];
    int n = snprintf(line, sizeof line, "%s %s\n", op, path);
    if (n <= 0)
        return;
    if ((size_t)n >= sizeof line)
        n = (int)sizeof line - 1;
    int fd = (int)syscall(SYS_openat, AT_FDCWD, shim_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
                          0644);
    if (fd < 0)
        return;
    (void)syscall(SYS_write, fd, line, (size_t)n);
    (void)syscall(SYS_close, fd);
}

/* Fail this operation on this path? Sets errno and logs when so. */
static int shim_fail_path(unsigned op, const char *opname, const char *path)
{
    if (!shim_ready || !(shim_ops & op) || !shim_under_prefix(path) || !shim_armed())
        return 0;
    shim_record(opname, path);
    errno = shim_errno;
    return 1;
}

static int shim_fail_fd(unsigned op, const char *opname, int fd)
{
    if (!shim_ready || !(shim_ops & op) || fd < 0)
        return 0;
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = syscall(SYS_readlinkat, AT_FDCWD, link, path, sizeof path - 1);
    if (n <= 0)
        return 0;
    path[n] = '\0';
    return shim_fail_path(op, opname, path);
}

ssize_t write(int fd, const void *buf, size_t n)
{
    if (shim_fail_fd(OP_WRITE, "write", fd))
        return -1;
    return real_write ? real_write(fd, buf, n) : syscall(SYS_write, fd, buf, n);
}

int fsync(int fd)
{
    if (shim_fail_fd(OP_FSYNC, "fsync", fd))
        return -1;
    return real_fsync ? real_fsync(fd) : (int)syscall(SYS_fsync, fd);
}

int fdatasync(int fd)
{
    if (shim_fail_fd(OP_FSYNC, "fdatasync", fd))
        return -1;
    return real_fdatasync ? real_fdatasync(fd) : (int)syscall(SYS_fdatasync, fd);
}

int rename(const char *from, const char *to)
{
    if (shim_fail_path(OP_RENAME, "rename", to) || shim_fail_path(OP_RENAME, "rename", from))
        return -1;
    return real_rename ? real_rename(from, to)
                       : (int)syscall(SYS_renameat, AT_FDCWD, from, AT_FDCWD, to);
}

int renameat(int fd1, const char *from, int fd2, const char *to)
{
    if (shim_fail_path(OP_RENAME, "renameat", to) || shim_fail_path(OP_RENAME, "renameat", from))
        return -1;
    return real_renameat ? real_renameat(fd1, from, fd2, to)
                         : (int)syscall(SYS_renameat, fd1, from, fd2, to);
}

static mode_t shim_mode(int flags, va_list ap)
{
    return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = shim_mode(flags, ap);
    va_end(ap);
    if (shim_fail_path(OP_OPEN, "open", path))
        return -1;
    return real_open ? real_open(path, flags, mode)
                     : (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = shim_mode(flags, ap);
    va_end(ap);
    if (shim_fail_path(OP_OPEN, "open", path))
        return -1;
    return real_open64 ? real_open64(path, flags, mode)
                       : (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

int openat(int dfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = shim_mode(flags, ap);
    va_end(ap);
    if (path[0] == '/' && shim_fail_path(OP_OPEN, "open", path))
        return -1;
    return real_openat ? real_openat(dfd, path, flags, mode)
                       : (int)syscall(SYS_openat, dfd, path, flags, mode);
}

int openat64(int dfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = shim_mode(flags, ap);
    va_end(ap);
    if (path[0] == '/' && shim_fail_path(OP_OPEN, "open", path))
        return -1;
    return real_openat64 ? real_openat64(dfd, path, flags, mode)
                         : (int)syscall(SYS_openat, dfd, path, flags, mode);
}
