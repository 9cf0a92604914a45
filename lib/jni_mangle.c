/* JNI native-method symbol names: decoding and encoding. See
 * include/nitrace/jni_mangle.h for the rules. */
#include "nitrace/jni_mangle.h"
#include "sbuf_priv.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- text buffers (sbuf_priv.h) ----------------------------------------- */

static void b_char(nt_sbuf *b, char c)
{
    nt_sb_putn(b, &c, 1);
}

/* UTF-8 encoding of code point cp. */
static void b_utf8(nt_sbuf *b, uint32_t cp)
{
    char s[4];
    size_t n;
    if (cp < 0x80) {
        s[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xc0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xe0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        s[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        s[0] = (char)(0xf0 | (cp >> 18));
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        s[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    nt_sb_putn(b, s, n);
}

/* Next code point of UTF-8 text *s (advanced); -1 when the bytes are not
 * valid UTF-8 (overlong forms, surrogates and values over U+10FFFF too). */
static long next_cp(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t cp;
    int extra;
    if (p[0] < 0x80) {
        *s = p + 1;
        return p[0];
    } else if ((p[0] & 0xe0) == 0xc0) {
        cp = p[0] & 0x1f;
        extra = 1;
    } else if ((p[0] & 0xf0) == 0xe0) {
        cp = p[0] & 0x0f;
        extra = 2;
    } else if ((p[0] & 0xf8) == 0xf0) {
        cp = p[0] & 0x07;
        extra = 3;
    } else {
        return -1;
    }
    for (int i = 1; i <= extra; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return -1;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    static const uint32_t min[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return -1;
    *s = p + extra + 1;
    return (long)cp;
}

/* ---- decoding ----------------------------------------------------------- */

static void why_set(char *why, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void why_set(char *why, size_t n, const char *fmt, ...)
{
    if (!why || n == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* One component of a mangled name, decoded to UTF-8. */
typedef struct comp {
    char *text;
    int has_sc_br; /* holds ';' or '[' (only valid in a signature) */
} comp;

/* Decode the components of s (the part after "Java_"). Components are
 * separated by '_' not followed by '0'..'3'. Returns the count, or -1 (why
 * set; *oom on NOMEM). */
static long split(const char *s, size_t base, comp **out, int *oom, char *why, size_t why_n)
{
    comp *v = NULL;
    size_t n = 0, cap = 0;
    nt_sbuf cur = {0};
    int cur_flag = 0;
    unsigned pending_hi = 0; /* a high surrogate waiting for its low half */
    size_t hi_at = 0;
    for (size_t i = 0;; i++) {
        char c = s[i];
        int sep = c == '\0' || (c == '_' && !(s[i + 1] >= '0' && s[i + 1] <= '3'));
        if (pending_hi && !(c == '_' && s[i + 1] == '0')) {
            why_set(why, why_n, "unpaired surrogate escape at offset %zu", base + hi_at);
            goto fail;
        }
        if (sep) {
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 8;
                comp *nv = realloc(v, nc * sizeof *nv);
                if (!nv) {
                    *oom = 1;
                    goto fail;
                }
                v = nv;
                cap = nc;
            }
            char *t = nt_sb_take(&cur);
            if (!t) {
                *oom = 1;
                goto fail;
            }
            v[n].text = t;
            v[n].has_sc_br = cur_flag;
            n++;
            memset(&cur, 0, sizeof cur);
            cur_flag = 0;
            if (c == '\0')
                break;
            continue;
        }
        if (c == '_') {
            char e = s[i + 1];
            if (e == '1') {
                b_char(&cur, '_');
            } else if (e == '2' || e == '3') {
                b_char(&cur, e == '2' ? ';' : '[');
                cur_flag = 1;
            } else { /* "_0xxxx" */
                unsigned u = 0;
                for (int k = 0; k < 4; k++) {
                    int h = hexval(s[i + 2 + k]);
                    if (h < 0) {
                        why_set(why, why_n, "bad escape \"_0\" at offset %zu: 4 hex digits expected",
                                base + i);
                        goto fail;
                    }
                    u = u * 16 + (unsigned)h;
                }
                if (u >= 0xd800 && u <= 0xdbff) {
                    if (pending_hi) {
                        why_set(why, why_n, "unpaired surrogate escape at offset %zu",
                                base + hi_at);
                        goto fail;
                    }
                    pending_hi = u;
                    hi_at = i;
                } else if (u >= 0xdc00 && u <= 0xdfff) {
                    if (!pending_hi) {
                        why_set(why, why_n, "unpaired surrogate escape at offset %zu", base + i);
                        goto fail;
                    }
                    b_utf8(&cur, 0x10000 + ((pending_hi - 0xd800) << 10) + (u - 0xdc00));
                    pending_hi = 0;
                } else if (u == 0) {
                    why_set(why, why_n, "escape \"_00000\" (NUL) at offset %zu", base + i);
                    goto fail;
                } else {
                    b_utf8(&cur, u);
                }
                i += 4;
            }
            i++;
            continue;
        }
        if (!is_alnum(c)) {
            why_set(why, why_n, "character 0x%02x at offset %zu is not used by JNI name mangling",
                    (unsigned)(unsigned char)c, base + i);
            goto fail;
        }
        b_char(&cur, c);
    }
    *out = v;
    return (long)n;

fail:
    free(cur.s);
    for (size_t k = 0; k < n; k++)
        free(v[k].text);
    free(v);
    return -1;
}

/* Length of one field descriptor at d (0 when malformed). */
static size_t field_desc_len(const char *d)
{
    size_t i = 0;
    while (d[i] == '[')
        i++;
    switch (d[i]) {
    case 'B': case 'C': case 'D': case 'F': case 'I': case 'J': case 'S': case 'Z':
        return i + 1;
    case 'L': {
        const char *end = strchr(d + i, ';');
        if (!end || end == d + i + 1)
            return 0;
        for (const char *p = d + i + 1; p < end; p++)
            if (*p == '.' || *p == '[' || (*p == '/' && (p[1] == '/' || p[1] == ';' ||
                                                         p == d + i + 1)))
                return 0;
        return (size_t)(end - d) + 1;
    }
    default:
        return 0;
    }
}

/* Is d (without parentheses) a sequence of field descriptors? */
static int valid_args(const char *d)
{
    while (*d) {
        size_t n = field_desc_len(d);
        if (!n)
            return 0;
        d += n;
    }
    return 1;
}

nt_status nt_jni_demangle(const char *symbol, nt_jni_native *out, char *why, size_t why_n)
{
    static const char prefix[] = "Java_";
    memset(out, 0, sizeof *out);
    why_set(why, why_n, "%s", "");
    if (!symbol || strncmp(symbol, prefix, sizeof prefix - 1) != 0) {
        why_set(why, why_n, "not a JNI native-method symbol (no \"Java_\" prefix)");
        return NT_ERR_INVAL;
    }
    comp *v = NULL;
    int oom = 0;
    long n = split(symbol + sizeof prefix - 1, sizeof prefix - 1, &v, &oom, why, why_n);
    if (n < 0)
        return oom ? NT_ERR_NOMEM : NT_ERR_PARSE;

    /* the first empty component marks "__": the argument signature follows */
    long sig_at = -1;
    for (long k = 0; k < n; k++)
        if (!v[k].text[0]) {
            sig_at = k;
            break;
        }
    long name_end = sig_at >= 0 ? sig_at : n; /* components [0, name_end): class..., method */
    nt_status st = NT_OK;
    nt_sbuf cls = {0}, sig = {0};
    if (sig_at >= 0 && sig_at == n - 1) {
        why_set(why, why_n, "trailing \"_\"");
        st = NT_ERR_PARSE;
        goto done;
    }
    if (name_end < 2) {
        why_set(why, why_n, "%s", sig_at == 0 ? "empty class name" :
                                  sig_at == 1 ? "no method name before \"__\""
                                              : "no \"_\" between class and method name");
        st = NT_ERR_PARSE;
        goto done;
    }
    for (long k = 0; k < name_end; k++)
        if (v[k].has_sc_br) {
            why_set(why, why_n, "escape \"_2\" or \"_3\" (';' or '[') outside the signature");
            st = NT_ERR_PARSE;
            goto done;
        }
    for (long k = 0; k < name_end - 1; k++) {
        if (k)
            b_char(&cls, '.');
        nt_sb_puts(&cls, v[k].text);
    }
    if (sig_at >= 0) {
        b_char(&sig, '(');
        /* "m__" splits into "m", "", "": one empty component is an empty signature */
        long first = sig_at + 1 == n - 1 && !v[n - 1].text[0] ? n : sig_at + 1;
        for (long k = first; k < n; k++) {
            if (!v[k].text[0]) {
                why_set(why, why_n, "empty component in the signature");
                st = NT_ERR_PARSE;
                goto done;
            }
            if (k > first)
                b_char(&sig, '/');
            nt_sb_puts(&sig, v[k].text);
        }
        if (!sig.oom && !valid_args(sig.s + 1)) {
            why_set(why, why_n, "\"%s\" is not an argument descriptor", sig.s + 1);
            st = NT_ERR_PARSE;
            goto done;
        }
        b_char(&sig, ')');
    }
    out->class_name = nt_sb_take(&cls);
    cls.s = NULL;
    out->method = strdup(v[name_end - 1].text);
    if (sig_at >= 0) {
        out->signature = nt_sb_take(&sig);
        sig.s = NULL;
    }
    if (!out->class_name || !out->method || (sig_at >= 0 && !out->signature)) {
        nt_jni_native_free(out);
        st = NT_ERR_NOMEM;
    }
done:
    free(cls.s);
    free(sig.s);
    for (long k = 0; k < n; k++)
        free(v[k].text);
    free(v);
    return st;
}

void nt_jni_native_free(nt_jni_native *n)
{
    if (!n)
        return;
    free(n->class_name);
    free(n->method);
    free(n->signature);
    memset(n, 0, sizeof *n);
}

/* ---- encoding ----------------------------------------------------------- */

static void mangle_unit(nt_sbuf *b, unsigned u)
{
    char s[16];
    snprintf(s, sizeof s, "_0%04x", u & 0xffffu);
    nt_sb_puts(b, s);
}

/* Mangle UTF-8 text; dots become '/' when dots_are_slashes (Java class
 * names). Returns 0, or -1 on invalid UTF-8. */
static int mangle_part(nt_sbuf *b, const char *text, int dots_are_slashes)
{
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        long cp = next_cp(&s);
        if (cp < 0)
            return -1;
        if (cp < 0x80 && is_alnum((char)cp))
            b_char(b, (char)cp);
        else if (cp == '/' || (cp == '.' && dots_are_slashes))
            b_char(b, '_');
        else if (cp == '_')
            nt_sb_puts(b, "_1");
        else if (cp == ';')
            nt_sb_puts(b, "_2");
        else if (cp == '[')
            nt_sb_puts(b, "_3");
        else if (cp >= 0x10000) {
            uint32_t v = (uint32_t)cp - 0x10000;
            mangle_unit(b, 0xd800 + (v >> 10));
            mangle_unit(b, 0xdc00 + (v & 0x3ff));
        } else
            mangle_unit(b, (unsigned)cp);
    }
    return 0;
}

char *nt_jni_mangle(const char *class_name, const char *method, const char *args)
{
    if (!class_name || !method)
        return NULL;
    nt_sbuf b = {0};
    nt_sb_puts(&b, "Java_");
    int bad = mangle_part(&b, class_name, 1);
    b_char(&b, '_');
    bad |= mangle_part(&b, method, 0);
    if (args) {
        size_t start = args[0] == '(', end = strlen(args);
        if (end > start && args[end - 1] == ')')
            end--;
        char *inner = strndup(args + start, end - start);
        if (!inner) {
            free(b.s);
            return NULL;
        }
        nt_sb_puts(&b, "__");
        bad |= mangle_part(&b, inner, 0);
        free(inner);
    }
    if (bad) {
        free(b.s);
        return NULL;
    }
    return nt_sb_take(&b);
}

/* ---- readable parameter lists ------------------------------------------- */

char *nt_jni_params_text(const char *desc)
{
    static const char *const prims[][2] = {
        {"B", "byte"}, {"C", "char"},  {"D", "double"}, {"F", "float"},
        {"I", "int"},  {"J", "long"},  {"S", "short"},  {"Z", "boolean"},
    };
    if (!desc || desc[0] != '(')
        return NULL;
    size_t n = strlen(desc);
    if (n < 2 || desc[n - 1] != ')')
        return NULL;
    char *inner = strndup(desc + 1, n - 2);
    if (!inner)
        return NULL;
    nt_sbuf b = {0};
    b_char(&b, '(');
    const char *d = inner;
    int first = 1, bad = 0;
    while (*d && !bad) {
        size_t len = field_desc_len(d);
        if (!len) {
            bad = 1;
            break;
        }
        if (!first)
            nt_sb_puts(&b, ", ");
        first = 0;
        size_t dims = 0;
        while (d[dims] == '[')
            dims++;
        if (d[dims] == 'L') {
            for (size_t i = dims + 1; i < len - 1; i++)
                b_char(&b, d[i] == '/' ? '.' : d[i]);
        } else {
            for (size_t i = 0; i < sizeof prims / sizeof *prims; i++)
                if (prims[i][0][0] == d[dims])
                    nt_sb_puts(&b, prims[i][1]);
        }
        for (size_t i = 0; i < dims; i++)
            nt_sb_puts(&b, "[]");
        d += len;
    }
    b_char(&b, ')');
    free(inner);
    if (bad) {
        free(b.s);
        return NULL;
    }
    return nt_sb_take(&b);
}
