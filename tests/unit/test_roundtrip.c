/* For every example config in tests/data/configs/ and every golden input and
 * expected output:
 *  - read -> write -> read is the identity on the model when written in the
 *    input's own format: legacy for legacy directories, combined for
 *    directories holding reachability-metadata.json v1.2 (plus the legacy side
 *    files the combined writer uses for what v1.2 cannot express);
 *  - in both formats, writing is idempotent: write(read(write(m))) ==
 *    write(m) byte for byte.
 * Converting legacy -> combined or reading combined v1.0/v1.1 (separate "jni",
 * "serialization", "bundles" sections) is not the identity by nature of
 * GraalVM's v1.2 format: jniAccessible and serializable entries also register
 * the type for reflection, and v1.2 has no queried-only members. */
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nitrace/io.h"
#include "nitrace/ops.h"
#include "nt_test.h"

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static void rm_rf(const char *dir)
{
    nftw(dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

static nt_config *read_in(const char *path)
{
    nt_config *c = nt_config_new();
    nt_diags d;
    nt_diags_init(&d);
    nt_status st = nt_read_input(c, path, NULL, &d, NULL);
    if (st != NT_OK) {
        for (size_t i = 0; i < d.count; i++) {
            char buf[2048];
            nt_error_format(&d.items[i], buf, sizeof buf);
            fprintf(stderr, "%s\n", buf);
        }
        nt_config_free(c);
        c = NULL;
    }
    nt_diags_free(&d);
    return c;
}

/* Concatenation of every file a directory holds, in name order. */
static char *dir_text(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    size_t cap = 1, len = 0;
    char *all = calloc(1, 1);
    for (int i = 0; i < n; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]->d_name);
        struct stat sb;
        if (names[i]->d_name[0] != '.' && stat(p, &sb) == 0 && S_ISREG(sb.st_mode)) {
            char *data = NULL;
            size_t dl = 0;
            if (nt_read_whole_file(p, 0, &data, &dl, NULL) == NT_OK) {
                size_t nl = strlen(names[i]->d_name);
                cap += dl + nl + 2;
                all = realloc(all, cap);
                memcpy(all + len, names[i]->d_name, nl);
                len += nl;
                all[len++] = '\n';
                memcpy(all + len, data, dl);
                len += dl;
                all[len] = '\0';
                free(data);
            }
        }
        free(names[i]);
    }
    free(names);
    return all;
}

static int checked, identities;

/* The format a directory is in: combined when it holds a v1.2
 * reachability-metadata.json, legacy when it holds only legacy files,
 * -1 otherwise (older combined versions: idempotence only). */
static int native_format(const char *dir)
{
    char p[4096];
    /* The legacy writer always writes all six legacy files (plus a combined
     * side file for lambdas and foreign entries). */
    static const nt_file_kind legacy[] = {NT_FILE_REFLECT, NT_FILE_JNI, NT_FILE_RESOURCE,
                                          NT_FILE_PROXY, NT_FILE_SERIALIZATION,
                                          NT_FILE_PREDEFINED};
    int n_legacy = 0;
    for (size_t i = 0; i < sizeof legacy / sizeof legacy[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, nt_file_kind_name(legacy[i]));
        n_legacy += access(p, F_OK) == 0;
    }
    if (n_legacy == 6)
        return NT_FORMAT_LEGACY;
    snprintf(p, sizeof p, "%s/reachability-metadata.json", dir);
    char *data = NULL;
    size_t len = 0;
    if (nt_read_whole_file(p, 0, &data, &len, NULL) != NT_OK)
        return NT_FORMAT_LEGACY;
    int v12 = !strstr(data, "\"jni\"") && !strstr(data, "\"serialization\"") &&
              !strstr(data, "\"bundles\"");
    free(data);
    return v12 ? NT_FORMAT_COMBINED : -1;
}

static void roundtrip_one(const char *input)
{
    int native = native_format(input);
    nt_config *m1 = read_in(input);
    NT_CHECK(m1 != NULL);
    if (!m1) {
        fprintf(stderr, "  input: %s\n", input);
        return;
    }
    for (int fmt = NT_FORMAT_LEGACY; fmt <= NT_FORMAT_COMBINED; fmt++) {
        char d1[] = "/tmp/nt-rt-XXXXXX", d2[] = "/tmp/nt-rt-XXXXXX";
        NT_CHECK(mkdtemp(d1) && mkdtemp(d2));
        NT_CHECK(nt_write_dir(m1, d1, (nt_format)fmt, NULL) == NT_OK);
        nt_config *m2 = read_in(d1);
        NT_CHECK(m2 != NULL);
        if (m2) {
            int eq = fmt != native || nt_config_equal(m1, m2);
            identities += fmt == native;
            NT_CHECK(eq);
            if (!eq) {
                nt_diff df = {0};
                nt_config_diff(m1, m2, &df);
                fprintf(stderr, "  %s (%s): model changed by write+read:\n", input,
                        fmt ? "combined" : "legacy");
                for (size_t i = 0; i < df.count && i < 20; i++)
                    fprintf(stderr, "    %c %s %s\n", df.lines[i].sign, df.lines[i].category,
                            df.lines[i].text);
                nt_diff_free(&df);
            }
            NT_CHECK(nt_write_dir(m2, d2, (nt_format)fmt, NULL) == NT_OK);
            char *t1 = dir_text(d1), *t2 = dir_text(d2);
            NT_CHECK(strcmp(t1, t2) == 0);
            free(t1);
            free(t2);
            nt_config_free(m2);
        }
        rm_rf(d1);
        rm_rf(d2);
        checked++;
    }
    nt_config_free(m1);
}

/* Every directory of `root` that holds config files directly is one input. */
static void roundtrip_tree(const char *root, int depth)
{
    struct dirent **names;
    int n = scandir(root, &names, NULL, alphasort);
    int has_config = 0;
    for (int i = 0; i < n; i++)
        if (nt_file_kind_from_name(names[i]->d_name) != NT_FILE_UNKNOWN)
            has_config = 1;
    if (has_config)
        roundtrip_one(root);
    for (int i = 0; i < n; i++) {
        const char *nm = names[i]->d_name;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", root, nm);
        struct stat sb;
        if (nm[0] != '.' && depth < 6 && stat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
            roundtrip_tree(p, depth + 1);
        free(names[i]);
    }
    free(names);
}

static void test_data_configs(void)
{
    int before = checked;
    roundtrip_tree("data/configs", 0);
    NT_CHECK(checked - before >= 2 * 8);
}

/* Golden cases that succeed (expected.exit is 0): their inputs and outputs
 * are valid configs; the others hold broken files on purpose. */
static void test_golden_inputs(void)
{
    int before = checked;
    struct dirent **names;
    int n = scandir("golden", &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        char p[4096], *exit_text = NULL;
        size_t len = 0;
        snprintf(p, sizeof p, "golden/%s/expected.exit", names[i]->d_name);
        if (names[i]->d_name[0] != '.' &&
            nt_read_whole_file(p, 0, &exit_text, &len, NULL) == NT_OK && atoi(exit_text) == 0) {
            snprintf(p, sizeof p, "golden/%s", names[i]->d_name);
            roundtrip_tree(p, 0);
        }
        free(exit_text);
        free(names[i]);
    }
    free(names);
    NT_CHECK(checked - before >= 2 * 20);
}

int main(void)
{
    NT_RUN(test_data_configs);
    NT_RUN(test_golden_inputs);
    printf("wrote and re-read %d inputs (%d checked for identity)\n", checked, identities);
    NT_DONE();
}
