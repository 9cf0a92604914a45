/* Unit tests of lib/jni_mangle.c: JNI native-method symbol names. */
#include "nitrace/jni_mangle.h"

#include "nt_test.h"

/* Decode sym and compare (sig NULL: a short name). */
static void decodes(const char *sym, const char *cls, const char *method, const char *sig)
{
    nt_jni_native n;
    char why[256];
    nt_status st = nt_jni_demangle(sym, &n, why, sizeof why);
    if (st != NT_OK) {
        fprintf(stderr, "  %s: %s\n", sym, why);
        NT_CHECK(st == NT_OK);
        return;
    }
    NT_CHECK_STR(n.class_name, cls);
    NT_CHECK_STR(n.method, method);
    if (sig)
        NT_CHECK_STR(n.signature, sig);
    else
        NT_CHECK(n.signature == NULL);
    nt_jni_native_free(&n);
}

/* sym must not decode; the reason must contain `reason`. */
static void rejects(const char *sym, nt_status want, const char *reason)
{
    nt_jni_native n;
    char why[256] = "";
    nt_status st = nt_jni_demangle(sym, &n, why, sizeof why);
    NT_CHECK(st == want);
    NT_CHECK(n.class_name == NULL && n.method == NULL && n.signature == NULL);
    if (!strstr(why, reason)) {
        fprintf(stderr, "  %s: reason \"%s\" lacks \"%s\"\n", sym, why, reason);
        NT_CHECK(strstr(why, reason) != NULL);
    }
    if (st == NT_OK)
        nt_jni_native_free(&n);
}

static void test_short_names(void)
{
    decodes("Java_p_C_m", "p.C", "m", NULL);
    decodes("Java_C_m", "C", "m", NULL); /* unnamed package */
    decodes("Java_java_lang_Object_registerNatives", "java.lang.Object", "registerNatives", NULL);
    decodes("Java_a_b_c_D_e0", "a.b.c.D", "e0", NULL);
}

static void test_escapes(void)
{
    /* _1 is '_', _0xxxx a UTF-16 unit ('$' is _00024) */
    decodes("Java_my_1pkg_Some_1Class_do_1it", "my_pkg.Some_Class", "do_it", NULL);
    decodes("Java_jniprov_Native_00024Inner_1X_ping", "jniprov.Native$Inner_X", "ping", NULL);
    /* a class name that starts with '_' after a package: "a/_b" mangles to "a__1b" */
    decodes("Java_a__1b_m", "a._b", "m", NULL);
    /* uppercase hex is accepted too */
    decodes("Java_p_C_x_000E9", "p.C", "x\xc3\xa9", NULL);
}

static void test_non_ascii(void)
{
    /* größe: U+00F6, U+00DF */
    decodes("Java_jniprov_Native_gr_000f6_000dfe", "jniprov.Native", "gr\xc3\xb6\xc3\x9f" "e",
            NULL);
    /* a CJK class name ("p/" + escape: "p__06f22") and a non-BMP method name (U+1F600 as
     * the surrogates d83d de00) */
    decodes("Java_p__06f22_05b57_m_0d83d_0de00", "p.\xe6\xbc\xa2\xe5\xad\x97", "m\xf0\x9f\x98\x80",
            NULL);
}

static void test_long_names(void)
{
    decodes("Java_p_C_m__", "p.C", "m", "()");
    decodes("Java_p_C_over__I", "p.C", "over", "(I)");
    decodes("Java_p_C_over__Ljava_lang_String_2", "p.C", "over", "(Ljava/lang/String;)");
    decodes("Java_p_C_f___3I_3_3Ljava_lang_Object_2JZ", "p.C", "f",
            "([I[[Ljava/lang/Object;JZ)");
    /* '$' and '_' inside a signature's class name */
    decodes("Java_p_C_g__Lp_Outer_00024In_1ner_2", "p.C", "g", "(Lp/Outer$In_ner;)");
}

static void test_rejected(void)
{
    rejects("JNI_OnLoad", NT_ERR_INVAL, "Java_");
    rejects("Javax_p_C_m", NT_ERR_INVAL, "Java_");
    rejects("Java_m", NT_ERR_PARSE, "between class and method");
    rejects("Java__m", NT_ERR_PARSE, "empty class name");
    rejects("Java_p_C_m_", NT_ERR_PARSE, "trailing");
    rejects("Java_p_C_m___", NT_ERR_PARSE, "empty component in the signature");
    rejects("Java_p_C_x_0zzzz", NT_ERR_PARSE, "4 hex digits");
    rejects("Java_p_C_x_000", NT_ERR_PARSE, "4 hex digits");
    rejects("Java_p_C_m_0d83dx", NT_ERR_PARSE, "unpaired surrogate");
    rejects("Java_p_C_m_0de00", NT_ERR_PARSE, "unpaired surrogate");
    rejects("Java_p_C_m_00000", NT_ERR_PARSE, "NUL");
    rejects("Java_p_C_m$x", NT_ERR_PARSE, "0x24");
    rejects("Java_p_C_m__Q", NT_ERR_PARSE, "not an argument descriptor");
    rejects("Java_p_C_m__Ljava_lang_String", NT_ERR_PARSE, "not an argument descriptor");
    rejects("Java_p_C_3_m", NT_ERR_PARSE, "outside the signature");
}

static void test_mangle_round_trip(void)
{
    static const struct {
        const char *cls, *method, *args, *sym;
    } cases[] = {
        {"jniprov.Native", "find", NULL, "Java_jniprov_Native_find"},
        {"jniprov/Native", "over", "(Ljava/lang/String;)",
         "Java_jniprov_Native_over__Ljava_lang_String_2"},
        {"jniprov.Native", "over", "I", "Java_jniprov_Native_over__I"},
        {"jniprov.Native", "none", "()", "Java_jniprov_Native_none__"},
        {"jniprov.Native$Inner_X", "ping", NULL, "Java_jniprov_Native_00024Inner_1X_ping"},
        {"jniprov.Native", "gr\xc3\xb6\xc3\x9f" "e", NULL, "Java_jniprov_Native_gr_000f6_000dfe"},
        {"p.C", "m\xf0\x9f\x98\x80", "[[J", "Java_p_C_m_0d83d_0de00___3_3J"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *sym = nt_jni_mangle(cases[i].cls, cases[i].method, cases[i].args);
        NT_CHECK_STR(sym, cases[i].sym);
        nt_jni_native n;
        NT_CHECK(sym && nt_jni_demangle(sym, &n, NULL, 0) == NT_OK);
        if (sym && n.class_name) {
            NT_CHECK_STR(n.method, cases[i].method);
            NT_CHECK(strchr(n.class_name, '/') == NULL);
            nt_jni_native_free(&n);
        }
        free(sym);
    }
    NT_CHECK(nt_jni_mangle("p.C", "bad\xff", NULL) == NULL); /* not UTF-8 */
    NT_CHECK(nt_jni_mangle(NULL, "m", NULL) == NULL);
}

static void test_params_text(void)
{
    char *t = nt_jni_params_text("(I[Ljava/lang/String;[[JZ)");
    NT_CHECK_STR(t, "(int, java.lang.String[], long[][], boolean)");
    free(t);
    t = nt_jni_params_text("()");
    NT_CHECK_STR(t, "()");
    free(t);
    t = nt_jni_params_text("(Lp/Outer$In_ner;)");
    NT_CHECK_STR(t, "(p.Outer$In_ner)");
    free(t);
    NT_CHECK(nt_jni_params_text("(V)") == NULL);
    NT_CHECK(nt_jni_params_text("(L;)") == NULL);
    NT_CHECK(nt_jni_params_text("I") == NULL);
    NT_CHECK(nt_jni_params_text(NULL) == NULL);
}

int main(void)
{
    NT_RUN(test_short_names);
    NT_RUN(test_escapes);
    NT_RUN(test_non_ascii);
    NT_RUN(test_long_names);
    NT_RUN(test_rejected);
    NT_RUN(test_mangle_round_trip);
    NT_RUN(test_params_text);
    NT_DONE();
}
