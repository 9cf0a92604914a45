/* nitrace core: union, normalisation, subtraction, clone and equality of
 * configs (reference/graalvm-agent.md §3.3 and §4).
 *
 * Union keys type entries by (type descriptor, condition, custom target
 * constructor) through nt_typeset_get_ctor, ORs flags and field flags, keeps the higher access level of
 * a method (ACCESSED beats QUERIED) and unions reasons, resources, bundles,
 * predefined classes and foreign entries.
 *
 * customTargetConstructorClass: GraalVM keys serialization entries by (type,
 * condition, customTargetConstructorClass), and so does the model
 * (nt_typeset_get_ctor): an entry of a type without one and entries with
 * different ones are different registrations, kept apart by union, matched
 * exactly by subtraction and equality.
 *
 * Bundle locales: an empty locales list means "every locale" (the bundle is
 * registered for all locales the image includes).  Union treats it as the top
 * element: [] ∪ [de] = [], [de] ∪ [fr] = [de, fr].  (GraalVM's own merge adds
 * the sets, which narrows [] ∪ [de] to just de; ours never loses coverage.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nitrace/map.h"
#include "nitrace/ops.h"
#include "ops_priv.h"

/* ---- helpers ------------------------------------------------------------ */

static nt_typeset *set_at(nt_config *c, int i)
{
    switch (i) {
    case 0: return &c->reflection;
    case 1: return &c->jni;
    case 2: return &c->serialization;
    default: return &c->lambda_capturing;
    }
}

static const nt_typeset *cset_at(const nt_config *c, int i)
{
    return set_at((nt_config *)c, i);
}

#define NT_N_SETS 4

static nt_status strv_union(nt_strv *dst, const nt_strv *src)
{
    for (size_t i = 0; i < src->n; i++)
        if (nt_strv_add_unique(dst, src->v[i]) != NT_OK)
            return NT_ERR_NOMEM;
    return NT_OK;
}

/* Same strings, ignoring order and multiplicity. */
static int strv_set_equal(const nt_strv *a, const nt_strv *b)
{
    for (size_t i = 0; i < a->n; i++)
        if (!nt_strv_contains(b, a->v[i]))
            return 0;
    for (size_t i = 0; i < b->n; i++)
        if (!nt_strv_contains(a, b->v[i]))
            return 0;
    return 1;
}

static int strv_eq_params(const nt_strv *a, const nt_strv *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return 0;
    return 1;
}

static int same_signature(const nt_method *a, const nt_method *b)
{
    if (strcmp(a->name, b->name) != 0 || (a->any_params != 0) != (b->any_params != 0))
        return 0;
    return a->any_params || strv_eq_params(&a->params, &b->params);
}

static void strv_remove_at(nt_strv *s, size_t i)
{
    free(s->v[i]);
    memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof *s->v);
    s->n--;
}

/* Keep the first copy of every string, in order. */
static void strv_dedup(nt_strv *s)
{
    for (size_t i = s->n; i-- > 1;) {
        for (size_t j = 0; j < i; j++) {
            if (strcmp(s->v[j], s->v[i]) == 0) {
                strv_remove_at(s, i);
                break;
            }
        }
    }
}

/* The all* flags of a member's kind. */
typedef struct kind_flags {
    unsigned all_d, all_p, q_d, q_p;
} kind_flags;

static kind_flags method_kind_flags(const char *name)
{
    kind_flags k;
    if (strcmp(name, "<init>") == 0) {
        k.all_d = NT_ALL_DECLARED_CONSTRUCTORS;
        k.all_p = NT_ALL_PUBLIC_CONSTRUCTORS;
        k.q_d = NT_QUERY_ALL_DECLARED_CONSTRUCTORS;
        k.q_p = NT_QUERY_ALL_PUBLIC_CONSTRUCTORS;
    } else {
        k.all_d = NT_ALL_DECLARED_METHODS;
        k.all_p = NT_ALL_PUBLIC_METHODS;
        k.q_d = NT_QUERY_ALL_DECLARED_METHODS;
        k.q_p = NT_QUERY_ALL_PUBLIC_METHODS;
    }
    return k;
}

/* Members covered by all* flags.  A config does not say whether a listed
 * member is declared in the type or an inherited public one (reflect-config
 * lists both kinds under the subclass), so allDeclaredMethods alone may miss
 * an inherited public method and allPublicMethods alone a non-public declared
 * one.  Only the two flags of a kind together cover every member that can be
 * listed: an invoked method needs allDeclared* and allPublic*; a queried one
 * is also covered when each of the two memberships has its all* or queryAll*
 * flag.  A field is covered by allDeclaredFields + allPublicFields only while
 * it carries no flags of its own: dropping a field with allowWrite or
 * allowUnsafeAccess would lose them (graal #1599, #3192). */
int nt_ops_method_covered(unsigned flags, const nt_method *m)
{
    kind_flags k = method_kind_flags(m->name);
    /* Constructors are never inherited: every listed <init> is declared. */
    if (strcmp(m->name, "<init>") == 0)
        return (flags & k.all_d) || (m->level == NT_QUERIED && (flags & k.q_d));
    if ((flags & k.all_d) && (flags & k.all_p))
        return 1;
    return m->level == NT_QUERIED && (flags & (k.all_d | k.q_d)) && (flags & (k.all_p | k.q_p));
}

int nt_ops_field_covered(unsigned flags, const nt_field *f)
{
    return f->flags == 0 && (flags & NT_ALL_DECLARED_FIELDS) && (flags & NT_ALL_PUBLIC_FIELDS);
}

/* Query flags implied by all* flags. */
static unsigned implied_flags(unsigned flags)
{
    unsigned r = flags;
    if (flags & NT_ALL_DECLARED_METHODS)
        r |= NT_QUERY_ALL_DECLARED_METHODS;
    if (flags & NT_ALL_PUBLIC_METHODS)
        r |= NT_QUERY_ALL_PUBLIC_METHODS;
    if (flags & NT_ALL_DECLARED_CONSTRUCTORS)
        r |= NT_QUERY_ALL_DECLARED_CONSTRUCTORS;
    if (flags & NT_ALL_PUBLIC_CONSTRUCTORS)
        r |= NT_QUERY_ALL_PUBLIC_CONSTRUCTORS;
    return r;
}

/* ---- union -------------------------------------------------------------- */

static nt_status merge_type(nt_type *d, const nt_type *s)
{
    d->flags |= s->flags;
    for (size_t i = 0; i < s->n_fields; i++)
        if (!nt_type_add_field(d, s->fields[i].name, s->fields[i].flags))
            return NT_ERR_NOMEM;
    for (size_t i = 0; i < s->n_methods; i++) {
        const nt_method *m = &s->methods[i];
        if (!nt_type_add_method(d, m->name, m->any_params, (const char *const *)m->params.v,
                                m->params.n, m->level))
            return NT_ERR_NOMEM;
    }
    return strv_union(&d->reasons, &s->reasons);
}

/* Join of two bundles' locales with [] as "every locale". */
static nt_status merge_locales(nt_bundle *d, int d_is_new, const nt_strv *src)
{
    if (d_is_new)
        return strv_union(&d->locales, src);
    if (d->locales.n == 0)
        return NT_OK;
    if (src->n == 0) {
        nt_strv_free(&d->locales);
        return NT_OK;
    }
    return strv_union(&d->locales, src);
}

static nt_status merge_raw(nt_config *dst, const nt_config *src)
{
    nt_status st;
    for (int k = 0; k < NT_N_SETS; k++) {
        nt_typeset *ds = set_at(dst, k);
        const nt_typeset *ss = cset_at(src, k);
        for (size_t i = 0; i < ss->count; i++) {
            const nt_type *s = ss->items[i];
            nt_type *d = nt_typeset_get_ctor(ds, &s->td, &s->cond, s->custom_ctor, 1);
            if (!d)
                return NT_ERR_NOMEM;
            if ((st = merge_type(d, s)) != NT_OK)
                return st;
        }
    }
    for (size_t i = 0; i < src->n_resources; i++) {
        const nt_resource *s = &src->resources[i];
        nt_resource *d = nt_config_add_resource(dst, s->kind, s->module, s->value, &s->cond);
        if (!d)
            return NT_ERR_NOMEM;
        if ((st = strv_union(&d->reasons, &s->reasons)) != NT_OK)
            return st;
    }
    for (size_t i = 0; i < src->n_bundles; i++) {
        const nt_bundle *s = &src->bundles[i];
        size_t before = dst->n_bundles;
        nt_bundle *d = nt_config_add_bundle(dst, s->name, s->module, &s->cond);
        if (!d)
            return NT_ERR_NOMEM;
        if ((st = merge_locales(d, dst->n_bundles != before, &s->locales)) != NT_OK ||
            (st = strv_union(&d->class_names, &s->class_names)) != NT_OK ||
            (st = strv_union(&d->reasons, &s->reasons)) != NT_OK)
            return st;
    }
    for (size_t i = 0; i < src->n_predefined; i++) {
        const nt_predef *p = &src->predefined[i];
        if (!nt_config_add_predefined(dst, p->type, p->hash, p->name_info))
            return NT_ERR_NOMEM;
    }
    if ((st = strv_union(&dst->foreign_downcalls, &src->foreign_downcalls)) != NT_OK ||
        (st = strv_union(&dst->foreign_upcalls, &src->foreign_upcalls)) != NT_OK ||
        (st = strv_union(&dst->foreign_direct_upcalls, &src->foreign_direct_upcalls)) != NT_OK ||
        (st = strv_union(&dst->comments, &src->comments)) != NT_OK)
        return st;
    return NT_OK;
}

nt_status nt_config_union(nt_config *dst, const nt_config *src)
{
    if (!dst || !src)
        return NT_ERR_INVAL;
    return dst == src ? NT_OK : merge_raw(dst, src);
}

nt_status nt_config_merge(nt_config *dst, const nt_config *src)
{
    nt_status st = nt_config_union(dst, src);
    if (st == NT_OK)
        nt_config_normalize(dst);
    return st;
}

nt_config *nt_config_clone(const nt_config *c)
{
    if (!c)
        return NULL;
    nt_config *n = nt_config_new();
    if (!n)
        return NULL;
    if (merge_raw(n, c) != NT_OK) {
        nt_config_free(n);
        return NULL;
    }
    return n;
}

/* ---- normalisation ------------------------------------------------------ */

static void normalize_type(nt_type *t)
{
    /* queryAll* covered by the all* flag of the same membership. */
    if (t->flags & NT_ALL_DECLARED_METHODS)
        t->flags &= ~(unsigned)NT_QUERY_ALL_DECLARED_METHODS;
    if (t->flags & NT_ALL_PUBLIC_METHODS)
        t->flags &= ~(unsigned)NT_QUERY_ALL_PUBLIC_METHODS;
    if (t->flags & NT_ALL_DECLARED_CONSTRUCTORS)
        t->flags &= ~(unsigned)NT_QUERY_ALL_DECLARED_CONSTRUCTORS;
    if (t->flags & NT_ALL_PUBLIC_CONSTRUCTORS)
        t->flags &= ~(unsigned)NT_QUERY_ALL_PUBLIC_CONSTRUCTORS;

    for (size_t i = t->n_methods; i-- > 0;) {
        const nt_method *m = &t->methods[i];
        int drop = nt_ops_method_covered(t->flags, m);
        for (size_t j = 0; j < t->n_methods && !drop; j++) {
            const nt_method *o = &t->methods[j];
            if (j == i || strcmp(o->name, m->name) != 0)
                continue;
            if (same_signature(o, m)) {
                /* duplicate: keep the higher level, the first of equals */
                drop = o->level > m->level || (o->level == m->level && j < i);
            } else if (o->any_params && !m->any_params && o->level >= m->level) {
                drop = 1; /* every overload of the name, at least this level */
            }
        }
        if (drop)
            nt_type_remove_method(t, i);
    }

    for (size_t i = t->n_fields; i-- > 0;) {
        nt_field *f = &t->fields[i];
        int drop = nt_ops_field_covered(t->flags, f);
        for (size_t j = 0; j < i && !drop; j++) {
            if (strcmp(t->fields[j].name, f->name) == 0) {
                t->fields[j].flags |= f->flags;
                drop = 1;
            }
        }
        if (drop)
            nt_type_remove_field(t, i);
    }
    strv_dedup(&t->reasons);
}

static int resource_same(const nt_resource *a, const nt_resource *b)
{
    return a->kind == b->kind && nt_ops_str_eq(a->module, b->module) &&
           strcmp(a->value, b->value) == 0 && nt_cond_equal(&a->cond, &b->cond);
}

static int bundle_same(const nt_bundle *a, const nt_bundle *b)
{
    return strcmp(a->name, b->name) == 0 && nt_ops_str_eq(a->module, b->module) &&
           nt_cond_equal(&a->cond, &b->cond);
}

/* "kind\x1fmodule\x1fvalue\x1fcond" (bundles: name instead of kind+value). */
static char *entry_key(int kind, const char *module, const char *value, const nt_cond *cond)
{
    const char *ct = cond->kind == NT_COND_NONE ? "" : (cond->type ? cond->type : "");
    size_t n = strlen(value) + (module ? strlen(module) : 0) + strlen(ct) + 32;
    char *k = malloc(n);
    if (k)
        snprintf(k, n, "%d\x1f%s\x1f%s\x1f%d:%s", kind, module ? module : "", value,
                 cond->kind != NT_COND_NONE, ct);
    return k;
}

/* Marks duplicates (index -> first index + 1) with a hash map, then removes
 * them from the end so earlier indices stay valid. */
static void dedup_resources(nt_config *c)
{
    nt_map seen;
    nt_map_init(&seen);
    size_t *first = calloc(c->n_resources + 1, sizeof *first);
    int ok = first != NULL;
    for (size_t i = 0; i < c->n_resources && ok; i++) {
        const nt_resource *r = &c->resources[i];
        char *k = entry_key((int)r->kind, r->module, r->value, &r->cond);
        if (!k) {
            ok = 0;
            break;
        }
        size_t prev = (size_t)(uintptr_t)nt_map_get(&seen, k);
        if (prev)
            first[i] = prev;
        else if (nt_map_put(&seen, k, (void *)(uintptr_t)(i + 1)) != 0)
            ok = 0;
        free(k);
    }
    if (ok) {
        for (size_t i = c->n_resources; i-- > 0;) {
            if (!first[i])
                continue;
            nt_resource *keep = &c->resources[first[i] - 1];
            if (strv_union(&keep->reasons, &c->resources[i].reasons) == NT_OK)
                nt_config_remove_resource(c, i);
        }
    }
    free(first);
    nt_map_free(&seen);
}

static void dedup_bundles(nt_config *c)
{
    nt_map seen;
    nt_map_init(&seen);
    size_t *first = calloc(c->n_bundles + 1, sizeof *first);
    int ok = first != NULL;
    for (size_t i = 0; i < c->n_bundles && ok; i++) {
        const nt_bundle *b = &c->bundles[i];
        char *k = entry_key(0, b->module, b->name, &b->cond);
        if (!k) {
            ok = 0;
            break;
        }
        size_t prev = (size_t)(uintptr_t)nt_map_get(&seen, k);
        if (prev)
            first[i] = prev;
        else if (nt_map_put(&seen, k, (void *)(uintptr_t)(i + 1)) != 0)
            ok = 0;
        free(k);
    }
    if (ok) {
        for (size_t i = c->n_bundles; i-- > 0;) {
            if (!first[i])
                continue;
            nt_bundle *d = &c->bundles[first[i] - 1], *s = &c->bundles[i];
            if (merge_locales(d, 0, &s->locales) == NT_OK &&
                strv_union(&d->class_names, &s->class_names) == NT_OK &&
                strv_union(&d->reasons, &s->reasons) == NT_OK)
                nt_config_remove_bundle(c, i);
        }
    }
    free(first);
    nt_map_free(&seen);
}

void nt_config_normalize(nt_config *c)
{
    if (!c)
        return;
    for (int k = 0; k < NT_N_SETS; k++) {
        nt_typeset *s = set_at(c, k);
        for (size_t i = 0; i < s->count; i++)
            normalize_type(s->items[i]);
    }

    /* Duplicate resources and bundles (possible only when an array was
     * filled directly): fold each into its first copy. */
    dedup_resources(c);
    for (size_t i = 0; i < c->n_resources; i++)
        strv_dedup(&c->resources[i].reasons);
    dedup_bundles(c);
    for (size_t i = 0; i < c->n_bundles; i++) {
        strv_dedup(&c->bundles[i].locales);
        strv_dedup(&c->bundles[i].class_names);
        strv_dedup(&c->bundles[i].reasons);
    }

    for (size_t i = c->n_predefined; i-- > 1;) {
        for (size_t j = 0; j < i; j++) {
            nt_predef *d = &c->predefined[j], *s = &c->predefined[i];
            if (strcmp(d->type, s->type) != 0 || strcmp(d->hash, s->hash) != 0)
                continue;
            if (!d->name_info) {
                d->name_info = s->name_info;
                s->name_info = NULL;
            }
            free(s->type);
            free(s->hash);
            free(s->name_info);
            memmove(s, s + 1, (c->n_predefined - i - 1) * sizeof *s);
            c->n_predefined--;
            break;
        }
    }
    strv_dedup(&c->foreign_downcalls);
    strv_dedup(&c->foreign_upcalls);
    strv_dedup(&c->foreign_direct_upcalls);
    strv_dedup(&c->comments);
}

/* ---- subtraction -------------------------------------------------------- */

/* The omit entries that can cover a dst entry: the one with the same
 * descriptor and condition, and (for a conditional dst entry) the
 * unconditional one, which applies whenever the condition holds. */
typedef struct omit_view {
    const nt_type *e[2];
    size_t n;
    unsigned flags; /* OR of the entries' flags, plus implied query flags */
} omit_view;

static omit_view omit_lookup(const nt_typeset *os, const nt_type *t)
{
    omit_view v;
    memset(&v, 0, sizeof v);
    nt_typeset *ms = (nt_typeset *)os; /* look-up only: create == 0 */
    const nt_type *o = nt_typeset_get_ctor(ms, &t->td, &t->cond, t->custom_ctor, 0);
    if (o)
        v.e[v.n++] = o;
    if (t->cond.kind != NT_COND_NONE &&
        (o = nt_typeset_get_ctor(ms, &t->td, NULL, t->custom_ctor, 0)) != NULL)
        v.e[v.n++] = o;
    for (size_t i = 0; i < v.n; i++)
        v.flags |= v.e[i]->flags;
    v.flags = implied_flags(v.flags);
    return v;
}

static int omit_covers_method(const omit_view *v, const nt_method *m)
{
    if (nt_ops_method_covered(v->flags, m))
        return 1;
    for (size_t k = 0; k < v->n; k++) {
        const nt_type *o = v->e[k];
        for (size_t i = 0; i < o->n_methods; i++) {
            const nt_method *om = &o->methods[i];
            if (om->level < m->level || strcmp(om->name, m->name) != 0)
                continue;
            if (om->any_params || (!m->any_params && strv_eq_params(&om->params, &m->params)))
                return 1;
        }
    }
    return 0;
}

static int omit_covers_field(const omit_view *v, const nt_field *f)
{
    if (nt_ops_field_covered(v->flags, f))
        return 1;
    for (size_t k = 0; k < v->n; k++) {
        const nt_field *of = nt_type_find_field(v->e[k], f->name);
        if (of && (of->flags & f->flags) == f->flags)
            return 1;
    }
    return 0;
}

static void subtract_set(nt_typeset *ds, const nt_typeset *os)
{
    for (size_t i = ds->count; i-- > 0;) {
        nt_type *t = ds->items[i];
        omit_view v = omit_lookup(os, t);
        if (v.n == 0)
            continue;
        t->flags &= ~v.flags;
        for (size_t j = t->n_methods; j-- > 0;)
            if (omit_covers_method(&v, &t->methods[j]))
                nt_type_remove_method(t, j);
        for (size_t j = t->n_fields; j-- > 0;)
            if (omit_covers_field(&v, &t->fields[j]))
                nt_type_remove_field(t, j);
        /* The type itself (with the same custom target constructor, part of
         * the key) is registered by omit's entry: only what is left beyond it
         * keeps the dst entry alive. */
        if (t->flags == 0 && t->n_methods == 0 && t->n_fields == 0)
            nt_typeset_remove(ds, i);
    }
}

/* A dst resource entry is covered by an equal omit entry (same kind, module
 * and value) whose condition applies, or — for a literal resource (a glob
 * without wildcards, or a pattern that is just \Q...\E) — when omit's
 * includes take in that name. */
static int omit_covers_resource(const nt_config *omit, const nt_resource *r)
{
    const char *ctype = r->cond.kind == NT_COND_NONE ? NULL : r->cond.type;
    for (size_t i = 0; i < omit->n_resources; i++) {
        const nt_resource *o = &omit->resources[i];
        if (o->kind == r->kind && nt_ops_str_eq(o->module, r->module) &&
            strcmp(o->value, r->value) == 0 && nt_ops_cond_applies(&o->cond, ctype, 1))
            return 1;
    }
    if (r->kind == NT_RES_EXCLUDE)
        return 0;
    char *lit = NULL;
    if (r->kind == NT_RES_GLOB) {
        if (!nt_ops_glob_is_literal(r->value))
            return 0;
        lit = nt_ops_glob_unescape(r->value);
    } else {
        lit = nt_regex_unquote(r->value);
    }
    if (!lit)
        return 0;
    int covered = nt_ops_resource_included(omit, r->module, lit, ctype, 1);
    free(lit);
    return covered;
}

static void subtract_resources(nt_config *dst, const nt_config *omit)
{
    for (size_t i = dst->n_resources; i-- > 0;)
        if (dst->resources[i].kind != NT_RES_EXCLUDE &&
            omit_covers_resource(omit, &dst->resources[i]))
            nt_config_remove_resource(dst, i);
    /* Excludes narrow dst's remaining includes: dropping one could widen
     * them, so they go only once no include is left. */
    for (size_t i = 0; i < dst->n_resources; i++)
        if (dst->resources[i].kind != NT_RES_EXCLUDE)
            return;
    for (size_t i = dst->n_resources; i-- > 0;)
        if (omit_covers_resource(omit, &dst->resources[i]))
            nt_config_remove_resource(dst, i);
}

/* Bundles: omit's entries of the same name (module: same, or omit's has
 * none; condition: same or none) remove the locales and class names they
 * register; an omit entry without locales covers every locale.  A dst entry
 * without locales ("every locale") is covered only by such an entry.  A dst
 * entry that keeps class names but would lose all its locales keeps them,
 * because an empty list would mean "every locale". */
static void subtract_bundles(nt_config *dst, const nt_config *omit)
{
    for (size_t i = dst->n_bundles; i-- > 0;) {
        nt_bundle *b = &dst->bundles[i];
        const char *ctype = b->cond.kind == NT_COND_NONE ? NULL : b->cond.type;
        int all_locales = 0, any = 0, oom = 0;
        nt_strv locales = {0}, classes = {0};
        for (size_t j = 0; j < omit->n_bundles; j++) {
            const nt_bundle *o = &omit->bundles[j];
            if (strcmp(o->name, b->name) != 0 || (o->module && !nt_ops_str_eq(o->module, b->module)) ||
                !nt_ops_cond_applies(&o->cond, ctype, 1))
                continue;
            any = 1;
            if (o->locales.n == 0)
                all_locales = 1;
            if (strv_union(&locales, &o->locales) != NT_OK ||
                strv_union(&classes, &o->class_names) != NT_OK)
                oom = 1;
        }
        if (any && !oom) {
            int had_locales = b->locales.n > 0;
            nt_strv keep = {0};
            int ok = 1;
            for (size_t k = 0; k < b->locales.n && !all_locales; k++) {
                int covered = 0;
                for (size_t m = 0; m < locales.n && !covered; m++)
                    covered = nt_ops_locale_eq(locales.v[m], b->locales.v[k]);
                if (!covered && nt_strv_push(&keep, b->locales.v[k]) != NT_OK)
                    ok = 0;
            }
            int locales_covered = all_locales || (had_locales && keep.n == 0);
            for (size_t k = b->class_names.n; k-- > 0;)
                if (nt_strv_contains(&classes, b->class_names.v[k]))
                    strv_remove_at(&b->class_names, k);
            if (ok && locales_covered && b->class_names.n == 0) {
                nt_strv_free(&keep);
                nt_strv_free(&locales);
                nt_strv_free(&classes);
                nt_config_remove_bundle(dst, i);
                continue;
            }
            if (ok && !locales_covered && had_locales) {
                nt_strv_free(&b->locales);
                b->locales = keep;
            } else {
                nt_strv_free(&keep);
            }
        }
        nt_strv_free(&locales);
        nt_strv_free(&classes);
    }
}

static void strv_subtract(nt_strv *dst, const nt_strv *omit)
{
    for (size_t i = dst->n; i-- > 0;)
        if (nt_strv_contains(omit, dst->v[i]))
            strv_remove_at(dst, i);
}

nt_status nt_config_subtract(nt_config *dst, const nt_config *omit)
{
    if (!dst || !omit)
        return NT_ERR_INVAL;
    if (dst == omit) {
        nt_config *copy = nt_config_clone(omit);
        if (!copy)
            return NT_ERR_NOMEM;
        nt_status st = nt_config_subtract(dst, copy);
        nt_config_free(copy);
        return st;
    }
    for (int k = 0; k < NT_N_SETS; k++)
        subtract_set(set_at(dst, k), cset_at(omit, k));
    subtract_resources(dst, omit);
    subtract_bundles(dst, omit);
    for (size_t i = dst->n_predefined; i-- > 0;) {
        nt_predef *p = &dst->predefined[i];
        int covered = 0;
        for (size_t j = 0; j < omit->n_predefined && !covered; j++)
            covered = strcmp(omit->predefined[j].hash, p->hash) == 0;
        if (!covered)
            continue;
        free(p->type);
        free(p->hash);
        free(p->name_info);
        memmove(p, p + 1, (dst->n_predefined - i - 1) * sizeof *p);
        dst->n_predefined--;
    }
    strv_subtract(&dst->foreign_downcalls, &omit->foreign_downcalls);
    strv_subtract(&dst->foreign_upcalls, &omit->foreign_upcalls);
    strv_subtract(&dst->foreign_direct_upcalls, &omit->foreign_direct_upcalls);
    return NT_OK;
}

/* ---- equality ----------------------------------------------------------- */

static int type_equal(const nt_type *a, const nt_type *b)
{
    if (a->flags != b->flags || a->n_fields != b->n_fields || a->n_methods != b->n_methods ||
        !nt_ops_str_eq(a->custom_ctor, b->custom_ctor) || !strv_set_equal(&a->reasons, &b->reasons))
        return 0;
    for (size_t i = 0; i < a->n_fields; i++) {
        const nt_field *f = nt_type_find_field(b, a->fields[i].name);
        if (!f || f->flags != a->fields[i].flags)
            return 0;
    }
    for (size_t i = 0; i < a->n_methods; i++) {
        const nt_method *m = &a->methods[i];
        const nt_method *o = nt_type_find_method(b, m->name, m->any_params,
                                                 (const char *const *)m->params.v, m->params.n);
        if (!o || o->level != m->level)
            return 0;
    }
    /* Same counts and every a member in b: b has no extra ones unless a has
     * duplicates; check the other direction too. */
    for (size_t i = 0; i < b->n_methods; i++) {
        const nt_method *m = &b->methods[i];
        if (!nt_type_find_method(a, m->name, m->any_params, (const char *const *)m->params.v,
                                 m->params.n))
            return 0;
    }
    for (size_t i = 0; i < b->n_fields; i++)
        if (!nt_type_find_field(a, b->fields[i].name))
            return 0;
    return 1;
}

static int typeset_equal(const nt_typeset *a, const nt_typeset *b)
{
    if (a->count != b->count)
        return 0;
    for (size_t i = 0; i < a->count; i++) {
        const nt_type *t = a->items[i];
        const nt_type *o = nt_typeset_get_ctor((nt_typeset *)b, &t->td, &t->cond, t->custom_ctor, 0);
        if (!o || !type_equal(t, o))
            return 0;
    }
    return 1;
}

static const nt_resource *find_resource(const nt_config *c, const nt_resource *r)
{
    for (size_t i = 0; i < c->n_resources; i++)
        if (resource_same(&c->resources[i], r))
            return &c->resources[i];
    return NULL;
}

static const nt_bundle *find_bundle(const nt_config *c, const nt_bundle *b)
{
    for (size_t i = 0; i < c->n_bundles; i++)
        if (bundle_same(&c->bundles[i], b))
            return &c->bundles[i];
    return NULL;
}

static int predef_in(const nt_config *c, const nt_predef *p)
{
    for (size_t i = 0; i < c->n_predefined; i++) {
        const nt_predef *q = &c->predefined[i];
        if (strcmp(q->type, p->type) == 0 && strcmp(q->hash, p->hash) == 0 &&
            nt_ops_str_eq(q->name_info, p->name_info))
            return 1;
    }
    return 0;
}

static int resources_within(const nt_config *a, const nt_config *b)
{
    for (size_t i = 0; i < a->n_resources; i++) {
        const nt_resource *o = find_resource(b, &a->resources[i]);
        if (!o || !strv_set_equal(&o->reasons, &a->resources[i].reasons))
            return 0;
    }
    for (size_t i = 0; i < a->n_bundles; i++) {
        const nt_bundle *x = &a->bundles[i], *o = find_bundle(b, x);
        if (!o || !strv_set_equal(&o->locales, &x->locales) ||
            !strv_set_equal(&o->class_names, &x->class_names) ||
            !strv_set_equal(&o->reasons, &x->reasons))
            return 0;
    }
    for (size_t i = 0; i < a->n_predefined; i++)
        if (!predef_in(b, &a->predefined[i]))
            return 0;
    return 1;
}

int nt_config_equal(const nt_config *a, const nt_config *b)
{
    if (!a || !b)
        return a == b;
    for (int k = 0; k < NT_N_SETS; k++)
        if (!typeset_equal(cset_at(a, k), cset_at(b, k)))
            return 0;
    return resources_within(a, b) && resources_within(b, a) &&
           strv_set_equal(&a->foreign_downcalls, &b->foreign_downcalls) &&
           strv_set_equal(&a->foreign_upcalls, &b->foreign_upcalls) &&
           strv_set_equal(&a->foreign_direct_upcalls, &b->foreign_direct_upcalls) &&
           strv_set_equal(&a->comments, &b->comments);
}
