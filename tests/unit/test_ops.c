/* Unit tests for lib/ops.c: union, normalisation, subtraction, clone, equality. */
#include <stdlib.h>
#include <string.h>

#include "nitrace/model.h"
#include "nitrace/ops.h"
#include "nt_test.h"

/* ---- builders ----------------------------------------------------------- */

static const nt_cond COND_T = {NT_COND_REACHED, "com.T"};

static nt_type *cls(nt_config *c, const char *name)
{
    return nt_typeset_get_class(&c->reflection, name, NULL, 1);
}

/* The serialization entry (name, ctor); created when create != 0. */
static nt_type *ser(nt_config *c, const char *name, const char *ctor, int create)
{
    nt_typedesc td = nt_td_class(name);
    return nt_typeset_get_ctor(&c->serialization, &td, NULL, ctor, create);
}

static nt_type *cls_if(nt_config *c, const char *name, const nt_cond *cond)
{
    return nt_typeset_get_class(&c->reflection, name, cond, 1);
}

static nt_type *get(nt_config *c, const char *name)
{
    return nt_typeset_get_class(&c->reflection, name, NULL, 0);
}

static void meth(nt_type *t, const char *name, nt_access_level lvl, size_t n, const char *p0,
                 const char *p1)
{
    const char *p[2] = {p0, p1};
    NT_CHECK(nt_type_add_method(t, name, 0, p, n, lvl) != NULL);
}

static void meth_any(nt_type *t, const char *name, nt_access_level lvl)
{
    NT_CHECK(nt_type_add_method(t, name, 1, NULL, 0, lvl) != NULL);
}

static nt_method *find_m(nt_type *t, const char *name, size_t n, const char *p0)
{
    const char *p[1] = {p0};
    return nt_type_find_method(t, name, 0, p, n);
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

static nt_type *find_proxy(nt_typeset *s, const char *i1, const char *i2)
{
    nt_typedesc td;
    memset(&td, 0, sizeof td);
    td.kind = NT_TD_PROXY;
    nt_strv_push(&td.ifaces, i1);
    if (i2)
        nt_strv_push(&td.ifaces, i2);
    nt_type *t = nt_typeset_get(s, &td, NULL, 0);
    nt_typedesc_free(&td);
    return t;
}

static int has_resource(const nt_config *c, nt_res_kind kind, const char *module, const char *value)
{
    for (size_t i = 0; i < c->n_resources; i++) {
        const nt_resource *r = &c->resources[i];
        if (r->kind == kind && strcmp(r->value, value) == 0 &&
            (module ? (r->module && strcmp(r->module, module) == 0) : r->module == NULL))
            return 1;
    }
    return 0;
}

static nt_bundle *find_bundle(nt_config *c, const char *name)
{
    for (size_t i = 0; i < c->n_bundles; i++)
        if (strcmp(c->bundles[i].name, name) == 0)
            return &c->bundles[i];
    return NULL;
}

/* Three varied configs for the algebraic laws. */
static nt_config *make_a(void)
{
    nt_config *c = nt_config_new();
    nt_type *t = cls(c, "com.A");
    t->flags = NT_ALL_DECLARED_FIELDS | NT_QUERY_ALL_PUBLIC_METHODS;
    meth(t, "foo", NT_QUERIED, 0, NULL, NULL);
    meth(t, "bar", NT_ACCESSED, 1, "int", NULL);
    NT_CHECK(nt_type_add_field(t, "x", NT_FIELD_ALLOW_WRITE) != NULL);
    nt_strv_push(&t->reasons, "ra");
    t = cls_if(c, "com.A", &COND_T);
    meth(t, "cond", NT_ACCESSED, 0, NULL, NULL);
    proxy(&c->reflection, "com.I1", "com.I2");
    nt_typeset_get_class(&c->jni, "com.N", NULL, 1)->flags = NT_ALL_DECLARED_METHODS;
    ser(c, "com.S", "java.lang.Object", 1);
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "app.properties", NULL);
    nt_config_add_resource(c, NT_RES_GLOB, "java.base", "x.dat", NULL);
    nt_bundle *b = nt_config_add_bundle(c, "com.Msgs", NULL, NULL);
    nt_strv_push(&b->locales, "de");
    nt_config_add_predefined(c, "agent-extracted", "h1", "com.Gen$1");
    nt_strv_push(&c->foreign_downcalls, "{\"returnType\":\"jint\"}");
    return c;
}

static nt_config *make_b(void)
{
    nt_config *c = nt_config_new();
    nt_type *t = cls(c, "com.A");
    t->flags = NT_ALL_PUBLIC_FIELDS | NT_ALL_PUBLIC_METHODS;
    meth(t, "foo", NT_ACCESSED, 0, NULL, NULL);
    meth_any(t, "bar", NT_QUERIED);
    NT_CHECK(nt_type_add_field(t, "x", 0) != NULL);
    NT_CHECK(nt_type_add_field(t, "y", 0) != NULL);
    nt_strv_push(&t->reasons, "rb");
    cls(c, "com.B")->flags = NT_UNSAFE_ALLOCATED;
    proxy(&c->reflection, "com.I2", "com.I1");
    nt_typeset_get_class(&c->serialization, "com.S", NULL, 1);
    nt_typeset_get_class(&c->lambda_capturing, "com.L", NULL, 1);
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "app.properties", NULL);
    nt_config_add_resource(c, NT_RES_PATTERN, NULL, "META-INF/.*", &COND_T);
    nt_bundle *b = nt_config_add_bundle(c, "com.Msgs", NULL, NULL);
    nt_strv_push(&b->locales, "fr");
    nt_strv_push(&b->class_names, "com.Msgs_fr");
    nt_config_add_predefined(c, "agent-extracted", "h2", NULL);
    nt_strv_push(&c->foreign_upcalls, "{\"returnType\":\"void\"}");
    return c;
}

static nt_config *make_c(void)
{
    nt_config *c = nt_config_new();
    nt_type *t = cls(c, "com.A");
    t->flags = NT_ALL_DECLARED_METHODS;
    meth(t, "baz", NT_QUERIED, 2, "int", "long");
    NT_CHECK(nt_type_add_field(t, "y", NT_FIELD_ALLOW_UNSAFE_ACCESS) != NULL);
    ser(c, "com.S", "com.Base", 1);
    nt_bundle *b = nt_config_add_bundle(c, "com.Msgs", NULL, NULL);
    (void)b; /* no locales: every locale */
    nt_config_add_resource(c, NT_RES_EXCLUDE, NULL, ".*\\.bak", NULL);
    nt_strv_push(&c->comments, "hello");
    return c;
}

static nt_config *merged(nt_config *(*x)(void), nt_config *(*y)(void))
{
    nt_config *a = x(), *b = y();
    NT_CHECK(nt_config_merge(a, b) == NT_OK);
    nt_config_free(b);
    return a;
}

/* ---- union -------------------------------------------------------------- */

static void test_merge_ors_flags_and_members(void)
{
    nt_config *m = merged(make_a, make_b);
    nt_type *t = get(m, "com.A");
    NT_CHECK(t != NULL);
    if (!t)
        return;
    /* queryAllPublicMethods is covered by allPublicMethods and cleared */
    NT_CHECK(t->flags == (NT_ALL_DECLARED_FIELDS | NT_ALL_PUBLIC_FIELDS | NT_ALL_PUBLIC_METHODS));
    NT_CHECK(t->n_methods == 3);
    nt_method *foo = find_m(t, "foo", 0, NULL);
    NT_CHECK(foo && foo->level == NT_ACCESSED);
    NT_CHECK(find_m(t, "bar", 1, "int") != NULL);
    NT_CHECK(nt_type_find_method(t, "bar", 1, NULL, 0) != NULL);
    /* x keeps allowWrite although both all*Fields are set; y (no flags) goes */
    NT_CHECK(t->n_fields == 1);
    nt_field *x = nt_type_find_field(t, "x");
    NT_CHECK(x && x->flags == NT_FIELD_ALLOW_WRITE);
    NT_CHECK(t->reasons.n == 2);
    NT_CHECK(nt_strv_contains(&t->reasons, "ra") && nt_strv_contains(&t->reasons, "rb"));
    /* conditional entry stays separate */
    nt_type *tc = nt_typeset_get_class(&m->reflection, "com.A", &COND_T, 0);
    NT_CHECK(tc && tc->n_methods == 1);
    NT_CHECK(m->reflection.count == 5); /* A, A if T, proxy x2 (order matters), B */
    NT_CHECK(find_proxy(&m->reflection, "com.I1", "com.I2") != NULL);
    NT_CHECK(find_proxy(&m->reflection, "com.I2", "com.I1") != NULL);
    NT_CHECK(m->jni.count == 1 && m->lambda_capturing.count == 1);
    nt_type *s = ser(m, "com.S", "java.lang.Object", 0);
    NT_CHECK(s && s->custom_ctor && strcmp(s->custom_ctor, "java.lang.Object") == 0);
    NT_CHECK(m->serialization.count == 2 && ser(m, "com.S", NULL, 0)); /* B's, without one */
    NT_CHECK(m->n_resources == 3);
    NT_CHECK(has_resource(m, NT_RES_GLOB, NULL, "app.properties"));
    NT_CHECK(has_resource(m, NT_RES_GLOB, "java.base", "x.dat"));
    NT_CHECK(has_resource(m, NT_RES_PATTERN, NULL, "META-INF/.*"));
    nt_bundle *b = find_bundle(m, "com.Msgs");
    NT_CHECK(m->n_bundles == 1 && b && b->locales.n == 2 && b->class_names.n == 1);
    NT_CHECK(m->n_predefined == 2);
    NT_CHECK(m->foreign_downcalls.n == 1 && m->foreign_upcalls.n == 1);
    nt_config_free(m);
}

static void test_merge_commutative(void)
{
    nt_config *ab = merged(make_a, make_b), *ba = merged(make_b, make_a);
    NT_CHECK(nt_config_equal(ab, ba));
    nt_config *ac = merged(make_a, make_c), *ca = merged(make_c, make_a);
    NT_CHECK(nt_config_equal(ac, ca));
    nt_config *bc = merged(make_b, make_c), *cb = merged(make_c, make_b);
    NT_CHECK(nt_config_equal(bc, cb));
    /* and not trivially equal to one side */
    nt_config *a = make_a();
    NT_CHECK(!nt_config_equal(ab, a));
    nt_config_free(a);
    nt_config_free(ab);
    nt_config_free(ba);
    nt_config_free(ac);
    nt_config_free(ca);
    nt_config_free(bc);
    nt_config_free(cb);
}

static void test_merge_associative(void)
{
    nt_config *left = merged(make_a, make_b);
    nt_config *c = make_c();
    NT_CHECK(nt_config_merge(left, c) == NT_OK);
    nt_config *right = merged(make_b, make_c);
    nt_config *a = make_a();
    NT_CHECK(nt_config_merge(a, right) == NT_OK);
    NT_CHECK(nt_config_equal(left, a));
    /* without, and with each custom constructor: all kept (GraalVM's key) */
    NT_CHECK(a->serialization.count == 3 && ser(a, "com.S", "com.Base", 0) &&
             ser(a, "com.S", "java.lang.Object", 0) && ser(a, "com.S", NULL, 0));
    /* [] (every locale) absorbs listed locales */
    nt_bundle *b = find_bundle(a, "com.Msgs");
    NT_CHECK(b && b->locales.n == 0 && b->class_names.n == 1);
    /* field y: no-flags copy from B, allowUnsafeAccess from C: kept, OR-ed */
    nt_field *y = nt_type_find_field(nt_typeset_get_class(&a->reflection, "com.A", NULL, 0), "y");
    NT_CHECK(y && y->flags == NT_FIELD_ALLOW_UNSAFE_ACCESS);
    nt_config_free(left);
    nt_config_free(c);
    nt_config_free(right);
    nt_config_free(a);
}

static void test_merge_idempotent(void)
{
    nt_config *m = merged(make_a, make_b);
    nt_config *again = nt_config_clone(m);
    nt_config *b = make_b();
    NT_CHECK(nt_config_merge(again, b) == NT_OK); /* m ∪ B == m */
    NT_CHECK(nt_config_equal(again, m));
    NT_CHECK(nt_config_merge(again, again) == NT_OK); /* self-merge */
    NT_CHECK(nt_config_equal(again, m));
    nt_config *n = nt_config_clone(m);
    nt_config_normalize(n);
    nt_config_normalize(n);
    NT_CHECK(nt_config_equal(n, m));
    nt_config_free(m);
    nt_config_free(again);
    nt_config_free(b);
    nt_config_free(n);
}

static void test_accessed_beats_queried_both_orders(void)
{
    for (int order = 0; order < 2; order++) {
        nt_config *q = nt_config_new(), *acc = nt_config_new();
        meth(cls(q, "com.A"), "run", NT_QUERIED, 1, "int", NULL);
        meth(cls(acc, "com.A"), "run", NT_ACCESSED, 1, "int", NULL);
        nt_config *dst = order ? q : acc, *src = order ? acc : q;
        NT_CHECK(nt_config_merge(dst, src) == NT_OK);
        nt_type *t = get(dst, "com.A");
        NT_CHECK(t && t->n_methods == 1 && t->methods[0].level == NT_ACCESSED);
        nt_config_free(q);
        nt_config_free(acc);
    }
}

static void test_any_params_subsumption(void)
{
    nt_config *c = nt_config_new();
    nt_type *t = cls(c, "com.A");
    meth_any(t, "f", NT_ACCESSED);
    meth(t, "f", NT_ACCESSED, 1, "int", NULL);  /* dropped: f(*) accessed */
    meth(t, "f", NT_QUERIED, 0, NULL, NULL);     /* dropped */
    meth_any(t, "g", NT_QUERIED);
    meth(t, "g", NT_ACCESSED, 1, "int", NULL);  /* kept: g(*) only queried */
    meth(t, "g", NT_QUERIED, 1, "long", NULL);  /* dropped */
    meth(t, "h", NT_QUERIED, 1, "int", NULL);   /* other name: kept */
    nt_config_normalize(c);
    NT_CHECK(t->n_methods == 4);
    NT_CHECK(nt_type_find_method(t, "f", 1, NULL, 0) != NULL);
    NT_CHECK(find_m(t, "f", 1, "int") == NULL);
    NT_CHECK(find_m(t, "f", 0, NULL) == NULL);
    NT_CHECK(nt_type_find_method(t, "g", 1, NULL, 0) != NULL);
    NT_CHECK(find_m(t, "g", 1, "int") != NULL);
    NT_CHECK(find_m(t, "g", 1, "long") == NULL);
    NT_CHECK(find_m(t, "h", 1, "int") != NULL);
    nt_config_free(c);
}

/* graal #1599: a hand-added allowWrite vanished after re-running the agent
 * with config-merge-dir, because allDeclaredFields subsumed the field. */
static void test_issue_1599_allow_write_survives(void)
{
    nt_config *disk = nt_config_new();
    nt_type *t = cls(disk, "com.Cfg");
    t->flags = NT_ALL_DECLARED_FIELDS | NT_ALL_PUBLIC_FIELDS;
    NT_CHECK(nt_type_add_field(t, "value", NT_FIELD_ALLOW_WRITE) != NULL);
    NT_CHECK(nt_type_add_field(t, "plain", 0) != NULL);
    nt_config *run = nt_config_new();
    nt_type *r = cls(run, "com.Cfg");
    r->flags = NT_ALL_DECLARED_FIELDS | NT_ALL_PUBLIC_FIELDS;
    NT_CHECK(nt_type_add_field(r, "value", 0) != NULL);
    NT_CHECK(nt_config_merge(disk, run) == NT_OK);
    t = get(disk, "com.Cfg");
    nt_field *f = t ? nt_type_find_field(t, "value") : NULL;
    NT_CHECK(f && f->flags == NT_FIELD_ALLOW_WRITE);
    NT_CHECK(t && nt_type_find_field(t, "plain") == NULL); /* no flags: subsumed */
    NT_CHECK(t && t->n_fields == 1);
    /* and the other order */
    nt_config *run2 = nt_config_clone(run);
    nt_config *disk2 = nt_config_new();
    nt_type *d2 = cls(disk2, "com.Cfg");
    NT_CHECK(nt_type_add_field(d2, "value", NT_FIELD_ALLOW_WRITE) != NULL);
    NT_CHECK(nt_config_merge(run2, disk2) == NT_OK);
    f = nt_type_find_field(get(run2, "com.Cfg"), "value");
    NT_CHECK(f && f->flags == NT_FIELD_ALLOW_WRITE);
    nt_config_free(disk);
    nt_config_free(run);
    nt_config_free(run2);
    nt_config_free(disk2);
}

/* graal #3192: allowUnsafeAccess dropped on the second merge run. */
static void test_issue_3192_unsafe_access_survives_repeated_merges(void)
{
    nt_config *disk = nt_config_new();
    nt_type *t = cls(disk, "com.Unsafe");
    NT_CHECK(nt_type_add_field(t, "offset", NT_FIELD_ALLOW_UNSAFE_ACCESS | NT_FIELD_ALLOW_WRITE) != NULL);
    for (int run = 0; run < 3; run++) {
        nt_config *rec = nt_config_new();
        nt_type *r = cls(rec, "com.Unsafe");
        r->flags = NT_ALL_DECLARED_FIELDS | (run ? NT_ALL_PUBLIC_FIELDS : 0);
        NT_CHECK(nt_type_add_field(r, "offset", 0) != NULL);
        NT_CHECK(nt_config_merge(disk, rec) == NT_OK);
        nt_config_free(rec);
        nt_field *f = nt_type_find_field(get(disk, "com.Unsafe"), "offset");
        NT_CHECK(f && f->flags == (NT_FIELD_ALLOW_UNSAFE_ACCESS | NT_FIELD_ALLOW_WRITE));
    }
    nt_config_free(disk);
}

static void test_normalize_all_flags_need_both_memberships(void)
{
    nt_config *c = nt_config_new();
    nt_type *one = cls(c, "com.One");
    one->flags = NT_ALL_DECLARED_METHODS | NT_ALL_DECLARED_FIELDS | NT_ALL_DECLARED_CONSTRUCTORS;
    meth(one, "m", NT_ACCESSED, 0, NULL, NULL);
    meth(one, "<init>", NT_ACCESSED, 0, NULL, NULL); /* constructors are always declared: dropped */
    NT_CHECK(nt_type_add_field(one, "f", 0) != NULL);
    nt_type *both = cls(c, "com.Both");
    both->flags = NT_ALL_DECLARED_METHODS | NT_ALL_PUBLIC_METHODS | NT_ALL_DECLARED_FIELDS |
                  NT_ALL_PUBLIC_FIELDS;
    meth(both, "m", NT_ACCESSED, 0, NULL, NULL);
    meth(both, "q", NT_QUERIED, 0, NULL, NULL);
    meth(both, "<init>", NT_ACCESSED, 0, NULL, NULL); /* constructor flags not set: kept */
    NT_CHECK(nt_type_add_field(both, "f", 0) != NULL);
    nt_type *ctors = cls(c, "com.Ctors");
    ctors->flags = NT_ALL_DECLARED_CONSTRUCTORS | NT_ALL_PUBLIC_CONSTRUCTORS;
    meth(ctors, "<init>", NT_ACCESSED, 1, "int", NULL);
    meth(ctors, "m", NT_ACCESSED, 0, NULL, NULL); /* a method, not a constructor: kept */
    nt_type *qry = cls(c, "com.Query");
    qry->flags = NT_QUERY_ALL_DECLARED_METHODS | NT_QUERY_ALL_PUBLIC_METHODS;
    meth(qry, "q", NT_QUERIED, 0, NULL, NULL);  /* dropped */
    meth(qry, "a", NT_ACCESSED, 0, NULL, NULL); /* invoked: kept */
    nt_type *mixed = cls(c, "com.Mixed");
    mixed->flags = NT_ALL_DECLARED_METHODS | NT_QUERY_ALL_PUBLIC_METHODS;
    meth(mixed, "q", NT_QUERIED, 0, NULL, NULL);  /* dropped: declared via all*, public via queryAll* */
    meth(mixed, "a", NT_ACCESSED, 0, NULL, NULL); /* kept */
    nt_config_normalize(c);
    NT_CHECK(one->n_methods == 1 && one->n_fields == 1 && find_m(one, "m", 0, NULL) != NULL);
    NT_CHECK(both->n_methods == 1 && both->n_fields == 0);
    NT_CHECK(find_m(both, "<init>", 0, NULL) != NULL);
    NT_CHECK(ctors->n_methods == 1 && find_m(ctors, "m", 0, NULL) != NULL);
    NT_CHECK(qry->n_methods == 1 && find_m(qry, "a", 0, NULL) != NULL);
    NT_CHECK(mixed->n_methods == 1 && find_m(mixed, "a", 0, NULL) != NULL);
    nt_config_free(c);
}

static void test_normalize_clears_covered_query_flags(void)
{
    nt_config *c = nt_config_new();
    nt_type *t = cls(c, "com.A");
    t->flags = NT_ALL_DECLARED_METHODS | NT_QUERY_ALL_DECLARED_METHODS | NT_QUERY_ALL_PUBLIC_METHODS |
               NT_ALL_PUBLIC_CONSTRUCTORS | NT_QUERY_ALL_PUBLIC_CONSTRUCTORS |
               NT_QUERY_ALL_DECLARED_CONSTRUCTORS;
    nt_config_normalize(c);
    NT_CHECK(t->flags == (NT_ALL_DECLARED_METHODS | NT_QUERY_ALL_PUBLIC_METHODS |
                          NT_ALL_PUBLIC_CONSTRUCTORS | NT_QUERY_ALL_DECLARED_CONSTRUCTORS));
    nt_config_free(c);
}

static void test_normalize_merges_duplicate_resources_and_bundles(void)
{
    nt_config *c = nt_config_new();
    /* Fill the arrays behind the model's back to create duplicates. */
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "a.txt", NULL);
    nt_strv_push(&c->resources[0].reasons, "r1");
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "b.txt", NULL);
    free(c->resources[1].value);
    c->resources[1].value = strdup("a.txt");
    nt_strv_push(&c->resources[1].reasons, "r2");
    nt_bundle *b = nt_config_add_bundle(c, "M", NULL, NULL);
    nt_strv_push(&b->locales, "de");
    b = nt_config_add_bundle(c, "N", NULL, NULL);
    free(b->name);
    b->name = strdup("M");
    nt_strv_push(&b->locales, "fr");
    nt_strv_push(&b->class_names, "M_fr");
    nt_strv_push(&c->foreign_downcalls, "{}");
    nt_strv_push(&c->foreign_downcalls, "{}");
    nt_config_normalize(c);
    NT_CHECK(c->n_resources == 1 && c->resources[0].reasons.n == 2);
    NT_CHECK(c->n_bundles == 1 && c->bundles[0].locales.n == 2 && c->bundles[0].class_names.n == 1);
    NT_CHECK(c->foreign_downcalls.n == 1);
    /* the index still works after the removal */
    size_t n = c->n_resources;
    NT_CHECK(nt_config_add_resource(c, NT_RES_GLOB, NULL, "a.txt", NULL) == &c->resources[0]);
    NT_CHECK(c->n_resources == n);
    nt_config_free(c);
}

static void test_merge_custom_ctor_rules(void)
{
    const char *vals[3] = {NULL, "com.Z", "com.B"};
    /* every pair, both orders: an entry per distinct (type, custom constructor),
     * none lost, none made up */
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
            nt_config *x = nt_config_new(), *y = nt_config_new();
            ser(x, "S", vals[i], 1);
            ser(y, "S", vals[j], 1);
            NT_CHECK(nt_config_merge(x, y) == NT_OK);
            NT_CHECK(x->serialization.count == (i == j ? 1u : 2u));
            for (int k = 0; k < 3; k++) {
                nt_type *t = ser(x, "S", vals[k], 0);
                NT_CHECK((t != NULL) == (k == i || k == j));
                NT_CHECK(!t || (vals[k] ? t->custom_ctor && strcmp(t->custom_ctor, vals[k]) == 0
                                        : t->custom_ctor == NULL));
            }
            nt_config_free(x);
            nt_config_free(y);
        }
    }
}

static void test_merge_bundle_locales(void)
{
    nt_config *x = nt_config_new(), *y = nt_config_new();
    nt_strv_push(&nt_config_add_bundle(x, "M", NULL, NULL)->locales, "de");
    nt_strv_push(&nt_config_add_bundle(y, "M", NULL, NULL)->locales, "fr");
    nt_strv_push(&nt_config_add_bundle(y, "M", "mod", NULL)->locales, "it"); /* other module */
    nt_strv_push(&nt_config_add_bundle(y, "M", NULL, &COND_T)->locales, "es"); /* other condition */
    NT_CHECK(nt_config_merge(x, y) == NT_OK);
    NT_CHECK(x->n_bundles == 3);
    NT_CHECK(x->bundles[0].locales.n == 2);
    nt_config *z = nt_config_new();
    nt_config_add_bundle(z, "M", NULL, NULL); /* every locale */
    NT_CHECK(nt_config_merge(x, z) == NT_OK);
    NT_CHECK(x->bundles[0].locales.n == 0);
    NT_CHECK(nt_config_merge(x, y) == NT_OK);
    NT_CHECK(x->bundles[0].locales.n == 0);
    nt_config_free(x);
    nt_config_free(y);
    nt_config_free(z);
}

/* ---- clone / equal ------------------------------------------------------ */

static void test_clone_is_deep_and_equal(void)
{
    nt_config *a = merged(make_a, make_c);
    nt_config *k = nt_config_clone(a);
    NT_CHECK(k != NULL && nt_config_equal(a, k) && nt_config_equal(k, a));
    nt_type *t = get(k, "com.A");
    NT_CHECK(t && t != get(a, "com.A"));
    meth(t, "extra", NT_ACCESSED, 0, NULL, NULL);
    NT_CHECK(!nt_config_equal(a, k));
    NT_CHECK(find_m(get(a, "com.A"), "extra", 0, NULL) == NULL);
    nt_config_free(a);
    nt_config_free(k);
}

static void test_equal_is_order_insensitive_and_deep(void)
{
    nt_config *x = nt_config_new(), *y = nt_config_new();
    meth(cls(x, "A"), "m", NT_ACCESSED, 0, NULL, NULL);
    meth(cls(x, "A"), "n", NT_QUERIED, 1, "int", NULL);
    cls(x, "B");
    nt_config_add_resource(x, NT_RES_GLOB, NULL, "1", NULL);
    nt_config_add_resource(x, NT_RES_GLOB, NULL, "2", NULL);
    cls(y, "B");
    meth(cls(y, "A"), "n", NT_QUERIED, 1, "int", NULL);
    meth(cls(y, "A"), "m", NT_ACCESSED, 0, NULL, NULL);
    nt_config_add_resource(y, NT_RES_GLOB, NULL, "2", NULL);
    nt_config_add_resource(y, NT_RES_GLOB, NULL, "1", NULL);
    NT_CHECK(nt_config_equal(x, y));

    /* each kind of difference is seen */
    find_m(get(y, "A"), "n", 1, "int")->level = NT_ACCESSED;
    NT_CHECK(!nt_config_equal(x, y));
    find_m(get(y, "A"), "n", 1, "int")->level = NT_QUERIED;
    get(y, "B")->flags = NT_ALL_SIGNERS;
    NT_CHECK(!nt_config_equal(x, y));
    get(y, "B")->flags = 0;
    nt_type_add_field(get(y, "B"), "f", 0);
    NT_CHECK(!nt_config_equal(x, y));
    nt_type_add_field(get(x, "B"), "f", NT_FIELD_ALLOW_WRITE);
    NT_CHECK(!nt_config_equal(x, y));
    nt_type_add_field(get(y, "B"), "f", NT_FIELD_ALLOW_WRITE);
    NT_CHECK(nt_config_equal(x, y));
    nt_strv_push(&get(y, "B")->reasons, "why");
    NT_CHECK(!nt_config_equal(x, y));
    nt_strv_push(&get(x, "B")->reasons, "why");
    NT_CHECK(nt_config_equal(x, y));
    nt_config_add_resource(x, NT_RES_GLOB, "m", "3", NULL);
    nt_config_add_resource(y, NT_RES_GLOB, NULL, "3", NULL);
    NT_CHECK(!nt_config_equal(x, y));
    nt_config_add_resource(x, NT_RES_GLOB, NULL, "3", NULL);
    nt_config_add_resource(y, NT_RES_GLOB, "m", "3", NULL);
    NT_CHECK(nt_config_equal(x, y));
    nt_strv_push(&nt_config_add_bundle(x, "M", NULL, NULL)->locales, "de");
    nt_strv_push(&nt_config_add_bundle(y, "M", NULL, NULL)->locales, "fr");
    NT_CHECK(!nt_config_equal(x, y));
    nt_strv_push(&nt_config_add_bundle(x, "M", NULL, NULL)->locales, "fr");
    nt_strv_push(&nt_config_add_bundle(y, "M", NULL, NULL)->locales, "de");
    NT_CHECK(nt_config_equal(x, y));
    nt_strv_push(&x->foreign_direct_upcalls, "{}");
    NT_CHECK(!nt_config_equal(x, y));
    nt_strv_push(&y->foreign_direct_upcalls, "{}");
    NT_CHECK(nt_config_equal(x, y));
    nt_typeset_get_class(&y->jni, "A", NULL, 1);
    NT_CHECK(!nt_config_equal(x, y));
    nt_config_free(x);
    nt_config_free(y);
}

/* ---- subtract ----------------------------------------------------------- */

static void test_subtract_members_exactly(void)
{
    nt_config *dst = nt_config_new(), *omit = nt_config_new();
    nt_type *t = cls(dst, "com.A");
    t->flags = NT_ALL_DECLARED_FIELDS | NT_ALL_PUBLIC_METHODS | NT_QUERY_ALL_DECLARED_METHODS;
    meth(t, "foo", NT_ACCESSED, 0, NULL, NULL);
    meth(t, "bar", NT_QUERIED, 1, "int", NULL);
    meth(t, "baz", NT_ACCESSED, 1, "int", NULL);
    NT_CHECK(nt_type_add_field(t, "x", NT_FIELD_ALLOW_WRITE) != NULL);
    NT_CHECK(nt_type_add_field(t, "y", 0) != NULL);
    NT_CHECK(nt_type_add_field(t, "z", NT_FIELD_ALLOW_WRITE) != NULL);
    nt_type *o = cls(omit, "com.A");
    o->flags = NT_ALL_PUBLIC_METHODS | NT_ALL_DECLARED_METHODS;
    meth(o, "foo", NT_QUERIED, 0, NULL, NULL); /* not enough for accessed foo()... */
    NT_CHECK(nt_type_add_field(o, "x", 0) != NULL);      /* x keeps allowWrite */
    NT_CHECK(nt_type_add_field(o, "y", 0) != NULL);
    NT_CHECK(nt_type_add_field(o, "z", NT_FIELD_ALLOW_WRITE | NT_FIELD_ALLOW_UNSAFE_ACCESS) != NULL);
    NT_CHECK(nt_config_subtract(dst, omit) == NT_OK);
    t = get(dst, "com.A");
    NT_CHECK(t != NULL);
    if (!t)
        return;
    /* ...but both all*Methods cover every method; queryAllDeclaredMethods is
     * implied by allDeclaredMethods */
    NT_CHECK(t->flags == NT_ALL_DECLARED_FIELDS);
    NT_CHECK(t->n_methods == 0);
    NT_CHECK(t->n_fields == 1);
    nt_field *x = nt_type_find_field(t, "x");
    NT_CHECK(x && x->flags == NT_FIELD_ALLOW_WRITE);
    nt_config_free(dst);
    nt_config_free(omit);
}

static void test_subtract_method_levels(void)
{
    nt_config *dst = nt_config_new(), *omit = nt_config_new();
    nt_type *t = cls(dst, "com.A");
    meth(t, "inv", NT_ACCESSED, 1, "int", NULL);   /* omit only queries it: kept */
    meth(t, "q", NT_QUERIED, 1, "int", NULL);      /* omit invokes it: removed */
    meth(t, "w", NT_ACCESSED, 1, "long", NULL);    /* omit has another overload: kept */
    meth(t, "any", NT_ACCESSED, 2, "int", "int");  /* omit has any(*): removed */
    meth_any(t, "all", NT_ACCESSED);               /* omit has all(int) only: kept */
    nt_type *o = cls(omit, "com.A");
    meth(o, "inv", NT_QUERIED, 1, "int", NULL);
    meth(o, "q", NT_ACCESSED, 1, "int", NULL);
    meth(o, "w", NT_ACCESSED, 1, "int", NULL);
    meth_any(o, "any", NT_ACCESSED);
    meth(o, "all", NT_ACCESSED, 1, "int", NULL);
    NT_CHECK(nt_config_subtract(dst, omit) == NT_OK);
    t = get(dst, "com.A");
    NT_CHECK(t && t->n_methods == 3);
    NT_CHECK(t && find_m(t, "inv", 1, "int") && find_m(t, "w", 1, "long") &&
             nt_type_find_method(t, "all", 1, NULL, 0));
    nt_config_free(dst);
    nt_config_free(omit);
}

static void test_subtract_whole_entries_and_conditions(void)
{
    nt_config *dst = nt_config_new(), *omit = nt_config_new();
    cls(dst, "com.Bare");                      /* covered by any omit entry of it */
    cls(omit, "com.Bare")->flags = NT_ALL_DECLARED_FIELDS;
    cls(dst, "com.Keep")->flags = NT_ALL_PUBLIC_FIELDS; /* not in omit */
    nt_type *w = cls(dst, "com.Whole");
    w->flags = NT_ALL_DECLARED_CONSTRUCTORS;
    meth(w, "m", NT_QUERIED, 0, NULL, NULL);
    nt_type *ow = cls(omit, "com.Whole");
    ow->flags = NT_ALL_DECLARED_CONSTRUCTORS | NT_ALL_SIGNERS;
    meth(ow, "m", NT_ACCESSED, 0, NULL, NULL);
    cls_if(dst, "com.Cond", &COND_T);          /* unconditional omit covers it */
    cls(omit, "com.Cond");
    cls(dst, "com.Uncond");                    /* conditional omit does not */
    cls_if(omit, "com.Uncond", &COND_T);
    nt_typeset_get_class(&dst->jni, "com.Bare", NULL, 1); /* other set: kept */
    NT_CHECK(nt_config_subtract(dst, omit) == NT_OK);
    NT_CHECK(dst->reflection.count == 2);
    NT_CHECK(get(dst, "com.Keep") && get(dst, "com.Uncond"));
    NT_CHECK(dst->jni.count == 1);
    nt_config_free(dst);
    nt_config_free(omit);
}

static void test_subtract_resources(void)
{
    nt_config *dst = nt_config_new(), *omit = nt_config_new();
    nt_config_add_resource(dst, NT_RES_GLOB, NULL, "app.properties", NULL); /* equal */
    nt_config_add_resource(dst, NT_RES_GLOB, NULL, "conf/x.xml", NULL);     /* omit glob matches */
    nt_config_add_resource(dst, NT_RES_GLOB, NULL, "conf/sub/y.xml", NULL); /* '*' stops at '/' */
    nt_config_add_resource(dst, NT_RES_GLOB, NULL, "data/**", NULL);        /* wildcard, not equal */
    nt_config_add_resource(dst, NT_RES_GLOB, "m1", "a.txt", NULL);          /* omit's has no module */
    nt_config_add_resource(dst, NT_RES_GLOB, NULL, "b.txt", NULL);          /* omit's is in m1 only */
    nt_config_add_resource(dst, NT_RES_PATTERN, NULL, "\\Qlib/z.so\\E", NULL); /* literal pattern */
    nt_config_add_resource(dst, NT_RES_GLOB, NULL, "old.bak", NULL);        /* omit regex */
    nt_config_add_resource(dst, NT_RES_GLOB, NULL, "c.txt", &COND_T);       /* omit unconditional */
    nt_config_add_resource(dst, NT_RES_GLOB, NULL, "d.txt", NULL);          /* omit conditional */
    nt_config_add_resource(dst, NT_RES_GLOB, NULL, "ex/keep.txt", NULL);    /* omit excludes it */
    nt_config_add_resource(omit, NT_RES_GLOB, NULL, "app.properties", NULL);
    nt_config_add_resource(omit, NT_RES_GLOB, NULL, "conf/*.xml", NULL);
    nt_config_add_resource(omit, NT_RES_GLOB, NULL, "a.txt", NULL);
    nt_config_add_resource(omit, NT_RES_GLOB, "m1", "b.txt", NULL);
    nt_config_add_resource(omit, NT_RES_GLOB, NULL, "lib/*.so", NULL);
    nt_config_add_resource(omit, NT_RES_PATTERN, NULL, ".*\\.bak", NULL);
    nt_config_add_resource(omit, NT_RES_GLOB, NULL, "c.txt", NULL);
    nt_config_add_resource(omit, NT_RES_GLOB, NULL, "d.txt", &COND_T);
    nt_config_add_resource(omit, NT_RES_GLOB, NULL, "ex/**", NULL);
    nt_config_add_resource(omit, NT_RES_EXCLUDE, NULL, "ex/keep\\..*", NULL);
    NT_CHECK(nt_config_subtract(dst, omit) == NT_OK);
    NT_CHECK(dst->n_resources == 5);
    NT_CHECK(has_resource(dst, NT_RES_GLOB, NULL, "conf/sub/y.xml"));
    NT_CHECK(has_resource(dst, NT_RES_GLOB, NULL, "data/**"));
    NT_CHECK(has_resource(dst, NT_RES_GLOB, NULL, "b.txt"));
    NT_CHECK(has_resource(dst, NT_RES_GLOB, NULL, "d.txt"));
    NT_CHECK(has_resource(dst, NT_RES_GLOB, NULL, "ex/keep.txt"));
    nt_config_free(dst);
    nt_config_free(omit);
}

static void test_subtract_excludes_go_last(void)
{
    nt_config *dst = nt_config_new(), *omit = nt_config_new();
    nt_config_add_resource(dst, NT_RES_PATTERN, NULL, "x/.*", NULL);
    nt_config_add_resource(dst, NT_RES_EXCLUDE, NULL, "x/y", NULL);
    nt_config_add_resource(omit, NT_RES_EXCLUDE, NULL, "x/y", NULL);
    NT_CHECK(nt_config_subtract(dst, omit) == NT_OK);
    NT_CHECK(dst->n_resources == 2); /* include kept, so its exclude too */
    nt_config_add_resource(omit, NT_RES_PATTERN, NULL, "x/.*", NULL);
    NT_CHECK(nt_config_subtract(dst, omit) == NT_OK);
    NT_CHECK(dst->n_resources == 0);
    nt_config_free(dst);
    nt_config_free(omit);
}

static void test_subtract_bundles(void)
{
    nt_config *dst = nt_config_new(), *omit = nt_config_new();
    nt_bundle *b = nt_config_add_bundle(dst, "M", NULL, NULL);
    nt_strv_push(&b->locales, "de");
    nt_strv_push(&b->locales, "fr");
    nt_config_add_bundle(dst, "N", NULL, NULL); /* every locale */
    nt_strv_push(&nt_config_add_bundle(dst, "O", NULL, NULL)->locales, "de");
    b = nt_config_add_bundle(dst, "P", NULL, NULL);
    nt_strv_push(&b->locales, "de");
    nt_strv_push(&b->class_names, "P_de");
    nt_strv_push(&b->class_names, "P_x");
    nt_strv_push(&nt_config_add_bundle(omit, "M", NULL, NULL)->locales, "de");
    nt_strv_push(&nt_config_add_bundle(omit, "N", NULL, NULL)->locales, "de");
    nt_config_add_bundle(omit, "O", NULL, NULL);
    b = nt_config_add_bundle(omit, "P", NULL, NULL);
    nt_strv_push(&b->locales, "de_DE");
    nt_strv_push(&b->locales, "de");
    nt_strv_push(&b->class_names, "P_de");
    NT_CHECK(nt_config_subtract(dst, omit) == NT_OK);
    NT_CHECK(dst->n_bundles == 3);
    nt_bundle *m = find_bundle(dst, "M"), *n = find_bundle(dst, "N"), *p = find_bundle(dst, "P");
    NT_CHECK(m && m->locales.n == 1 && strcmp(m->locales.v[0], "fr") == 0);
    NT_CHECK(n && n->locales.n == 0);
    /* P keeps P_x; its only locale is covered but an empty list would mean
     * "every locale", so it stays */
    NT_CHECK(p && p->class_names.n == 1 && strcmp(p->class_names.v[0], "P_x") == 0 &&
             p->locales.n == 1);
    NT_CHECK(find_bundle(dst, "O") == NULL);
    nt_config_free(dst);
    nt_config_free(omit);
}

static void test_subtract_proxies_serialization_and_rest(void)
{
    nt_config *dst = nt_config_new(), *omit = nt_config_new();
    proxy(&dst->reflection, "I1", "I2");
    proxy(&dst->reflection, "I2", "I1");
    proxy(&omit->reflection, "I1", "I2");
    /* serialization entries match exactly, custom target constructor included:
     * (S1, X) and (S3) stay, (S2, X) goes */
    ser(dst, "S1", "X", 1);
    ser(omit, "S1", NULL, 1);
    ser(dst, "S2", "X", 1);
    ser(omit, "S2", "X", 1);
    ser(dst, "S3", NULL, 1);
    ser(omit, "S3", "Y", 1);
    nt_typeset_get_class(&dst->lambda_capturing, "L1", NULL, 1);
    nt_typeset_get_class(&dst->lambda_capturing, "L2", NULL, 1);
    nt_typeset_get_class(&omit->lambda_capturing, "L1", NULL, 1);
    nt_config_add_predefined(dst, "agent-extracted", "h1", "A");
    nt_config_add_predefined(dst, "agent-extracted", "h2", "B");
    nt_config_add_predefined(omit, "agent-extracted", "h1", NULL);
    nt_strv_push(&dst->foreign_downcalls, "{\"a\":1}");
    nt_strv_push(&dst->foreign_downcalls, "{\"a\":2}");
    nt_strv_push(&dst->foreign_upcalls, "{\"a\":1}");
    nt_strv_push(&omit->foreign_downcalls, "{\"a\":1}");
    NT_CHECK(nt_config_subtract(dst, omit) == NT_OK);
    NT_CHECK(dst->reflection.count == 1 && find_proxy(&dst->reflection, "I2", "I1"));
    NT_CHECK(dst->serialization.count == 2 && ser(dst, "S1", "X", 0) && ser(dst, "S3", NULL, 0));
    NT_CHECK(dst->lambda_capturing.count == 1 &&
             nt_typeset_get_class(&dst->lambda_capturing, "L2", NULL, 0));
    NT_CHECK(dst->n_predefined == 1 && strcmp(dst->predefined[0].hash, "h2") == 0);
    NT_CHECK(dst->foreign_downcalls.n == 1 && strcmp(dst->foreign_downcalls.v[0], "{\"a\":2}") == 0);
    NT_CHECK(dst->foreign_upcalls.n == 1);
    nt_config_free(dst);
    nt_config_free(omit);
}

static void test_subtract_self_and_union_laws(void)
{
    nt_config *a = merged(make_a, make_b);
    NT_CHECK(nt_config_subtract(a, a) == NT_OK);
    NT_CHECK(nt_config_entry_count(a) == 0);
    nt_config_free(a);
    /* (A ∪ B) \ B keeps exactly what only A registers */
    nt_config *ab = merged(make_a, make_b), *b = make_b();
    NT_CHECK(nt_config_subtract(ab, b) == NT_OK);
    nt_type *t = get(ab, "com.A");
    NT_CHECK(t && t->flags == (NT_ALL_DECLARED_FIELDS));
    NT_CHECK(t && t->n_methods == 1 && find_m(t, "bar", 1, "int"));
    NT_CHECK(t && t->n_fields == 1 && nt_type_find_field(t, "x")->flags == NT_FIELD_ALLOW_WRITE);
    NT_CHECK(get(ab, "com.B") == NULL);
    NT_CHECK(ab->serialization.count == 1); /* S with java.lang.Object ctor */
    NT_CHECK(ab->n_resources == 1 && has_resource(ab, NT_RES_GLOB, "java.base", "x.dat"));
    NT_CHECK(ab->n_bundles == 1 && ab->bundles[0].locales.n == 1 &&
             strcmp(ab->bundles[0].locales.v[0], "de") == 0);
    nt_config_free(ab);
    nt_config_free(b);
}

int main(void)
{
    NT_RUN(test_merge_ors_flags_and_members);
    NT_RUN(test_merge_commutative);
    NT_RUN(test_merge_associative);
    NT_RUN(test_merge_idempotent);
    NT_RUN(test_accessed_beats_queried_both_orders);
    NT_RUN(test_any_params_subsumption);
    NT_RUN(test_issue_1599_allow_write_survives);
    NT_RUN(test_issue_3192_unsafe_access_survives_repeated_merges);
    NT_RUN(test_normalize_all_flags_need_both_memberships);
    NT_RUN(test_normalize_clears_covered_query_flags);
    NT_RUN(test_normalize_merges_duplicate_resources_and_bundles);
    NT_RUN(test_merge_custom_ctor_rules);
    NT_RUN(test_merge_bundle_locales);
    NT_RUN(test_clone_is_deep_and_equal);
    NT_RUN(test_equal_is_order_insensitive_and_deep);
    NT_RUN(test_subtract_members_exactly);
    NT_RUN(test_subtract_method_levels);
    NT_RUN(test_subtract_whole_entries_and_conditions);
    NT_RUN(test_subtract_resources);
    NT_RUN(test_subtract_excludes_go_last);
    NT_RUN(test_subtract_bundles);
    NT_RUN(test_subtract_proxies_serialization_and_rest);
    NT_RUN(test_subtract_self_and_union_laws);
    NT_DONE();
}
