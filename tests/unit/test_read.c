/* Unit tests of the strict config readers (lib/read_*.c, lib/input.c):
 * every format and schema version of tests/data/configs/, the model they
 * produce, the diagnostics (with exact line:col) for tests/data/bad/, kind
 * detection, directories and trees, size limits. */
#include "nt_test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nitrace/error.h"
#include "nitrace/io.h"
#include "nitrace/model.h"
#include "read_priv.h"

#define CFG "data/configs/"
#define BAD "data/bad/"

/* ---- helpers ---------------------------------------------------------- */

static const nt_cond NONE = {NT_COND_NONE, NULL};

static nt_cond reachable(const char *t)
{
    nt_cond c = {NT_COND_REACHABLE, (char *)t};
    return c;
}

static nt_cond reached(const char *t)
{
    nt_cond c = {NT_COND_REACHED, (char *)t};
    return c;
}

static nt_type *cls(nt_typeset *s, const char *name, nt_cond c)
{
    return nt_typeset_get_class(s, name, &c, 0);
}

/* Serialization entry with a customTargetConstructorClass (keyed by it). */
static nt_type *ser_ctor(nt_typeset *s, const char *name, nt_cond c, const char *ctor)
{
    nt_typedesc td = nt_td_class(name);
    return nt_typeset_get_ctor(s, &td, &c, ctor, 0);
}

/* Proxy entry for the NULL-terminated interface list. */
static nt_type *proxy(nt_typeset *s, nt_cond c, ...)
{
    nt_typedesc td;
    memset(&td, 0, sizeof td);
    td.kind = NT_TD_PROXY;
    va_list ap;
    va_start(ap, c);
    for (const char *i; (i = va_arg(ap, const char *)) != NULL;)
        nt_strv_push(&td.ifaces, i);
    va_end(ap);
    nt_type *t = nt_typeset_get(s, &td, &c, 0);
    nt_typedesc_free(&td);
    return t;
}

/* Does t have method name with exactly these parameters (NULL-terminated;
 * any=1: the "every overload" entry) at the given level? */
static int has_method(const nt_type *t, const char *name, nt_access_level level, int any, ...)
{
    if (!t)
        return 0;
    const char *params[16];
    size_t n = 0;
    va_list ap;
    va_start(ap, any);
    for (const char *p; n < 16 && (p = va_arg(ap, const char *)) != NULL;)
        params[n++] = p;
    va_end(ap);
    nt_method *m = nt_type_find_method(t, name, any, params, n);
    return m && m->level == level;
}

static int has_field(const nt_type *t, const char *name, unsigned flags)
{
    if (!t)
        return 0;
    nt_field *f = nt_type_find_field(t, name);
    return f && f->flags == flags;
}

static int strv_is(const nt_strv *v, ...)
{
    va_list ap;
    va_start(ap, v);
    size_t i = 0;
    int ok = 1;
    for (const char *s; (s = va_arg(ap, const char *)) != NULL; i++)
        if (i >= v->n || strcmp(v->v[i], s) != 0)
            ok = 0;
    va_end(ap);
    return ok && i == v->n;
}

static int str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static nt_resource *find_res(nt_config *c, nt_res_kind kind, const char *module, const char *value,
                             nt_cond cond)
{
    for (size_t i = 0; i < c->n_resources; i++) {
        nt_resource *r = &c->resources[i];
        if (r->kind == kind && str_eq(r->module, module) && strcmp(r->value, value) == 0 &&
            nt_cond_equal(&r->cond, &cond))
            return r;
    }
    return NULL;
}

static nt_bundle *find_bundle(nt_config *c, const char *name, const char *module, nt_cond cond)
{
    for (size_t i = 0; i < c->n_bundles; i++) {
        nt_bundle *b = &c->bundles[i];
        if (strcmp(b->name, name) == 0 && str_eq(b->module, module) &&
            nt_cond_equal(&b->cond, &cond))
            return b;
    }
    return NULL;
}

static void dump_diags(const nt_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char buf[2048];
        nt_error_format(&d->items[i], buf, sizeof buf);
        fprintf(stderr, "  diag: %s\n", buf);
    }
}

/* Read one file into a fresh config; checks the status. */
static nt_config *load(const char *path, nt_file_kind kind, nt_status want, nt_diags *d)
{
    nt_config *c = nt_config_new();
    nt_status st = nt_read_file(c, path, kind, NULL, d);
    if (st != want) {
        fprintf(stderr, "%s: status %d, expected %d\n", path, (int)st, (int)want);
        dump_diags(d);
    }
    NT_CHECK(st == want);
    return c;
}

static nt_config *load_ok(const char *path)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_config *c = load(path, NT_FILE_UNKNOWN, NT_OK, &d);
    NT_CHECK(d.count == 0);
    nt_diags_free(&d);
    return c;
}

/* Is there a diagnostic at line:col whose message contains msg (and hint
 * contains hint, when given)? */
static int has_diag(const nt_diags *d, int line, int col, const char *msg, const char *hint)
{
    for (size_t i = 0; i < d->count; i++) {
        const nt_error *e = &d->items[i];
        if (e->line == line && e->col == col && strstr(e->msg, msg) &&
            (!hint || strstr(e->hint, hint)))
            return 1;
    }
    fprintf(stderr, "no diagnostic %d:%d '%s' among:\n", line, col, msg);
    dump_diags(d);
    return 0;
}

/* Read a buffer of the given kind into a fresh config. */
static nt_config *buf(const char *text, nt_file_kind kind, nt_status want, nt_diags *d)
{
    nt_config *c = nt_config_new();
    nt_status st = nt_read_buffer(c, kind, text, strlen(text), "buf.json", NULL, d);
    if (st != want) {
        fprintf(stderr, "buffer: status %d, expected %d\n", (int)st, (int)want);
        dump_diags(d);
    }
    NT_CHECK(st == want);
    return c;
}

/* ---- kinds ------------------------------------------------------------ */

static void test_kind_names(void)
{
    nt_file_kind all[] = {NT_FILE_REFLECT, NT_FILE_JNI, NT_FILE_RESOURCE, NT_FILE_PROXY,
                          NT_FILE_SERIALIZATION, NT_FILE_PREDEFINED, NT_FILE_COMBINED};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        NT_CHECK(nt_file_kind_from_name(nt_file_kind_name(all[i])) == all[i]);
    NT_CHECK_STR(nt_file_kind_name(NT_FILE_COMBINED), "reachability-metadata.json");
    NT_CHECK_STR(nt_file_kind_name(NT_FILE_PREDEFINED), "predefined-classes-config.json");
    NT_CHECK(nt_file_kind_name(NT_FILE_UNKNOWN) == NULL);
    NT_CHECK(nt_file_kind_name(NT_FILE_TRACE) == NULL);
    NT_CHECK(nt_file_kind_from_name("reflect-config.json.bak") == NT_FILE_UNKNOWN);
    NT_CHECK(nt_file_kind_from_name("trace.json") == NT_FILE_UNKNOWN);
    NT_CHECK(nt_file_kind_from_name(NULL) == NT_FILE_UNKNOWN);
}

/* ---- legacy v1.0 ------------------------------------------------------ */

static void test_legacy_v10_reflect(void)
{
    nt_config *c = load_ok(CFG "legacy-v1.0/reflect-config.json");
    NT_CHECK(c->reflection.count == 4);
    NT_CHECK(c->jni.count == 0);

    nt_type *main_ = cls(&c->reflection, "com.example.app.Main", NONE);
    NT_CHECK(main_ != NULL);
    if (main_) {
        NT_CHECK(main_->flags ==
                 (NT_ALL_DECLARED_FIELDS | NT_ALL_PUBLIC_METHODS | NT_ALL_DECLARED_CONSTRUCTORS));
        /* second entry merged: a field, and a queried main(String[]) that does
         * not downgrade the accessed one ([Ljava.lang.String; converted) */
        NT_CHECK(main_->n_fields == 1 && has_field(main_, "VERSION", 0));
        NT_CHECK(main_->n_methods == 1);
        NT_CHECK(has_method(main_, "main", NT_ACCESSED, 0, "java.lang.String[]", NULL));
    }

    NT_CHECK(cls(&c->reflection, "com.example.app.Config", NONE) == NULL);
    nt_type *cfg = cls(&c->reflection, "com.example.app.Config", reachable("com.example.app.Main"));
    NT_CHECK(cfg != NULL);
    if (cfg) {
        NT_CHECK(cfg->cond.kind == NT_COND_REACHABLE);
        NT_CHECK(cfg->flags == (NT_QUERY_ALL_DECLARED_METHODS | NT_QUERY_ALL_PUBLIC_CONSTRUCTORS));
        NT_CHECK(cfg->n_fields == 2 && has_field(cfg, "port", 0) && has_field(cfg, "host", 0));
        NT_CHECK(cfg->n_methods == 4);
        NT_CHECK(has_method(cfg, "<init>", NT_ACCESSED, 0, NULL));
        NT_CHECK(has_method(cfg, "setPort", NT_ACCESSED, 0, "int", NULL));
        NT_CHECK(has_method(cfg, "getHost", NT_QUERIED, 0, NULL));
        NT_CHECK(has_method(cfg, "lookup", NT_QUERIED, 0, "java.lang.String", "java.lang.Object[]",
                            NULL));
    }

    nt_type *arr = cls(&c->reflection, "java.lang.String[]", NONE);
    NT_CHECK(arr != NULL && nt_type_is_bare(arr));
    NT_CHECK(cls(&c->reflection, "[Ljava.lang.String;", NONE) == NULL);

    nt_type *pl = cls(&c->reflection, "com.example.app.Plugin", NONE);
    NT_CHECK(pl != NULL);
    if (pl) {
        unsigned all = 0;
        for (unsigned i = 0; i < NT_TYPE_FLAG_COUNT; i++)
            all |= 1u << i;
        unsigned want = all & ~(NT_ALL_DECLARED_FIELDS | NT_ALL_PUBLIC_METHODS |
                                NT_ALL_DECLARED_CONSTRUCTORS | NT_QUERY_ALL_DECLARED_METHODS |
                                NT_QUERY_ALL_PUBLIC_CONSTRUCTORS);
        NT_CHECK(pl->flags == want);
        NT_CHECK(pl->n_methods == 1 && has_method(pl, "run", NT_ACCESSED, 1, NULL));
        NT_CHECK(pl->methods[0].any_params == 1);
    }
    nt_config_free(c);
}

static void test_legacy_v10_jni(void)
{
    nt_config *c = load_ok(CFG "legacy-v1.0/jni-config.json");
    NT_CHECK(c->reflection.count == 0);
    NT_CHECK(c->jni.count == 3);
    nt_type *nb = cls(&c->jni, "com.example.app.NativeBridge", NONE);
    NT_CHECK(nb && nb->flags == 0 && has_field(nb, "handle", 0) && nb->n_methods == 2);
    NT_CHECK(has_method(nb, "callback", NT_ACCESSED, 0, "int", "java.lang.String", NULL));
    NT_CHECK(has_method(nb, "<init>", NT_ACCESSED, 0, NULL));
    NT_CHECK(has_method(cls(&c->jni, "java.lang.String", NONE), "getBytes", NT_ACCESSED, 0,
                        "java.lang.String", NULL));
    nt_type *b = cls(&c->jni, "byte[]", NONE);
    NT_CHECK(b && nt_type_is_bare(b));
    nt_config_free(c);
}

static void test_legacy_v10_resource(void)
{
    nt_config *c = load_ok(CFG "legacy-v1.0/resource-config.json");
    NT_CHECK(c->n_resources == 6);
    /* quoted literals become globs, with module prefix and \E splitting */
    NT_CHECK(find_res(c, NT_RES_GLOB, NULL, "META-INF/services/java.sql.Driver", NONE));
    NT_CHECK(find_res(c, NT_RES_GLOB, NULL, "app.properties", reachable("com.example.app.Main")));
    NT_CHECK(find_res(c, NT_RES_GLOB, "java.base", "jdk/internal/icu/impl/data/icudt72b/nfc.nrm",
                      NONE));
    NT_CHECK(find_res(c, NT_RES_GLOB, NULL, "weird\\\\E\\[name\\].txt", NONE));
    /* real regexes stay patterns */
    NT_CHECK(find_res(c, NT_RES_PATTERN, NULL, "templates/.*\\.html", NONE));
    NT_CHECK(find_res(c, NT_RES_EXCLUDE, NULL, ".*\\.bak", NONE));

    NT_CHECK(c->n_bundles == 2);
    nt_bundle *m = find_bundle(c, "com.example.app.Messages", NULL, NONE);
    NT_CHECK(m && strv_is(&m->locales, "", "de-DE", "fr", NULL) && m->class_names.n == 0);
    nt_bundle *l = find_bundle(c, "com.example.app.ListBundle", NULL,
                               reachable("com.example.app.Main"));
    NT_CHECK(l && l->locales.n == 0 &&
             strv_is(&l->class_names, "com.example.app.ListBundle",
                     "com.example.app.ListBundle_de", NULL));
    nt_config_free(c);
}

static void test_legacy_v10_proxy(void)
{
    nt_config *c = load_ok(CFG "legacy-v1.0/proxy-config.json");
    NT_CHECK(c->reflection.count == 2);
    nt_type *p1 = proxy(&c->reflection, NONE, "com.example.app.Service", NULL);
    NT_CHECK(p1 && p1->td.kind == NT_TD_PROXY && nt_type_is_bare(p1));
    NT_CHECK(proxy(&c->reflection, reachable("com.example.app.Main"), "java.lang.Runnable",
                   "java.io.Serializable", NULL) != NULL);
    /* interface order is significant */
    NT_CHECK(proxy(&c->reflection, reachable("com.example.app.Main"), "java.io.Serializable",
                   "java.lang.Runnable", NULL) == NULL);
    nt_config_free(c);
}

static void test_legacy_v10_serialization(void)
{
    nt_config *c = load_ok(CFG "legacy-v1.0/serialization-config.json");
    NT_CHECK(c->serialization.count == 4);
    nt_type *dto = cls(&c->serialization, "com.example.app.Dto", NONE);
    NT_CHECK(dto && dto->custom_ctor == NULL && nt_type_is_bare(dto));
    NT_CHECK(cls(&c->serialization, "java.util.ArrayList", NONE) != NULL);
    nt_type *ext = ser_ctor(&c->serialization, "com.example.app.Ext", reachable("com.example.app.Main"),
                           "java.lang.Object");
    NT_CHECK(!cls(&c->serialization, "com.example.app.Ext", reachable("com.example.app.Main")));
    NT_CHECK(ext && str_eq(ext->custom_ctor, "java.lang.Object"));
    NT_CHECK(proxy(&c->serialization, NONE, "com.example.app.Api", NULL) != NULL);
    NT_CHECK(c->lambda_capturing.count == 1);
    NT_CHECK(cls(&c->lambda_capturing, "com.example.app.Main", NONE) != NULL);
    NT_CHECK(c->reflection.count == 0);
    nt_config_free(c);
}

static void test_legacy_v10_predefined(void)
{
    nt_config *c = load_ok(CFG "legacy-v1.0/predefined-classes-config.json");
    NT_CHECK(c->n_predefined == 2);
    if (c->n_predefined == 2) {
        NT_CHECK_STR(c->predefined[0].type, "agent-extracted");
        NT_CHECK_STR(c->predefined[0].hash, "3ab8e2f1c4d5a6b7c8d9e0");
        NT_CHECK_STR(c->predefined[0].name_info, "com.example.app.Generated$1");
        NT_CHECK_STR(c->predefined[1].hash, "9f8e7d6c5b4a39281706f5");
        NT_CHECK(c->predefined[1].name_info == NULL);
    }
    nt_config_free(c);
}

/* ---- legacy v1.1 / v1.2 / older shapes -------------------------------- */

static void test_legacy_v11(void)
{
    nt_config *c = load_ok(CFG "legacy-v1.1/reflect-config.json");
    NT_CHECK(c->reflection.count == 4);
    nt_type *o = cls(&c->reflection, "com.example.shop.Order", reached("com.example.shop.App"));
    NT_CHECK(o && o->cond.kind == NT_COND_REACHED && o->flags == NT_ALL_DECLARED_FIELDS);
    NT_CHECK(has_method(o, "<init>", NT_ACCESSED, 0, "long", "java.lang.String", NULL));
    NT_CHECK(has_method(o, "total", NT_ACCESSED, 0, NULL));
    NT_CHECK(proxy(&c->reflection, NONE, "com.example.shop.Repository", "java.lang.AutoCloseable",
                   NULL) != NULL);
    nt_type *line = cls(&c->reflection, "com.example.shop.Order$Line",
                        reachable("com.example.shop.App"));
    NT_CHECK(line && line->flags == NT_ALL_PUBLIC_CONSTRUCTORS);
    NT_CHECK(has_method(line, "price", NT_QUERIED, 1, NULL));
    nt_type *al = cls(&c->reflection, "java.util.concurrent.atomic.AtomicLong", NONE);
    NT_CHECK(al && al->flags == NT_UNSAFE_ALLOCATED && has_field(al, "value", 0));
    nt_config_free(c);

    c = load_ok(CFG "legacy-v1.1/jni-config.json");
    NT_CHECK(c->jni.count == 2);
    NT_CHECK(has_method(cls(&c->jni, "com.example.shop.NativeHash", NONE), "digest", NT_ACCESSED, 0,
                        "byte[]", "int", NULL));
    NT_CHECK(has_method(cls(&c->jni, "java.lang.IllegalStateException",
                            reached("com.example.shop.NativeHash")),
                        "<init>", NT_ACCESSED, 0, "java.lang.String", NULL));
    nt_config_free(c);

    c = load_ok(CFG "legacy-v1.1/resource-config.json");
    NT_CHECK(c->n_resources == 6);
    NT_CHECK(find_res(c, NT_RES_GLOB, NULL, "logback.xml", NONE));
    NT_CHECK(find_res(c, NT_RES_GLOB, "jdk.localedata", "sun/text/resources/ext/FormatData_de.class",
                      NONE));
    /* "(?:" is not a module prefix */
    NT_CHECK(find_res(c, NT_RES_PATTERN, NULL, "(?:static|public)/.*\\.css", NONE));
    NT_CHECK(find_res(c, NT_RES_EXCLUDE, "jdk.localedata", ".*\\.tmp",
                      reachable("com.example.shop.App")));
    NT_CHECK(find_res(c, NT_RES_GLOB, NULL, "static/**/*.js", NONE));
    NT_CHECK(find_res(c, NT_RES_GLOB, "java.base", "jdk/internal/x.dat",
                      reachable("com.example.shop.App")));
    nt_bundle *lb = find_bundle(c, "com.example.shop.Labels", NULL, NONE);
    NT_CHECK(c->n_bundles == 1 && lb && strv_is(&lb->locales, "en", "de-DE", NULL) &&
             strv_is(&lb->class_names, "com.example.shop.Labels_en", NULL));
    nt_config_free(c);

    c = load_ok(CFG "legacy-v1.1/serialization-config.json");
    NT_CHECK(c->serialization.count == 4);
    NT_CHECK(cls(&c->serialization, "com.example.shop.Order", NONE) != NULL);
    nt_type *cart = ser_ctor(&c->serialization, "com.example.shop.Cart", reached("com.example.shop.App"),
                            "java.lang.Object");
    NT_CHECK(cart && str_eq(cart->custom_ctor, "java.lang.Object"));
    NT_CHECK(proxy(&c->serialization, NONE, "com.example.shop.Repository", NULL) != NULL);
    NT_CHECK(proxy(&c->serialization, NONE, "java.util.function.Supplier", "java.io.Serializable",
                   NULL) != NULL);
    NT_CHECK(c->lambda_capturing.count == 1 &&
             cls(&c->lambda_capturing, "com.example.shop.Handlers",
                 reachable("com.example.shop.App")) != NULL);
    nt_config_free(c);
}

static void test_legacy_v12(void)
{
    nt_config *c = load_ok(CFG "legacy-v1.2/reflect-config.json");
    NT_CHECK(c->reflection.count == 2);
    nt_type *inv = cls(&c->reflection, "com.example.billing.Invoice", NONE);
    NT_CHECK(inv && inv->flags == (NT_ALL_DECLARED_FIELDS | NT_ALL_DECLARED_METHODS));
    NT_CHECK(inv && strv_is(&inv->reasons, "loaded by Jackson", "accessed in InvoiceController",
                            "invoice export", NULL));
    NT_CHECK(has_field(inv, "total", 0) && has_method(inv, "<init>", NT_ACCESSED, 0, NULL));
    nt_type *gw = proxy(&c->reflection, reached("com.example.billing.Main"),
                        "com.example.billing.Gateway", NULL);
    NT_CHECK(gw && strv_is(&gw->reasons, "remote client", NULL));
    nt_config_free(c);

    c = load_ok(CFG "legacy-v1.2/jni-config.json");
    nt_type *cr = cls(&c->jni, "com.example.billing.Crypto", NONE);
    NT_CHECK(cr && strv_is(&cr->reasons, "native signer", NULL) && has_field(cr, "ctx", 0) &&
             has_method(cr, "sign", NT_ACCESSED, 0, "byte[]", NULL));
    nt_config_free(c);

    c = load_ok(CFG "legacy-v1.2/serialization-config.json");
    nt_type *si = cls(&c->serialization, "com.example.billing.Invoice", NONE);
    NT_CHECK(si && strv_is(&si->reasons, "session cache", NULL));
    nt_type *rl = cls(&c->lambda_capturing, "com.example.billing.Rules", NONE);
    NT_CHECK(rl && strv_is(&rl->reasons, "serialized rule lambdas", NULL));
    nt_type *sp = proxy(&c->serialization, NONE, "com.example.billing.Gateway", NULL);
    NT_CHECK(sp && strv_is(&sp->reasons, "cached client", NULL));
    nt_config_free(c);

    c = load_ok(CFG "legacy-v1.2/proxy-config.json");
    NT_CHECK(c->reflection.count == 2);
    nt_type *p = proxy(&c->reflection, NONE, "com.example.billing.Gateway", "java.io.Closeable",
                       NULL);
    NT_CHECK(p && strv_is(&p->reasons, "remote client", NULL));
    NT_CHECK(proxy(&c->reflection, reachable("com.example.billing.Main"),
                   "com.example.billing.Audit", NULL) != NULL);
    nt_config_free(c);
}

static void test_legacy_oldshapes(void)
{
    nt_config *c = load_ok(CFG "legacy-oldshapes/proxy-config.json");
    NT_CHECK(c->reflection.count == 2);
    NT_CHECK(proxy(&c->reflection, NONE, "com.example.old.Api", NULL) != NULL);
    NT_CHECK(proxy(&c->reflection, NONE, "java.lang.Runnable", "com.example.old.Marker", NULL));
    nt_config_free(c);

    c = load_ok(CFG "legacy-oldshapes/serialization-config.json");
    NT_CHECK(c->serialization.count == 2);
    NT_CHECK(cls(&c->serialization, "com.example.old.Dto", NONE) != NULL);
    nt_type *e = ser_ctor(&c->serialization, "com.example.old.Ext", NONE, "java.lang.Object");
    NT_CHECK(e && str_eq(e->custom_ctor, "java.lang.Object"));
    nt_config_free(c);

    c = load_ok(CFG "legacy-oldshapes/resource-config.json");
    NT_CHECK(c->n_resources == 2 && c->n_bundles == 0);
    NT_CHECK(find_res(c, NT_RES_GLOB, NULL, "old.properties", NONE));
    NT_CHECK(find_res(c, NT_RES_PATTERN, NULL, "old/.*\\.xml", NONE));
    nt_config_free(c);
}

static void test_legacy_allowwrite(void)
{
    nt_config *c = load_ok(CFG "legacy-allowwrite/reflect-config.json");
    nt_type *s = cls(&c->reflection, "com.example.legacy.Settings", NONE);
    NT_CHECK(s && s->n_fields == 4);
    NT_CHECK(has_field(s, "timeout", NT_FIELD_ALLOW_WRITE));
    NT_CHECK(has_field(s, "counter", NT_FIELD_ALLOW_UNSAFE_ACCESS));
    NT_CHECK(has_field(s, "both", NT_FIELD_ALLOW_WRITE | NT_FIELD_ALLOW_UNSAFE_ACCESS));
    NT_CHECK(has_field(s, "plain", 0));
    nt_config_free(c);

    /* the combined format has no such field keys */
    nt_diags d;
    nt_diags_init(&d);
    c = buf("{\"reflection\": [{\"type\": \"a.B\", \"fields\": [{\"name\": \"f\", \"allowWrite\": true}]}]}",
            NT_FILE_COMBINED, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 1 && has_diag(&d, 1, 58, "unknown key \"allowWrite\" in field", NULL));
    NT_CHECK(c->reflection.count == 0);
    nt_config_free(c);
    nt_diags_free(&d);

    /* a legacy entry in a combined file: "name" is spelt "type" there */
    c = buf("{\"reflection\": [{\"name\": \"a.B\"}]}", NT_FILE_COMBINED, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 2);
    NT_CHECK(has_diag(&d, 1, 18, "unknown key \"name\" in reflection entry",
                      "did you mean \"type\"?"));
    NT_CHECK(has_diag(&d, 1, 17, "missing required key \"type\"", NULL));
    nt_config_free(c);
    nt_diags_free(&d);
}

/* ---- combined --------------------------------------------------------- */

static void test_combined_v10(void)
{
    nt_config *c = load_ok(CFG "combined-v1.0/reachability-metadata.json");
    NT_CHECK(strv_is(&c->comments, "Generated for the orders service", NULL));
    NT_CHECK(c->reflection.count == 4);
    nt_type *o = cls(&c->reflection, "com.example.orders.Order", reached("com.example.orders.Main"));
    NT_CHECK(o && o->flags == (NT_ALL_DECLARED_FIELDS | NT_ALL_PUBLIC_METHODS));
    NT_CHECK(o && strv_is(&o->reasons, "JSON binding", NULL));
    NT_CHECK(o && o->n_fields == 1 && has_field(o, "id", 0) && o->n_methods == 2);
    NT_CHECK(has_method(o, "<init>", NT_ACCESSED, 0, NULL));
    NT_CHECK(has_method(o, "setId", NT_ACCESSED, 0, "long", NULL));
    NT_CHECK(proxy(&c->reflection, NONE, "com.example.orders.Repo", NULL) != NULL);
    NT_CHECK(cls(&c->reflection, "com.example.orders.Order[]", NONE) != NULL);
    nt_type *st = cls(&c->reflection, "com.example.orders.Status", NONE);
    NT_CHECK(st && st->flags == (NT_ALL_PUBLIC_FIELDS | NT_UNSAFE_ALLOCATED));
    NT_CHECK(has_method(st, "values", NT_ACCESSED, 1, NULL));

    NT_CHECK(c->jni.count == 1);
    nt_type *nl = cls(&c->jni, "com.example.orders.NativeLib", NONE);
    NT_CHECK(has_field(nl, "ptr", 0) && has_method(nl, "onEvent", NT_ACCESSED, 0, "int", NULL));

    NT_CHECK(c->serialization.count == 2);
    NT_CHECK(cls(&c->serialization, "com.example.orders.Order", NONE) != NULL);
    nt_type *sn = ser_ctor(&c->serialization, "com.example.orders.Snapshot",
                           reached("com.example.orders.Main"), "java.lang.Object");
    NT_CHECK(sn && str_eq(sn->custom_ctor, "java.lang.Object"));

    NT_CHECK(c->n_resources == 3);
    NT_CHECK(find_res(c, NT_RES_GLOB, NULL, "orders/*.json", NONE));
    NT_CHECK(find_res(c, NT_RES_GLOB, "java.base", "jdk/internal/icu/impl/data/icudt72b/nfc.nrm",
                      NONE));
    NT_CHECK(find_res(c, NT_RES_GLOB, NULL, "META-INF/services/com.example.orders.Spi",
                      reached("com.example.orders.Main")));
    NT_CHECK(c->n_bundles == 1);
    nt_bundle *b = find_bundle(c, "com.example.orders.Messages", NULL, NONE);
    NT_CHECK(b && strv_is(&b->locales, "", "en-US", NULL));
    NT_CHECK(c->lambda_capturing.count == 0 && c->n_predefined == 0);
    nt_config_free(c);
}

static void test_combined_v11(void)
{
    nt_config *c = load_ok(CFG "combined-v1.1/reachability-metadata.json");
    NT_CHECK(strv_is(&c->comments, "Payment service metadata", "edited by hand", NULL));
    NT_CHECK(c->reflection.count == 3);
    nt_type *ch = cls(&c->reflection, "com.example.pay.Charge", NONE);
    NT_CHECK(ch && ch->flags == NT_ALL_DECLARED_CONSTRUCTORS && has_field(ch, "amount", 0));
    NT_CHECK(has_method(ch, "capture", NT_ACCESSED, 0, "java.math.BigDecimal", NULL));
    /* jniAccessible: the same entry in jni; serializable: a bare serialization entry */
    nt_type *jch = cls(&c->jni, "com.example.pay.Charge", NONE);
    NT_CHECK(jch && jch->flags == NT_ALL_DECLARED_CONSTRUCTORS && has_field(jch, "amount", 0) &&
             has_method(jch, "capture", NT_ACCESSED, 0, "java.math.BigDecimal", NULL));
    nt_type *sch = cls(&c->serialization, "com.example.pay.Charge", NONE);
    NT_CHECK(sch && nt_type_is_bare(sch));

    nt_typedesc lam;
    memset(&lam, 0, sizeof lam);
    lam.kind = NT_TD_LAMBDA;
    lam.name = (char *)"com.example.pay.Main";
    lam.lambda_method = (char *)"handler";
    lam.lambda_has_params = 1;
    const char *lp[] = {"java.lang.String"};
    const char *li[] = {"java.util.function.Function"};
    lam.lambda_params.v = (char **)lp;
    lam.lambda_params.n = 1;
    lam.ifaces.v = (char **)li;
    lam.ifaces.n = 1;
    nt_cond main_reached = reached("com.example.pay.Main");
    nt_type *lt = nt_typeset_get(&c->reflection, &lam, &main_reached, 0);
    NT_CHECK(lt && lt->td.kind == NT_TD_LAMBDA && nt_type_is_bare(lt));

    /* "jniAccessible": false adds nothing to jni */
    NT_CHECK(proxy(&c->reflection, NONE, "com.example.pay.Client", "java.io.Closeable", NULL));
    NT_CHECK(proxy(&c->jni, NONE, "com.example.pay.Client", "java.io.Closeable", NULL) == NULL);
    NT_CHECK(c->jni.count == 2);
    NT_CHECK(cls(&c->jni, "com.example.pay.Native", NONE) &&
             cls(&c->jni, "com.example.pay.Native", NONE)->flags == NT_ALL_PUBLIC_METHODS);
    NT_CHECK(c->serialization.count == 2);
    NT_CHECK(proxy(&c->serialization, NONE, "com.example.pay.Client", NULL) != NULL);

    NT_CHECK(c->n_resources == 1 && find_res(c, NT_RES_GLOB, NULL, "pay/**", NONE));
    NT_CHECK(c->n_bundles == 3);
    NT_CHECK(find_bundle(c, "com.example.pay.Messages", NULL, NONE) != NULL);
    nt_bundle *eb = find_bundle(c, "com.example.pay.Errors", "com.example.pay", NONE);
    NT_CHECK(eb && strv_is(&eb->reasons, "error pages", NULL));
    nt_bundle *lg = find_bundle(c, "com.example.pay.Legacy", NULL, NONE);
    NT_CHECK(lg && strv_is(&lg->locales, "de", NULL));

    NT_CHECK(strv_is(&c->foreign_downcalls,
                     "{\"options\":{\"captureCallState\":true,\"critical\":{\"allowHeapAccess\":"
                     "true},\"firstVariadicArg\":1},\"parameterTypes\":[\"void*\",\"jlong\"],"
                     "\"returnType\":\"jint\"}",
                     NULL));
    NT_CHECK(strv_is(&c->foreign_upcalls,
                     "{\"condition\":{\"typeReached\":\"com.example.pay.Main\"},\"parameterTypes\":"
                     "[\"jint\"],\"returnType\":\"void\"}",
                     NULL));
    NT_CHECK(strv_is(&c->foreign_direct_upcalls,
                     "{\"class\":\"com.example.pay.Callbacks\",\"method\":\"onDone\","
                     "\"parameterTypes\":[],\"returnType\":\"void\"}",
                     NULL));
    nt_config_free(c);
}

static void test_combined_v12(void)
{
    nt_config *c = load_ok(CFG "combined-v1.2/reachability-metadata.json");
    NT_CHECK(strv_is(&c->comments, "Reachability metadata for the inventory service", NULL));
    NT_CHECK(c->reflection.count == 6);
    nt_cond mr = reached("com.example.inv.Main");
    nt_type *it = cls(&c->reflection, "com.example.inv.Item", mr);
    unsigned want = NT_ALL_DECLARED_FIELDS | NT_ALL_PUBLIC_CONSTRUCTORS | NT_UNSAFE_ALLOCATED;
    NT_CHECK(it && it->flags == want);
    NT_CHECK(it && strv_is(&it->reasons, "Jackson databind", "admin endpoint", NULL));
    NT_CHECK(it && it->n_fields == 2 && has_field(it, "sku", 0) && has_field(it, "qty", 0));
    NT_CHECK(has_method(it, "restock", NT_ACCESSED, 0, "int", "java.lang.String[]", NULL));
    NT_CHECK(has_method(it, "<init>", NT_ACCESSED, 0, NULL));
    nt_type *jit = cls(&c->jni, "com.example.inv.Item", mr);
    NT_CHECK(jit && jit->flags == want && jit->n_fields == 2 && jit->n_methods == 2 &&
             jit->cond.kind == NT_COND_REACHED);
    nt_type *sit = cls(&c->serialization, "com.example.inv.Item", mr);
    NT_CHECK(sit && nt_type_is_bare(sit));
    NT_CHECK(cls(&c->reflection, "com.example.inv.Item[]", NONE) != NULL);
    NT_CHECK(proxy(&c->reflection, NONE, "com.example.inv.Store", "java.lang.AutoCloseable", NULL));
    NT_CHECK(proxy(&c->jni, NONE, "com.example.inv.Store", "java.lang.AutoCloseable", NULL));

    nt_typedesc lam;
    memset(&lam, 0, sizeof lam);
    lam.kind = NT_TD_LAMBDA;
    lam.name = (char *)"com.example.inv.Main";
    lam.lambda_method = (char *)"lambda$main$0";
    lam.lambda_has_params = 1;
    const char *li[] = {"java.lang.Runnable", "java.io.Serializable"};
    lam.ifaces.v = (char **)li;
    lam.ifaces.n = 2;
    NT_CHECK(nt_typeset_get(&c->reflection, &lam, NULL, 0) != NULL);
    NT_CHECK(nt_typeset_get(&c->serialization, &lam, NULL, 0) != NULL);
    nt_typedesc lam2;
    memset(&lam2, 0, sizeof lam2);
    lam2.kind = NT_TD_LAMBDA;
    lam2.name = (char *)"com.example.inv.Jobs";
    const char *li2[] = {"java.util.function.Supplier"};
    lam2.ifaces.v = (char **)li2;
    lam2.ifaces.n = 1;
    nt_type *l2 = nt_typeset_get(&c->reflection, &lam2, NULL, 0);
    NT_CHECK(l2 && l2->td.lambda_method == NULL && l2->td.lambda_has_params == 0);

    nt_type *m = cls(&c->reflection, "com.example.inv.Main", NONE);
    NT_CHECK(m && m->flags == NT_ALL_PUBLIC_METHODS && strv_is(&m->reasons, "entry point", NULL));
    NT_CHECK(has_method(m, "main", NT_ACCESSED, 0, "java.lang.String[]", NULL));
    NT_CHECK(c->jni.count == 2 && c->serialization.count == 2);

    NT_CHECK(c->n_resources == 2);
    NT_CHECK(find_res(c, NT_RES_GLOB, NULL, "inventory/*.properties", NONE));
    nt_resource *x = find_res(c, NT_RES_GLOB, "java.base", "jdk/internal/x.dat", mr);
    NT_CHECK(x && strv_is(&x->reasons, "icu data", NULL));
    NT_CHECK(c->n_bundles == 2);
    NT_CHECK(find_bundle(c, "com.example.inv.Messages", NULL, NONE) != NULL);
    NT_CHECK(find_bundle(c, "com.example.inv.Errors", "com.example.inv", NONE) != NULL);

    NT_CHECK(strv_is(&c->foreign_downcalls,
                     "{\"options\":{\"critical\":{\"allowHeapAccess\":false}},\"parameterTypes\":"
                     "[\"void*\",\"long\"],\"returnType\":\"int\"}",
                     "{\"parameterTypes\":[\"void*\"],\"reason\":\"strlen\",\"returnType\":\"long\"}",
                     NULL));
    NT_CHECK(strv_is(&c->foreign_upcalls,
                     "{\"options\":{},\"parameterTypes\":[\"int\",\"void*\"],\"returnType\":\"void\"}",
                     NULL));
    NT_CHECK(strv_is(&c->foreign_direct_upcalls,
                     "{\"class\":\"com.example.inv.Native\",\"condition\":{\"typeReached\":"
                     "\"com.example.inv.Main\"},\"method\":\"callback\",\"parameterTypes\":[\"int\"],"
                     "\"returnType\":\"void\"}",
                     NULL));
    nt_config_free(c);
}

static void test_combined_conditions(void)
{
    nt_diags d;
    nt_diags_init(&d);
    /* typeReachable is accepted in the combined file; JVM names are converted */
    nt_config *c = buf("{\"reflection\": [{\"condition\": {\"typeReachable\": \"[La.Main;\"}, "
                       "\"type\": \"[[I\", \"methods\": [{\"name\": \"m\", \"parameterTypes\": "
                       "[\"[Ljava.lang.Object;\", \"[J\"]}]}]}",
                       NT_FILE_COMBINED, NT_OK, &d);
    nt_type *t = cls(&c->reflection, "int[][]", reachable("a.Main[]"));
    NT_CHECK(t && has_method(t, "m", NT_ACCESSED, 0, "java.lang.Object[]", "long[]", NULL));
    NT_CHECK(d.count == 0);
    nt_config_free(c);

    /* both keys, an empty condition, a non-string type */
    c = buf("[{\"name\": \"a.A\", \"condition\": {\"typeReached\": \"x.X\", \"typeReachable\": \"x.X\"}},\n"
            " {\"name\": \"a.B\", \"condition\": {}},\n"
            " {\"name\": \"a.C\", \"condition\": {\"typeReached\": [\"x\"]}},\n"
            " {\"name\": \"a.D\", \"condition\": {\"typeReched\": \"x.X\"}}]",
            NT_FILE_REFLECT, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 4);
    NT_CHECK(has_diag(&d, 1, 31, "both \"typeReached\" and \"typeReachable\"", NULL));
    NT_CHECK(has_diag(&d, 2, 31, "empty condition", NULL));
    NT_CHECK(has_diag(&d, 3, 47, "expected a class name string, found an array", NULL));
    NT_CHECK(has_diag(&d, 4, 32, "unknown key \"typeReched\" in condition",
                      "did you mean \"typeReached\"?"));
    NT_CHECK(c->reflection.count == 0);
    nt_config_free(c);
    nt_diags_free(&d);
}

/* ---- bad files: exact positions --------------------------------------- */

static void test_bad_syntax(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_config *c = load(BAD "syntax-error.json", NT_FILE_REFLECT, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 1);
    NT_CHECK(has_diag(&d, 5, 5, "invalid JSON: '}' expected near '\"allPublicMethods\"'",
                      "missing or extra comma"));
    NT_CHECK_STR(d.items[0].file, BAD "syntax-error.json");
    NT_CHECK(d.items[0].code == NT_ERR_PARSE);
    NT_CHECK(c->reflection.count == 0);
    nt_config_free(c);
    nt_diags_free(&d);
}

static void test_bad_wrong_type(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_config *c = load(BAD "wrong-type.json", NT_FILE_REFLECT, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 3);
    NT_CHECK(has_diag(&d, 4, 15, "expected an array of field objects, found an object", NULL));
    NT_CHECK(has_diag(&d, 7, 13, "expected a class name string, found a number", NULL));
    NT_CHECK(has_diag(&d, 11, 25, "expected true or false for \"allPublicMethods\", found a string",
                      NULL));
    /* bad entries are skipped, the good one after them is read */
    NT_CHECK(c->reflection.count == 1);
    nt_type *k = cls(&c->reflection, "com.example.Kept", NONE);
    NT_CHECK(k && k->flags == NT_ALL_PUBLIC_METHODS);
    /* the CLI's format */
    char line[2048];
    nt_error_format(&d.items[0], line, sizeof line);
    NT_CHECK(strstr(line, "data/bad/wrong-type.json:4:15: expected an array of field objects") != NULL);
    nt_config_free(c);
    nt_diags_free(&d);
}

static void test_bad_unknown_key(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_config *c = load(BAD "unknown-key.json", NT_FILE_REFLECT, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 2);
    NT_CHECK(has_diag(&d, 4, 5, "unknown key \"allDeclaredField\" in type entry",
                      "did you mean \"allDeclaredFields\"?"));
    NT_CHECK(has_diag(&d, 4, 5, "unknown key", "remove the key or check the file kind"));
    NT_CHECK(has_diag(&d, 8, 33, "unknown key \"parameters\" in method",
                      "did you mean \"parameterTypes\"?"));
    NT_CHECK(c->reflection.count == 1);
    NT_CHECK(has_method(cls(&c->reflection, "com.example.C", NONE), "get", NT_QUERIED, 1, NULL));
    nt_config_free(c);

    /* the same file read as the combined kind: wrong top-level type */
    nt_diags_free(&d);
    c = load(BAD "unknown-key.json", NT_FILE_COMBINED, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 1 && has_diag(&d, 1, 1, "expected an object, found an array",
                                      "check the file kind"));
    nt_config_free(c);
    nt_diags_free(&d);
}

static void test_bad_duplicate_key(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_config *c = load(BAD "duplicate-key.json", NT_FILE_RESOURCE, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 1);
    NT_CHECK(has_diag(&d, 4, 23, "duplicate key \"glob\"", "once per object"));
    NT_CHECK(c->n_resources == 0);
    nt_config_free(c);
    nt_diags_free(&d);
}

static void test_bad_utf8_depth_empty(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_config *c = load(BAD "invalid-utf8.json", NT_FILE_REFLECT, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 1 && has_diag(&d, 2, 28, "invalid UTF-8 byte 0xE9", "UTF-8"));
    nt_config_free(c);
    nt_diags_free(&d);

    c = load(BAD "deep.json", NT_FILE_REFLECT, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 1 && has_diag(&d, 1, 65, "nested deeper than 64 levels", NULL));
    nt_config_free(c);
    nt_diags_free(&d);

    c = load(BAD "empty.json", NT_FILE_UNKNOWN, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 1 && has_diag(&d, 1, 1, "empty file", "\"[]\""));
    nt_config_free(c);
    nt_diags_free(&d);

    /* whitespace only: the position is the end of the file */
    c = buf("\n  \n", NT_FILE_REFLECT, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 1 && has_diag(&d, 3, 1, "empty file", NULL));
    nt_config_free(c);
    nt_diags_free(&d);

    /* column counts characters, not bytes, after multi-byte UTF-8 */
    c = buf("[{\"name\": \"caf\xc3\xa9\", \"x\": 1}]", NT_FILE_REFLECT, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 1 && has_diag(&d, 1, 19, "unknown key \"x\"", NULL));
    nt_config_free(c);
    nt_diags_free(&d);

    /* other syntax errors: trailing garbage, truncation, top-level scalar */
    c = buf("[]\n]", NT_FILE_REFLECT, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 1 && has_diag(&d, 2, 1, "end of file expected", "remove what follows"));
    nt_config_free(c);
    nt_diags_free(&d);
    c = buf("[{\"name\": \"a.B\"", NT_FILE_REFLECT, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 1 && d.items[0].line == 1 && strstr(d.items[0].hint, "truncated"));
    nt_config_free(c);
    nt_diags_free(&d);
    c = buf("\"reflect\"", NT_FILE_REFLECT, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 1 && has_diag(&d, 1, 1, "invalid JSON", NULL));
    nt_config_free(c);
    nt_diags_free(&d);
}

static void test_bad_combined(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_config *c = load(BAD "combined-missing.json", NT_FILE_COMBINED, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 7);
    NT_CHECK(has_diag(&d, 12, 3, "unknown key \"version\" in reachability-metadata.json", NULL));
    NT_CHECK(has_diag(&d, 3, 5, "missing required key \"type\"", NULL));
    NT_CHECK(has_diag(&d, 4, 32, "unknown key \"queryAllDeclaredMethods\" in reflection entry",
                      "allowed: condition, type"));
    NT_CHECK(has_diag(&d, 5, 75, "a lambda needs at least one interface", NULL));
    NT_CHECK(has_diag(&d, 8, 5, "resource entry needs \"glob\" or \"bundle\"", NULL));
    NT_CHECK(has_diag(&d, 9, 5, "both \"glob\" and \"bundle\"", NULL));
    NT_CHECK(has_diag(&d, 11, 33, "missing required key \"method\"", NULL));
    /* reported in file order after the top-level keys */
    NT_CHECK(d.count == 7 && d.items[0].line == 12 && d.items[1].line == 3 &&
             d.items[6].line == 11);
    NT_CHECK(c->reflection.count == 0 && c->n_resources == 0 && c->n_bundles == 0 &&
             c->foreign_direct_upcalls.n == 0);
    nt_config_free(c);
    nt_diags_free(&d);
}

static void test_bad_more_shapes(void)
{
    nt_diags d;
    nt_diags_init(&d);
    /* legacy: missing name, name/type conflict, lambda not allowed, bad reasons */
    nt_config *c = buf("[\n"
                       "{\"methods\": []},\n"
                       "{\"name\": \"a.A\", \"type\": \"a.B\"},\n"
                       "{\"type\": {\"lambda\": {}}},\n"
                       "{\"type\": \"a.C\", \"reasons\": \"why\"},\n"
                       "{\"type\": \"a.D\", \"fields\": [{\"nme\": \"x\"}]},\n"
                       "{\"name\": \"a.A\", \"type\": \"a.A\"}\n"
                       "]",
                       NT_FILE_REFLECT, NT_ERR_PARSE, &d);
    NT_CHECK(has_diag(&d, 2, 1, "missing required key \"type\" (or \"name\")", NULL));
    NT_CHECK(has_diag(&d, 3, 2, "\"name\" and \"type\" name different types", "keep only"));
    NT_CHECK(has_diag(&d, 4, 11, "unknown key \"lambda\" in type descriptor", NULL));
    NT_CHECK(has_diag(&d, 5, 28, "expected an array of strings, found a string", NULL));
    NT_CHECK(has_diag(&d, 6, 29, "unknown key \"nme\" in field", "did you mean \"name\"?"));
    NT_CHECK(has_diag(&d, 6, 28, "missing required key \"name\"", NULL));
    NT_CHECK(d.count == 6);
    NT_CHECK(c->reflection.count == 1 && cls(&c->reflection, "a.A", NONE) != NULL);
    nt_config_free(c);
    nt_diags_free(&d);

    /* resource-config: unknown top key, bad includes element, predefined bad type */
    c = buf("{\"resources\": {\"includes\": [42, {\"pattern\": 1}]}, \"glob\": []}",
            NT_FILE_RESOURCE, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 3);
    NT_CHECK(has_diag(&d, 1, 51, "unknown key \"glob\" in resource-config.json",
                      "did you mean \"globs\"?"));
    NT_CHECK(has_diag(&d, 1, 29, "expected a pattern object, found a number", NULL));
    NT_CHECK(has_diag(&d, 1, 45, "expected a string (the resource regex), found a number", NULL));
    nt_config_free(c);
    nt_diags_free(&d);

    c = buf("[{\"type\": \"custom\", \"classes\": [{\"hash\": \"h\"}]}]", NT_FILE_PREDEFINED,
            NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 1 && has_diag(&d, 1, 11, "unknown class source type \"custom\"", NULL));
    NT_CHECK(c->n_predefined == 0);
    nt_config_free(c);
    nt_diags_free(&d);

    /* serialization: wrong top-level, proxies without interfaces */
    c = buf("{\"types\": [], \"lambdaCapturingTypes\": [{}], \"proxies\": [{\"condition\": 1}]}",
            NT_FILE_SERIALIZATION, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 3);
    NT_CHECK(has_diag(&d, 1, 40, "missing required key \"name\"", NULL));
    NT_CHECK(has_diag(&d, 1, 57, "missing required key \"interfaces\"", NULL));
    NT_CHECK(has_diag(&d, 1, 71, "expected a condition object, found a number", NULL));
    nt_config_free(c);
    nt_diags_free(&d);

    /* proxy-config: a bare array holding a non-string */
    c = buf("[[\"a.I\", 3], {\"interfaces\": [\"a.J\"]}]", NT_FILE_PROXY, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 1 && has_diag(&d, 1, 10, "expected an interface name string", NULL));
    NT_CHECK(c->reflection.count == 1 && proxy(&c->reflection, NONE, "a.J", NULL) != NULL);
    nt_config_free(c);
    nt_diags_free(&d);
}

static void test_error_cap(void)
{
    /* 150 bad entries: 100 diagnostics, then one saying the rest are not listed */
    size_t n = 150;
    char *text = malloc(n * 16 + 8);
    strcpy(text, "[");
    for (size_t i = 0; i < n; i++)
        strcat(text, i ? ",{\"nam\":\"a\"}" : "{\"nam\":\"a\"}");
    strcat(text, "]");
    nt_diags d;
    nt_diags_init(&d);
    nt_config *c = buf(text, NT_FILE_REFLECT, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 101);
    NT_CHECK(d.count == 101 && strstr(d.items[100].msg, "more than 100 problems") != NULL);
    /* per entry: the unknown key (at the key), then the missing type (at the object) */
    NT_CHECK(d.count > 2 && d.items[0].col == 3 && d.items[1].col == 2 && d.items[2].col == 15);
    nt_config_free(c);
    nt_diags_free(&d);
    free(text);
}

/* ---- locator ---------------------------------------------------------- */

static void test_locator(void)
{
    const char *t = "{\n  \"a\\u0062\": [1, {\"k\": \"v\", \"x\\n\": [true, null]}],\n"
                    "  \"b\": {\"\\u00e9t\\u00e9\": 5}\n}";
    size_t len = strlen(t), off;
    int line, col;
    nt_rd_step p1[] = {{"ab", 0}, {NULL, 1}, {"x\n", 0}, {NULL, 1}};
    NT_CHECK(nt_rd_locate(t, len, p1, 4, 0, &off) == 0);
    nt_rd_pos(t, len, off, &line, &col);
    NT_CHECK(line == 2 && col == 43 && strncmp(t + off, "null", 4) == 0);
    NT_CHECK(nt_rd_locate(t, len, p1, 3, 1, &off) == 0);
    NT_CHECK(strncmp(t + off, "\"x\\n\"", 5) == 0);
    nt_rd_step p2[] = {{"b", 0}, {"\xc3\xa9t\xc3\xa9", 0}};
    NT_CHECK(nt_rd_locate(t, len, p2, 2, 0, &off) == 0);
    nt_rd_pos(t, len, off, &line, &col);
    NT_CHECK(line == 3 && col == 26 && t[off] == '5');
    nt_rd_step p3[] = {{"ab", 0}, {NULL, 2}};
    NT_CHECK(nt_rd_locate(t, len, p3, 2, 0, &off) == -1);
    nt_rd_step p4[] = {{"zz", 0}};
    NT_CHECK(nt_rd_locate(t, len, p4, 1, 0, &off) == -1);
    NT_CHECK(nt_rd_locate(t, len, p4, 0, 0, &off) == 0 && off == 0);

    size_t end;
    NT_CHECK(nt_rd_skip_value("  [1, {\"a\": [\"]\"]}] x", 21, 0, &end) == 0 && end == 19);
    NT_CHECK(nt_rd_skip_value("[1, 2", 5, 0, &end) == -1);
    NT_CHECK(nt_rd_skip_value("{\"a\" 1}", 7, 0, &end) == -1);
}

/* ---- kind detection --------------------------------------------------- */

static void test_guess_kind(void)
{
    nt_diags d;
    nt_diags_init(&d);
    struct {
        const char *text;
        size_t reflection, jni, serialization, lambda, resources, bundles, predefined;
    } cases[] = {
        {"{}", 0, 0, 0, 0, 0, 0, 0},
        {"{\"reflection\": [{\"type\": \"a.A\", \"jniAccessible\": true}]}", 1, 1, 0, 0, 0, 0, 0},
        {"{\"resources\": [{\"glob\": \"x\"}]}", 0, 0, 0, 0, 1, 0, 0},
        {"{\"resources\": [{\"pattern\": \"\\\\Qx\\\\E\"}]}", 0, 0, 0, 0, 1, 0, 0},
        {"{\"resources\": {\"includes\": [{\"pattern\": \"y.*\"}]}}", 0, 0, 0, 0, 1, 0, 0},
        {"{\"bundles\": [{\"name\": \"a.M\", \"classNames\": [\"a.M\"]}]}", 0, 0, 0, 0, 0, 1, 0},
        {"{\"types\": [{\"name\": \"a.S\"}], \"lambdaCapturingTypes\": [{\"name\": \"a.L\"}]}", 0, 0,
         1, 1, 0, 0, 0},
        {"[{\"name\": \"a.S\", \"customTargetConstructorClass\": \"a.O\"}]", 0, 0, 1, 0, 0, 0, 0},
        {"[[\"a.I\"]]", 1, 0, 0, 0, 0, 0, 0},
        {"[{\"interfaces\": [\"a.I\"]}]", 1, 0, 0, 0, 0, 0, 0},
        {"[{\"type\": \"agent-extracted\", \"classes\": [{\"hash\": \"h\"}]}]", 0, 0, 0, 0, 0, 0, 1},
        {"[{\"name\": \"a.R\", \"allPublicMethods\": true}]", 1, 0, 0, 0, 0, 0, 0},
        {"[]", 0, 0, 0, 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nt_config *c = buf(cases[i].text, NT_FILE_UNKNOWN, NT_OK, &d);
        int ok = c->reflection.count == cases[i].reflection && c->jni.count == cases[i].jni &&
                 c->serialization.count == cases[i].serialization &&
                 c->lambda_capturing.count == cases[i].lambda &&
                 c->n_resources == cases[i].resources && c->n_bundles == cases[i].bundles &&
                 c->n_predefined == cases[i].predefined;
        if (!ok)
            fprintf(stderr, "guess case %zu failed: %s\n", i, cases[i].text);
        NT_CHECK(ok);
        nt_config_free(c);
    }
    NT_CHECK(d.count == 0);

    nt_config *c = buf("{\"something\": 1}", NT_FILE_UNKNOWN, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 1 && has_diag(&d, 1, 1, "cannot tell which kind", "name the file"));
    nt_config_free(c);
    nt_diags_free(&d);
    c = buf("[1, 2]", NT_FILE_UNKNOWN, NT_ERR_PARSE, &d);
    NT_CHECK(d.count == 1);
    nt_config_free(c);
    nt_diags_free(&d);

    /* an unknown file name: the content decides */
    char dir[] = "/tmp/nt_test_read_XXXXXX";
    NT_CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/whatever.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"globs\": [{\"glob\": \"g/*\"}]}", f);
    fclose(f);
    c = load(path, NT_FILE_UNKNOWN, NT_OK, &d);
    NT_CHECK(c->n_resources == 1 && find_res(c, NT_RES_GLOB, NULL, "g/*", NONE));
    nt_config_free(c);
    unlink(path);
    rmdir(dir);
    nt_diags_free(&d);
}

static void test_trace_dispatch(void)
{
    const char *trace =
        "[\n"
        "{\"tracer\":\"meta\",\"event\":\"initialization\",\"version\":\"1\"},\n"
        "{\"tracer\":\"meta\",\"event\":\"phase_change\",\"phase\":\"live\"},\n"
        "{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\","
        "\"caller_class\":\"com.example.Main\",\"result\":true,\"args\":[\"com.example.Foo\"]}\n"
        "]\n";
    nt_diags d;
    nt_diags_init(&d);
    nt_config *c = buf(trace, NT_FILE_UNKNOWN, NT_OK, &d);
    NT_CHECK(cls(&c->reflection, "com.example.Foo", NONE) != NULL);
    nt_config_free(c);
    c = buf(trace, NT_FILE_TRACE, NT_OK, &d);
    NT_CHECK(cls(&c->reflection, "com.example.Foo", NONE) != NULL);
    nt_config_free(c);
    /* JSON Lines (no enclosing array) is recognised as a trace too */
    c = buf("{\"tracer\":\"meta\",\"event\":\"phase_change\",\"phase\":\"live\"}\n"
            "{\"tracer\":\"reflect\",\"function\":\"forName\",\"caller_class\":\"com.example.Main\","
            "\"args\":[\"com.example.Foo\"]}\n",
            NT_FILE_UNKNOWN, NT_OK, &d);
    NT_CHECK(cls(&c->reflection, "com.example.Foo", NONE) != NULL);
    nt_config_free(c);
    nt_diags_free(&d);
}

/* ---- inputs: directories, trees, limits ------------------------------- */

static void test_input_dir(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_config *c = nt_config_new();
    size_t n = 0;
    NT_CHECK(nt_read_input(c, CFG "legacy-v1.0", NULL, &d, &n) == NT_OK);
    NT_CHECK(n == 6 && d.count == 0);
    NT_CHECK(c->reflection.count == 4 + 2 && c->jni.count == 3 && c->serialization.count == 4 &&
             c->lambda_capturing.count == 1 && c->n_resources == 6 && c->n_bundles == 2 &&
             c->n_predefined == 2);
    nt_config_free(c);

    /* a single file */
    c = nt_config_new();
    NT_CHECK(nt_read_input(c, CFG "legacy-v1.2/jni-config.json", NULL, &d, &n) == NT_OK);
    NT_CHECK(n == 1 && c->jni.count == 1);
    nt_config_free(c);

    /* agent lock file: a warning, still read */
    c = nt_config_new();
    NT_CHECK(nt_read_input(c, CFG "with-lock", NULL, &d, &n) == NT_OK);
    NT_CHECK(n == 1 && cls(&c->reflection, "com.example.locked.Busy", NONE) != NULL);
    NT_CHECK(d.count == 1 && d.warnings == 1 && d.items[0].code == NT_OK &&
             strstr(d.items[0].msg, "lock file") != NULL);
    nt_config_free(c);
    nt_diags_free(&d);
}

static void test_input_tree(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_config *c = nt_config_new();
    size_t n = 0;
    NT_CHECK(nt_read_input(c, CFG "tree-jar", NULL, &d, &n) == NT_OK);
    NT_CHECK(n == 3 && d.count == 0);
    NT_CHECK(has_method(cls(&c->reflection, "com.example.tree.App", NONE), "<init>", NT_ACCESSED, 0,
                        NULL));
    nt_type *h = cls(&c->reflection, "com.example.dep.Helper", NONE);
    NT_CHECK(h && h->flags == NT_ALL_PUBLIC_METHODS);
    NT_CHECK(find_res(c, NT_RES_GLOB, NULL, "tree/app.properties", NONE) != NULL);
    /* not under META-INF/native-image: ignored */
    NT_CHECK(cls(&c->reflection, "com.example.notes.NotNativeImageMetadata", NONE) == NULL);
    NT_CHECK(c->reflection.count == 2);
    nt_config_free(c);

    /* a tree whose root is itself inside META-INF/native-image */
    c = nt_config_new();
    NT_CHECK(nt_read_input(c, CFG "tree-jar/src/main/resources/META-INF/native-image", NULL, &d,
                           &n) == NT_OK);
    NT_CHECK(n == 2 && c->reflection.count == 1);
    nt_config_free(c);

    /* a directory without config files */
    char dir[] = "/tmp/nt_test_read_XXXXXX";
    NT_CHECK(mkdtemp(dir) != NULL);
    char sub[256];
    snprintf(sub, sizeof sub, "%s/META-INF", dir);
    mkdir(sub, 0755);
    c = nt_config_new();
    NT_CHECK(nt_read_input(c, dir, NULL, &d, &n) == NT_ERR_IO);
    NT_CHECK(n == 0 && d.count == 1 && d.items[0].code == NT_ERR_IO &&
             strstr(d.items[0].msg, "no GraalVM config files found in") != NULL &&
             strstr(d.items[0].hint, "META-INF/native-image") != NULL);
    nt_config_free(c);
    rmdir(sub);
    rmdir(dir);
    nt_diags_free(&d);

    /* a path that does not exist */
    c = nt_config_new();
    NT_CHECK(nt_read_input(c, CFG "no-such-dir", NULL, &d, &n) == NT_ERR_IO);
    NT_CHECK(d.count == 1 && strstr(d.items[0].msg, "No such file or directory") != NULL);
    nt_config_free(c);
    nt_diags_free(&d);
}

static void test_limits(void)
{
    nt_diags d;
    nt_diags_init(&d);
    char *data = NULL;
    size_t len = 0;
    const char *p = CFG "legacy-v1.0/proxy-config.json";
    NT_CHECK(nt_read_whole_file(p, 0, &data, &len, &d) == NT_OK);
    NT_CHECK(data && len > 100 && data[len] == '\0' && strncmp(data, "[\n  {\"interfaces\"", 17) == 0);
    free(data);
    NT_CHECK(nt_read_whole_file(p, len, &data, &len, &d) == NT_OK);
    free(data);
    NT_CHECK(nt_read_whole_file(p, 50, &data, &len, &d) == NT_ERR_IO);
    NT_CHECK(data == NULL && d.count == 1 && strstr(d.items[0].msg, "file too large") != NULL);
    nt_diags_free(&d);

    nt_read_opts o = {NULL, 50};
    nt_config *c = nt_config_new();
    NT_CHECK(nt_read_file(c, p, NT_FILE_UNKNOWN, &o, &d) == NT_ERR_IO);
    NT_CHECK(c->reflection.count == 0 && d.count == 1);
    nt_diags_free(&d);
    NT_CHECK(nt_read_buffer(c, NT_FILE_PROXY, "[[\"a.I\"]]", 9, "b", &o, &d) == NT_OK);
    NT_CHECK(nt_read_buffer(c, NT_FILE_PROXY, "[[\"a.I\"]]", 9, "b", &(nt_read_opts){NULL, 8}, &d) ==
             NT_ERR_IO);
    nt_config_free(c);
    nt_diags_free(&d);

    NT_CHECK(nt_read_whole_file(CFG, 0, &data, &len, &d) == NT_ERR_IO);
    NT_CHECK(d.count == 1 && strstr(d.items[0].msg, "is a directory") != NULL);
    nt_diags_free(&d);
    NT_CHECK(nt_read_whole_file(CFG "nope.json", 0, &data, &len, &d) == NT_ERR_IO);
    NT_CHECK(d.count == 1 && strstr(d.items[0].msg, "No such file or directory") != NULL);
    nt_diags_free(&d);
}

int main(void)
{
    NT_RUN(test_kind_names);
    NT_RUN(test_legacy_v10_reflect);
    NT_RUN(test_legacy_v10_jni);
    NT_RUN(test_legacy_v10_resource);
    NT_RUN(test_legacy_v10_proxy);
    NT_RUN(test_legacy_v10_serialization);
    NT_RUN(test_legacy_v10_predefined);
    NT_RUN(test_legacy_v11);
    NT_RUN(test_legacy_v12);
    NT_RUN(test_legacy_oldshapes);
    NT_RUN(test_legacy_allowwrite);
    NT_RUN(test_combined_v10);
    NT_RUN(test_combined_v11);
    NT_RUN(test_combined_v12);
    NT_RUN(test_combined_conditions);
    NT_RUN(test_bad_syntax);
    NT_RUN(test_bad_wrong_type);
    NT_RUN(test_bad_unknown_key);
    NT_RUN(test_bad_duplicate_key);
    NT_RUN(test_bad_utf8_depth_empty);
    NT_RUN(test_bad_combined);
    NT_RUN(test_bad_more_shapes);
    NT_RUN(test_error_cap);
    NT_RUN(test_locator);
    NT_RUN(test_guess_kind);
    NT_RUN(test_trace_dispatch);
    NT_RUN(test_input_dir);
    NT_RUN(test_input_tree);
    NT_RUN(test_limits);
    NT_DONE();
}
