/* nitrace core: member-level difference of two configs.
 *
 * Each config is expanded into lines "<category> <text>", one per entry and
 * one per flag, member, locale, class name, ... of an entry; the diff is the
 * two set differences, sorted by category then text.  Line texts:
 *   reflection / jni / serialization / lambda-capturing / proxies:
 *     "<type>"                              the entry itself
 *     "<type> flag allDeclaredFields"       one per flag
 *     "<type> method m(int,java.lang.String)" accessed method
 *     "<type> queried-method m()"           queried method
 *     "<type> method m(*)"                  no parameterTypes: every overload
 *     "<type> field f[ allowWrite][ allowUnsafeAccess]"
 *     "<type> customTargetConstructorClass C" the entry itself, when it has one
 *   where <type> is the class name, "proxy [I1, I2]", or
 *   "lambda C.m(P) [I1]", followed by " if typeReached T" /
 *   " if typeReachable T" for a conditional entry.  Proxy entries of the
 *   reflection set go to the "proxies" category.
 *   resources: "glob G" / "pattern P" / "exclude P" [" module M"][cond]
 *   bundles:   "<name>[ module M][cond]", "... locale L" ("" shows as
 *              (root)), "... class C"
 *   predefined: "<type> <hash>[ <nameInfo>]"
 *   foreign:   "downcall J" / "upcall J" / "directUpcall J"
 * A change of a member's level or flags shows as a removal and an addition.
 * Reasons and comments are documentation, not registrations: not diffed. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nitrace/ops.h"
#include "sbuf_priv.h"

/* Alphabetical, so index order is category order. */
enum {
    CAT_BUNDLES,
    CAT_FOREIGN,
    CAT_JNI,
    CAT_LAMBDA,
    CAT_PREDEFINED,
    CAT_PROXIES,
    CAT_REFLECTION,
    CAT_RESOURCES,
    CAT_SERIALIZATION
};
static const char *const cat_names[] = {"bundles",    "foreign",     "jni",
                                        "lambda-capturing", "predefined", "proxies",
                                        "reflection", "resources",   "serialization"};

typedef struct dline {
    int cat;
    char *text;
} dline;

typedef struct dlines {
    dline *v;
    size_t n, cap;
    int oom;
} dlines;

static void sb_strv(nt_sbuf *b, const nt_strv *v, const char *sep)
{
    for (size_t i = 0; i < v->n; i++)
        nt_sb_printf(b, "%s%s", i ? sep : "", v->v[i]);
}

static void sb_cond(nt_sbuf *b, const nt_cond *c)
{
    /* typeReachable and typeReached spell the same condition (model.h). */
    if (c->kind != NT_COND_NONE)
        nt_sb_printf(b, " if reached %s", c->type ? c->type : "");
}

/* Add "<prefix><suffix printf>" as a line. */
static void add_line(dlines *L, int cat, const char *prefix, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_line(dlines *L, int cat, const char *prefix, const char *fmt, ...)
{
    if (L->oom)
        return;
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    size_t pl = strlen(prefix);
    char *s = len < 0 ? NULL : malloc(pl + (size_t)len + 1);
    if (!s) {
        L->oom = 1;
        return;
    }
    memcpy(s, prefix, pl);
    va_start(ap, fmt);
    vsnprintf(s + pl, (size_t)len + 1, fmt, ap);
    va_end(ap);
    if (L->n == L->cap) {
        size_t cap = L->cap ? L->cap * 2 : 64;
        dline *v = realloc(L->v, cap * sizeof *v);
        if (!v) {
            free(s);
            L->oom = 1;
            return;
        }
        L->v = v;
        L->cap = cap;
    }
    L->v[L->n].cat = cat;
    L->v[L->n].text = s;
    L->n++;
}

static char *type_label(const nt_type *t)
{
    nt_sbuf b = {0};
    const nt_typedesc *td = &t->td;
    switch (td->kind) {
    case NT_TD_CLASS:
        nt_sb_printf(&b, "%s", td->name ? td->name : "");
        break;
    case NT_TD_PROXY:
        nt_sb_printf(&b, "proxy [");
        sb_strv(&b, &td->ifaces, ", ");
        nt_sb_printf(&b, "]");
        break;
    case NT_TD_LAMBDA:
        nt_sb_printf(&b, "lambda %s", td->name ? td->name : "");
        if (td->lambda_method) {
            nt_sb_printf(&b, ".%s", td->lambda_method);
            if (td->lambda_has_params) {
                nt_sb_printf(&b, "(");
                sb_strv(&b, &td->lambda_params, ",");
                nt_sb_printf(&b, ")");
            }
        }
        nt_sb_printf(&b, " [");
        sb_strv(&b, &td->ifaces, ", ");
        nt_sb_printf(&b, "]");
        break;
    }
    sb_cond(&b, &t->cond);
    if (b.oom || !b.s) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

static void expand_type(dlines *L, int cat, const nt_type *t)
{
    char *label = type_label(t);
    if (!label) {
        L->oom = 1;
        return;
    }
    /* an entry with a custom target constructor is a registration of its own
     * (GraalVM keys serialization entries by it): its line names it */
    if (t->custom_ctor)
        add_line(L, cat, label, " customTargetConstructorClass %s", t->custom_ctor);
    else
        add_line(L, cat, label, "%s", "");
    for (unsigned bit = 0; bit < NT_TYPE_FLAG_COUNT; bit++) {
        unsigned f = 1u << bit;
        const char *name = nt_type_flag_name(f);
        if ((t->flags & f) && name)
            add_line(L, cat, label, " flag %s", name);
    }
    for (size_t i = 0; i < t->n_fields; i++) {
        const nt_field *f = &t->fields[i];
        add_line(L, cat, label, " field %s%s%s", f->name,
                 (f->flags & NT_FIELD_ALLOW_WRITE) ? " allowWrite" : "",
                 (f->flags & NT_FIELD_ALLOW_UNSAFE_ACCESS) ? " allowUnsafeAccess" : "");
    }
    for (size_t i = 0; i < t->n_methods; i++) {
        const nt_method *m = &t->methods[i];
        nt_sbuf p = {0};
        if (m->any_params)
            nt_sb_printf(&p, "*");
        else
            sb_strv(&p, &m->params, ",");
        if (p.oom) {
            L->oom = 1;
            free(p.s);
            continue;
        }
        add_line(L, cat, label, " %s %s(%s)", m->level == NT_ACCESSED ? "method" : "queried-method",
                 m->name, p.s ? p.s : "");
        free(p.s);
    }
    free(label);
}

static void expand_set(dlines *L, int cat, const nt_typeset *s, int proxies_apart)
{
    for (size_t i = 0; i < s->count; i++) {
        const nt_type *t = s->items[i];
        expand_type(L, proxies_apart && t->td.kind == NT_TD_PROXY ? CAT_PROXIES : cat, t);
    }
}

static void expand(dlines *L, const nt_config *c)
{
    expand_set(L, CAT_REFLECTION, &c->reflection, 1);
    expand_set(L, CAT_JNI, &c->jni, 0);
    expand_set(L, CAT_SERIALIZATION, &c->serialization, 0);
    expand_set(L, CAT_LAMBDA, &c->lambda_capturing, 0);
    static const char *const kinds[] = {"glob", "pattern", "exclude"};
    for (size_t i = 0; i < c->n_resources; i++) {
        const nt_resource *r = &c->resources[i];
        nt_sbuf b = {0};
        nt_sb_printf(&b, "%s %s", kinds[r->kind <= NT_RES_EXCLUDE ? r->kind : 0], r->value);
        if (r->module)
            nt_sb_printf(&b, " module %s", r->module);
        sb_cond(&b, &r->cond);
        if (b.oom)
            L->oom = 1;
        else
            add_line(L, CAT_RESOURCES, b.s, "%s", "");
        free(b.s);
    }
    for (size_t i = 0; i < c->n_bundles; i++) {
        const nt_bundle *bu = &c->bundles[i];
        nt_sbuf b = {0};
        nt_sb_printf(&b, "%s", bu->name);
        if (bu->module)
            nt_sb_printf(&b, " module %s", bu->module);
        sb_cond(&b, &bu->cond);
        if (b.oom) {
            L->oom = 1;
            free(b.s);
            continue;
        }
        add_line(L, CAT_BUNDLES, b.s, "%s", "");
        for (size_t k = 0; k < bu->locales.n; k++)
            add_line(L, CAT_BUNDLES, b.s, " locale %s",
                     bu->locales.v[k][0] ? bu->locales.v[k] : "(root)");
        for (size_t k = 0; k < bu->class_names.n; k++)
            add_line(L, CAT_BUNDLES, b.s, " class %s", bu->class_names.v[k]);
        free(b.s);
    }
    for (size_t i = 0; i < c->n_predefined; i++) {
        const nt_predef *p = &c->predefined[i];
        add_line(L, CAT_PREDEFINED, p->type, " %s%s%s", p->hash, p->name_info ? " " : "",
                 p->name_info ? p->name_info : "");
    }
    for (size_t i = 0; i < c->foreign_downcalls.n; i++)
        add_line(L, CAT_FOREIGN, "downcall ", "%s", c->foreign_downcalls.v[i]);
    for (size_t i = 0; i < c->foreign_upcalls.n; i++)
        add_line(L, CAT_FOREIGN, "upcall ", "%s", c->foreign_upcalls.v[i]);
    for (size_t i = 0; i < c->foreign_direct_upcalls.n; i++)
        add_line(L, CAT_FOREIGN, "directUpcall ", "%s", c->foreign_direct_upcalls.v[i]);
}

static int dline_cmp(const void *x, const void *y)
{
    const dline *a = x, *b = y;
    if (a->cat != b->cat)
        return a->cat < b->cat ? -1 : 1;
    return strcmp(a->text, b->text);
}

/* Sort and drop duplicate lines. */
static void sort_unique(dlines *L)
{
    if (L->n == 0)
        return;
    qsort(L->v, L->n, sizeof *L->v, dline_cmp);
    size_t w = 1;
    for (size_t i = 1; i < L->n; i++) {
        if (dline_cmp(&L->v[i], &L->v[w - 1]) == 0)
            free(L->v[i].text);
        else
            L->v[w++] = L->v[i];
    }
    L->n = w;
}

static void dlines_free(dlines *L)
{
    for (size_t i = 0; i < L->n; i++)
        free(L->v[i].text);
    free(L->v);
    memset(L, 0, sizeof *L);
}

/* Move line text into out (out owns it afterwards). */
static int emit(nt_diff *out, dline *l, char sign)
{
    if (out->count == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 32;
        nt_diff_line *v = realloc(out->lines, cap * sizeof *v);
        if (!v)
            return -1;
        out->lines = v;
        out->cap = cap;
    }
    out->lines[out->count].category = cat_names[l->cat];
    out->lines[out->count].sign = sign;
    out->lines[out->count].text = l->text;
    l->text = NULL;
    out->count++;
    return 0;
}

nt_status nt_config_diff(const nt_config *a, const nt_config *b, nt_diff *out)
{
    if (!a || !b || !out)
        return NT_ERR_INVAL;
    memset(out, 0, sizeof *out);
    dlines la = {0}, lb = {0};
    expand(&la, a);
    expand(&lb, b);
    nt_status st = NT_OK;
    if (la.oom || lb.oom) {
        st = NT_ERR_NOMEM;
        goto done;
    }
    sort_unique(&la);
    sort_unique(&lb);
    size_t i = 0, j = 0;
    while (i < la.n || j < lb.n) {
        int c = i >= la.n ? 1 : j >= lb.n ? -1 : dline_cmp(&la.v[i], &lb.v[j]);
        int r = 0;
        if (c < 0)
            r = emit(out, &la.v[i++], '-');
        else if (c > 0)
            r = emit(out, &lb.v[j++], '+');
        else {
            i++;
            j++;
        }
        if (r != 0) {
            st = NT_ERR_NOMEM;
            nt_diff_free(out);
            goto done;
        }
    }
done:
    dlines_free(&la);
    dlines_free(&lb);
    return st;
}

void nt_diff_free(nt_diff *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++)
        free(d->lines[i].text);
    free(d->lines);
    memset(d, 0, sizeof *d);
}
