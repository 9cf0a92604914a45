/* Unit tests for lib/stats.c: counts per category and per top-level package. */
#include <stdlib.h>
#include <string.h>

#include "nitrace/model.h"
#include "nitrace/ops.h"
#include "nt_test.h"

static void add_proxy(nt_typeset *s, const char *iface)
{
    nt_typedesc td;
    memset(&td, 0, sizeof td);
    td.kind = NT_TD_PROXY;
    nt_strv_push(&td.ifaces, iface);
    NT_CHECK(nt_typeset_get(s, &td, NULL, 1) != NULL);
    nt_typedesc_free(&td);
}

static void add_lambda(nt_typeset *s, const char *decl)
{
    nt_typedesc td;
    memset(&td, 0, sizeof td);
    td.kind = NT_TD_LAMBDA;
    td.name = (char *)decl;
    nt_strv_push(&td.ifaces, "java.lang.Runnable");
    NT_CHECK(nt_typeset_get(s, &td, NULL, 1) != NULL);
    nt_strv_free(&td.ifaces);
}

static void test_stats_counts_and_packages(void)
{
    nt_config *c = nt_config_new();
    const nt_cond cond = {NT_COND_REACHED, "com.T"};
    nt_type *t = nt_typeset_get_class(&c->reflection, "java.lang.String", NULL, 1);
    nt_type_add_method(t, "length", 0, NULL, 0, NT_ACCESSED);
    nt_type_add_method(t, "chars", 0, NULL, 0, NT_QUERIED);
    nt_type_add_field(t, "value", 0);
    t = nt_typeset_get_class(&c->reflection, "com.example.A", NULL, 1);
    nt_type_add_field(t, "x", 0);
    nt_type_add_field(t, "y", NT_FIELD_ALLOW_WRITE);
    nt_typeset_get_class(&c->reflection, "com.example.A", &cond, 1); /* second entry */
    nt_typeset_get_class(&c->reflection, "Top", NULL, 1);
    nt_typeset_get_class(&c->reflection, "int[]", NULL, 1);
    add_proxy(&c->reflection, "com.I1");
    add_proxy(&c->reflection, "com.I2");
    add_lambda(&c->reflection, "org.Main");
    t = nt_typeset_get_class(&c->jni, "com.N", NULL, 1);
    nt_type_add_method(t, "cb", 0, NULL, 0, NT_ACCESSED);
    nt_type_add_field(t, "h", 0);
    nt_typeset_get_class(&c->serialization, "java.util.ArrayList", NULL, 1);
    add_proxy(&c->serialization, "com.SP");
    nt_typeset_get_class(&c->lambda_capturing, "org.Cap", NULL, 1);
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "a", NULL);
    nt_config_add_resource(c, NT_RES_GLOB, NULL, "b", NULL);
    nt_config_add_resource(c, NT_RES_PATTERN, NULL, "c.*", NULL);
    nt_config_add_resource(c, NT_RES_EXCLUDE, NULL, "d", NULL);
    nt_config_add_bundle(c, "com.Msgs", NULL, NULL);
    nt_config_add_predefined(c, "agent-extracted", "h", NULL);
    nt_strv_push(&c->foreign_downcalls, "{}");
    nt_strv_push(&c->foreign_upcalls, "{}");
    nt_strv_push(&c->foreign_direct_upcalls, "{}");

    nt_stats s;
    NT_CHECK(nt_config_stats(c, &s) == NT_OK);
    NT_CHECK(s.reflection_types == 5);
    NT_CHECK(s.reflection_methods == 2);
    NT_CHECK(s.reflection_fields == 3);
    NT_CHECK(s.proxies == 2);
    NT_CHECK(s.lambdas == 1);
    NT_CHECK(s.jni_types == 1 && s.jni_methods == 1 && s.jni_fields == 1);
    NT_CHECK(s.serialization_types == 2);
    NT_CHECK(s.lambda_capturing_types == 1);
    NT_CHECK(s.resource_globs == 2 && s.resource_patterns == 1 && s.resource_excludes == 1);
    NT_CHECK(s.bundles == 1 && s.predefined_classes == 1 && s.foreign_entries == 3);

    /* com: example.A x2, N = 3; (proxy): 3; java: String, ArrayList = 2;
     * org: Main lambda, Cap = 2; Top 1; int[] 1 */
    char buf[512] = "";
    for (size_t i = 0; i < s.n_packages; i++)
        sprintf(buf + strlen(buf), "%s=%zu;", s.packages[i].package, s.packages[i].count);
    NT_CHECK_STR(buf, "(proxy)=3;com=3;java=2;org=2;Top=1;int[]=1;");
    nt_stats_free(&s);
    NT_CHECK(s.packages == NULL && s.n_packages == 0);
    nt_config_free(c);
}

static void test_stats_empty(void)
{
    nt_config *c = nt_config_new();
    nt_stats s;
    NT_CHECK(nt_config_stats(c, &s) == NT_OK);
    NT_CHECK(s.reflection_types == 0 && s.n_packages == 0 && s.packages == NULL);
    nt_stats_free(&s);
    NT_CHECK(nt_config_stats(NULL, &s) == NT_ERR_INVAL);
    nt_config_free(c);
}

int main(void)
{
    NT_RUN(test_stats_counts_and_packages);
    NT_RUN(test_stats_empty);
    NT_DONE();
}
