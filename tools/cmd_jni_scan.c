/* nitrace jni-scan: the native methods a JNI library implements (its Java_*
 * exports decoded per JNI's mangling rules), whether it exports JNI_OnLoad
 * and whether its code calls RegisterNatives (see main.c's usage). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nitrace/elfsym.h"
#include "nitrace/jni_mangle.h"

/* offsetof(struct JNINativeInterface_, RegisterNatives) on 64-bit targets:
 * 4 reserved pointers and 211 functions before it (jni.h, every JDK since 1.2). */
enum { JNI_SLOT_REGISTER_NATIVES = 215 * 8 };

typedef struct method {
    const char *symbol;     /* borrowed from the ELF file */
    nt_jni_native n;
    char *params;           /* Java-readable parameter list of a long name, or NULL */
} method;

typedef struct lib_scan {
    const char *path;
    nt_elf_file *elf;
    method *m;
    size_t n_m;
    const char **bad;       /* Java_* exports that do not decode */
    char **bad_why;
    size_t n_bad;
    int onload;             /* JNI_OnLoad or JNI_OnLoad_<lib> exported */
    int registers;          /* nt_elf_calls_slot: 1, 0, -1 unknown */
} lib_scan;

static int str_cmp_null(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int cmp_method(const void *x, const void *y)
{
    const method *a = x, *b = y;
    int c;
    if ((c = strcmp(a->n.class_name, b->n.class_name)) != 0 ||
        (c = strcmp(a->n.method, b->n.method)) != 0 ||
        (c = str_cmp_null(a->n.signature, b->n.signature)) != 0)
        return c;
    return strcmp(a->symbol, b->symbol);
}

static void scan_free(lib_scan *s)
{
    for (size_t i = 0; i < s->n_m; i++) {
        nt_jni_native_free(&s->m[i].n);
        free(s->m[i].params);
    }
    for (size_t i = 0; i < s->n_bad; i++)
        free(s->bad_why[i]);
    free(s->m);
    free(s->bad);
    free(s->bad_why);
    nt_elf_close(s->elf);
}

/* Read and decode one library. Returns CLI_EXIT_OK, CLI_EXIT_INPUT
 * (unreadable, diagnostics printed) or -1 on NOMEM. */
static int scan(const char *path, lib_scan *s)
{
    memset(s, 0, sizeof *s);
    s->path = path;
    nt_diags d;
    nt_diags_init(&d);
    nt_status st = nt_elf_open(path, &s->elf, &d);
    if (st != NT_OK) {
        cli_print_diags(&d);
        nt_diags_free(&d);
        return st == NT_ERR_NOMEM ? -1 : CLI_EXIT_INPUT;
    }
    nt_diags_free(&d);
    const char *const *names;
    size_t n = nt_elf_exports(s->elf, &names);
    s->m = calloc(n ? n : 1, sizeof *s->m);
    s->bad = calloc(n ? n : 1, sizeof *s->bad);
    s->bad_why = calloc(n ? n : 1, sizeof *s->bad_why);
    if (!s->m || !s->bad || !s->bad_why)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], "JNI_OnLoad") == 0 || strncmp(names[i], "JNI_OnLoad_", 11) == 0)
            s->onload = 1;
        char why[256];
        method *m = &s->m[s->n_m];
        st = nt_jni_demangle(names[i], &m->n, why, sizeof why);
        if (st == NT_ERR_INVAL)
            continue; /* not Java_* */
        if (st == NT_ERR_NOMEM)
            return -1;
        if (st != NT_OK) {
            if (!(s->bad_why[s->n_bad] = strdup(why)))
                return -1;
            s->bad[s->n_bad++] = names[i];
            continue;
        }
        m->symbol = names[i];
        s->n_m++;
        if (m->n.signature && !(m->params = nt_jni_params_text(m->n.signature)))
            return -1; /* the signature was validated: only NOMEM fails here */
    }
    qsort(s->m, s->n_m, sizeof *s->m, cmp_method);
    s->registers = nt_elf_calls_slot(s->elf, JNI_SLOT_REGISTER_NATIVES);
    return CLI_EXIT_OK;
}

static const char *registers_text(int r)
{
    return r > 0 ? "called" : r == 0 ? "not called" : "unknown (not x86-64 code)";
}

static void print_text(const lib_scan *s)
{
    printf("%s: %zu native method%s, JNI_OnLoad %s, RegisterNatives %s\n", s->path, s->n_m,
           s->n_m == 1 ? "" : "s", s->onload ? "exported" : "not exported",
           registers_text(s->registers));
    for (size_t i = 0; i < s->n_m; i++) {
        const method *m = &s->m[i];
        printf("  %s.%s%s  %s\n", m->n.class_name, m->n.method, m->params ? m->params : "",
               m->symbol);
    }
}

static json_t *scan_json(const lib_scan *s)
{
    json_t *methods = json_array();
    json_t *root = json_object();
    int bad = !methods || !root;
    for (size_t i = 0; !bad && i < s->n_m; i++) {
        const method *m = &s->m[i];
        json_t *o = json_object();
        bad = !o || json_object_set_new(o, "symbol", json_string(m->symbol)) != 0 ||
              json_object_set_new(o, "class", json_string(m->n.class_name)) != 0 ||
              json_object_set_new(o, "method", json_string(m->n.method)) != 0 ||
              json_object_set_new(o, "signature",
                                  m->n.signature ? json_string(m->n.signature) : json_null()) != 0;
        if (!bad)
            bad = json_array_append_new(methods, o) != 0;
        else
            json_decref(o);
    }
    json_t *undecoded = json_array();
    bad = bad || !undecoded;
    for (size_t i = 0; !bad && i < s->n_bad; i++)
        bad = json_array_append_new(undecoded, json_pack("{s:s, s:s}", "symbol", s->bad[i],
                                                         "reason", s->bad_why[i])) != 0;
    if (!bad)
        bad = json_object_set_new(root, "path", json_string(s->path)) != 0 ||
              json_object_set_new(root, "jniOnLoad", json_boolean(s->onload)) != 0 ||
              json_object_set_new(root, "registerNatives",
                                  s->registers < 0 ? json_null()
                                                   : json_boolean(s->registers > 0)) != 0 ||
              json_object_set(root, "methods", methods) != 0 ||
              json_object_set(root, "undecodable", undecoded) != 0;
    json_decref(methods);
    json_decref(undecoded);
    if (bad) {
        json_decref(root);
        return NULL;
    }
    return root;
}

int cmd_jni_scan(int argc, char **argv, const cli_cmd *self)
{
    static const struct option longs[] = {
        CLI_JSON_LONGOPT,
        {NULL, 0, NULL, 0},
    };
    cli_args a;
    int rc = cli_parse_args(argc, argv, "", longs, self, &a);
    if (rc >= 0) {
        cli_args_free(&a);
        return rc;
    }
    if (optind >= argc) {
        cli_args_free(&a);
        return cli_usage_error(self, "no LIBRARY given");
    }
    rc = CLI_EXIT_OK;
    json_t *libs = a.json ? json_array() : NULL;
    int nomem = a.json && !libs;
    for (int i = optind; i < argc && !nomem; i++) {
        lib_scan s;
        int r = scan(argv[i], &s);
        if (r < 0) {
            nomem = 1;
        } else if (r != CLI_EXIT_OK) {
            rc = CLI_EXIT_INPUT;
        } else {
            for (size_t k = 0; k < s.n_bad; k++)
                cli_say("it is exported like a native method, but the JVM will never bind it",
                        "%s: %s: cannot decode: %s", s.path, s.bad[k], s.bad_why[k]);
            if (s.n_bad && rc == CLI_EXIT_OK)
                rc = CLI_EXIT_FOUND;
            if (libs) {
                json_t *o = scan_json(&s);
                nomem = !o || json_array_append_new(libs, o) != 0;
            } else {
                print_text(&s);
            }
        }
        scan_free(&s);
    }
    if (nomem) {
        cli_say(NULL, "out of memory");
        json_decref(libs);
        cli_args_free(&a);
        return CLI_EXIT_INPUT;
    }
    if (libs) {
        json_t *root = json_pack("{s:O}", "libraries", libs);
        if (cli_print_json(root) != 0)
            rc = CLI_EXIT_OUTPUT;
        json_decref(root);
        json_decref(libs);
    }
    cli_args_free(&a);
    return rc;
}
