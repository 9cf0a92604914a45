/* Trace processing: trace files -> exact model contents, filters and
 * heuristics applied to events, trace-line round trips. */
#include "nitrace/model.h"
#include "nitrace/trace.h"
#include "nt_test.h"
#include "trace_priv.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}

/* Read a trace file into a fresh config. */
static nt_config *read_trace(const char *path, const nt_filter_set *f, nt_diags *d,
                             nt_status *st)
{
    size_t len = 0;
    char *text = slurp(path, &len);
    nt_config *c = nt_config_new();
    *st = NT_ERR_IO;
    if (text && c)
        *st = nt_trace_read_buffer(c, text, len, path, f, d);
    free(text);
    return c;
}

static size_t errors_of(const nt_diags *d)
{
    return d->count - d->warnings;
}

static void dump_diags(const nt_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char buf[2048];
        nt_error_format(&d->items[i], buf, sizeof buf);
        fprintf(stderr, "  %s\n", buf);
    }
}

static int has_diag(const nt_diags *d, int line, const char *needle)
{
    for (size_t i = 0; i < d->count; i++)
        if ((line == 0 || d->items[i].line == line) && strstr(d->items[i].msg, needle))
            return 1;
    return 0;
}

static nt_type *cls(nt_typeset *s, const char *name)
{
    return nt_typeset_get_class(s, name, NULL, 0);
}

/* level of a method, 0 when absent */
static int mlevel(const nt_type *t, const char *name, const char *const *params, size_t n)
{
    if (!t)
        return -1;
    nt_method *m = nt_type_find_method(t, name, 0, params, n);
    return m ? (int)m->level : 0;
}

static int has_field(const nt_type *t, const char *name)
{
    return t && nt_type_find_field(t, name) != NULL;
}

static int has_glob(const nt_config *c, const char *module, const char *glob)
{
    for (size_t i = 0; i < c->n_resources; i++) {
        const nt_resource *r = &c->resources[i];
        if (r->kind == NT_RES_GLOB && strcmp(r->value, glob) == 0 &&
            ((!module && !r->module) || (module && r->module && !strcmp(module, r->module))))
            return 1;
    }
    return 0;
}

static nt_type *proxy(nt_typeset *s, const char *const *ifaces, size_t n)
{
    nt_typedesc td;
    memset(&td, 0, sizeof td);
    td.kind = NT_TD_PROXY;
    td.ifaces.v = (char **)ifaces;
    td.ifaces.n = td.ifaces.cap = n;
    return nt_typeset_get(s, &td, NULL, 0);
}

static void test_reflect_trace(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_status st;
    nt_config *c = read_trace("data/traces/reflect.json", NULL, &d, &st);
    NT_CHECK(st == NT_OK);
    NT_CHECK(errors_of(&d) == 0);
    if (errors_of(&d))
        dump_diags(&d);
    /* exactly these reflection entries */
    NT_CHECK(c->reflection.count == 9);
    NT_CHECK(cls(&c->reflection, "char[]") && nt_type_is_bare(cls(&c->reflection, "char[]")));
    NT_CHECK(cls(&c->reflection, "java.lang.String[]") &&
             nt_type_is_bare(cls(&c->reflection, "java.lang.String[]")));
    NT_CHECK(cls(&c->reflection, "com.example.ViaCollections") != NULL);

    nt_type *foo = cls(&c->reflection, "com.example.Foo");
    NT_CHECK(foo != NULL);
    if (foo) {
        NT_CHECK(foo->flags == (NT_QUERY_ALL_DECLARED_METHODS | NT_ALL_PUBLIC_FIELDS));
        NT_CHECK(foo->n_fields == 1 && has_field(foo, "count"));
        NT_CHECK(foo->n_methods == 3);
        const char *s1[] = {"java.lang.String"};
        NT_CHECK(mlevel(foo, "reverse", s1, 1) == NT_ACCESSED); /* queried, then invoked */
        const char *i1[] = {"int"};
        NT_CHECK(mlevel(foo, "<init>", i1, 1) == NT_QUERIED);
        const char *make[] = {"int", "java.lang.String"};
        NT_CHECK(mlevel(foo, "make", make, 2) == NT_ACCESSED); /* getEnclosingMethod */
    }
    nt_type *base = cls(&c->reflection, "com.example.Base");
    NT_CHECK(base != NULL);
    if (base) {
        const char *p[] = {"java.lang.Object[]", "int"};
        NT_CHECK(base->flags == 0 && base->n_methods == 1 && base->n_fields == 1);
        NT_CHECK(mlevel(base, "hashCodeOf", p, 2) == NT_QUERIED);
        NT_CHECK(has_field(base, "ID"));
    }
    nt_type *bar = cls(&c->reflection, "com.example.Bar");
    NT_CHECK(bar && bar->n_methods == 1 && mlevel(bar, "<init>", NULL, 0) == NT_ACCESSED);
    nt_type *u = cls(&c->reflection, "com.example.Unsafe1");
    NT_CHECK(u && u->flags == NT_UNSAFE_ALLOCATED && u->n_methods == 0);
    nt_type *m = cls(&c->reflection, "java.lang.reflect.Method");
    const char *obj[] = {"java.lang.Object"};
    NT_CHECK(m && m->n_methods == 1 && mlevel(m, "canAccess", obj, 1) == NT_ACCESSED);
    const char *svc[] = {"com.example.Service"};
    NT_CHECK(proxy(&c->reflection, svc, 1) != NULL);
    /* filtered: before live, result false, JDK caller, lambda, proxy name,
     * access filter, caller-less loadClass, after death */
    NT_CHECK(!cls(&c->reflection, "com.example.EarlyBird"));
    NT_CHECK(!cls(&c->reflection, "com.example.Missing"));
    NT_CHECK(!cls(&c->reflection, "com.example.FromHashMap"));
    NT_CHECK(!cls(&c->reflection, "com.oracle.truffle.api.Foo"));
    NT_CHECK(!cls(&c->reflection, "com.example.VmLoaded"));
    NT_CHECK(!cls(&c->reflection, "com.example.AfterDeath"));

    /* resources: escaped, canonical, module; blocked service file dropped */
    NT_CHECK(c->n_resources == 3);
    NT_CHECK(has_glob(c, NULL, "app.properties"));
    NT_CHECK(has_glob(c, NULL, "data\\[1\\].txt"));
    NT_CHECK(has_glob(c, "java.base", "jdk/internal/x.dat"));
    /* bundles: one entry, both locales ("und" is the root locale) */
    NT_CHECK(c->n_bundles == 1);
    if (c->n_bundles == 1) {
        NT_CHECK_STR(c->bundles[0].name, "com.example.Messages");
        NT_CHECK(c->bundles[0].module == NULL);
        NT_CHECK(c->bundles[0].locales.n == 2 && nt_strv_contains(&c->bundles[0].locales, "de-DE") &&
                 nt_strv_contains(&c->bundles[0].locales, ""));
    }
    NT_CHECK(c->jni.count == 0 && c->serialization.count == 0 && c->lambda_capturing.count == 0);
    /* the unknown function is reported once, as a warning */
    size_t n = 0;
    for (size_t i = 0; i < d.count; i++)
        if (strstr(d.items[i].msg, "someFutureFunction"))
            n++;
    NT_CHECK(n == 1 && d.warnings == 1);
    nt_config_free(c);
    nt_diags_free(&d);
}

static void test_jni_trace(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_status st;
    nt_config *c = read_trace("data/traces/jni.json", NULL, &d, &st);
    NT_CHECK(st == NT_OK && d.count == 0);
    if (d.count)
        dump_diags(&d);
    NT_CHECK(c->jni.count == 6);
    nt_type *nat = cls(&c->jni, "com.example.Native");
    NT_CHECK(nat != NULL);
    if (nat) {
        const char *cb[] = {"int", "java.lang.String[]", "long"};
        NT_CHECK(nat->n_methods == 2 && nat->n_fields == 2 && nat->flags == 0);
        NT_CHECK(mlevel(nat, "callback", cb, 3) == NT_ACCESSED);
        NT_CHECK(mlevel(nat, "helper", NULL, 0) == NT_ACCESSED); /* declared in Native */
        NT_CHECK(has_field(nat, "handle") && has_field(nat, "counter"));
        NT_CHECK(!has_field(nat, "filtered")); /* caller java.util.HashMap */
    }
    NT_CHECK(cls(&c->jni, "com.example.Sub") && nt_type_is_bare(cls(&c->jni, "com.example.Sub")));
    NT_CHECK(cls(&c->jni, "com.example.Native$Callback") != NULL);
    NT_CHECK(cls(&c->jni, "java.lang.String[]") != NULL);
    NT_CHECK(cls(&c->jni, "com.example.Pojo[]") != NULL);
    nt_type *err = cls(&c->jni, "com.example.NativeError");
    const char *str[] = {"java.lang.String"};
    NT_CHECK(err && err->n_methods == 1 && mlevel(err, "<init>", str, 1) == NT_ACCESSED);
    /* launcher sequence and pre-launch JNI filtered */
    NT_CHECK(!cls(&c->jni, "sun.launcher.LauncherHelper"));
    NT_CHECK(!cls(&c->jni, "com.example.Main"));
    NT_CHECK(!cls(&c->jni, "java.lang.String"));
    NT_CHECK(!cls(&c->jni, "java.lang.Object"));
    /* AllocObject and ToReflectedMethod go to reflection */
    NT_CHECK(c->reflection.count == 2);
    nt_type *pojo = cls(&c->reflection, "com.example.Pojo");
    NT_CHECK(pojo && pojo->flags == NT_UNSAFE_ALLOCATED);
    nt_type *rn = cls(&c->reflection, "com.example.Native");
    NT_CHECK(rn && rn->n_methods == 1 && mlevel(rn, "reflectMe", str, 1) == NT_ACCESSED);
    nt_config_free(c);
    nt_diags_free(&d);
}

/* A required launcher step that does not match: warning, then all JNI traced. */
static void test_jni_launch_mismatch(void)
{
    const char *text =
        "[\n{\"tracer\":\"meta\",\"event\":\"phase_change\",\"phase\":\"live\"},\n"
        "{\"tracer\":\"jni\",\"function\":\"FindClass\",\"caller_class\":\"com.example.N\","
        "\"args\":[\"com/example/Early\"]},\n"
        "{\"tracer\":\"jni\",\"function\":\"GetMethodID\",\"class\":\"com.example.N\","
        "\"caller_class\":\"com.example.N\",\"args\":[\"f\",\"(Z)V\"]},\n"
        "{\"tracer\":\"jni\",\"function\":\"FindClass\",\"caller_class\":\"com.example.N\","
        "\"args\":[\"com/example/Late\"]}\n]\n";
    nt_config *c = nt_config_new();
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_trace_read_buffer(c, text, strlen(text), "inline", NULL, &d) == NT_OK);
    NT_CHECK(d.count == 1 && d.warnings == 1 && has_diag(&d, 4, "start-up sequence"));
    NT_CHECK(!cls(&c->jni, "com.example.Early"));
    NT_CHECK(cls(&c->jni, "com.example.Late") != NULL);
    const char *z[] = {"boolean"};
    NT_CHECK(mlevel(cls(&c->jni, "com.example.N"), "f", z, 1) == NT_ACCESSED);
    nt_config_free(c);
    nt_diags_free(&d);
}

static void test_serialization_trace(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_status st;
    nt_config *c = read_trace("data/traces/serialization.json", NULL, &d, &st);
    NT_CHECK(st == NT_OK && d.count == 0);
    if (d.count)
        dump_diags(&d);
    NT_CHECK(c->serialization.count == 3);
    nt_type *dto = cls(&c->serialization, "com.example.Dto");
    NT_CHECK(dto && dto->custom_ctor == NULL);
    /* with a custom target constructor: an entry of its own, keyed by it */
    NT_CHECK(cls(&c->serialization, "com.example.Ext") == NULL);
    nt_typedesc ext_td = nt_td_class("com.example.Ext");
    nt_type *ext = nt_typeset_get_ctor(&c->serialization, &ext_td, NULL, "java.lang.Object", 0);
    NT_CHECK(ext && ext->custom_ctor && strcmp(ext->custom_ctor, "java.lang.Object") == 0);
    const char *api[] = {"com.example.Api"};
    NT_CHECK(proxy(&c->serialization, api, 1) != NULL);
    NT_CHECK(c->lambda_capturing.count == 2);
    NT_CHECK(cls(&c->lambda_capturing, "com.example.Main") != NULL);
    NT_CHECK(cls(&c->lambda_capturing, "com.example.Other") != NULL);
    NT_CHECK(!cls(&c->serialization, "com.example.NotSerializable"));
    NT_CHECK(!cls(&c->serialization, "jdk.vm.ci.hotspot.Foo"));
    NT_CHECK(c->reflection.count == 0);
    /* classloading events -> predefined classes with GraalVM's digest */
    const unsigned char gen[] = {0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x34};
    const unsigned char gen1[] = {0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x37};
    char h0[23], h1[23];
    nt_predefined_hash(gen, sizeof gen, h0);
    nt_predefined_hash(gen1, sizeof gen1, h1);
    NT_CHECK(c->n_predefined == 2);
    if (c->n_predefined == 2) {
        NT_CHECK_STR(c->predefined[0].type, "agent-extracted");
        NT_CHECK_STR(c->predefined[0].hash, h0);
        NT_CHECK_STR(c->predefined[0].name_info, "com.example.Gen");
        NT_CHECK_STR(c->predefined[1].hash, h1);
        NT_CHECK_STR(c->predefined[1].name_info, "com.example.Gen$1");
    }
    nt_config_free(c);
    nt_diags_free(&d);
}

/* Old (2021) trace shapes: unordered keys, quoted results. */
static void test_clojure_trace(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_status st;
    nt_config *c = read_trace("data/traces/clojure.json", NULL, &d, &st);
    NT_CHECK(st == NT_OK && d.count == 0);
    NT_CHECK(c->n_resources == 3);
    NT_CHECK(has_glob(c, NULL, "clojure/core__init.class"));
    NT_CHECK(has_glob(c, NULL, "example/core.cljc"));
    NT_CHECK(has_glob(c, NULL, "native-agents-payloads"));
    NT_CHECK(!has_glob(c, NULL, "example/core.clj"));   /* "result":"false" */
    NT_CHECK(!has_glob(c, NULL, "data_readers.clj"));
    NT_CHECK(c->reflection.count == 6);
    NT_CHECK(cls(&c->reflection, "clojure.core__init") != NULL);
    NT_CHECK(cls(&c->reflection, "char[]") != NULL);
    NT_CHECK(cls(&c->reflection, "int[]") != NULL);
    nt_type *s = cls(&c->reflection, "java.lang.String");
    NT_CHECK(s && s->flags == NT_QUERY_ALL_PUBLIC_METHODS);
    nt_type *fn = cls(&c->reflection, "fierycod.holy_lambda.core$entrypoint$fn__279");
    NT_CHECK(fn && fn->flags == NT_QUERY_ALL_PUBLIC_CONSTRUCTORS);
    nt_type *spec = cls(&c->reflection, "clojure.core.specs.alpha$fn__52");
    NT_CHECK(spec && spec->n_methods == 1 && mlevel(spec, "<init>", NULL, 0) == NT_QUERIED);
    nt_config_free(c);
    nt_diags_free(&d);
}

static void test_untracked_trace(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_status st;
    nt_config *c = read_trace("data/traces/untracked.json", NULL, &d, &st);
    NT_CHECK(st == NT_OK && d.count == 0);
    nt_type *foo = cls(&c->reflection, "com.example.Foo");
    NT_CHECK(foo && foo->flags == (NT_ALL_DECLARED_METHODS | NT_ALL_PUBLIC_CONSTRUCTORS));
    const char *p[] = {"java.lang.String", "long[]"};
    NT_CHECK(mlevel(foo, "run", NULL, 0) == NT_ACCESSED); /* null parameter list = () */
    NT_CHECK(mlevel(foo, "<init>", p, 2) == NT_ACCESSED);
    nt_config_free(c);
    nt_diags_free(&d);
}

static void test_truncated_trace(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_status st;
    nt_config *c = read_trace("data/traces/truncated.json", NULL, &d, &st);
    NT_CHECK(st == NT_OK);
    NT_CHECK(d.count == 1 && d.warnings == 1 && has_diag(&d, 5, "cut off"));
    NT_CHECK(c->reflection.count == 1 && cls(&c->reflection, "com.example.Kept"));
    nt_config_free(c);
    nt_diags_free(&d);

    /* a complete last event but no closing bracket */
    const char *open = "[\n{\"tracer\":\"meta\",\"event\":\"phase_change\",\"phase\":\"live\"},\n"
                       "{\"tracer\":\"reflect\",\"function\":\"forName\",\"caller_class\":\"a.B\","
                       "\"args\":[\"a.C\"]},\n";
    c = nt_config_new();
    nt_diags_init(&d);
    NT_CHECK(nt_trace_read_buffer(c, open, strlen(open), "open", NULL, &d) == NT_OK);
    NT_CHECK(d.warnings == 1 && d.count == 1 && has_diag(&d, 4, "closing ']'"));
    NT_CHECK(cls(&c->reflection, "a.C") != NULL);
    nt_config_free(c);
    nt_diags_free(&d);
}

/* accessField (Field.get/set, GraalVM 25): the field is registered on its declaring class;
 * JDK callers are filtered like any access; a missing name argument is an error. */
static void test_access_field(void)
{
    const char *text =
        "[\n"
        "{\"tracer\":\"meta\",\"event\":\"initialization\",\"version\":\"1\"},\n"
        "{\"tracer\":\"meta\",\"event\":\"track_reflection_metadata\",\"track\":true},\n"
        "{\"tracer\":\"meta\",\"event\":\"phase_change\",\"phase\":\"live\"},\n"
        "{\"tracer\":\"reflect\",\"function\":\"getFields\",\"class\":\"com.example.Sub\","
        "\"caller_class\":\"com.example.Main\"},\n"
        "{\"tracer\":\"reflect\",\"function\":\"accessField\",\"class\":\"com.example.Base\","
        "\"caller_class\":\"com.example.Main\",\"args\":[\"inherited\"]},\n"
        "{\"tracer\":\"reflect\",\"function\":\"accessField\",\"class\":\"com.example.Base\","
        "\"caller_class\":\"com.example.Main\",\"args\":[\"inherited\"]},\n"
        "{\"tracer\":\"reflect\",\"function\":\"accessField\",\"class\":\"com.example.Hidden\","
        "\"caller_class\":\"java.util.HashMap\",\"args\":[\"x\"]},\n"
        "{\"tracer\":\"reflect\",\"function\":\"accessField\",\"class\":\"com.example.Bad\","
        "\"caller_class\":\"com.example.Main\",\"args\":[]}\n"
        "]\n";
    nt_config *c = nt_config_new();
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_trace_read_buffer(c, text, strlen(text), "fields", NULL, &d) == NT_ERR_PARSE);
    NT_CHECK(errors_of(&d) == 1 && has_diag(&d, 9, "expected 1 argument"));
    if (errors_of(&d) != 1)
        dump_diags(&d);
    nt_type *base = cls(&c->reflection, "com.example.Base");
    NT_CHECK(base && base->flags == 0 && base->n_fields == 1 && has_field(base, "inherited") &&
             base->n_methods == 0);
    nt_type *sub = cls(&c->reflection, "com.example.Sub");
    NT_CHECK(sub && sub->flags == NT_ALL_PUBLIC_FIELDS && sub->n_fields == 0);
    NT_CHECK(!cls(&c->reflection, "com.example.Hidden"));
    NT_CHECK(!cls(&c->reflection, "com.example.Bad"));
    NT_CHECK(c->reflection.count == 2);
    nt_config_free(c);
    nt_diags_free(&d);
}

static void test_bad_trace(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_status st;
    nt_config *c = read_trace("data/traces/bad.json", NULL, &d, &st);
    NT_CHECK(st == NT_ERR_PARSE);
    NT_CHECK(errors_of(&d) == 4);
    NT_CHECK(has_diag(&d, 3, "tracer"));
    NT_CHECK(has_diag(&d, 4, "expected 2 arguments"));
    NT_CHECK(has_diag(&d, 6, "JNI method signature"));
    NT_CHECK(has_diag(&d, 7, "\"args\" must be an array"));
    NT_CHECK(has_diag(&d, 8, "unknown trace event key \"extra\""));
    for (size_t i = 0; i < d.count; i++)
        if (d.items[i].line == 8)
            NT_CHECK(d.items[i].col == 3 && d.items[i].code == NT_OK);
    /* the reader went on after each bad event */
    NT_CHECK(c->reflection.count == 2);
    NT_CHECK(cls(&c->reflection, "com.example.Good") && cls(&c->reflection, "com.example.Also"));
    nt_config_free(c);
    nt_diags_free(&d);

    /* malformed JSON: position inside the event; not an array */
    const char *broken = "[\n{\"tracer\":\"meta\",\"event\":\"phase_change\",\"phase\":\"live\"},\n"
                         "  {\"tracer\":\"reflect\" \"function\":\"forName\"}\n]\n";
    c = nt_config_new();
    nt_diags_init(&d);
    NT_CHECK(nt_trace_read_buffer(c, broken, strlen(broken), "broken", NULL, &d) == NT_ERR_PARSE);
    NT_CHECK(d.count == 1 && d.items[0].line == 3 && d.items[0].col == 32);
    if (d.count)
        dump_diags(&d);
    nt_config_free(c);
    nt_diags_free(&d);

    const char *notarray = "\"hello\"";
    c = nt_config_new();
    nt_diags_init(&d);
    NT_CHECK(nt_trace_read_buffer(c, notarray, strlen(notarray), "x", NULL, &d) == NT_ERR_PARSE);
    NT_CHECK(d.count == 1 && d.items[0].line == 1 && d.items[0].col == 1);
    nt_diags_free(&d);
    nt_diags_init(&d);
    NT_CHECK(nt_trace_read_buffer(c, "  ", 2, "empty", NULL, &d) == NT_ERR_PARSE);
    nt_diags_free(&d);
    nt_diags_init(&d);
    const char *trailing = "[{\"tracer\":\"meta\",\"event\":\"initialization\"}] x";
    NT_CHECK(nt_trace_read_buffer(c, trailing, strlen(trailing), "t", NULL, &d) == NT_ERR_PARSE);
    NT_CHECK(d.count == 1 && d.items[0].col == 46);
    nt_config_free(c);
    nt_diags_free(&d);
}

/* JSON Lines input (one event per line, no array) is read too. */
static void test_json_lines(void)
{
    const char *text = "{\"tracer\":\"meta\",\"event\":\"phase_change\",\"phase\":\"live\"}\n"
                       "{\"tracer\":\"reflect\",\"function\":\"getFields\",\"class\":\"a.B\","
                       "\"caller_class\":\"a.M\",\"args\":[]}\n";
    nt_config *c = nt_config_new();
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_trace_read_buffer(c, text, strlen(text), "lines", NULL, &d) == NT_OK);
    nt_type *b = cls(&c->reflection, "a.B");
    NT_CHECK(b && b->flags == NT_ALL_PUBLIC_FIELDS);
    nt_config_free(c);
    nt_diags_free(&d);
}

/* Filters off: pre-live events, lambda and proxy names and caller-less
 * loadClass are kept; only explicit filters apply. */
static void test_no_heuristics(void)
{
    nt_filter_set *f = nt_filter_set_new(0, 0);
    nt_diags d;
    nt_diags_init(&d);
    nt_status st;
    nt_config *c = read_trace("data/traces/reflect.json", f, &d, &st);
    NT_CHECK(st == NT_OK);
    NT_CHECK(cls(&c->reflection, "com.example.EarlyBird") != NULL);
    NT_CHECK(cls(&c->reflection, "com.example.FromHashMap") != NULL); /* no built-in caller filter */
    NT_CHECK(cls(&c->reflection, "com.example.Main$$Lambda$14/0x0000000800c03000") != NULL);
    NT_CHECK(cls(&c->reflection, "com.sun.proxy.$Proxy12") != NULL);
    NT_CHECK(cls(&c->reflection, "com.example.VmLoaded") != NULL);
    NT_CHECK(cls(&c->reflection, "com.example.AfterDeath") != NULL);
    NT_CHECK(!cls(&c->reflection, "com.oracle.truffle.api.Foo")); /* built-in access filter */
    NT_CHECK(!cls(&c->reflection, "com.example.Missing"));       /* result false */
    NT_CHECK(has_glob(c, NULL, "META-INF/services/java.lang.System$LoggerFinder"));
    nt_config_free(c);
    nt_diags_free(&d);
    nt_filter_set_free(f);
}

/* A caller filter file applied to a trace. */
static void test_trace_with_filter_file(void)
{
    nt_filter_set *f = nt_filter_set_new(1, 1);
    nt_diags d;
    nt_diags_init(&d);
    const char *rules = "{\"rules\":[{\"excludeClasses\":\"clojure.**\"},"
                        "{\"includeClasses\":\"clojure.lang.Reflector\"}]}";
    NT_CHECK(nt_filter_set_add_buffer(f, rules, strlen(rules), "rules", NT_FILTER_CALLER, &d) ==
             NT_OK);
    const char *acc = "{\"rules\":[{\"excludeClasses\":\"java.lang.String\"}]}";
    NT_CHECK(nt_filter_set_add_buffer(f, acc, strlen(acc), "acc", NT_FILTER_ACCESS, &d) == NT_OK);
    nt_status st;
    nt_config *c = read_trace("data/traces/clojure.json", f, &d, &st);
    NT_CHECK(st == NT_OK && d.count == 0);
    /* resources are not subject to the caller filter (GraalVM) */
    NT_CHECK(c->n_resources == 3);
    /* only clojure.lang.Reflector's accesses pass, minus the excluded class */
    NT_CHECK(c->reflection.count == 1);
    NT_CHECK(cls(&c->reflection, "fierycod.holy_lambda.core$entrypoint$fn__279") != NULL);
    NT_CHECK(cls(&c->reflection, "java.lang.String") == NULL);
    NT_CHECK(cls(&c->reflection, "char[]") == NULL);
    nt_config_free(c);
    nt_diags_free(&d);
    nt_filter_set_free(f);
}

/* The agent's use: hand-built events with unknown values. */
static void test_process_event_direct(void)
{
    nt_config *c = nt_config_new();
    nt_trace_state st;
    nt_trace_state_init(&st);
    nt_diags d;
    nt_diags_init(&d);
    nt_event live = {0};
    live.tracer = "meta";
    live.event = "phase_change";
    live.phase = "live";
    live.track = -1;
    live.result = -1;
    NT_CHECK(nt_process_event(c, &st, &live, NULL, &d) == NT_OK && st.live == 1);

    const char *ifaces[] = {"com.example.A", "com.example.B"};
    nt_arg args[3] = {{NT_ARG_UNKNOWN, NULL, 0, NULL, 0},
                      {NT_ARG_STRINGS, NULL, 0, ifaces, 2},
                      {NT_ARG_UNKNOWN, NULL, 0, NULL, 0}};
    nt_event e = {0};
    e.tracer = "reflect";
    e.function = "newProxyInstance";
    e.caller_class = "com.example.Main";
    e.result = 1;
    e.track = -1;
    e.has_args = 1;
    e.args = args;
    e.n_args = 3;
    NT_CHECK(nt_process_event(c, &st, &e, NULL, &d) == NT_OK);
    NT_CHECK(proxy(&c->reflection, ifaces, 2) != NULL);

    /* getMethods on that proxy class (class given as its interfaces) */
    nt_event g = {0};
    g.tracer = "reflect";
    g.function = "getMethods";
    g.class_is_proxy = 1;
    g.class_ifaces = ifaces;
    g.n_class_ifaces = 2;
    g.caller_class = "com.example.Main";
    g.result = -1;
    g.track = -1;
    NT_CHECK(nt_process_event(c, &st, &g, NULL, &d) == NT_OK);
    nt_type *p = proxy(&c->reflection, ifaces, 2);
    NT_CHECK(p && p->flags == NT_QUERY_ALL_PUBLIC_METHODS);

    /* unknown caller ("\u0000") passes the caller filter */
    nt_arg one = {NT_ARG_STRING, "com.example.Unk", 0, NULL, 0};
    nt_event f = {0};
    f.tracer = "reflect";
    f.function = "forName";
    f.caller_class = NT_UNKNOWN;
    f.result = -1;
    f.track = -1;
    f.has_args = 1;
    f.args = &one;
    f.n_args = 1;
    NT_CHECK(nt_process_event(c, &st, &f, NULL, &d) == NT_OK);
    NT_CHECK(cls(&c->reflection, "com.example.Unk") != NULL);
    NT_CHECK(d.count == 0);
    nt_trace_state_free(&st);
    nt_config_free(c);
    nt_diags_free(&d);
}

/* Resource bundles from GraalVM 20-23 traces: getBundleImplJDK11OrLater has
 * getBundleImpl's arguments, getBundleImplJDK8OrEarlier its base name first. */
static void test_old_bundle_functions(void)
{
    static const char *const lines[] = {
        "{\"tracer\":\"meta\",\"event\":\"phase_change\",\"phase\":\"live\"}",
        "{\"tracer\":\"reflect\",\"function\":\"getBundleImplJDK11OrLater\","
        "\"caller_class\":\"com.example.Main\",\"result\":true,\"args\":[\"\\u0000\",\"\\u0000\","
        "\"com.example.Messages\",\"\\u0000\",\"\\u0000\",[\"com.example.Messages_de\"],[\"de\"]]}",
        "{\"tracer\":\"reflect\",\"function\":\"getBundleImplJDK8OrEarlier\","
        "\"caller_class\":\"com.example.Main\",\"result\":true,\"args\":[\"com.example.Old\","
        "\"\\u0000\",\"\\u0000\",\"\\u0000\"]}",
        "{\"tracer\":\"reflect\",\"function\":\"getBundleImplJDK8OrEarlier\","
        "\"caller_class\":\"com.example.Main\",\"result\":true,\"args\":[\"com.example.Older\","
        "\"\\u0000\",\"\\u0000\",\"\\u0000\",[\"com.example.Older_fr\"],[\"fr\"]]}",
    };
    nt_config *c = nt_config_new();
    nt_trace_state st;
    nt_trace_state_init(&st);
    nt_diags d;
    nt_diags_init(&d);
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        nt_event *e = NULL;
        NT_CHECK(nt_event_parse(lines[i], strlen(lines[i]), "t", &e, &d) == NT_OK);
        if (e)
            NT_CHECK(nt_process_event(c, &st, e, NULL, &d) == NT_OK);
        nt_event_free(e);
    }
    NT_CHECK(d.count == 0);
    NT_CHECK(c->n_bundles == 3);
    const char *want[] = {"com.example.Messages", "com.example.Old", "com.example.Older"};
    for (size_t i = 0; i < 3; i++) {
        const nt_bundle *b = NULL;
        for (size_t k = 0; k < c->n_bundles; k++)
            if (strcmp(c->bundles[k].name, want[i]) == 0)
                b = &c->bundles[k];
        NT_CHECK(b != NULL);
        if (b && i != 1)
            NT_CHECK(b->class_names.n == 1 && b->locales.n == 1);
    }
    nt_trace_state_free(&st);
    nt_config_free(c);
    nt_diags_free(&d);
}

/* nt_event_caller_filtered (the agent skips the context of such events when
 * their caller is refused) says exactly which events processing drops for a
 * refused caller: one line per kind of event the agent writes. */
static void test_caller_filtered_matches_processing(void)
{
    static const char *const lines[] = {
        "{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\",%s\"args\":[\"com.example.A\"]}",
        "{\"tracer\":\"reflect\",\"function\":\"getDeclaredField\",\"class\":\"com.example.A\",%s\"args\":[\"f\"]}",
        "{\"tracer\":\"reflect\",\"function\":\"getMethod\",\"class\":\"com.example.A\",%s\"args\":[\"m\",[]]}",
        "{\"tracer\":\"reflect\",\"function\":\"getMethods\",\"class\":\"com.example.A\",%s\"result\":true}",
        "{\"tracer\":\"reflect\",\"function\":\"invokeMethod\",\"class\":\"com.example.A\",%s\"args\":[\"m\",[]]}",
        "{\"tracer\":\"reflect\",\"function\":\"newProxyInstance\",%s\"args\":[\"\\u0000\",[\"com.example.I\"],\"\\u0000\"]}",
        "{\"tracer\":\"reflect\",\"function\":\"getBundleImpl\",%s\"args\":[\"\\u0000\",\"\\u0000\",\"com.example.Msgs\",\"de\",\"\\u0000\"]}",
        "{\"tracer\":\"reflect\",\"function\":\"getResource\",%s\"args\":[\"com/example/a.txt\"]}",
        "{\"tracer\":\"reflect\",\"function\":\"getSystemResources\",%s\"args\":[\"com/example/a.txt\"]}",
        "{\"tracer\":\"reflect\",\"function\":\"findResource\",%s\"args\":[\"java.base\",\"com/example/a.txt\"]}",
    };
    static const char LIVE_LINE[] =
        "{\"tracer\":\"meta\",\"event\":\"phase_change\",\"phase\":\"live\"}";
    nt_filter_set *f = nt_filter_set_new(1, 1);
    NT_CHECK(f != NULL);
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        for (int refused = 0; refused <= 1; refused++) {
            char line[512];
            snprintf(line, sizeof line, lines[i],
                     refused ? "\"caller_class\":\"java.util.Refused\","
                             : "\"caller_class\":\"com.example.Main\",");
            nt_config *c = nt_config_new();
            nt_trace_state st;
            nt_trace_state_init(&st);
            nt_event *live = NULL, *e = NULL;
            NT_CHECK(nt_event_parse(LIVE_LINE, strlen(LIVE_LINE), "t", &live, NULL) == NT_OK);
            NT_CHECK(nt_event_parse(line, strlen(line), "t", &e, NULL) == NT_OK);
            if (!live || !e) {
                fprintf(stderr, "  line %zu does not parse: %s\n", i, line);
            } else {
                NT_CHECK(nt_process_event(c, &st, live, f, NULL) == NT_OK);
                NT_CHECK(nt_process_event(c, &st, e, f, NULL) == NT_OK);
                int empty = nt_config_entry_count(c) == 0;
                int dropped = refused && nt_event_caller_filtered(e->tracer, e->function);
                if (empty != dropped)
                    fprintf(stderr, "  line %zu (%s caller): config %s, predicate %d\n", i,
                            refused ? "refused" : "accepted", empty ? "empty" : "not empty",
                            nt_event_caller_filtered(e->tracer, e->function));
                NT_CHECK(empty == dropped);
            }
            nt_event_free(live);
            nt_event_free(e);
            nt_trace_state_free(&st);
            nt_config_free(c);
        }
    }
    NT_CHECK(!nt_event_caller_filtered("jni", "GetMethodID"));
    NT_CHECK(!nt_event_caller_filtered("serialization", "ObjectStreamClass.<init>"));
    NT_CHECK(!nt_event_caller_filtered(NULL, "forName"));
    nt_filter_set_free(f);
}

static void roundtrip(const char *line)
{
    nt_event *e = NULL;
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_event_parse(line, strlen(line), "line", &e, &d) == NT_OK);
    if (!e) {
        dump_diags(&d);
        nt_diags_free(&d);
        return;
    }
    char *out = nt_event_to_json(e);
    NT_CHECK_STR(out, line);
    free(out);
    nt_event_free(e);
    nt_diags_free(&d);
}

static void test_event_json_roundtrip(void)
{
    roundtrip("{\"tracer\":\"meta\",\"event\":\"initialization\",\"version\":\"1\"}");
    roundtrip("{\"tracer\":\"meta\",\"event\":\"phase_change\",\"phase\":\"live\"}");
    roundtrip("{\"tracer\":\"meta\",\"event\":\"track_reflection_metadata\",\"track\":true}");
    roundtrip("{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\","
              "\"caller_class\":\"com.example.Main\",\"args\":[\"com.example.Foo\"]}");
    roundtrip("{\"tracer\":\"reflect\",\"function\":\"getDeclaredMethod\",\"class\":"
              "\"com.example.Foo\",\"caller_class\":\"com.example.Main\",\"result\":true,"
              "\"args\":[\"reverse\",[\"java.lang.String\"]]}");
    roundtrip("{\"tracer\":\"reflect\",\"function\":\"newProxyInstance\",\"caller_class\":"
              "\"com.example.Main\",\"result\":true,\"args\":[\"\\u0000\",[\"com.example.Service\"],"
              "\"\\u0000\"]}");
    roundtrip("{\"tracer\":\"reflect\",\"function\":\"getBundleImpl\",\"caller_class\":\"a.B\","
              "\"result\":true,\"args\":[\"\\u0000\",\"\\u0000\",\"com.example.Messages\","
              "\"de-DE\",\"\\u0000\"]}");
    roundtrip("{\"tracer\":\"jni\",\"function\":\"GetMethodID\",\"class\":\"com.example.Native\","
              "\"declaring_class\":\"com.example.Native\",\"caller_class\":\"com.example.Native\","
              "\"result\":true,\"args\":[\"callback\",\"(I)V\"]}");
    roundtrip("{\"tracer\":\"serialization\",\"function\":\"ObjectStreamClass.<init>\","
              "\"result\":false,\"args\":[\"com.example.Dto\",null]}");
    roundtrip("{\"tracer\":\"reflect\",\"function\":\"getEnclosingMethod\",\"class\":\"a.B$1\","
              "\"caller_class\":\"a.M\",\"result\":\"a.B.m()V\",\"args\":[]}");
    roundtrip("{\"tracer\":\"reflect\",\"function\":\"getMethods\",\"class\":[\"a.I\",\"a.J\"],"
              "\"caller_class\":\"\\u0000\",\"args\":[1,{\"k\":[true]},false]}");

    /* hand-built event (agent trace mode) */
    const char *params[] = {"int", NULL};
    nt_arg args[2] = {{NT_ARG_STRING, "m", 0, NULL, 0}, {NT_ARG_STRINGS, NULL, 0, params, 2}};
    nt_event e = {0};
    e.tracer = "reflect";
    e.function = "getMethod";
    e.class_name = "a.B";
    e.declaring_class = NT_UNKNOWN;
    e.result = 1;
    e.track = -1;
    e.has_args = 1;
    e.args = args;
    e.n_args = 2;
    char *out = nt_event_to_json(&e);
    NT_CHECK_STR(out, "{\"tracer\":\"reflect\",\"function\":\"getMethod\",\"class\":\"a.B\","
                      "\"declaring_class\":\"\\u0000\",\"result\":true,\"args\":[\"m\",[\"int\","
                      "null]]}");
    free(out);
    nt_event empty = {0};
    NT_CHECK(nt_event_to_json(&empty) == NULL);

    nt_event *bad = NULL;
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_event_parse("{\"function\":1}", 14, "l", &bad, &d) == NT_ERR_PARSE && !bad);
    NT_CHECK(nt_event_parse("{\"tracer\":", 10, "l", &bad, &d) == NT_ERR_PARSE && !bad);
    nt_diags_free(&d);
}

/* GraalVM's Digest: MurmurHash3 x64 128 seed 0, base 62. "foo" hashes to
 * h1 0xe271865701f54561, h2 0x7eaf87e42bba7d87 (the mmh3 project's
 * documented hash64("foo") example). */
static void test_predefined_hash(void)
{
    char h[23];
    nt_predefined_hash("", 0, h);
    NT_CHECK_STR(h, "0000000000000000000000");
    nt_predefined_hash("foo", 3, h);
    NT_CHECK_STR(h, "HIro3GitLRJRaXGHfXNLsA");
    /* SMHasher's verification value for MurmurHash3_x64_128: hash keys
     * {0}, {0,1}, ... of lengths 0..255 with seed 256 - length, then hash the
     * concatenated 16-byte results with seed 0; the first 4 bytes (little
     * endian) must be 0x6384BA69. */
    unsigned char key[256], all[256 * 16];
    for (int i = 0; i < 256; i++) {
        uint64_t a, b;
        key[i] = (unsigned char)i;
        nt_murmur3_x64_128(key, (size_t)i, (uint64_t)(256 - i), &a, &b);
        for (int k = 0; k < 8; k++) {
            all[i * 16 + k] = (unsigned char)(a >> (8 * k));
            all[i * 16 + 8 + k] = (unsigned char)(b >> (8 * k));
        }
    }
    uint64_t f1, f2;
    nt_murmur3_x64_128(all, sizeof all, 0, &f1, &f2);
    NT_CHECK((uint32_t)f1 == 0x6384BA69u);
    /* every tail length and a full block give distinct 22-character digests */
    const char *text = "0123456789abcdefghijklmnopqrstuvwxyz";
    char prev[23] = "";
    for (size_t n = 1; n <= 33; n++) {
        nt_predefined_hash(text, n, h);
        NT_CHECK(strlen(h) == 22 && strcmp(h, prev) != 0);
        memcpy(prev, h, sizeof h);
    }
    /* a bad Base64 payload is an error */
    const char *bad = "[{\"tracer\":\"classloading\",\"function\":\"onClassFileLoadHook\","
                      "\"args\":[\"a/B\",\"not base64!\"]}]";
    nt_config *c = nt_config_new();
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_trace_read_buffer(c, bad, strlen(bad), "b", NULL, &d) == NT_ERR_PARSE);
    NT_CHECK(c->n_predefined == 0 && has_diag(&d, 1, "Base64"));
    nt_config_free(c);
    nt_diags_free(&d);
}

int main(void)
{
    NT_RUN(test_predefined_hash);
    NT_RUN(test_reflect_trace);
    NT_RUN(test_jni_trace);
    NT_RUN(test_jni_launch_mismatch);
    NT_RUN(test_serialization_trace);
    NT_RUN(test_clojure_trace);
    NT_RUN(test_untracked_trace);
    NT_RUN(test_truncated_trace);
    NT_RUN(test_bad_trace);
    NT_RUN(test_access_field);
    NT_RUN(test_json_lines);
    NT_RUN(test_no_heuristics);
    NT_RUN(test_trace_with_filter_file);
    NT_RUN(test_process_event_direct);
    NT_RUN(test_old_bundle_functions);
    NT_RUN(test_caller_filtered_matches_processing);
    NT_RUN(test_event_json_roundtrip);
    NT_DONE();
}
