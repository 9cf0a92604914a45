/* Unit test of agent/classfile.c: exact bytes of a rewrite on a hand-built class file, refusals,
 * hook descriptors, and robustness (every truncation, byte mutations, random garbage: errors,
 * never crashes; the CMake build compiles this test with ASan/UBSan when available).
 * Optional arguments: extra class files to mutate the same way (skipped if absent). */
#include "classfile.h"
#include "nt_test.h"

#include <stdint.h>

/* ---- a tiny byte builder ---- */
typedef struct bb {
    uint8_t d[4096];
    size_t n;
} bb;
static void u1(bb *b, unsigned v) { b->d[b->n++] = (uint8_t)v; }
static void u2(bb *b, unsigned v) { u1(b, v >> 8); u1(b, v); }
static void u4(bb *b, uint32_t v) { u2(b, v >> 16); u2(b, v & 0xffff); }
static void utf8(bb *b, const char *s)
{
    size_t n = strlen(s);
    u1(b, 1);
    u2(b, (unsigned)n);
    memcpy(b->d + b->n, s, n);
    b->n += n;
}

enum { CP_COUNT = 37 };

/* Class p/C (version 61) with every constant-pool tag and methods:
 *   static m(IJ)V  Code: 80 bytes, exception table, LineNumberTable, LocalVariableTable,
 *                  LocalVariableTypeTable, StackMapTable (same_frame delta 62, full_frame with
 *                  Uninitialized(70), same_locals_1_stack_item with Uninitialized(70))
 *   n()V           Code with RuntimeVisibleTypeAnnotations (must be refused)
 *   static native nat()V
 *   k(D[Ljava/lang/String;)V  (instance) Code: return */
static void build_class(bb *b)
{
    memset(b, 0, sizeof *b);
    u4(b, 0xCAFEBABE);
    u2(b, 0);
    u2(b, 61);
    u2(b, CP_COUNT);
    utf8(b, "p/C");                                 /* 1 */
    u1(b, 7); u2(b, 1);                             /* 2 Class */
    utf8(b, "java/lang/Object");                    /* 3 */
    u1(b, 7); u2(b, 3);                             /* 4 Class */
    utf8(b, "m");                                   /* 5 */
    utf8(b, "(IJ)V");                               /* 6 */
    utf8(b, "Code");                                /* 7 */
    utf8(b, "LineNumberTable");                     /* 8 */
    utf8(b, "LocalVariableTable");                  /* 9 */
    utf8(b, "StackMapTable");                       /* 10 */
    utf8(b, "x");                                   /* 11 */
    utf8(b, "I");                                   /* 12 */
    u1(b, 3); u4(b, 42);                            /* 13 Integer */
    u1(b, 4); u4(b, 0x3f800000);                    /* 14 Float */
    u1(b, 5); u4(b, 1); u4(b, 2);                   /* 15-16 Long */
    u1(b, 6); u4(b, 0x40000000); u4(b, 0);          /* 17-18 Double */
    u1(b, 8); u2(b, 11);                            /* 19 String */
    u1(b, 12); u2(b, 5); u2(b, 6);                  /* 20 NameAndType */
    u1(b, 10); u2(b, 2); u2(b, 20);                 /* 21 Methodref */
    u1(b, 9); u2(b, 2); u2(b, 20);                  /* 22 Fieldref */
    u1(b, 11); u2(b, 2); u2(b, 20);                 /* 23 InterfaceMethodref */
    u1(b, 15); u1(b, 6); u2(b, 21);                 /* 24 MethodHandle */
    u1(b, 16); u2(b, 6);                            /* 25 MethodType */
    u1(b, 17); u2(b, 0); u2(b, 20);                 /* 26 Dynamic */
    u1(b, 18); u2(b, 0); u2(b, 20);                 /* 27 InvokeDynamic */
    u1(b, 19); u2(b, 1);                            /* 28 Module */
    u1(b, 20); u2(b, 1);                            /* 29 Package */
    utf8(b, "n");                                   /* 30 */
    utf8(b, "()V");                                 /* 31 */
    utf8(b, "RuntimeVisibleTypeAnnotations");       /* 32 */
    utf8(b, "nat");                                 /* 33 */
    utf8(b, "LocalVariableTypeTable");              /* 34 */
    utf8(b, "k");                                   /* 35 */
    utf8(b, "(D[Ljava/lang/String;)V");             /* 36 */

    u2(b, 0x21); u2(b, 2); u2(b, 4); u2(b, 0);      /* access, this, super, interfaces */
    u2(b, 1);                                       /* fields */
    u2(b, 0); u2(b, 11); u2(b, 12); u2(b, 0);
    u2(b, 4);                                       /* methods */

    /* m */
    u2(b, 0x0008); u2(b, 5); u2(b, 6); u2(b, 1);
    u2(b, 7);
    size_t lenpos = b->n;
    u4(b, 0);
    u2(b, 1); u2(b, 3); u4(b, 80);
    for (int i = 0; i < 79; i++)
        u1(b, 0x00);
    u1(b, 0xb1);
    u2(b, 1); u2(b, 2); u2(b, 10); u2(b, 62); u2(b, 0);    /* exception table */
    u2(b, 4);                                              /* Code attributes */
    u2(b, 8); u4(b, 2 + 2 * 4); u2(b, 2);                  /* LineNumberTable */
    u2(b, 0); u2(b, 1); u2(b, 62); u2(b, 2);
    u2(b, 9); u4(b, 2 + 2 * 10); u2(b, 2);                 /* LocalVariableTable */
    u2(b, 0); u2(b, 80); u2(b, 11); u2(b, 12); u2(b, 0);
    u2(b, 62); u2(b, 18); u2(b, 11); u2(b, 12); u2(b, 1);
    u2(b, 34); u4(b, 2 + 10); u2(b, 1);                    /* LocalVariableTypeTable */
    u2(b, 5); u2(b, 10); u2(b, 11); u2(b, 12); u2(b, 2);
    u2(b, 10); u4(b, 2 + 1 + (3 + 2 + 1 + 3 + 2 + 3) + (1 + 3)); /* StackMapTable */
    u2(b, 3);
    u1(b, 62);                                             /* same_frame, delta 62 */
    u1(b, 255); u2(b, 5); u2(b, 2); u1(b, 1); u1(b, 8); u2(b, 70); u2(b, 1); u1(b, 7); u2(b, 4);
    u1(b, 64 + 3); u1(b, 8); u2(b, 70);                    /* same_locals_1_stack_item */
    uint32_t alen = (uint32_t)(b->n - lenpos - 4);
    b->d[lenpos] = (uint8_t)(alen >> 24);
    b->d[lenpos + 1] = (uint8_t)(alen >> 16);
    b->d[lenpos + 2] = (uint8_t)(alen >> 8);
    b->d[lenpos + 3] = (uint8_t)alen;

    /* n: Code with a type annotation attribute */
    u2(b, 0); u2(b, 30); u2(b, 31); u2(b, 1);
    u2(b, 7); u4(b, 12 + 1 + 8);
    u2(b, 0); u2(b, 1); u4(b, 1); u1(b, 0xb1); u2(b, 0);
    u2(b, 1); u2(b, 32); u4(b, 2); u2(b, 0);

    /* nat */
    u2(b, 0x0108); u2(b, 33); u2(b, 31); u2(b, 0);

    /* k: instance (D[Ljava/lang/String;)V */
    u2(b, 0); u2(b, 35); u2(b, 36); u2(b, 1);
    u2(b, 7); u4(b, 12 + 1);
    u2(b, 0); u2(b, 4); u4(b, 1); u1(b, 0xb1); u2(b, 0); u2(b, 0);

    u2(b, 0); /* class attributes */
}

static const uint8_t *find_bytes(const uint8_t *h, size_t hn, const uint8_t *n, size_t nn)
{
    for (size_t i = 0; i + nn <= hn; i++)
        if (memcmp(h + i, n, nn) == 0)
            return h + i;
    return NULL;
}

static void test_parse(void)
{
    bb b;
    build_class(&b);
    cf_class *c = NULL;
    char err[256];
    NT_CHECK(cf_parse(b.d, b.n, &c, err, sizeof err) == CF_OK);
    if (!c) {
        fprintf(stderr, "parse: %s\n", err);
        return;
    }
    NT_CHECK_STR(cf_class_name(c), "p/C");
    NT_CHECK(cf_major_version(c) == 61);
    NT_CHECK(cf_constant_pool_count(c) == CP_COUNT);
    NT_CHECK(cf_method_count(c) == 4);
    NT_CHECK(cf_find_method(c, "m", "(IJ)V") == 0);
    NT_CHECK(cf_find_method(c, "k", "(D[Ljava/lang/String;)V") == 3);
    NT_CHECK(cf_find_method(c, "m", "(I)V") == -1);
    cf_method_info mi;
    NT_CHECK(cf_method_at(c, 0, &mi) == 0);
    NT_CHECK(mi.has_code && mi.code_length == 80 && mi.max_stack == 1 && mi.max_locals == 3);
    NT_CHECK(mi.name_len == 1 && mi.name[0] == 'm' && mi.access_flags == 0x0008);
    NT_CHECK(cf_method_at(c, 2, &mi) == 0 && !mi.has_code);
    NT_CHECK(cf_method_at(c, 4, &mi) == -1);
    cf_class_free(c);
}

static void test_rewrite_exact(void)
{
    bb b;
    build_class(&b);
    cf_class *c = NULL;
    char err[256] = "";
    NT_CHECK(cf_parse(b.d, b.n, &c, err, sizeof err) == CF_OK);
    if (!c)
        return;
    cf_hook_spec specs[3] = {
        {"m", "(IJ)V", "hm", 0, NULL},
        {"k", "(D[Ljava/lang/String;)V", "hk", 0, "x/OtherHooks"}, /* own owner */
        {"absent", "()V", "hx", 0, NULL},
    };
    int done[3] = {9, 9, 9};
    uint8_t *out = NULL;
    size_t out_len = 0;
    cf_status st = cf_instrument(c, "q/Hook", specs, 3, &out, &out_len, done, err, sizeof err);
    NT_CHECK(st == CF_OK);
    if (st != CF_OK)
        fprintf(stderr, "instrument: %s\n", err);
    NT_CHECK(done[0] == 1 && done[1] == 1 && done[2] == 0);
    NT_CHECK(out != NULL);
    if (!out) {
        cf_class_free(c);
        return;
    }
    /* constants appended: 37 Utf8 q/Hook, 38 Class, 39 "hm", 40 NAT of hm and the class's own
     * "(IJ)V" (#6: an entry the class has is not appended), 41 Methodref, 42 "hk",
     * 43 "(Lp/C;D[Ljava/lang/String;)V", 44 NAT, 45 Utf8 x/OtherHooks (k's own hook class),
     * 46 Class, 47 Methodref */
    NT_CHECK(out[8] == 0 && out[9] == 48);
    bb cp;
    memset(&cp, 0, sizeof cp);
    utf8(&cp, "q/Hook");
    u1(&cp, 7); u2(&cp, 37);
    utf8(&cp, "hm");
    u1(&cp, 12); u2(&cp, 39); u2(&cp, 6);
    u1(&cp, 10); u2(&cp, 38); u2(&cp, 40);
    utf8(&cp, "hk");
    utf8(&cp, "(Lp/C;D[Ljava/lang/String;)V");
    u1(&cp, 12); u2(&cp, 42); u2(&cp, 43);
    utf8(&cp, "x/OtherHooks");
    u1(&cp, 7); u2(&cp, 45);
    u1(&cp, 10); u2(&cp, 46); u2(&cp, 44);
    NT_CHECK(find_bytes(out, out_len, cp.d, cp.n) != NULL);

    /* expected Code attribute of m */
    bb code;
    memset(&code, 0, sizeof code);
    u2(&code, 3); u2(&code, 3); u4(&code, 88);
    static const uint8_t inj_m[8] = {0x1a, 0x1f, 0xb8, 0x00, 41, 0x00, 0x00, 0x00};
    memcpy(code.d + code.n, inj_m, 8);
    code.n += 8;
    for (int i = 0; i < 79; i++)
        u1(&code, 0x00);
    u1(&code, 0xb1);
    u2(&code, 1); u2(&code, 10); u2(&code, 18); u2(&code, 70); u2(&code, 0);
    u2(&code, 4);
    u2(&code, 8); u4(&code, 10); u2(&code, 2);
    u2(&code, 0); u2(&code, 1); u2(&code, 70); u2(&code, 2);
    u2(&code, 9); u4(&code, 22); u2(&code, 2);
    u2(&code, 0); u2(&code, 88); u2(&code, 11); u2(&code, 12); u2(&code, 0);
    u2(&code, 70); u2(&code, 18); u2(&code, 11); u2(&code, 12); u2(&code, 1);
    u2(&code, 34); u4(&code, 12); u2(&code, 1);
    u2(&code, 13); u2(&code, 10); u2(&code, 11); u2(&code, 12); u2(&code, 2);
    u2(&code, 10); u4(&code, 2 + 3 + 14 + 4); u2(&code, 3);
    u1(&code, 251); u2(&code, 70);                           /* converted same_frame */
    u1(&code, 255); u2(&code, 5); u2(&code, 2); u1(&code, 1); u1(&code, 8); u2(&code, 78);
    u2(&code, 1); u1(&code, 7); u2(&code, 4);
    u1(&code, 67); u1(&code, 8); u2(&code, 78);
    bb attr;
    memset(&attr, 0, sizeof attr);
    u2(&attr, 7); u4(&attr, (uint32_t)code.n);
    memcpy(attr.d + attr.n, code.d, code.n);
    attr.n += code.n;
    NT_CHECK(find_bytes(out, out_len, attr.d, attr.n) != NULL);

    /* k: aload_0 dload_1 aload_3 invokestatic #47 nop nop, max_stack 4 */
    static const uint8_t code_k[] = {0x00, 0x07, 0, 0, 0, 21, 0x00, 0x04, 0x00, 0x04, 0, 0, 0, 9,
                                     0x2a, 0x27, 0x2d, 0xb8, 0x00, 47, 0x00, 0x00, 0xb1, 0, 0, 0, 0};
    NT_CHECK(find_bytes(out, out_len, code_k, sizeof code_k) != NULL);

    /* the output parses and is exactly as long as expected */
    NT_CHECK(out_len == b.n + cp.n + 8 /* m */ + 2 /* same_frame_extended */ + 8 /* k */);
    cf_class *c2 = NULL;
    NT_CHECK(cf_parse(out, out_len, &c2, err, sizeof err) == CF_OK);
    if (c2) {
        cf_method_info mi;
        NT_CHECK(cf_method_at(c2, 0, &mi) == 0 && mi.code_length == 88 && mi.max_stack == 3);
        NT_CHECK(cf_constant_pool_count(c2) == 48);
    }
    cf_class_free(c2);
    free(out);
    cf_class_free(c);
}

/* CF_HOOK_MEMBER_PARTS: the instance method k passes getDeclaringClass() and getName()
 * of its receiver instead of the receiver; the static method m is refused. */
static void test_member_parts(void)
{
    bb b;
    build_class(&b);
    cf_class *c = NULL;
    char err[256] = "";
    NT_CHECK(cf_parse(b.d, b.n, &c, err, sizeof err) == CF_OK);
    if (!c)
        return;
    cf_hook_spec k_spec[1] = {{"k", "(D[Ljava/lang/String;)V", "hk", CF_HOOK_MEMBER_PARTS, NULL}};
    uint8_t *out = NULL;
    size_t out_len = 0;
    NT_CHECK(cf_instrument(c, "q/Hook", k_spec, 1, &out, &out_len, NULL, err, sizeof err) == CF_OK);
    NT_CHECK(out != NULL);
    if (out) {
        static const char gdc[] = "getDeclaringClass", gn[] = "getName";
        static const char hd[] = "(Ljava/lang/Class;Ljava/lang/String;D[Ljava/lang/String;)V";
        NT_CHECK(find_bytes(out, out_len, (const uint8_t *)gdc, sizeof gdc - 1) != NULL);
        NT_CHECK(find_bytes(out, out_len, (const uint8_t *)gn, sizeof gn - 1) != NULL);
        NT_CHECK(find_bytes(out, out_len, (const uint8_t *)hd, sizeof hd - 1) != NULL);
        /* aload_0 invokevirtual #a aload_0 invokevirtual #b dload_1 aload_3 invokestatic #c
         * nop nop nop, then the original code */
        int found = 0;
        for (size_t i = 0; i + 16 <= out_len && !found; i++)
            found = out[i] == 0x2a && out[i + 1] == 0xb6 && out[i + 4] == 0x2a &&
                    out[i + 5] == 0xb6 && out[i + 8] == 0x27 && out[i + 9] == 0x2d &&
                    out[i + 10] == 0xb8 && out[i + 13] == 0 && out[i + 14] == 0 &&
                    out[i + 15] == 0 && out[i + 16] == 0xb1;
        NT_CHECK(found);
        cf_class *c2 = NULL;
        NT_CHECK(cf_parse(out, out_len, &c2, err, sizeof err) == CF_OK);
        long mi = c2 ? cf_find_method(c2, "k", "(D[Ljava/lang/String;)V") : -1;
        cf_method_info info;
        NT_CHECK(mi >= 0 && cf_method_at(c2, (size_t)mi, &info) == 0 && info.max_stack >= 5 &&
                 info.code_length == 17);
        cf_class_free(c2);
        free(out);
    }
    cf_hook_spec m_spec[1] = {{"m", "(IJ)V", "hm", CF_HOOK_MEMBER_PARTS, NULL}};
    out = NULL;
    NT_CHECK(cf_instrument(c, "q/Hook", m_spec, 1, &out, &out_len, NULL, err, sizeof err) ==
             CF_ERR_UNSUPPORTED);
    NT_CHECK(out == NULL);
    cf_class_free(c);
}

static void test_refusals(void)
{
    bb b;
    build_class(&b);
    cf_class *c = NULL;
    char err[256] = "";
    uint8_t *out = (uint8_t *)1;
    size_t out_len = 1;
    int done[2] = {7, 7};
    NT_CHECK(cf_parse(b.d, b.n, &c, err, sizeof err) == CF_OK);
    if (!c)
        return;
    cf_hook_spec ta[2] = {{"m", "(IJ)V", "hm", 0, NULL}, {"n", "()V", "hn", 0, NULL}};
    NT_CHECK(cf_instrument(c, "H", ta, 2, &out, &out_len, done, err, sizeof err) == CF_ERR_UNSUPPORTED);
    NT_CHECK(out == NULL && out_len == 0 && done[0] == 0 && done[1] == 0);
    NT_CHECK(strstr(err, "RuntimeVisibleTypeAnnotations") != NULL && strstr(err, "n()V") != NULL);

    cf_hook_spec nat = {"nat", "()V", "h", 0, NULL};
    NT_CHECK(cf_instrument(c, "H", &nat, 1, &out, &out_len, NULL, err, sizeof err) == CF_ERR_UNSUPPORTED);
    NT_CHECK(out == NULL);

    cf_hook_spec dup[2] = {{"m", "(IJ)V", "a", 0, NULL}, {"m", "(IJ)V", "b", 0, NULL}};
    NT_CHECK(cf_instrument(c, "H", dup, 2, &out, &out_len, NULL, err, sizeof err) == CF_ERR_ARG);

    cf_hook_spec bad = {"m", "(IJ", "a", 0, NULL};
    NT_CHECK(cf_instrument(c, "H", &bad, 1, &out, &out_len, NULL, err, sizeof err) == CF_ERR_ARG);

    cf_hook_spec none = {"zzz", "()V", "a", 0, NULL};
    NT_CHECK(cf_instrument(c, "H", &none, 1, &out, &out_len, done, err, sizeof err) == CF_OK);
    NT_CHECK(out == NULL && out_len == 0 && done[0] == 0);
    NT_CHECK(cf_instrument(c, "", &none, 1, &out, &out_len, done, err, sizeof err) == CF_ERR_ARG);
    cf_class_free(c);

    /* version 70 is refused as unsupported, 44 as malformed */
    b.d[7] = 70;
    NT_CHECK(cf_parse(b.d, b.n, &c, err, sizeof err) == CF_ERR_UNSUPPORTED && c == NULL);
    b.d[7] = 44;
    NT_CHECK(cf_parse(b.d, b.n, &c, err, sizeof err) == CF_ERR_MALFORMED);
    b.d[7] = 45;
    NT_CHECK(cf_parse(b.d, b.n, &c, err, sizeof err) == CF_OK);
    cf_class_free(c);
    /* trailing byte */
    b.d[b.n] = 0;
    NT_CHECK(cf_parse(b.d, b.n + 1, &c, err, sizeof err) == CF_ERR_MALFORMED);
    NT_CHECK(cf_parse(NULL, 0, &c, err, sizeof err) == CF_ERR_TRUNCATED);
}

static void check_desc(const char *cls, const char *name, const char *desc, int is_static,
                       unsigned flags, const char *want)
{
    char *got = cf_hook_descriptor(cls, name, desc, is_static, flags);
    if (want) {
        NT_CHECK_STR(got, want);
    } else {
        NT_CHECK(got == NULL);
    }
    free(got);
}

static void test_hook_descriptors(void)
{
    check_desc("java/lang/Class", "getMethod",
               "(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;", 0, 0,
               "(Ljava/lang/Class;Ljava/lang/String;[Ljava/lang/Class;)V");
    check_desc("java/lang/Class", "getMethod",
               "(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;", 0,
               CF_HOOK_ERASE_REFS, "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;)V");
    check_desc("java/lang/Class", "forName", "(Ljava/lang/String;)Ljava/lang/Class;", 1, 0,
               "(Ljava/lang/String;)V");
    check_desc("a/B", "<init>", "(IJ[[D)V", 0, CF_HOOK_ERASE_REFS, "(IJLjava/lang/Object;)V");
    check_desc("a/B", "<clinit>", "()V", 0, 0, "()V");
    check_desc("a/B", "f", "(ZBCSFD)V", 0, 0, "(La/B;ZBCSFD)V");
    check_desc("java/lang/reflect/Field", "get", "(Ljava/lang/Object;)Ljava/lang/Object;", 0,
               CF_HOOK_MEMBER_PARTS, "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/Object;)V");
    check_desc("java/lang/reflect/Field", "setInt", "(Ljava/lang/Object;I)V", 0,
               CF_HOOK_MEMBER_PARTS | CF_HOOK_ERASE_REFS | CF_HOOK_CALLER,
               "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;ILjava/lang/Object;)V");
    /* the member's fields instead of the receiver, and arguments left out */
    check_desc("java/lang/reflect/Method", "invoke",
               "(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;", 0,
               CF_HOOK_MEMBER_SLOT | CF_HOOK_SKIP_P1,
               "(Ljava/lang/Class;ILjava/lang/String;[Ljava/lang/Class;Ljava/lang/Object;)V");
    check_desc("java/lang/reflect/Constructor", "newInstance",
               "([Ljava/lang/Object;)Ljava/lang/Object;", 0,
               CF_HOOK_MEMBER_SLOT | CF_HOOK_SKIP_P0 | CF_HOOK_ERASE_REFS | CF_HOOK_CALLER,
               "(Ljava/lang/Object;ILjava/lang/Object;Ljava/lang/Object;)V");
    check_desc("java/lang/reflect/Field", "setLong", "(Ljava/lang/Object;J)V", 0,
               CF_HOOK_MEMBER_PARTS | CF_HOOK_SKIP_P0 | CF_HOOK_SKIP_P1,
               "(Ljava/lang/Class;Ljava/lang/String;)V");
    check_desc("a/B", "f", "(I)V", 0, CF_HOOK_MEMBER_SLOT, NULL); /* not Method/Constructor */
    check_desc("java/lang/reflect/Method", "invoke",
               "(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;", 0,
               CF_HOOK_MEMBER_SLOT | CF_HOOK_MEMBER_PARTS, NULL);
    check_desc("a/B", "s", "()V", 1, CF_HOOK_MEMBER_PARTS, NULL); /* static: no receiver */
    check_desc("a/B", "<init>", "()V", 0, CF_HOOK_MEMBER_PARTS, NULL);
    check_desc("a/B", "f", "(I", 1, 0, NULL);
    check_desc("a/B", "f", "(L;)V", 1, 0, NULL);
    check_desc("a/B", "f", "(I)", 1, 0, NULL);
    check_desc("a/B", "f", "(I)VV", 1, 0, NULL);
    check_desc("a/B", "f", "(Q)V", 1, 0, NULL);
    check_desc("a/B", "f", "()[", 1, 0, NULL);
    /* 255 slots: fine static, too many with a receiver */
    char d[300];
    size_t n = 0;
    d[n++] = '(';
    for (int i = 0; i < 127; i++)
        d[n++] = 'J';
    d[n++] = 'I';
    d[n++] = ')';
    d[n++] = 'V';
    d[n] = '\0';
    char *s = cf_hook_descriptor("a/B", "f", d, 1, 0);
    NT_CHECK(s != NULL);
    free(s);
    check_desc("a/B", "f", d, 0, 0, NULL);
    d[128] = 'J'; /* 256 slots */
    check_desc("a/B", "f", d, 1, 0, NULL);
}

/* Parses (and if that works, instruments all methods of) a buffer; must never crash and the
 * result of a successful instrumentation must parse again. Returns the parse status. */
static cf_status exercise(const uint8_t *data, size_t len)
{
    cf_class *c = NULL;
    char err[256];
    cf_status st = cf_parse(data, len, &c, err, sizeof err);
    if (st != CF_OK)
        return st;
    cf_hook_spec specs[64];
    char names[64][300], descs[64][300];
    size_t ns = 0;
    for (size_t i = 0; i < cf_method_count(c) && ns < 64; i++) {
        cf_method_info mi;
        if (cf_method_at(c, i, &mi) != 0 || mi.name_len >= 300 || mi.desc_len >= 300)
            continue;
        memcpy(names[ns], mi.name, mi.name_len);
        names[ns][mi.name_len] = '\0';
        memcpy(descs[ns], mi.desc, mi.desc_len);
        descs[ns][mi.desc_len] = '\0';
        if (cf_find_method(c, names[ns], descs[ns]) != (long)i)
            continue; /* duplicate name+descriptor in a mutated file */
        specs[ns].method_name = names[ns];
        specs[ns].method_desc = descs[ns];
        specs[ns].hook_name = "h";
        specs[ns].flags = (unsigned)(i & 1);
        specs[ns].hook_class = (i & 2) ? "H2" : NULL;
        ns++;
    }
    uint8_t *out = NULL;
    size_t out_len = 0;
    if (cf_instrument(c, "H", specs, ns, &out, &out_len, NULL, err, sizeof err) == CF_OK && out) {
        cf_class *c2 = NULL;
        cf_status st2 = cf_parse(out, out_len, &c2, err, sizeof err);
        NT_CHECK(st2 == CF_OK);
        if (st2 != CF_OK)
            fprintf(stderr, "re-parse failed: %s\n", err);
        cf_class_free(c2);
    }
    free(out);
    cf_class_free(c);
    return st;
}

/* Every truncation and, at every `stride`-th byte, several replacement values. */
static void mutate_all(const uint8_t *orig, size_t len, size_t stride)
{
    uint8_t *buf = malloc(len + 1);
    if (!buf)
        return;
    for (size_t cut = 0; cut < len; cut += (cut < 64 ? 1 : stride)) {
        memcpy(buf, orig, cut);
        NT_CHECK(exercise(buf, cut) != CF_OK);
    }
    static const uint8_t vals[] = {0x00, 0xff, 0x01, 0x80, 0x3f, 0x07};
    for (size_t i = 0; i < len; i += (i < 64 ? 1 : stride)) {
        for (size_t v = 0; v < sizeof vals; v++) {
            memcpy(buf, orig, len);
            buf[i] = (uint8_t)(i % 2 ? orig[i] ^ vals[v] : vals[v]);
            exercise(buf, len);
        }
    }
    free(buf);
}

static void test_truncations_and_mutations(void)
{
    bb b;
    build_class(&b);
    NT_CHECK(exercise(b.d, b.n) == CF_OK);
    mutate_all(b.d, b.n, 1);
}

static void test_garbage(void)
{
    uint32_t x = 12345;
    uint8_t buf[2048];
    bb b;
    build_class(&b);
    for (int round = 0; round < 20000; round++) {
        size_t len = 0;
        x = x * 1103515245u + 12345u;
        len = (x >> 8) % sizeof buf;
        for (size_t i = 0; i < len; i++) {
            x = x * 1103515245u + 12345u;
            buf[i] = (uint8_t)(x >> 16);
        }
        if (round % 2 && len > 10) { /* a valid header, then garbage */
            memcpy(buf, b.d, 10);
        } else if (round % 3 == 0 && len >= b.n) { /* valid class with a garbage burst */
            size_t at = (x >> 4) % b.n;
            memcpy(buf, b.d, b.n);
            for (size_t k = at; k < at + 4 && k < b.n; k++)
                buf[k] ^= (uint8_t)(x >> (k % 24));
            len = b.n;
        }
        exercise(buf, len);
    }
}

static void test_files(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            printf("note: %s not present, not mutated\n", argv[i]);
            continue;
        }
        static uint8_t data[1 << 20];
        size_t n = fread(data, 1, sizeof data, f);
        fclose(f);
        NT_CHECK(exercise(data, n) == CF_OK);
        size_t stride = n / 1000 + 1; /* keeps a 20 KB class at a few seconds with ASan */
        mutate_all(data, n, stride);
        printf("mutated %s (%zu bytes, every %zu-th byte)\n", argv[i], n, stride);
    }
}

static int g_argc;
static char **g_argv;
static void test_real_files(void) { test_files(g_argc, g_argv); }

int main(int argc, char **argv)
{
    g_argc = argc;
    g_argv = argv;
    NT_RUN(test_parse);
    NT_RUN(test_rewrite_exact);
    NT_RUN(test_refusals);
    NT_RUN(test_member_parts);
    NT_RUN(test_hook_descriptors);
    NT_RUN(test_truncations_and_mutations);
    NT_RUN(test_garbage);
    NT_RUN(test_real_files);
    NT_DONE();
}
