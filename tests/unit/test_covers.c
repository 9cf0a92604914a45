/* Unit tests for lib/covers.c: nt_covers for every access kind. */
#include <stdlib.h>
#include <string.h>

#include "nitrace/model.h"
#include "nitrace/ops.h"
#include "nt_test.h"

static const nt_cond COND_T = {NT_COND_REACHED, "com.T"};
static const nt_cond COND_R = {NT_COND_REACHABLE, "com.R"};

static nt_type *cls(nt_config *c, const char *name)
{
    return nt_typeset_get_class(&c->reflection, name, NULL, 1);
}

static nt_access acc(nt_access_kind kind, const char *type)
{
    nt_access a;
    memset(&a, 0, sizeof a);
    a.kind = kind;
    a.type = type;
    a.level = NT_ACCESSED;
    a.declared = -1;
    a.is_public = -1;
    return a;
}

static nt_access method(const char *type, const char *name, const char *const *params, size_t n,
                        nt_access_level level, int declared, int is_public)
{
    nt_access a = acc(NT_ACC_METHOD, type);
    a.member = name;
    a.params = params;
    a.n_params = n;
    a.level = level;
    a.declared = declared;
    a.is_public = is_public;
    return a;
}

static nt_access field(const char *type, const char *name, int declared, int is_public)
{
    nt_access a = acc(NT_ACC_FIELD, type);
    a.member = name;
    a.declared = declared;
    a.is_public = is_public;
    return a;
}

static nt_access resource(const char *module, const char *name)
{
    nt_access a = acc(NT_ACC_RESOURCE, NULL);
    a.module = module;
    a.resource = name;
    return a;
}

static nt_access bundle(const char *module, const char *name, const char *locale)
{
    nt_access a = acc(NT_ACC_BUNDLE, NULL);
    a.module = module;
    a.resource = name;
    a.locale = locale;
    return a;
}

static void test_types(void)
{
    nt_config *c = nt_config_new();
    cls(c, "com.Refl")->flags = NT_ALL_DECLARED_FIELDS;
    cls(c, "java.lang.String[]");
    nt_typeset_get_class(&c->jni, "com.Jni", NULL, 1);
    nt_access a = acc(NT_ACC_TYPE, "com.Refl");
    NT_CHECK(nt_covers(c, &a));
    a.jni = 1; /* FindClass: a reflection entry registers the type too */
    NT_CHECK(nt_covers(c, &a));
    a = acc(NT_ACC_TYPE, "com.Jni");
    NT_CHECK(!nt_covers(c, &a)); /* Class.forName needs reflection */
    a.jni = 1;
    NT_CHECK(nt_covers(c, &a));
    a = acc(NT_ACC_TYPE, "java.lang.String[]");
    NT_CHECK(nt_covers(c, &a));
    a = acc(NT_ACC_TYPE, "java.lang.String");
    NT_CHECK(!nt_covers(c, &a));
    a = acc(NT_ACC_TYPE, "com.Missing");
    a.jni = 1;
    NT_CHECK(!nt_covers(c, &a));
    nt_config_free(c);
}

static void test_methods_explicit(void)
{
    nt_config *c = nt_config_new();
    nt_type *t = cls(c, "com.A");
    const char *ps[] = {"int", "java.lang.String"};
    const char *wrong[] = {"long", "java.lang.String"};
    const char *one[] = {"int"};
    NT_CHECK(nt_type_add_method(t, "run", 0, ps, 2, NT_ACCESSED) != NULL);
    NT_CHECK(nt_type_add_method(t, "look", 0, NULL, 0, NT_QUERIED) != NULL);
    NT_CHECK(nt_type_add_method(t, "over", 1, NULL, 0, NT_ACCESSED) != NULL);
    NT_CHECK(nt_type_add_method(t, "qany", 1, NULL, 0, NT_QUERIED) != NULL);
    NT_CHECK(nt_type_add_method(t, "<init>", 0, NULL, 0, NT_ACCESSED) != NULL);

    nt_access a = method("com.A", "run", ps, 2, NT_ACCESSED, 1, 1);
    NT_CHECK(nt_covers(c, &a));
    a.level = NT_QUERIED; /* an invocable method can be queried */
    NT_CHECK(nt_covers(c, &a));
    a = method("com.A", "run", wrong, 2, NT_ACCESSED, 1, 1); /* wrong parameter types */
    NT_CHECK(!nt_covers(c, &a));
    a = method("com.A", "run", one, 1, NT_ACCESSED, 1, 1);   /* wrong arity */
    NT_CHECK(!nt_covers(c, &a));
    a = method("com.A", "run", NULL, 0, NT_ACCESSED, 1, 1);
    NT_CHECK(!nt_covers(c, &a));
    a = method("com.A", "look", NULL, 0, NT_QUERIED, 1, 1);
    NT_CHECK(nt_covers(c, &a));
    a.level = NT_ACCESSED; /* queried only, then invoked: a native image fails */
    NT_CHECK(!nt_covers(c, &a));
    a = method("com.A", "over", ps, 2, NT_ACCESSED, 1, 1); /* every overload */
    NT_CHECK(nt_covers(c, &a));
    a = method("com.A", "over", NULL, 0, NT_ACCESSED, 1, 1);
    NT_CHECK(nt_covers(c, &a));
    a = method("com.A", "qany", one, 1, NT_QUERIED, 1, 1);
    NT_CHECK(nt_covers(c, &a));
    a.level = NT_ACCESSED;
    NT_CHECK(!nt_covers(c, &a));
    a = method("com.A", "<init>", NULL, 0, NT_ACCESSED, 1, 1);
    NT_CHECK(nt_covers(c, &a));
    a = method("com.A", "<init>", one, 1, NT_ACCESSED, 1, 1);
    NT_CHECK(!nt_covers(c, &a));
    a = method("com.B", "run", ps, 2, NT_ACCESSED, 1, 1); /* other type */
    NT_CHECK(!nt_covers(c, &a));
    a = method("com.A", "run", ps, 2, NT_ACCESSED, 1, 1);
    a.jni = 1; /* JNI GetMethodID needs the jni set */
    NT_CHECK(!nt_covers(c, &a));
    nt_type *j = nt_typeset_get_class(&c->jni, "com.A", NULL, 1);
    NT_CHECK(nt_type_add_method(j, "run", 0, ps, 2, NT_ACCESSED) != NULL);
    NT_CHECK(nt_covers(c, &a));
    nt_config_free(c);
}

static void test_methods_by_flags(void)
{
    nt_config *c = nt_config_new();
    cls(c, "com.D")->flags = NT_ALL_DECLARED_METHODS;
    cls(c, "com.P")->flags = NT_ALL_PUBLIC_METHODS;
    cls(c, "com.Q")->flags = NT_QUERY_ALL_PUBLIC_METHODS;
    cls(c, "com.K")->flags = NT_ALL_DECLARED_CONSTRUCTORS;
    cls(c, "com.KQ")->flags = NT_QUERY_ALL_DECLARED_CONSTRUCTORS;
    const char *one[] = {"int"};

    nt_access a = method("com.D", "m", one, 1, NT_ACCESSED, 1, 0);
    NT_CHECK(nt_covers(c, &a));
    a = method("com.D", "m", one, 1, NT_ACCESSED, 0, 1); /* inherited public: not declared */
    NT_CHECK(!nt_covers(c, &a));
    a = method("com.D", "m", one, 1, NT_ACCESSED, -1, -1); /* unknown membership */
    NT_CHECK(!nt_covers(c, &a));
    a = method("com.D", "<init>", one, 1, NT_ACCESSED, 1, 1); /* constructors are not methods */
    NT_CHECK(!nt_covers(c, &a));
    a = method("com.P", "m", one, 1, NT_ACCESSED, 0, 1); /* getMethod of a superclass method */
    NT_CHECK(nt_covers(c, &a));
    a = method("com.P", "m", one, 1, NT_ACCESSED, 1, 0); /* declared private */
    NT_CHECK(!nt_covers(c, &a));
    a.level = NT_QUERIED; /* query metadata for all methods of the kind */
    NT_CHECK(nt_covers(c, &a));
    a = method("com.Q", "m", one, 1, NT_QUERIED, 0, 1);
    NT_CHECK(nt_covers(c, &a));
    a = method("com.Q", "m", one, 1, NT_ACCESSED, 0, 1); /* queryAll* does not allow invoking */
    NT_CHECK(!nt_covers(c, &a));
    a = method("com.K", "<init>", NULL, 0, NT_ACCESSED, 1, 0);
    NT_CHECK(nt_covers(c, &a));
    a = method("com.K", "m", NULL, 0, NT_QUERIED, 1, 0); /* constructor flag, method query */
    NT_CHECK(!nt_covers(c, &a));
    a = method("com.KQ", "<init>", NULL, 0, NT_QUERIED, 1, 0);
    NT_CHECK(nt_covers(c, &a));
    a.level = NT_ACCESSED;
    NT_CHECK(!nt_covers(c, &a));
    nt_config_free(c);
}

static void test_fields(void)
{
    nt_config *c = nt_config_new();
    nt_type *t = cls(c, "com.F");
    NT_CHECK(nt_type_add_field(t, "x", 0) != NULL);
    cls(c, "com.D")->flags = NT_ALL_DECLARED_FIELDS;
    cls(c, "com.P")->flags = NT_ALL_PUBLIC_FIELDS;
    nt_access a = field("com.F", "x", -1, -1);
    NT_CHECK(nt_covers(c, &a));
    a = field("com.F", "y", 1, 1);
    NT_CHECK(!nt_covers(c, &a));
    a = field("com.D", "y", 1, 0);
    NT_CHECK(nt_covers(c, &a));
    a = field("com.D", "y", 0, 1);
    NT_CHECK(!nt_covers(c, &a));
    a = field("com.P", "y", 0, 1);
    NT_CHECK(nt_covers(c, &a));
    a = field("com.P", "y", 1, 0);
    NT_CHECK(!nt_covers(c, &a));
    a = field("com.F", "x", -1, -1);
    a.jni = 1;
    NT_CHECK(!nt_covers(c, &a));
    nt_type_add_field(nt_typeset_get_class(&c->jni, "com.F", NULL, 1), "x", 0);
    NT_CHECK(nt_covers(c, &a));
    nt_config_free(c);
}

static void test_bulk_and_unsafe(void)
{
    nt_config *c = nt_config_new();
    cls(c, "com.A")->flags = NT_ALL_DECLARED_METHODS | NT_UNSAFE_ALLOCATED;
    cls(c, "com.B");
    nt_typeset_get_class(&c->jni, "com.J", NULL, 1)->flags = NT_UNSAFE_ALLOCATED;
    nt_access a = acc(NT_ACC_BULK, "com.A");
    a.bulk = NT_ALL_DECLARED_METHODS;
    NT_CHECK(nt_covers(c, &a));
    a.bulk = NT_ALL_PUBLIC_METHODS | NT_ALL_DECLARED_METHODS; /* any of them */
    NT_CHECK(nt_covers(c, &a));
    a.bulk = NT_ALL_DECLARED_FIELDS;
    NT_CHECK(!nt_covers(c, &a));
    a = acc(NT_ACC_BULK, "com.B");
    a.bulk = NT_ALL_DECLARED_METHODS;
    NT_CHECK(!nt_covers(c, &a));
    /* queryAll* / all*Classes are implied by registering the type */
    a.bulk = NT_QUERY_ALL_DECLARED_METHODS | NT_ALL_DECLARED_METHODS;
    NT_CHECK(nt_covers(c, &a));
    a.bulk = NT_ALL_PUBLIC_CLASSES;
    NT_CHECK(nt_covers(c, &a));
    a = acc(NT_ACC_BULK, "com.Missing");
    a.bulk = NT_QUERY_ALL_DECLARED_METHODS;
    NT_CHECK(!nt_covers(c, &a));

    a = acc(NT_ACC_UNSAFE_ALLOC, "com.A");
    NT_CHECK(nt_covers(c, &a));
    a = acc(NT_ACC_UNSAFE_ALLOC, "com.B");
    NT_CHECK(!nt_covers(c, &a));
    a = acc(NT_ACC_UNSAFE_ALLOC, "com.J");
    a.jni = 1;
    NT_CHECK(nt_covers(c, &a));
    nt_config_free(c);
}

static void test_resources(void)
{
    nt_config *c = nt_config_new();
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "app.properties", NULL);
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "conf/*.xml", NULL);
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "data/**", NULL);
    nt_config_add_resource(c, NT_RES_GLOB, "java.base", "jdk/internal/x.dat", NULL);
    nt_config_add_resource(c, NT_RES_PATTERN, NULL, "META-INF/services/.*", NULL);
    nt_config_add_resource(c, NT_RES_PATTERN, NULL, "\\Qa+b.txt\\E", NULL);
    nt_config_add_resource(c, NT_RES_PATTERN, NULL, "img/\\d+\\.png", NULL);
    nt_config_add_resource(c, NT_RES_PATTERN, NULL, "(?:x|y)/[a-c]z\\.txt", NULL);
    nt_config_add_resource(c, NT_RES_PATTERN, NULL, "(?=look).*", NULL); /* untranslatable */
    nt_config_add_resource(c, NT_RES_EXCLUDE, NULL, ".*\\.bak", NULL);
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "cond.txt", &COND_T);

    struct { const char *module, *name; int expect; } cases[] = {
        {NULL, "app.properties", 1},
        {NULL, "app.propertiesX", 0},
        {NULL, "conf/a.xml", 1},
        {NULL, "conf/sub/a.xml", 0},
        {NULL, "data/a/b/c", 1},
        {"java.base", "jdk/internal/x.dat", 1},
        {NULL, "jdk/internal/x.dat", 0},         /* entry is in java.base only */
        {"java.xml", "jdk/internal/x.dat", 0},
        {"some.module", "app.properties", 1},    /* module-less entry: any module */
        {NULL, "META-INF/services/com.Spi", 1},
        {NULL, "META-INF/services/old.bak", 0},  /* excluded */
        {NULL, "data/old.bak", 0},               /* excludes win over globs too */
        {NULL, "a+b.txt", 1},
        {NULL, "aab.txt", 0},
        {NULL, "img/42.png", 1},
        {NULL, "img/x.png", 0},
        {NULL, "y/bz.txt", 1},
        {NULL, "y/dz.txt", 0},
        {NULL, "lookahead", 0},
        {NULL, "cond.txt", 1},                   /* conditions ignored: cond_type NULL */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        nt_access a = resource(cases[i].module, cases[i].name);
        if (nt_covers(c, &a) != cases[i].expect) {
            fprintf(stderr, "resource case %zu (%s) expected %d\n", i, cases[i].name,
                    cases[i].expect);
            NT_CHECK(0);
        }
    }
    nt_access a = resource(NULL, "cond.txt");
    a.cond_type = "com.T";
    NT_CHECK(nt_covers(c, &a));
    a.cond_type = "com.U";
    NT_CHECK(!nt_covers(c, &a));
    a = resource(NULL, "app.properties");
    a.cond_type = "com.U"; /* unconditional entries always apply */
    NT_CHECK(nt_covers(c, &a));
    nt_config_free(c);
}

static void test_bundles(void)
{
    nt_config *c = nt_config_new();
    nt_config_add_bundle(c, "com.All", NULL, NULL);
    nt_bundle *b = nt_config_add_bundle(c, "com.Some", NULL, NULL);
    nt_strv_push(&b->locales, "de-DE");
    nt_strv_push(&b->locales, "");
    nt_strv_push(&nt_config_add_bundle(c, "com.Mod", "app.mod", NULL)->locales, "fr");
    nt_access a = bundle(NULL, "com.All", "ja-JP");
    NT_CHECK(nt_covers(c, &a));
    a = bundle(NULL, "com.Some", "de-DE");
    NT_CHECK(nt_covers(c, &a));
    a = bundle(NULL, "com.Some", "de_DE"); /* same locale, other spelling */
    NT_CHECK(nt_covers(c, &a));
    a = bundle(NULL, "com.Some", ""); /* root locale listed */
    NT_CHECK(nt_covers(c, &a));
    a = bundle(NULL, "com.Some", "fr");
    NT_CHECK(!nt_covers(c, &a));
    a = bundle(NULL, "com.Some", NULL); /* unknown locale: the bundle is registered */
    NT_CHECK(nt_covers(c, &a));
    a = bundle(NULL, "com.Other", NULL);
    NT_CHECK(!nt_covers(c, &a));
    a = bundle("app.mod", "com.Mod", "fr");
    NT_CHECK(nt_covers(c, &a));
    a = bundle(NULL, "com.Mod", "fr");
    NT_CHECK(!nt_covers(c, &a));
    a = bundle("app.mod", "com.All", "fr"); /* module-less entry */
    NT_CHECK(nt_covers(c, &a));
    nt_config_free(c);
}

static nt_type *proxy(nt_typeset *s, const char *i1, const char *i2)
{
    nt_typedesc td;
    memset(&td, 0, sizeof td);
    td.kind = NT_TD_PROXY;
    nt_strv_push(&td.ifaces, i1);
    if (i2)
        nt_strv_push(&td.ifaces, i2);
    nt_type *t = nt_typeset_get(s, &td, NULL, 1);
    nt_typedesc_free(&td);
    return t;
}

static void test_proxies_serialization_lambdas(void)
{
    nt_config *c = nt_config_new();
    proxy(&c->reflection, "com.I1", "com.I2");
    proxy(&c->serialization, "com.S1", NULL);
    nt_typeset_get_class(&c->serialization, "com.Dto", NULL, 1);
    nt_typeset_get_class(&c->lambda_capturing, "com.Main", NULL, 1);
    const char *ok[] = {"com.I1", "com.I2"}, *rev[] = {"com.I2", "com.I1"}, *one[] = {"com.I1"};
    nt_access a = acc(NT_ACC_PROXY, NULL);
    a.ifaces = ok;
    a.n_ifaces = 2;
    NT_CHECK(nt_covers(c, &a));
    a.ifaces = rev; /* order matters: a different proxy class */
    NT_CHECK(!nt_covers(c, &a));
    a.ifaces = one;
    a.n_ifaces = 1;
    NT_CHECK(!nt_covers(c, &a));

    a = acc(NT_ACC_SERIALIZATION, "com.Dto");
    NT_CHECK(nt_covers(c, &a));
    a = acc(NT_ACC_SERIALIZATION, "com.Other");
    NT_CHECK(!nt_covers(c, &a));
    a = acc(NT_ACC_SERIALIZATION, "com.Main"); /* lambda capturing is another set */
    NT_CHECK(!nt_covers(c, &a));
    /* an entry with a custom target constructor (keyed apart) covers too, its
     * condition permitting */
    nt_typedesc ext = nt_td_class("com.Ext");
    nt_cond ct = {NT_COND_REACHED, "com.T"};
    NT_CHECK(nt_typeset_get_ctor(&c->serialization, &ext, NULL, "com.Base", 1) != NULL);
    nt_typedesc cext = nt_td_class("com.CondExt");
    NT_CHECK(nt_typeset_get_ctor(&c->serialization, &cext, &ct, "com.Base", 1) != NULL);
    a = acc(NT_ACC_SERIALIZATION, "com.Ext");
    NT_CHECK(nt_covers(c, &a));
    a.cond_type = "com.U";
    NT_CHECK(nt_covers(c, &a));
    a = acc(NT_ACC_SERIALIZATION, "com.CondExt");
    a.cond_type = "com.T";
    NT_CHECK(nt_covers(c, &a));
    a.cond_type = "com.U";
    NT_CHECK(!nt_covers(c, &a));
    const char *s1[] = {"com.S1"};
    a = acc(NT_ACC_SERIALIZATION, NULL);
    a.ifaces = s1;
    a.n_ifaces = 1;
    NT_CHECK(nt_covers(c, &a));
    a.ifaces = one;
    NT_CHECK(!nt_covers(c, &a));

    a = acc(NT_ACC_LAMBDA_CAPTURING, "com.Main");
    NT_CHECK(nt_covers(c, &a));
    a = acc(NT_ACC_LAMBDA_CAPTURING, "com.Dto");
    NT_CHECK(!nt_covers(c, &a));
    nt_config_free(c);
}

static void test_conditions(void)
{
    nt_config *c = nt_config_new();
    nt_typeset_get_class(&c->reflection, "com.A", &COND_T, 1);
    nt_typeset_get_class(&c->reflection, "com.B", &COND_R, 1);
    nt_type *t = nt_typeset_get_class(&c->reflection, "com.C", &COND_T, 1);
    NT_CHECK(nt_type_add_method(t, "m", 0, NULL, 0, NT_ACCESSED) != NULL);
    cls(c, "com.C"); /* unconditional bare entry */
    nt_access a = acc(NT_ACC_TYPE, "com.A");
    NT_CHECK(nt_covers(c, &a)); /* conditions ignored */
    a.cond_type = "com.T";
    NT_CHECK(nt_covers(c, &a));
    a.cond_type = "com.U";
    NT_CHECK(!nt_covers(c, &a));
    a = acc(NT_ACC_TYPE, "com.B");
    a.cond_type = "com.R"; /* typeReachable alike */
    NT_CHECK(nt_covers(c, &a));
    a.cond_type = "com.T";
    NT_CHECK(!nt_covers(c, &a));
    a = acc(NT_ACC_TYPE, "com.C");
    a.cond_type = "com.U"; /* the unconditional entry */
    NT_CHECK(nt_covers(c, &a));
    a = method("com.C", "m", NULL, 0, NT_ACCESSED, 1, 1);
    NT_CHECK(nt_covers(c, &a));
    a.cond_type = "com.T";
    NT_CHECK(nt_covers(c, &a));
    a.cond_type = "com.U"; /* the member is only in the conditional entry */
    NT_CHECK(!nt_covers(c, &a));
    nt_config_free(c);
}

static void test_bad_input(void)
{
    nt_config *c = nt_config_new();
    cls(c, "com.A");
    nt_access a = acc(NT_ACC_METHOD, "com.A"); /* no member name */
    NT_CHECK(!nt_covers(c, &a));
    NT_CHECK(!nt_covers(NULL, &a));
    NT_CHECK(!nt_covers(c, NULL));
    a = acc(NT_ACC_TYPE, NULL);
    NT_CHECK(!nt_covers(c, &a));
    nt_config_free(c);
}

int main(void)
{
    NT_RUN(test_types);
    NT_RUN(test_methods_explicit);
    NT_RUN(test_methods_by_flags);
    NT_RUN(test_fields);
    NT_RUN(test_bulk_and_unsafe);
    NT_RUN(test_resources);
    NT_RUN(test_bundles);
    NT_RUN(test_proxies_serialization_lambdas);
    NT_RUN(test_conditions);
    NT_RUN(test_bad_input);
    NT_DONE();
}
