/* The metadata model: containers, keys, names and globs (see include/nitrace/model.h). */
#include "nitrace/model.h"
#include "sbuf_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const nt_cond NT_COND_ALWAYS = {NT_COND_NONE, NULL};

/* ---- small helpers ------------------------------------------------------ */

static char *xstrdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int str_eq_nullable(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* Grow a dynamic array so that it holds at least one more element. */
static int grow(void **items, size_t *cap, size_t count, size_t elem)
{
    if (count < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 4;
    void *n = realloc(*items, ncap * elem);
    if (!n)
        return -1;
    *items = n;
    *cap = ncap;
    return 0;
}

static void sb_strv(nt_sbuf *b, const nt_strv *v)
{
    for (size_t i = 0; i < v->n; i++) {
        if (i)
            nt_sb_puts(b, ",");
        nt_sb_puts(b, v->v[i]);
    }
}

/* ---- string vectors ----------------------------------------------------- */

void nt_strv_free(nt_strv *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

nt_status nt_strv_push(nt_strv *s, const char *str)
{
    if (grow((void **)&s->v, &s->cap, s->n, sizeof *s->v) != 0)
        return NT_ERR_NOMEM;
    char *c = strdup(str ? str : "");
    if (!c)
        return NT_ERR_NOMEM;
    s->v[s->n++] = c;
    return NT_OK;
}

int nt_strv_contains(const nt_strv *s, const char *str)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], str) == 0)
            return 1;
    return 0;
}

nt_status nt_strv_add_unique(nt_strv *s, const char *str)
{
    if (nt_strv_contains(s, str))
        return NT_OK;
    return nt_strv_push(s, str);
}

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void nt_strv_sort(nt_strv *s)
{
    if (s->n < 2)
        return;
    qsort(s->v, s->n, sizeof *s->v, cmp_strp);
    size_t w = 1;
    for (size_t i = 1; i < s->n; i++) {
        if (strcmp(s->v[i], s->v[w - 1]) == 0)
            free(s->v[i]);
        else
            s->v[w++] = s->v[i];
    }
    s->n = w;
}

int nt_strv_equal(const nt_strv *a, const nt_strv *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return 0;
    return 1;
}

nt_status nt_strv_copy(nt_strv *dst, const nt_strv *src)
{
    for (size_t i = 0; i < src->n; i++)
        if (nt_strv_push(dst, src->v[i]) != NT_OK)
            return NT_ERR_NOMEM;
    return NT_OK;
}

/* ---- conditions --------------------------------------------------------- */

nt_status nt_cond_copy(nt_cond *dst, const nt_cond *src)
{
    dst->kind = src ? src->kind : NT_COND_NONE;
    dst->type = NULL;
    if (src && src->kind != NT_COND_NONE) {
        dst->type = strdup(src->type ? src->type : "");
        if (!dst->type)
            return NT_ERR_NOMEM;
    }
    return NT_OK;
}

void nt_cond_free(nt_cond *c)
{
    free(c->type);
    c->type = NULL;
    c->kind = NT_COND_NONE;
}

/* A condition's identity is its type: GraalVM keeps one condition per type
 * and prints it as typeReachable in legacy files and as typeReached in
 * reachability-metadata.json (ConfigurationConditionPrintable), so the
 * spelling read from a file is not part of an entry's key. */
int nt_cond_equal(const nt_cond *a, const nt_cond *b)
{
    int na = !a || a->kind == NT_COND_NONE, nb = !b || b->kind == NT_COND_NONE;
    if (na || nb)
        return na == nb;
    return str_eq_nullable(a->type, b->type);
}

int nt_cond_cmp(const nt_cond *a, const nt_cond *b)
{
    int na = !a || a->kind == NT_COND_NONE, nb = !b || b->kind == NT_COND_NONE;
    if (na || nb)
        return nb - na;
    return strcmp(a->type ? a->type : "", b->type ? b->type : "");
}

static void cond_key(nt_sbuf *b, const nt_cond *c)
{
    if (!c || c->kind == NT_COND_NONE)
        return;
    nt_sb_puts(b, "\x1f" "C:");
    nt_sb_puts(b, c->type ? c->type : "");
}

/* ---- type descriptors --------------------------------------------------- */

nt_typedesc nt_td_class(const char *name)
{
    nt_typedesc td;
    memset(&td, 0, sizeof td);
    td.kind = NT_TD_CLASS;
    td.name = (char *)name;
    return td;
}

static void td_key(nt_sbuf *b, const nt_typedesc *td)
{
    switch (td->kind) {
    case NT_TD_CLASS:
        nt_sb_puts(b, td->name ? td->name : "");
        break;
    case NT_TD_PROXY:
        nt_sb_puts(b, "proxy:[");
        sb_strv(b, &td->ifaces);
        nt_sb_puts(b, "]");
        break;
    case NT_TD_LAMBDA:
        nt_sb_puts(b, "lambda:");
        nt_sb_puts(b, td->name ? td->name : "");
        nt_sb_puts(b, "#");
        if (td->lambda_method) {
            nt_sb_puts(b, td->lambda_method);
            if (td->lambda_has_params) {
                nt_sb_puts(b, "(");
                sb_strv(b, &td->lambda_params);
                nt_sb_puts(b, ")");
            }
        }
        nt_sb_puts(b, ":[");
        sb_strv(b, &td->ifaces);
        nt_sb_puts(b, "]");
        break;
    }
}

char *nt_typedesc_key(const nt_typedesc *td)
{
    nt_sbuf b = {0};
    td_key(&b, td);
    return nt_sb_take(&b);
}

nt_status nt_typedesc_copy(nt_typedesc *dst, const nt_typedesc *src)
{
    memset(dst, 0, sizeof *dst);
    dst->kind = src->kind;
    dst->lambda_has_params = src->lambda_has_params;
    if ((src->name && !(dst->name = strdup(src->name))) ||
        (src->lambda_method && !(dst->lambda_method = strdup(src->lambda_method))) ||
        nt_strv_copy(&dst->ifaces, &src->ifaces) != NT_OK ||
        nt_strv_copy(&dst->lambda_params, &src->lambda_params) != NT_OK) {
        nt_typedesc_free(dst);
        return NT_ERR_NOMEM;
    }
    return NT_OK;
}

void nt_typedesc_free(nt_typedesc *td)
{
    free(td->name);
    free(td->lambda_method);
    nt_strv_free(&td->ifaces);
    nt_strv_free(&td->lambda_params);
    memset(td, 0, sizeof *td);
}

const char *nt_primitive_name(char c)
{
    switch (c) {
    case 'Z': return "boolean";
    case 'B': return "byte";
    case 'C': return "char";
    case 'S': return "short";
    case 'I': return "int";
    case 'J': return "long";
    case 'F': return "float";
    case 'D': return "double";
    case 'V': return "void";
    }
    return NULL;
}

char *nt_java_name(const char *name)
{
    if (!name)
        return NULL;
    size_t dims = 0;
    while (name[dims] == '[')
        dims++;
    nt_sbuf b = {0};
    /* JNI names use '/' as separator ("java/lang/String"); a name that already
     * has dots keeps its slashes (hidden classes: "a.B$$Lambda$14/0x0000000800c03000"). */
    if (dims == 0) {
        char *c = strdup(name);
        if (c && !strchr(c, '.'))
            for (char *p = c; *p; p++)
                if (*p == '/')
                    *p = '.';
        return c;
    }
    const char *elem = name + dims;
    size_t elen = strlen(elem);
    if (elem[0] == 'L' && elen >= 3 && elem[elen - 1] == ';') {
        int jni = memchr(elem, '.', elen) == NULL;
        for (size_t i = 1; i + 1 < elen; i++)
            nt_sb_putn(&b, (jni && elem[i] == '/') ? "." : &elem[i], 1);
    } else if (elen == 1 && nt_primitive_name(elem[0]) && elem[0] != 'V') {
        nt_sb_puts(&b, nt_primitive_name(elem[0]));
    } else {
        return strdup(name); /* not a descriptor: keep as given */
    }
    for (size_t i = 0; i < dims; i++)
        nt_sb_puts(&b, "[]");
    return nt_sb_take(&b);
}

/* ---- flags -------------------------------------------------------------- */

static const char *const flag_names[NT_TYPE_FLAG_COUNT] = {
    "allDeclaredFields",        "allPublicFields",           "allDeclaredMethods",
    "allPublicMethods",         "allDeclaredConstructors",   "allPublicConstructors",
    "allDeclaredClasses",       "allPublicClasses",          "allRecordComponents",
    "allPermittedSubclasses",   "allNestMembers",            "allSigners",
    "queryAllDeclaredMethods",  "queryAllPublicMethods",     "queryAllDeclaredConstructors",
    "queryAllPublicConstructors", "unsafeAllocated",
};

const char *nt_type_flag_name(unsigned flag_bit)
{
    for (unsigned i = 0; i < NT_TYPE_FLAG_COUNT; i++)
        if (flag_bit == (1u << i))
            return flag_names[i];
    return NULL;
}

unsigned nt_type_flag_from_name(const char *key)
{
    for (unsigned i = 0; i < NT_TYPE_FLAG_COUNT; i++)
        if (strcmp(key, flag_names[i]) == 0)
            return 1u << i;
    return 0;
}

/* ---- members ------------------------------------------------------------ */

nt_field *nt_type_find_field(const nt_type *t, const char *name)
{
    for (size_t i = 0; i < t->n_fields; i++)
        if (strcmp(t->fields[i].name, name) == 0)
            return &t->fields[i];
    return NULL;
}

nt_field *nt_type_add_field(nt_type *t, const char *name, unsigned flags)
{
    nt_field *f = nt_type_find_field(t, name);
    if (f) {
        f->flags |= flags;
        return f;
    }
    if (grow((void **)&t->fields, &t->cap_fields, t->n_fields, sizeof *t->fields) != 0)
        return NULL;
    f = &t->fields[t->n_fields];
    f->name = strdup(name);
    if (!f->name)
        return NULL;
    f->flags = flags;
    t->n_fields++;
    return f;
}

static int method_matches(const nt_method *m, const char *name, int any_params,
                          const char *const *params, size_t n_params)
{
    if (strcmp(m->name, name) != 0 || (m->any_params != 0) != (any_params != 0))
        return 0;
    if (any_params)
        return 1;
    if (m->params.n != n_params)
        return 0;
    for (size_t i = 0; i < n_params; i++)
        if (strcmp(m->params.v[i], params[i]) != 0)
            return 0;
    return 1;
}

nt_method *nt_type_find_method(const nt_type *t, const char *name, int any_params,
                               const char *const *params, size_t n_params)
{
    for (size_t i = 0; i < t->n_methods; i++)
        if (method_matches(&t->methods[i], name, any_params, params, n_params))
            return &t->methods[i];
    return NULL;
}

nt_method *nt_type_add_method(nt_type *t, const char *name, int any_params,
                              const char *const *params, size_t n_params,
                              nt_access_level level)
{
    nt_method *m = nt_type_find_method(t, name, any_params, params, n_params);
    if (m) {
        if (level > m->level)
            m->level = level;
        return m;
    }
    if (grow((void **)&t->methods, &t->cap_methods, t->n_methods, sizeof *t->methods) != 0)
        return NULL;
    m = &t->methods[t->n_methods];
    memset(m, 0, sizeof *m);
    m->name = strdup(name);
    if (!m->name)
        return NULL;
    m->any_params = any_params != 0;
    m->level = level;
    if (!any_params) {
        for (size_t i = 0; i < n_params; i++) {
            if (nt_strv_push(&m->params, params[i]) != NT_OK) {
                nt_strv_free(&m->params);
                free(m->name);
                return NULL;
            }
        }
    }
    t->n_methods++;
    return m;
}

void nt_type_remove_field(nt_type *t, size_t index)
{
    if (index >= t->n_fields)
        return;
    free(t->fields[index].name);
    memmove(&t->fields[index], &t->fields[index + 1],
            (t->n_fields - index - 1) * sizeof *t->fields);
    t->n_fields--;
}

static void method_free(nt_method *m)
{
    free(m->name);
    nt_strv_free(&m->params);
}

void nt_type_remove_method(nt_type *t, size_t index)
{
    if (index >= t->n_methods)
        return;
    method_free(&t->methods[index]);
    memmove(&t->methods[index], &t->methods[index + 1],
            (t->n_methods - index - 1) * sizeof *t->methods);
    t->n_methods--;
}

int nt_type_is_bare(const nt_type *t)
{
    return t->flags == 0 && t->n_fields == 0 && t->n_methods == 0 && t->custom_ctor == NULL;
}

static void type_free(nt_type *t)
{
    if (!t)
        return;
    nt_typedesc_free(&t->td);
    nt_cond_free(&t->cond);
    for (size_t i = 0; i < t->n_fields; i++)
        free(t->fields[i].name);
    free(t->fields);
    for (size_t i = 0; i < t->n_methods; i++)
        method_free(&t->methods[i]);
    free(t->methods);
    free(t->custom_ctor);
    nt_strv_free(&t->reasons);
    free(t->key);
    free(t);
}

/* ---- type sets ---------------------------------------------------------- */

static char *type_key(const nt_typedesc *td, const nt_cond *cond, const char *ctor)
{
    nt_sbuf b = {0};
    td_key(&b, td);
    cond_key(&b, cond);
    if (ctor) {
        nt_sb_puts(&b, "\x1f" "T:");
        nt_sb_puts(&b, ctor);
    }
    return nt_sb_take(&b);
}

nt_type *nt_typeset_get(nt_typeset *s, const nt_typedesc *td, const nt_cond *cond, int create)
{
    return nt_typeset_get_ctor(s, td, cond, NULL, create);
}

nt_type *nt_typeset_get_ctor(nt_typeset *s, const nt_typedesc *td, const nt_cond *cond,
                             const char *ctor, int create)
{
    char *key = type_key(td, cond, ctor);
    if (!key)
        return NULL;
    nt_type *t = nt_map_get(&s->index, key);
    if (t || !create) {
        free(key);
        return t;
    }
    if (grow((void **)&s->items, &s->cap, s->count, sizeof *s->items) != 0) {
        free(key);
        return NULL;
    }
    t = calloc(1, sizeof *t);
    if (!t) {
        free(key);
        return NULL;
    }
    t->key = key;
    if (nt_typedesc_copy(&t->td, td) != NT_OK || nt_cond_copy(&t->cond, cond) != NT_OK ||
        (ctor && !(t->custom_ctor = strdup(ctor))) || nt_map_put(&s->index, key, t) != 0) {
        type_free(t);
        return NULL;
    }
    s->items[s->count++] = t;
    return t;
}

nt_type *nt_typeset_get_class(nt_typeset *s, const char *name, const nt_cond *cond, int create)
{
    nt_typedesc td = nt_td_class(name);
    return nt_typeset_get(s, &td, cond, create);
}

void nt_typeset_remove(nt_typeset *s, size_t index)
{
    if (index >= s->count)
        return;
    nt_type *t = s->items[index];
    nt_map_remove(&s->index, t->key);
    memmove(&s->items[index], &s->items[index + 1], (s->count - index - 1) * sizeof *s->items);
    s->count--;
    type_free(t);
}

static void typeset_free(nt_typeset *s)
{
    for (size_t i = 0; i < s->count; i++)
        type_free(s->items[i]);
    free(s->items);
    nt_map_free(&s->index);
    memset(s, 0, sizeof *s);
}

/* ---- config ------------------------------------------------------------- */

nt_config *nt_config_new(void)
{
    return calloc(1, sizeof(nt_config));
}

static void resource_free(nt_resource *r)
{
    free(r->module);
    free(r->value);
    nt_cond_free(&r->cond);
    nt_strv_free(&r->reasons);
}

static void bundle_free(nt_bundle *b)
{
    free(b->name);
    free(b->module);
    nt_cond_free(&b->cond);
    nt_strv_free(&b->locales);
    nt_strv_free(&b->class_names);
    nt_strv_free(&b->reasons);
}

void nt_config_free(nt_config *c)
{
    if (!c)
        return;
    typeset_free(&c->reflection);
    typeset_free(&c->jni);
    typeset_free(&c->serialization);
    typeset_free(&c->lambda_capturing);
    for (size_t i = 0; i < c->n_resources; i++)
        resource_free(&c->resources[i]);
    free(c->resources);
    for (size_t i = 0; i < c->n_bundles; i++)
        bundle_free(&c->bundles[i]);
    free(c->bundles);
    for (size_t i = 0; i < c->n_predefined; i++) {
        free(c->predefined[i].type);
        free(c->predefined[i].hash);
        free(c->predefined[i].name_info);
    }
    free(c->predefined);
    nt_strv_free(&c->foreign_downcalls);
    nt_strv_free(&c->foreign_upcalls);
    nt_strv_free(&c->foreign_direct_upcalls);
    nt_strv_free(&c->comments);
    nt_map_free(&c->res_index);
    nt_map_free(&c->bundle_index);
    free(c);
}

static char *resource_key(nt_res_kind kind, const char *module, const char *value,
                          const nt_cond *cond)
{
    nt_sbuf b = {0};
    char k[2] = {(char)('0' + kind), 0};
    nt_sb_puts(&b, k);
    nt_sb_puts(&b, "\x1f");
    nt_sb_puts(&b, module ? module : "");
    nt_sb_puts(&b, "\x1f");
    nt_sb_puts(&b, value ? value : "");
    cond_key(&b, cond);
    return nt_sb_take(&b);
}

static char *bundle_key(const char *name, const char *module, const nt_cond *cond)
{
    nt_sbuf b = {0};
    nt_sb_puts(&b, name ? name : "");
    nt_sb_puts(&b, "\x1f");
    nt_sb_puts(&b, module ? module : "");
    cond_key(&b, cond);
    return nt_sb_take(&b);
}

/* Rebuild an index of key -> position + 1 after removals. */
static int rebuild_res_index(nt_config *c)
{
    nt_map_free(&c->res_index);
    for (size_t i = 0; i < c->n_resources; i++) {
        nt_resource *r = &c->resources[i];
        char *k = resource_key(r->kind, r->module, r->value, &r->cond);
        if (!k || nt_map_put(&c->res_index, k, (void *)(i + 1)) != 0) {
            free(k);
            return -1;
        }
        free(k);
    }
    c->res_index_dirty = 0;
    return 0;
}

static int rebuild_bundle_index(nt_config *c)
{
    nt_map_free(&c->bundle_index);
    for (size_t i = 0; i < c->n_bundles; i++) {
        nt_bundle *b = &c->bundles[i];
        char *k = bundle_key(b->name, b->module, &b->cond);
        if (!k || nt_map_put(&c->bundle_index, k, (void *)(i + 1)) != 0) {
            free(k);
            return -1;
        }
        free(k);
    }
    c->bundle_index_dirty = 0;
    return 0;
}

nt_resource *nt_config_add_resource(nt_config *c, nt_res_kind kind, const char *module,
                                    const char *value, const nt_cond *cond)
{
    if (c->res_index_dirty && rebuild_res_index(c) != 0)
        return NULL;
    if (module && !*module)
        module = NULL;
    char *key = resource_key(kind, module, value, cond);
    if (!key)
        return NULL;
    size_t pos = (size_t)nt_map_get(&c->res_index, key);
    if (pos) {
        free(key);
        return &c->resources[pos - 1];
    }
    if (grow((void **)&c->resources, &c->cap_resources, c->n_resources, sizeof *c->resources) != 0) {
        free(key);
        return NULL;
    }
    nt_resource *r = &c->resources[c->n_resources];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    if ((module && !(r->module = strdup(module))) || !(r->value = strdup(value ? value : "")) ||
        nt_cond_copy(&r->cond, cond) != NT_OK ||
        nt_map_put(&c->res_index, key, (void *)(c->n_resources + 1)) != 0) {
        resource_free(r);
        free(key);
        return NULL;
    }
    free(key);
    c->n_resources++;
    return r;
}

nt_bundle *nt_config_add_bundle(nt_config *c, const char *name, const char *module,
                                const nt_cond *cond)
{
    if (c->bundle_index_dirty && rebuild_bundle_index(c) != 0)
        return NULL;
    if (module && !*module)
        module = NULL;
    char *key = bundle_key(name, module, cond);
    if (!key)
        return NULL;
    size_t pos = (size_t)nt_map_get(&c->bundle_index, key);
    if (pos) {
        free(key);
        return &c->bundles[pos - 1];
    }
    if (grow((void **)&c->bundles, &c->cap_bundles, c->n_bundles, sizeof *c->bundles) != 0) {
        free(key);
        return NULL;
    }
    nt_bundle *b = &c->bundles[c->n_bundles];
    memset(b, 0, sizeof *b);
    if (!(b->name = strdup(name ? name : "")) || (module && !(b->module = strdup(module))) ||
        nt_cond_copy(&b->cond, cond) != NT_OK ||
        nt_map_put(&c->bundle_index, key, (void *)(c->n_bundles + 1)) != 0) {
        bundle_free(b);
        free(key);
        return NULL;
    }
    free(key);
    c->n_bundles++;
    return b;
}

nt_predef *nt_config_add_predefined(nt_config *c, const char *type, const char *hash,
                                    const char *name_info)
{
    for (size_t i = 0; i < c->n_predefined; i++) {
        nt_predef *p = &c->predefined[i];
        if (strcmp(p->type, type) == 0 && strcmp(p->hash, hash) == 0) {
            if (!p->name_info && name_info)
                p->name_info = xstrdup(name_info);
            return p;
        }
    }
    if (grow((void **)&c->predefined, &c->cap_predefined, c->n_predefined, sizeof *c->predefined) != 0)
        return NULL;
    nt_predef *p = &c->predefined[c->n_predefined];
    p->type = xstrdup(type);
    p->hash = xstrdup(hash);
    p->name_info = xstrdup(name_info);
    if (!p->type || !p->hash || (name_info && !p->name_info)) {
        free(p->type);
        free(p->hash);
        free(p->name_info);
        return NULL;
    }
    c->n_predefined++;
    return p;
}

void nt_config_remove_resource(nt_config *c, size_t index)
{
    if (index >= c->n_resources)
        return;
    resource_free(&c->resources[index]);
    memmove(&c->resources[index], &c->resources[index + 1],
            (c->n_resources - index - 1) * sizeof *c->resources);
    c->n_resources--;
    c->res_index_dirty = 1;
}

void nt_config_remove_bundle(nt_config *c, size_t index)
{
    if (index >= c->n_bundles)
        return;
    bundle_free(&c->bundles[index]);
    memmove(&c->bundles[index], &c->bundles[index + 1],
            (c->n_bundles - index - 1) * sizeof *c->bundles);
    c->n_bundles--;
    c->bundle_index_dirty = 1;
}

size_t nt_config_entry_count(const nt_config *c)
{
    return c->reflection.count + c->jni.count + c->serialization.count +
           c->lambda_capturing.count + c->n_resources + c->n_bundles + c->n_predefined +
           c->foreign_downcalls.n + c->foreign_upcalls.n + c->foreign_direct_upcalls.n;
}

/* ---- globs and quoted patterns ------------------------------------------ */

char *nt_glob_escape(const char *literal)
{
    nt_sbuf b = {0};
    for (const char *p = literal; *p; p++) {
        if (strchr("*?[]{}\\", *p))
            nt_sb_putn(&b, "\\", 1);
        nt_sb_putn(&b, p, 1);
    }
    return nt_sb_take(&b);
}

char *nt_regex_unquote(const char *pattern)
{
    if (strncmp(pattern, "\\Q", 2) != 0)
        return NULL;
    const char *p = pattern + 2;
    nt_sbuf b = {0};
    for (;;) {
        const char *end = strstr(p, "\\E");
        if (!end) {
            free(b.s);
            return NULL;
        }
        nt_sb_putn(&b, p, (size_t)(end - p));
        p = end + 2;
        if (*p == '\0')
            break;
        /* Pattern.quote turns a literal "\E" into "\E\\E\Q". */
        if (strncmp(p, "\\\\E\\Q", 5) != 0) {
            free(b.s);
            return NULL;
        }
        nt_sb_puts(&b, "\\E");
        p += 5;
    }
    return nt_sb_take(&b);
}

/* Glob tokens: a literal byte, '*' (within a segment), '**' (any), '**' followed by
 * '/' (zero or more whole segments). */
enum { G_LIT, G_STAR, G_DSTAR, G_DSTAR_SLASH };

typedef struct gtok {
    int kind;
    char c;
} gtok;

int nt_glob_match(const char *glob, const char *name)
{
    size_t gl = strlen(glob), nl = strlen(name);
    gtok *t = malloc((gl + 1) * sizeof *t);
    if (!t)
        return 0;
    size_t nt = 0;
    for (size_t i = 0; i < gl; i++) {
        if (glob[i] == '\\' && i + 1 < gl) {
            t[nt].kind = G_LIT;
            t[nt++].c = glob[++i];
        } else if (glob[i] == '*' && i + 1 < gl && glob[i + 1] == '*') {
            i++;
            if (i + 1 < gl && glob[i + 1] == '/') {
                i++;
                t[nt++].kind = G_DSTAR_SLASH;
            } else {
                t[nt++].kind = G_DSTAR;
            }
        } else if (glob[i] == '*') {
            t[nt++].kind = G_STAR;
        } else {
            t[nt].kind = G_LIT;
            t[nt++].c = glob[i];
        }
    }
    /* Dynamic programming over (token, name position): O(tokens * name). */
    if ((nt + 1) > ((size_t)64 << 20) / (nl + 1)) {
        free(t);
        return strcmp(glob, name) == 0;
    }
    unsigned char *cur = calloc(nl + 1, 1), *next = calloc(nl + 1, 1);
    if (!cur || !next) {
        free(t);
        free(cur);
        free(next);
        return 0;
    }
    /* cur[j]: tokens [k..] match name[j..]; iterate k from the end. */
    cur[nl] = 1;
    for (size_t k = nt; k-- > 0;) {
        memset(next, 0, nl + 1);
        int slash_run = 0; /* G_DSTAR_SLASH: name[j..m) ends in '/' and cur[m], some m > j */
        for (size_t j = nl + 1; j-- > 0;) {
            int ok = 0;
            switch (t[k].kind) {
            case G_LIT:
                ok = j < nl && name[j] == t[k].c && cur[j + 1];
                break;
            case G_STAR:
                ok = cur[j] || (j < nl && name[j] != '/' && next[j + 1]);
                break;
            case G_DSTAR:
                ok = cur[j] || (j < nl && next[j + 1]);
                break;
            case G_DSTAR_SLASH:
                /* zero segments, or any text ending in '/' */
                if (j < nl && name[j] == '/' && cur[j + 1])
                    slash_run = 1;
                ok = cur[j] || slash_run;
                break;
            }
            next[j] = (unsigned char)ok;
        }
        unsigned char *tmp = cur;
        cur = next;
        next = tmp;
    }
    int res = cur[0];
    free(cur);
    free(next);
    free(t);
    return res;
}

int nt_regex_is_tame(const char *ere)
{
    size_t len = strlen(ere), quantifiers = 0;
    if (len > 4096)
        return 0;
    int prev_quant = 0, in_bracket = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = ere[i];
        if (in_bracket) {
            /* "[]...]" and "[^]...]" start with a literal ']' */
            if (ch == ']' && !(i > 0 && (ere[i - 1] == '[' || (ere[i - 1] == '^' && i > 1 &&
                                                               ere[i - 2] == '['))))
                in_bracket = 0;
            continue;
        }
        if (ch == '\\') {
            i++;
            prev_quant = 0;
            continue;
        }
        if (ch == '[') {
            in_bracket = 1;
            prev_quant = 0;
            continue;
        }
        int quant = ch == '*' || ch == '+' || ch == '?' || ch == '{';
        if (quant) {
            if (prev_quant || ++quantifiers > 64)
                return 0;
            if (ch == '{') {
                const char *close = strchr(ere + i, '}');
                if (!close)
                    return 0;
                i = (size_t)(close - ere);
            }
        }
        prev_quant = quant;
    }
    return 1;
}
