/* nitrace core: pruning build-time noise (see include/nitrace/prune.h). */
#include "nitrace/prune.h"

#include <fnmatch.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nitrace/ops.h"
#include "nitrace/trace.h"
#include "ops_priv.h"
#include "prune_priv.h"
#include "sbuf_priv.h"
#include "trace_priv.h"

/* ---- the built-in rules: ONE table --------------------------------------- */
#define R_CLS (NT_PRUNE_REFLECTION | NT_PRUNE_JNI | NT_PRUNE_SERIALIZATION)
static const nt_prune_rule clojure_rules[] = {
    /* id, description, kinds, name, member, caller, action, rewrite_class */
    {"clojure-ns-init-class", "namespace loader class, loaded by RT.load (build time)",
     R_CLS, "*__init", NULL, NULL, NT_PRUNE_DROP, NULL},
    {"clojure-ns-init-resource", "namespace class file looked up by RT.load (build time)",
     NT_PRUNE_RESOURCE, "*__init.class", NULL, NULL, NT_PRUNE_DROP, NULL},
    {"clojure-user-clj", "user.clj probed by RT.init (build time)",
     NT_PRUNE_RESOURCE, "user.clj", NULL, NULL, NT_PRUNE_DROP, NULL},
    {"clojure-data-readers", "data_readers.clj(c) read when clojure.core loads (build time)",
     NT_PRUNE_RESOURCE, "data_readers.clj*", NULL, NULL, NT_PRUNE_DROP, NULL},
    {"clojure-version-properties", "read by clojure.core for *clojure-version* (build time)",
     NT_PRUNE_RESOURCE, "clojure/version.properties", NULL, NULL, NT_PRUNE_DROP, NULL},
    {"clojure-ns-source", "namespace source looked up by RT.load (build time)",
     NT_PRUNE_RESOURCE, "*.clj", NULL, NULL, NT_PRUNE_DROP, NULL},
    {"clojure-ns-source-cljc", "namespace source looked up by RT.load (build time)",
     NT_PRUNE_RESOURCE, "*.cljc", NULL, NULL, NT_PRUNE_DROP, NULL},
    {"clojure-runtime-fn", "class of the runtime compiler (fn__N): unstable, unsupported",
     R_CLS, "*$fn__[0-9]*", NULL, NULL, NT_PRUNE_DROP, NULL},
    {"clojure-runtime-eval", "class of the runtime compiler (evalN): unstable, unsupported",
     R_CLS, "*$eval[0-9]*", NULL, NULL, NT_PRUNE_DROP, NULL},
    {"launcher-jni-main", "java launcher looks up main(String[]) through JNI",
     NT_PRUNE_JNI, "*", "main", NULL, NT_PRUNE_DROP, NULL},
    {"launcher-jni-classloader", "java launcher: ClassLoader.getPlatformClassLoader/loadClass",
     NT_PRUNE_JNI, "java.lang.ClassLoader", "*", NULL, NT_PRUNE_DROP, NULL},
    {"launcher-jni-nosuchmethod", "java launcher: NoSuchMethodError",
     NT_PRUNE_JNI, "java.lang.NoSuchMethodError", NULL, NULL, NT_PRUNE_DROP, NULL},
    {"jvm-management-jni", "JVM natives: sun.management.VMManagementImpl",
     NT_PRUNE_JNI, "sun.management.VMManagementImpl", NULL, NULL, NT_PRUNE_DROP, NULL},
    {"clojure-compiler-caller", "reflection by the runtime compiler: unsupported at run time",
     R_CLS, "*", NULL, "clojure.lang.Compiler$*", NT_PRUNE_DROP, NULL},
    {"clojure-when-class-probe", "when-class probe of java.sql.Timestamp at clojure.core load",
     R_CLS, "java.sql.Timestamp", NULL, "clojure.core$fn__*", NT_PRUNE_DROP, NULL},
    {"clojure-genclass-prim-arrays", "gen-class's prim->class map (build time)",
     R_CLS, "*[]", NULL, "clojure.genclass__init", NT_PRUNE_DROP, NULL},
    {"reflector-can-access", "the agent records Method.canAccess; GraalVM needs "
     "AccessibleObject.canAccess", NT_PRUNE_REFLECTION, "java.lang.reflect.Method", "canAccess",
     NULL, NT_PRUNE_REWRITE, "java.lang.reflect.AccessibleObject"},
};
#undef R_CLS

const nt_prune_rule *nt_prune_clojure_rules(size_t *n)
{
    *n = sizeof clojure_rules / sizeof clojure_rules[0];
    return clojure_rules;
}

int nt_prune_rule_matches(const nt_prune_rule *r, unsigned kind, const char *name,
                          const char *member, const char *caller)
{
    if (!(r->kinds & kind) || !name || !r->name)
        return 0;
    if ((r->member != NULL) != (member != NULL))
        return 0;
    if (r->caller && (!caller || fnmatch(r->caller, caller, 0) != 0))
        return 0;
    if (fnmatch(r->name, name, 0) != 0)
        return 0;
    return !member || fnmatch(r->member, member, 0) == 0;
}

/* ---- user rules ----------------------------------------------------------- */
void nt_prune_rules_init(nt_prune_rules *r)
{
    memset(r, 0, sizeof *r);
}

static void rule_free(nt_prune_rule *r)
{
    free((char *)r->id);
    free((char *)r->description);
    free((char *)r->name);
    free((char *)r->member);
    free((char *)r->caller);
    free((char *)r->rewrite_class);
}

void nt_prune_rules_free(nt_prune_rules *r)
{
    for (size_t i = 0; i < r->n; i++)
        rule_free(&r->v[i]);
    free(r->v);
    nt_prune_rules_init(r);
}

static const struct {
    const char *name;
    unsigned bit;
} kind_names[] = {
    {"reflection", NT_PRUNE_REFLECTION},
    {"jni", NT_PRUNE_JNI},
    {"serialization", NT_PRUNE_SERIALIZATION},
    {"resources", NT_PRUNE_RESOURCE},
};

static nt_status rule_err(nt_diags *d, const char *label, size_t i, const char *fmt,
                          const char *what)
{
    char msg[300];
    snprintf(msg, sizeof msg, fmt, what);
    return nt_diag_add(d, NT_ERR_PARSE, label, 0, 0, "see docs/prune-rules.md",
                       "rules[%zu]: %s", i, msg);
}

static int opt_str(json_t *o, const char *key, const char **out)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v)
        return 0;
    if (!json_is_string(v) || json_string_length(v) == 0 ||
        strlen(json_string_value(v)) != json_string_length(v))
        return -1;
    *out = json_string_value(v);
    return 0;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

nt_status nt_prune_rules_read(const char *data, size_t len, const char *label,
                              nt_prune_rules *out, nt_diags *d)
{
    json_error_t je;
    json_t *root = json_loadb(data, len, 0, &je);
    if (!root)
        return nt_diag_add(d, NT_ERR_PARSE, label, je.line, je.column, NULL, "%s", je.text);
    nt_status st = NT_OK;
    nt_prune_rules tmp;
    nt_prune_rules_init(&tmp);
    json_t *rules = json_is_object(root) ? json_object_get(root, "rules") : NULL;
    if (!json_is_object(root) || json_object_size(root) != (rules ? 1u : 0u) ||
        !json_is_array(rules)) {
        st = nt_diag_add(d, NT_ERR_PARSE, label, 0, 0, "see docs/prune-rules.md",
                         "expected an object with one member \"rules\", an array");
        goto out;
    }
    static const char *const keys[] = {"id", "description", "kinds", "name", "member",
                                       "caller", "action", "rewriteClass"};
    for (size_t i = 0; i < json_array_size(rules); i++) {
        json_t *o = json_array_get(rules, i);
        if (!json_is_object(o)) {
            st = rule_err(d, label, i, "%s", "a rule must be an object");
            goto out;
        }
        const char *k;
        json_t *v;
        json_object_foreach(o, k, v) {
            size_t j = 0;
            while (j < sizeof keys / sizeof *keys && strcmp(keys[j], k) != 0)
                j++;
            if (j == sizeof keys / sizeof *keys) {
                st = rule_err(d, label, i, "unknown key \"%s\"", k);
                goto out;
            }
        }
        nt_prune_rule r = {0};
        const char *id, *desc, *name, *member, *caller, *action, *rw;
        if (opt_str(o, "id", &id) || opt_str(o, "description", &desc) ||
            opt_str(o, "name", &name) || opt_str(o, "member", &member) ||
            opt_str(o, "caller", &caller) || opt_str(o, "action", &action) ||
            opt_str(o, "rewriteClass", &rw)) {
            st = rule_err(d, label, i, "%s", "values must be non-empty strings");
            goto out;
        }
        if (!id || !name || !action) {
            st = rule_err(d, label, i, "%s", "\"id\", \"name\" and \"action\" are required");
            goto out;
        }
        if (strcmp(action, "drop") == 0)
            r.action = NT_PRUNE_DROP;
        else if (strcmp(action, "keep") == 0)
            r.action = NT_PRUNE_KEEP;
        else if (strcmp(action, "rewrite") == 0)
            r.action = NT_PRUNE_REWRITE;
        else {
            st = rule_err(d, label, i, "unknown action \"%s\" (drop, keep or rewrite)", action);
            goto out;
        }
        if ((r.action == NT_PRUNE_REWRITE) != (rw != NULL) ||
            (r.action == NT_PRUNE_REWRITE && (!member || caller))) {
            st = rule_err(d, label, i, "%s",
                          "\"rewriteClass\" and \"member\" (and no \"caller\") go with "
                          "action \"rewrite\" only");
            goto out;
        }
        json_t *kinds = json_object_get(o, "kinds");
        if (!kinds) {
            r.kinds = NT_PRUNE_ALL_KINDS;
        } else if (!json_is_array(kinds) || json_array_size(kinds) == 0) {
            st = rule_err(d, label, i, "%s", "\"kinds\" must be a non-empty array");
            goto out;
        } else {
            for (size_t j = 0; j < json_array_size(kinds); j++) {
                const char *kn = json_string_value(json_array_get(kinds, j));
                size_t m = 0;
                while (kn && m < sizeof kind_names / sizeof *kind_names &&
                       strcmp(kind_names[m].name, kn) != 0)
                    m++;
                if (!kn || m == sizeof kind_names / sizeof *kind_names) {
                    st = rule_err(d, label, i, "unknown kind \"%s\" (reflection, jni, "
                                  "serialization or resources)", kn ? kn : "?");
                    goto out;
                }
                r.kinds |= kind_names[m].bit;
            }
        }
        if (member && (r.kinds & NT_PRUNE_RESOURCE)) {
            st = rule_err(d, label, i, "%s", "resources have no members");
            goto out;
        }
        if (tmp.n == tmp.cap) {
            size_t nc = tmp.cap ? tmp.cap * 2 : 8;
            nt_prune_rule *nv = realloc(tmp.v, nc * sizeof *nv);
            if (!nv) {
                st = NT_ERR_NOMEM;
                goto out;
            }
            tmp.v = nv;
            tmp.cap = nc;
        }
        r.id = strdup(id);
        r.description = strdup(desc ? desc : "user rule");
        r.name = strdup(name);
        r.member = dup_or_null(member);
        r.caller = dup_or_null(caller);
        r.rewrite_class = dup_or_null(rw);
        tmp.v[tmp.n++] = r;
        if (!r.id || !r.description || !r.name || (member && !r.member) ||
            (caller && !r.caller) || (rw && !r.rewrite_class)) {
            st = NT_ERR_NOMEM;
            goto out;
        }
    }
    for (size_t i = 0; i < tmp.n; i++) {
        if (out->n == out->cap) {
            size_t nc = out->cap ? out->cap * 2 : 8;
            while (nc < out->n + tmp.n - i)
                nc *= 2;
            nt_prune_rule *nv = realloc(out->v, nc * sizeof *nv);
            if (!nv) {
                st = NT_ERR_NOMEM;
                goto out;
            }
            out->v = nv;
            out->cap = nc;
        }
    }
    memcpy(out->v + out->n, tmp.v, tmp.n * sizeof *tmp.v);
    out->n += tmp.n;
    free(tmp.v);
    nt_prune_rules_init(&tmp);
out:
    nt_prune_rules_free(&tmp);
    json_decref(root);
    return st;
}

/* ---- options and contexts ------------------------------------------------ */
void nt_prune_opts_init(nt_prune_opts *o)
{
    memset(o, 0, sizeof *o);
    o->clojure = 1;
    o->build_time_clojure = 1;
}

static int starts_with(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static int ends_with(const char *s, const char *p)
{
    size_t ls = strlen(s), lp = strlen(p);
    return ls >= lp && strcmp(s + ls - lp, p) == 0;
}

/* Package of a class ("" for the unnamed package) into buf. */
static void class_package(const char *cls, char *buf, size_t n)
{
    const char *dot = strrchr(cls, '.');
    size_t l = dot ? (size_t)(dot - cls) : 0;
    if (l >= n)
        l = n - 1;
    memcpy(buf, cls, l);
    buf[l] = '\0';
}

/* Is class c in package p or one of its subpackages (or p a class and c it or
 * one of its nested classes)? */
static int in_package(const char *c, const char *p)
{
    size_t l = strlen(p);
    return l > 0 && strncmp(c, p, l) == 0 && (c[l] == '\0' || c[l] == '.' || c[l] == '$');
}

/* A JDK class: initialised at build time by native-image unless it says otherwise. */
static int jdk_class(const char *c)
{
    return starts_with(c, "java.") || starts_with(c, "javax.") || starts_with(c, "jdk.") ||
           starts_with(c, "sun.") || starts_with(c, "com.sun.");
}

int nt_prune_context_is_build_time(const nt_rec_context *ctx, const nt_prune_opts *o,
                                   const nt_strv *ns_packages)
{
    const char *c = ctx->clinit_class;
    /* Before main: the launcher and the JDK starting up, except for what runs in
     * the <clinit> of a program class (the main class's, which the launcher's lookup
     * of main runs): that one is judged like any other. */
    if (!ctx->main_phase && (!c || jdk_class(c)))
        return 1;
    if (!c)
        return 0;
    if (o->build_time_all)
        return 1;
    if (o->build_time_clojure) {
        if (ends_with(c, "__init") || starts_with(c, "clojure."))
            return 1;
        /* graal-build-time initialises each namespace package at build time, and
         * --initialize-at-build-time=PKG covers its subpackages */
        for (size_t i = 0; ns_packages && i < ns_packages->n; i++)
            if (in_package(c, ns_packages->v[i]))
                return 1;
    }
    for (size_t i = 0; i < o->n_build_time_packages; i++)
        if (in_package(c, o->build_time_packages[i]))
            return 1;
    return 0;
}

/* ---- report --------------------------------------------------------------- */
void nt_prune_report_init(nt_prune_report *r)
{
    memset(r, 0, sizeof *r);
}

void nt_prune_report_free(nt_prune_report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->lines[i].category);
        free(r->lines[i].entry);
        free(r->lines[i].rule);
        free(r->lines[i].provenance);
    }
    free(r->lines);
    nt_prune_report_init(r);
}

static nt_status report_add(nt_prune_report *r, nt_prune_verdict v, const char *cat,
                            const char *entry, const char *rule, const char *prov)
{
    if (!r)
        return NT_OK;
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 32;
        nt_prune_line *nl = realloc(r->lines, nc * sizeof *nl);
        if (!nl)
            return NT_ERR_NOMEM;
        r->lines = nl;
        r->cap = nc;
    }
    nt_prune_line *l = &r->lines[r->n];
    l->verdict = v;
    l->category = strdup(cat);
    l->entry = strdup(entry);
    l->rule = strdup(rule);
    l->provenance = strdup(prov ? prov : "");
    r->n++;
    if (!l->category || !l->entry || !l->rule || !l->provenance)
        return NT_ERR_NOMEM;
    return NT_OK;
}

static int line_cmp(const void *a, const void *b)
{
    const nt_prune_line *x = a, *y = b;
    if (x->verdict != y->verdict)
        return (int)x->verdict - (int)y->verdict;
    int c = strcmp(x->category, y->category);
    return c ? c : strcmp(x->entry, y->entry);
}

/* ---- entry texts and atom keys --------------------------------------------- */
static const char *set_name(const nt_config *c, const nt_typeset *s)
{
    if (s == &c->reflection)
        return "reflection";
    if (s == &c->jni)
        return "jni";
    if (s == &c->serialization)
        return "serialization";
    return "lambda-capturing";
}

static unsigned set_kind(const nt_config *c, const nt_typeset *s)
{
    if (s == &c->reflection)
        return NT_PRUNE_REFLECTION;
    if (s == &c->jni)
        return NT_PRUNE_JNI;
    if (s == &c->serialization)
        return NT_PRUNE_SERIALIZATION;
    return 0;
}

static char *method_text(const nt_method *m)
{
    nt_sbuf b = {0};
    nt_sb_puts(&b, m->name);
    nt_sb_puts(&b, "(");
    if (m->any_params) {
        nt_sb_puts(&b, "*");
    } else {
        for (size_t i = 0; i < m->params.n; i++) {
            if (i)
                nt_sb_puts(&b, ", ");
            nt_sb_puts(&b, m->params.v[i]);
        }
    }
    nt_sb_puts(&b, ")");
    return nt_sb_take(&b);
}

/* what: 'T' type, 'M' method, 'F' field, 'X' flag; detail: member text / flag name */
static char *atom_key(const char *set, const char *tdkey, char what, const char *detail)
{
    nt_sbuf b = {0};
    char w[3] = {what, '|', 0};
    nt_sb_puts(&b, set);
    nt_sb_puts(&b, "|");
    nt_sb_puts(&b, tdkey);
    nt_sb_puts(&b, "|");
    nt_sb_puts(&b, w);
    nt_sb_puts(&b, detail ? detail : "");
    return nt_sb_take(&b);
}

static char *entry_text(const char *tdkey, char what, const char *detail)
{
    nt_sbuf b = {0};
    nt_sb_puts(&b, tdkey);
    if (what == 'M')
        nt_sb_puts(&b, " method ");
    else if (what == 'F')
        nt_sb_puts(&b, " field ");
    else if (what == 'X')
        nt_sb_puts(&b, " flag ");
    if (what != 'T')
        nt_sb_puts(&b, detail);
    return nt_sb_take(&b);
}

static const char *res_kind_name(nt_res_kind k)
{
    return k == NT_RES_GLOB ? "glob" : k == NT_RES_PATTERN ? "pattern" : "exclude";
}

static char *res_key(const nt_resource *r)
{
    nt_sbuf b = {0};
    nt_sb_puts(&b, "resources|");
    nt_sb_puts(&b, res_kind_name(r->kind));
    nt_sb_puts(&b, "|");
    nt_sb_puts(&b, r->module ? r->module : "");
    nt_sb_puts(&b, "|");
    nt_sb_puts(&b, r->value);
    return nt_sb_take(&b);
}

static char *res_text(const nt_resource *r)
{
    nt_sbuf b = {0};
    if (r->kind != NT_RES_GLOB) {
        nt_sb_puts(&b, res_kind_name(r->kind));
        nt_sb_puts(&b, " ");
    }
    if (r->module) {
        nt_sb_puts(&b, r->module);
        nt_sb_puts(&b, ":");
    }
    nt_sb_puts(&b, r->value);
    return nt_sb_take(&b);
}

/* The resource name rules match: the literal path of a literal glob or a
 * \Q..\E pattern, else the pattern text. Caller frees; NULL on NOMEM. */
static char *res_name(const nt_resource *r)
{
    if (r->kind == NT_RES_GLOB && nt_ops_glob_is_literal(r->value))
        return nt_ops_glob_unescape(r->value);
    if (r->kind == NT_RES_PATTERN) {
        char *lit = nt_regex_unquote(r->value);
        if (lit)
            return lit;
    }
    return strdup(r->value);
}

/* ---- rule look-up ----------------------------------------------------------- */
typedef struct pctx {
    nt_config *c;
    const nt_prune_opts *o;
    const nt_prune_rule *builtin;
    size_t n_builtin;
    nt_prune_report *rep;
    nt_diags *d;
    /* provenance */
    nt_map atoms;       /* atom key -> atom* */
    struct atom **all;
    size_t n_all, cap_all;
    nt_strv ns_packages;
    nt_config *rt; /* what the events seen in a run-time context register (replay) */
} pctx;

/* First matching rule, user rules first. with_caller: 0 rules without a
 * caller pattern only, 1 rules with one only. */
static const nt_prune_rule *first_rule(const pctx *p, unsigned kind, const char *name,
                                       const char *member, const char *caller, int with_caller)
{
    for (int pass = 0; pass < 2; pass++) {
        const nt_prune_rule *v = pass == 0 ? p->o->user_rules : p->builtin;
        size_t n = pass == 0 ? p->o->n_user_rules : p->n_builtin;
        for (size_t i = 0; i < n; i++) {
            if ((v[i].caller != NULL) != (with_caller != 0))
                continue;
            if (nt_prune_rule_matches(&v[i], kind, name, member, caller))
                return &v[i];
        }
    }
    return NULL;
}

/* First matching user rule without a caller pattern (provenance mode: user
 * rules apply to whole entries and resources). */
static const nt_prune_rule *user_rule(const pctx *p, unsigned kind, const char *name)
{
    for (size_t i = 0; kind && name && i < p->o->n_user_rules; i++) {
        const nt_prune_rule *r = &p->o->user_rules[i];
        if (!r->caller && nt_prune_rule_matches(r, kind, name, NULL, NULL))
            return r;
    }
    return NULL;
}

/* ---- provenance atoms ---------------------------------------------------------- */
#define ATOM_SHOWN 3
typedef struct atom {
    int runtime;     /* seen in a context that is not build-time */
    int mh;          /* produced by a method-handle lookup */
    nt_strv bt, rt;  /* distinct context descriptions of each kind */
} atom;

static atom *atom_get(pctx *p, const char *key)
{
    atom *a = nt_map_get(&p->atoms, key);
    if (a)
        return a;
    if (p->n_all == p->cap_all) {
        size_t nc = p->cap_all ? p->cap_all * 2 : 256;
        atom **nv = realloc(p->all, nc * sizeof *nv);
        if (!nv)
            return NULL;
        p->all = nv;
        p->cap_all = nc;
    }
    a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    if (nt_map_put(&p->atoms, key, a) != 0) {
        free(a);
        return NULL;
    }
    p->all[p->n_all++] = a;
    return a;
}

static char *atom_summary(const atom *a, int runtime)
{
    nt_strv v = {0};
    if (nt_strv_copy(&v, runtime ? &a->rt : &a->bt) != NT_OK)
        return NULL;
    nt_strv_sort(&v);
    nt_sbuf b = {0};
    for (size_t i = 0; i < v.n && i < ATOM_SHOWN; i++) {
        if (i)
            nt_sb_puts(&b, "; ");
        nt_sb_puts(&b, v.v[i]);
    }
    if (v.n > ATOM_SHOWN) {
        char more[64];
        snprintf(more, sizeof more, "; +%zu more", v.n - ATOM_SHOWN);
        nt_sb_puts(&b, more);
    }
    nt_strv_free(&v);
    return nt_sb_take(&b);
}

typedef struct ev_ctx {
    nt_rec_context rc;
    char *desc;
} ev_ctx;

static char *ctx_desc(const nt_rec_context *c, int bt)
{
    nt_sbuf b = {0};
    nt_sb_puts(&b, c->main_phase ? "main" : "startup");
    if (c->clojure_loading)
        nt_sb_puts(&b, " ns-loading");
    if (c->clinit_class) {
        nt_sb_puts(&b, " clinit=");
        nt_sb_puts(&b, c->clinit_class);
    }
    if (c->caller_class) {
        nt_sb_puts(&b, " caller=");
        nt_sb_puts(&b, c->caller_class);
    }
    if (c->jni_library) {
        nt_sb_puts(&b, " jni=");
        nt_sb_puts(&b, c->jni_library);
    }
    if (c->jni_function) {
        nt_sb_puts(&b, " function=");
        nt_sb_puts(&b, c->jni_function);
    }
    nt_sb_puts(&b, bt ? " [build-time]" : " [run-time]");
    return nt_sb_take(&b);
}

/* Record the contexts of one event against one atom of its scratch config. */
static nt_status note_atom(pctx *p, const char *key, unsigned kind, const char *name, int mh,
                           const ev_ctx *cx, size_t n_cx)
{
    atom *a = atom_get(p, key);
    if (!a)
        return NT_ERR_NOMEM;
    if (mh)
        a->mh = 1;
    if (n_cx == 0) {
        a->runtime = 1;
        if (nt_strv_add_unique(&a->rt, "no context recorded") != NT_OK)
            return NT_ERR_NOMEM;
        return NT_OK;
    }
    for (size_t i = 0; i < n_cx; i++) {
        int bt = nt_prune_context_is_build_time(&cx[i].rc, p->o, &p->ns_packages);
        const char *desc = cx[i].desc;
        char *own = NULL;
        if (!bt && kind && name) {
            const nt_prune_rule *r = first_rule(p, kind, name, NULL, cx[i].rc.caller_class, 1);
            if (r && r->action == NT_PRUNE_DROP) {
                bt = 1;
                nt_sbuf b = {0};
                nt_sb_puts(&b, desc);
                nt_sb_puts(&b, " [rule ");
                nt_sb_puts(&b, r->id);
                nt_sb_puts(&b, "]");
                if (!(own = nt_sb_take(&b)))
                    return NT_ERR_NOMEM;
                desc = own;
            }
        }
        nt_status st = nt_strv_add_unique(bt ? &a->bt : &a->rt, desc);
        free(own);
        if (st != NT_OK)
            return st;
        if (!bt)
            a->runtime = 1;
    }
    return NT_OK;
}

/* An entry's text in atoms and report lines: its descriptor, and for a
 * serialization entry with a customTargetConstructorClass (a registration of
 * its own) the constructor class too. Caller frees; NULL on NOMEM. */
static char *type_text(const nt_type *t)
{
    char *k = nt_typedesc_key(&t->td);
    if (!k || !t->custom_ctor)
        return k;
    nt_sbuf b = {0};
    nt_sb_puts(&b, k);
    nt_sb_puts(&b, " customTargetConstructorClass ");
    nt_sb_puts(&b, t->custom_ctor);
    free(k);
    return nt_sb_take(&b);
}

static nt_status note_config(pctx *p, const nt_config *s, int mh, const ev_ctx *cx, size_t n_cx)
{
    const nt_typeset *sets[] = {&s->reflection, &s->jni, &s->serialization,
                                &s->lambda_capturing};
    nt_status st = NT_OK;
    for (size_t si = 0; si < 4 && st == NT_OK; si++) {
        const char *sn = set_name(s, sets[si]);
        unsigned kind = set_kind(s, sets[si]);
        for (size_t i = 0; i < sets[si]->count && st == NT_OK; i++) {
            const nt_type *t = sets[si]->items[i];
            char *tk = type_text(t);
            if (!tk)
                return NT_ERR_NOMEM;
            const char *cls = t->td.kind == NT_TD_CLASS ? t->td.name : NULL;
            char *k = atom_key(sn, tk, 'T', NULL);
            st = k ? note_atom(p, k, kind, cls, mh, cx, n_cx) : NT_ERR_NOMEM;
            free(k);
            for (size_t m = 0; m < t->n_methods && st == NT_OK; m++) {
                char *mt = method_text(&t->methods[m]);
                k = mt ? atom_key(sn, tk, 'M', mt) : NULL;
                st = k ? note_atom(p, k, kind, cls, mh, cx, n_cx) : NT_ERR_NOMEM;
                free(k);
                free(mt);
            }
            for (size_t f = 0; f < t->n_fields && st == NT_OK; f++) {
                k = atom_key(sn, tk, 'F', t->fields[f].name);
                st = k ? note_atom(p, k, kind, cls, mh, cx, n_cx) : NT_ERR_NOMEM;
                free(k);
            }
            for (unsigned b = 0; b < NT_TYPE_FLAG_COUNT && st == NT_OK; b++) {
                if (!(t->flags & (1u << b)))
                    continue;
                k = atom_key(sn, tk, 'X', nt_type_flag_name(1u << b));
                st = k ? note_atom(p, k, kind, cls, mh, cx, n_cx) : NT_ERR_NOMEM;
                free(k);
            }
            free(tk);
        }
    }
    for (size_t i = 0; i < s->n_resources && st == NT_OK; i++) {
        char *k = res_key(&s->resources[i]);
        char *nm = res_name(&s->resources[i]);
        st = k && nm ? note_atom(p, k, NT_PRUNE_RESOURCE, nm, mh, cx, n_cx) : NT_ERR_NOMEM;
        free(k);
        free(nm);
    }
    for (size_t i = 0; i < s->n_bundles && st == NT_OK; i++) {
        nt_sbuf b = {0};
        nt_sb_puts(&b, "bundles|");
        nt_sb_puts(&b, s->bundles[i].module ? s->bundles[i].module : "");
        nt_sb_puts(&b, "|");
        nt_sb_puts(&b, s->bundles[i].name);
        char *k = nt_sb_take(&b);
        st = k ? note_atom(p, k, 0, NULL, mh, cx, n_cx) : NT_ERR_NOMEM;
        free(k);
    }
    for (size_t i = 0; i < s->n_predefined && st == NT_OK; i++) {
        nt_sbuf b = {0};
        nt_sb_puts(&b, "predefined|");
        nt_sb_puts(&b, s->predefined[i].hash);
        char *k = nt_sb_take(&b);
        st = k ? note_atom(p, k, 0, NULL, mh, cx, n_cx) : NT_ERR_NOMEM;
        free(k);
    }
    return st;
}

nt_status nt_prune_ns_package_of(const char *s, nt_strv *out)
{
    char buf[1024];
    size_t l = strlen(s);
    if (ends_with(s, "__init.class"))
        l -= strlen(".class");
    else if (!ends_with(s, "__init"))
        return NT_OK;
    if (l >= sizeof buf)
        return NT_OK;
    for (size_t i = 0; i < l; i++)
        buf[i] = s[i] == '/' ? '.' : s[i];
    buf[l] = '\0';
    char pkg[1024];
    class_package(buf, pkg, sizeof pkg);
    if (!pkg[0])
        return NT_OK; /* a single-segment namespace: graal-build-time registers no package */
    return nt_strv_add_unique(out, pkg);
}

nt_status nt_prune_collect_ns_packages(json_t *v, nt_strv *out)
{
    if (json_is_string(v))
        return nt_prune_ns_package_of(json_string_value(v), out);
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++)
            if (nt_prune_collect_ns_packages(json_array_get(v, i), out) != NT_OK)
                return NT_ERR_NOMEM;
    } else if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) {
            if (nt_prune_collect_ns_packages(x, out) != NT_OK)
                return NT_ERR_NOMEM;
        }
    }
    return NT_OK;
}

/* Method and constructor handles looked up during build-time initialisation
 * and invoked at run time still need their target registered (DESIGN.md §4:
 * Reflector's canAccess). Field handles and VarHandles made at build time
 * (e.g. AtomicBoolean.value in its <clinit>) are not: they follow the
 * build-time rule like any other access. */
static int is_mh_lookup(const char *fn)
{
    return fn && (strcmp(fn, "findMethodHandle") == 0 ||
                  strcmp(fn, "findConstructorHandle") == 0);
}

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static nt_status replay(pctx *p, nt_recorder *prov, nt_prune_report *rep)
{
    char *text = nt_recorder_provenance_json(prov);
    if (!text)
        return NT_ERR_NOMEM;
    json_t *root = json_loads(text, JSON_ALLOW_NUL, NULL);
    free(text);
    if (!root)
        return NT_ERR_NOMEM;
    nt_status st = nt_prune_collect_ns_packages(json_object_get(root, "events"), &p->ns_packages);
    json_t *events = json_object_get(root, "events");
    /* The recording's track-reflection-metadata setting (its meta event): every
     * event is replayed with it, or an untracked recording's all* flags would be
     * replayed as queryAll* and never match. */
    int track = 1, caller_filter = 1, heuristic_filter = 1;
    for (size_t i = 0; i < json_array_size(events); i++) {
        json_t *ev = json_object_get(json_array_get(events, i), "event");
        if (!nt_ops_str_eq(jstr(ev, "tracer"), "meta"))
            continue;
        if (nt_ops_str_eq(jstr(ev, "event"), "track_reflection_metadata") &&
            json_is_boolean(json_object_get(ev, "track")))
            track = json_is_true(json_object_get(ev, "track"));
        /* and its built-in filters: replayed with others, an event the recording
         * kept would register nothing (and its entry be kept as unrecorded), or
         * one it filtered out would add contexts */
        if (nt_ops_str_eq(jstr(ev, "event"), "builtin_filters")) {
            json_t *cf = json_object_get(ev, "builtin_caller_filter");
            json_t *hf = json_object_get(ev, "builtin_heuristic_filter");
            /* Several runs merged into one directory can have used different
             * settings, and the file does not say which event came from which:
             * a filter is on only if every run had it on. Replaying an event
             * that some run filtered out can only add contexts (keep more),
             * while filtering an event a run kept could drop an entry it needs. */
            if (json_is_false(cf))
                caller_filter = 0;
            if (json_is_false(hf))
                heuristic_filter = 0;
        }
    }
    nt_filter_set *filters = nt_filter_set_new(caller_filter, heuristic_filter);
    if (!filters) {
        json_decref(root);
        return NT_ERR_NOMEM;
    }
    for (size_t i = 0; st == NT_OK && i < json_array_size(events); i++) {
        json_t *rec = json_array_get(events, i);
        char *et = json_dumps(json_object_get(rec, "event"), JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (!et) {
            st = NT_ERR_NOMEM;
            break;
        }
        nt_event *ev = NULL;
        st = nt_event_parse(et, strlen(et), "provenance", &ev, p->d);
        free(et);
        if (st != NT_OK)
            break;
        if (strcmp(ev->tracer, "meta") == 0) {
            nt_event_free(ev);
            continue;
        }
        nt_config *scratch = nt_config_new();
        nt_trace_state ts;
        nt_trace_state_init(&ts);
        ts.track_reflection = track;
        ts.live = 1;
        ts.jni_launch = NT_JNI_LAUNCH_DONE;
        ts.label = "provenance";
        json_t *ctxs = json_object_get(rec, "contexts");
        size_t n_cx = json_array_size(ctxs);
        int any_rt = 0;
        ev_ctx *cx = calloc(n_cx ? n_cx : 1, sizeof *cx);
        if (!scratch || !cx) {
            st = NT_ERR_NOMEM;
        } else {
            nt_diags ed;
            nt_diags_init(&ed);
            nt_status ps = nt_process_event(scratch, &ts, ev, filters, &ed);
            if (ps == NT_ERR_NOMEM)
                st = ps;
            else if (ps != NT_OK)
                nt_diag_warn(p->d, "provenance", 0, 0,
                             "event %zu cannot be replayed; it is ignored", i + 1);
            nt_diags_free(&ed);
            for (size_t j = 0; st == NT_OK && j < n_cx; j++) {
                json_t *co = json_array_get(ctxs, j);
                cx[j].rc.caller_class = jstr(co, "caller");
                cx[j].rc.clinit_class = jstr(co, "clinit");
                cx[j].rc.clojure_loading = json_is_true(json_object_get(co, "clojureLoading"));
                cx[j].rc.main_phase = json_is_true(json_object_get(co, "mainPhase"));
                cx[j].rc.jni_library = jstr(co, "jniLibrary");
                cx[j].rc.jni_function = jstr(co, "jniFunction");
                int bt = nt_prune_context_is_build_time(&cx[j].rc, p->o, &p->ns_packages);
                any_rt |= !bt;
                if (!(cx[j].desc = ctx_desc(&cx[j].rc, bt)))
                    st = NT_ERR_NOMEM;
            }
            if (st == NT_OK && ps == NT_OK && rep)
                rep->events++; /* replayed (one that cannot be is warned about above) */
            if (st == NT_OK && ps == NT_OK)
                st = note_config(p, scratch, is_mh_lookup(ev->function), cx, n_cx);
            if (st == NT_OK && ps == NT_OK && any_rt && nt_config_merge(p->rt, scratch) != NT_OK)
                st = NT_ERR_NOMEM;
        }
        for (size_t j = 0; cx && j < n_cx; j++)
            free(cx[j].desc);
        free(cx);
        nt_trace_state_free(&ts);
        nt_config_free(scratch);
        nt_event_free(ev);
    }
    nt_filter_set_free(filters);
    json_decref(root);
    return st;
}

/* ---- applying the verdicts ------------------------------------------------------ */
/* Provenance verdict of one atom: 1 drop, 0 keep (or unknown). */
static int atom_drops(pctx *p, const char *key, atom **out)
{
    atom *a = nt_map_get(&p->atoms, key);
    *out = a;
    return a && !a->runtime && !a->mh;
}

/* atom_drops for (set, type, what, detail). A reflection entry without an
 * atom of its own takes the JNI or serialization set's: reading
 * reachability-metadata.json registers a jniAccessible or serializable type
 * for reflection too, with no reflection event behind it. Returns -1 on
 * NOMEM, else 1 when the atom says drop; *out is the atom or NULL. */
static int atom_verdict(pctx *p, const char *sn, const char *tk, char what, const char *detail,
                        atom **out)
{
    static const char *const sets[] = {NULL, "jni", "serialization"};
    int n = strcmp(sn, "reflection") == 0 ? 3 : 1;
    *out = NULL;
    for (int i = 0; i < n; i++) {
        char *k = atom_key(i ? sets[i] : sn, tk, what, detail);
        if (!k)
            return -1;
        int drops = atom_drops(p, k, out);
        free(k);
        if (*out)
            return drops;
    }
    return 0;
}

/* No flags and no members: what the ctor of a serialization entry (part of its
 * identity) is not. */
static int no_members(const nt_type *t)
{
    return t->flags == 0 && t->n_fields == 0 && t->n_methods == 0;
}

/* An entry or member no replayed event registers: kept, and said so. */
static nt_status unrecorded(pctx *p, const char *cat, const char *entry)
{
    return report_add(p->rep, NT_PRUNE_UNRECORDED, cat, entry, "not-recorded",
                      "no event in the provenance file registers it");
}

static nt_status add_line_atom(pctx *p, nt_prune_verdict v, const char *cat, const char *entry,
                               const char *rule, const atom *a, int runtime)
{
    char *sum = a ? atom_summary(a, runtime) : strdup("");
    if (!sum)
        return NT_ERR_NOMEM;
    nt_status st = report_add(p->rep, v, cat, entry, rule, sum);
    free(sum);
    return st;
}

static nt_status prune_type(pctx *p, nt_typeset *s, size_t idx, int with_prov, int *removed)
{
    nt_type *t = s->items[idx];
    const char *sn = set_name(p->c, s);
    unsigned kind = set_kind(p->c, s);
    const char *cls = t->td.kind == NT_TD_CLASS ? t->td.name : NULL;
    char *tk = type_text(t);
    if (!tk)
        return NT_ERR_NOMEM;
    nt_status st = NT_OK;
    int had = !no_members(t), dropped_any = 0;
    *removed = 0;
    const nt_prune_rule *whole = kind && cls ? first_rule(p, kind, cls, NULL, NULL, 0) : NULL;
    int keep_rule = whole && whole->action == NT_PRUNE_KEEP;

    if (!with_prov) {
        if (whole && whole->action == NT_PRUNE_DROP) {
            st = report_add(p->rep, NT_PRUNE_REMOVED, sn, tk, whole->id, "");
            free(tk);
            if (st == NT_OK) {
                nt_typeset_remove(s, idx);
                *removed = 1;
            }
            return st;
        }
        for (size_t m = t->n_methods; keep_rule == 0 && m-- > 0 && st == NT_OK;) {
            const nt_prune_rule *r = first_rule(p, kind, cls, t->methods[m].name, NULL, 0);
            if (!r || r->action != NT_PRUNE_DROP)
                continue;
            char *mt = method_text(&t->methods[m]);
            char *et = mt ? entry_text(tk, 'M', mt) : NULL;
            st = et ? report_add(p->rep, NT_PRUNE_REMOVED, sn, et, r->id, "") : NT_ERR_NOMEM;
            free(mt);
            free(et);
            nt_type_remove_method(t, m);
            dropped_any = 1;
        }
        for (size_t f = t->n_fields; keep_rule == 0 && f-- > 0 && st == NT_OK;) {
            const nt_prune_rule *r = first_rule(p, kind, cls, t->fields[f].name, NULL, 0);
            if (!r || r->action != NT_PRUNE_DROP)
                continue;
            char *et = entry_text(tk, 'F', t->fields[f].name);
            st = et ? report_add(p->rep, NT_PRUNE_REMOVED, sn, et, r->id, "") : NT_ERR_NOMEM;
            free(et);
            nt_type_remove_field(t, f);
            dropped_any = 1;
        }
    } else if (user_rule(p, kind, cls) && user_rule(p, kind, cls)->action != NT_PRUNE_REWRITE) {
        const nt_prune_rule *u = user_rule(p, kind, cls);
        atom *a = NULL;
        int drops = atom_verdict(p, sn, tk, 'T', NULL, &a);
        if (drops < 0) {
            st = NT_ERR_NOMEM;
        } else if (u->action == NT_PRUNE_DROP) {
            st = add_line_atom(p, NT_PRUNE_REMOVED, sn, tk, u->id, a, a && a->runtime);
            if (st == NT_OK) {
                nt_typeset_remove(s, idx);
                *removed = 1;
            }
        } else if (drops) {
            st = add_line_atom(p, NT_PRUNE_KEPT, sn, tk, u->id, a, 0);
        } else if (!a) {
            st = unrecorded(p, sn, tk);
        }
    } else {
        /* The entry itself first: when no event registers it, its members
         * are not listed one by one. */
        atom *ta = NULL;
        int tdrops = atom_verdict(p, sn, tk, 'T', NULL, &ta);
        if (tdrops < 0)
            st = NT_ERR_NOMEM;
        int entry_recorded = ta != NULL;
        for (size_t m = t->n_methods; m-- > 0 && st == NT_OK;) {
            char *mt = method_text(&t->methods[m]);
            atom *a = NULL;
            int drops = mt ? atom_verdict(p, sn, tk, 'M', mt, &a) : -1;
            if (drops > 0) {
                char *et = entry_text(tk, 'M', mt);
                st = et ? add_line_atom(p, NT_PRUNE_REMOVED, sn, et, "build-time-only", a, 0)
                        : NT_ERR_NOMEM;
                free(et);
                nt_type_remove_method(t, m);
                dropped_any = 1;
            } else if (a && !a->runtime && a->mh) {
                char *et = entry_text(tk, 'M', mt);
                char *sum = et ? atom_summary(a, 0) : NULL;
                nt_sbuf b = {0};
                nt_sb_puts(&b, "method-handle lookup, kept whatever its context (the handle is "
                           "invoked at run time): ");
                nt_sb_puts(&b, sum ? sum : "");
                char *pv = nt_sb_take(&b);
                st = et && sum && pv
                         ? report_add(p->rep, NT_PRUNE_KEPT, sn, et, "method-handle", pv)
                         : NT_ERR_NOMEM;
                free(et);
                free(sum);
                free(pv);
            } else if (drops < 0) {
                st = NT_ERR_NOMEM;
            } else if (!a && entry_recorded) {
                char *et = entry_text(tk, 'M', mt);
                st = et ? unrecorded(p, sn, et) : NT_ERR_NOMEM;
                free(et);
            }
            free(mt);
        }
        for (size_t f = t->n_fields; f-- > 0 && st == NT_OK;) {
            atom *a = NULL;
            int drops = atom_verdict(p, sn, tk, 'F', t->fields[f].name, &a);
            if (drops > 0) {
                char *et = entry_text(tk, 'F', t->fields[f].name);
                st = et ? add_line_atom(p, NT_PRUNE_REMOVED, sn, et, "build-time-only", a, 0)
                        : NT_ERR_NOMEM;
                free(et);
                nt_type_remove_field(t, f);
                dropped_any = 1;
            } else if (drops < 0) {
                st = NT_ERR_NOMEM;
            } else if (!a && entry_recorded) {
                char *et = entry_text(tk, 'F', t->fields[f].name);
                st = et ? unrecorded(p, sn, et) : NT_ERR_NOMEM;
                free(et);
            }
        }
        for (unsigned b = 0; b < NT_TYPE_FLAG_COUNT && st == NT_OK; b++) {
            if (!(t->flags & (1u << b)))
                continue;
            const char *fname = nt_type_flag_name(1u << b);
            atom *a = NULL;
            int drops = atom_verdict(p, sn, tk, 'X', fname, &a);
            if (drops > 0) {
                char *et = entry_text(tk, 'X', fname);
                st = et ? add_line_atom(p, NT_PRUNE_REMOVED, sn, et, "build-time-only", a, 0)
                        : NT_ERR_NOMEM;
                free(et);
                t->flags &= ~(1u << b);
                dropped_any = 1;
            } else if (drops < 0) {
                st = NT_ERR_NOMEM;
            } else if (!a && entry_recorded) {
                char *et = entry_text(tk, 'X', fname);
                st = et ? unrecorded(p, sn, et) : NT_ERR_NOMEM;
                free(et);
            }
        }
        atom *a = ta;
        if (st != NT_OK) {
            /* nothing more */
        } else if (tdrops > 0 && no_members(t)) {
            st = add_line_atom(p, NT_PRUNE_REMOVED, sn, tk, "build-time-only", a, 0);
            if (st == NT_OK) {
                nt_typeset_remove(s, idx);
                *removed = 1;
            }
        } else if (a && a->runtime && whole && whole->action == NT_PRUNE_DROP) {
            st = add_line_atom(p, NT_PRUNE_KEPT, sn, tk, whole->id, a, 1);
        } else if (!a) {
            st = unrecorded(p, sn, tk);
        }
    }
    if (st == NT_OK && !with_prov && had && dropped_any && no_members(t)) {
        st = report_add(p->rep, NT_PRUNE_REMOVED, sn, tk, "left-empty", "");
        nt_typeset_remove(s, idx);
        *removed = 1;
    }
    free(tk);
    return st;
}

static nt_status prune_resources(pctx *p, int with_prov)
{
    nt_status st = NT_OK;
    for (size_t i = p->c->n_resources; i-- > 0 && st == NT_OK;) {
        nt_resource *r = &p->c->resources[i];
        char *nm = res_name(r), *tx = res_text(r), *k = res_key(r);
        if (!nm || !tx || !k) {
            st = NT_ERR_NOMEM;
        } else {
            const nt_prune_rule *rule = first_rule(p, NT_PRUNE_RESOURCE, nm, NULL, NULL, 0);
            int drop = 0;
            if (!with_prov) {
                if (rule && rule->action == NT_PRUNE_DROP) {
                    st = report_add(p->rep, NT_PRUNE_REMOVED, "resources", tx, rule->id, "");
                    drop = 1;
                }
            } else {
                atom *a = NULL;
                const nt_prune_rule *u = user_rule(p, NT_PRUNE_RESOURCE, nm);
                int drops = atom_drops(p, k, &a);
                if (u && u->action == NT_PRUNE_DROP) {
                    st = add_line_atom(p, NT_PRUNE_REMOVED, "resources", tx, u->id, a,
                                       a && a->runtime);
                    drop = 1;
                } else if (u && u->action == NT_PRUNE_KEEP) {
                    if (drops)
                        st = add_line_atom(p, NT_PRUNE_KEPT, "resources", tx, u->id, a, 0);
                    else if (!a)
                        st = unrecorded(p, "resources", tx);
                } else if (drops) {
                    st = add_line_atom(p, NT_PRUNE_REMOVED, "resources", tx, "build-time-only",
                                       a, 0);
                    drop = 1;
                } else if (a && a->runtime && rule && rule->action == NT_PRUNE_DROP) {
                    st = add_line_atom(p, NT_PRUNE_KEPT, "resources", tx, rule->id, a, 1);
                } else if (!a) {
                    st = unrecorded(p, "resources", tx);
                }
            }
            if (drop && st == NT_OK)
                nt_config_remove_resource(p->c, i);
        }
        free(nm);
        free(tx);
        free(k);
    }
    return st;
}

static nt_status prune_other(pctx *p)
{
    nt_status st = NT_OK;
    for (size_t i = p->c->n_bundles; i-- > 0 && st == NT_OK;) {
        nt_bundle *b = &p->c->bundles[i];
        nt_sbuf kb = {0};
        nt_sb_puts(&kb, "bundles|");
        nt_sb_puts(&kb, b->module ? b->module : "");
        nt_sb_puts(&kb, "|");
        nt_sb_puts(&kb, b->name);
        char *k = nt_sb_take(&kb);
        atom *a = NULL;
        if (!k) {
            st = NT_ERR_NOMEM;
        } else if (atom_drops(p, k, &a)) {
            st = add_line_atom(p, NT_PRUNE_REMOVED, "bundles", b->name, "build-time-only", a, 0);
            if (st == NT_OK)
                nt_config_remove_bundle(p->c, i);
        } else if (!a) {
            st = unrecorded(p, "bundles", b->name);
        }
        free(k);
    }
    return st;
}

/* Move members matched by REWRITE rules to the rule's class. */
static nt_status rewrite_members(pctx *p)
{
    nt_typeset *sets[] = {&p->c->reflection, &p->c->jni, &p->c->serialization};
    nt_status st = NT_OK;
    for (size_t si = 0; si < 3 && st == NT_OK; si++) {
        nt_typeset *s = sets[si];
        unsigned kind = set_kind(p->c, s);
        const char *sn = set_name(p->c, s);
        size_t n = s->count;
        for (size_t i = n; i-- > 0 && st == NT_OK;) {
            nt_type *t = s->items[i];
            if (t->td.kind != NT_TD_CLASS)
                continue;
            int moved = 0;
            for (size_t m = t->n_methods; m-- > 0 && st == NT_OK;) {
                nt_method *me = &t->methods[m];
                const nt_prune_rule *r = first_rule(p, kind, t->td.name, me->name, NULL, 0);
                if (!r || r->action != NT_PRUNE_REWRITE ||
                    strcmp(r->rewrite_class, t->td.name) == 0)
                    continue;
                nt_type *dst = nt_typeset_get_class(s, r->rewrite_class, &t->cond, 1);
                if (!dst || !nt_type_add_method(dst, me->name, me->any_params,
                                                (const char *const *)me->params.v,
                                                me->params.n, me->level))
                    return NT_ERR_NOMEM;
                char *mt = method_text(me);
                char *et = mt ? entry_text(t->td.name, 'M', mt) : NULL;
                nt_sbuf pb = {0};
                nt_sb_puts(&pb, "moved to ");
                nt_sb_puts(&pb, r->rewrite_class);
                char *pv = nt_sb_take(&pb);
                st = et && pv ? report_add(p->rep, NT_PRUNE_REWRITTEN, sn, et, r->id, pv)
                              : NT_ERR_NOMEM;
                free(mt);
                free(et);
                free(pv);
                nt_type_remove_method(t, m);
                moved = 1;
            }
            if (moved && nt_type_is_bare(t)) {
                for (size_t j = 0; j < s->count; j++)
                    if (s->items[j] == t) {
                        nt_typeset_remove(s, j);
                        break;
                    }
            }
        }
    }
    return st;
}

/* A config written by the agent lists no member that a bulk flag covers (the
 * flags were set by getDeclaredFields and the like, the members by run-time
 * lookups; see nt_config_normalize). When such a flag is dropped as
 * build-time-only, the run-time member must still be there: so, before any
 * verdict, each type gets back the members its run-time events register, and
 * they are judged like the others (the normaliser drops them again where a
 * flag stays). */
static nt_status restore_members(pctx *p)
{
    nt_typeset *sets[] = {&p->c->reflection, &p->c->jni};
    nt_typeset *rts[] = {&p->rt->reflection, &p->rt->jni};
    for (size_t si = 0; si < 2; si++)
        for (size_t i = 0; i < sets[si]->count; i++) {
            nt_type *t = sets[si]->items[i];
            const nt_type *r = nt_typeset_get(rts[si], &t->td, &t->cond, 0);
            for (size_t m = 0; r && m < r->n_methods; m++) {
                const nt_method *x = &r->methods[m];
                if (!nt_type_add_method(t, x->name, x->any_params,
                                        (const char *const *)x->params.v, x->params.n, x->level))
                    return NT_ERR_NOMEM;
            }
            for (size_t f = 0; r && f < r->n_fields; f++)
                if (!nt_type_add_field(t, r->fields[f].name, r->fields[f].flags))
                    return NT_ERR_NOMEM;
        }
    return NT_OK;
}

nt_status nt_prune(nt_config *c, nt_recorder *prov, const nt_prune_opts *o,
                   nt_prune_report *rep, nt_diags *d)
{
    if (!c || !o)
        return NT_ERR_INVAL;
    pctx p;
    memset(&p, 0, sizeof p);
    p.c = c;
    p.o = o;
    p.rep = rep;
    p.d = d;
    if (o->clojure)
        p.builtin = nt_prune_clojure_rules(&p.n_builtin);
    nt_map_init(&p.atoms);
    if (rep) {
        rep->heuristic = prov == NULL;
        rep->before = nt_config_entry_count(c);
    }
    nt_status st = NT_OK;
    if (prov) {
        st = (p.rt = nt_config_new()) ? replay(&p, prov, rep) : NT_ERR_NOMEM;
        if (st == NT_OK)
            st = restore_members(&p);
    }
    nt_typeset *sets[] = {&c->reflection, &c->jni, &c->serialization, &c->lambda_capturing};
    for (size_t si = 0; si < 4 && st == NT_OK; si++) {
        if (!prov && si == 3)
            break; /* lambda-capturing types: no name rule applies */
        for (size_t i = sets[si]->count; i-- > 0 && st == NT_OK;) {
            int removed;
            st = prune_type(&p, sets[si], i, prov != NULL, &removed);
        }
    }
    if (st == NT_OK)
        st = prune_resources(&p, prov != NULL);
    if (st == NT_OK && prov)
        st = prune_other(&p);
    if (st == NT_OK)
        st = rewrite_members(&p);
    if (st == NT_OK) {
        nt_config_normalize(c);
        nt_config_sort(c);
    }
    if (rep) {
        rep->after = nt_config_entry_count(c);
        if (rep->n)
            qsort(rep->lines, rep->n, sizeof *rep->lines, line_cmp);
    }
    for (size_t i = 0; i < p.n_all; i++) {
        nt_strv_free(&p.all[i]->bt);
        nt_strv_free(&p.all[i]->rt);
        free(p.all[i]);
    }
    free(p.all);
    nt_map_free(&p.atoms);
    nt_strv_free(&p.ns_packages);
    nt_config_free(p.rt);
    if (st == NT_ERR_NOMEM)
        nt_diag_add(d, st, "", 0, 0, NULL, "out of memory while pruning");
    return st;
}
