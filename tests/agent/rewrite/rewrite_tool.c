/* rewrite_tool - offline driver for agent/classfile.c (tests only).
 *
 *   rewrite_tool IN.class OUT.class HOOK_CLASS SPEC_FILE [--allow-missing]
 *
 * SPEC_FILE: one spec per line, "method-name method-descriptor hook-name [erase]"; blank lines
 * and lines starting with '#' are ignored. Every spec must match a method unless
 * --allow-missing is given. Prints one line per spec ("applied"/"absent") and the hook
 * descriptor used. Exit status 0 on success, 1 on any error. */
#include "classfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SPECS 256

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n < cap)
            break;
        unsigned char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 5 || argc > 6 || (argc == 6 && strcmp(argv[5], "--allow-missing") != 0)) {
        fprintf(stderr, "usage: %s IN.class OUT.class HOOK_CLASS SPEC_FILE [--allow-missing]\n", argv[0]);
        return 1;
    }
    int allow_missing = argc == 6;
    size_t len;
    unsigned char *data = read_file(argv[1], &len);
    if (!data) {
        perror(argv[1]);
        return 1;
    }
    FILE *sf = fopen(argv[4], "r");
    if (!sf) {
        perror(argv[4]);
        free(data);
        return 1;
    }
    static char lines[MAX_SPECS][1024];
    cf_hook_spec specs[MAX_SPECS];
    size_t n = 0;
    int rc = 1;
    char line[1024];
    while (fgets(line, sizeof line, sf)) {
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == '\0')
            continue;
        if (n == MAX_SPECS) {
            fprintf(stderr, "too many specs\n");
            fclose(sf);
            free(data);
            return 1;
        }
        strcpy(lines[n], p);
        char *save = NULL;
        char *name = strtok_r(lines[n], " \t\n", &save);
        char *desc = strtok_r(NULL, " \t\n", &save);
        char *hook = strtok_r(NULL, " \t\n", &save);
        char *flag = strtok_r(NULL, " \t\n", &save);
        if (!name || !desc || !hook || (flag && strcmp(flag, "erase") != 0)) {
            fprintf(stderr, "%s: bad spec line: %s", argv[4], line);
            fclose(sf);
            free(data);
            return 1;
        }
        specs[n].method_name = name;
        specs[n].method_desc = desc;
        specs[n].hook_name = hook;
        specs[n].flags = flag ? CF_HOOK_ERASE_REFS : 0;
        specs[n].hook_class = NULL;
        n++;
    }
    fclose(sf);

    char err[512];
    cf_class *cls = NULL;
    uint8_t *out = NULL;
    size_t out_len = 0;
    int done[MAX_SPECS];
    cf_status st = cf_parse(data, len, &cls, err, sizeof err);
    if (st != CF_OK) {
        fprintf(stderr, "%s: %s: %s\n", argv[1], cf_status_str(st), err);
        goto end;
    }
    st = cf_instrument(cls, argv[3], specs, n, &out, &out_len, done, err, sizeof err);
    if (st != CF_OK) {
        fprintf(stderr, "%s: %s: %s\n", argv[1], cf_status_str(st), err);
        goto end;
    }
    int missing = 0;
    for (size_t i = 0; i < n; i++) {
        long mi = cf_find_method(cls, specs[i].method_name, specs[i].method_desc);
        cf_method_info info;
        char *hd = NULL;
        if (mi >= 0 && cf_method_at(cls, (size_t)mi, &info) == 0)
            hd = cf_hook_descriptor(cf_class_name(cls), specs[i].method_name, specs[i].method_desc,
                                    (info.access_flags & 0x0008) != 0, specs[i].flags);
        printf("%s %s%s -> %s.%s%s\n", done[i] ? "applied" : "absent", specs[i].method_name,
               specs[i].method_desc, argv[3], specs[i].hook_name, hd ? hd : "");
        free(hd);
        if (!done[i])
            missing++;
    }
    if (missing && !allow_missing) {
        fprintf(stderr, "%d spec(s) matched no method\n", missing);
        goto end;
    }
    if (!out) {
        fprintf(stderr, "nothing to rewrite\n");
        goto end;
    }
    FILE *of = fopen(argv[2], "wb");
    if (!of || fwrite(out, 1, out_len, of) != out_len || fclose(of) != 0) {
        perror(argv[2]);
        goto end;
    }
    rc = 0;
end:
    free(out);
    cf_class_free(cls);
    free(data);
    return rc;
}
