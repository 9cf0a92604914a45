/* Unit tests of lib/check.c: which recorded run-time accesses a config does not cover. */
#include <string.h>

#include "nitrace/check.h"
#include "nitrace/io.h"
#include "nitrace/model.h"
#include "nitrace/recorder.h"
#include "nitrace/trace.h"
#include "nt_test.h"

static const nt_rec_context RUN = {.caller_class = "com.example.Main", .main_phase = 1,
                                   .frames = "com.example.Main.run(Main.java:7)\n"
                                             "com.example.Main.main(Main.java:3)"};

/* Record one trace line in ctx. */
static void rec(nt_recorder *r, const char *json, const nt_rec_context *ctx)
{
    nt_event *e = NULL;
    NT_CHECK(nt_event_parse(json, strlen(json), "test", &e, NULL) == NT_OK);
    if (e)
        NT_CHECK(nt_recorder_add(r, e, ctx) >= 0);
    nt_event_free(e);
}

static nt_recorder *new_rec(void)
{
    nt_recorder *r = nt_recorder_new();
    rec(r, "{\"tracer\":\"meta\",\"event\":\"initialization\",\"version\":\"1\"}", NULL);
    rec(r, "{\"tracer\":\"meta\",\"event\":\"phase_change\",\"phase\":\"live\"}", NULL);
    return r;
}

static nt_config *cfg_of(nt_file_kind kind, const char *json)
{
    nt_config *c = nt_config_new();
    NT_CHECK(nt_read_buffer(c, kind, json, strlen(json), "cfg", NULL, NULL) == NT_OK);
    return c;
}

/* Run the check with default options; returns the report (caller frees). */
static void run(const nt_config *c, nt_recorder *r, nt_check_report *rep)
{
    nt_check_opts o;
    nt_check_opts_init(&o);
    nt_checker *ck = nt_checker_new(c, &o);
    NT_CHECK(ck != NULL);
    nt_check_report_init(rep);
    NT_CHECK(nt_checker_run(ck, r, rep, NULL) == NT_OK);
    nt_checker_free(ck);
}

/* The report's entries, one per line. */
static char *entries(const nt_check_report *rep)
{
    static char buf[4096];
    buf[0] = '\0';
    for (size_t i = 0; i < rep->n; i++) {
        strncat(buf, rep->items[i].entry, sizeof buf - strlen(buf) - 2);
        strcat(buf, "\n");
    }
    return buf;
}

#define GET_DECL_M "{\"tracer\":\"reflect\",\"function\":\"getDeclaredMethod\",\"class\":\"com.example.T\",\"caller_class\":\"com.example.Main\",\"args\":[\"m\",[\"int\"]]}"
#define INVOKE_M "{\"tracer\":\"reflect\",\"function\":\"invokeMethod\",\"class\":\"com.example.T\",\"caller_class\":\"com.example.Main\",\"args\":[\"m\",[\"int\"]]}"
#define FOR_NAME "{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\",\"caller_class\":\"com.example.Main\",\"args\":[\"com.example.T\"]}"

static void test_covered_and_query_vs_invoke(void)
{
    nt_recorder *r = new_rec();
    rec(r, FOR_NAME, &RUN);
    rec(r, GET_DECL_M, &RUN);
    rec(r, INVOKE_M, &RUN);
    nt_config *full = cfg_of(NT_FILE_REFLECT,
                             "[{\"name\":\"com.example.T\",\"methods\":[{\"name\":\"m\",\"parameterTypes\":[\"int\"]}]}]");
    nt_check_report rep;
    run(full, r, &rep);
    NT_CHECK(rep.n == 0);
    NT_CHECK(rep.events == 3 && rep.checked == 3 && rep.build_time == 0);
    nt_check_report_free(&rep);

    /* queried only: the lookup is covered, the invocation is not */
    nt_config *queried = cfg_of(NT_FILE_REFLECT,
                                "[{\"name\":\"com.example.T\",\"queriedMethods\":[{\"name\":\"m\",\"parameterTypes\":[\"int\"]}]}]");
    run(queried, r, &rep);
    NT_CHECK_STR(entries(&rep), "reflection com.example.T method m(int) (invoked)\n");
    NT_CHECK(rep.n == 1);
    if (rep.n == 1) {
        NT_CHECK_STR(rep.items[0].missing, "method");
        NT_CHECK_STR(rep.items[0].member, "m(int)");
        NT_CHECK_STR(rep.items[0].access, "invoked");
        NT_CHECK_STR(rep.items[0].caller, "com.example.Main");
        NT_CHECK(rep.items[0].frames.n == 2);
        NT_CHECK_STR(rep.items[0].frames.v[0], "com.example.Main.run(Main.java:7)");
        NT_CHECK(strstr(rep.items[0].event, "invokeMethod") != NULL);
    }
    nt_check_report_free(&rep);

    /* allDeclaredMethods covers a declared method, invoked or not */
    nt_config *all = cfg_of(NT_FILE_REFLECT, "[{\"name\":\"com.example.T\",\"allDeclaredMethods\":true}]");
    run(all, r, &rep);
    NT_CHECK(rep.n == 0);
    nt_check_report_free(&rep);

    /* nothing registered: the type and the method (queried and invoked) */
    nt_config *none = cfg_of(NT_FILE_REFLECT, "[]");
    run(none, r, &rep);
    NT_CHECK_STR(entries(&rep), "reflection com.example.T\n"
                                "reflection com.example.T method m(int) (invoked)\n"
                                "reflection com.example.T method m(int) (queried)\n");
    nt_check_report_free(&rep);
    nt_config_free(full);
    nt_config_free(queried);
    nt_config_free(all);
    nt_config_free(none);
    nt_recorder_free(r);
}

static void test_wrong_parameter_types(void)
{
    nt_recorder *r = new_rec();
    rec(r, INVOKE_M, &RUN);
    nt_config *c = cfg_of(NT_FILE_REFLECT,
                          "[{\"name\":\"com.example.T\",\"methods\":[{\"name\":\"m\",\"parameterTypes\":[\"long\"]}]}]");
    nt_check_report rep;
    run(c, r, &rep);
    NT_CHECK_STR(entries(&rep), "reflection com.example.T method m(int) (invoked)\n");
    nt_check_report_free(&rep);
    nt_config_free(c);
    /* a legacy entry without parameterTypes covers every overload */
    c = cfg_of(NT_FILE_REFLECT, "[{\"name\":\"com.example.T\",\"methods\":[{\"name\":\"m\"}]}]");
    run(c, r, &rep);
    NT_CHECK(rep.n == 0);
    nt_check_report_free(&rep);
    nt_config_free(c);
    nt_recorder_free(r);
}

static void test_all_flags(void)
{
    nt_recorder *r = new_rec();
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"getField\",\"class\":\"com.example.T\",\"caller_class\":\"com.example.Main\",\"args\":[\"f\"]}", &RUN);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"getDeclaredFields\",\"class\":\"com.example.T\",\"caller_class\":\"com.example.Main\"}", &RUN);
    nt_config *decl = cfg_of(NT_FILE_REFLECT, "[{\"name\":\"com.example.T\",\"allDeclaredFields\":true}]");
    nt_config *pub = cfg_of(NT_FILE_REFLECT, "[{\"name\":\"com.example.T\",\"allPublicFields\":true}]");
    nt_check_report rep;
    /* getField found f in T itself: allDeclaredFields covers it, and the bulk query */
    run(decl, r, &rep);
    NT_CHECK_STR(entries(&rep), "");
    nt_check_report_free(&rep);
    /* allPublicFields covers the public f, not getDeclaredFields() */
    run(pub, r, &rep);
    NT_CHECK_STR(entries(&rep), "reflection com.example.T flag allDeclaredFields\n");
    nt_check_report_free(&rep);
    nt_config_free(decl);
    nt_config_free(pub);
    nt_recorder_free(r);
}

static void test_resources(void)
{
    nt_recorder *r = new_rec();
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"getResource\",\"class\":\"java.lang.ClassLoader\",\"caller_class\":\"com.example.Main\",\"args\":[\"conf/app.properties\"]}", &RUN);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"getResource\",\"class\":\"java.lang.ClassLoader\",\"caller_class\":\"com.example.Main\",\"args\":[\"conf/other.txt\"]}", &RUN);
    const char *both = "{\"resources\":{\"includes\":[{\"pattern\":\"\\\\Qconf/app.properties\\\\E\"},{\"pattern\":\"conf/.*\\\\.txt\"}]}}";
    nt_config *c = cfg_of(NT_FILE_RESOURCE, both);
    nt_check_report rep;
    run(c, r, &rep);
    NT_CHECK(rep.n == 0);
    nt_check_report_free(&rep);
    nt_config_free(c);
    /* the pattern removed: exactly that resource */
    c = cfg_of(NT_FILE_RESOURCE, "{\"resources\":{\"includes\":[{\"pattern\":\"\\\\Qconf/app.properties\\\\E\"}]}}");
    run(c, r, &rep);
    NT_CHECK_STR(entries(&rep), "resources conf/other.txt\n");
    nt_check_report_free(&rep);
    nt_config_free(c);
    /* a glob, and an exclude that wins over it */
    c = cfg_of(NT_FILE_RESOURCE, "{\"globs\":[{\"glob\":\"conf/*\"}],\"resources\":{\"excludes\":[{\"pattern\":\".*\\\\.txt\"}]}}");
    run(c, r, &rep);
    NT_CHECK_STR(entries(&rep), "resources conf/other.txt\n");
    nt_check_report_free(&rep);
    nt_config_free(c);
    nt_recorder_free(r);
}

static void test_proxy_jni_serialization_bundle(void)
{
    nt_recorder *r = new_rec();
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"newProxyInstance\",\"class\":\"java.lang.reflect.Proxy\",\"caller_class\":\"com.example.Main\",\"args\":[null,[\"com.example.A\",\"com.example.B\"],null]}", &RUN);
    nt_rec_context jni_ctx = RUN;
    jni_ctx.jni_library = "/opt/libx.so";
    rec(r, "{\"tracer\":\"jni\",\"function\":\"GetFieldID\",\"class\":\"com.example.Req\",\"caller_class\":\"com.example.Main\",\"args\":[\"id\",\"Ljava/lang/String;\"]}", &jni_ctx);
    rec(r, "{\"tracer\":\"serialization\",\"function\":\"ObjectStreamClass.<init>\",\"caller_class\":\"com.example.Main\",\"args\":[\"com.example.Dto\",null]}", &RUN);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"getBundleImpl\",\"class\":\"java.util.ResourceBundle\",\"caller_class\":\"com.example.Main\",\"args\":[null,null,\"com.example.Labels\",\"de\",null]}", &RUN);
    nt_config *c = nt_config_new();
    const char *refl = "[{\"name\":\"com.example.Dto\"}]";
    const char *proxy = "[{\"interfaces\":[\"com.example.A\",\"com.example.B\"]}]";
    const char *jni = "[{\"name\":\"com.example.Req\",\"fields\":[{\"name\":\"id\"}]}]";
    const char *ser = "{\"types\":[{\"name\":\"com.example.Dto\"}]}";
    const char *res = "{\"bundles\":[{\"name\":\"com.example.Labels\",\"locales\":[\"de\"]}]}";
    NT_CHECK(nt_read_buffer(c, NT_FILE_REFLECT, refl, strlen(refl), "r", NULL, NULL) == NT_OK);
    NT_CHECK(nt_read_buffer(c, NT_FILE_PROXY, proxy, strlen(proxy), "p", NULL, NULL) == NT_OK);
    NT_CHECK(nt_read_buffer(c, NT_FILE_JNI, jni, strlen(jni), "j", NULL, NULL) == NT_OK);
    NT_CHECK(nt_read_buffer(c, NT_FILE_SERIALIZATION, ser, strlen(ser), "s", NULL, NULL) == NT_OK);
    NT_CHECK(nt_read_buffer(c, NT_FILE_RESOURCE, res, strlen(res), "b", NULL, NULL) == NT_OK);
    nt_check_report rep;
    run(c, r, &rep);
    NT_CHECK_STR(entries(&rep), "");
    nt_check_report_free(&rep);
    nt_config_free(c);

    /* the proxy with its interfaces in another order, the JNI field missing, no
     * serialization entry, another locale */
    c = nt_config_new();
    proxy = "[{\"interfaces\":[\"com.example.B\",\"com.example.A\"]}]";
    jni = "[{\"name\":\"com.example.Req\",\"fields\":[{\"name\":\"other\"}]}]";
    res = "{\"bundles\":[{\"name\":\"com.example.Labels\",\"locales\":[\"fr\"]}]}";
    NT_CHECK(nt_read_buffer(c, NT_FILE_REFLECT, refl, strlen(refl), "r", NULL, NULL) == NT_OK);
    NT_CHECK(nt_read_buffer(c, NT_FILE_PROXY, proxy, strlen(proxy), "p", NULL, NULL) == NT_OK);
    NT_CHECK(nt_read_buffer(c, NT_FILE_JNI, jni, strlen(jni), "j", NULL, NULL) == NT_OK);
    NT_CHECK(nt_read_buffer(c, NT_FILE_RESOURCE, res, strlen(res), "b", NULL, NULL) == NT_OK);
    run(c, r, &rep);
    NT_CHECK_STR(entries(&rep), "bundles com.example.Labels (locale de)\n"
                                "jni com.example.Req field id\n"
                                "reflection proxy [com.example.A, com.example.B]\n"
                                "serialization com.example.Dto\n");
    nt_check_report_free(&rep);
    nt_config_free(c);
    nt_recorder_free(r);
}

static void test_build_time_contexts(void)
{
    nt_recorder *r = new_rec();
    nt_config *none = cfg_of(NT_FILE_REFLECT, "[]");
    /* before the main phase, and in the <clinit> of a Clojure namespace: build time */
    nt_rec_context early = {.caller_class = "com.example.Main"};
    nt_rec_context ns_init = {.caller_class = "clojure.lang.RT", .clinit_class = "example.core__init",
                              .clojure_loading = 1, .main_phase = 1};
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\",\"caller_class\":\"com.example.Main\",\"args\":[\"com.example.Early\"]}", &early);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\",\"caller_class\":\"clojure.lang.RT\",\"args\":[\"com.example.Loaded\"]}", &ns_init);
    /* a method handle looked up at build time is checked anyway (prune keeps it) */
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"findMethodHandle\",\"class\":\"com.example.H\",\"caller_class\":\"clojure.lang.RT\",\"args\":[\"h\",[]]}", &ns_init);
    nt_check_report rep;
    run(none, r, &rep);
    NT_CHECK_STR(entries(&rep), "reflection com.example.H\n"
                                "reflection com.example.H method h() (invoked)\n");
    NT_CHECK(rep.build_time == 2 && rep.checked == 1 && rep.events == 3);
    nt_check_report_free(&rep);

    /* the same name seen again during a request is checked; the report names the
     * run-time context */
    nt_rec_context req = {.caller_class = "example.core$handle", .main_phase = 1,
                          .frames = "example.core$handle.invoke(core.clj:9)"};
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\",\"caller_class\":\"clojure.lang.RT\",\"args\":[\"com.example.Loaded\"]}", &req);
    run(none, r, &rep);
    NT_CHECK_STR(entries(&rep), "reflection com.example.H\n"
                                "reflection com.example.H method h() (invoked)\n"
                                "reflection com.example.Loaded\n");
    if (rep.n == 3) {
        NT_CHECK_STR(rep.items[2].caller, "example.core$handle");
        NT_CHECK(rep.items[2].frames.n == 1);
    }
    nt_check_report_free(&rep);

    /* --build-time-init=all-style options: a run-time <clinit> of the program is build time */
    nt_rec_context app_init = {.caller_class = "com.example.Main", .clinit_class = "com.example.Config",
                               .main_phase = 1};
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\",\"caller_class\":\"com.example.Main\",\"args\":[\"com.example.FromInit\"]}", &app_init);
    run(none, r, &rep);
    NT_CHECK(strstr(entries(&rep), "com.example.FromInit") != NULL);
    nt_check_report_free(&rep);
    nt_check_opts o;
    nt_check_opts_init(&o);
    const char *pkgs[] = {"com.example.Config"};
    o.build_time.build_time_packages = pkgs;
    o.build_time.n_build_time_packages = 1;
    nt_checker *ck = nt_checker_new(none, &o);
    nt_check_report_init(&rep);
    NT_CHECK(nt_checker_run(ck, r, &rep, NULL) == NT_OK);
    NT_CHECK(strstr(entries(&rep), "com.example.FromInit") == NULL);
    /* run again: the cached verdicts give the same report */
    NT_CHECK(nt_checker_run(ck, r, &rep, NULL) == NT_OK);
    NT_CHECK(rep.n == 3 && strstr(entries(&rep), "com.example.FromInit") == NULL);
    nt_check_report_free(&rep);
    nt_checker_free(ck);
    nt_config_free(none);
    nt_recorder_free(r);
}

static void test_reported_once(void)
{
    nt_recorder *r = new_rec();
    nt_rec_context other = {.caller_class = "com.example.Other", .main_phase = 1};
    rec(r, FOR_NAME, &RUN);
    rec(r, FOR_NAME, &other);
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\",\"caller_class\":\"com.example.Other\",\"args\":[\"com.example.T\"]}", &other);
    nt_config *none = cfg_of(NT_FILE_REFLECT, "[]");
    nt_check_report rep;
    run(none, r, &rep);
    NT_CHECK_STR(entries(&rep), "reflection com.example.T\n");
    if (rep.n == 1)
        NT_CHECK_STR(rep.items[0].caller, "com.example.Main"); /* the first context */
    nt_check_report_free(&rep);
    nt_config_free(none);
    nt_recorder_free(r);
}

static void test_rewrite_rule(void)
{
    nt_recorder *r = new_rec();
    nt_rec_context init = {.caller_class = "clojure.lang.Reflector",
                           .clinit_class = "clojure.lang.Reflector", .main_phase = 1};
    rec(r, "{\"tracer\":\"reflect\",\"function\":\"findMethodHandle\",\"class\":\"java.lang.reflect.Method\",\"caller_class\":\"clojure.lang.Reflector\",\"args\":[\"canAccess\",[\"java.lang.Object\"]]}", &init);
    nt_config *ao = cfg_of(NT_FILE_REFLECT, "[{\"name\":\"java.lang.reflect.AccessibleObject\",\"methods\":[{\"name\":\"canAccess\",\"parameterTypes\":[\"java.lang.Object\"]}]}]");
    nt_config *none = cfg_of(NT_FILE_REFLECT, "[]");
    nt_check_report rep;
    run(ao, r, &rep);
    NT_CHECK(rep.n == 0);
    nt_check_report_free(&rep);
    run(none, r, &rep);
    NT_CHECK_STR(entries(&rep), "reflection java.lang.reflect.AccessibleObject method "
                                "canAccess(java.lang.Object) (invoked)\n");
    nt_check_report_free(&rep);
    /* without the Clojure rules the member is checked where it was recorded */
    nt_check_opts o;
    nt_check_opts_init(&o);
    o.build_time.clojure = 0;
    nt_checker *ck = nt_checker_new(ao, &o);
    nt_check_report_init(&rep);
    NT_CHECK(nt_checker_run(ck, r, &rep, NULL) == NT_OK);
    NT_CHECK_STR(entries(&rep), "reflection java.lang.reflect.Method\n"
                                "reflection java.lang.reflect.Method method canAccess(java.lang.Object) (invoked)\n");
    nt_check_report_free(&rep);
    nt_checker_free(ck);
    nt_config_free(ao);
    nt_config_free(none);
    nt_recorder_free(r);
}

static void test_json_and_text(void)
{
    nt_recorder *r = new_rec();
    rec(r, INVOKE_M, &RUN);
    nt_config *none = cfg_of(NT_FILE_REFLECT, "[]");
    nt_check_report rep, back;
    run(none, r, &rep);
    const char *cfgs[] = {"/tmp/conf"};
    char *json = nt_check_report_json(&rep, cfgs, 1);
    NT_CHECK(json != NULL);
    if (json) {
        NT_CHECK(strstr(json, "\"uncoveredCount\": 2") != NULL);
        NT_CHECK(strstr(json, "\"frames\": [\n") != NULL);
        nt_check_report_init(&back);
        NT_CHECK(nt_check_report_read(json, strlen(json), "report", &back, NULL) == NT_OK);
        NT_CHECK(back.n == rep.n && back.checked == rep.checked);
        char *again = nt_check_report_json(&back, cfgs, 1);
        NT_CHECK_STR(again, json);
        free(again);
        char *text = nt_check_report_text(&back);
        NT_CHECK(text && strstr(text, "2 entries are not covered") != NULL);
        NT_CHECK(text && strstr(text, "  missing: reflection com.example.T method m(int) (invoked)\n"
                                      "    by reflect invokeMethod, caller com.example.Main\n"
                                      "      at com.example.Main.run(Main.java:7)\n") != NULL);
        free(text);
        nt_check_report_free(&back);
        /* strict reading */
        nt_diags d;
        nt_diags_init(&d);
        const char *badkey = "{\"version\":1,\"configs\":[],\"events\":0,\"buildTimeEvents\":0,"
                             "\"checkedEvents\":0,\"uncoveredCount\":0,\"uncovered\":[],\"x\":1}";
        NT_CHECK(nt_check_report_read(badkey, strlen(badkey), "bad", &back, &d) == NT_ERR_PARSE);
        NT_CHECK(d.count == 1 && strstr(d.items[0].msg, "\"x\"") != NULL);
        nt_diags_free(&d);
        const char *badcount = "{\"version\":1,\"configs\":[],\"events\":0,\"buildTimeEvents\":0,"
                               "\"checkedEvents\":0,\"uncoveredCount\":1,\"uncovered\":[]}";
        NT_CHECK(nt_check_report_read(badcount, strlen(badcount), "bad", &back, NULL) == NT_ERR_PARSE);
    }
    free(json);
    nt_check_report_free(&rep);
    nt_check_report_init(&rep);
    char *text = nt_check_report_text(&rep);
    NT_CHECK(text && strncmp(text, "every run-time access is covered", 32) == 0);
    free(text);
    nt_config_free(none);
    nt_recorder_free(r);
}

int main(void)
{
    NT_RUN(test_covered_and_query_vs_invoke);
    NT_RUN(test_wrong_parameter_types);
    NT_RUN(test_all_flags);
    NT_RUN(test_resources);
    NT_RUN(test_proxy_jni_serialization_bundle);
    NT_RUN(test_build_time_contexts);
    NT_RUN(test_reported_once);
    NT_RUN(test_rewrite_rule);
    NT_RUN(test_json_and_text);
    NT_DONE();
}
