/* Tests for lib/fsutil.c (nt_atomic_write) and the refusal logic of
 * nt_write_dir: failures leave targets byte-identical and no temp files. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nitrace/io.h"
#include "nitrace/model.h"
#include "nt_test.h"

static char g_dir[64];

static void make_tmpdir(void)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/nt_fsutil_XXXXXX");
    NT_CHECK(mkdtemp(g_dir) != NULL);
}

static void rm_tmpdir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    NT_CHECK(system(cmd) == 0);
}

static void path_in(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", g_dir, name);
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    NT_CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static char *get(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 1 << 16);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Number of entries of dir whose name contains needle. */
static int count_named(const char *dir, const char *needle)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strstr(e->d_name, needle))
            n++;
    if (d)
        closedir(d);
    return n;
}

static void test_replace_and_create(void)
{
    make_tmpdir();
    char p[256];
    path_in(p, sizeof p, "out.json");
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_atomic_write(p, "first\n", 6, &d) == NT_OK);
    char *s = get(p);
    NT_CHECK_STR(s, "first\n");
    free(s);
    struct stat st;
    mode_t mask = umask(022);
    umask(mask);
    NT_CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == (0644 & ~mask));

    /* Replace: content changes, a custom mode is kept. */
    NT_CHECK(chmod(p, 0600) == 0);
    NT_CHECK(nt_atomic_write(p, "second, longer\n", 15, &d) == NT_OK);
    s = get(p);
    NT_CHECK_STR(s, "second, longer\n");
    free(s);
    NT_CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600);

    /* Empty content. */
    NT_CHECK(nt_atomic_write(p, "", 0, &d) == NT_OK);
    NT_CHECK(stat(p, &st) == 0 && st.st_size == 0);

    /* A symbolic link is written through, not replaced. */
    char link[256];
    path_in(link, sizeof link, "link.json");
    NT_CHECK(symlink("out.json", link) == 0);
    NT_CHECK(nt_atomic_write(link, "via link\n", 9, &d) == NT_OK);
    NT_CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    s = get(p);
    NT_CHECK_STR(s, "via link\n");
    free(s);

    NT_CHECK(d.count == 0);
    NT_CHECK(count_named(g_dir, ".tmp.") == 0);
    nt_diags_free(&d);
    rm_tmpdir();
}

static void test_failures_leave_target(void)
{
    make_tmpdir();
    char p[256];
    path_in(p, sizeof p, "keep.json");
    put(p, "old content\n");
    nt_diags d;
    nt_diags_init(&d);

    /* 1. The write itself fails (file size limit; works as root too). */
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit old, lim;
    NT_CHECK(getrlimit(RLIMIT_FSIZE, &old) == 0);
    lim = old;
    lim.rlim_cur = 4;
    NT_CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
    nt_status st = nt_atomic_write(p, "new content that is too long\n", 29, &d);
    NT_CHECK(setrlimit(RLIMIT_FSIZE, &old) == 0);
    NT_CHECK(st == NT_ERR_WRITE);
    NT_CHECK(d.count == 1 && d.items[0].code == NT_ERR_WRITE);
    NT_CHECK(d.count == 1 && strstr(d.items[0].msg, strerror(EFBIG)) != NULL);
    NT_CHECK(d.count == 1 && strcmp(d.items[0].file, p) == 0);
    char *s = get(p);
    NT_CHECK_STR(s, "old content\n");
    free(s);
    NT_CHECK(count_named(g_dir, ".tmp.") == 0);

    /* 2. The parent "directory" is a regular file. */
    char bad[300];
    snprintf(bad, sizeof bad, "%s/sub.json", p);
    NT_CHECK(nt_atomic_write(bad, "x", 1, &d) == NT_ERR_WRITE);
    NT_CHECK(d.count == 2 && strstr(d.items[1].msg, strerror(ENOTDIR)) != NULL);
    NT_CHECK(d.count == 2 && d.items[1].hint[0] != '\0');
    s = get(p);
    NT_CHECK_STR(s, "old content\n");
    free(s);

    /* 3. The target is a directory: refused, nothing left behind. */
    char sub[256];
    path_in(sub, sizeof sub, "adir");
    NT_CHECK(mkdir(sub, 0755) == 0);
    NT_CHECK(nt_atomic_write(sub, "x", 1, &d) == NT_ERR_WRITE);
    struct stat sst;
    NT_CHECK(stat(sub, &sst) == 0 && S_ISDIR(sst.st_mode));
    NT_CHECK(count_named(g_dir, ".tmp.") == 0);

    /* 4. Bad arguments. */
    NT_CHECK(nt_atomic_write("", "x", 1, &d) == NT_ERR_INVAL);
    nt_diags_free(&d);
    rm_tmpdir();
}

static void test_write_dir_refuses_unparsable(void)
{
    make_tmpdir();
    char p[256], other[256];
    path_in(p, sizeof p, "reflect-config.json");
    path_in(other, sizeof other, "jni-config.json");
    const char *garbage = "[ {\"name\": \"com.A\", oops\n";
    put(p, garbage);
    put(other, "[]\n");
    nt_config *c = nt_config_new();
    NT_CHECK(nt_typeset_get_class(&c->reflection, "com.B", NULL, 1) != NULL);
    NT_CHECK(nt_typeset_get_class(&c->jni, "com.J", NULL, 1) != NULL);
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_write_dir(c, g_dir, NT_FORMAT_LEGACY, &d) == NT_ERR_REFUSED);
    char *s = get(p);
    NT_CHECK_STR(s, garbage);
    free(s);
    s = get(other);
    NT_CHECK_STR(s, "[]\n");            /* nothing at all was written */
    free(s);
    NT_CHECK(count_named(g_dir, "") == 2);
    int found = 0;
    for (size_t i = 0; i < d.count; i++)
        if (d.items[i].code == NT_ERR_REFUSED && strcmp(d.items[i].file, p) == 0 &&
            strstr(d.items[i].hint, "never overwrites") != NULL)
            found = 1;
    NT_CHECK(found);

    /* Once the file is fixed, everything is written. */
    put(p, "[]\n");
    nt_diags_free(&d);
    nt_diags_init(&d);
    NT_CHECK(nt_write_dir(c, g_dir, NT_FORMAT_LEGACY, &d) == NT_OK);
    NT_CHECK(count_named(g_dir, "") == 6);
    s = get(other);
    NT_CHECK_STR(s, "[\n  {\n    \"name\": \"com.J\"\n  }\n]\n");
    free(s);

    /* A directory where a target file should be is refused too. */
    char comb[256];
    path_in(comb, sizeof comb, "reachability-metadata.json");
    NT_CHECK(mkdir(comb, 0755) == 0);
    NT_CHECK(nt_write_dir(c, g_dir, NT_FORMAT_COMBINED, &d) == NT_ERR_REFUSED);

    /* An output "directory" that is a file. */
    NT_CHECK(nt_write_dir(c, p, NT_FORMAT_LEGACY, &d) == NT_ERR_WRITE);
    nt_diags_free(&d);
    nt_config_free(c);
    rm_tmpdir();
}

/* A write leaves no config file native-image would read together with it:
 * the other layout's files and a combined file the legacy layout no longer
 * needs are removed, once they parse. */
static void test_write_dir_removes_obsolete(void)
{
    make_tmpdir();
    char comb[256], refl[256], jni[256];
    path_in(comb, sizeof comb, "reachability-metadata.json");
    path_in(refl, sizeof refl, "reflect-config.json");
    path_in(jni, sizeof jni, "jni-config.json");
    put(comb, "{\"reflection\": [{\"type\": \"a.A\"}, {\"type\": \"b.B\"}]}\n");
    nt_config *c = nt_config_new();
    NT_CHECK(nt_typeset_get_class(&c->reflection, "b.B", NULL, 1) != NULL);
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_write_dir(c, g_dir, NT_FORMAT_LEGACY, &d) == NT_OK);
    NT_CHECK(access(comb, F_OK) != 0);
    NT_CHECK(d.count == 1 && d.items[0].code == NT_OK && strcmp(d.items[0].file, comb) == 0 &&
             strstr(d.items[0].msg, "removed") != NULL);
    NT_CHECK(count_named(g_dir, ".json") == 6);
    char *s = get(refl);
    NT_CHECK(s && strstr(s, "b.B") && !strstr(s, "a.A"));
    free(s);

    /* combined now: the six legacy files go */
    nt_diags_free(&d);
    nt_diags_init(&d);
    NT_CHECK(nt_write_dir(c, g_dir, NT_FORMAT_COMBINED, &d) == NT_OK);
    NT_CHECK(count_named(g_dir, ".json") == 1 && access(comb, F_OK) == 0);
    NT_CHECK(d.count == 6 && d.warnings == 6);

    /* one that does not parse is refused, and nothing is written or removed */
    put(jni, "[ oops");
    nt_config *c2 = nt_config_new();
    NT_CHECK(nt_typeset_get_class(&c2->reflection, "c.C", NULL, 1) != NULL);
    nt_diags_free(&d);
    nt_diags_init(&d);
    s = get(comb);
    NT_CHECK(nt_write_dir(c2, g_dir, NT_FORMAT_COMBINED, &d) == NT_ERR_REFUSED);
    char *after = get(comb);
    NT_CHECK_STR(after, s);
    free(after);
    free(s);
    s = get(jni);
    NT_CHECK_STR(s, "[ oops");
    free(s);
    int found = 0;
    for (size_t i = 0; i < d.count; i++)
        found |= d.items[i].code == NT_ERR_REFUSED && strcmp(d.items[i].file, jni) == 0 &&
                 strstr(d.items[i].msg, "refusing to remove") != NULL;
    NT_CHECK(found);
    nt_diags_free(&d);
    nt_config_free(c);
    nt_config_free(c2);
    rm_tmpdir();
}

int main(void)
{
    NT_RUN(test_replace_and_create);
    NT_RUN(test_failures_leave_target);
    NT_RUN(test_write_dir_refuses_unparsable);
    NT_RUN(test_write_dir_removes_obsolete);
    NT_DONE();
}
