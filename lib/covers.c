/* nitrace core: nt_covers — would a native image built with config c allow
 * access a?  Also the resource-matching helpers shared with subtraction.
 *
 * Rules (reference/graalvm-agent.md §3.3-§3.8):
 * - Types: reflection lookups need an entry in the reflection set; JNI lookups
 *   an entry in the jni set or in the reflection set (any entry of the type
 *   registers the type itself, whatever its flags and members).
 * - Methods/constructors: an explicit member with a sufficient level (an
 *   ACCESSED member covers queries; a QUERIED one never covers an
 *   invocation), a same-name entry without parameterTypes (every overload), or
 *   the all* flags of the member's kind: allDeclared* when the member is
 *   declared in the type (declared == 1), allPublic* when it is public
 *   (is_public == 1; a public method inherited from a superclass and looked
 *   up with getMethod has declared == 0, is_public == 1).  A QUERIED access is
 *   also covered by any all* / queryAll* flag of its kind: GraalVM includes
 *   the query metadata of every member of that kind in the image then, and the
 *   access record may not know whether the member is declared or public.
 * - Fields: an explicit field of that name, or allDeclaredFields / allPublic-
 *   Fields with declared / is_public as for methods.
 * - BULK (getDeclaredMethods() & co): any entry of the type with one of the
 *   flags in a->bulk.  Combined-style configs (reachability-metadata.json)
 *   cannot say queryAll*, all*Classes, allRecordComponents,
 *   allPermittedSubclasses, allNestMembers or allSigners: there, registering
 *   the type implies them (reference §3.8).  So a bulk request for any of those
 *   bits is covered by the type being registered; the bits the combined format
 *   can express (all{Declared,Public}{Fields,Methods,Constructors}) need the
 *   flag itself.
 * - Unsafe allocation: an entry with unsafeAllocated in the reflection set,
 *   or (JNI AllocObject) in the jni set; the flag is a property of the class
 *   in the image, so either set serves either kind of access.
 * - Resources: see nt_ops_resource_included.  Bundles: same name (and module
 *   when the entry names one); an entry without a locales list covers every
 *   locale; an access with an unknown locale (NULL) is covered by any entry of
 *   the bundle.  Proxies: a proxy entry with the same interfaces in the same
 *   order.  Serialization / lambda capturing: an entry of the class (or, for
 *   serialization with a->ifaces, of the proxy); for serialization, with or
 *   without a customTargetConstructorClass (an access does not say which).
 * - Conditions: an entry with a condition covers only when a->cond_type is
 *   NULL or names the condition's type (typeReached and typeReachable alike).
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "nitrace/ops.h"
#include "ops_priv.h"

/* ---- small helpers ------------------------------------------------------ */

int nt_ops_str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

int nt_ops_cond_applies(const nt_cond *entry, const char *cond_type, int strict)
{
    if (!entry || entry->kind == NT_COND_NONE)
        return 1;
    if (!cond_type)
        return !strict;
    return entry->type && strcmp(entry->type, cond_type) == 0;
}

int nt_ops_glob_is_literal(const char *glob)
{
    for (const char *p = glob; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p == '*')
            return 0;
    }
    return 1;
}

char *nt_ops_glob_unescape(const char *glob)
{
    size_t n = strlen(glob);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (glob[i] == '\\' && i + 1 < n)
            i++;
        out[j++] = glob[i];
    }
    out[j] = '\0';
    return out;
}

int nt_ops_locale_eq(const char *a, const char *b)
{
    for (;; a++, b++) {
        char x = *a == '_' ? '-' : *a, y = *b == '_' ? '-' : *b;
        if (x != y)
            return 0;
        if (!x)
            return 1;
    }
}

/* ---- Java regex -> POSIX ERE -------------------------------------------- */

/* Approximation of java.util.regex for resource patterns: GraalVM matches
 * includes/excludes with Pattern.matcher(name).matches(), i.e. the whole
 * name.  We translate the subset that resource patterns use in practice to a
 * POSIX extended regex anchored at both ends: \Q...\E quoting, escaped
 * metacharacters, \d \D \w \W \s \S, (?:...) groups, lazy (*? +? ?? {n}?) and
 * possessive (*+ ++ ?+) quantifiers (for a whole-string match they accept the
 * same strings as greedy ones, possessive ones rarely differ), and bracket
 * expressions with literal characters and ranges.  Anything else (inline
 * flags, look-around, back-references, \b, \p{..}, escapes inside brackets
 * that POSIX cannot express) makes translation fail, and the pattern then
 * matches nothing: an approximation that errs towards "not covered". */

typedef struct rbuf {
    char *s;
    size_t n, cap;
    int oom;
} rbuf;

static void rb_putc(rbuf *b, char c)
{
    if (b->oom)
        return;
    if (b->n + 2 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    b->s[b->n++] = c;
    b->s[b->n] = '\0';
}

static void rb_puts(rbuf *b, const char *s)
{
    while (*s)
        rb_putc(b, *s++);
}

static void rb_lit(rbuf *b, char c)
{
    if (strchr(".[]()*+?{}|^$\\", c))
        rb_putc(b, '\\');
    rb_putc(b, c);
}

/* Bracket expression starting after '['; returns index after ']' or 0. */
static size_t tr_bracket(rbuf *b, const char *p, size_t i, size_t n)
{
    rb_putc(b, '[');
    if (i < n && p[i] == '^') {
        rb_putc(b, '^');
        i++;
    }
    int first = 1;
    while (i < n) {
        char c = p[i];
        if (c == ']' && !first) {
            rb_putc(b, ']');
            return i + 1;
        }
        if (c == '[' || c == '&')
            return 0; /* nested classes, intersections */
        if (c == '\\') {
            if (i + 1 >= n)
                return 0;
            char e = p[i + 1];
            if (e == 'd')
                rb_puts(b, "0-9");
            else if (e == 'w')
                rb_puts(b, "A-Za-z0-9_");
            else if (e == 's')
                rb_puts(b, "[:space:]");
            else if (e == '.' || e == '/' || e == '$' || e == '*' || e == '+' || e == '?' ||
                     e == '(' || e == ')' || e == '{' || e == '}' || e == '|' || e == '_')
                rb_putc(b, e);
            else
                return 0; /* \] \\ \- \^ and letter escapes: not expressible simply */
            i += 2;
            first = 0;
            continue;
        }
        rb_putc(b, c);
        first = 0;
        i++;
    }
    return 0;
}

static char *java_regex_to_ere(const char *p)
{
    size_t n = strlen(p);
    rbuf b = {0};
    rb_puts(&b, "^(");
    for (size_t i = 0; i < n;) {
        char c = p[i];
        if (c == '\\') {
            if (i + 1 >= n)
                goto fail;
            char e = p[i + 1];
            if (e == 'Q') {
                const char *end = strstr(p + i + 2, "\\E");
                size_t stop = end ? (size_t)(end - p) : n;
                for (size_t k = i + 2; k < stop; k++)
                    rb_lit(&b, p[k]);
                i = end ? stop + 2 : n;
                continue;
            }
            switch (e) {
            case 'd': rb_puts(&b, "[0-9]"); break;
            case 'D': rb_puts(&b, "[^0-9]"); break;
            case 'w': rb_puts(&b, "[A-Za-z0-9_]"); break;
            case 'W': rb_puts(&b, "[^A-Za-z0-9_]"); break;
            case 's': rb_puts(&b, "[[:space:]]"); break;
            case 'S': rb_puts(&b, "[^[:space:]]"); break;
            case 't': rb_putc(&b, '\t'); break;
            case 'n': rb_putc(&b, '\n'); break;
            default:
                if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9'))
                    goto fail;
                rb_lit(&b, e);
            }
            i += 2;
            continue;
        }
        if (c == '[') {
            size_t next = tr_bracket(&b, p, i + 1, n);
            if (!next)
                goto fail;
            i = next;
            continue;
        }
        if (c == '(') {
            if (i + 1 < n && p[i + 1] == '?') {
                if (i + 2 < n && p[i + 2] == ':') {
                    rb_putc(&b, '(');
                    i += 3;
                    continue;
                }
                goto fail;
            }
            rb_putc(&b, '(');
            i++;
            continue;
        }
        if (c == '*' || c == '+' || c == '?' || c == '}') {
            rb_putc(&b, c);
            i++;
            if (i < n && (p[i] == '?' || p[i] == '+'))
                i++; /* lazy / possessive modifier */
            continue;
        }
        rb_putc(&b, c);
        i++;
    }
    rb_puts(&b, ")$");
    if (b.oom)
        goto fail;
    return b.s;
fail:
    free(b.s);
    return NULL;
}

/* 1 when the Java regex `pattern` matches all of `name`. */
static int java_regex_matches(const char *pattern, const char *name)
{
    char *lit = nt_regex_unquote(pattern);
    if (lit) {
        int r = strcmp(lit, name) == 0;
        free(lit);
        return r;
    }
    char *ere = java_regex_to_ere(pattern);
    if (!ere)
        return 0;
    regex_t re;
    int ok = 0;
    /* An untamed regex is treated like an untranslatable one: matches nothing. */
    if (nt_regex_is_tame(ere) && regcomp(&re, ere, REG_EXTENDED | REG_NOSUB) == 0) {
        ok = regexec(&re, name, 0, NULL, 0) == 0;
        regfree(&re);
    }
    free(ere);
    return ok;
}

/* An entry's module applies to a resource in `module`: an entry without a
 * module applies to class-path resources and (as GraalVM's module-less
 * patterns) to resources of every module; an entry with a module only to
 * resources of that module. */
static int module_applies(const char *entry_module, const char *module)
{
    if (!entry_module)
        return 1;
    return module && strcmp(entry_module, module) == 0;
}

int nt_ops_resource_included(const nt_config *c, const char *module, const char *name,
                             const char *cond_type, int strict)
{
    if (module && !*module)
        module = NULL;
    int included = 0;
    for (size_t i = 0; i < c->n_resources && !included; i++) {
        const nt_resource *r = &c->resources[i];
        if (r->kind == NT_RES_EXCLUDE || !module_applies(r->module, module) ||
            !nt_ops_cond_applies(&r->cond, cond_type, strict))
            continue;
        if (r->kind == NT_RES_GLOB)
            included = nt_glob_match(r->value, name);
        else
            included = java_regex_matches(r->value, name);
    }
    if (!included)
        return 0;
    /* Excludes win over every include (GraalVM applies them last). */
    for (size_t i = 0; i < c->n_resources; i++) {
        const nt_resource *r = &c->resources[i];
        if (r->kind != NT_RES_EXCLUDE || !module_applies(r->module, module) ||
            !nt_ops_cond_applies(&r->cond, cond_type, 0))
            continue;
        if (java_regex_matches(r->value, name))
            return 0;
    }
    return 1;
}

/* ---- type entries ------------------------------------------------------- */

typedef int (*entry_pred)(const nt_type *t, const nt_access *a);

static int strv_eq_arr(const nt_strv *v, const char *const *arr, size_t n)
{
    if (v->n != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v->v[i], arr[i]) != 0)
            return 0;
    return 1;
}

static int td_equal(const nt_typedesc *x, const nt_typedesc *y)
{
    if (x->kind != y->kind || !nt_ops_str_eq(x->name, y->name) ||
        !strv_eq_arr(&x->ifaces, (const char *const *)y->ifaces.v, y->ifaces.n))
        return 0;
    if (x->kind != NT_TD_LAMBDA)
        return 1;
    return nt_ops_str_eq(x->lambda_method, y->lambda_method) &&
           x->lambda_has_params == y->lambda_has_params &&
           strv_eq_arr(&x->lambda_params, (const char *const *)y->lambda_params.v,
                       y->lambda_params.n);
}

/* 1 when some entry of s for td whose condition applies satisfies pred.
 * Indexed look-ups for the unconditional entry and the entries conditioned on
 * a->cond_type; a scan of the conditional entries only when conditions are
 * ignored (cond_type NULL). The set is not modified (create == 0). */
static int any_entry(const nt_typeset *s, const nt_typedesc *td, const nt_access *a,
                     entry_pred pred)
{
    nt_typeset *ms = (nt_typeset *)s;
    nt_type *t = nt_typeset_get(ms, td, NULL, 0);
    if (t && pred(t, a))
        return 1;
    if (a->cond_type) {
        nt_cond cond = {NT_COND_REACHED, (char *)a->cond_type};
        t = nt_typeset_get(ms, td, &cond, 0);
        if (t && pred(t, a))
            return 1;
        cond.kind = NT_COND_REACHABLE;
        t = nt_typeset_get(ms, td, &cond, 0);
        return t && pred(t, a);
    }
    for (size_t i = 0; i < s->count; i++) {
        t = s->items[i];
        if (t->cond.kind != NT_COND_NONE && td_equal(&t->td, td) && pred(t, a))
            return 1;
    }
    return 0;
}

/* 1 when s has an entry for td with a custom target constructor (keyed apart
 * from the entry without one, so any_entry's look-ups miss it) whose condition
 * applies. A scan: only the serialization set has such entries. */
static int any_ctor_entry(const nt_typeset *s, const nt_typedesc *td, const nt_access *a)
{
    for (size_t i = 0; i < s->count; i++) {
        const nt_type *t = s->items[i];
        if (!t->custom_ctor || !td_equal(&t->td, td))
            continue;
        if (t->cond.kind == NT_COND_NONE || !a->cond_type ||
            nt_ops_str_eq(t->cond.type, a->cond_type))
            return 1;
    }
    return 0;
}

static int pred_any(const nt_type *t, const nt_access *a)
{
    (void)t;
    (void)a;
    return 1;
}

static int is_ctor(const char *name)
{
    return strcmp(name, "<init>") == 0;
}

static int pred_method(const nt_type *t, const nt_access *a)
{
    for (size_t i = 0; i < t->n_methods; i++) {
        const nt_method *m = &t->methods[i];
        if (strcmp(m->name, a->member) != 0 || m->level < a->level)
            continue;
        if (m->any_params || strv_eq_arr(&m->params, a->params, a->n_params))
            return 1;
    }
    unsigned all_d, all_p, q_d, q_p;
    if (is_ctor(a->member)) {
        all_d = NT_ALL_DECLARED_CONSTRUCTORS;
        all_p = NT_ALL_PUBLIC_CONSTRUCTORS;
        q_d = NT_QUERY_ALL_DECLARED_CONSTRUCTORS;
        q_p = NT_QUERY_ALL_PUBLIC_CONSTRUCTORS;
    } else {
        all_d = NT_ALL_DECLARED_METHODS;
        all_p = NT_ALL_PUBLIC_METHODS;
        q_d = NT_QUERY_ALL_DECLARED_METHODS;
        q_p = NT_QUERY_ALL_PUBLIC_METHODS;
    }
    /* Constructors are never inherited, so a constructor is always declared. */
    int declared = is_ctor(a->member) ? 1 : a->declared;
    if ((declared == 1 && (t->flags & all_d)) || (a->is_public == 1 && (t->flags & all_p)))
        return 1;
    if (a->level == NT_QUERIED && (t->flags & (all_d | all_p | q_d | q_p)))
        return 1;
    return 0;
}

static int pred_field(const nt_type *t, const nt_access *a)
{
    if (nt_type_find_field(t, a->member))
        return 1;
    return (a->declared == 1 && (t->flags & NT_ALL_DECLARED_FIELDS)) ||
           (a->is_public == 1 && (t->flags & NT_ALL_PUBLIC_FIELDS));
}

/* Bulk requests that a combined-style config expresses by registering the
 * type (see the header comment). */
#define NT_IMPLIED_BY_REGISTRATION                                                        \
    (NT_QUERY_ALL_DECLARED_METHODS | NT_QUERY_ALL_PUBLIC_METHODS |                        \
     NT_QUERY_ALL_DECLARED_CONSTRUCTORS | NT_QUERY_ALL_PUBLIC_CONSTRUCTORS |              \
     NT_ALL_DECLARED_CLASSES | NT_ALL_PUBLIC_CLASSES | NT_ALL_RECORD_COMPONENTS |         \
     NT_ALL_PERMITTED_SUBCLASSES | NT_ALL_NEST_MEMBERS | NT_ALL_SIGNERS)

static int pred_bulk(const nt_type *t, const nt_access *a)
{
    return (t->flags & a->bulk) != 0 || (a->bulk & NT_IMPLIED_BY_REGISTRATION) != 0;
}

static int pred_unsafe(const nt_type *t, const nt_access *a)
{
    (void)a;
    return (t->flags & NT_UNSAFE_ALLOCATED) != 0;
}

static int bundle_covers(const nt_config *c, const nt_access *a)
{
    for (size_t i = 0; i < c->n_bundles; i++) {
        const nt_bundle *b = &c->bundles[i];
        if (strcmp(b->name, a->resource) != 0 || !module_applies(b->module, a->module) ||
            !nt_ops_cond_applies(&b->cond, a->cond_type, 0))
            continue;
        if (!a->locale || b->locales.n == 0)
            return 1;
        for (size_t k = 0; k < b->locales.n; k++)
            if (nt_ops_locale_eq(b->locales.v[k], a->locale))
                return 1;
    }
    return 0;
}

int nt_covers(const nt_config *c, const nt_access *a)
{
    if (!c || !a)
        return 0;
    nt_typedesc td = nt_td_class(a->type);
    const nt_typeset *set = a->jni ? &c->jni : &c->reflection;
    switch (a->kind) {
    case NT_ACC_TYPE:
        if (!a->type)
            return 0;
        return any_entry(&c->reflection, &td, a, pred_any) ||
               (a->jni && any_entry(&c->jni, &td, a, pred_any));
    case NT_ACC_METHOD:
        if (!a->type || !a->member || (a->n_params && !a->params))
            return 0;
        return any_entry(set, &td, a, pred_method);
    case NT_ACC_FIELD:
        if (!a->type || !a->member)
            return 0;
        return any_entry(set, &td, a, pred_field);
    case NT_ACC_BULK:
        if (!a->type)
            return 0;
        return any_entry(set, &td, a, pred_bulk);
    case NT_ACC_UNSAFE_ALLOC:
        if (!a->type)
            return 0;
        return any_entry(&c->reflection, &td, a, pred_unsafe) ||
               any_entry(&c->jni, &td, a, pred_unsafe);
    case NT_ACC_RESOURCE:
        if (!a->resource)
            return 0;
        return nt_ops_resource_included(c, a->module, a->resource, a->cond_type, 0);
    case NT_ACC_BUNDLE:
        if (!a->resource)
            return 0;
        return bundle_covers(c, a);
    case NT_ACC_PROXY: {
        if (!a->ifaces && a->n_ifaces)
            return 0;
        nt_typedesc p;
        memset(&p, 0, sizeof p);
        p.kind = NT_TD_PROXY;
        p.ifaces.v = (char **)a->ifaces;
        p.ifaces.n = a->n_ifaces;
        return any_entry(&c->reflection, &p, a, pred_any);
    }
    case NT_ACC_SERIALIZATION:
        if (a->n_ifaces && a->ifaces) {
            nt_typedesc p;
            memset(&p, 0, sizeof p);
            p.kind = NT_TD_PROXY;
            p.ifaces.v = (char **)a->ifaces;
            p.ifaces.n = a->n_ifaces;
            return any_entry(&c->serialization, &p, a, pred_any);
        }
        if (!a->type)
            return 0;
        return any_entry(&c->serialization, &td, a, pred_any) ||
               any_ctor_entry(&c->serialization, &td, a);
    case NT_ACC_LAMBDA_CAPTURING:
        if (!a->type)
            return 0;
        return any_entry(&c->lambda_capturing, &td, a, pred_any);
    }
    return 0;
}
