/* Check mode: which run-time accesses of a recording a config does not cover
 * (include/nitrace/check.h). */
#include "nitrace/check.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nitrace/map.h"
#include "nitrace/ops.h"
#include "ops_priv.h"
#include "prune_priv.h"
#include "sbuf_priv.h"
#include "trace_priv.h"


static char *dup_opt(const char *s, int *oom)
{
    if (!s)
        return NULL;
    char *p = strdup(s);
    if (!p)
        *oom = 1;
    return p;
}

/* ---- options, report ------------------------------------------------------------------ */

void nt_check_opts_init(nt_check_opts *o)
{
    memset(o, 0, sizeof *o);
    nt_prune_opts_init(&o->build_time);
    o->filters = NULL;
}

void nt_check_report_init(nt_check_report *r)
{
    memset(r, 0, sizeof *r);
}

static void item_free(nt_check_item *it)
{
    free(it->category);
    free(it->type);
    free(it->missing);
    free(it->member);
    free(it->access);
    free(it->entry);
    free(it->event);
    free(it->caller);
    nt_strv_free(&it->frames);
}

void nt_check_report_free(nt_check_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        item_free(&r->items[i]);
    free(r->items);
    memset(r, 0, sizeof *r);
}

static nt_check_item *report_push(nt_check_report *r)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        nt_check_item *v = realloc(r->items, cap * sizeof *v);
        if (!v)
            return NULL;
        r->items = v;
        r->cap = cap;
    }
    nt_check_item *it = &r->items[r->n++];
    memset(it, 0, sizeof *it);
    return it;
}

/* NULL sorts first. */
static int cmp_opt(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int cmp_item(const void *x, const void *y)
{
    const nt_check_item *a = x, *b = y;
    int c;
    if ((c = cmp_opt(a->category, b->category)) || (c = cmp_opt(a->type, b->type)))
        return c;
    return cmp_opt(a->entry, b->entry); /* the type itself first: its entry is a prefix */
}

/* ---- per-event verdicts ---------------------------------------------------------------- */

/* One entry an event needs that the config does not cover. */
typedef struct atom {
    char *category, *type, *missing, *member, *access, *entry;
} atom;

typedef struct ev_cache {
    int skip;        /* a meta event, or one the processor rejected */
    int mh;          /* a method/constructor handle lookup: checked in every context */
    atom *atoms;
    size_t n_atoms, cap_atoms;
    nt_strv ns_pkgs; /* packages holding an `__init` class named in the event */
} ev_cache;

struct nt_checker {
    const nt_config *cfg;
    nt_check_opts o;
    nt_map cache;    /* event text -> ev_cache* */
};

static void atom_free(atom *a)
{
    free(a->category);
    free(a->type);
    free(a->missing);
    free(a->member);
    free(a->access);
    free(a->entry);
}

static void ev_cache_free(ev_cache *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n_atoms; i++)
        atom_free(&e->atoms[i]);
    free(e->atoms);
    nt_strv_free(&e->ns_pkgs);
    free(e);
}

nt_checker *nt_checker_new(const nt_config *cfg, const nt_check_opts *o)
{
    if (!cfg)
        return NULL;
    nt_checker *ck = calloc(1, sizeof *ck);
    if (!ck)
        return NULL;
    ck->cfg = cfg;
    if (o)
        ck->o = *o;
    else
        nt_check_opts_init(&ck->o);
    nt_map_init(&ck->cache);
    return ck;
}

void nt_checker_free(nt_checker *ck)
{
    if (!ck)
        return;
    const char *k;
    void *v;
    for (size_t i = 0; (i = nt_map_next(&ck->cache, i, &k, &v)) != 0;)
        ev_cache_free(v);
    nt_map_free(&ck->cache);
    free(ck);
}

/* Add an atom; entry text is built from the parts. Returns NT_OK / NOMEM. */
static nt_status add_atom(ev_cache *e, const char *category, const char *type, const char *missing,
                          const char *member, const char *access)
{
    if (e->n_atoms == e->cap_atoms) {
        size_t cap = e->cap_atoms ? e->cap_atoms * 2 : 4;
        atom *v = realloc(e->atoms, cap * sizeof *v);
        if (!v)
            return NT_ERR_NOMEM;
        e->atoms = v;
        e->cap_atoms = cap;
    }
    nt_sbuf b = {0};
    nt_sb_printf(&b, "%s %s", category, type);
    if (strcmp(missing, "type") != 0 && strcmp(missing, "resource") != 0 &&
        strcmp(missing, "bundle") != 0 && strcmp(missing, "proxy") != 0) {
        nt_sb_printf(&b, " %s", missing);
        if (member)
            nt_sb_printf(&b, " %s", member);
    } else if (member) {
        nt_sb_printf(&b, " (%s %s)", strcmp(missing, "resource") == 0 ? "module" : "locale", member);
    }
    if (access)
        nt_sb_printf(&b, " (%s)", access);
    atom a;
    int oom = 0;
    a.entry = nt_sb_take(&b);
    a.category = dup_opt(category, &oom);
    a.type = dup_opt(type, &oom);
    a.missing = dup_opt(missing, &oom);
    a.member = dup_opt(member, &oom);
    a.access = dup_opt(access, &oom);
    if (oom || !a.entry) {
        atom_free(&a);
        return NT_ERR_NOMEM;
    }
    e->atoms[e->n_atoms++] = a;
    return NT_OK;
}

static int is_fn(const char *fn, const char *name)
{
    return fn && strcmp(fn, name) == 0;
}

/* What the event says about the members it registers. */
typedef struct member_facts {
    int declared;   /* 1: declared in the entry's type (the declaring class is known) */
    int is_public;  /* 1: found by a public-only lookup */
} member_facts;

/* The processor registers members on their declaring class: the agent names it for
 * getMethod/getField when it is a supertype (declaring_class) and otherwise found the member in
 * the class itself; Method/Constructor/Field objects carry it. Method-handle lookups
 * (findVirtual may find an inherited method) stay unknown. */
static member_facts facts_of_event(const nt_event *ev)
{
    member_facts f = {-1, -1};
    const char *fn = ev->function;
    if (is_fn(fn, "getDeclaredMethod") || is_fn(fn, "getDeclaredConstructor") ||
        is_fn(fn, "getDeclaredField") || is_fn(fn, "getMethod") || is_fn(fn, "getField") ||
        is_fn(fn, "getConstructor") || is_fn(fn, "invokeMethod") ||
        is_fn(fn, "invokeConstructor") || is_fn(fn, "accessField") ||
        (ev->declaring_class && !nt_is_unknown(ev->declaring_class)))
        f.declared = 1;
    if (is_fn(fn, "getMethod") || is_fn(fn, "getField") || is_fn(fn, "getConstructor"))
        f.is_public = 1;
    return f;
}

static char *method_text(const nt_method *m)
{
    nt_sbuf b = {0};
    nt_sb_puts(&b, m->name);
    nt_sb_puts(&b, "(");
    if (m->any_params)
        nt_sb_puts(&b, "...");
    for (size_t i = 0; !m->any_params && i < m->params.n; i++) {
        if (i)
            nt_sb_puts(&b, ", ");
        nt_sb_puts(&b, m->params.v[i]);
    }
    nt_sb_puts(&b, ")");
    return nt_sb_take(&b);
}

static char *proxy_text(const nt_strv *ifaces)
{
    nt_sbuf b = {0};
    nt_sb_puts(&b, "proxy [");
    for (size_t i = 0; i < ifaces->n; i++) {
        if (i)
            nt_sb_puts(&b, ", ");
        nt_sb_puts(&b, ifaces->v[i]);
    }
    nt_sb_puts(&b, "]");
    return nt_sb_take(&b);
}

/* The bulk request a flag of a scratch entry stands for: the flag itself, or the all*
 * flag that also answers a queryAll* request. */
static unsigned bulk_of(unsigned bit)
{
    switch (bit) {
    case NT_QUERY_ALL_DECLARED_METHODS: return bit | NT_ALL_DECLARED_METHODS;
    case NT_QUERY_ALL_PUBLIC_METHODS: return bit | NT_ALL_PUBLIC_METHODS;
    case NT_QUERY_ALL_DECLARED_CONSTRUCTORS: return bit | NT_ALL_DECLARED_CONSTRUCTORS;
    case NT_QUERY_ALL_PUBLIC_CONSTRUCTORS: return bit | NT_ALL_PUBLIC_CONSTRUCTORS;
    default: return bit;
    }
}

/* The class a rewrite rule (user rules first, then the built-in Clojure ones when
 * build_time.clojure) moves member `member` of `cls` to, or NULL. */
static const char *rewrite_class(const nt_checker *ck, int jni, const char *cls,
                                 const char *member)
{
    unsigned kind = jni ? NT_PRUNE_JNI : NT_PRUNE_REFLECTION;
    const nt_prune_opts *o = &ck->o.build_time;
    size_t nb = 0;
    const nt_prune_rule *builtin = o->clojure ? nt_prune_clojure_rules(&nb) : NULL;
    for (int pass = 0; pass < 2; pass++) {
        const nt_prune_rule *v = pass == 0 ? o->user_rules : builtin;
        size_t n = pass == 0 ? o->n_user_rules : nb;
        for (size_t i = 0; v && i < n; i++) {
            if (v[i].caller || !nt_prune_rule_matches(&v[i], kind, cls, member, NULL))
                continue;
            return v[i].action == NT_PRUNE_REWRITE ? v[i].rewrite_class : NULL;
        }
    }
    return NULL;
}

static nt_status test_type(const nt_checker *ck, ev_cache *e, const char *cat, int jni,
                           int is_ser, int is_lambda_cap, const nt_type *t, member_facts mf)
{
    nt_access a;
    memset(&a, 0, sizeof a);
    a.jni = jni;
    a.declared = -1;
    a.is_public = -1;
    nt_status st = NT_OK;
    if (t->td.kind == NT_TD_LAMBDA)
        return NT_OK; /* lambda descriptors: no access record names one */
    char *tname = t->td.kind == NT_TD_PROXY ? proxy_text(&t->td.ifaces) : strdup(t->td.name);
    if (!tname)
        return NT_ERR_NOMEM;
    const char *type_missing = "type";
    if (is_ser || is_lambda_cap) {
        a.kind = is_ser ? NT_ACC_SERIALIZATION : NT_ACC_LAMBDA_CAPTURING;
        if (t->td.kind == NT_TD_PROXY) {
            a.ifaces = (const char *const *)t->td.ifaces.v;
            a.n_ifaces = t->td.ifaces.n;
        } else {
            a.type = t->td.name;
        }
    } else if (t->td.kind == NT_TD_PROXY) {
        a.kind = NT_ACC_PROXY;
        a.ifaces = (const char *const *)t->td.ifaces.v;
        a.n_ifaces = t->td.ifaces.n;
        type_missing = "proxy";
    } else {
        a.kind = NT_ACC_TYPE;
        a.type = t->td.name;
    }
    int type_covered = nt_covers(ck->cfg, &a);
    if (is_ser || is_lambda_cap || t->td.kind != NT_TD_CLASS) {
        if (!type_covered)
            st = add_atom(e, cat, tname, type_missing, NULL, NULL);
        free(tname);
        return st;
    }
    /* prune's rewrite rules move members to another class (Method.canAccess is
     * AccessibleObject.canAccess): check them there; a type that only held them is not
     * needed itself */
    size_t rewritten = 0;
    size_t type_atom = e->n_atoms;
    if (!type_covered)
        st = add_atom(e, cat, tname, type_missing, NULL, NULL);
    for (size_t i = 0; i < t->n_methods && st == NT_OK; i++) {
        const nt_method *m = &t->methods[i];
        const char *rw = rewrite_class(ck, jni, t->td.name, m->name);
        rewritten += rw != NULL;
        memset(&a, 0, sizeof a);
        a.kind = NT_ACC_METHOD;
        a.jni = jni;
        a.type = rw ? rw : t->td.name;
        a.member = m->name;
        a.params = (const char *const *)m->params.v;
        a.n_params = m->params.n;
        a.level = m->level;
        a.declared = mf.declared;
        a.is_public = mf.is_public;
        if (m->any_params || nt_covers(ck->cfg, &a))
            continue;
        char *mt = method_text(m);
        if (!mt) {
            st = NT_ERR_NOMEM;
            break;
        }
        st = add_atom(e, cat, rw ? rw : tname,
                      strcmp(m->name, "<init>") == 0 ? "constructor" : "method", mt,
                      m->level == NT_ACCESSED ? "invoked" : "queried");
        free(mt);
    }
    if (st == NT_OK && !type_covered && rewritten && rewritten == t->n_methods &&
        t->n_fields == 0 && t->flags == 0) {
        atom_free(&e->atoms[type_atom]);
        memmove(&e->atoms[type_atom], &e->atoms[type_atom + 1],
                (e->n_atoms - type_atom - 1) * sizeof *e->atoms);
        e->n_atoms--;
    }
    for (size_t i = 0; i < t->n_fields && st == NT_OK; i++) {
        memset(&a, 0, sizeof a);
        a.kind = NT_ACC_FIELD;
        a.jni = jni;
        a.type = t->td.name;
        a.member = t->fields[i].name;
        a.declared = mf.declared;
        a.is_public = mf.is_public;
        if (!nt_covers(ck->cfg, &a))
            st = add_atom(e, cat, tname, "field", t->fields[i].name, NULL);
    }
    for (unsigned b = 0; b < NT_TYPE_FLAG_COUNT && st == NT_OK; b++) {
        unsigned bit = 1u << b;
        if (!(t->flags & bit))
            continue;
        memset(&a, 0, sizeof a);
        a.jni = jni;
        a.type = t->td.name;
        a.declared = -1;
        a.is_public = -1;
        if (bit == NT_UNSAFE_ALLOCATED) {
            a.kind = NT_ACC_UNSAFE_ALLOC;
            if (!nt_covers(ck->cfg, &a))
                st = add_atom(e, cat, tname, "unsafe-allocation", NULL, NULL);
        } else {
            a.kind = NT_ACC_BULK;
            a.bulk = bulk_of(bit);
            if (!nt_covers(ck->cfg, &a))
                st = add_atom(e, cat, tname, "flag", nt_type_flag_name(bit), NULL);
        }
    }
    free(tname);
    return st;
}

/* Test every entry of the scratch config s (what one event needs) against the config. */
static nt_status test_scratch(const nt_checker *ck, ev_cache *e, const nt_config *s,
                              member_facts mf)
{
    nt_status st = NT_OK;
    struct {
        const nt_typeset *set;
        const char *cat;
        int jni, ser, lcap;
    } sets[] = {
        {&s->reflection, "reflection", 0, 0, 0},
        {&s->jni, "jni", 1, 0, 0},
        {&s->serialization, "serialization", 0, 1, 0},
        {&s->lambda_capturing, "lambda-capturing", 0, 0, 1},
    };
    for (size_t k = 0; k < sizeof sets / sizeof *sets && st == NT_OK; k++)
        for (size_t i = 0; i < sets[k].set->count && st == NT_OK; i++)
            st = test_type(ck, e, sets[k].cat, sets[k].jni, sets[k].ser, sets[k].lcap,
                           sets[k].set->items[i], mf);
    for (size_t i = 0; i < s->n_resources && st == NT_OK; i++) {
        const nt_resource *r = &s->resources[i];
        if (r->kind != NT_RES_GLOB || !nt_ops_glob_is_literal(r->value))
            continue; /* the processor only makes literal globs */
        char *name = nt_ops_glob_unescape(r->value);
        if (!name)
            return NT_ERR_NOMEM;
        nt_access a;
        memset(&a, 0, sizeof a);
        a.kind = NT_ACC_RESOURCE;
        a.module = r->module;
        a.resource = name;
        if (!nt_covers(ck->cfg, &a))
            st = add_atom(e, "resources", name, "resource", r->module, NULL);
        free(name);
    }
    for (size_t i = 0; i < s->n_bundles && st == NT_OK; i++) {
        const nt_bundle *bd = &s->bundles[i];
        size_t n = bd->locales.n ? bd->locales.n : 1;
        for (size_t l = 0; l < n && st == NT_OK; l++) {
            nt_access a;
            memset(&a, 0, sizeof a);
            a.kind = NT_ACC_BUNDLE;
            a.module = bd->module;
            a.resource = bd->name;
            a.locale = bd->locales.n ? bd->locales.v[l] : NULL;
            if (!nt_covers(ck->cfg, &a))
                st = add_atom(e, "bundles", bd->name, "bundle", a.locale, NULL);
        }
    }
    return st;
}

static int is_mh_lookup(const char *fn)
{
    return is_fn(fn, "findMethodHandle") || is_fn(fn, "findConstructorHandle");
}

/* Compute (and cache) the verdict of one event. NULL on NOMEM. */
static ev_cache *verdict(nt_checker *ck, const char *text, nt_diags *d)
{
    ev_cache *e = nt_map_get(&ck->cache, text);
    if (e)
        return e;
    e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    nt_status st = NT_OK;
    json_t *root = json_loads(text, JSON_ALLOW_NUL, NULL);
    if (root) {
        st = nt_prune_collect_ns_packages(root, &e->ns_pkgs);
        json_decref(root);
    }
    nt_event *ev = NULL;
    nt_diags ed;
    nt_diags_init(&ed);
    nt_status ps = st == NT_OK ? nt_event_parse(text, strlen(text), "<recorded events>", &ev, &ed)
                               : st;
    if (ps == NT_OK && strcmp(ev->tracer, "meta") == 0) {
        e->skip = 1;
    } else if (ps == NT_OK) {
        e->mh = is_mh_lookup(ev->function);
        nt_config *scratch = nt_config_new();
        nt_trace_state ts;
        nt_trace_state_init(&ts);
        ts.live = 1;
        ts.jni_launch = NT_JNI_LAUNCH_DONE;
        ts.label = "<recorded events>";
        if (!scratch) {
            st = NT_ERR_NOMEM;
        } else {
            ps = nt_process_event(scratch, &ts, ev, ck->o.filters, &ed);
            if (ps == NT_ERR_NOMEM)
                st = ps;
            else if (ps != NT_OK)
                e->skip = 1;
            else
                st = test_scratch(ck, e, scratch, facts_of_event(ev));
        }
        nt_trace_state_free(&ts);
        nt_config_free(scratch);
    } else if (ps == NT_ERR_NOMEM) {
        st = ps;
    } else {
        e->skip = 1;
    }
    if (e->skip && ps != NT_OK && ps != NT_ERR_NOMEM)
        nt_diag_warn(d, "<recorded events>", 0, 0, "a recorded event cannot be checked: %.300s",
                     text);
    nt_event_free(ev);
    nt_diags_free(&ed);
    if (st != NT_OK || nt_map_put(&ck->cache, text, e) != 0) {
        ev_cache_free(e);
        return NULL;
    }
    return e;
}

/* ---- running ----------------------------------------------------------------------------- */

typedef struct run_state {
    nt_checker *ck;
    nt_check_report *out;
    nt_diags *d;
    nt_strv ns;          /* Clojure namespace packages of the whole recording */
    nt_map seen;         /* entry text -> 1: items already reported */
    nt_status st;
    int pass;            /* 0: collect namespace packages; 1: check */
} run_state;

static int visit_ns(run_state *rs, const char *text, const nt_rec_context *ctxs, size_t n)
{
    ev_cache *e = verdict(rs->ck, text, rs->d);
    if (!e) {
        rs->st = NT_ERR_NOMEM;
        return 1;
    }
    for (size_t i = 0; i < e->ns_pkgs.n; i++)
        if (nt_strv_add_unique(&rs->ns, e->ns_pkgs.v[i]) != NT_OK)
            goto nomem;
    for (size_t i = 0; i < n; i++) {
        const char *s[] = {ctxs[i].caller_class, ctxs[i].clinit_class};
        for (size_t k = 0; k < 2; k++)
            if (s[k] && nt_prune_ns_package_of(s[k], &rs->ns) != NT_OK)
                goto nomem;
    }
    return 0;
nomem:
    rs->st = NT_ERR_NOMEM;
    return 1;
}

static nt_status split_frames(const char *frames, nt_strv *out)
{
    if (!frames)
        return NT_OK;
    const char *p = frames;
    while (*p && out->n < NT_CHECK_MAX_FRAMES) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        if (l > 0) {
            char *f = strndup(p, l);
            if (!f || nt_strv_push(out, f) != NT_OK) {
                free(f);
                return NT_ERR_NOMEM;
            }
            free(f);
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    return NT_OK;
}

static int visit_check(run_state *rs, const char *text, const nt_rec_context *ctxs, size_t n)
{
    ev_cache *e = verdict(rs->ck, text, rs->d);
    if (!e) {
        rs->st = NT_ERR_NOMEM;
        return 1;
    }
    if (e->skip && n == 0)
        return 0; /* a meta event */
    rs->out->events++;
    if (e->skip)
        return 0;
    /* the earliest run-time context (contexts come newest first) */
    const nt_rec_context *rt = NULL;
    int any_runtime = n == 0;
    for (size_t i = 0; i < n; i++)
        if (!nt_prune_context_is_build_time(&ctxs[i], &rs->ck->o.build_time, &rs->ns)) {
            rt = &ctxs[i];
            any_runtime = 1;
        }
    if (!any_runtime && e->mh && n > 0) {
        rt = &ctxs[n - 1];
        any_runtime = 1;
    }
    if (!any_runtime) {
        rs->out->build_time++;
        return 0;
    }
    rs->out->checked++;
    for (size_t i = 0; i < e->n_atoms; i++) {
        const atom *a = &e->atoms[i];
        if (nt_map_get(&rs->seen, a->entry))
            continue;
        if (nt_map_put(&rs->seen, a->entry, (void *)1) != 0)
            goto nomem;
        nt_check_item *it = report_push(rs->out);
        if (!it)
            goto nomem;
        int oom = 0;
        it->category = dup_opt(a->category, &oom);
        it->type = dup_opt(a->type, &oom);
        it->missing = dup_opt(a->missing, &oom);
        it->member = dup_opt(a->member, &oom);
        it->access = dup_opt(a->access, &oom);
        it->entry = dup_opt(a->entry, &oom);
        it->event = dup_opt(text, &oom);
        it->caller = dup_opt(rt ? rt->caller_class : NULL, &oom);
        if (oom || split_frames(rt ? rt->frames : NULL, &it->frames) != NT_OK)
            goto nomem;
    }
    return 0;
nomem:
    rs->st = NT_ERR_NOMEM;
    return 1;
}

static int visit(void *user, const char *text, const nt_rec_context *ctxs, size_t n)
{
    run_state *rs = user;
    return rs->pass == 0 ? visit_ns(rs, text, ctxs, n) : visit_check(rs, text, ctxs, n);
}

nt_status nt_checker_run(nt_checker *ck, nt_recorder *r, nt_check_report *out, nt_diags *d)
{
    if (!ck || !r || !out)
        return nt_diag_add(d, NT_ERR_INVAL, "", 0, 0, NULL, "nt_checker_run: missing argument");
    nt_check_report_free(out);
    run_state rs;
    memset(&rs, 0, sizeof rs);
    rs.ck = ck;
    rs.out = out;
    rs.d = d;
    nt_map_init(&rs.seen);
    nt_status st = NT_OK;
    for (rs.pass = 0; rs.pass < 2 && st == NT_OK; rs.pass++) {
        st = nt_recorder_visit(r, visit, &rs);
        if (rs.st != NT_OK)
            st = rs.st;
    }
    nt_strv_free(&rs.ns);
    nt_map_free(&rs.seen);
    if (st != NT_OK) {
        nt_check_report_free(out);
        return nt_diag_add(d, st, "", 0, 0, NULL, "out of memory checking the recording");
    }
    if (out->n > 1)
        qsort(out->items, out->n, sizeof *out->items, cmp_item);
    return NT_OK;
}

/* ---- JSON ---------------------------------------------------------------------------------- */

static int oset(json_t *o, const char *k, json_t *v)
{
    return v ? json_object_set_new(o, k, v) : -1;
}

char *nt_check_report_json(const nt_check_report *rep, const char *const *configs,
                           size_t n_configs)
{
    json_t *root = json_object();
    json_t *cf = json_array();
    json_t *items = json_array();
    int bad = !root || !cf || !items;
    for (size_t i = 0; !bad && i < n_configs; i++)
        bad = json_array_append_new(cf, json_string(configs[i])) != 0;
    for (size_t i = 0; !bad && i < rep->n; i++) {
        const nt_check_item *it = &rep->items[i];
        json_t *o = json_object();
        json_t *fr = json_array();
        bad = !o || !fr;
        bad = bad || oset(o, "category", json_string(it->category)) != 0;
        bad = bad || oset(o, "type", json_string(it->type)) != 0;
        bad = bad || oset(o, "missing", json_string(it->missing)) != 0;
        if (it->member)
            bad = bad || oset(o, "member", json_string(it->member)) != 0;
        if (it->access)
            bad = bad || oset(o, "access", json_string(it->access)) != 0;
        bad = bad || oset(o, "entry", json_string(it->entry)) != 0;
        if (it->caller)
            bad = bad || oset(o, "caller", json_string(it->caller)) != 0;
        for (size_t f = 0; !bad && f < it->frames.n; f++)
            bad = json_array_append_new(fr, json_string(it->frames.v[f])) != 0;
        if (!bad) {
            bad = json_object_set_new(o, "frames", fr) != 0;
            fr = NULL;
        }
        json_t *ev = it->event ? json_loads(it->event, JSON_ALLOW_NUL, NULL) : NULL;
        if (ev)
            bad = bad || oset(o, "event", ev) != 0;
        if (!bad) {
            bad = json_array_append_new(items, o) != 0;
            o = NULL;
        }
        json_decref(o);
        json_decref(fr);
    }
    char *text = NULL;
    if (!bad) {
        bad = oset(root, "version", json_integer(1)) != 0 || json_object_set_new(root, "configs", cf) != 0;
        cf = NULL;
        bad = bad || oset(root, "events", json_integer((json_int_t)rep->events)) != 0;
        bad = bad || oset(root, "buildTimeEvents", json_integer((json_int_t)rep->build_time)) != 0;
        bad = bad || oset(root, "checkedEvents", json_integer((json_int_t)rep->checked)) != 0;
        bad = bad || oset(root, "uncoveredCount", json_integer((json_int_t)rep->n)) != 0;
        if (!bad) {
            bad = json_object_set_new(root, "uncovered", items) != 0;
            items = NULL;
        }
    }
    if (!bad) {
        char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (s) {
            size_t l = strlen(s);
            text = malloc(l + 2);
            if (text) {
                memcpy(text, s, l);
                text[l] = '\n';
                text[l + 1] = '\0';
            }
            free(s);
        }
    }
    json_decref(cf);
    json_decref(items);
    json_decref(root);
    return text;
}

static nt_status rd_err(nt_diags *d, const char *label, const char *fmt, const char *what)
{
    return nt_diag_add(d, NT_ERR_PARSE, label, 0, 0, "the file is not a nitrace check report",
                       fmt, what);
}

/* Optional string member; *ok = 0 on a wrong type. */
static char *rd_str(json_t *o, const char *k, int required, int *ok, int *oom)
{
    json_t *v = json_object_get(o, k);
    if (!v) {
        if (required)
            *ok = 0;
        return NULL;
    }
    if (!json_is_string(v)) {
        *ok = 0;
        return NULL;
    }
    return dup_opt(json_string_value(v), oom);
}

static size_t rd_count(json_t *o, const char *k, int *ok)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        *ok = 0;
        return 0;
    }
    return (size_t)json_integer_value(v);
}

nt_status nt_check_report_read(const char *data, size_t len, const char *label,
                               nt_check_report *out, nt_diags *d)
{
    static const char *const top_keys[] = {"version", "configs", "events", "buildTimeEvents",
                                           "checkedEvents", "uncoveredCount", "uncovered", NULL};
    static const char *const item_keys[] = {"category", "type", "missing", "member", "access",
                                            "entry", "caller", "frames", "event", NULL};
    nt_check_report_free(out);
    json_error_t je;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return nt_diag_add(d, NT_ERR_PARSE, label, je.line, je.column, NULL, "%s", je.text);
    nt_status st = NT_OK;
    const char *k;
    json_t *v;
    if (!json_is_object(root)) {
        st = rd_err(d, label, "%s", "the report is not a JSON object");
        goto done;
    }
    json_object_foreach(root, k, v) {
        int known = 0;
        for (size_t i = 0; top_keys[i]; i++)
            known |= strcmp(k, top_keys[i]) == 0;
        if (!known) {
            st = rd_err(d, label, "unknown key \"%s\" in the report", k);
            goto done;
        }
    }
    json_t *ver = json_object_get(root, "version");
    if (!json_is_integer(ver) || json_integer_value(ver) != 1) {
        st = rd_err(d, label, "%s", "\"version\" must be 1");
        goto done;
    }
    int ok = 1, oom = 0;
    out->events = rd_count(root, "events", &ok);
    out->build_time = rd_count(root, "buildTimeEvents", &ok);
    out->checked = rd_count(root, "checkedEvents", &ok);
    size_t count = rd_count(root, "uncoveredCount", &ok);
    json_t *items = json_object_get(root, "uncovered");
    if (!ok || !json_is_array(items) || json_array_size(items) != count) {
        st = rd_err(d, label, "%s",
                    "counts must be whole numbers and \"uncovered\" an array of uncoveredCount items");
        goto done;
    }
    for (size_t i = 0; i < json_array_size(items) && st == NT_OK; i++) {
        json_t *o = json_array_get(items, i);
        if (!json_is_object(o)) {
            st = rd_err(d, label, "%s", "an \"uncovered\" item is not an object");
            break;
        }
        json_object_foreach(o, k, v) {
            int known = 0;
            for (size_t j = 0; item_keys[j]; j++)
                known |= strcmp(k, item_keys[j]) == 0;
            if (!known) {
                st = rd_err(d, label, "unknown key \"%s\" in an \"uncovered\" item", k);
                goto done;
            }
        }
        nt_check_item *it = report_push(out);
        if (!it) {
            st = nt_diag_add(d, NT_ERR_NOMEM, label, 0, 0, NULL, "out of memory");
            break;
        }
        it->category = rd_str(o, "category", 1, &ok, &oom);
        it->type = rd_str(o, "type", 1, &ok, &oom);
        it->missing = rd_str(o, "missing", 1, &ok, &oom);
        it->member = rd_str(o, "member", 0, &ok, &oom);
        it->access = rd_str(o, "access", 0, &ok, &oom);
        it->entry = rd_str(o, "entry", 1, &ok, &oom);
        it->caller = rd_str(o, "caller", 0, &ok, &oom);
        json_t *fr = json_object_get(o, "frames");
        if (fr && !json_is_array(fr))
            ok = 0;
        for (size_t f = 0; ok && fr && f < json_array_size(fr); f++) {
            json_t *s = json_array_get(fr, f);
            if (!json_is_string(s))
                ok = 0;
            else if (nt_strv_push(&it->frames, json_string_value(s)) != NT_OK)
                oom = 1;
        }
        json_t *ev = json_object_get(o, "event");
        if (ev) {
            if (!json_is_object(ev))
                ok = 0;
            else if (!(it->event = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER)))
                oom = 1;
        }
        if (oom)
            st = nt_diag_add(d, NT_ERR_NOMEM, label, 0, 0, NULL, "out of memory");
        else if (!ok)
            st = rd_err(d, label, "%s",
                        "an \"uncovered\" item lacks category/type/missing/entry or has a "
                        "value of the wrong type");
    }
done:
    json_decref(root);
    if (st != NT_OK)
        nt_check_report_free(out);
    return st;
}

/* ---- text -------------------------------------------------------------------------------- */

char *nt_check_report_text(const nt_check_report *rep)
{
    nt_sbuf b = {0};
    if (rep->n == 0)
        nt_sb_printf(&b, "every run-time access is covered (%zu events checked, %zu seen only at build "
                   "time)\n", rep->checked, rep->build_time);
    else
        nt_sb_printf(&b, "%zu %s not covered (%zu events checked, %zu seen only at build time):\n",
               rep->n, rep->n == 1 ? "entry is" : "entries are", rep->checked, rep->build_time);
    for (size_t i = 0; i < rep->n; i++) {
        const nt_check_item *it = &rep->items[i];
        nt_sb_printf(&b, "\n  missing: %s\n", it->entry);
        json_t *ev = it->event ? json_loads(it->event, JSON_ALLOW_NUL, NULL) : NULL;
        const char *tr = ev ? json_string_value(json_object_get(ev, "tracer")) : NULL;
        const char *fn = ev ? json_string_value(json_object_get(ev, "function")) : NULL;
        if (tr && fn)
            nt_sb_printf(&b, "    by %s %s", tr, fn);
        else
            nt_sb_puts(&b, "    by an access");
        json_decref(ev);
        nt_sb_printf(&b, ", caller %s\n", it->caller ? it->caller : "(none: native code or the VM)");
        for (size_t f = 0; f < it->frames.n; f++)
            nt_sb_printf(&b, "      at %s\n", it->frames.v[f]);
    }
    return nt_sb_take(&b);
}
