/* Unit tests for lib/diff.c: member-level diff lines, asserted exactly. */
#include <stdlib.h>
#include <string.h>

#include "nitrace/model.h"
#include "nitrace/ops.h"
#include "nt_test.h"

static const nt_cond COND_T = {NT_COND_REACHED, "com.T"};

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

/* Render the diff as "S category text\n" lines. */
static char *render(const nt_diff *d)
{
    size_t len = 1;
    for (size_t i = 0; i < d->count; i++)
        len += strlen(d->lines[i].category) + strlen(d->lines[i].text) + 4;
    char *s = malloc(len), *p = s;
    *p = '\0';
    for (size_t i = 0; i < d->count; i++)
        p += sprintf(p, "%c %s %s\n", d->lines[i].sign, d->lines[i].category, d->lines[i].text);
    return s;
}

static void test_diff_equal_configs(void)
{
    nt_config *a = nt_config_new(), *b = nt_config_new();
    nt_typeset_get_class(&a->reflection, "A", NULL, 1)->flags = NT_ALL_SIGNERS;
    nt_typeset_get_class(&b->reflection, "A", NULL, 1)->flags = NT_ALL_SIGNERS;
    nt_strv_push(&nt_typeset_get_class(&b->reflection, "A", NULL, 0)->reasons, "reasons are not diffed");
    nt_diff d;
    NT_CHECK(nt_config_diff(a, b, &d) == NT_OK);
    NT_CHECK(d.count == 0);
    nt_diff_free(&d);
    nt_config_free(a);
    nt_config_free(b);
}

static void test_diff_members_exact(void)
{
    nt_config *a = nt_config_new(), *b = nt_config_new();
    const char *str[] = {"java.lang.String"};
    const char *two[] = {"int", "long"};

    nt_type *ta = nt_typeset_get_class(&a->reflection, "com.A", NULL, 1);
    ta->flags = NT_ALL_DECLARED_FIELDS;
    nt_type_add_method(ta, "length", 0, NULL, 0, NT_ACCESSED);
    nt_type_add_method(ta, "q", 0, str, 1, NT_QUERIED);
    nt_type_add_field(ta, "x", 0);
    nt_type *tb = nt_typeset_get_class(&b->reflection, "com.A", NULL, 1);
    tb->flags = NT_ALL_DECLARED_FIELDS | NT_ALL_PUBLIC_METHODS;
    nt_type_add_method(tb, "length", 0, NULL, 0, NT_ACCESSED);
    nt_type_add_method(tb, "q", 0, str, 1, NT_ACCESSED); /* level change */
    nt_type_add_method(tb, "all", 1, NULL, 0, NT_ACCESSED);
    nt_type_add_method(tb, "<init>", 0, two, 2, NT_ACCESSED);
    nt_type_add_field(tb, "x", NT_FIELD_ALLOW_WRITE); /* flag change */

    nt_typeset_get_class(&a->reflection, "com.Gone", &COND_T, 1)->flags = NT_UNSAFE_ALLOCATED;
    proxy(&b->reflection, "com.I1", "com.I2");
    nt_typeset_get_class(&b->jni, "com.N", NULL, 1);
    nt_typedesc s_td = nt_td_class("com.S");
    nt_typeset_get_ctor(&b->serialization, &s_td, NULL, "java.lang.Object", 1);
    nt_typeset_get_class(&a->lambda_capturing, "com.L", NULL, 1);

    nt_config_add_resource(a, NT_RES_GLOB, NULL, "app.properties", NULL);
    nt_config_add_resource(b, NT_RES_GLOB, "java.base", "x.dat", NULL);
    nt_config_add_resource(b, NT_RES_PATTERN, NULL, "META-INF/.*", &COND_T);
    nt_config_add_resource(b, NT_RES_EXCLUDE, NULL, ".*\\.bak", NULL);
    nt_bundle *ba = nt_config_add_bundle(a, "com.Msgs", NULL, NULL);
    nt_strv_push(&ba->locales, "de");
    nt_bundle *bb = nt_config_add_bundle(b, "com.Msgs", NULL, NULL);
    nt_strv_push(&bb->locales, "");
    nt_strv_push(&bb->class_names, "com.Msgs_x");
    nt_config_add_predefined(a, "agent-extracted", "abc", "com.Gen$1");
    nt_config_add_predefined(b, "agent-extracted", "def", NULL);
    nt_strv_push(&b->foreign_downcalls, "{\"returnType\":\"jint\"}");
    nt_strv_push(&a->foreign_upcalls, "{}");

    nt_diff d;
    NT_CHECK(nt_config_diff(a, b, &d) == NT_OK);
    char *got = render(&d);
    NT_CHECK_STR(got,
                 "+ bundles com.Msgs class com.Msgs_x\n"
                 "+ bundles com.Msgs locale (root)\n"
                 "- bundles com.Msgs locale de\n"
                 "+ foreign downcall {\"returnType\":\"jint\"}\n"
                 "- foreign upcall {}\n"
                 "+ jni com.N\n"
                 "- lambda-capturing com.L\n"
                 "- predefined agent-extracted abc com.Gen$1\n"
                 "+ predefined agent-extracted def\n"
                 "+ proxies proxy [com.I1, com.I2]\n"
                 "- reflection com.A field x\n"
                 "+ reflection com.A field x allowWrite\n"
                 "+ reflection com.A flag allPublicMethods\n"
                 "+ reflection com.A method <init>(int,long)\n"
                 "+ reflection com.A method all(*)\n"
                 "+ reflection com.A method q(java.lang.String)\n"
                 "- reflection com.A queried-method q(java.lang.String)\n"
                 "- reflection com.Gone if reached com.T\n"
                 "- reflection com.Gone if reached com.T flag unsafeAllocated\n"
                 "+ resources exclude .*\\.bak\n"
                 "- resources glob app.properties\n"
                 "+ resources glob x.dat module java.base\n"
                 "+ resources pattern META-INF/.* if reached com.T\n"
                 "+ serialization com.S customTargetConstructorClass java.lang.Object\n");
    free(got);
    nt_diff_free(&d);
    NT_CHECK(d.count == 0 && d.lines == NULL);

    /* reversed: every sign flips, same order */
    nt_diff r;
    NT_CHECK(nt_config_diff(b, a, &r) == NT_OK);
    NT_CHECK(r.count == 24);
    NT_CHECK(r.count > 0 && r.lines[0].sign == '-' && strcmp(r.lines[0].text, "com.Msgs class com.Msgs_x") == 0 &&
             r.lines[2].sign == '+' && strcmp(r.lines[2].category, "bundles") == 0);
    nt_diff_free(&r);
    nt_config_free(a);
    nt_config_free(b);
}

static void test_diff_lambda_label(void)
{
    nt_config *a = nt_config_new(), *b = nt_config_new();
    nt_typedesc td;
    memset(&td, 0, sizeof td);
    td.kind = NT_TD_LAMBDA;
    td.name = "com.Main";
    td.lambda_method = "run";
    td.lambda_has_params = 1;
    nt_strv_push(&td.lambda_params, "int");
    nt_strv_push(&td.ifaces, "java.util.function.Supplier");
    NT_CHECK(nt_typeset_get(&b->reflection, &td, NULL, 1) != NULL);
    nt_strv_free(&td.lambda_params);
    nt_strv_free(&td.ifaces);
    nt_diff d;
    NT_CHECK(nt_config_diff(a, b, &d) == NT_OK);
    NT_CHECK(d.count == 1);
    if (d.count == 1) {
        NT_CHECK_STR(d.lines[0].category, "reflection");
        NT_CHECK_STR(d.lines[0].text, "lambda com.Main.run(int) [java.util.function.Supplier]");
        NT_CHECK(d.lines[0].sign == '+');
    }
    nt_diff_free(&d);
    nt_config_free(a);
    nt_config_free(b);
}

/* An entry without a custom target constructor and one with it are two
 * registrations: adding the plain one to a config that has the other shows. */
static void test_diff_custom_ctor_entries(void)
{
    nt_config *a = nt_config_new(), *b = nt_config_new();
    nt_typedesc td = nt_td_class("com.S");
    NT_CHECK(nt_typeset_get_ctor(&a->serialization, &td, NULL, "com.Base", 1) != NULL);
    NT_CHECK(nt_typeset_get_ctor(&b->serialization, &td, NULL, "com.Base", 1) != NULL);
    NT_CHECK(nt_typeset_get(&b->serialization, &td, NULL, 1) != NULL);
    nt_diff d;
    NT_CHECK(nt_config_diff(a, b, &d) == NT_OK);
    NT_CHECK(d.count == 1);
    if (d.count == 1) {
        NT_CHECK_STR(d.lines[0].category, "serialization");
        NT_CHECK_STR(d.lines[0].text, "com.S");
        NT_CHECK(d.lines[0].sign == '+');
    }
    nt_diff_free(&d);
    nt_config_free(a);
    nt_config_free(b);
}

int main(void)
{
    NT_RUN(test_diff_equal_configs);
    NT_RUN(test_diff_members_exact);
    NT_RUN(test_diff_lambda_label);
    NT_RUN(test_diff_custom_ctor_entries);
    NT_DONE();
}
