/* Tests for lib/write.c and lib/order.c: exact output text of every file
 * kind, sorting, conditions, proxies, lambdas, leftovers, nt_config_sort. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nitrace/io.h"
#include "nitrace/model.h"
#include "nitrace/ops.h"
#include "nt_test.h"
#include "fsutil_priv.h"
#include "order_priv.h"

static const nt_cond REACHABLE_MAIN = {NT_COND_REACHABLE, "com.Main"};
static const nt_cond REACHED_MAIN = {NT_COND_REACHED, "com.Main"};

static nt_type *add_class(nt_typeset *s, const char *name, const nt_cond *cond)
{
    nt_type *t = nt_typeset_get_class(s, name, cond, 1);
    NT_CHECK(t != NULL);
    return t;
}

/* A serialization entry with a customTargetConstructorClass (part of its key). */
static nt_type *add_ser_ctor(nt_typeset *s, const char *name, const char *ctor)
{
    nt_typedesc td = nt_td_class(name);
    nt_type *t = nt_typeset_get_ctor(s, &td, NULL, ctor, 1);
    NT_CHECK(t != NULL);
    return t;
}

static nt_type *add_proxy(nt_typeset *s, const char *i1, const char *i2, const nt_cond *cond)
{
    nt_typedesc td;
    memset(&td, 0, sizeof td);
    td.kind = NT_TD_PROXY;
    nt_strv_push(&td.ifaces, i1);
    if (i2)
        nt_strv_push(&td.ifaces, i2);
    nt_type *t = nt_typeset_get(s, &td, cond, 1);
    nt_typedesc_free(&td);
    NT_CHECK(t != NULL);
    return t;
}

static nt_type *add_lambda(nt_typeset *s, const char *cls, const char *method, int with_params,
                           const char *iface)
{
    nt_typedesc td;
    memset(&td, 0, sizeof td);
    td.kind = NT_TD_LAMBDA;
    td.name = strdup(cls);
    if (method)
        td.lambda_method = strdup(method);
    td.lambda_has_params = with_params;
    nt_strv_push(&td.ifaces, iface);
    nt_type *t = nt_typeset_get(s, &td, NULL, 1);
    nt_typedesc_free(&td);
    NT_CHECK(t != NULL);
    return t;
}

static void add_method(nt_type *t, const char *name, const char *p1, const char *p2, int n,
                       nt_access_level level)
{
    const char *p[2] = {p1, p2};
    NT_CHECK(nt_type_add_method(t, name, n < 0, n > 0 ? p : NULL, n < 0 ? 0 : (size_t)n,
                                level) != NULL);
}

static char *out(const nt_config *c, nt_file_kind k)
{
    nt_diags d;
    nt_diags_init(&d);
    char *s = nt_write_string(c, k, &d);
    NT_CHECK(s != NULL);
    NT_CHECK(d.count == d.warnings);
    nt_diags_free(&d);
    return s;
}

#define CHECK_OUT(c, kind, expected)          \
    do {                                      \
        char *s_ = out((c), (kind));          \
        NT_CHECK_STR(s_, (expected));         \
        free(s_);                             \
    } while (0)

static void test_empty_outputs(void)
{
    nt_config *c = nt_config_new();
    CHECK_OUT(c, NT_FILE_REFLECT, "[]\n");
    CHECK_OUT(c, NT_FILE_JNI, "[]\n");
    CHECK_OUT(c, NT_FILE_PROXY, "[]\n");
    CHECK_OUT(c, NT_FILE_PREDEFINED, "[]\n");
    CHECK_OUT(c, NT_FILE_RESOURCE,
              "{\n"
              "  \"resources\": {\n"
              "    \"includes\": [],\n"
              "    \"excludes\": []\n"
              "  },\n"
              "  \"bundles\": [],\n"
              "  \"globs\": []\n"
              "}\n");
    CHECK_OUT(c, NT_FILE_SERIALIZATION,
              "{\n"
              "  \"types\": [],\n"
              "  \"lambdaCapturingTypes\": [],\n"
              "  \"proxies\": []\n"
              "}\n");
    CHECK_OUT(c, NT_FILE_COMBINED, "{}\n");
    NT_CHECK(nt_combined_expresses_all(c));
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_write_string(c, NT_FILE_TRACE, &d) == NULL);
    NT_CHECK(d.count == 1 && d.items[0].code == NT_ERR_INVAL);
    nt_diags_free(&d);
    nt_config_free(c);
}

/* A reflection set with every feature; entries added in scrambled order. */
static nt_config *reflect_model(void)
{
    nt_config *c = nt_config_new();
    nt_type *z = add_class(&c->reflection, "com.b.Z", NULL);
    z->flags |= NT_UNSAFE_ALLOCATED | NT_QUERY_ALL_DECLARED_METHODS | NT_ALL_DECLARED_CLASSES |
                NT_ALL_DECLARED_FIELDS;
    nt_type *a2 = add_class(&c->reflection, "com.a.A", &REACHABLE_MAIN);
    nt_strv_push(&a2->reasons, "why");
    nt_type *a = add_class(&c->reflection, "com.a.A", NULL);
    NT_CHECK(nt_type_add_field(a, "z", 0) != NULL);
    NT_CHECK(nt_type_add_field(a, "a", NT_FIELD_ALLOW_WRITE) != NULL);
    add_method(a, "m", "int", NULL, 1, NT_ACCESSED);
    add_method(a, "m", NULL, NULL, -1, NT_ACCESSED);
    add_method(a, "<init>", NULL, NULL, 0, NT_ACCESSED);
    add_method(a, "m", "java.lang.String", "int", 2, NT_ACCESSED);
    add_method(a, "q", "long", NULL, 1, NT_QUERIED);
    add_proxy(&c->reflection, "com.I", "com.J", NULL);                       /* bare */
    nt_type *pm = add_proxy(&c->reflection, "com.K", NULL, &REACHED_MAIN);   /* with a member */
    add_method(pm, "run", NULL, NULL, 0, NT_ACCESSED);
    add_lambda(&c->reflection, "com.L", "go", 1, "java.lang.Runnable");
    return c;
}

static void test_reflect_legacy(void)
{
    nt_config *c = reflect_model();
    CHECK_OUT(c, NT_FILE_REFLECT,
              "[\n"
              "  {\n"
              "    \"name\": \"com.a.A\",\n"
              "    \"fields\": [\n"
              "      {\n"
              "        \"name\": \"a\",\n"
              "        \"allowWrite\": true\n"
              "      },\n"
              "      {\n"
              "        \"name\": \"z\"\n"
              "      }\n"
              "    ],\n"
              "    \"methods\": [\n"
              "      {\n"
              "        \"name\": \"<init>\",\n"
              "        \"parameterTypes\": []\n"
              "      },\n"
              "      {\n"
              "        \"name\": \"m\"\n"
              "      },\n"
              "      {\n"
              "        \"name\": \"m\",\n"
              "        \"parameterTypes\": [\n"
              "          \"int\"\n"
              "        ]\n"
              "      },\n"
              "      {\n"
              "        \"name\": \"m\",\n"
              "        \"parameterTypes\": [\n"
              "          \"java.lang.String\",\n"
              "          \"int\"\n"
              "        ]\n"
              "      }\n"
              "    ],\n"
              "    \"queriedMethods\": [\n"
              "      {\n"
              "        \"name\": \"q\",\n"
              "        \"parameterTypes\": [\n"
              "          \"long\"\n"
              "        ]\n"
              "      }\n"
              "    ]\n"
              "  },\n"
              "  {\n"
              "    \"condition\": {\n"
              "      \"typeReachable\": \"com.Main\"\n"
              "    },\n"
              "    \"name\": \"com.a.A\",\n"
              "    \"reasons\": [\n"
              "      \"why\"\n"
              "    ]\n"
              "  },\n"
              "  {\n"
              "    \"name\": \"com.b.Z\",\n"
              "    \"allDeclaredFields\": true,\n"
              "    \"allDeclaredClasses\": true,\n"
              "    \"queryAllDeclaredMethods\": true,\n"
              "    \"unsafeAllocated\": true\n"
              "  },\n"
              "  {\n"
              "    \"condition\": {\n"
              "      \"typeReachable\": \"com.Main\"\n"
              "    },\n"
              "    \"type\": {\n"
              "      \"proxy\": [\n"
              "        \"com.K\"\n"
              "      ]\n"
              "    },\n"
              "    \"methods\": [\n"
              "      {\n"
              "        \"name\": \"run\",\n"
              "        \"parameterTypes\": []\n"
              "      }\n"
              "    ]\n"
              "  }\n"
              "]\n");
    CHECK_OUT(c, NT_FILE_PROXY,
              "[\n"
              "  {\n"
              "    \"interfaces\": [\n"
              "      \"com.I\",\n"
              "      \"com.J\"\n"
              "    ]\n"
              "  }\n"
              "]\n");
    NT_CHECK(!nt_combined_expresses_all(c));   /* allowWrite, any_params */
    nt_config_free(c);
}

static void test_jni_legacy(void)
{
    nt_config *c = nt_config_new();
    nt_type *t = add_class(&c->jni, "com.N", &REACHED_MAIN);
    NT_CHECK(nt_type_add_field(t, "handle", 0) != NULL);
    add_method(t, "cb", "int[]", NULL, 1, NT_ACCESSED);
    add_class(&c->jni, "com.A", NULL)->flags |= NT_ALL_PUBLIC_CONSTRUCTORS;
    CHECK_OUT(c, NT_FILE_JNI,
              "[\n"
              "  {\n"
              "    \"name\": \"com.A\",\n"
              "    \"allPublicConstructors\": true\n"
              "  },\n"
              "  {\n"
              "    \"condition\": {\n"
              "      \"typeReachable\": \"com.Main\"\n"
              "    },\n"
              "    \"name\": \"com.N\",\n"
              "    \"fields\": [\n"
              "      {\n"
              "        \"name\": \"handle\"\n"
              "      }\n"
              "    ],\n"
              "    \"methods\": [\n"
              "      {\n"
              "        \"name\": \"cb\",\n"
              "        \"parameterTypes\": [\n"
              "          \"int[]\"\n"
              "        ]\n"
              "      }\n"
              "    ]\n"
              "  }\n"
              "]\n");
    CHECK_OUT(c, NT_FILE_REFLECT, "[]\n");
    NT_CHECK(nt_combined_expresses_all(c));
    nt_config_free(c);
}

static nt_config *resource_model(void)
{
    nt_config *c = nt_config_new();
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "z.properties", NULL);
    nt_config_add_resource(c, NT_RES_GLOB, "java.base", "jdk/x.dat", NULL);
    nt_resource *r = nt_config_add_resource(c, NT_RES_GLOB, NULL, "a/**", &REACHED_MAIN);
    nt_strv_push(&r->reasons, "r1");
    nt_config_add_resource(c, NT_RES_PATTERN, "java.base", "\\Qx\\E", NULL);
    nt_config_add_resource(c, NT_RES_EXCLUDE, NULL, ".*\\.bak", NULL);
    nt_bundle *b = nt_config_add_bundle(c, "com.Msg", NULL, NULL);
    nt_strv_push(&b->locales, "");
    nt_strv_push(&b->locales, "de-DE");
    nt_config_add_bundle(c, "com.Plain", "app.mod", &REACHABLE_MAIN);
    return c;
}

static void test_resource_legacy(void)
{
    nt_config *c = resource_model();
    CHECK_OUT(c, NT_FILE_RESOURCE,
              "{\n"
              "  \"resources\": {\n"
              "    \"includes\": [\n"
              "      {\n"
              "        \"pattern\": \"java.base:\\\\Qx\\\\E\"\n"
              "      }\n"
              "    ],\n"
              "    \"excludes\": [\n"
              "      {\n"
              "        \"pattern\": \".*\\\\.bak\"\n"
              "      }\n"
              "    ]\n"
              "  },\n"
              "  \"bundles\": [\n"
              "    {\n"
              "      \"name\": \"com.Msg\",\n"
              "      \"locales\": [\n"
              "        \"\",\n"
              "        \"de-DE\"\n"
              "      ]\n"
              "    },\n"
              "    {\n"
              "      \"condition\": {\n"
              "        \"typeReachable\": \"com.Main\"\n"
              "      },\n"
              "      \"name\": \"app.mod:com.Plain\"\n"
              "    }\n"
              "  ],\n"
              "  \"globs\": [\n"
              "    {\n"
              "      \"condition\": {\n"
              "        \"typeReachable\": \"com.Main\"\n"
              "      },\n"
              "      \"glob\": \"a/**\"\n"
              "    },\n"
              "    {\n"
              "      \"glob\": \"z.properties\"\n"
              "    },\n"
              "    {\n"
              "      \"module\": \"java.base\",\n"
              "      \"glob\": \"jdk/x.dat\"\n"
              "    }\n"
              "  ]\n"
              "}\n");
    NT_CHECK(!nt_combined_expresses_all(c));
    nt_config_free(c);
}

static void test_serialization_and_predefined(void)
{
    nt_config *c = nt_config_new();
    add_class(&c->serialization, "com.Dto", &REACHABLE_MAIN);
    nt_type *e = add_ser_ctor(&c->serialization, "com.Ext", "java.lang.Object");
    nt_strv_push(&e->reasons, "r");
    add_proxy(&c->serialization, "com.Api", NULL, &REACHED_MAIN);
    add_class(&c->lambda_capturing, "com.Main", &REACHED_MAIN);
    nt_config_add_predefined(c, "agent-extracted", "h2", NULL);
    nt_config_add_predefined(c, "agent-extracted", "h1", "com.Gen$1");
    CHECK_OUT(c, NT_FILE_SERIALIZATION,
              "{\n"
              "  \"types\": [\n"
              "    {\n"
              "      \"condition\": {\n"
              "        \"typeReachable\": \"com.Main\"\n"
              "      },\n"
              "      \"name\": \"com.Dto\"\n"
              "    },\n"
              "    {\n"
              "      \"name\": \"com.Ext\",\n"
              "      \"customTargetConstructorClass\": \"java.lang.Object\",\n"
              "      \"reasons\": [\n"
              "        \"r\"\n"
              "      ]\n"
              "    }\n"
              "  ],\n"
              "  \"lambdaCapturingTypes\": [\n"
              "    {\n"
              "      \"condition\": {\n"
              "        \"typeReachable\": \"com.Main\"\n"
              "      },\n"
              "      \"name\": \"com.Main\"\n"
              "    }\n"
              "  ],\n"
              "  \"proxies\": [\n"
              "    {\n"
              "      \"condition\": {\n"
              "        \"typeReachable\": \"com.Main\"\n"
              "      },\n"
              "      \"interfaces\": [\n"
              "        \"com.Api\"\n"
              "      ]\n"
              "    }\n"
              "  ]\n"
              "}\n");
    CHECK_OUT(c, NT_FILE_PREDEFINED,
              "[\n"
              "  {\n"
              "    \"type\": \"agent-extracted\",\n"
              "    \"classes\": [\n"
              "      {\n"
              "        \"hash\": \"h1\",\n"
              "        \"nameInfo\": \"com.Gen$1\"\n"
              "      },\n"
              "      {\n"
              "        \"hash\": \"h2\"\n"
              "      }\n"
              "    ]\n"
              "  }\n"
              "]\n");
    /* Combined: the serialization proxy and com.Dto become serializable
     * reflection entries; com.Ext (custom constructor) cannot be expressed. */
    CHECK_OUT(c, NT_FILE_COMBINED,
              "{\n"
              "  \"reflection\": [\n"
              "    {\n"
              "      \"condition\": {\n"
              "        \"typeReached\": \"com.Main\"\n"
              "      },\n"
              "      \"type\": \"com.Dto\",\n"
              "      \"serializable\": true\n"
              "    },\n"
              "    {\n"
              "      \"condition\": {\n"
              "        \"typeReached\": \"com.Main\"\n"
              "      },\n"
              "      \"type\": {\n"
              "        \"proxy\": [\n"
              "          \"com.Api\"\n"
              "        ]\n"
              "      },\n"
              "      \"serializable\": true\n"
              "    }\n"
              "  ]\n"
              "}\n");
    NT_CHECK(!nt_combined_expresses_all(c));
    nt_config_free(c);
}

/* The union of reflection, jni and serialization entries in the combined file. */
static void test_combined(void)
{
    nt_config *c = nt_config_new();
    nt_strv_push(&c->comments, "generated");
    nt_type *r = add_class(&c->reflection, "com.Foo", &REACHABLE_MAIN);
    r->flags = NT_ALL_DECLARED_FIELDS | NT_ALL_PUBLIC_METHODS | NT_QUERY_ALL_DECLARED_METHODS |
               NT_ALL_DECLARED_CLASSES | NT_ALL_SIGNERS;
    add_method(r, "reverse", "java.lang.String", NULL, 1, NT_ACCESSED);
    add_method(r, "lookup", "int", NULL, 1, NT_QUERIED);
    add_method(r, "any", NULL, NULL, -1, NT_ACCESSED);
    NT_CHECK(nt_type_add_field(r, "w", NT_FIELD_ALLOW_WRITE) != NULL);
    nt_strv_push(&r->reasons, "one");
    nt_type *j = add_class(&c->jni, "com.Foo", &REACHED_MAIN);   /* same key in combined */
    j->flags = NT_UNSAFE_ALLOCATED;
    NT_CHECK(nt_type_add_field(j, "bar", 0) != NULL);
    add_method(j, "<init>", NULL, NULL, 0, NT_ACCESSED);
    add_method(j, "reverse", "java.lang.String", NULL, 1, NT_ACCESSED);
    nt_strv_push(&j->reasons, "two");
    nt_strv_push(&j->reasons, "one");
    add_class(&c->serialization, "com.Foo", &REACHED_MAIN);
    add_class(&c->reflection, "com.Bar", NULL);
    nt_strv_push(&add_class(&c->jni, "com.Bar", NULL)->reasons, "only");
    add_proxy(&c->reflection, "com.S", NULL, NULL);
    add_lambda(&c->reflection, "com.Main", "run", 1, "java.util.function.Supplier");
    nt_config_add_resource(c, NT_RES_GLOB, "java.base", "jdk/x.dat", NULL);
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "app.properties", &REACHABLE_MAIN);
    nt_config_add_resource(c, NT_RES_PATTERN, NULL, "a.*", NULL);          /* leftover */
    nt_config_add_bundle(c, "com.Messages", "app", NULL);
    nt_strv_push(&nt_config_add_bundle(c, "com.L", NULL, NULL)->class_names, "com.L"); /* leftover */
    /* stored canonically (sorted keys); written in GraalVM's key order */
    nt_strv_push(&c->foreign_upcalls, "{\"parameterTypes\":[],\"returnType\":\"void\"}");
    nt_strv_push(&c->foreign_downcalls,
                 "{\"returnType\":\"jint\",\"parameterTypes\":[\"void*\"]}");
    CHECK_OUT(c, NT_FILE_COMBINED,
              "{\n"
              "  \"comment\": \"generated\",\n"
              "  \"reflection\": [\n"
              "    {\n"
              "      \"type\": \"com.Bar\",\n"
              "      \"jniAccessible\": true,\n"
              "      \"reason\": \"only\"\n"
              "    },\n"
              "    {\n"
              "      \"condition\": {\n"
              "        \"typeReached\": \"com.Main\"\n"
              "      },\n"
              "      \"type\": \"com.Foo\",\n"
              "      \"allDeclaredFields\": true,\n"
              "      \"allPublicMethods\": true,\n"
              "      \"unsafeAllocated\": true,\n"
              "      \"serializable\": true,\n"
              "      \"jniAccessible\": true,\n"
              "      \"fields\": [\n"
              "        {\n"
              "          \"name\": \"bar\"\n"
              "        }\n"
              "      ],\n"
              "      \"methods\": [\n"
              "        {\n"
              "          \"name\": \"<init>\",\n"
              "          \"parameterTypes\": []\n"
              "        },\n"
              "        {\n"
              "          \"name\": \"reverse\",\n"
              "          \"parameterTypes\": [\n"
              "            \"java.lang.String\"\n"
              "          ]\n"
              "        }\n"
              "      ],\n"
              "      \"reason\": [\n"
              "        \"one\",\n"
              "        \"two\"\n"
              "      ]\n"
              "    },\n"
              "    {\n"
              "      \"type\": {\n"
              "        \"lambda\": {\n"
              "          \"declaringClass\": \"com.Main\",\n"
              "          \"declaringMethod\": {\n"
              "            \"name\": \"run\",\n"
              "            \"parameterTypes\": []\n"
              "          },\n"
              "          \"interfaces\": [\n"
              "            \"java.util.function.Supplier\"\n"
              "          ]\n"
              "        }\n"
              "      }\n"
              "    },\n"
              "    {\n"
              "      \"type\": {\n"
              "        \"proxy\": [\n"
              "          \"com.S\"\n"
              "        ]\n"
              "      }\n"
              "    }\n"
              "  ],\n"
              "  \"resources\": [\n"
              "    {\n"
              "      \"condition\": {\n"
              "        \"typeReached\": \"com.Main\"\n"
              "      },\n"
              "      \"glob\": \"app.properties\"\n"
              "    },\n"
              "    {\n"
              "      \"module\": \"java.base\",\n"
              "      \"glob\": \"jdk/x.dat\"\n"
              "    },\n"
              "    {\n"
              "      \"module\": \"app\",\n"
              "      \"bundle\": \"com.Messages\"\n"
              "    }\n"
              "  ],\n"
              "  \"foreign\": {\n"
              "    \"downcalls\": [\n"
              "      {\n"
              "        \"returnType\": \"jint\",\n"
              "        \"parameterTypes\": [\n"
              "          \"void*\"\n"
              "        ]\n"
              "      }\n"
              "    ],\n"
              "    \"upcalls\": [\n"
              "      {\n"
              "        \"returnType\": \"void\",\n"
              "        \"parameterTypes\": []\n"
              "      }\n"
              "    ],\n"
              "    \"directUpcalls\": []\n"
              "  }\n"
              "}\n");
    nt_config_free(c);
}

/* ---- directory output ---------------------------------------------------- */

static char *slurp(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 16);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int exists_in(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat st;
    return stat(path, &st) == 0;
}

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    if (d)
        closedir(d);
    return n;
}

static void rm_rf(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    NT_CHECK(system(cmd) == 0);
}

#define CHECK_FILE(dir, name, expected)          \
    do {                                         \
        char *s_ = slurp((dir), (name));         \
        NT_CHECK_STR(s_, (expected));            \
        free(s_);                                \
    } while (0)

static void test_write_dir_combined_leftovers(void)
{
    char tmpl[] = "/tmp/nt_write_XXXXXX";
    NT_CHECK(mkdtemp(tmpl) != NULL);
    char dir[256];
    snprintf(dir, sizeof dir, "%s/a/b", tmpl);   /* parents are created */

    nt_config *c = reflect_model();
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "g", NULL);
    nt_config_add_resource(c, NT_RES_EXCLUDE, NULL, "x", NULL);
    add_class(&c->lambda_capturing, "com.Cap", NULL);
    nt_config_add_predefined(c, "agent-extracted", "h", NULL);
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_write_dir(c, dir, NT_FORMAT_COMBINED, &d) == NT_OK);
    NT_CHECK(d.count == d.warnings);
    /* reflect-config.json: only the allowWrite field and the any_params method. */
    CHECK_FILE(dir, "reflect-config.json",
               "[\n"
               "  {\n"
               "    \"name\": \"com.a.A\",\n"
               "    \"fields\": [\n"
               "      {\n"
               "        \"name\": \"a\",\n"
               "        \"allowWrite\": true\n"
               "      }\n"
               "    ],\n"
               "    \"methods\": [\n"
               "      {\n"
               "        \"name\": \"m\"\n"
               "      }\n"
               "    ]\n"
               "  }\n"
               "]\n");
    CHECK_FILE(dir, "resource-config.json",
               "{\n"
               "  \"resources\": {\n"
               "    \"includes\": [],\n"
               "    \"excludes\": [\n"
               "      {\n"
               "        \"pattern\": \"x\"\n"
               "      }\n"
               "    ]\n"
               "  },\n"
               "  \"bundles\": [],\n"
               "  \"globs\": []\n"
               "}\n");
    CHECK_FILE(dir, "serialization-config.json",
               "{\n"
               "  \"types\": [],\n"
               "  \"lambdaCapturingTypes\": [\n"
               "    {\n"
               "      \"name\": \"com.Cap\"\n"
               "    }\n"
               "  ],\n"
               "  \"proxies\": []\n"
               "}\n");
    CHECK_FILE(dir, "predefined-classes-config.json",
               "[\n"
               "  {\n"
               "    \"type\": \"agent-extracted\",\n"
               "    \"classes\": [\n"
               "      {\n"
               "        \"hash\": \"h\"\n"
               "      }\n"
               "    ]\n"
               "  }\n"
               "]\n");
    NT_CHECK(!exists_in(dir, "jni-config.json"));
    NT_CHECK(!exists_in(dir, "proxy-config.json"));
    NT_CHECK(count_entries(dir) == 5);
    /* The combined file: com.a.A keeps what v1.2 expresses. */
    char *comb = slurp(dir, "reachability-metadata.json");
    char *expect = out(c, NT_FILE_COMBINED);
    NT_CHECK_STR(comb, expect);
    NT_CHECK(comb && strstr(comb, "\"name\": \"z\"") != NULL);
    NT_CHECK(comb && strstr(comb, "\"name\": \"a\"") == NULL);       /* allowWrite: legacy */
    NT_CHECK(comb && strstr(comb, "\"name\": \"q\"") == NULL);       /* queried: implied */
    NT_CHECK(comb && strstr(comb, "allDeclaredClasses") == NULL);
    NT_CHECK(comb && strstr(comb, "queryAll") == NULL);
    NT_CHECK(comb && strstr(comb, "\"glob\": \"g\"") != NULL);
    free(comb);
    free(expect);

    /* Rewriting the same config changes nothing. */
    NT_CHECK(nt_write_dir(c, dir, NT_FORMAT_COMBINED, &d) == NT_OK);
    NT_CHECK(count_entries(dir) == 5);
    nt_diags_free(&d);
    nt_config_free(c);
    rm_rf(tmpl);
}

static void test_write_dir_legacy(void)
{
    char tmpl[] = "/tmp/nt_write_XXXXXX";
    NT_CHECK(mkdtemp(tmpl) != NULL);
    nt_config *c = nt_config_new();
    add_class(&c->reflection, "com.A", NULL);
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_write_dir(c, tmpl, NT_FORMAT_LEGACY, &d) == NT_OK);
    NT_CHECK(count_entries(tmpl) == 6);
    NT_CHECK(!exists_in(tmpl, "reachability-metadata.json"));
    CHECK_FILE(tmpl, "reflect-config.json", "[\n  {\n    \"name\": \"com.A\"\n  }\n]\n");
    CHECK_FILE(tmpl, "jni-config.json", "[]\n");
    CHECK_FILE(tmpl, "proxy-config.json", "[]\n");
    CHECK_FILE(tmpl, "predefined-classes-config.json", "[]\n");
    NT_CHECK(exists_in(tmpl, "resource-config.json"));
    NT_CHECK(exists_in(tmpl, "serialization-config.json"));

    /* Lambdas and foreign entries need the combined file, holding only them. */
    add_lambda(&c->reflection, "com.M", NULL, 0, "java.lang.Runnable");
    nt_strv_push(&c->foreign_direct_upcalls, "{\"class\":\"com.U\",\"method\":\"cb\"}");
    /* ... and so do bundles in a named module (legacy bundles have no module). */
    nt_config_add_bundle(c, "sun.util.logging.resources.logging", "java.logging", NULL);
    nt_strv_push(&nt_config_add_bundle(c, "com.Loc", "app", NULL)->locales, "de");
    NT_CHECK(nt_write_dir(c, tmpl, NT_FORMAT_LEGACY, &d) == NT_OK);
    NT_CHECK(d.count == d.warnings);
    NT_CHECK(count_entries(tmpl) == 7);
    CHECK_FILE(tmpl, "reflect-config.json", "[\n  {\n    \"name\": \"com.A\"\n  }\n]\n");
    CHECK_FILE(tmpl, "reachability-metadata.json",
               "{\n"
               "  \"reflection\": [\n"
               "    {\n"
               "      \"type\": {\n"
               "        \"lambda\": {\n"
               "          \"declaringClass\": \"com.M\",\n"
               "          \"interfaces\": [\n"
               "            \"java.lang.Runnable\"\n"
               "          ]\n"
               "        }\n"
               "      }\n"
               "    }\n"
               "  ],\n"
               "  \"resources\": [\n"
               "    {\n"
               "      \"module\": \"java.logging\",\n"
               "      \"bundle\": \"sun.util.logging.resources.logging\"\n"
               "    }\n"
               "  ],\n"
               "  \"foreign\": {\n"
               "    \"downcalls\": [],\n"
               "    \"upcalls\": [],\n"
               "    \"directUpcalls\": [\n"
               "      {\n"
               "        \"class\": \"com.U\",\n"
               "        \"method\": \"cb\"\n"
               "      }\n"
               "    ]\n"
               "  }\n"
               "}\n");
    /* The bundle with locales cannot go to the combined file: best effort
     * "module:name" in the legacy file. */
    CHECK_FILE(tmpl, "resource-config.json",
               "{\n"
               "  \"resources\": {\n"
               "    \"includes\": [],\n"
               "    \"excludes\": []\n"
               "  },\n"
               "  \"bundles\": [\n"
               "    {\n"
               "      \"name\": \"app:com.Loc\",\n"
               "      \"locales\": [\n"
               "        \"de\"\n"
               "      ]\n"
               "    }\n"
               "  ],\n"
               "  \"globs\": []\n"
               "}\n");
    nt_diags_free(&d);
    nt_config_free(c);
    rm_rf(tmpl);
}

/* A rewrite with the same text leaves the files alone (same inode, no temp
 * file); a changed config replaces them (a new inode: temp file + rename). */
static void test_write_dir_unchanged(void)
{
    char tmpl[] = "/tmp/nt_write_XXXXXX";
    NT_CHECK(mkdtemp(tmpl) != NULL);
    nt_config *c = nt_config_new();
    add_class(&c->reflection, "com.A", NULL);
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_write_dir(c, tmpl, NT_FORMAT_LEGACY, &d) == NT_OK);
    char *path = nt_path_join(tmpl, "reflect-config.json");
    struct stat a, b, c2;
    NT_CHECK(path && stat(path, &a) == 0);
    NT_CHECK(nt_write_dir(c, tmpl, NT_FORMAT_LEGACY, &d) == NT_OK);
    NT_CHECK(stat(path, &b) == 0 && a.st_ino == b.st_ino);
    NT_CHECK(count_entries(tmpl) == 6);
    add_class(&c->reflection, "com.B", NULL);
    NT_CHECK(nt_write_dir(c, tmpl, NT_FORMAT_LEGACY, &d) == NT_OK);
    NT_CHECK(stat(path, &c2) == 0 && c2.st_ino != a.st_ino);
    NT_CHECK(count_entries(tmpl) == 6);
    CHECK_FILE(tmpl, "reflect-config.json",
               "[\n  {\n    \"name\": \"com.A\"\n  },\n  {\n    \"name\": \"com.B\"\n  }\n]\n");
    NT_CHECK(d.count == 0);
    free(path);
    nt_diags_free(&d);
    nt_config_free(c);
    rm_rf(tmpl);
}

/* ---- order ---------------------------------------------------------------- */

static void test_writer_does_not_modify(void)
{
    nt_config *c = reflect_model();
    nt_type *first = c->reflection.items[0];
    nt_type *a = nt_typeset_get_class(&c->reflection, "com.a.A", NULL, 0);
    char *m0 = a->methods[0].name;
    char *s = out(c, NT_FILE_REFLECT);
    free(s);
    s = out(c, NT_FILE_COMBINED);
    free(s);
    NT_CHECK(c->reflection.items[0] == first);
    NT_CHECK(a->methods[0].name == m0 && strcmp(m0, "m") == 0);
    NT_CHECK(strcmp(a->fields[0].name, "z") == 0);
    nt_config_free(c);
}

static void test_config_sort(void)
{
    nt_config *c = reflect_model();
    nt_config_add_resource(c, NT_RES_PATTERN, NULL, "p", NULL);
    nt_config_add_resource(c, NT_RES_GLOB, "m", "a", NULL);
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "b", &REACHED_MAIN);
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "b", NULL);
    nt_config_add_bundle(c, "b", NULL, NULL);
    nt_config_add_bundle(c, "a", "mod", NULL);
    nt_config_add_bundle(c, "a", NULL, NULL);
    nt_config_add_predefined(c, "agent-extracted", "z", NULL);
    nt_config_add_predefined(c, "agent-extracted", "a", NULL);
    char *before = out(c, NT_FILE_REFLECT);
    nt_config_sort(c);
    char *after = out(c, NT_FILE_REFLECT);
    NT_CHECK_STR(after, before);     /* the writer's order is the canonical one */
    free(before);
    free(after);

    nt_typeset *s = &c->reflection;
    NT_CHECK(s->count == 6);
    NT_CHECK(strcmp(s->items[0]->td.name, "com.a.A") == 0 && s->items[0]->cond.kind == NT_COND_NONE);
    NT_CHECK(strcmp(s->items[1]->td.name, "com.a.A") == 0 && s->items[1]->cond.kind == NT_COND_REACHABLE);
    NT_CHECK(strcmp(s->items[2]->td.name, "com.b.Z") == 0);
    NT_CHECK(s->items[3]->td.kind == NT_TD_LAMBDA);          /* "lambda:..." < "proxy:..." */
    NT_CHECK(s->items[4]->td.kind == NT_TD_PROXY && strcmp(s->items[4]->td.ifaces.v[0], "com.I") == 0);
    NT_CHECK(s->items[5]->td.kind == NT_TD_PROXY && strcmp(s->items[5]->td.ifaces.v[0], "com.K") == 0);
    for (size_t i = 0; i < s->count; i++)   /* the index still finds every entry */
        NT_CHECK(nt_typeset_get(s, &s->items[i]->td, &s->items[i]->cond, 0) == s->items[i]);
    nt_type *a = s->items[0];
    NT_CHECK(strcmp(a->fields[0].name, "a") == 0 && strcmp(a->fields[1].name, "z") == 0);
    NT_CHECK(strcmp(a->methods[0].name, "<init>") == 0);
    NT_CHECK(strcmp(a->methods[1].name, "m") == 0 && a->methods[1].any_params);
    NT_CHECK(a->methods[2].params.n == 1 && strcmp(a->methods[2].params.v[0], "int") == 0);
    NT_CHECK(a->methods[3].params.n == 2);
    NT_CHECK(strcmp(a->methods[4].name, "q") == 0);

    NT_CHECK(c->n_resources == 4);
    NT_CHECK(c->resources[0].kind == NT_RES_GLOB && !c->resources[0].module &&
             c->resources[0].cond.kind == NT_COND_NONE);
    NT_CHECK(c->resources[1].kind == NT_RES_GLOB && c->resources[1].cond.kind == NT_COND_REACHED);
    NT_CHECK(c->resources[2].module && strcmp(c->resources[2].module, "m") == 0);
    NT_CHECK(c->resources[3].kind == NT_RES_PATTERN);
    NT_CHECK(strcmp(c->bundles[0].name, "a") == 0 && !c->bundles[0].module);
    NT_CHECK(strcmp(c->bundles[1].name, "a") == 0 && c->bundles[1].module);
    NT_CHECK(strcmp(c->bundles[2].name, "b") == 0);
    NT_CHECK(strcmp(c->predefined[0].hash, "a") == 0);

    /* comparators */
    nt_method m1 = {"x", 1, {0}, NT_ACCESSED}, m2 = {"x", 0, {0}, NT_QUERIED};
    NT_CHECK(nt_method_cmp(&m1, &m2) < 0 && nt_method_cmp(&m2, &m1) > 0);
    NT_CHECK(nt_strcmp_null(NULL, "") < 0 && nt_strcmp_null(NULL, NULL) == 0);
    nt_config_free(c);
}

/* write -> read (the real reader) -> write is a fixpoint, in both formats. */
static void round_trip(nt_config *c, nt_format fmt)
{
    char t1[] = "/tmp/nt_rt1_XXXXXX", t2[] = "/tmp/nt_rt2_XXXXXX";
    NT_CHECK(mkdtemp(t1) != NULL && mkdtemp(t2) != NULL);
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_write_dir(c, t1, fmt, &d) == NT_OK);
    nt_config *back = nt_config_new();
    size_t nf = 0;
    NT_CHECK(nt_read_input(back, t1, NULL, &d, &nf) == NT_OK);
    NT_CHECK(nf == count_entries(t1));
    NT_CHECK(nt_write_dir(back, t2, fmt, &d) == NT_OK);
    NT_CHECK(count_entries(t1) == count_entries(t2));
    static const char *const names[] = {
        "reflect-config.json", "jni-config.json", "resource-config.json", "proxy-config.json",
        "serialization-config.json", "predefined-classes-config.json",
        "reachability-metadata.json"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *a = slurp(t1, names[i]), *b = slurp(t2, names[i]);
        NT_CHECK((a == NULL) == (b == NULL));
        if (a && b)
            NT_CHECK_STR(b, a);
        free(a);
        free(b);
    }
    for (size_t i = 0; i < d.count; i++) {
        char buf[2048];
        nt_error_format(&d.items[i], buf, sizeof buf);
        fprintf(stderr, "  %s\n", buf);
    }
    NT_CHECK(d.count == d.warnings);
    nt_diags_free(&d);
    nt_config_free(back);
    rm_rf(t1);
    rm_rf(t2);
}

static void test_round_trip(void)
{
    nt_config *c = reflect_model();
    nt_config_add_resource(c, NT_RES_GLOB, "java.base", "jdk/x.dat", &REACHED_MAIN);
    nt_config_add_resource(c, NT_RES_PATTERN, NULL, "a.*\\.txt", NULL);
    nt_strv_push(&nt_config_add_bundle(c, "com.Msg", NULL, NULL)->locales, "de");
    nt_config_add_bundle(c, "com.B", "java.logging", NULL);
    add_class(&c->jni, "com.J", NULL)->flags |= NT_ALL_DECLARED_METHODS;
    add_ser_ctor(&c->serialization, "com.S", "java.lang.Object");
    add_proxy(&c->serialization, "com.SP", NULL, NULL);
    add_class(&c->lambda_capturing, "com.Cap", NULL);
    nt_config_add_predefined(c, "agent-extracted", "h", "com.X");
    nt_strv_push(&c->foreign_downcalls, "{\"parameterTypes\":[],\"returnType\":\"void\"}");
    round_trip(c, NT_FORMAT_LEGACY);
    round_trip(c, NT_FORMAT_COMBINED);
    nt_config_free(c);
}

static void test_bad_foreign_text(void)
{
    nt_config *c = nt_config_new();
    nt_strv_push(&c->foreign_downcalls, "{\"returnType\":");
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_write_string(c, NT_FILE_COMBINED, &d) == NULL);
    NT_CHECK(d.count == 1 && d.items[0].code == NT_ERR_INVAL);
    char *s = nt_write_string(c, NT_FILE_REFLECT, &d);   /* other files are unaffected */
    NT_CHECK_STR(s, "[]\n");
    free(s);
    nt_diags_free(&d);
    nt_config_free(c);
}

static void test_invalid_utf8(void)
{
    nt_config *c = nt_config_new();
    add_class(&c->reflection, "com.\xff" "A", NULL);
    nt_diags d;
    nt_diags_init(&d);
    char *s = nt_write_string(c, NT_FILE_REFLECT, &d);
    NT_CHECK_STR(s, "[\n  {\n    \"name\": \"com.\xEF\xBF\xBD" "A\"\n  }\n]\n");
    NT_CHECK(d.count == 1 && d.warnings == 1);
    free(s);
    nt_diags_free(&d);
    nt_config_free(c);
}

/* A combined entry joins reflection's flags and JNI's members: members those
 * flags cover are not listed, so reading the file back and writing it again
 * gives the same bytes. */
static void test_combined_fixed_point(void)
{
    nt_config *c = nt_config_new();
    nt_type *r = nt_typeset_get_class(&c->reflection, "a.A", NULL, 1);
    nt_type *j = nt_typeset_get_class(&c->jni, "a.A", NULL, 1);
    NT_CHECK(r && j);
    if (!r || !j)
        return;
    r->flags = NT_ALL_DECLARED_METHODS | NT_ALL_PUBLIC_METHODS | NT_ALL_DECLARED_FIELDS |
               NT_ALL_PUBLIC_FIELDS;
    const char *ip[] = {"int"};
    NT_CHECK(nt_type_add_method(j, "cb", 0, ip, 1, NT_ACCESSED) != NULL);
    NT_CHECK(nt_type_add_field(j, "h", 0) != NULL);
    NT_CHECK(nt_type_add_method(j, "<init>", 0, NULL, 0, NT_ACCESSED) != NULL);
    char *first = nt_write_string(c, NT_FILE_COMBINED, NULL);
    NT_CHECK(first && !strstr(first, "\"cb\"") && !strstr(first, "\"h\"") &&
             strstr(first, "\"jniAccessible\": true"));
    nt_config *back = nt_config_new();
    NT_CHECK(first && nt_read_buffer(back, NT_FILE_COMBINED, first, strlen(first), "first", NULL,
                                     NULL) == NT_OK);
    nt_config_normalize(back);
    char *second = nt_write_string(back, NT_FILE_COMBINED, NULL);
    NT_CHECK_STR(second, first);
    free(first);
    free(second);
    nt_config_free(back);
    nt_config_free(c);
}

int main(void)
{
    NT_RUN(test_empty_outputs);
    NT_RUN(test_reflect_legacy);
    NT_RUN(test_jni_legacy);
    NT_RUN(test_resource_legacy);
    NT_RUN(test_serialization_and_predefined);
    NT_RUN(test_combined);
    NT_RUN(test_combined_fixed_point);
    NT_RUN(test_write_dir_combined_leftovers);
    NT_RUN(test_write_dir_legacy);
    NT_RUN(test_write_dir_unchanged);
    NT_RUN(test_writer_does_not_modify);
    NT_RUN(test_config_sort);
    NT_RUN(test_round_trip);
    NT_RUN(test_bad_foreign_text);
    NT_RUN(test_invalid_utf8);
    NT_DONE();
}
