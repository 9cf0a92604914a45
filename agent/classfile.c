/* classfile.c - bounded class-file parser and entry-hook injector (see classfile.h). */
#include "classfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    ACC_STATIC = 0x0008,
    ACC_NATIVE = 0x0100,
    ACC_ABSTRACT = 0x0400
};

enum {
    TAG_UTF8 = 1,
    TAG_INTEGER = 3,
    TAG_FLOAT = 4,
    TAG_LONG = 5,
    TAG_DOUBLE = 6,
    TAG_CLASS = 7,
    TAG_STRING = 8,
    TAG_FIELDREF = 9,
    TAG_METHODREF = 10,
    TAG_IMETHODREF = 11,
    TAG_NAMEANDTYPE = 12,
    TAG_METHODHANDLE = 15,
    TAG_METHODTYPE = 16,
    TAG_DYNAMIC = 17,
    TAG_INVOKEDYNAMIC = 18,
    TAG_MODULE = 19,
    TAG_PACKAGE = 20
};

#define CF_MAX_SLOTS 255u /* JVMS 4.3.3: parameter slots incl. `this` */

typedef struct cf_method {
    size_t start, end;           /* method_info bytes */
    size_t code_attr, code_end;  /* whole Code attribute incl. its 6-byte header; 0 if none */
    uint16_t access, name_idx, desc_idx;
    uint16_t max_stack, max_locals;
    uint32_t code_length;
} cf_method;

struct cf_class {
    uint8_t *data;
    size_t len;
    uint16_t minor, major;
    uint16_t cp_count;
    uint32_t *cp_off; /* offset of the tag byte of each usable entry; 0 = unusable */
    size_t cp_end;    /* offset just after the constant pool */
    char *name;
    cf_method *methods;
    size_t nmethods;
};

/* ------------------------------------------------------------------ errors */

const char *cf_status_str(cf_status st)
{
    switch (st) {
    case CF_OK: return "ok";
    case CF_ERR_TRUNCATED: return "truncated class file";
    case CF_ERR_MALFORMED: return "malformed class file";
    case CF_ERR_UNSUPPORTED: return "unsupported class file construct";
    case CF_ERR_NOMEM: return "out of memory";
    case CF_ERR_ARG: return "invalid argument";
    }
    return "unknown status";
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static cf_status fail(char *err, size_t err_size, cf_status st, const char *fmt, ...)
{
    if (err && err_size > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, err_size, fmt, ap);
        va_end(ap);
    }
    return st;
}

/* ------------------------------------------------------------------ reader */

typedef struct rd {
    const uint8_t *p;
    size_t len, pos;
    int bad; /* set once a read ran past the end; all later reads return 0 */
} rd;

static int rd_need(rd *r, size_t n)
{
    if (r->bad || n > r->len - r->pos) {
        r->bad = 1;
        return 0;
    }
    return 1;
}

static uint8_t rd_u1(rd *r)
{
    if (!rd_need(r, 1))
        return 0;
    return r->p[r->pos++];
}

static uint16_t rd_u2(rd *r)
{
    if (!rd_need(r, 2))
        return 0;
    uint16_t v = (uint16_t)((unsigned)r->p[r->pos] << 8 | r->p[r->pos + 1]);
    r->pos += 2;
    return v;
}

static uint32_t rd_u4(rd *r)
{
    if (!rd_need(r, 4))
        return 0;
    uint32_t v = (uint32_t)r->p[r->pos] << 24 | (uint32_t)r->p[r->pos + 1] << 16 |
                 (uint32_t)r->p[r->pos + 2] << 8 | r->p[r->pos + 3];
    r->pos += 4;
    return v;
}

static void rd_skip(rd *r, size_t n)
{
    if (rd_need(r, n))
        r->pos += n;
}

/* ------------------------------------------------------------------ writer */

typedef struct wbuf {
    uint8_t *d;
    size_t len, cap;
    int oom;
} wbuf;

static void wb_bytes(wbuf *w, const void *src, size_t n)
{
    if (w->oom)
        return;
    if (n > w->cap - w->len) {
        size_t cap = w->cap ? w->cap : 256;
        while (n > cap - w->len) {
            if (cap > SIZE_MAX / 2) {
                w->oom = 1;
                return;
            }
            cap *= 2;
        }
        uint8_t *d = realloc(w->d, cap);
        if (!d) {
            w->oom = 1;
            return;
        }
        w->d = d;
        w->cap = cap;
    }
    if (n)
        memcpy(w->d + w->len, src, n);
    w->len += n;
}

static void wb_u1(wbuf *w, unsigned v)
{
    uint8_t b = (uint8_t)v;
    wb_bytes(w, &b, 1);
}

static void wb_u2(wbuf *w, unsigned v)
{
    uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    wb_bytes(w, b, 2);
}

static void wb_u4(wbuf *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    wb_bytes(w, b, 4);
}

static void wb_free(wbuf *w)
{
    free(w->d);
    w->d = NULL;
    w->len = w->cap = 0;
}

/* ------------------------------------------------------------------ descriptors */

/* Kinds of parameter slots, by load opcode family. */
typedef struct dparam {
    size_t off, len; /* the field descriptor within the method descriptor */
    char kind;       /* 'I' (also B C S Z), 'J', 'F', 'D', 'A' (object or array) */
} dparam;

/* Parses one field type at d[*pos]; returns its load kind or 0 if invalid. */
static char parse_field_type(const char *d, size_t len, size_t *pos)
{
    size_t p = *pos, dims = 0;
    while (p < len && d[p] == '[') {
        dims++;
        p++;
    }
    if (dims > 255 || p >= len)
        return 0;
    char kind;
    switch (d[p]) {
    case 'B': case 'C': case 'I': case 'S': case 'Z': kind = 'I'; p++; break;
    case 'J': kind = 'J'; p++; break;
    case 'F': kind = 'F'; p++; break;
    case 'D': kind = 'D'; p++; break;
    case 'L': {
        size_t q = p + 1;
        while (q < len && d[q] != ';') {
            if (d[q] == '.' || d[q] == '[' || d[q] == '(' || d[q] == ')')
                return 0;
            q++;
        }
        if (q >= len || q == p + 1)
            return 0;
        p = q + 1;
        kind = 'A';
        break;
    }
    default:
        return 0;
    }
    *pos = p;
    return dims ? 'A' : kind;
}

/* Parses a method descriptor. ps must hold CF_MAX_SLOTS entries. Returns 0 on success with
 * *np parameters occupying *slots local slots (receiver excluded), -1 if invalid. */
static int parse_method_desc(const char *d, size_t len, dparam *ps, size_t *np, unsigned *slots)
{
    size_t p = 0, n = 0;
    unsigned s = 0;
    if (len < 3 || d[0] != '(')
        return -1;
    p = 1;
    while (p < len && d[p] != ')') {
        size_t start = p;
        char k = parse_field_type(d, len, &p);
        if (!k)
            return -1;
        s += (k == 'J' || k == 'D') ? 2u : 1u;
        if (s > CF_MAX_SLOTS || n >= CF_MAX_SLOTS)
            return -1;
        ps[n].off = start;
        ps[n].len = p - start;
        ps[n].kind = k;
        n++;
    }
    if (p >= len)
        return -1;
    p++; /* ')' */
    if (p < len && d[p] == 'V') {
        p++;
    } else if (!parse_field_type(d, len, &p)) {
        return -1;
    }
    if (p != len)
        return -1;
    *np = n;
    *slots = s;
    return 0;
}

static int is_init_name(const char *n, size_t len)
{
    return len == 6 && memcmp(n, "<init>", 6) == 0;
}

static int is_clinit_name(const char *n, size_t len)
{
    return len == 8 && memcmp(n, "<clinit>", 8) == 0;
}

/* Builds "(<receiver><params>)V". pass_receiver: prepend L<class_name>; */
/* CF_HOOK_MEMBER_SLOT: the receiver fields passed instead of the receiver,
 * per class; NULL for a class without them. */
typedef struct slot_field {
    const char *name, *desc;
} slot_field;

static const slot_field *member_slot_fields(const char *class_name, size_t *n)
{
    static const slot_field method[] = {{"clazz", "Ljava/lang/Class;"},
                                        {"slot", "I"},
                                        {"name", "Ljava/lang/String;"},
                                        {"parameterTypes", "[Ljava/lang/Class;"}};
    static const slot_field ctor[] = {{"clazz", "Ljava/lang/Class;"},
                                      {"slot", "I"},
                                      {"parameterTypes", "[Ljava/lang/Class;"}};
    if (strcmp(class_name, "java/lang/reflect/Method") == 0) {
        *n = sizeof method / sizeof *method;
        return method;
    }
    if (strcmp(class_name, "java/lang/reflect/Constructor") == 0) {
        *n = sizeof ctor / sizeof *ctor;
        return ctor;
    }
    *n = 0;
    return NULL;
}

static char *build_hook_desc(const char *class_name, int pass_receiver, const char *desc,
                             const dparam *ps, size_t np, unsigned flags)
{
    static const char OBJ[] = "Ljava/lang/Object;";
    size_t cap = 3 + (pass_receiver ? strlen(class_name) + 5 * sizeof OBJ + 2 : 0) + sizeof OBJ;
    for (size_t i = 0; i < np; i++)
        cap += ps[i].len > sizeof OBJ ? ps[i].len : sizeof OBJ;
    char *out = malloc(cap + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    out[o++] = '(';
    size_t nf = 0;
    const slot_field *sf = (flags & CF_HOOK_MEMBER_SLOT) ? member_slot_fields(class_name, &nf) : NULL;
    if (pass_receiver && sf) {
        for (size_t k = 0; k < nf; k++) {
            const char *t = (flags & CF_HOOK_ERASE_REFS) && sf[k].desc[0] != 'I' ? OBJ
                                                                                  : sf[k].desc;
            memcpy(out + o, t, strlen(t));
            o += strlen(t);
        }
    } else if (pass_receiver && (flags & CF_HOOK_MEMBER_PARTS)) {
        static const char CLS[] = "Ljava/lang/Class;", STR[] = "Ljava/lang/String;";
        const char *a = (flags & CF_HOOK_ERASE_REFS) ? OBJ : CLS;
        const char *b = (flags & CF_HOOK_ERASE_REFS) ? OBJ : STR;
        memcpy(out + o, a, strlen(a));
        o += strlen(a);
        memcpy(out + o, b, strlen(b));
        o += strlen(b);
    } else if (pass_receiver) {
        if (flags & CF_HOOK_ERASE_REFS) {
            memcpy(out + o, OBJ, sizeof OBJ - 1);
            o += sizeof OBJ - 1;
        } else {
            size_t n = strlen(class_name);
            out[o++] = 'L';
            memcpy(out + o, class_name, n);
            o += n;
            out[o++] = ';';
        }
    }
    for (size_t i = 0; i < np; i++) {
        if (cf_hook_skips(flags, i))
            continue;
        if (ps[i].kind == 'A' && (flags & CF_HOOK_ERASE_REFS)) {
            memcpy(out + o, OBJ, sizeof OBJ - 1);
            o += sizeof OBJ - 1;
        } else {
            memcpy(out + o, desc + ps[i].off, ps[i].len);
            o += ps[i].len;
        }
    }
    if (flags & CF_HOOK_CALLER) {
        memcpy(out + o, OBJ, sizeof OBJ - 1);
        o += sizeof OBJ - 1;
    }
    out[o++] = ')';
    out[o++] = 'V';
    out[o] = '\0';
    return out;
}

char *cf_hook_descriptor(const char *class_name, const char *method_name, const char *method_desc,
                         int is_static, unsigned flags)
{
    dparam ps[CF_MAX_SLOTS];
    size_t np;
    unsigned slots;
    if (!class_name || !method_name || !method_desc || !*class_name)
        return NULL;
    size_t dl = strlen(method_desc);
    if (parse_method_desc(method_desc, dl, ps, &np, &slots) != 0)
        return NULL;
    size_t nl = strlen(method_name);
    int pass_receiver = !is_static && !is_init_name(method_name, nl) && !is_clinit_name(method_name, nl);
    size_t nf = 0;
    if ((flags & CF_HOOK_MEMBER_SLOT) &&
        (!pass_receiver || (flags & CF_HOOK_MEMBER_PARTS) || !member_slot_fields(class_name, &nf)))
        return NULL;
    if (pass_receiver && slots + ((flags & CF_HOOK_MEMBER_PARTS) ? 2 : nf ? nf : 1) > CF_MAX_SLOTS)
        return NULL;
    if ((flags & CF_HOOK_MEMBER_PARTS) && !pass_receiver)
        return NULL;
    return build_hook_desc(class_name, pass_receiver, method_desc, ps, np, flags);
}

/* ------------------------------------------------------------------ parsing */

static int cp_utf8(const cf_class *c, unsigned idx, const char **s, size_t *n)
{
    if (idx == 0 || idx >= c->cp_count || c->cp_off[idx] == 0)
        return -1;
    const uint8_t *e = c->data + c->cp_off[idx];
    if (e[0] != TAG_UTF8)
        return -1;
    *n = (size_t)e[1] << 8 | e[2];
    *s = (const char *)e + 3;
    return 0;
}

static int cp_utf8_eq(const cf_class *c, unsigned idx, const char *lit)
{
    const char *s;
    size_t n;
    size_t ln = strlen(lit);
    return cp_utf8(c, idx, &s, &n) == 0 && n == ln && memcmp(s, lit, n) == 0;
}

void cf_class_free(cf_class *c)
{
    if (!c)
        return;
    free(c->data);
    free(c->cp_off);
    free(c->name);
    free(c->methods);
    free(c);
}

/* Skips attributes; checks each name index is a Utf8 entry. Returns 0 or -1 (malformed). */
static int skip_attributes(const cf_class *c, rd *r)
{
    uint16_t n = rd_u2(r);
    for (unsigned i = 0; i < n && !r->bad; i++) {
        uint16_t name = rd_u2(r);
        uint32_t len = rd_u4(r);
        const char *s;
        size_t sl;
        if (r->bad)
            return 0;
        if (cp_utf8(c, name, &s, &sl) != 0)
            return -1;
        rd_skip(r, len);
    }
    return 0;
}

#define PARSE_FAIL(st, ...)                                   \
    do {                                                      \
        status = fail(err, err_size, (st), __VA_ARGS__);      \
        goto out;                                             \
    } while (0)
#define CHECK_TRUNC(what)                                                          \
    do {                                                                           \
        if (r.bad)                                                                 \
            PARSE_FAIL(CF_ERR_TRUNCATED, "truncated in %s at byte %zu", (what), r.pos); \
    } while (0)

cf_status cf_parse(const uint8_t *data, size_t len, cf_class **out, char *err, size_t err_size)
{
    cf_status status = CF_OK;
    if (err && err_size)
        err[0] = '\0';
    if (!out)
        return fail(err, err_size, CF_ERR_ARG, "out is NULL");
    *out = NULL;
    if (!data && len)
        return fail(err, err_size, CF_ERR_ARG, "data is NULL");
    if (len > UINT32_MAX)
        return fail(err, err_size, CF_ERR_UNSUPPORTED, "class file larger than 4 GiB");

    cf_class *c = calloc(1, sizeof *c);
    if (!c)
        return fail(err, err_size, CF_ERR_NOMEM, "out of memory");
    c->data = malloc(len ? len : 1);
    if (!c->data)
        PARSE_FAIL(CF_ERR_NOMEM, "out of memory");
    if (len)
        memcpy(c->data, data, len);
    c->len = len;

    rd r = {c->data, len, 0, 0};
    uint32_t magic = rd_u4(&r);
    c->minor = rd_u2(&r);
    c->major = rd_u2(&r);
    c->cp_count = rd_u2(&r);
    CHECK_TRUNC("header");
    if (magic != 0xCAFEBABEu)
        PARSE_FAIL(CF_ERR_MALFORMED, "bad magic 0x%08X", (unsigned)magic);
    if (c->major < 45)
        PARSE_FAIL(CF_ERR_MALFORMED, "bad class file version %u.%u", c->major, c->minor);
    if (c->major > CF_MAX_MAJOR_VERSION)
        PARSE_FAIL(CF_ERR_UNSUPPORTED, "class file version %u.%u is newer than %u", c->major,
                   c->minor, CF_MAX_MAJOR_VERSION);
    if (c->cp_count == 0)
        PARSE_FAIL(CF_ERR_MALFORMED, "constant_pool_count is 0");
    c->cp_off = calloc(c->cp_count, sizeof *c->cp_off);
    if (!c->cp_off)
        PARSE_FAIL(CF_ERR_NOMEM, "out of memory");

    for (unsigned i = 1; i < c->cp_count; i++) {
        size_t off = r.pos;
        uint8_t tag = rd_u1(&r);
        CHECK_TRUNC("constant pool");
        switch (tag) {
        case TAG_UTF8: {
            uint16_t n = rd_u2(&r);
            if (!rd_need(&r, n))
                CHECK_TRUNC("constant pool Utf8");
            for (size_t k = 0; k < n; k++) {
                uint8_t b = r.p[r.pos + k];
                if (b == 0 || b >= 0xF0)
                    PARSE_FAIL(CF_ERR_MALFORMED, "constant #%u: invalid byte 0x%02X in Utf8", i, b);
            }
            r.pos += n;
            break;
        }
        case TAG_INTEGER:
        case TAG_FLOAT:
            rd_skip(&r, 4);
            break;
        case TAG_LONG:
        case TAG_DOUBLE:
            if (i + 1 >= c->cp_count)
                PARSE_FAIL(CF_ERR_MALFORMED, "constant #%u: 8-byte constant in the last slot", i);
            rd_skip(&r, 8);
            break;
        case TAG_CLASS:
        case TAG_STRING:
        case TAG_METHODTYPE:
        case TAG_MODULE:
        case TAG_PACKAGE:
            rd_skip(&r, 2);
            break;
        case TAG_FIELDREF:
        case TAG_METHODREF:
        case TAG_IMETHODREF:
        case TAG_NAMEANDTYPE:
        case TAG_DYNAMIC:
        case TAG_INVOKEDYNAMIC:
            rd_skip(&r, 4);
            break;
        case TAG_METHODHANDLE:
            rd_skip(&r, 3);
            break;
        default:
            PARSE_FAIL(CF_ERR_MALFORMED, "constant #%u: unknown tag %u at byte %zu", i, tag, off);
        }
        CHECK_TRUNC("constant pool");
        c->cp_off[i] = (uint32_t)off;
        if (tag == TAG_LONG || tag == TAG_DOUBLE)
            i++; /* the next slot is unusable: cp_off stays 0 */
    }
    c->cp_end = r.pos;

    (void)rd_u2(&r); /* access_flags */
    uint16_t this_class = rd_u2(&r);
    (void)rd_u2(&r); /* super_class */
    uint16_t nif = rd_u2(&r);
    rd_skip(&r, (size_t)nif * 2);
    CHECK_TRUNC("class header");
    {
        if (this_class == 0 || this_class >= c->cp_count || c->cp_off[this_class] == 0 ||
            c->data[c->cp_off[this_class]] != TAG_CLASS)
            PARSE_FAIL(CF_ERR_MALFORMED, "this_class #%u is not a Class constant", this_class);
        const uint8_t *e = c->data + c->cp_off[this_class];
        unsigned ni = (unsigned)e[1] << 8 | e[2];
        const char *s;
        size_t n;
        if (cp_utf8(c, ni, &s, &n) != 0 || n == 0)
            PARSE_FAIL(CF_ERR_MALFORMED, "this_class name #%u is not a Utf8 constant", ni);
        c->name = malloc(n + 1);
        if (!c->name)
            PARSE_FAIL(CF_ERR_NOMEM, "out of memory");
        memcpy(c->name, s, n);
        c->name[n] = '\0';
    }

    uint16_t nfields = rd_u2(&r);
    for (unsigned i = 0; i < nfields && !r.bad; i++) {
        rd_skip(&r, 6);
        if (skip_attributes(c, &r) != 0)
            PARSE_FAIL(CF_ERR_MALFORMED, "field %u: attribute name is not a Utf8 constant", i);
    }
    CHECK_TRUNC("fields");

    uint16_t nmethods = rd_u2(&r);
    CHECK_TRUNC("methods");
    c->methods = calloc(nmethods ? nmethods : 1, sizeof *c->methods);
    if (!c->methods)
        PARSE_FAIL(CF_ERR_NOMEM, "out of memory");
    for (unsigned i = 0; i < nmethods; i++) {
        cf_method *m = &c->methods[i];
        const char *s;
        size_t sl;
        m->start = r.pos;
        m->access = rd_u2(&r);
        m->name_idx = rd_u2(&r);
        m->desc_idx = rd_u2(&r);
        uint16_t nattr = rd_u2(&r);
        CHECK_TRUNC("method");
        if (cp_utf8(c, m->name_idx, &s, &sl) != 0 || sl == 0)
            PARSE_FAIL(CF_ERR_MALFORMED, "method %u: name is not a Utf8 constant", i);
        if (cp_utf8(c, m->desc_idx, &s, &sl) != 0 || sl == 0)
            PARSE_FAIL(CF_ERR_MALFORMED, "method %u: descriptor is not a Utf8 constant", i);
        for (unsigned a = 0; a < nattr; a++) {
            size_t astart = r.pos;
            uint16_t an = rd_u2(&r);
            uint32_t al = rd_u4(&r);
            CHECK_TRUNC("method attribute");
            if (cp_utf8(c, an, &s, &sl) != 0)
                PARSE_FAIL(CF_ERR_MALFORMED, "method %u: attribute name is not a Utf8 constant", i);
            if (!rd_need(&r, al))
                CHECK_TRUNC("method attribute");
            if (sl == 4 && memcmp(s, "Code", 4) == 0) {
                if (m->code_attr)
                    PARSE_FAIL(CF_ERR_MALFORMED, "method %u: two Code attributes", i);
                if (al < 12)
                    PARSE_FAIL(CF_ERR_MALFORMED, "method %u: Code attribute too short", i);
                rd cr = {r.p + r.pos, al, 0, 0};
                m->max_stack = rd_u2(&cr);
                m->max_locals = rd_u2(&cr);
                m->code_length = rd_u4(&cr);
                if (m->code_length == 0 || m->code_length > 65535u ||
                    m->code_length > al - 12u)
                    PARSE_FAIL(CF_ERR_MALFORMED, "method %u: bad code_length %u", i,
                               (unsigned)m->code_length);
                m->code_attr = astart;
                m->code_end = r.pos + al;
            }
            r.pos += al;
        }
        m->end = r.pos;
    }
    c->nmethods = nmethods;

    if (skip_attributes(c, &r) != 0)
        PARSE_FAIL(CF_ERR_MALFORMED, "class attribute name is not a Utf8 constant");
    CHECK_TRUNC("class attributes");
    if (r.pos != len)
        PARSE_FAIL(CF_ERR_MALFORMED, "%zu trailing bytes after the class file", len - r.pos);

out:
    if (status != CF_OK) {
        cf_class_free(c);
        return status;
    }
    *out = c;
    return CF_OK;
}

const char *cf_class_name(const cf_class *c) { return c ? c->name : NULL; }
uint16_t cf_major_version(const cf_class *c) { return c ? c->major : 0; }
uint16_t cf_minor_version(const cf_class *c) { return c ? c->minor : 0; }
unsigned cf_constant_pool_count(const cf_class *c) { return c ? c->cp_count : 0; }
size_t cf_method_count(const cf_class *c) { return c ? c->nmethods : 0; }

int cf_method_at(const cf_class *c, size_t i, cf_method_info *info)
{
    if (!c || !info || i >= c->nmethods)
        return -1;
    const cf_method *m = &c->methods[i];
    /* indices were validated by cf_parse */
    cp_utf8(c, m->name_idx, &info->name, &info->name_len);
    cp_utf8(c, m->desc_idx, &info->desc, &info->desc_len);
    info->access_flags = m->access;
    info->has_code = m->code_attr != 0;
    info->code_length = m->code_length;
    info->max_stack = m->max_stack;
    info->max_locals = m->max_locals;
    return 0;
}

long cf_find_method(const cf_class *c, const char *name, const char *desc)
{
    if (!c || !name || !desc)
        return -1;
    for (size_t i = 0; i < c->nmethods; i++) {
        if (cp_utf8_eq(c, c->methods[i].name_idx, name) &&
            cp_utf8_eq(c, c->methods[i].desc_idx, desc))
            return (long)i;
    }
    return -1;
}

/* ------------------------------------------------------------------ new constants */

typedef struct cpx {
    const cf_class *c;  /* the class: an entry it has already is not appended */
    uint16_t *old;      /* open-addressing table of c's Utf8/Class/ref entries, 0 = empty */
    size_t old_mask;    /* table size - 1 (0: not built yet) */
    int old_oom;        /* the table could not be allocated: only appended entries are shared */
    wbuf buf;           /* serialized entries to append */
    unsigned next;      /* index the next entry gets */
    size_t n;           /* entries recorded for de-duplication */
    size_t cap;
    size_t *off;        /* offset of each entry in buf */
    size_t *len;
    unsigned *idx;
} cpx;

static void cpx_free(cpx *x)
{
    free(x->old);
    wb_free(&x->buf);
    free(x->off);
    free(x->len);
    free(x->idx);
}

static uint32_t cpx_hash(const uint8_t *e, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ e[i]) * 16777619u;
    return h;
}

/* Serialized length of the class's entry idx if it is of a kind cpx_add appends (Utf8,
 * Class, NameAndType, field and method refs), else 0. */
static size_t cpx_old_len(const cf_class *c, unsigned idx)
{
    if (c->cp_off[idx] == 0)
        return 0;
    const uint8_t *e = c->data + c->cp_off[idx];
    switch (e[0]) {
    case TAG_UTF8: return 3 + ((size_t)e[1] << 8 | e[2]);
    case TAG_CLASS: return 3;
    case TAG_NAMEANDTYPE:
    case TAG_FIELDREF:
    case TAG_METHODREF:
    case TAG_IMETHODREF: return 5;
    default: return 0;
    }
}

/* Index of an entry of the class equal to ent[0..n), 0 if none. New constants reuse the
 * class's own entries: when RetransformClasses merges the new pool into the old one, an
 * entry at its old index costs one comparison, an appended one a scan of the whole old
 * pool (ConstantPool::find_matching_entry) — 1 611 entries for java.lang.Class. */
static unsigned cpx_find_old(cpx *x, const uint8_t *ent, size_t n)
{
    const cf_class *c = x->c;
    if (!c || x->old_oom)
        return 0;
    if (!x->old_mask) {
        size_t size = 64;
        while (size < 2u * c->cp_count)
            size *= 2;
        x->old = calloc(size, sizeof *x->old);
        if (!x->old) {
            x->old_oom = 1;
            return 0;
        }
        x->old_mask = size - 1;
        for (unsigned i = 1; i < c->cp_count; i++) {
            size_t len = cpx_old_len(c, i);
            if (!len)
                continue;
            size_t h = cpx_hash(c->data + c->cp_off[i], len) & x->old_mask;
            while (x->old[h])
                h = (h + 1) & x->old_mask;
            x->old[h] = (uint16_t)i;
        }
    }
    for (size_t h = cpx_hash(ent, n) & x->old_mask; x->old[h]; h = (h + 1) & x->old_mask) {
        unsigned i = x->old[h];
        if (cpx_old_len(c, i) == n && memcmp(c->data + c->cp_off[i], ent, n) == 0)
            return i;
    }
    return 0;
}

/* Finds or appends an entry whose serialized form is ent[0..n). Returns its index, 0 on
 * failure (out of memory or constant pool full). */
static unsigned cpx_add(cpx *x, const uint8_t *ent, size_t n)
{
    unsigned found = cpx_find_old(x, ent, n);
    if (found)
        return found;
    for (size_t i = 0; i < x->n; i++)
        if (x->len[i] == n && memcmp(x->buf.d + x->off[i], ent, n) == 0)
            return x->idx[i];
    if (x->next > 65534u)
        return 0;
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 16;
        size_t *o = realloc(x->off, cap * sizeof *o);
        if (!o)
            return 0;
        x->off = o;
        size_t *l = realloc(x->len, cap * sizeof *l);
        if (!l)
            return 0;
        x->len = l;
        unsigned *ix = realloc(x->idx, cap * sizeof *ix);
        if (!ix)
            return 0;
        x->idx = ix;
        x->cap = cap;
    }
    x->off[x->n] = x->buf.len;
    x->len[x->n] = n;
    x->idx[x->n] = x->next;
    wb_bytes(&x->buf, ent, n);
    if (x->buf.oom)
        return 0;
    x->n++;
    return x->next++;
}

static unsigned cpx_utf8(cpx *x, const char *s)
{
    size_t n = strlen(s);
    if (n > 65535u)
        return 0;
    uint8_t *e = malloc(n + 3);
    if (!e)
        return 0;
    e[0] = TAG_UTF8;
    e[1] = (uint8_t)(n >> 8);
    e[2] = (uint8_t)n;
    memcpy(e + 3, s, n);
    unsigned i = cpx_add(x, e, n + 3);
    free(e);
    return i;
}

static unsigned cpx_ref(cpx *x, uint8_t tag, unsigned a, unsigned b, int two)
{
    uint8_t e[5] = {tag, (uint8_t)(a >> 8), (uint8_t)a, (uint8_t)(b >> 8), (uint8_t)b};
    if (!a || (two && !b))
        return 0;
    return cpx_add(x, e, two ? 5 : 3);
}

/* ------------------------------------------------------------------ code rewriting */

static void emit_load(wbuf *w, char kind, unsigned slot)
{
    unsigned shortbase, op;
    switch (kind) {
    case 'I': shortbase = 0x1a; op = 0x15; break;
    case 'J': shortbase = 0x1e; op = 0x16; break;
    case 'F': shortbase = 0x22; op = 0x17; break;
    case 'D': shortbase = 0x26; op = 0x18; break;
    default: shortbase = 0x2a; op = 0x19; break;
    }
    if (slot <= 3) {
        wb_u1(w, shortbase + slot);
    } else if (slot <= 255) {
        wb_u1(w, op);
        wb_u1(w, slot);
    } else {
        wb_u1(w, 0xc4); /* wide */
        wb_u1(w, op);
        wb_u2(w, slot);
    }
}

/* Copies one verification_type_info, shifting Uninitialized(offset). */
static int copy_vtype(rd *r, wbuf *w, uint32_t code_len, unsigned shift)
{
    uint8_t tag = rd_u1(r);
    if (r->bad)
        return -1;
    if (tag > 8)
        return -2;
    wb_u1(w, tag);
    if (tag == 7) {
        wb_u2(w, rd_u2(r));
    } else if (tag == 8) {
        uint16_t off = rd_u2(r);
        if (r->bad)
            return -1;
        if (off >= code_len)
            return -2;
        wb_u2(w, off + shift);
    }
    return r->bad ? -1 : 0;
}

/* Rewrites a StackMapTable body. Returns 0, -1 truncated, -2 malformed. */
static int rewrite_stackmap(rd *r, wbuf *w, uint32_t code_len, unsigned shift)
{
    uint16_t n = rd_u2(r);
    wb_u2(w, n);
    for (unsigned i = 0; i < n; i++) {
        uint8_t type = rd_u1(r);
        unsigned delta;
        int rc;
        if (r->bad)
            return -1;
        if (type < 64) {
            delta = type;
        } else if (type < 128) {
            delta = type - 64u;
        } else if (type < 247) {
            return -2; /* reserved */
        } else {
            delta = rd_u2(r);
        }
        if (i == 0)
            delta += shift;
        if (delta > 65535u)
            return -2;
        if (type < 64 || type == 251) {
            if (type < 64 && delta <= 63) {
                wb_u1(w, delta);
            } else {
                wb_u1(w, 251);
                wb_u2(w, delta);
            }
        } else if (type < 128 || type == 247) {
            if (type < 128 && delta <= 63) {
                wb_u1(w, 64 + delta);
            } else {
                wb_u1(w, 247);
                wb_u2(w, delta);
            }
            if ((rc = copy_vtype(r, w, code_len, shift)) != 0)
                return rc;
        } else if (type <= 250) { /* chop */
            wb_u1(w, type);
            wb_u2(w, delta);
        } else if (type <= 254) { /* append */
            wb_u1(w, type);
            wb_u2(w, delta);
            for (unsigned k = 0; k < type - 251u; k++)
                if ((rc = copy_vtype(r, w, code_len, shift)) != 0)
                    return rc;
        } else { /* full_frame */
            wb_u1(w, type);
            wb_u2(w, delta);
            uint16_t nl = rd_u2(r);
            wb_u2(w, nl);
            for (unsigned k = 0; k < nl; k++)
                if ((rc = copy_vtype(r, w, code_len, shift)) != 0)
                    return rc;
            uint16_t ns = rd_u2(r);
            wb_u2(w, ns);
            for (unsigned k = 0; k < ns; k++)
                if ((rc = copy_vtype(r, w, code_len, shift)) != 0)
                    return rc;
        }
        if (r->bad)
            return -1;
    }
    return 0;
}

typedef struct mctx {
    const char *mname;
    size_t mname_len;
    const char *mdesc;
    size_t mdesc_len;
} mctx;

#define MFAIL(st, fmt, ...)                                                                  \
    fail(err, err_size, (st), "method %.*s%.*s: " fmt, (int)mc->mname_len, mc->mname,        \
         (int)mc->mdesc_len, mc->mdesc, __VA_ARGS__)

/* Writes the new Code attribute of method m into w. */
static cf_status rewrite_code(const cf_class *c, const cf_method *m, const mctx *mc,
                              const wbuf *inj, unsigned pushed, wbuf *w, char *err,
                              size_t err_size)
{
    rd r = {c->data + m->code_attr, m->code_end - m->code_attr, 0, 0};
    const unsigned shift = (unsigned)inj->len;
    uint16_t name_idx = rd_u2(&r);
    (void)rd_u4(&r); /* attribute_length: equals the range, checked by cf_parse */
    uint16_t max_stack = rd_u2(&r);
    uint16_t max_locals = rd_u2(&r);
    uint32_t code_len = rd_u4(&r);
    const uint8_t *code = r.p + r.pos;
    rd_skip(&r, code_len);
    if (r.bad)
        return MFAIL(CF_ERR_TRUNCATED, "%s", "Code attribute truncated");
    if ((uint64_t)code_len + shift > 65535u)
        return MFAIL(CF_ERR_UNSUPPORTED, "code_length %u + %u exceeds 65535", (unsigned)code_len,
                     shift);

    wbuf body = {0};
    cf_status st = CF_OK;
    wb_u2(&body, pushed > max_stack ? pushed : max_stack);
    wb_u2(&body, max_locals);
    wb_u4(&body, code_len + shift);
    wb_bytes(&body, inj->d, inj->len);
    wb_bytes(&body, code, code_len);

    uint16_t nex = rd_u2(&r);
    wb_u2(&body, nex);
    for (unsigned i = 0; i < nex; i++) {
        uint16_t s = rd_u2(&r), e = rd_u2(&r), h = rd_u2(&r), t = rd_u2(&r);
        if (r.bad)
            break;
        if (s >= e || e > code_len || h >= code_len) {
            st = MFAIL(CF_ERR_MALFORMED, "bad exception table entry %u", i);
            goto done;
        }
        wb_u2(&body, s + shift);
        wb_u2(&body, e + shift);
        wb_u2(&body, h + shift);
        wb_u2(&body, t);
    }
    uint16_t nattr = rd_u2(&r);
    if (r.bad) {
        st = MFAIL(CF_ERR_TRUNCATED, "%s", "Code attribute truncated");
        goto done;
    }
    wb_u2(&body, nattr);
    for (unsigned a = 0; a < nattr; a++) {
        uint16_t an = rd_u2(&r);
        uint32_t al = rd_u4(&r);
        const char *s;
        size_t sl;
        if (r.bad || !rd_need(&r, al)) {
            st = MFAIL(CF_ERR_TRUNCATED, "%s", "Code attribute truncated");
            goto done;
        }
        if (cp_utf8(c, an, &s, &sl) != 0) {
            st = MFAIL(CF_ERR_MALFORMED, "%s", "Code attribute name is not a Utf8 constant");
            goto done;
        }
        rd ar = {r.p + r.pos, al, 0, 0};
        r.pos += al;
        wbuf ab = {0};
        int rc = 0;
        if (sl == 15 && memcmp(s, "LineNumberTable", 15) == 0) {
            uint16_t n = rd_u2(&ar);
            if (ar.bad || al != 2u + 4u * n) {
                rc = -2;
            } else {
                wb_u2(&ab, n);
                for (unsigned k = 0; k < n; k++) {
                    uint16_t pc = rd_u2(&ar), line = rd_u2(&ar);
                    if (pc >= code_len) {
                        rc = -2;
                        break;
                    }
                    wb_u2(&ab, pc == 0 ? 0 : pc + shift);
                    wb_u2(&ab, line);
                }
            }
        } else if ((sl == 18 && memcmp(s, "LocalVariableTable", 18) == 0) ||
                   (sl == 22 && memcmp(s, "LocalVariableTypeTable", 22) == 0)) {
            uint16_t n = rd_u2(&ar);
            if (ar.bad || al != 2u + 10u * n) {
                rc = -2;
            } else {
                wb_u2(&ab, n);
                for (unsigned k = 0; k < n; k++) {
                    uint16_t pc = rd_u2(&ar), len = rd_u2(&ar);
                    uint16_t nm = rd_u2(&ar), ds = rd_u2(&ar), ix = rd_u2(&ar);
                    if ((uint32_t)pc + len > code_len) {
                        rc = -2;
                        break;
                    }
                    if (pc == 0) {
                        wb_u2(&ab, 0);
                        wb_u2(&ab, len + shift);
                    } else {
                        wb_u2(&ab, pc + shift);
                        wb_u2(&ab, len);
                    }
                    wb_u2(&ab, nm);
                    wb_u2(&ab, ds);
                    wb_u2(&ab, ix);
                }
            }
        } else if (sl == 13 && memcmp(s, "StackMapTable", 13) == 0) {
            rc = rewrite_stackmap(&ar, &ab, code_len, shift);
            if (rc == 0 && ar.pos != al)
                rc = -2;
        } else {
            wb_free(&ab);
            st = MFAIL(CF_ERR_UNSUPPORTED, "Code attribute %.*s is not supported", (int)sl, s);
            goto done;
        }
        if (rc == 0 && ar.bad)
            rc = -1;
        if (rc != 0) {
            wb_free(&ab);
            st = MFAIL(rc == -1 ? CF_ERR_TRUNCATED : CF_ERR_MALFORMED, "bad %.*s attribute",
                       (int)sl, s);
            goto done;
        }
        if (ab.oom) {
            wb_free(&ab);
            st = MFAIL(CF_ERR_NOMEM, "%s", "out of memory");
            goto done;
        }
        wb_u2(&body, an);
        wb_u4(&body, (uint32_t)ab.len);
        wb_bytes(&body, ab.d, ab.len);
        wb_free(&ab);
    }
    if (r.bad) {
        st = MFAIL(CF_ERR_TRUNCATED, "%s", "Code attribute truncated");
        goto done;
    }
    if (r.pos != r.len) {
        st = MFAIL(CF_ERR_MALFORMED, "%s", "Code attribute length mismatch");
        goto done;
    }
    if (body.oom) {
        st = MFAIL(CF_ERR_NOMEM, "%s", "out of memory");
        goto done;
    }
    wb_u2(w, name_idx);
    wb_u4(w, (uint32_t)body.len);
    wb_bytes(w, body.d, body.len);
done:
    wb_free(&body);
    return st;
}

/* ------------------------------------------------------------------ annotations */

/* Skips one element_value (JVMS 4.7.16.1). Returns 0, or -1 on a bad tag / depth. */
static int skip_element_value(rd *r, int depth)
{
    if (depth > 32)
        return -1;
    uint8_t tag = rd_u1(r);
    switch (tag) {
    case 'B': case 'C': case 'D': case 'F': case 'I': case 'J': case 'S': case 'Z':
    case 's': case 'c':
        rd_skip(r, 2);
        return 0;
    case 'e':
        rd_skip(r, 4);
        return 0;
    case '@': {
        rd_skip(r, 2);
        uint16_t n = rd_u2(r);
        for (unsigned i = 0; i < n && !r->bad; i++) {
            rd_skip(r, 2);
            if (skip_element_value(r, depth + 1) != 0)
                return -1;
        }
        return 0;
    }
    case '[': {
        uint16_t n = rd_u2(r);
        for (unsigned i = 0; i < n && !r->bad; i++)
            if (skip_element_value(r, depth + 1) != 0)
                return -1;
        return 0;
    }
    default:
        return r->bad ? 0 : -1;
    }
}

int cf_method_has_annotation(const cf_class *c, size_t i, const char *type_desc)
{
    if (!c || !type_desc || i >= c->nmethods)
        return 0;
    const cf_method *m = &c->methods[i];
    rd r = {c->data + m->start, m->end - m->start, 0, 0};
    rd_skip(&r, 6);
    uint16_t nattr = rd_u2(&r);
    for (unsigned a = 0; a < nattr && !r.bad; a++) {
        uint16_t an = rd_u2(&r);
        uint32_t al = rd_u4(&r);
        if (r.bad || !rd_need(&r, al))
            return 0;
        rd ar = {r.p + r.pos, al, 0, 0};
        r.pos += al;
        if (!cp_utf8_eq(c, an, "RuntimeVisibleAnnotations") &&
            !cp_utf8_eq(c, an, "RuntimeInvisibleAnnotations"))
            continue;
        uint16_t n = rd_u2(&ar);
        for (unsigned k = 0; k < n && !ar.bad; k++) {
            uint16_t type = rd_u2(&ar);
            if (ar.bad)
                break;
            if (cp_utf8_eq(c, type, type_desc))
                return 1;
            uint16_t npairs = rd_u2(&ar);
            for (unsigned q = 0; q < npairs && !ar.bad; q++) {
                rd_skip(&ar, 2);
                if (skip_element_value(&ar, 0) != 0)
                    return 0;
            }
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ instrumentation */

cf_status cf_instrument(const cf_class *c, const char *hook_class, const cf_hook_spec *specs,
                        size_t nspecs, uint8_t **out, size_t *out_len, int *done, char *err,
                        size_t err_size)
{
    if (err && err_size)
        err[0] = '\0';
    if (!out || !out_len)
        return fail(err, err_size, CF_ERR_ARG, "out/out_len is NULL");
    *out = NULL;
    *out_len = 0;
    if (!c || !hook_class || !*hook_class || (nspecs && !specs))
        return fail(err, err_size, CF_ERR_ARG, "class, hook class or specs missing");
    if (strlen(hook_class) > 65535u)
        return fail(err, err_size, CF_ERR_ARG, "hook class name too long");
    if (done)
        for (size_t i = 0; i < nspecs; i++)
            done[i] = 0;

    cf_status st = CF_OK;
    long *spec_of = malloc((c->nmethods ? c->nmethods : 1) * sizeof *spec_of);
    uint16_t *mref = calloc(c->nmethods ? c->nmethods : 1, sizeof *mref);
    cpx x = {0};
    wbuf w = {0};
    wbuf inj = {0};
    dparam *ps = malloc(CF_MAX_SLOTS * sizeof *ps);
    if (!spec_of || !mref || !ps) {
        st = fail(err, err_size, CF_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < c->nmethods; i++)
        spec_of[i] = -1;

    size_t applied = 0;
    for (size_t s = 0; s < nspecs; s++) {
        const cf_hook_spec *sp = &specs[s];
        size_t np;
        unsigned slots;
        if (!sp->method_name || !sp->method_desc || !sp->hook_name || !*sp->hook_name ||
            strlen(sp->hook_name) > 65535u ||
            parse_method_desc(sp->method_desc, strlen(sp->method_desc), ps, &np, &slots) != 0) {
            st = fail(err, err_size, CF_ERR_ARG, "spec %zu: missing name or invalid descriptor", s);
            goto out;
        }
        long mi = cf_find_method(c, sp->method_name, sp->method_desc);
        if (mi < 0)
            continue;
        if (spec_of[mi] >= 0) {
            st = fail(err, err_size, CF_ERR_ARG, "specs %ld and %zu select the same method %s%s",
                      spec_of[mi], s, sp->method_name, sp->method_desc);
            goto out;
        }
        spec_of[mi] = (long)s;
        applied++;
    }
    if (applied == 0)
        goto out;

    x.c = c;
    x.next = c->cp_count;
    unsigned hook_cls = cpx_ref(&x, TAG_CLASS, cpx_utf8(&x, hook_class), 0, 0);
    if (!hook_cls) {
        st = fail(err, err_size, x.buf.oom ? CF_ERR_NOMEM : CF_ERR_UNSUPPORTED,
                  "cannot add constants (constant pool full or out of memory)");
        goto out;
    }
    unsigned caller_ref = 0;
    for (size_t i = 0; i < c->nmethods; i++) {
        if (spec_of[i] < 0 || !(specs[spec_of[i]].flags & CF_HOOK_CALLER))
            continue;
        if (!cf_method_has_annotation(c, i, CF_CALLER_SENSITIVE)) {
            const cf_hook_spec *sp = &specs[spec_of[i]];
            st = fail(err, err_size, CF_ERR_UNSUPPORTED,
                      "method %s%s: CF_HOOK_CALLER needs a @CallerSensitive method",
                      sp->method_name, sp->method_desc);
            goto out;
        }
        if (!caller_ref) {
            unsigned rc = cpx_ref(&x, TAG_CLASS, cpx_utf8(&x, "jdk/internal/reflect/Reflection"), 0, 0);
            unsigned rn = cpx_utf8(&x, "getCallerClass");
            unsigned rdsc = cpx_utf8(&x, "()Ljava/lang/Class;");
            unsigned rnat = cpx_ref(&x, TAG_NAMEANDTYPE, rn, rdsc, 1);
            caller_ref = cpx_ref(&x, TAG_METHODREF, rc, rnat, 1);
            if (!caller_ref) {
                st = fail(err, err_size, x.buf.oom ? CF_ERR_NOMEM : CF_ERR_UNSUPPORTED,
                          "cannot add constants (constant pool full or out of memory)");
                goto out;
            }
        }
    }
    unsigned parts_ref[2] = {0, 0}; /* <this>.getDeclaringClass(), <this>.getName() */
    for (size_t i = 0; i < c->nmethods; i++) {
        if (spec_of[i] < 0 || !(specs[spec_of[i]].flags & CF_HOOK_MEMBER_PARTS))
            continue;
        const cf_hook_spec *sp = &specs[spec_of[i]];
        if ((c->methods[i].access & ACC_STATIC) || strcmp(sp->method_name, "<init>") == 0 ||
            strcmp(sp->method_name, "<clinit>") == 0) {
            st = fail(err, err_size, CF_ERR_UNSUPPORTED,
                      "method %s%s: CF_HOOK_MEMBER_PARTS needs an instance method",
                      sp->method_name, sp->method_desc);
            goto out;
        }
        if (!parts_ref[0]) {
            static const char *const pn[2] = {"getDeclaringClass", "getName"};
            static const char *const pd[2] = {"()Ljava/lang/Class;", "()Ljava/lang/String;"};
            unsigned self = cpx_ref(&x, TAG_CLASS, cpx_utf8(&x, c->name), 0, 0);
            for (int k = 0; k < 2; k++) {
                unsigned nat = cpx_ref(&x, TAG_NAMEANDTYPE, cpx_utf8(&x, pn[k]),
                                       cpx_utf8(&x, pd[k]), 1);
                parts_ref[k] = self && nat ? cpx_ref(&x, TAG_METHODREF, self, nat, 1) : 0;
            }
            if (!parts_ref[0] || !parts_ref[1]) {
                st = fail(err, err_size, x.buf.oom ? CF_ERR_NOMEM : CF_ERR_UNSUPPORTED,
                          "cannot add constants (constant pool full or out of memory)");
                goto out;
            }
        }
    }
    unsigned slot_ref[4] = {0, 0, 0, 0}; /* <this>.clazz, .slot, [.name,] .parameterTypes */
    size_t n_slot = 0;
    for (size_t i = 0; i < c->nmethods; i++) {
        if (spec_of[i] < 0 || !(specs[spec_of[i]].flags & CF_HOOK_MEMBER_SLOT))
            continue;
        const cf_hook_spec *sp = &specs[spec_of[i]];
        const slot_field *sf = member_slot_fields(c->name, &n_slot);
        if (!sf || (sp->flags & CF_HOOK_MEMBER_PARTS) || (c->methods[i].access & ACC_STATIC) ||
            strcmp(sp->method_name, "<init>") == 0 || strcmp(sp->method_name, "<clinit>") == 0) {
            st = fail(err, err_size, CF_ERR_UNSUPPORTED,
                      "method %s%s: CF_HOOK_MEMBER_SLOT needs an instance method of "
                      "java.lang.reflect.Method or Constructor",
                      sp->method_name, sp->method_desc);
            goto out;
        }
        if (!slot_ref[0]) {
            unsigned self = cpx_ref(&x, TAG_CLASS, cpx_utf8(&x, c->name), 0, 0);
            for (size_t k = 0; k < n_slot; k++) {
                unsigned nat = cpx_ref(&x, TAG_NAMEANDTYPE, cpx_utf8(&x, sf[k].name),
                                       cpx_utf8(&x, sf[k].desc), 1);
                slot_ref[k] = self && nat ? cpx_ref(&x, TAG_FIELDREF, self, nat, 1) : 0;
                if (!slot_ref[k]) {
                    st = fail(err, err_size, x.buf.oom ? CF_ERR_NOMEM : CF_ERR_UNSUPPORTED,
                              "cannot add constants (constant pool full or out of memory)");
                    goto out;
                }
            }
        }
    }
    for (size_t i = 0; i < c->nmethods; i++) {
        if (spec_of[i] < 0)
            continue;
        const cf_hook_spec *sp = &specs[spec_of[i]];
        const cf_method *m = &c->methods[i];
        size_t np;
        unsigned slots;
        parse_method_desc(sp->method_desc, strlen(sp->method_desc), ps, &np, &slots);
        int is_static = (m->access & ACC_STATIC) || strcmp(sp->method_name, "<clinit>") == 0;
        int pass_receiver = !is_static && strcmp(sp->method_name, "<init>") != 0;
        char *hd = build_hook_desc(c->name, pass_receiver, sp->method_desc, ps, np, sp->flags);
        if (!hd) {
            st = fail(err, err_size, CF_ERR_NOMEM, "out of memory");
            goto out;
        }
        unsigned hname = cpx_utf8(&x, sp->hook_name); /* sequenced: indices are deterministic */
        unsigned hdesc = cpx_utf8(&x, hd);
        unsigned nat = cpx_ref(&x, TAG_NAMEANDTYPE, hname, hdesc, 1);
        free(hd);
        unsigned owner = hook_cls;
        if (sp->hook_class && strcmp(sp->hook_class, hook_class) != 0)
            owner = strlen(sp->hook_class) > 65535u
                        ? 0
                        : cpx_ref(&x, TAG_CLASS, cpx_utf8(&x, sp->hook_class), 0, 0);
        mref[i] = (uint16_t)cpx_ref(&x, TAG_METHODREF, owner, nat, 1);
        if (!mref[i]) {
            st = fail(err, err_size, x.buf.oom ? CF_ERR_NOMEM : CF_ERR_UNSUPPORTED,
                      "cannot add constants (constant pool full or out of memory)");
            goto out;
        }
    }

    wb_bytes(&w, c->data, 8);
    wb_u2(&w, x.next);
    wb_bytes(&w, c->data + 10, c->cp_end - 10);
    wb_bytes(&w, x.buf.d, x.buf.len);
    size_t pos = c->cp_end;
    for (size_t i = 0; i < c->nmethods; i++) {
        if (spec_of[i] < 0)
            continue;
        const cf_hook_spec *sp = &specs[spec_of[i]];
        const cf_method *m = &c->methods[i];
        mctx minfo;
        const mctx *mc = &minfo;
        cp_utf8(c, m->name_idx, &minfo.mname, &minfo.mname_len);
        cp_utf8(c, m->desc_idx, &minfo.mdesc, &minfo.mdesc_len);
        if (!m->code_attr || (m->access & (ACC_NATIVE | ACC_ABSTRACT))) {
            st = MFAIL(CF_ERR_UNSUPPORTED, "%s", "has no Code (abstract or native)");
            goto out;
        }
        size_t np;
        unsigned slots;
        parse_method_desc(sp->method_desc, strlen(sp->method_desc), ps, &np, &slots);
        int is_static = (m->access & ACC_STATIC) || strcmp(sp->method_name, "<clinit>") == 0;
        int is_init = strcmp(sp->method_name, "<init>") == 0;
        unsigned slot = is_static ? 0 : 1, pushed = 0;
        inj.len = 0;
        if (!is_static && !is_init && (sp->flags & CF_HOOK_MEMBER_SLOT)) {
            for (size_t k = 0; k < n_slot; k++) {
                emit_load(&inj, 'A', 0);
                wb_u1(&inj, 0xb4); /* getfield <this>.<field> */
                wb_u2(&inj, slot_ref[k]);
            }
            pushed = (unsigned)n_slot;
        } else if (!is_static && !is_init && (sp->flags & CF_HOOK_MEMBER_PARTS)) {
            for (int k = 0; k < 2; k++) {
                emit_load(&inj, 'A', 0);
                wb_u1(&inj, 0xb6); /* invokevirtual <this>.getDeclaringClass() / getName() */
                wb_u2(&inj, parts_ref[k]);
            }
            pushed = 2;
        } else if (!is_static && !is_init) {
            emit_load(&inj, 'A', 0);
            pushed = 1;
        }
        for (size_t k = 0; k < np; k++) {
            unsigned sz = (ps[k].kind == 'J' || ps[k].kind == 'D') ? 2u : 1u;
            if (!cf_hook_skips(sp->flags, k)) {
                emit_load(&inj, ps[k].kind, slot);
                pushed += sz;
            }
            slot += sz;
        }
        if (slot > CF_MAX_SLOTS || slot > m->max_locals) {
            st = MFAIL(CF_ERR_MALFORMED, "parameters need %u local slots, max_locals is %u", slot,
                       (unsigned)m->max_locals);
            goto out;
        }
        if (sp->flags & CF_HOOK_CALLER) {
            wb_u1(&inj, 0xb8); /* invokestatic Reflection.getCallerClass() */
            wb_u2(&inj, caller_ref);
            pushed++;
        }
        wb_u1(&inj, 0xb8); /* invokestatic */
        wb_u2(&inj, mref[i]);
        while (inj.len % 4)
            wb_u1(&inj, 0x00); /* nop */
        if (inj.oom) {
            st = fail(err, err_size, CF_ERR_NOMEM, "out of memory");
            goto out;
        }
        wb_bytes(&w, c->data + pos, m->code_attr - pos);
        st = rewrite_code(c, m, mc, &inj, pushed, &w, err, err_size);
        if (st != CF_OK)
            goto out;
        pos = m->code_end;
    }
    wb_bytes(&w, c->data + pos, c->len - pos);
    if (w.oom) {
        st = fail(err, err_size, CF_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (done)
        for (size_t i = 0; i < c->nmethods; i++)
            if (spec_of[i] >= 0)
                done[spec_of[i]] = 1;
    *out = w.d;
    *out_len = w.len;
    w.d = NULL;

out:
    if (st != CF_OK && done)
        for (size_t i = 0; i < nspecs; i++)
            done[i] = 0;
    wb_free(&w);
    wb_free(&inj);
    cpx_free(&x);
    free(spec_of);
    free(mref);
    free(ps);
    return st;
}
