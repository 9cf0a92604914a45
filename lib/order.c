/* nitrace core: canonical sort order of model entries (reference §3.2) and
 * nt_config_sort. */
#include <stdlib.h>
#include <string.h>

#include "nitrace/model.h"
#include "nitrace/ops.h"
#include "order_priv.h"

int nt_strcmp_null(const char *a, const char *b)
{
    if (a == b)
        return 0;
    if (!a)
        return -1;
    if (!b)
        return 1;
    return strcmp(a, b);
}

int nt_strv_cmp(const nt_strv *a, const nt_strv *b)
{
    size_t n = a->n < b->n ? a->n : b->n;
    for (size_t i = 0; i < n; i++) {
        int r = nt_strcmp_null(a->v[i], b->v[i]);
        if (r)
            return r;
    }
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    return 0;
}

int nt_str_pcmp(const void *a, const void *b)
{
    return nt_strcmp_null(*(char *const *)a, *(char *const *)b);
}

/* Order used when descriptor keys cannot be computed (out of memory):
 * deterministic, but not necessarily the key order. */
static int typedesc_cmp_fallback(const nt_typedesc *a, const nt_typedesc *b)
{
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    int r = nt_strcmp_null(a->name, b->name);
    if (r)
        return r;
    r = nt_strv_cmp(&a->ifaces, &b->ifaces);
    if (r)
        return r;
    r = nt_strcmp_null(a->lambda_method, b->lambda_method);
    if (r)
        return r;
    if (a->lambda_has_params != b->lambda_has_params)
        return a->lambda_has_params ? 1 : -1;
    return nt_strv_cmp(&a->lambda_params, &b->lambda_params);
}

int nt_typedesc_cmp(const nt_typedesc *a, const nt_typedesc *b)
{
    if (a->kind == NT_TD_CLASS && b->kind == NT_TD_CLASS)
        return nt_strcmp_null(a->name, b->name);
    char *ka = nt_typedesc_key(a);
    char *kb = nt_typedesc_key(b);
    int r;
    if (ka && kb)
        r = strcmp(ka, kb);
    else
        r = typedesc_cmp_fallback(a, b);
    free(ka);
    free(kb);
    return r;
}

int nt_type_cmp(const nt_type *a, const nt_type *b)
{
    int r = nt_typedesc_cmp(&a->td, &b->td);
    if (r)
        return r;
    r = nt_cond_cmp(&a->cond, &b->cond);
    return r ? r : nt_strcmp_null(a->custom_ctor, b->custom_ctor);
}

int nt_type_pcmp(const void *a, const void *b)
{
    return nt_type_cmp(*(nt_type *const *)a, *(nt_type *const *)b);
}

int nt_method_cmp(const nt_method *a, const nt_method *b)
{
    int r = nt_strcmp_null(a->name, b->name);
    if (r)
        return r;
    if ((a->any_params != 0) != (b->any_params != 0))
        return a->any_params ? -1 : 1;
    if (a->any_params)
        return 0;
    return nt_strv_cmp(&a->params, &b->params);
}

int nt_method_qcmp(const void *a, const void *b)
{
    return nt_method_cmp((const nt_method *)a, (const nt_method *)b);
}

int nt_method_pcmp(const void *a, const void *b)
{
    return nt_method_cmp(*(const nt_method *const *)a, *(const nt_method *const *)b);
}

int nt_field_cmp(const nt_field *a, const nt_field *b)
{
    return nt_strcmp_null(a->name, b->name);
}

int nt_field_qcmp(const void *a, const void *b)
{
    return nt_field_cmp((const nt_field *)a, (const nt_field *)b);
}

int nt_field_pcmp(const void *a, const void *b)
{
    return nt_field_cmp(*(const nt_field *const *)a, *(const nt_field *const *)b);
}

int nt_resource_cmp(const nt_resource *a, const nt_resource *b)
{
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    int r = nt_strcmp_null(a->module, b->module);
    if (r)
        return r;
    r = nt_strcmp_null(a->value, b->value);
    if (r)
        return r;
    return nt_cond_cmp(&a->cond, &b->cond);
}

int nt_resource_qcmp(const void *a, const void *b)
{
    return nt_resource_cmp((const nt_resource *)a, (const nt_resource *)b);
}

int nt_resource_pcmp(const void *a, const void *b)
{
    return nt_resource_cmp(*(const nt_resource *const *)a, *(const nt_resource *const *)b);
}

int nt_bundle_cmp(const nt_bundle *a, const nt_bundle *b)
{
    int r = nt_strcmp_null(a->name, b->name);
    if (r)
        return r;
    r = nt_strcmp_null(a->module, b->module);
    if (r)
        return r;
    return nt_cond_cmp(&a->cond, &b->cond);
}

int nt_bundle_qcmp(const void *a, const void *b)
{
    return nt_bundle_cmp((const nt_bundle *)a, (const nt_bundle *)b);
}

int nt_bundle_pcmp(const void *a, const void *b)
{
    return nt_bundle_cmp(*(const nt_bundle *const *)a, *(const nt_bundle *const *)b);
}

int nt_predef_cmp(const nt_predef *a, const nt_predef *b)
{
    int r = nt_strcmp_null(a->type, b->type);
    if (r)
        return r;
    r = nt_strcmp_null(a->hash, b->hash);
    if (r)
        return r;
    return nt_strcmp_null(a->name_info, b->name_info);
}

int nt_predef_qcmp(const void *a, const void *b)
{
    return nt_predef_cmp((const nt_predef *)a, (const nt_predef *)b);
}

int nt_predef_pcmp(const void *a, const void *b)
{
    return nt_predef_cmp(*(const nt_predef *const *)a, *(const nt_predef *const *)b);
}

/* ---- decorated sort of type pointers ---------------------------------- */

typedef struct keyed_type {
    char *key;       /* descriptor key; NULL when it could not be computed */
    nt_type *t;
} keyed_type;

static int keyed_type_cmp(const void *pa, const void *pb)
{
    const keyed_type *a = pa, *b = pb;
    int r;
    if (a->key && b->key)
        r = strcmp(a->key, b->key);
    else
        r = nt_typedesc_cmp(&a->t->td, &b->t->td);
    if (r)
        return r;
    r = nt_cond_cmp(&a->t->cond, &b->t->cond);
    return r ? r : nt_strcmp_null(a->t->custom_ctor, b->t->custom_ctor);
}

void nt_order_sort_types(nt_type **items, size_t n)
{
    if (n < 2)
        return;
    keyed_type *k = malloc(n * sizeof *k);
    if (!k) {
        qsort(items, n, sizeof *items, nt_type_pcmp);
        return;
    }
    int all_keys = 1;
    for (size_t i = 0; i < n; i++) {
        k[i].t = items[i];
        /* A class descriptor's key is its name: no copy needed. */
        k[i].key = items[i]->td.kind == NT_TD_CLASS ? items[i]->td.name
                                                    : nt_typedesc_key(&items[i]->td);
        if (!k[i].key)
            all_keys = 0;
    }
    if (all_keys)
        qsort(k, n, sizeof *k, keyed_type_cmp);
    for (size_t i = 0; i < n; i++) {
        if (all_keys)
            items[i] = k[i].t;
        if (k[i].t->td.kind != NT_TD_CLASS)
            free(k[i].key);
    }
    free(k);
    if (!all_keys)
        qsort(items, n, sizeof *items, nt_type_pcmp);
}

/* ---- nt_config_sort ---------------------------------------------------- */

static void sort_type_members(nt_type *t)
{
    if (t->n_fields > 1)
        qsort(t->fields, t->n_fields, sizeof *t->fields, nt_field_qcmp);
    if (t->n_methods > 1)
        qsort(t->methods, t->n_methods, sizeof *t->methods, nt_method_qcmp);
}

static void sort_typeset(nt_typeset *s)
{
    nt_order_sort_types(s->items, s->count);
    for (size_t i = 0; i < s->count; i++)
        sort_type_members(s->items[i]);
}

void nt_config_sort(nt_config *c)
{
    if (!c)
        return;
    sort_typeset(&c->reflection);
    sort_typeset(&c->jni);
    sort_typeset(&c->serialization);
    sort_typeset(&c->lambda_capturing);
    if (c->n_resources > 1)
        qsort(c->resources, c->n_resources, sizeof *c->resources, nt_resource_qcmp);
    if (c->n_bundles > 1)
        qsort(c->bundles, c->n_bundles, sizeof *c->bundles, nt_bundle_qcmp);
    if (c->n_predefined > 1)
        qsort(c->predefined, c->n_predefined, sizeof *c->predefined, nt_predef_qcmp);
    nt_strv_sort(&c->foreign_downcalls);
    nt_strv_sort(&c->foreign_upcalls);
    nt_strv_sort(&c->foreign_direct_upcalls);
}
