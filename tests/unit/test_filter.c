/* Filters: built-in caller/access/caller-less filters, rule patterns,
 * filter files (rules, regexRules, precedence), bad filter files. */
#include "nitrace/trace.h"
#include "nt_test.h"

static void dump_diags(const nt_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        char buf[2048];
        nt_error_format(&d->items[i], buf, sizeof buf);
        fprintf(stderr, "  %s\n", buf);
    }
}

static void test_builtin_caller_filter(void)
{
    nt_filter_set *f = nt_filter_set_new(1, 1);
    NT_CHECK(f != NULL);
    /* included */
    NT_CHECK(nt_filter_accepts_caller(f, "java.util.Collections"));
    NT_CHECK(nt_filter_accepts_caller(f, "jdk.internal.loader.BootLoader"));
    NT_CHECK(nt_filter_accepts_caller(f, "jdk.internal.loader.NativeLibraries$NativeLibraryImpl"));
    NT_CHECK(nt_filter_accepts_caller(f, "java.lang.ClassLoader"));
    NT_CHECK(nt_filter_accepts_caller(f, "java.lang.Module"));
    NT_CHECK(nt_filter_accepts_caller(f, "java.io.ObjectInputFilter$Config"));
    NT_CHECK(nt_filter_accepts_caller(f, "java.net.URLConnection"));
    NT_CHECK(nt_filter_accepts_caller(f, "java.util.concurrent.atomic.AtomicIntegerFieldUpdater"));
    NT_CHECK(nt_filter_accepts_caller(f, "java.util.random.RandomGeneratorFactory"));
    NT_CHECK(nt_filter_accepts_caller(f, "java.util.ServiceLoader$LazyClassPathLookupIterator"));
    NT_CHECK(nt_filter_accepts_caller(f, "sun.reflect.misc.MethodUtil"));
    NT_CHECK(nt_filter_accepts_caller(f, "sun.net.www.protocol.http.HttpURLConnection"));
    NT_CHECK(nt_filter_accepts_caller(f, "sun.invoke.util.BytecodeDescriptor"));
    NT_CHECK(nt_filter_accepts_caller(f, "sun.util.resources.Bundles"));
    NT_CHECK(nt_filter_accepts_caller(f, "sun.management.VMManagementImpl"));
    NT_CHECK(nt_filter_accepts_caller(f, "javax.swing.JButton"));
    NT_CHECK(nt_filter_accepts_caller(f, "com.example.Main"));
    NT_CHECK(nt_filter_accepts_caller(f, "clojure.lang.RT"));
    NT_CHECK(nt_filter_accepts_caller(f, NULL));
    /* excluded */
    NT_CHECK(!nt_filter_accepts_caller(f, "java.util.HashMap"));
    NT_CHECK(!nt_filter_accepts_caller(f, "java.util.Collections$UnmodifiableMap"));
    NT_CHECK(!nt_filter_accepts_caller(f, "java.util.concurrent.atomic.AtomicReference"));
    NT_CHECK(!nt_filter_accepts_caller(f, "java.util.concurrent.ConcurrentHashMap"));
    NT_CHECK(!nt_filter_accepts_caller(f, "java.util.random.sub.Thing")); /* .* is one package */
    NT_CHECK(!nt_filter_accepts_caller(f, "java.lang.Class"));
    NT_CHECK(!nt_filter_accepts_caller(f, "java.lang.ClassLoader$ParallelLoaders"));
    NT_CHECK(!nt_filter_accepts_caller(f, "java.lang.invoke.MethodHandles$Lookup"));
    NT_CHECK(!nt_filter_accepts_caller(f, "java.io.ObjectInputStream"));
    NT_CHECK(!nt_filter_accepts_caller(f, "jdk.internal.misc.Unsafe"));
    NT_CHECK(!nt_filter_accepts_caller(f, "jdk.internal.loader.BuiltinClassLoader"));
    NT_CHECK(!nt_filter_accepts_caller(f, "sun.net.www.protocol.http.ntlm.NTLMAuthentication"));
    NT_CHECK(!nt_filter_accepts_caller(f, "sun.management.ManagementFactoryHelper$LoggingMXBeanAccess"));
    NT_CHECK(!nt_filter_accepts_caller(f, "sun.launcher.LauncherHelper"));
    NT_CHECK(!nt_filter_accepts_caller(f, "sun.reflect.misc.sub.X"));
    NT_CHECK(!nt_filter_accepts_caller(f, "com.oracle.truffle.api.Truffle"));
    NT_CHECK(!nt_filter_accepts_caller(f, "jdk.graal.compiler.Foo"));
    NT_CHECK(!nt_filter_accepts_caller(f, "javax.crypto.Cipher"));
    NT_CHECK(nt_filter_heuristic(f) == 1);
    nt_filter_set_free(f);

    /* built-in caller filter off */
    f = nt_filter_set_new(0, 0);
    NT_CHECK(nt_filter_accepts_caller(f, "java.util.HashMap"));
    NT_CHECK(nt_filter_accepts_caller(f, "jdk.internal.misc.Unsafe"));
    NT_CHECK(nt_filter_heuristic(f) == 0);
    /* the access filter stays */
    NT_CHECK(!nt_filter_accepts_access(f, "com.oracle.truffle.api.Truffle"));
    nt_filter_set_free(f);
    /* NULL set = defaults */
    NT_CHECK(!nt_filter_accepts_caller(NULL, "java.util.HashMap"));
    NT_CHECK(nt_filter_heuristic(NULL) == 1);
}

static void test_builtin_access_filters(void)
{
    nt_filter_set *f = nt_filter_set_new(1, 1);
    NT_CHECK(!nt_filter_accepts_access(f, "com.oracle.graal.X"));
    NT_CHECK(!nt_filter_accepts_access(f, "org.graalvm.compiler.core.Y"));
    NT_CHECK(nt_filter_accepts_access(f, "org.graalvm.nativeimage.ImageInfo"));
    NT_CHECK(nt_filter_accepts_access(f, "java.util.HashMap"));
    NT_CHECK(nt_filter_accepts_access(f, NULL));
    nt_filter_set_free(f);
    NT_CHECK(!nt_filter_accepts_callerless("[Ljava.lang.String;"));
    NT_CHECK(!nt_filter_accepts_callerless("jdk.vm.ci.hotspot.HotSpotJVMCIRuntime"));
    NT_CHECK(nt_filter_accepts_callerless("java.lang.String"));
    NT_CHECK(nt_filter_accepts_callerless("[Ljava.lang.Object;"));
    NT_CHECK(nt_filter_accepts_callerless(NULL));
}

static nt_filter_set *with_file(const char *path, int which, nt_status *st, nt_diags *d)
{
    nt_filter_set *f = nt_filter_set_new(0, 1);
    *st = nt_filter_set_add_file(f, path, which, d);
    return f;
}

static void test_rules_file(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_status st;
    nt_filter_set *f = with_file("data/filters/rules.json", NT_FILTER_CALLER, &st, &d);
    NT_CHECK(st == NT_OK && d.count == 0);
    NT_CHECK(!nt_filter_accepts_caller(f, "com.foo.X"));
    NT_CHECK(!nt_filter_accepts_caller(f, "com.foo.deep.er.X"));
    NT_CHECK(nt_filter_accepts_caller(f, "com.foo.bar.Y"));       /* later include wins */
    NT_CHECK(nt_filter_accepts_caller(f, "com.foo.bar.Y$Inner"));
    NT_CHECK(!nt_filter_accepts_caller(f, "com.foo.bar.Baz"));    /* later exclude wins */
    NT_CHECK(nt_filter_accepts_caller(f, "com.foo.bar.Baz$1"));   /* exact name only */
    NT_CHECK(!nt_filter_accepts_caller(f, "com.foo.bar.sub.Z"));  /* .* is not recursive */
    NT_CHECK(nt_filter_accepts_caller(f, "com.foo"));   /* class foo of package com: no rule */
    NT_CHECK(nt_filter_accepts_caller(f, "com.foobar.X"));        /* prefix is per segment */
    NT_CHECK(nt_filter_accepts_caller(f, "com.other.X"));
    /* the access chain is untouched */
    NT_CHECK(nt_filter_accepts_access(f, "com.foo.X"));
    nt_filter_set_free(f);

    /* same file as access filter */
    f = with_file("data/filters/rules.json", NT_FILTER_ACCESS, &st, &d);
    NT_CHECK(st == NT_OK);
    NT_CHECK(!nt_filter_accepts_access(f, "com.foo.X"));
    NT_CHECK(nt_filter_accepts_access(f, "com.foo.bar.Y"));
    NT_CHECK(nt_filter_accepts_caller(f, "com.foo.X"));
    nt_filter_set_free(f);
    nt_diags_free(&d);
}

static void test_rule_precedence(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_filter_set *f = nt_filter_set_new(0, 1);
    /* exclude everything, then include one class: last match wins */
    const char *a = "{\"rules\":[{\"excludeClasses\":\"**\"},{\"includeClasses\":\"com.a.B\"}]}";
    NT_CHECK(nt_filter_set_add_buffer(f, a, strlen(a), "a", NT_FILTER_CALLER, &d) == NT_OK);
    NT_CHECK(nt_filter_accepts_caller(f, "com.a.B"));
    NT_CHECK(!nt_filter_accepts_caller(f, "com.a.C"));
    NT_CHECK(!nt_filter_accepts_caller(f, "Toplevel"));
    /* a second file is applied after the first one */
    const char *b = "{\"rules\":[{\"excludeClasses\":\"com.a.*\"},{\"includeClasses\":\"*\"}]}";
    NT_CHECK(nt_filter_set_add_buffer(f, b, strlen(b), "b", NT_FILTER_CALLER, &d) == NT_OK);
    NT_CHECK(!nt_filter_accepts_caller(f, "com.a.B"));
    NT_CHECK(nt_filter_accepts_caller(f, "Toplevel")); /* "*": the unnamed package */
    NT_CHECK(!nt_filter_accepts_caller(f, "org.X"));
    nt_filter_set_free(f);

    /* include then exclude of the same pattern */
    f = nt_filter_set_new(0, 1);
    const char *c = "{\"rules\":[{\"includeClasses\":\"x.y.**\"},{\"excludeClasses\":\"x.y.**\"},"
                    "{\"includeClasses\":\"x.y.z.*\"}]}";
    NT_CHECK(nt_filter_set_add_buffer(f, c, strlen(c), "c", NT_FILTER_CALLER, &d) == NT_OK);
    NT_CHECK(!nt_filter_accepts_caller(f, "x.y.A"));
    NT_CHECK(nt_filter_accepts_caller(f, "x.y.z.A"));
    NT_CHECK(!nt_filter_accepts_caller(f, "x.y.z.w.A"));
    NT_CHECK(nt_filter_accepts_caller(f, "x.A")); /* unmatched: include (root) */
    nt_filter_set_free(f);

    /* files after the built-in caller filter can re-include JDK callers */
    f = nt_filter_set_new(1, 1);
    const char *e = "{\"rules\":[{\"includeClasses\":\"java.util.HashMap\"}]}";
    NT_CHECK(nt_filter_set_add_buffer(f, e, strlen(e), "e", NT_FILTER_CALLER, &d) == NT_OK);
    NT_CHECK(nt_filter_accepts_caller(f, "java.util.HashMap"));
    NT_CHECK(!nt_filter_accepts_caller(f, "java.util.TreeMap"));
    nt_filter_set_free(f);
    NT_CHECK(d.count == 0);
    nt_diags_free(&d);
}

static void test_regex_rules(void)
{
    nt_diags d;
    nt_diags_init(&d);
    nt_status st;
    nt_filter_set *f = with_file("data/filters/regex.json", NT_FILTER_CALLER, &st, &d);
    NT_CHECK(st == NT_OK && d.count == 0);
    if (d.count)
        dump_diags(&d);
    NT_CHECK(nt_filter_accepts_caller(f, "com.foo.bar.Y"));
    NT_CHECK(!nt_filter_accepts_caller(f, "com.foo.bar.Y$$Generated12")); /* regex excludes */
    NT_CHECK(nt_filter_accepts_caller(f, "com.foo.bar.Y$$Generated"));    /* needs digits */
    NT_CHECK(!nt_filter_accepts_caller(f, "com.foo.X"));                  /* rules exclude */
    NT_CHECK(!nt_filter_accepts_caller(f, "org.Z$$Generated1"));
    nt_filter_set_free(f);

    /* include regexes: the name must match one, anchored to the whole name */
    f = nt_filter_set_new(0, 1);
    const char *a = "{\"rules\":[{\"excludeClasses\":\"com.a.Hidden\"}],"
                    "\"regexRules\":[{\"includeClasses\":\"com\\\\.a\\\\..*\"},"
                    "{\"includeClasses\":\"org\\\\.(x|y)\\\\.[A-Z][a-z]+\"}]}";
    NT_CHECK(nt_filter_set_add_buffer(f, a, strlen(a), "a", NT_FILTER_CALLER, &d) == NT_OK);
    NT_CHECK(nt_filter_accepts_caller(f, "com.a.Shown"));
    NT_CHECK(!nt_filter_accepts_caller(f, "com.a.Hidden"));  /* rules AND regexRules */
    NT_CHECK(!nt_filter_accepts_caller(f, "com.b.X"));       /* no include regex matches */
    NT_CHECK(!nt_filter_accepts_caller(f, "xcom.a.X"));      /* anchored at the start */
    NT_CHECK(nt_filter_accepts_caller(f, "org.y.Name"));
    NT_CHECK(!nt_filter_accepts_caller(f, "org.y.NameX"));   /* anchored at the end */
    NT_CHECK(!nt_filter_accepts_caller(f, "org.z.Name"));
    /* regexRules of a later file add to the same include/exclude sets */
    const char *b = "{\"regexRules\":[{\"excludeClasses\":\".*Shown\"}]}";
    NT_CHECK(nt_filter_set_add_buffer(f, b, strlen(b), "b", NT_FILTER_CALLER, &d) == NT_OK);
    NT_CHECK(!nt_filter_accepts_caller(f, "com.a.Shown"));
    NT_CHECK(nt_filter_accepts_caller(f, "com.a.Other"));
    NT_CHECK(d.count == 0);
    nt_filter_set_free(f);
    nt_diags_free(&d);
}

/* A bad file adds nothing; diagnostics carry file:line:col. */
static void test_bad_files(void)
{
    nt_diags d;
    nt_status st;

    nt_diags_init(&d);
    nt_filter_set *f = with_file("data/filters/bad-pattern.json", NT_FILTER_CALLER, &st, &d);
    NT_CHECK(st == NT_ERR_PARSE && d.count == 1);
    NT_CHECK(d.count && strstr(d.items[0].msg, "com.*.foo") && d.items[0].line == 4);
    NT_CHECK(d.count && strcmp(d.items[0].file, "data/filters/bad-pattern.json") == 0);
    /* the valid rule of the bad file was not added */
    const char *ex = "{\"rules\":[{\"excludeClasses\":\"com.ok.X\"}]}";
    nt_diags_free(&d);
    nt_diags_init(&d);
    NT_CHECK(nt_filter_set_add_buffer(f, ex, strlen(ex), "ex", NT_FILTER_CALLER, &d) == NT_OK);
    NT_CHECK(!nt_filter_accepts_caller(f, "com.ok.X"));
    nt_filter_set_free(f);
    nt_diags_free(&d);

    nt_diags_init(&d);
    f = with_file("data/filters/bad-regex.json", NT_FILTER_CALLER, &st, &d);
    NT_CHECK(st == NT_ERR_PARSE && d.count == 1);
    NT_CHECK(d.count && strstr(d.items[0].msg, "(unclosed") && d.items[0].line == 5);
    NT_CHECK(nt_filter_accepts_caller(f, "org.Anything")); /* the good include regex was dropped */
    nt_filter_set_free(f);
    nt_diags_free(&d);

    nt_diags_init(&d);
    f = with_file("data/filters/bad-rule.json", NT_FILTER_CALLER, &st, &d);
    NT_CHECK(st == NT_ERR_PARSE);
    NT_CHECK(d.count >= 5);
    int both = 0, none = 0, type = 0, typo = 0, topkey = 0;
    for (size_t i = 0; i < d.count; i++) {
        const nt_error *e = &d.items[i];
        if (e->line == 3 && strstr(e->msg, "exactly one"))
            both++;
        if (e->line == 4 && strstr(e->msg, "exactly one"))
            none++;
        if (e->line == 5)
            type++;
        if (e->line == 6 && strstr(e->msg, "inclueClasses"))
            typo++;
        if (e->line == 8 && strstr(e->msg, "regexRule"))
            topkey++;
    }
    NT_CHECK(both == 1 && none == 1 && type == 1 && typo == 1 && topkey == 1);
    if (!(both == 1 && none == 1 && type == 1 && typo == 1 && topkey == 1))
        dump_diags(&d);
    NT_CHECK(nt_filter_accepts_caller(f, "b.X"));
    nt_filter_set_free(f);
    nt_diags_free(&d);

    nt_diags_init(&d);
    f = with_file("data/filters/bad-syntax.json", NT_FILTER_ACCESS, &st, &d);
    NT_CHECK(st == NT_ERR_PARSE && d.count == 1 && d.items[0].line == 4);
    nt_filter_set_free(f);
    nt_diags_free(&d);

    nt_diags_init(&d);
    f = with_file("data/filters/bad-shape.json", NT_FILTER_ACCESS, &st, &d);
    NT_CHECK(st == NT_ERR_PARSE && d.count == 1 && d.items[0].line == 1);
    nt_filter_set_free(f);
    nt_diags_free(&d);

    nt_diags_init(&d);
    f = with_file("data/filters/does-not-exist.json", NT_FILTER_CALLER, &st, &d);
    NT_CHECK(st == NT_ERR_IO && d.count == 1);
    NT_CHECK(nt_filter_set_add_file(f, "data/filters/rules.json", 7, &d) == NT_ERR_INVAL);
    nt_filter_set_free(f);
    nt_diags_free(&d);
}

int main(void)
{
    NT_RUN(test_builtin_caller_filter);
    NT_RUN(test_builtin_access_filters);
    NT_RUN(test_rules_file);
    NT_RUN(test_rule_precedence);
    NT_RUN(test_regex_rules);
    NT_RUN(test_bad_files);
    NT_DONE();
}
