/* Unit tests for lib/model.c and lib/map.c. */
#include "nitrace/model.h"
#include "nt_test.h"

static void test_map(void)
{
    nt_map m;
    nt_map_init(&m);
    char keys[2000][16];
    for (int i = 0; i < 2000; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        NT_CHECK(nt_map_put(&m, keys[i], keys[i]) == 0);
    }
    NT_CHECK(m.count == 2000);
    for (int i = 0; i < 2000; i += 2)
        NT_CHECK(nt_map_remove(&m, keys[i]) == keys[i]);
    NT_CHECK(m.count == 1000);
    NT_CHECK(nt_map_get(&m, "k0") == NULL);
    NT_CHECK(nt_map_get(&m, "k1") == keys[1]);
    NT_CHECK(nt_map_put(&m, "k1", keys[3]) == 0 && nt_map_get(&m, "k1") == keys[3]);
    size_t n = 0;
    const char *k;
    void *v;
    for (size_t i = 0; (i = nt_map_next(&m, i, &k, &v)) != 0;)
        n++;
    NT_CHECK(n == 1000);
    nt_map_free(&m);
}

static void test_java_name(void)
{
    char *s;
    NT_CHECK_STR(s = nt_java_name("[Ljava.lang.String;"), "java.lang.String[]");
    free(s);
    NT_CHECK_STR(s = nt_java_name("[[I"), "int[][]");
    free(s);
    NT_CHECK_STR(s = nt_java_name("java/lang/Object"), "java.lang.Object");
    free(s);
    NT_CHECK_STR(s = nt_java_name("[Ljava/util/Map$Entry;"), "java.util.Map$Entry[]");
    free(s);
    NT_CHECK_STR(s = nt_java_name("a.B$C"), "a.B$C");
    free(s);
    NT_CHECK_STR(s = nt_java_name("a.B$$Lambda$14/0x0000000800c03000"), "a.B$$Lambda$14/0x0000000800c03000");
    free(s);
    NT_CHECK_STR(s = nt_java_name("[Lbroken"), "[Lbroken");
    free(s);
    NT_CHECK_STR(s = nt_java_name("[V"), "[V");
    free(s);
}

static void test_typeset(void)
{
    nt_config *c = nt_config_new();
    nt_type *a = nt_typeset_get_class(&c->reflection, "a.A", NULL, 1);
    NT_CHECK(a != NULL);
    NT_CHECK(nt_typeset_get_class(&c->reflection, "a.A", NULL, 1) == a);
    nt_cond cond = {NT_COND_REACHED, "x.Main"};
    nt_type *ac = nt_typeset_get_class(&c->reflection, "a.A", &cond, 1);
    NT_CHECK(ac && ac != a);
    nt_cond cond2 = {NT_COND_REACHABLE, "x.Main"}; /* same condition, other spelling */
    NT_CHECK(nt_typeset_get_class(&c->reflection, "a.A", &cond2, 0) == ac);
    nt_cond cond3 = {NT_COND_REACHED, "x.Other"};
    NT_CHECK(nt_typeset_get_class(&c->reflection, "a.A", &cond3, 0) == NULL);
    NT_CHECK(c->reflection.count == 2);
    NT_CHECK(nt_type_is_bare(a));

    const char *p1[] = {"int", "java.lang.String"};
    nt_method *m = nt_type_add_method(a, "foo", 0, p1, 2, NT_QUERIED);
    NT_CHECK(m && m->level == NT_QUERIED && m->params.n == 2);
    NT_CHECK(nt_type_add_method(a, "foo", 0, p1, 2, NT_ACCESSED) == m && m->level == NT_ACCESSED);
    NT_CHECK(nt_type_add_method(a, "foo", 0, p1, 2, NT_QUERIED)->level == NT_ACCESSED);
    NT_CHECK(nt_type_add_method(a, "foo", 1, NULL, 0, NT_QUERIED) != NULL);
    NT_CHECK(nt_type_add_method(a, "foo", 0, NULL, 0, NT_QUERIED) != NULL);
    NT_CHECK(a->n_methods == 3);
    NT_CHECK(nt_type_find_method(a, "foo", 0, p1, 1) == NULL);
    nt_type_add_field(a, "f", 0);
    NT_CHECK(nt_type_add_field(a, "f", NT_FIELD_ALLOW_WRITE)->flags == NT_FIELD_ALLOW_WRITE);
    NT_CHECK(a->n_fields == 1 && !nt_type_is_bare(a));
    nt_type_remove_method(a, 0);
    NT_CHECK(a->n_methods == 2 && a->methods[0].any_params);

    nt_typedesc px = {0};
    px.kind = NT_TD_PROXY;
    nt_strv_push(&px.ifaces, "a.I");
    nt_strv_push(&px.ifaces, "b.J");
    nt_type *p = nt_typeset_get(&c->reflection, &px, NULL, 1);
    NT_CHECK_STR(p->key, "proxy:[a.I,b.J]");
    nt_typedesc_free(&px);
    NT_CHECK(c->reflection.count == 3);
    nt_typeset_remove(&c->reflection, 0);
    NT_CHECK(c->reflection.count == 2 && nt_typeset_get_class(&c->reflection, "a.A", NULL, 0) == NULL);
    NT_CHECK(nt_typeset_get_class(&c->reflection, "a.A", &cond, 0) == ac);
    nt_config_free(c);
}

static void test_resources(void)
{
    nt_config *c = nt_config_new();
    nt_resource *r = nt_config_add_resource(c, NT_RES_GLOB, NULL, "a.txt", NULL);
    NT_CHECK(r && nt_config_add_resource(c, NT_RES_GLOB, "", "a.txt", NULL) == r);
    NT_CHECK(nt_config_add_resource(c, NT_RES_GLOB, "java.base", "a.txt", NULL) != r);
    NT_CHECK(nt_config_add_resource(c, NT_RES_PATTERN, NULL, "a.txt", NULL) != NULL);
    NT_CHECK(c->n_resources == 3);
    nt_config_remove_resource(c, 0);
    NT_CHECK(c->n_resources == 2);
    NT_CHECK(nt_config_add_resource(c, NT_RES_PATTERN, NULL, "a.txt", NULL) == &c->resources[1]);
    nt_bundle *b = nt_config_add_bundle(c, "m.Messages", NULL, NULL);
    nt_strv_add_unique(&b->locales, "de-DE");
    NT_CHECK(nt_config_add_bundle(c, "m.Messages", NULL, NULL) == b);
    NT_CHECK(nt_config_add_predefined(c, "agent-extracted", "h1", NULL) ==
             nt_config_add_predefined(c, "agent-extracted", "h1", "x.Y"));
    NT_CHECK_STR(c->predefined[0].name_info, "x.Y");
    NT_CHECK(nt_config_entry_count(c) == 4);
    nt_config_free(c);
}

static void test_glob(void)
{
    char *s;
    NT_CHECK_STR(s = nt_glob_escape("a*b?[c]{d}\\e"), "a\\*b\\?\\[c\\]\\{d\\}\\\\e");
    NT_CHECK(nt_glob_match(s, "a*b?[c]{d}\\e"));
    free(s);
    NT_CHECK_STR(s = nt_regex_unquote("\\Qapp.properties\\E"), "app.properties");
    free(s);
    NT_CHECK_STR(s = nt_regex_unquote("\\Qa\\E\\\\E\\Qb\\E"), "a\\Eb");
    free(s);
    NT_CHECK(nt_regex_unquote("\\Qa\\E.*") == NULL);
    NT_CHECK(nt_regex_unquote(".*\\.txt") == NULL);
    NT_CHECK(nt_regex_unquote("\\Qunterminated") == NULL);
    NT_CHECK(nt_glob_match("app.properties", "app.properties"));
    NT_CHECK(!nt_glob_match("app.properties", "app_properties"));
    NT_CHECK(nt_glob_match("*.txt", "a.txt"));
    NT_CHECK(!nt_glob_match("*.txt", "d/a.txt"));
    NT_CHECK(nt_glob_match("**/*.txt", "d/e/a.txt"));
    NT_CHECK(nt_glob_match("**/*.txt", "a.txt"));
    NT_CHECK(nt_glob_match("d/**/a.txt", "d/a.txt"));
    NT_CHECK(nt_glob_match("d/**/a.txt", "d/x/y/a.txt"));
    NT_CHECK(!nt_glob_match("d/**/a.txt", "dx/a.txt"));
    NT_CHECK(nt_glob_match("d/**", "d/x/y"));
    NT_CHECK(!nt_glob_match("d/*", "d/x/y"));
    NT_CHECK(nt_glob_match("", ""));
}

static void test_strv_cond(void)
{
    nt_strv v = {0};
    nt_strv_push(&v, "b");
    nt_strv_push(&v, "a");
    nt_strv_add_unique(&v, "b");
    nt_strv_push(&v, "a");
    NT_CHECK(v.n == 3);
    nt_strv_sort(&v);
    NT_CHECK(v.n == 2 && strcmp(v.v[0], "a") == 0);
    nt_strv_free(&v);
    nt_cond a = {NT_COND_REACHED, "x"}, b = {NT_COND_REACHABLE, "x"};
    nt_cond c2 = {NT_COND_REACHED, "y"};
    NT_CHECK(nt_cond_equal(&a, &b) && nt_cond_equal(&a, &a) && nt_cond_equal(NULL, &NT_COND_ALWAYS));
    NT_CHECK(!nt_cond_equal(&a, &c2) && !nt_cond_equal(&a, NULL) && nt_cond_cmp(&a, &b) == 0);
    NT_CHECK(nt_cond_cmp(&NT_COND_ALWAYS, &a) < 0 && nt_cond_cmp(&a, &NT_COND_ALWAYS) > 0);
    NT_CHECK(nt_type_flag_from_name("unsafeAllocated") == NT_UNSAFE_ALLOCATED);
    NT_CHECK_STR(nt_type_flag_name(NT_ALL_SIGNERS), "allSigners");
    NT_CHECK(nt_type_flag_from_name("name") == 0);
}

int main(void)
{
    NT_RUN(test_map);
    NT_RUN(test_java_name);
    NT_RUN(test_typeset);
    NT_RUN(test_resources);
    NT_RUN(test_glob);
    NT_RUN(test_strv_cond);
    NT_DONE();
}
