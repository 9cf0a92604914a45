/* Reading inputs: whole files with a size limit, kind detection (file name,
 * then content), dispatch to the format readers, config directories and
 * trees holding META-INF/native-image/ directories. */
#include "read_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NT_DEFAULT_MAX_BYTES ((size_t)1 << 30)

/* ---- file kinds ------------------------------------------------------- */

static const struct {
    nt_file_kind kind;
    const char *name;
} KIND_NAMES[] = {
    {NT_FILE_COMBINED, "reachability-metadata.json"},
    {NT_FILE_REFLECT, "reflect-config.json"},
    {NT_FILE_JNI, "jni-config.json"},
    {NT_FILE_RESOURCE, "resource-config.json"},
    {NT_FILE_PROXY, "proxy-config.json"},
    {NT_FILE_SERIALIZATION, "serialization-config.json"},
    {NT_FILE_PREDEFINED, "predefined-classes-config.json"},
};
#define N_KIND_NAMES (sizeof KIND_NAMES / sizeof KIND_NAMES[0])

const char *nt_file_kind_name(nt_file_kind k)
{
    for (size_t i = 0; i < N_KIND_NAMES; i++)
        if (KIND_NAMES[i].kind == k)
            return KIND_NAMES[i].name;
    return NULL;
}

nt_file_kind nt_file_kind_from_name(const char *basename)
{
    if (!basename)
        return NT_FILE_UNKNOWN;
    for (size_t i = 0; i < N_KIND_NAMES; i++)
        if (strcmp(basename, KIND_NAMES[i].name) == 0)
            return KIND_NAMES[i].kind;
    return NT_FILE_UNKNOWN;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* ---- whole files ------------------------------------------------------ */

nt_status nt_read_whole_file(const char *path, size_t max_bytes, char **out, size_t *len,
                             nt_diags *d)
{
    *out = NULL;
    *len = 0;
    if (max_bytes == 0)
        max_bytes = NT_DEFAULT_MAX_BYTES;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return nt_diag_add(d, NT_ERR_IO, path, 0, 0, "check the path and its permissions",
                           "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return nt_diag_add(d, NT_ERR_IO, path, 0, 0, NULL, "cannot stat: %s", strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return nt_diag_add(d, NT_ERR_IO, path, 0, 0,
                           "a file is expected at this path: rename or remove the directory",
                           "is a directory");
    }
    if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max_bytes) {
        close(fd);
        return nt_diag_add(d, NT_ERR_IO, path, 0, 0,
                           "config and trace files are far smaller; check the path",
                           "file too large: %lld bytes (limit %zu)", (long long)st.st_size,
                           max_bytes);
    }
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
    if (cap > max_bytes + 1)
        cap = max_bytes + 1;
    char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        return nt_diag_add(d, NT_ERR_NOMEM, path, 0, 0, NULL, "out of memory reading the file");
    }
    size_t n = 0;
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > max_bytes) {
                /* the buffer holds max_bytes: fine if the file ends here */
                char extra;
                ssize_t g;
                do
                    g = read(fd, &extra, 1);
                while (g < 0 && errno == EINTR);
                if (g == 0)
                    break;
                int e = errno;
                free(buf);
                close(fd);
                if (g < 0)
                    return nt_diag_add(d, NT_ERR_IO, path, 0, 0, NULL, "cannot read: %s",
                                       strerror(e));
                return nt_diag_add(d, NT_ERR_IO, path, 0, 0,
                                   "config and trace files are far smaller; check the path",
                                   "file too large: more than %zu bytes", max_bytes);
            }
            size_t ncap = cap * 2 > max_bytes + 1 ? max_bytes + 1 : cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                close(fd);
                return nt_diag_add(d, NT_ERR_NOMEM, path, 0, 0, NULL,
                                   "out of memory reading the file");
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t got = read(fd, buf + n, cap - 1 - n);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            close(fd);
            return nt_diag_add(d, NT_ERR_IO, path, 0, 0, NULL, "cannot read: %s", strerror(e));
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n > max_bytes) {
            free(buf);
            close(fd);
            return nt_diag_add(d, NT_ERR_IO, path, 0, 0,
                               "config and trace files are far smaller; check the path",
                               "file too large: more than %zu bytes", max_bytes);
        }
    }
    close(fd);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return NT_OK;
}

/* ---- kind from content ------------------------------------------------ */

/* Is text a trace: a JSON array (possibly cut off) or JSON Lines whose first
 * element is an object with "tracer"? Only that element is parsed, so large
 * traces are not parsed twice. */
static int looks_like_trace(const char *text, size_t len)
{
    size_t p = 0;
    while (p < len && (text[p] == ' ' || text[p] == '\t' || text[p] == '\n' || text[p] == '\r'))
        p++;
    size_t limit = len;
    if (p < len && text[p] == '[') {
        p++;
        while (p < len &&
               (text[p] == ' ' || text[p] == '\t' || text[p] == '\n' || text[p] == '\r'))
            p++;
    } else {
        /* JSON Lines: the first event is on the first line; this keeps a
         * pretty-printed reachability-metadata.json from being scanned twice */
        const char *nl = memchr(text + p, '\n', len - p);
        if (nl)
            limit = (size_t)(nl - text);
    }
    if (p >= limit || text[p] != '{')
        return 0;
    size_t end;
    if (nt_rd_skip_value(text, limit, p, &end) != 0 ||
        !memmem(text + p, end - p, "\"tracer\"", 8))
        return 0;
    json_error_t err;
    json_t *first = json_loadb(text + p, end - p, 0, &err);
    int yes = first && json_is_object(first) && json_object_get(first, "tracer") != NULL;
    json_decref(first);
    return yes;
}

static nt_file_kind kind_from_tree(json_t *root)
{
    if (json_is_object(root)) {
        if (json_object_size(root) == 0 || json_object_get(root, "reflection") ||
            json_object_get(root, "jni") || json_object_get(root, "serialization") ||
            json_object_get(root, "foreign") || json_object_get(root, "comment"))
            return NT_FILE_COMBINED;
        if (json_object_get(root, "types") || json_object_get(root, "lambdaCapturingTypes") ||
            json_object_get(root, "proxies"))
            return NT_FILE_SERIALIZATION;
        json_t *res = json_object_get(root, "resources");
        if (json_is_array(res)) {
            json_t *first = json_array_get(res, 0);
            if (json_is_object(first) && json_object_get(first, "pattern"))
                return NT_FILE_RESOURCE;   /* oldest legacy shape */
            return NT_FILE_COMBINED;
        }
        if (res || json_object_get(root, "globs"))
            return NT_FILE_RESOURCE;
        if (json_object_get(root, "bundles"))
            return NT_FILE_RESOURCE;
        return NT_FILE_UNKNOWN;
    }
    if (json_is_array(root)) {
        json_t *first = json_array_get(root, 0);
        if (!first)
            return NT_FILE_REFLECT;   /* "[]": nothing to add whatever the kind */
        if (json_is_array(first))
            return NT_FILE_PROXY;     /* oldest proxy shape */
        if (!json_is_object(first))
            return NT_FILE_UNKNOWN;
        if (json_object_get(first, "tracer"))
            return NT_FILE_TRACE;
        if (json_object_get(first, "interfaces"))
            return NT_FILE_PROXY;
        if (json_object_get(first, "classes"))
            return NT_FILE_PREDEFINED;
        if (json_object_get(first, "customTargetConstructorClass"))
            return NT_FILE_SERIALIZATION;
        return NT_FILE_REFLECT;
    }
    return NT_FILE_UNKNOWN;
}

/* ---- dispatch --------------------------------------------------------- */

nt_status nt_read_buffer(nt_config *c, nt_file_kind kind, const char *data, size_t len,
                         const char *label, const nt_read_opts *opts, nt_diags *d)
{
    if (!c || (!data && len))
        return nt_diag_add(d, NT_ERR_INVAL, label, 0, 0, NULL, "no config or no data to read");
    if (!data)
        data = "";
    if (!label)
        label = "<input>";
    size_t max = opts && opts->max_bytes ? opts->max_bytes : NT_DEFAULT_MAX_BYTES;
    if (len > max)
        return nt_diag_add(d, NT_ERR_IO, label, 0, 0, NULL,
                           "input too large: %zu bytes (limit %zu)", len, max);
    const struct nt_filter_set *filters = opts ? opts->filters : NULL;
    if (kind == NT_FILE_TRACE || (kind == NT_FILE_UNKNOWN && looks_like_trace(data, len)))
        return nt_trace_read_buffer(c, data, len, label, filters, d);

    json_t *root = nt_rd_load(data, len, label, d);
    if (!root) {
        if (d && d->count && d->items[d->count - 1].code == NT_ERR_NOMEM)
            return NT_ERR_NOMEM;
        return NT_ERR_PARSE;
    }
    if (kind == NT_FILE_UNKNOWN) {
        kind = kind_from_tree(root);
        if (kind == NT_FILE_TRACE) {
            json_decref(root);
            return nt_trace_read_buffer(c, data, len, label, filters, d);
        }
        if (kind == NT_FILE_UNKNOWN) {
            json_decref(root);
            return nt_diag_add(d, NT_ERR_PARSE, label, 1, 1,
                               "name the file after its kind (reflect-config.json, "
                               "reachability-metadata.json, ...)",
                               "cannot tell which kind of GraalVM config this is");
        }
    }
    nt_rd r;
    nt_rd_init(&r, c, data, len, label, d);
    nt_status st;
    switch (kind) {
    case NT_FILE_REFLECT: st = nt_rd_reflect(&r, root, &c->reflection, "reflect-config.json"); break;
    case NT_FILE_JNI: st = nt_rd_reflect(&r, root, &c->jni, "jni-config.json"); break;
    case NT_FILE_RESOURCE: st = nt_rd_resource(&r, root); break;
    case NT_FILE_PROXY: st = nt_rd_proxy(&r, root); break;
    case NT_FILE_SERIALIZATION: st = nt_rd_serialization(&r, root); break;
    case NT_FILE_PREDEFINED: st = nt_rd_predefined(&r, root); break;
    case NT_FILE_COMBINED: st = nt_rd_combined(&r, root); break;
    default:
        st = nt_diag_add(d, NT_ERR_INVAL, label, 0, 0, NULL, "unknown file kind %d", (int)kind);
        break;
    }
    json_decref(root);
    return st;
}

nt_status nt_read_file(nt_config *c, const char *path, nt_file_kind kind,
                       const nt_read_opts *opts, nt_diags *d)
{
    if (!c || !path)
        return nt_diag_add(d, NT_ERR_INVAL, path, 0, 0, NULL, "no config or no path");
    char *data;
    size_t len;
    nt_status st = nt_read_whole_file(path, opts ? opts->max_bytes : 0, &data, &len, d);
    if (st != NT_OK)
        return st;
    if (kind == NT_FILE_UNKNOWN)
        kind = nt_file_kind_from_name(base_name(path));
    st = nt_read_buffer(c, kind, data, len, path, opts, d);
    free(data);
    return st;
}

/* ---- directories and trees -------------------------------------------- */

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int dir_has_config(const char *dir)
{
    char p[PATH_MAX];
    for (size_t i = 0; i < N_KIND_NAMES; i++) {
        if ((size_t)snprintf(p, sizeof p, "%s/%s", dir, KIND_NAMES[i].name) < sizeof p &&
            is_file(p))
            return 1;
    }
    return 0;
}

static nt_status worse(nt_status a, nt_status b)
{
    if (a == NT_ERR_NOMEM || b == NT_ERR_NOMEM)
        return NT_ERR_NOMEM;
    return a != NT_OK ? a : b;
}

/* Read the standard files directly in dir. */
static nt_status read_config_dir(nt_config *c, const char *dir, const nt_read_opts *opts,
                                 nt_diags *d, size_t *n_files)
{
    char p[PATH_MAX];
    if ((size_t)snprintf(p, sizeof p, "%s/.lock", dir) < sizeof p && access(p, F_OK) == 0)
        nt_diag_warn(d, p, 0, 0,
                     "an agent lock file is present: a running agent may still be writing %s",
                     dir);
    nt_status st = NT_OK;
    for (size_t i = 0; i < N_KIND_NAMES; i++) {
        if ((size_t)snprintf(p, sizeof p, "%s/%s", dir, KIND_NAMES[i].name) >= sizeof p ||
            !is_file(p))
            continue;
        st = worse(st, nt_read_file(c, p, KIND_NAMES[i].kind, opts, d));
        if (n_files)
            (*n_files)++;
    }
    return st;
}

/* Does path lie in (or at) a META-INF/native-image directory? */
static int under_native_image(const char *path)
{
    static const char needle[] = "META-INF/native-image";
    for (const char *s = strstr(path, needle); s; s = strstr(s + 1, needle)) {
        char after = s[sizeof needle - 1];
        if ((s == path || s[-1] == '/') && (after == '\0' || after == '/'))
            return 1;
    }
    return 0;
}

typedef struct dir_list {
    char **v;
    size_t n, cap;
    int nomem;
} dir_list;

static _Thread_local dir_list *walk_dirs;

static int walk_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (flag != FTW_D || !under_native_image(path) || !dir_has_config(path))
        return 0;
    dir_list *l = walk_dirs;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        char **nv = realloc(l->v, nc * sizeof *nv);
        if (!nv) {
            l->nomem = 1;
            return 1;
        }
        l->v = nv;
        l->cap = nc;
    }
    if (!(l->v[l->n] = strdup(path))) {
        l->nomem = 1;
        return 1;
    }
    l->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

nt_status nt_read_input(nt_config *c, const char *path, const nt_read_opts *opts, nt_diags *d,
                        size_t *n_files)
{
    if (n_files)
        *n_files = 0;
    if (!c || !path)
        return nt_diag_add(d, NT_ERR_INVAL, path, 0, 0, NULL, "no config or no path");
    struct stat st;
    if (stat(path, &st) != 0)
        return nt_diag_add(d, NT_ERR_IO, path, 0, 0, "check the path",
                           "cannot read: %s", strerror(errno));
    if (!S_ISDIR(st.st_mode)) {
        nt_status s = nt_read_file(c, path, NT_FILE_UNKNOWN, opts, d);
        if (n_files)
            *n_files = 1;
        return s;
    }
    if (dir_has_config(path))
        return read_config_dir(c, path, opts, d, n_files);

    dir_list l = {0};
    dir_list *saved = walk_dirs;
    walk_dirs = &l;
    int rc = nftw(path, walk_cb, 32, FTW_PHYS);
    walk_dirs = saved;
    nt_status res = NT_OK;
    if (l.nomem) {
        res = nt_diag_add(d, NT_ERR_NOMEM, path, 0, 0, NULL, "out of memory walking the tree");
    } else if (rc != 0) {
        res = nt_diag_add(d, NT_ERR_IO, path, 0, 0, NULL, "cannot walk the directory: %s",
                          strerror(errno));
    } else if (l.n == 0) {
        res = nt_diag_add(d, NT_ERR_IO, path, 0, 0,
                          "pass a directory holding reflect-config.json, "
                          "reachability-metadata.json, ... or a tree with "
                          "META-INF/native-image/ directories",
                          "no GraalVM config files found in %s", path);
    } else {
        qsort(l.v, l.n, sizeof l.v[0], cmp_str);
        for (size_t i = 0; i < l.n; i++)
            res = worse(res, read_config_dir(c, l.v[i], opts, d, n_files));
    }
    for (size_t i = 0; i < l.n; i++)
        free(l.v[i]);
    free(l.v);
    return res;
}
