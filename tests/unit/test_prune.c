/* Unit tests of lib/prune.c: every built-in rule, user rules, contexts, and
 * pruning with and without provenance. */
#include <string.h>

#include "nitrace/model.h"
#include "nitrace/ops.h"
#include "nitrace/prune.h"
#include "nitrace/recorder.h"
#include "nitrace/trace.h"
#include "nt_test.h"
#include "prune_priv.h"

static const nt_prune_rule *rule(const char *id)
{
    size_t n;
    const nt_prune_rule *v = nt_prune_clojure_rules(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0)
            return &v[i];
    return NULL;
}

/* one row: rule id, kind, name, member, caller, expected match */
typedef struct {
    const char *id;
    unsigned kind;
    const char *name, *member, *caller;
    int match;
} row;

static void check_rows(const row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const nt_prune_rule *r = rule(rows[i].id);
        NT_CHECK(r != NULL);
        if (!r)
            continue;
        int got = nt_prune_rule_matches(r, rows[i].kind, rows[i].name, rows[i].member,
                                        rows[i].caller);
        if (got != rows[i].match)
            fprintf(stderr, "rule %s on %s %s: got %d\n", rows[i].id, rows[i].name,
                    rows[i].member ? rows[i].member : "", got);
        NT_CHECK(got == rows[i].match);
    }
}

#define RF NT_PRUNE_REFLECTION
#define JN NT_PRUNE_JNI
#define RS NT_PRUNE_RESOURCE
#define CHECK_ROWS(...)                                   \
    do {                                                  \
        static const row rows_[] = {__VA_ARGS__};         \
        check_rows(rows_, sizeof rows_ / sizeof *rows_);  \
    } while (0)

static void test_rule_ns_init_class(void)
{
    CHECK_ROWS({"clojure-ns-init-class", RF, "clojure.core__init", NULL, NULL, 1},
               {"clojure-ns-init-class", JN, "example.handler__init", NULL, NULL, 1},
               {"clojure-ns-init-class", RF, "user__init", NULL, NULL, 1},
               {"clojure-ns-init-class", RF, "example.handler", NULL, NULL, 0},
               {"clojure-ns-init-class", RF, "example.init_thing", NULL, NULL, 0},
               {"clojure-ns-init-class", RS, "clojure.core__init", NULL, NULL, 0},
               {"clojure-ns-init-class", RF, "clojure.core__init", "<init>", NULL, 0});
}

static void test_rule_ns_init_resource(void)
{
    CHECK_ROWS({"clojure-ns-init-resource", RS, "clojure/core__init.class", NULL, NULL, 1},
               {"clojure-ns-init-resource", RS, "user__init.class", NULL, NULL, 1},
               {"clojure-ns-init-resource", RS, "example/handler.class", NULL, NULL, 0},
               {"clojure-ns-init-resource", RF, "clojure/core__init.class", NULL, NULL, 0});
}

static void test_rule_user_clj(void)
{
    CHECK_ROWS({"clojure-user-clj", RS, "user.clj", NULL, NULL, 1},
               {"clojure-user-clj", RS, "example/user.clj", NULL, NULL, 0});
}

static void test_rule_data_readers(void)
{
    CHECK_ROWS({"clojure-data-readers", RS, "data_readers.clj", NULL, NULL, 1},
               {"clojure-data-readers", RS, "data_readers.cljc", NULL, NULL, 1},
               {"clojure-data-readers", RS, "data_readers.edn", NULL, NULL, 0});
}

static void test_rule_version_properties(void)
{
    CHECK_ROWS({"clojure-version-properties", RS, "clojure/version.properties", NULL, NULL, 1},
               {"clojure-version-properties", RS, "example/version.properties", NULL, NULL, 0});
}

static void test_rule_ns_source(void)
{
    CHECK_ROWS({"clojure-ns-source", RS, "clojure/core.clj", NULL, NULL, 1},
               {"clojure-ns-source", RS, "example/config.edn", NULL, NULL, 0},
               {"clojure-ns-source", RS, "clojure/spec/alpha.cljc", NULL, NULL, 0},
               {"clojure-ns-source-cljc", RS, "clojure/spec/alpha.cljc", NULL, NULL, 1},
               {"clojure-ns-source-cljc", RS, "clojure/core.clj", NULL, NULL, 0});
}

static void test_rule_runtime_compiler(void)
{
    CHECK_ROWS({"clojure-runtime-fn", RF, "clojure.core.specs.alpha$fn__52", NULL, NULL, 1},
               {"clojure-runtime-fn", RF, "example.core$handler$fn__279", NULL, NULL, 1},
               {"clojure-runtime-fn", RF, "example.core$fn_helper", NULL, NULL, 0},
               {"clojure-runtime-eval", RF, "user$eval132", NULL, NULL, 1},
               {"clojure-runtime-eval", RF, "example.core$evaluate", NULL, NULL, 0});
}

static void test_rule_launcher_jni(void)
{
    CHECK_ROWS({"launcher-jni-main", JN, "com.example.Main", "main", NULL, 1},
               {"launcher-jni-main", RF, "com.example.Main", "main", NULL, 0},
               {"launcher-jni-main", JN, "com.example.Main", "run", NULL, 0},
               {"launcher-jni-main", JN, "com.example.Main", NULL, NULL, 0},
               {"launcher-jni-classloader", JN, "java.lang.ClassLoader", "loadClass", NULL, 1},
               {"launcher-jni-classloader", JN, "java.lang.ClassLoader",
                "getPlatformClassLoader", NULL, 1},
               {"launcher-jni-classloader", JN, "java.lang.Class", "forName", NULL, 0},
               {"launcher-jni-nosuchmethod", JN, "java.lang.NoSuchMethodError", NULL, NULL, 1},
               {"launcher-jni-nosuchmethod", RF, "java.lang.NoSuchMethodError", NULL, NULL, 0},
               {"jvm-management-jni", JN, "sun.management.VMManagementImpl", NULL, NULL, 1},
               {"jvm-management-jni", JN, "sun.management.Other", NULL, NULL, 0});
}

static void test_rule_caller_rules(void)
{
    CHECK_ROWS({"clojure-compiler-caller", RF, "example.Foo", NULL,
                "clojure.lang.Compiler$ObjExpr", 1},
               {"clojure-compiler-caller", RF, "example.Foo", NULL, "clojure.lang.Reflector", 0},
               /* a caller rule never matches without a caller (configs without provenance) */
               {"clojure-compiler-caller", RF, "example.Foo", NULL, NULL, 0},
               {"clojure-when-class-probe", RF, "java.sql.Timestamp", NULL,
                "clojure.core$fn__8355", 1},
               {"clojure-when-class-probe", RF, "java.sql.Timestamp", NULL, "example.db", 0},
               {"clojure-genclass-prim-arrays", RF, "boolean[]", NULL, "clojure.genclass__init",
                1},
               {"clojure-genclass-prim-arrays", RF, "boolean[]", NULL, "clojure.core$make_array",
                0});
}

static void test_rule_can_access(void)
{
    const nt_prune_rule *r = rule("reflector-can-access");
    NT_CHECK(r && r->action == NT_PRUNE_REWRITE);
    NT_CHECK_STR(r ? r->rewrite_class : NULL, "java.lang.reflect.AccessibleObject");
    CHECK_ROWS({"reflector-can-access", RF, "java.lang.reflect.Method", "canAccess", NULL, 1},
               {"reflector-can-access", RF, "java.lang.reflect.Method", "invoke", NULL, 0},
               {"reflector-can-access", JN, "java.lang.reflect.Method", "canAccess", NULL, 0});
}

static void test_table_well_formed(void)
{
    size_t n;
    const nt_prune_rule *v = nt_prune_clojure_rules(&n);
    NT_CHECK(n >= 15);
    for (size_t i = 0; i < n; i++) {
        NT_CHECK(v[i].id && v[i].description && v[i].name && v[i].kinds);
        NT_CHECK((v[i].action == NT_PRUNE_REWRITE) == (v[i].rewrite_class != NULL));
        for (size_t j = 0; j < i; j++)
            NT_CHECK(strcmp(v[i].id, v[j].id) != 0);
    }
}

static void test_context_build_time(void)
{
    nt_prune_opts o;
    nt_prune_opts_init(&o);
    nt_strv pk = {0};
    NT_CHECK(nt_strv_push(&pk, "example") == NT_OK);
    nt_rec_context c = {0};
    NT_CHECK(nt_prune_context_is_build_time(&c, &o, &pk) == 1); /* before main */
    c.main_phase = 1;
    NT_CHECK(nt_prune_context_is_build_time(&c, &o, &pk) == 0);
    c.clojure_loading = 1; /* a run-time require */
    NT_CHECK(nt_prune_context_is_build_time(&c, &o, &pk) == 0);
    c.clinit_class = "example.lazy__init";
    NT_CHECK(nt_prune_context_is_build_time(&c, &o, &pk) == 1);
    c.clinit_class = "clojure.lang.RT";
    NT_CHECK(nt_prune_context_is_build_time(&c, &o, &pk) == 1);
    c.clinit_class = "example.handler"; /* package holding an __init class */
    NT_CHECK(nt_prune_context_is_build_time(&c, &o, &pk) == 1);
    NT_CHECK(nt_prune_context_is_build_time(&c, &o, NULL) == 0);
    c.clinit_class = "com.example.App";
    NT_CHECK(nt_prune_context_is_build_time(&c, &o, &pk) == 0);
    o.build_time_all = 1;
    NT_CHECK(nt_prune_context_is_build_time(&c, &o, &pk) == 1);
    o.build_time_all = 0;
    o.build_time_clojure = 0;
    const char *pkgs[] = {"com.example"};
    o.build_time_packages = pkgs;
    o.n_build_time_packages = 1;
    NT_CHECK(nt_prune_context_is_build_time(&c, &o, &pk) == 1);
    c.clinit_class = "com.examples.App";
    NT_CHECK(nt_prune_context_is_build_time(&c, &o, &pk) == 0);
    c.clinit_class = "clojure.lang.RT"; /* 'clojure' not in the list */
    NT_CHECK(nt_prune_context_is_build_time(&c, &o, &pk) == 0);

    /* before main: the JDK starting up is build time, the main class's <clinit> is judged */
    nt_prune_opts_init(&o);
    nt_rec_context pre = {.clinit_class = "com.acme.Main"};
    NT_CHECK(nt_prune_context_is_build_time(&pre, &o, &pk) == 0);
    pre.clinit_class = "jdk.internal.perf.PerfCounter$CoreCounters";
    NT_CHECK(nt_prune_context_is_build_time(&pre, &o, &pk) == 1);
    pre.clinit_class = "example.core__init";
    NT_CHECK(nt_prune_context_is_build_time(&pre, &o, &pk) == 1);
    /* a namespace package covers its subpackages, as --initialize-at-build-time does */
    c.clinit_class = "example.impl.Handler";
    NT_CHECK(nt_prune_context_is_build_time(&c, &o, &pk) == 1);
    c.clinit_class = "examples.Handler";
    NT_CHECK(nt_prune_context_is_build_time(&c, &o, &pk) == 0);
    /* a single-segment namespace adds no (unnamed) package */
    nt_strv one = {0};
    NT_CHECK(nt_prune_ns_package_of("hello__init", &one) == NT_OK && one.n == 0);
    NT_CHECK(nt_prune_ns_package_of("example/core__init.class", &one) == NT_OK && one.n == 1);
    c.clinit_class = "Worker";
    NT_CHECK(nt_prune_context_is_build_time(&c, &o, &one) == 0);
    nt_strv_free(&one);
    nt_strv_free(&pk);
}

static void test_rules_read(void)
{
    nt_prune_rules r;
    nt_prune_rules_init(&r);
    const char *good =
        "{\"rules\":[{\"id\":\"gen\",\"description\":\"generated\",\"kinds\":[\"reflection\"],"
        "\"name\":\"com.example.gen.*\",\"action\":\"drop\"},"
        "{\"id\":\"keep-cfg\",\"name\":\"example/*.clj\",\"action\":\"keep\"},"
        "{\"id\":\"mv\",\"kinds\":[\"jni\"],\"name\":\"a.B\",\"member\":\"m\","
        "\"action\":\"rewrite\",\"rewriteClass\":\"a.C\"}]}";
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_prune_rules_read(good, strlen(good), "rules.json", &r, &d) == NT_OK);
    NT_CHECK(r.n == 3);
    if (r.n == 3) {
        NT_CHECK(r.v[0].kinds == NT_PRUNE_REFLECTION && r.v[0].action == NT_PRUNE_DROP);
        NT_CHECK(r.v[1].kinds == NT_PRUNE_ALL_KINDS && r.v[1].action == NT_PRUNE_KEEP);
        NT_CHECK_STR(r.v[2].rewrite_class, "a.C");
        NT_CHECK(nt_prune_rule_matches(&r.v[0], NT_PRUNE_REFLECTION, "com.example.gen.X", NULL,
                                       NULL));
    }
    static const char *const bad[] = {
        "[]",
        "{\"rules\":[{\"id\":\"x\",\"name\":\"a\",\"action\":\"drop\",\"nmae\":\"b\"}]}",
        "{\"rules\":[{\"id\":\"x\",\"name\":\"a\",\"action\":\"erase\"}]}",
        "{\"rules\":[{\"id\":\"x\",\"action\":\"drop\"}]}",
        "{\"rules\":[{\"id\":\"x\",\"name\":\"a\",\"action\":\"rewrite\",\"rewriteClass\":\"b\"}]}",
        "{\"rules\":[{\"id\":\"x\",\"name\":\"a\",\"action\":\"drop\",\"kinds\":[\"types\"]}]}",
        "{\"rules\":[{\"id\":\"x\",\"name\":\"a\",\"action\":\"drop\",\"kinds\":[\"resources\"],"
        "\"member\":\"m\"}]}",
        "{\"rules\":[{\"id\":\"\",\"name\":\"a\",\"action\":\"drop\"}]}",
        "{\"rules\":[{\"id\":\"ok\",\"name\":\"a\",\"action\":\"drop\"},3]}",
        "{\"rules\":",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        size_t before = d.count;
        NT_CHECK(nt_prune_rules_read(bad[i], strlen(bad[i]), "bad.json", &r, &d) ==
                 NT_ERR_PARSE);
        NT_CHECK(d.count == before + 1);
    }
    NT_CHECK(r.n == 3); /* nothing of a bad document is added */
    nt_diags_free(&d);
    nt_prune_rules_free(&r);
}

static int has_line(const nt_prune_report *rep, nt_prune_verdict v, const char *entry,
                    const char *rule_id)
{
    for (size_t i = 0; i < rep->n; i++)
        if (rep->lines[i].verdict == v && strcmp(rep->lines[i].entry, entry) == 0 &&
            strcmp(rep->lines[i].rule, rule_id) == 0)
            return 1;
    return 0;
}

static void test_prune_heuristic(void)
{
    nt_config *c = nt_config_new();
    nt_typeset_get_class(&c->reflection, "clojure.core__init", NULL, 1);
    nt_typeset_get_class(&c->reflection, "user$eval12", NULL, 1);
    nt_type *h = nt_typeset_get_class(&c->reflection, "example.handler", NULL, 1);
    nt_type_add_method(h, "<init>", 0, NULL, 0, NT_ACCESSED);
    nt_type *m = nt_typeset_get_class(&c->reflection, "java.lang.reflect.Method", NULL, 1);
    const char *obj[] = {"java.lang.Object"};
    nt_type_add_method(m, "canAccess", 0, obj, 1, NT_ACCESSED);
    nt_type *j = nt_typeset_get_class(&c->jni, "com.example.Main", NULL, 1);
    const char *sa[] = {"java.lang.String[]"};
    nt_type_add_method(j, "main", 0, sa, 1, NT_ACCESSED);
    nt_type *j2 = nt_typeset_get_class(&c->jni, "com.example.Native", NULL, 1);
    nt_type_add_method(j2, "main", 0, sa, 1, NT_ACCESSED);
    nt_type_add_field(j2, "handle", 0);
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "clojure/core.clj", NULL);
    nt_config_add_resource(c, NT_RES_PATTERN, NULL, "\\Qexample/handler__init.class\\E", NULL);
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "example/config.edn", NULL);
    /* a user rule keeps one namespace source */
    nt_prune_rule keep = {"keep-tpl", "templates", NT_PRUNE_RESOURCE, "templates/*.clj", NULL,
                          NULL, NT_PRUNE_KEEP, NULL};
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "templates/page.clj", NULL);

    nt_prune_opts o;
    nt_prune_opts_init(&o);
    o.user_rules = &keep;
    o.n_user_rules = 1;
    nt_prune_report rep;
    nt_prune_report_init(&rep);
    NT_CHECK(nt_prune(c, NULL, &o, &rep, NULL) == NT_OK);
    NT_CHECK(rep.heuristic == 1);
    NT_CHECK(nt_typeset_get_class(&c->reflection, "clojure.core__init", NULL, 0) == NULL);
    NT_CHECK(nt_typeset_get_class(&c->reflection, "user$eval12", NULL, 0) == NULL);
    NT_CHECK(nt_typeset_get_class(&c->reflection, "example.handler", NULL, 0) != NULL);
    NT_CHECK(nt_typeset_get_class(&c->reflection, "java.lang.reflect.Method", NULL, 0) == NULL);
    nt_type *ao = nt_typeset_get_class(&c->reflection, "java.lang.reflect.AccessibleObject",
                                       NULL, 0);
    NT_CHECK(ao && nt_type_find_method(ao, "canAccess", 0, obj, 1) != NULL);
    NT_CHECK(nt_typeset_get_class(&c->jni, "com.example.Main", NULL, 0) == NULL);
    nt_type *n2 = nt_typeset_get_class(&c->jni, "com.example.Native", NULL, 0);
    NT_CHECK(n2 && n2->n_methods == 0 && n2->n_fields == 1);
    NT_CHECK(c->n_resources == 2);
    NT_CHECK(has_line(&rep, NT_PRUNE_REMOVED, "clojure.core__init", "clojure-ns-init-class"));
    NT_CHECK(has_line(&rep, NT_PRUNE_REMOVED, "example/handler__init.class",
                      "clojure-ns-init-resource") ||
             has_line(&rep, NT_PRUNE_REMOVED, "pattern \\Qexample/handler__init.class\\E",
                      "clojure-ns-init-resource"));
    NT_CHECK(has_line(&rep, NT_PRUNE_REMOVED, "com.example.Main", "left-empty"));
    NT_CHECK(has_line(&rep, NT_PRUNE_REWRITTEN,
                      "java.lang.reflect.Method method canAccess(java.lang.Object)",
                      "reflector-can-access"));
    NT_CHECK(rep.after == nt_config_entry_count(c) && rep.before == 10);
    nt_prune_report_free(&rep);
    nt_config_free(c);
}

/* Add one event (JSON text) with contexts to r. */
static void rec(nt_recorder *r, const char *json, const nt_rec_context *ctx, size_t n)
{
    nt_event *e = NULL;
    NT_CHECK(nt_event_parse(json, strlen(json), "test", &e, NULL) == NT_OK);
    if (!e)
        return;
    if (n == 0)
        nt_recorder_add(r, e, NULL);
    for (size_t i = 0; i < n; i++)
        NT_CHECK(nt_recorder_add(r, e, &ctx[i]) >= 0);
    nt_event_free(e);
}

/* A recorder in the live phase, as the agent's recordings are. */
static nt_recorder *live_recorder(void)
{
    nt_recorder *r = nt_recorder_new();
    rec(r, "{\"tracer\":\"meta\",\"event\":\"phase_change\",\"phase\":\"live\"}", NULL, 0);
    return r;
}

/* Namespace loading: example.core__init's <clinit> during the main phase. */
static const nt_rec_context CORE_LOADING = {.caller_class = "example.core__init",
                                            .clinit_class = "example.core__init",
                                            .clojure_loading = 1, .main_phase = 1};

static void test_prune_provenance(void)
{
    nt_recorder *r = live_recorder();
    nt_rec_context loading = {.caller_class = "clojure.lang.RT", .clinit_class = "clojure.lang.RT",
                              .clojure_loading = 1, .main_phase = 1};
    nt_rec_context req = {.caller_class = "clojure.lang.Reflector", .main_phase = 1};
    nt_rec_context lazy = {.caller_class = "clojure.lang.RT", .clojure_loading = 1,
                           .main_phase = 1};
    nt_rec_context both[] = {loading, req};
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\","
           "\"caller_class\":\"clojure.lang.RT\",\"result\":true,\"args\":[\"clojure.core__init\"]}",
        &loading, 1);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\","
           "\"caller_class\":\"clojure.lang.RT\",\"result\":true,\"args\":[\"java.lang.String\"]}",
        both, 2);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"getMethods\",\"class\":\"java.lang.Integer\","
           "\"caller_class\":\"clojure.lang.Reflector\",\"result\":true,\"args\":[]}",
        &loading, 1);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"getMethod\",\"class\":\"java.lang.Integer\","
           "\"caller_class\":\"clojure.lang.Reflector\",\"result\":true,"
           "\"args\":[\"intValue\",[]]}",
        &req, 1);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"getResource\",\"class\":\"java.lang.ClassLoader\","
           "\"caller_class\":\"clojure.lang.RT\",\"result\":true,"
           "\"args\":[\"example/lazy__init.class\"]}",
        &lazy, 1);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"findMethodHandle\","
           "\"class\":\"java.lang.reflect.Method\",\"caller_class\":\"clojure.lang.Reflector\","
           "\"result\":true,\"args\":[\"canAccess\",[\"java.lang.Object\"]]}",
        &loading, 1);
    nt_config *c = nt_config_new();
    NT_CHECK(nt_recorder_build(r, c, NULL, NULL) == NT_OK);
    nt_type *integer = nt_typeset_get_class(&c->reflection, "java.lang.Integer", NULL, 0);
    NT_CHECK(integer && integer->n_methods == 1 && integer->flags != 0);
    nt_typeset_get_class(&c->reflection, "com.example.HandAdded", NULL, 1); /* not recorded */

    nt_prune_opts o;
    nt_prune_opts_init(&o);
    nt_prune_report rep;
    nt_prune_report_init(&rep);
    NT_CHECK(nt_prune(c, r, &o, &rep, NULL) == NT_OK);
    NT_CHECK(rep.heuristic == 0 && rep.events == 6);
    NT_CHECK(nt_typeset_get_class(&c->reflection, "clojure.core__init", NULL, 0) == NULL);
    NT_CHECK(nt_typeset_get_class(&c->reflection, "java.lang.String", NULL, 0) != NULL);
    NT_CHECK(nt_typeset_get_class(&c->reflection, "com.example.HandAdded", NULL, 0) != NULL);
    integer = nt_typeset_get_class(&c->reflection, "java.lang.Integer", NULL, 0);
    /* the load-time getMethods flag goes, the request-time method stays */
    NT_CHECK(integer && integer->flags == 0 && integer->n_methods == 1);
    NT_CHECK(c->n_resources == 1);
    nt_type *ao = nt_typeset_get_class(&c->reflection, "java.lang.reflect.AccessibleObject",
                                       NULL, 0);
    NT_CHECK(ao && ao->n_methods == 1);
    NT_CHECK(has_line(&rep, NT_PRUNE_REMOVED, "clojure.core__init", "build-time-only"));
    NT_CHECK(has_line(&rep, NT_PRUNE_KEPT, "example/lazy__init.class",
                      "clojure-ns-init-resource"));
    NT_CHECK(has_line(&rep, NT_PRUNE_KEPT,
                      "java.lang.reflect.Method method canAccess(java.lang.Object)",
                      "method-handle"));
    for (size_t i = 0; i < rep.n; i++)
        if (strcmp(rep.lines[i].entry, "clojure.core__init") == 0)
            NT_CHECK(strstr(rep.lines[i].provenance, "clinit=clojure.lang.RT") != NULL);

    /* --build-time-init=com.other: clojure.lang.RT is no longer build-time */
    nt_config *c2 = nt_config_new();
    NT_CHECK(nt_recorder_build(r, c2, NULL, NULL) == NT_OK);
    const char *pk[] = {"com.other"};
    o.build_time_clojure = 0;
    o.build_time_packages = pk;
    o.n_build_time_packages = 1;
    NT_CHECK(nt_prune(c2, r, &o, NULL, NULL) == NT_OK);
    NT_CHECK(nt_typeset_get_class(&c2->reflection, "clojure.core__init", NULL, 0) != NULL);
    nt_config_free(c2);
    nt_prune_report_free(&rep);
    nt_config_free(c);
    nt_recorder_free(r);
}

/* A flag dropped as build-time-only gives back the run-time members it
 * covered: the recorded config had no room for them. */
static void test_prune_restores_members(void)
{
    nt_recorder *r = live_recorder();
    nt_rec_context run = {.caller_class = "example.handler", .main_phase = 1};
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"getFields\",\"class\":\"com.acme.X\","
           "\"caller_class\":\"example.core__init\",\"result\":true,\"args\":[]}",
        &CORE_LOADING, 1);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"getDeclaredFields\",\"class\":\"com.acme.X\","
           "\"caller_class\":\"example.core__init\",\"result\":true,\"args\":[]}",
        &CORE_LOADING, 1);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"getMethods\",\"class\":\"com.acme.X\","
           "\"caller_class\":\"example.core__init\",\"result\":true,\"args\":[]}",
        &CORE_LOADING, 1);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"getDeclaredMethods\",\"class\":\"com.acme.X\","
           "\"caller_class\":\"example.core__init\",\"result\":true,\"args\":[]}",
        &CORE_LOADING, 1);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"getField\",\"class\":\"com.acme.X\","
           "\"caller_class\":\"example.handler\",\"result\":true,\"args\":[\"bar\"]}",
        &run, 1);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"getMethod\",\"class\":\"com.acme.X\","
           "\"caller_class\":\"example.handler\",\"result\":true,\"args\":[\"foo\",[]]}",
        &run, 1);
    nt_config *c = nt_config_new();
    NT_CHECK(nt_recorder_build(r, c, NULL, NULL) == NT_OK);
    nt_config_normalize(c); /* as the agent writes it (lib/sink.c) */
    nt_type *x = nt_typeset_get_class(&c->reflection, "com.acme.X", NULL, 0);
    NT_CHECK(x && x->n_fields == 0 && x->n_methods == 0 && x->flags != 0); /* covered */
    nt_prune_opts o;
    nt_prune_opts_init(&o);
    NT_CHECK(nt_prune(c, r, &o, NULL, NULL) == NT_OK);
    x = nt_typeset_get_class(&c->reflection, "com.acme.X", NULL, 0);
    NT_CHECK(x && x->flags == 0);
    NT_CHECK(x && nt_type_find_field(x, "bar") != NULL);
    NT_CHECK(x && nt_type_find_method(x, "foo", 0, NULL, 0) != NULL);
    NT_CHECK(x && x->n_fields == 1 && x->n_methods == 1);
    nt_config_free(c);
    nt_recorder_free(r);
}

/* A recording made without the built-in caller filter holds entries a JDK
 * caller registered: the replay follows its filter settings, so such an entry
 * seen only at load time still goes (replayed with the built-in filter, its
 * event registered nothing and the entry was kept as unrecorded). */
static void test_prune_recording_filters(void)
{
    nt_recorder *r = live_recorder();
    nt_rec_context loading = {.caller_class = "java.util.ServiceLoader",
                              .clinit_class = "example.core__init", .clojure_loading = 1,
                              .main_phase = 1};
    rec(r, "{\"tracer\":\"meta\",\"event\":\"builtin_filters\","
           "\"builtin_caller_filter\":false,\"builtin_heuristic_filter\":true}",
        NULL, 0);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\","
           "\"caller_class\":\"java.util.ServiceLoader\",\"args\":[\"com.acme.Svc\"]}",
        &loading, 1);
    nt_filter_set *nofilter = nt_filter_set_new(0, 1);
    nt_config *c = nt_config_new();
    NT_CHECK(nt_recorder_build(r, c, nofilter, NULL) == NT_OK);
    NT_CHECK(nt_typeset_get_class(&c->reflection, "com.acme.Svc", NULL, 0) != NULL);
    nt_prune_opts o;
    nt_prune_opts_init(&o);
    nt_prune_report rep;
    nt_prune_report_init(&rep);
    NT_CHECK(nt_prune(c, r, &o, &rep, NULL) == NT_OK);
    NT_CHECK(nt_typeset_get_class(&c->reflection, "com.acme.Svc", NULL, 0) == NULL);
    NT_CHECK(has_line(&rep, NT_PRUNE_REMOVED, "com.acme.Svc", "build-time-only"));
    nt_prune_report_free(&rep);
    nt_config_free(c);
    nt_filter_set_free(nofilter);
    nt_recorder_free(r);
}

/* Entries and members no recorded event registers (merged in from elsewhere)
 * are kept and reported as such; recorded ones are not. */
static void test_prune_unrecorded_entries(void)
{
    nt_recorder *r = live_recorder();
    nt_rec_context req = {.caller_class = "example.core", .main_phase = 1};
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\","
           "\"caller_class\":\"example.core\",\"args\":[\"com.acme.Used\"]}",
        &req, 1);
    nt_config *c = nt_config_new();
    NT_CHECK(nt_recorder_build(r, c, NULL, NULL) == NT_OK);
    nt_type *used = nt_typeset_get_class(&c->reflection, "com.acme.Used", NULL, 0);
    NT_CHECK(used && nt_type_add_field(used, "extra", 0));
    nt_typeset_get_class(&c->reflection, "com.lib.Other", NULL, 1)->flags = NT_ALL_PUBLIC_FIELDS;
    NT_CHECK(nt_config_add_resource(c, NT_RES_GLOB, NULL, "lib/x.properties", NULL) != NULL);
    nt_prune_opts o;
    nt_prune_opts_init(&o);
    nt_prune_report rep;
    nt_prune_report_init(&rep);
    NT_CHECK(nt_prune(c, r, &o, &rep, NULL) == NT_OK);
    NT_CHECK(rep.n == 3);
    NT_CHECK(has_line(&rep, NT_PRUNE_UNRECORDED, "com.acme.Used field extra", "not-recorded"));
    NT_CHECK(has_line(&rep, NT_PRUNE_UNRECORDED, "com.lib.Other", "not-recorded"));
    NT_CHECK(has_line(&rep, NT_PRUNE_UNRECORDED, "lib/x.properties", "not-recorded"));
    NT_CHECK(nt_typeset_get_class(&c->reflection, "com.lib.Other", NULL, 0) != NULL);
    NT_CHECK(nt_config_entry_count(c) == 3);
    nt_prune_report_free(&rep);
    nt_config_free(c);
    nt_recorder_free(r);
}

/* A serialization entry with a customTargetConstructorClass is a registration
 * of its own: recorded without one, it is not explained by the plain event.
 * And a type that reachability-metadata.json registers for serialization is
 * read back as a reflection entry too: that entry is judged by the
 * serialization event, not reported as unrecorded. */
static void test_prune_ctor_and_combined_entries(void)
{
    nt_recorder *r = live_recorder();
    nt_rec_context req = {.caller_class = "example.core", .main_phase = 1};
    rec(r, "{\"tracer\":\"serialization\",\"function\":\"ObjectStreamClass.<init>\","
           "\"args\":[\"com.acme.Dto\",null]}",
        &req, 1);
    rec(r, "{\"tracer\":\"serialization\",\"function\":\"ObjectStreamClass.<init>\","
           "\"args\":[\"com.acme.Early\",null]}",
        &CORE_LOADING, 1);
    nt_config *c = nt_config_new();
    NT_CHECK(nt_recorder_build(r, c, NULL, NULL) == NT_OK);
    nt_typedesc dto = nt_td_class("com.acme.Dto"), early = nt_td_class("com.acme.Early");
    NT_CHECK(nt_typeset_get_ctor(&c->serialization, &dto, NULL, "com.acme.Base", 1) != NULL);
    NT_CHECK(nt_typeset_get(&c->reflection, &dto, NULL, 1) != NULL);   /* as read back from */
    NT_CHECK(nt_typeset_get(&c->reflection, &early, NULL, 1) != NULL); /* combined files */
    nt_prune_opts o;
    nt_prune_opts_init(&o);
    nt_prune_report rep;
    nt_prune_report_init(&rep);
    NT_CHECK(nt_prune(c, r, &o, &rep, NULL) == NT_OK);
    NT_CHECK(has_line(&rep, NT_PRUNE_UNRECORDED,
                      "com.acme.Dto customTargetConstructorClass com.acme.Base", "not-recorded"));
    NT_CHECK(has_line(&rep, NT_PRUNE_REMOVED, "com.acme.Early", "build-time-only"));
    NT_CHECK(rep.n == 3); /* and serialization's com.acme.Early */
    NT_CHECK(nt_typeset_get(&c->reflection, &dto, NULL, 0) != NULL);
    NT_CHECK(nt_typeset_get(&c->reflection, &early, NULL, 0) == NULL);
    NT_CHECK(nt_typeset_get(&c->serialization, &dto, NULL, 0) != NULL);
    nt_prune_report_free(&rep);
    nt_config_free(c);
    nt_recorder_free(r);
}

/* Runs with different built-in filter settings merged into one directory:
 * the replay keeps a filter only if every run had it, so the event the
 * unfiltered run recorded at run time still keeps its entry. */
static void test_prune_merged_filter_settings(void)
{
    nt_recorder *r = live_recorder();
    nt_rec_context rt = {.caller_class = "java.util.ServiceLoader", .main_phase = 1};
    rec(r, "{\"tracer\":\"meta\",\"event\":\"builtin_filters\","
           "\"builtin_caller_filter\":false,\"builtin_heuristic_filter\":true}",
        NULL, 0);
    rec(r, "{\"tracer\":\"meta\",\"event\":\"builtin_filters\","
           "\"builtin_caller_filter\":true,\"builtin_heuristic_filter\":true}",
        NULL, 0);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\","
           "\"caller_class\":\"java.util.ServiceLoader\",\"args\":[\"com.acme.Svc\"]}",
        &rt, 1);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\","
           "\"caller_class\":\"example.core__init\",\"args\":[\"com.acme.Svc\"]}",
        &CORE_LOADING, 1);
    nt_filter_set *nofilter = nt_filter_set_new(0, 1);
    nt_config *c = nt_config_new();
    NT_CHECK(nt_recorder_build(r, c, nofilter, NULL) == NT_OK);
    nt_prune_opts o;
    nt_prune_opts_init(&o);
    NT_CHECK(nt_prune(c, r, &o, NULL, NULL) == NT_OK);
    NT_CHECK(nt_typeset_get_class(&c->reflection, "com.acme.Svc", NULL, 0) != NULL);
    nt_config_free(c);
    nt_filter_set_free(nofilter);
    nt_recorder_free(r);
}

/* A recording made with track-reflection-metadata=false holds all* flags (not
 * queryAll*): the replay follows its setting, so load-time ones still go. */
static void test_prune_untracked_recording(void)
{
    nt_recorder *r = live_recorder();
    rec(r, "{\"tracer\":\"meta\",\"event\":\"track_reflection_metadata\",\"track\":false}",
        NULL, 0);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"getMethods\",\"class\":\"com.acme.Y\","
           "\"caller_class\":\"example.core__init\",\"result\":true,\"args\":[]}",
        &CORE_LOADING, 1);
    nt_config *c = nt_config_new();
    NT_CHECK(nt_recorder_build(r, c, NULL, NULL) == NT_OK);
    nt_type *y = nt_typeset_get_class(&c->reflection, "com.acme.Y", NULL, 0);
    NT_CHECK(y && y->flags == NT_ALL_PUBLIC_METHODS);
    nt_prune_opts o;
    nt_prune_opts_init(&o);
    NT_CHECK(nt_prune(c, r, &o, NULL, NULL) == NT_OK);
    NT_CHECK(nt_typeset_get_class(&c->reflection, "com.acme.Y", NULL, 0) == NULL);
    nt_config_free(c);
    nt_recorder_free(r);
}

int main(void)
{
    NT_RUN(test_rule_ns_init_class);
    NT_RUN(test_rule_ns_init_resource);
    NT_RUN(test_rule_user_clj);
    NT_RUN(test_rule_data_readers);
    NT_RUN(test_rule_version_properties);
    NT_RUN(test_rule_ns_source);
    NT_RUN(test_rule_runtime_compiler);
    NT_RUN(test_rule_launcher_jni);
    NT_RUN(test_rule_caller_rules);
    NT_RUN(test_rule_can_access);
    NT_RUN(test_table_well_formed);
    NT_RUN(test_context_build_time);
    NT_RUN(test_rules_read);
    NT_RUN(test_prune_heuristic);
    NT_RUN(test_prune_provenance);
    NT_RUN(test_prune_restores_members);
    NT_RUN(test_prune_untracked_recording);
    NT_RUN(test_prune_recording_filters);
    NT_RUN(test_prune_unrecorded_entries);
    NT_RUN(test_prune_ctor_and_combined_entries);
    NT_RUN(test_prune_merged_filter_settings);
    NT_DONE();
}
