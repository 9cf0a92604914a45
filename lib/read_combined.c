/* Strict reader of reachability-metadata.json, schema v1.0, v1.1 and v1.2
 * (the union of what the three versions allow). */
#include "read_priv.h"

#include <stdlib.h>
#include <string.h>

static const char *const TOP_KEYS[] = {"comment",   "reflection", "jni",     "serialization",
                                       "resources", "bundles",    "foreign", NULL};

static const char *const REFL_KEYS[] = {
    "reason", "condition", "type", "methods", "fields",
    "allDeclaredMethods", "allDeclaredFields", "allDeclaredConstructors",
    "allPublicMethods", "allPublicFields", "allPublicConstructors",
    "unsafeAllocated", "serializable", "jniAccessible", NULL};

#define REFL_HINT                                                                        \
    "allowed: condition, type, reason, all{Declared,Public}{Fields,Methods,Constructors}, " \
    "unsafeAllocated, serializable, jniAccessible, fields, methods"

static const char *const SER_KEYS[] = {"reason", "condition", "type",
                                       "customTargetConstructorClass", NULL};
static const char *const GLOB_KEYS[] = {"reason", "condition", "module", "glob", NULL};
static const char *const BUNDLE_RES_KEYS[] = {"reason", "condition", "module", "bundle", NULL};
static const char *const BUNDLE_KEYS[] = {"reason", "condition", "name", "locales", NULL};
static const char *const FOREIGN_KEYS[] = {"downcalls", "upcalls", "directUpcalls", NULL};
static const char *const DOWNCALL_KEYS[] = {"reason", "condition", "returnType",
                                            "parameterTypes", "options", NULL};
static const char *const UPCALL_KEYS[] = {"reason", "condition", "returnType",
                                          "parameterTypes", "options", NULL};
static const char *const DIRECT_KEYS[] = {"reason", "condition", "class", "method",
                                          "returnType", "parameterTypes", "options", NULL};
static const char *const DOWNCALL_OPT_KEYS[] = {"captureCallState", "critical",
                                                "firstVariadicArg", NULL};
static const char *const CRITICAL_KEYS[] = {"allowHeapAccess", NULL};
static const char *const NO_KEYS[] = {NULL};

/* A reflection or JNI entry, added to the typeset set (and to the JNI and
 * serialization types when it says jniAccessible / serializable). */
static void read_type_entry(nt_rd *r, json_t *o, void *ctx)
{
    nt_typeset *set = ctx;
    int before = r->errors;
    nt_rd_entry e;
    int td_ok = nt_rd_entry_start(r, o, 0, REFL_KEYS, "reflection entry", REFL_HINT, &e) == 0;
    nt_rd_flags(r, o, REFL_KEYS, &e);
    nt_rd_bool(r, o, "jniAccessible", &e.jni_accessible);
    nt_rd_bool(r, o, "serializable", &e.serializable);
    nt_rd_fields(r, o, "fields", 0, &e);
    nt_rd_methods(r, o, "methods", NT_ACCESSED, &e);
    nt_rd_reasons(r, o, "reason", 1, &e.reasons);
    if (td_ok && r->errors == before && !r->nomem) {
        if (nt_rd_entry_apply(r, set, &e, 1) && e.jni_accessible && set != &r->c->jni)
            nt_rd_entry_apply(r, &r->c->jni, &e, 1);
        if (!r->nomem && e.serializable)
            nt_rd_entry_apply(r, &r->c->serialization, &e, 0);
    }
    nt_rd_entry_free(&e);
}

static void read_serialization_entry(nt_rd *r, json_t *o, void *ctx)
{
    (void)ctx;
    nt_rd_ser_entry(r, o, 0, SER_KEYS, "serialization entry",
                    "allowed: condition, type, customTargetConstructorClass, reason");
}

static void merge_reasons(nt_rd *r, nt_strv *dst, const nt_strv *src)
{
    for (size_t i = 0; i < src->n; i++)
        if (nt_strv_add_unique(dst, src->v[i]) != NT_OK) {
            nt_rd_oom(r);
            return;
        }
}

static void read_resource_entry(nt_rd *r, json_t *o, void *ctx)
{
    (void)ctx;
    json_t *g = json_object_get(o, "glob");
    json_t *b = json_object_get(o, "bundle");
    if (g && b) {
        nt_rd_err(r, 0, "split it into a glob entry and a bundle entry",
                  "resource entry has both \"glob\" and \"bundle\"");
        return;
    }
    if (!g && !b) {
        nt_rd_err(r, 0, "add \"glob\": \"path/to/resource\" or \"bundle\": \"com.example.Messages\"",
                  "resource entry needs \"glob\" or \"bundle\"");
        return;
    }
    int before = r->errors;
    if (b)
        nt_rd_check_keys(r, o, BUNDLE_RES_KEYS, "bundle resource entry",
                         "allowed: condition, module, bundle, reason");
    else
        nt_rd_check_keys(r, o, GLOB_KEYS, "glob resource entry",
                         "allowed: condition, module, glob, reason");
    const char *value, *module;
    nt_rd_string(r, o, b ? "bundle" : "glob", 1, b ? "the bundle base name" : "the resource glob",
                 &value);
    nt_rd_string(r, o, "module", 0, "the module name", &module);
    if (b)
        nt_rd_reject_colon(r, "bundle", value, "a bundle base name");
    nt_rd_reject_colon(r, "module", module, "a module name");
    nt_cond cond;
    nt_rd_condition(r, o, &cond);
    nt_strv reasons = {0};
    nt_rd_reasons(r, o, "reason", 1, &reasons);
    if (r->errors == before && !r->nomem) {
        if (b) {
            nt_bundle *bu = nt_config_add_bundle(r->c, value, module, &cond);
            if (!bu)
                nt_rd_oom(r);
            else
                merge_reasons(r, &bu->reasons, &reasons);
        } else {
            nt_resource *res = nt_config_add_resource(r->c, NT_RES_GLOB, module, value, &cond);
            if (!res)
                nt_rd_oom(r);
            else
                merge_reasons(r, &res->reasons, &reasons);
        }
    }
    nt_strv_free(&reasons);
    nt_cond_free(&cond);
}

static void read_bundle_entry(nt_rd *r, json_t *o, void *ctx)
{
    (void)ctx;
    int before = r->errors;
    nt_rd_check_keys(r, o, BUNDLE_KEYS, "bundle entry", "allowed: condition, name, locales, reason");
    const char *name;
    nt_rd_string(r, o, "name", 1, "the bundle base name", &name);
    nt_rd_reject_colon(r, "name", name, "a bundle base name");
    nt_cond cond;
    nt_rd_condition(r, o, &cond);
    nt_strv locales = {0}, reasons = {0};
    nt_rd_strings(r, o, "locales", 0, 0, 1, &locales, NULL);
    nt_rd_reasons(r, o, "reason", 1, &reasons);
    if (r->errors == before && !r->nomem) {
        nt_bundle *b = nt_config_add_bundle(r->c, name, NULL, &cond);
        if (!b) {
            nt_rd_oom(r);
        } else {
            merge_reasons(r, &b->locales, &locales);
            merge_reasons(r, &b->reasons, &reasons);
        }
    }
    nt_strv_free(&locales);
    nt_strv_free(&reasons);
    nt_cond_free(&cond);
}

/* ---- foreign ---------------------------------------------------------- */

static void check_options(nt_rd *r, json_t *o, int downcall)
{
    json_t *opt = json_object_get(o, "options");
    if (!opt)
        return;
    nt_rd_push_key(r, "options");
    if (nt_rd_expect(r, opt, JSON_OBJECT, "an options object", NULL)) {
        if (!downcall) {
            nt_rd_check_keys(r, opt, NO_KEYS, "upcall options",
                             "upcall options have no keys; remove it");
        } else {
            nt_rd_check_keys(r, opt, DOWNCALL_OPT_KEYS, "downcall options",
                             "allowed: captureCallState, critical, firstVariadicArg");
            int on;
            nt_rd_bool(r, opt, "captureCallState", &on);
            json_t *fv = json_object_get(opt, "firstVariadicArg");
            if (fv && !json_is_integer(fv)) {
                nt_rd_push_key(r, "firstVariadicArg");
                nt_rd_expect(r, fv, JSON_INTEGER, "an integer", NULL);
                nt_rd_pop(r);
            }
            json_t *crit = json_object_get(opt, "critical");
            if (crit) {
                nt_rd_push_key(r, "critical");
                if (nt_rd_expect(r, crit, JSON_OBJECT, "an object", "write {\"allowHeapAccess\": true}")) {
                    nt_rd_check_keys(r, crit, CRITICAL_KEYS, "critical", "allowed: allowHeapAccess");
                    nt_rd_bool(r, crit, "allowHeapAccess", &on);
                }
                nt_rd_pop(r);
            }
        }
    }
    nt_rd_pop(r);
}

/* Which foreign array an entry is in: 0 downcalls, 1 upcalls, 2 directUpcalls. */
typedef struct foreign_ctx {
    int kind;
    nt_strv *dst;   /* where its canonical JSON text goes */
} foreign_ctx;

static void read_foreign_entry(nt_rd *r, json_t *o, void *ctx)
{
    int kind = ((const foreign_ctx *)ctx)->kind;
    nt_strv *dst = ((const foreign_ctx *)ctx)->dst;
    int before = r->errors;
    static const char *const hints[] = {
        "allowed: condition, returnType, parameterTypes, options, reason",
        "allowed: condition, returnType, parameterTypes, options, reason",
        "allowed: condition, class, method, returnType, parameterTypes, options, reason"};
    static const char *const *const keys[] = {DOWNCALL_KEYS, UPCALL_KEYS, DIRECT_KEYS};
    static const char *const whats[] = {"downcall", "upcall", "direct upcall"};
    nt_rd_check_keys(r, o, keys[kind], whats[kind], hints[kind]);
    const char *s;
    int required = kind != 2;
    nt_rd_string(r, o, "returnType", required, "the return type (\"void\", \"jint\", ...)", &s);
    nt_strv params = {0};
    nt_rd_strings(r, o, "parameterTypes", required, 0, 0, &params, NULL);
    nt_strv_free(&params);
    if (kind == 2) {
        nt_rd_string(r, o, "class", 1, "the class declaring the upcall target", &s);
        nt_rd_string(r, o, "method", 1, "the upcall target method", &s);
    }
    check_options(r, o, kind == 0);
    nt_cond cond;
    nt_rd_condition(r, o, &cond);
    nt_cond_free(&cond);
    nt_strv reasons = {0};
    nt_rd_reasons(r, o, "reason", 1, &reasons);
    nt_strv_free(&reasons);
    if (r->errors != before || r->nomem)
        return;
    char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text || nt_strv_add_unique(dst, text) != NT_OK)
        nt_rd_oom(r);
    free(text);
}

static void read_foreign(nt_rd *r, json_t *f)
{
    if (!nt_rd_expect(r, f, JSON_OBJECT, "an object with downcalls, upcalls, directUpcalls",
                      NULL))
        return;
    nt_rd_check_keys(r, f, FOREIGN_KEYS, "foreign", "allowed: downcalls, upcalls, directUpcalls");
    nt_strv *dst[] = {&r->c->foreign_downcalls, &r->c->foreign_upcalls,
                      &r->c->foreign_direct_upcalls};
    for (int k = 0; k < 3; k++) {
        foreign_ctx fc = {k, dst[k]};
        nt_rd_each_member_object(r, f, FOREIGN_KEYS[k], "an array", NULL, "an object", NULL,
                                 read_foreign_entry, &fc);
    }
}

nt_status nt_rd_combined(nt_rd *r, json_t *root)
{
    if (!nt_rd_expect(r, root, JSON_OBJECT, "an object",
                      "reachability-metadata.json is a JSON object (check the file kind)"))
        return nt_rd_status(r);
    nt_rd_check_keys(r, root, TOP_KEYS, "reachability-metadata.json",
                     "allowed: comment, reflection, jni, serialization, resources, bundles, "
                     "foreign (remove the key or check the file kind)");
    json_t *comment = json_object_get(root, "comment");
    if (comment) {
        if (json_is_string(comment)) {
            if (nt_strv_add_unique(&r->c->comments, json_string_value(comment)) != NT_OK)
                nt_rd_oom(r);
        } else if (json_is_array(comment)) {
            nt_rd_strings(r, root, "comment", 0, 0, 1, &r->c->comments, NULL);
        } else {
            nt_rd_push_key(r, "comment");
            nt_rd_err(r, 0, NULL, "expected a string or an array of strings, found %s",
                      nt_rd_json_kind(comment));
            nt_rd_pop(r);
        }
    }
    nt_rd_each_member_object(r, root, "reflection", "an array", NULL, "a reflection entry object",
                             "write {\"type\": \"com.example.Foo\", ...}", read_type_entry,
                             &r->c->reflection);
    nt_rd_each_member_object(r, root, "jni", "an array", NULL, "a JNI entry object",
                             "write {\"type\": \"com.example.Foo\", ...}", read_type_entry,
                             &r->c->jni);
    nt_rd_each_member_object(r, root, "serialization", "an array", NULL,
                             "a serialization entry object",
                             "write {\"type\": \"com.example.Dto\"}", read_serialization_entry,
                             NULL);
    nt_rd_each_member_object(r, root, "resources", "an array", NULL, "a resource entry object",
                             "write {\"glob\": \"path/to/resource\"} or "
                             "{\"bundle\": \"com.example.Messages\"}",
                             read_resource_entry, NULL);
    nt_rd_each_member_object(r, root, "bundles", "an array", NULL, "a bundle entry object",
                             "write {\"name\": \"com.example.Messages\"}", read_bundle_entry, NULL);
    json_t *foreign = json_object_get(root, "foreign");
    if (foreign) {
        nt_rd_push_key(r, "foreign");
        read_foreign(r, foreign);
        nt_rd_pop(r);
    }
    return nt_rd_status(r);
}
