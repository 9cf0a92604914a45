/* Strict readers of the legacy config files: reflect-config.json,
 * jni-config.json, resource-config.json, proxy-config.json,
 * serialization-config.json and predefined-classes-config.json, schema
 * v1.0-v1.2 and the older shapes GraalVM's parsers still accept. */
#include "read_priv.h"

#include <stdlib.h>
#include <string.h>

/* ---- reflect-config.json / jni-config.json ---------------------------- */

static const char *const REFLECT_KEYS[] = {
    "condition", "name", "type",
    "allDeclaredFields", "allPublicFields", "allDeclaredMethods", "allPublicMethods",
    "allDeclaredConstructors", "allPublicConstructors", "allDeclaredClasses", "allPublicClasses",
    "allRecordComponents", "allPermittedSubclasses", "allNestMembers", "allSigners",
    "queryAllDeclaredMethods", "queryAllPublicMethods", "queryAllDeclaredConstructors",
    "queryAllPublicConstructors", "unsafeAllocated",
    "fields", "methods", "queriedMethods", "reasons", NULL};

#define REFLECT_HINT                                                                        \
    "allowed: condition, type (or name), the all*/queryAll* flags, unsafeAllocated, fields, " \
    "methods, queriedMethods, reasons (remove the key or check the file kind)"

/* "type" (string or proxy descriptor) or the deprecated "name" of a legacy
 * entry into e->td. Returns 0, -1 on error. */
static int legacy_type_or_name(nt_rd *r, json_t *o, nt_typedesc *td)
{
    json_t *tv = json_object_get(o, "type");
    json_t *nv = json_object_get(o, "name");
    memset(td, 0, sizeof *td);
    if (!tv && !nv) {
        nt_rd_err(r, 0, "add \"type\": \"com.example.Foo\" (or the older \"name\")",
                  "missing required key \"type\" (or \"name\")");
        return -1;
    }
    if (nv && !json_is_string(nv)) {
        nt_rd_push_key(r, "name");
        nt_rd_expect(r, nv, JSON_STRING, "a class name string", NULL);
        nt_rd_pop(r);
        return -1;
    }
    if (tv) {
        nt_rd_push_key(r, "type");
        int rc = nt_rd_typedesc(r, tv, 0, td);
        nt_rd_pop(r);
        if (rc != 0)
            return -1;
        if (nv) {
            char *n = nt_java_name(json_string_value(nv));
            if (!n) {
                nt_rd_oom(r);
                return -1;
            }
            int same = td->kind == NT_TD_CLASS && strcmp(n, td->name) == 0;
            free(n);
            if (!same) {
                nt_rd_push_key(r, "name");
                nt_rd_err(r, 1, "keep only \"type\"", "\"name\" and \"type\" name different types");
                nt_rd_pop(r);
                nt_typedesc_free(td);
                memset(td, 0, sizeof *td);
                return -1;
            }
        }
        return 0;
    }
    td->kind = NT_TD_CLASS;
    td->name = nt_java_name(json_string_value(nv));
    if (!td->name) {
        nt_rd_oom(r);
        return -1;
    }
    return 0;
}

nt_status nt_rd_reflect(nt_rd *r, json_t *root, nt_typeset *set, const char *file_what)
{
    char hint[256];
    snprintf(hint, sizeof hint, "%s is a JSON array of type entries (check the file kind)",
             file_what);
    if (!nt_rd_expect(r, root, JSON_ARRAY, "an array of type entries", hint))
        return nt_rd_status(r);
    size_t i;
    json_t *o;
    json_array_foreach(root, i, o) {
        if (r->nomem)
            break;
        nt_rd_push_index(r, i);
        if (!nt_rd_expect(r, o, JSON_OBJECT, "a type entry object",
                          "write {\"type\": \"com.example.Foo\", ...}")) {
            nt_rd_pop(r);
            continue;
        }
        int before = r->errors;
        nt_rd_entry e;
        memset(&e, 0, sizeof e);
        nt_rd_check_keys(r, o, REFLECT_KEYS, "type entry", REFLECT_HINT);
        int td_ok = legacy_type_or_name(r, o, &e.td) == 0;
        nt_rd_condition(r, o, &e.cond);
        nt_rd_flags(r, o, NULL, &e);
        nt_rd_fields(r, o, "fields", 1, &e);
        nt_rd_methods(r, o, "methods", NT_ACCESSED, &e);
        nt_rd_methods(r, o, "queriedMethods", NT_QUERIED, &e);
        nt_rd_reasons(r, o, "reasons", 0, &e.reasons);
        if (td_ok && r->errors == before && !r->nomem)
            nt_rd_entry_apply(r, set, &e, 1);
        nt_rd_entry_free(&e);
        nt_rd_pop(r);
    }
    return nt_rd_status(r);
}

/* ---- resource-config.json --------------------------------------------- */

static const char *const RESOURCE_TOP_KEYS[] = {"resources", "bundles", "globs", NULL};
static const char *const RESOURCE_SET_KEYS[] = {"includes", "excludes", NULL};
static const char *const PATTERN_KEYS[] = {"condition", "pattern", NULL};
static const char *const BUNDLE_KEYS[] = {"condition", "name", "locales", "classNames", NULL};
static const char *const GLOB_KEYS[] = {"condition", "module", "glob", NULL};

static int is_ident_start(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '$' ||
           ch >= 0x80;
}

static int is_ident_part(unsigned char ch)
{
    return is_ident_start(ch) || (ch >= '0' && ch <= '9');
}

/* Length of a "module:" prefix of a resource pattern (0 when none): the text
 * before the first ':' must be a Java module name, so that regexes such as
 * "(?:a|b)" are not mistaken for one. */
static size_t module_prefix_len(const char *pat)
{
    const unsigned char *p = (const unsigned char *)pat;
    size_t i = 0;
    for (;;) {
        if (!is_ident_start(p[i]))
            return 0;
        while (is_ident_part(p[i]))
            i++;
        if (p[i] == '.') {
            i++;
            continue;
        }
        return p[i] == ':' ? i : 0;
    }
}

/* Add one includes/excludes pattern. A quoted literal include becomes a glob,
 * as GraalVM does when it reads legacy files. */
static void add_pattern(nt_rd *r, const char *pattern, int exclude, const nt_cond *cond)
{
    size_t ml = module_prefix_len(pattern);
    char *module = NULL;
    if (ml) {
        module = strndup(pattern, ml);
        if (!module) {
            nt_rd_oom(r);
            return;
        }
    }
    const char *rest = ml ? pattern + ml + 1 : pattern;
    nt_resource *res = NULL;
    char *literal = exclude ? NULL : nt_regex_unquote(rest);
    if (literal) {
        char *glob = nt_glob_escape(literal);
        if (glob)
            res = nt_config_add_resource(r->c, NT_RES_GLOB, module, glob, cond);
        free(glob);
    } else {
        res = nt_config_add_resource(r->c, exclude ? NT_RES_EXCLUDE : NT_RES_PATTERN, module,
                                     rest, cond);
    }
    if (!res)
        nt_rd_oom(r);
    free(literal);
    free(module);
}

static void read_patterns(nt_rd *r, json_t *arr, int exclude)
{
    if (!nt_rd_expect(r, arr, JSON_ARRAY, "an array of pattern objects",
                      "write [{\"pattern\": \"regex\"}, ...]"))
        return;
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        if (r->nomem)
            break;
        nt_rd_push_index(r, i);
        if (!nt_rd_expect(r, o, JSON_OBJECT, "a pattern object",
                          "write {\"pattern\": \"regex\"}")) {
            nt_rd_pop(r);
            continue;
        }
        int before = r->errors;
        nt_rd_check_keys(r, o, PATTERN_KEYS, "resource pattern entry",
                         "allowed: condition, pattern");
        const char *pattern;
        nt_rd_string(r, o, "pattern", 1, "the resource regex", &pattern);
        nt_cond cond;
        nt_rd_condition(r, o, &cond);
        if (r->errors == before && !r->nomem)
            add_pattern(r, pattern, exclude, &cond);
        nt_cond_free(&cond);
        nt_rd_pop(r);
    }
}

static void read_bundles(nt_rd *r, json_t *arr)
{
    if (!nt_rd_expect(r, arr, JSON_ARRAY, "an array of bundle objects",
                      "write [{\"name\": \"com.example.Messages\"}, ...]"))
        return;
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        if (r->nomem)
            break;
        nt_rd_push_index(r, i);
        if (!nt_rd_expect(r, o, JSON_OBJECT, "a bundle object",
                          "write {\"name\": \"com.example.Messages\"}")) {
            nt_rd_pop(r);
            continue;
        }
        int before = r->errors;
        nt_rd_check_keys(r, o, BUNDLE_KEYS, "bundle entry",
                         "allowed: condition, name, locales, classNames");
        const char *name;
        nt_rd_string(r, o, "name", 1, "the bundle base name", &name);
        nt_cond cond;
        nt_rd_condition(r, o, &cond);
        nt_strv locales = {0}, classes = {0};
        nt_rd_strings(r, o, "locales", 0, 0, 1, &locales, NULL);
        nt_rd_strings(r, o, "classNames", 0, 0, 1, &classes, NULL);
        if (r->errors == before && !r->nomem) {
            /* GraalVM accepts "module:baseName" for a bundle in a module. */
            size_t ml = module_prefix_len(name);
            char *module = ml ? strndup(name, ml) : NULL;
            nt_bundle *b = nt_config_add_bundle(r->c, ml ? name + ml + 1 : name, module, &cond);
            free(module);
            if (!b)
                nt_rd_oom(r);
            for (size_t k = 0; b && k < locales.n; k++)
                if (nt_strv_add_unique(&b->locales, locales.v[k]) != NT_OK)
                    nt_rd_oom(r);
            for (size_t k = 0; b && k < classes.n; k++)
                if (nt_strv_add_unique(&b->class_names, classes.v[k]) != NT_OK)
                    nt_rd_oom(r);
        }
        nt_strv_free(&locales);
        nt_strv_free(&classes);
        nt_cond_free(&cond);
        nt_rd_pop(r);
    }
}

static void read_globs(nt_rd *r, json_t *arr)
{
    if (!nt_rd_expect(r, arr, JSON_ARRAY, "an array of glob objects",
                      "write [{\"glob\": \"path/*.properties\"}, ...]"))
        return;
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        if (r->nomem)
            break;
        nt_rd_push_index(r, i);
        if (!nt_rd_expect(r, o, JSON_OBJECT, "a glob object",
                          "write {\"glob\": \"path/*.properties\"}")) {
            nt_rd_pop(r);
            continue;
        }
        int before = r->errors;
        nt_rd_check_keys(r, o, GLOB_KEYS, "glob entry", "allowed: condition, module, glob");
        const char *glob, *module;
        nt_rd_string(r, o, "glob", 1, "the resource glob", &glob);
        nt_rd_string(r, o, "module", 0, "the module name", &module);
        nt_cond cond;
        nt_rd_condition(r, o, &cond);
        if (r->errors == before && !r->nomem &&
            !nt_config_add_resource(r->c, NT_RES_GLOB, module, glob, &cond))
            nt_rd_oom(r);
        nt_cond_free(&cond);
        nt_rd_pop(r);
    }
}

nt_status nt_rd_resource(nt_rd *r, json_t *root)
{
    if (!nt_rd_expect(r, root, JSON_OBJECT, "an object with resources, bundles and globs",
                      "resource-config.json is a JSON object (check the file kind)"))
        return nt_rd_status(r);
    nt_rd_check_keys(r, root, RESOURCE_TOP_KEYS, "resource-config.json",
                     "allowed: resources, bundles, globs (remove the key or check the file kind)");
    json_t *res = json_object_get(root, "resources");
    if (res) {
        nt_rd_push_key(r, "resources");
        if (json_is_array(res)) {
            read_patterns(r, res, 0);   /* oldest shape: "resources": [{"pattern": ...}] */
        } else if (nt_rd_expect(r, res, JSON_OBJECT, "an object with includes and excludes",
                                "write {\"includes\": [...], \"excludes\": [...]}")) {
            nt_rd_check_keys(r, res, RESOURCE_SET_KEYS, "resources",
                             "allowed: includes, excludes");
            json_t *inc = json_object_get(res, "includes");
            json_t *exc = json_object_get(res, "excludes");
            if (inc) {
                nt_rd_push_key(r, "includes");
                read_patterns(r, inc, 0);
                nt_rd_pop(r);
            }
            if (exc) {
                nt_rd_push_key(r, "excludes");
                read_patterns(r, exc, 1);
                nt_rd_pop(r);
            }
        }
        nt_rd_pop(r);
    }
    json_t *bundles = json_object_get(root, "bundles");
    if (bundles) {
        nt_rd_push_key(r, "bundles");
        read_bundles(r, bundles);
        nt_rd_pop(r);
    }
    json_t *globs = json_object_get(root, "globs");
    if (globs) {
        nt_rd_push_key(r, "globs");
        read_globs(r, globs);
        nt_rd_pop(r);
    }
    return nt_rd_status(r);
}

/* ---- proxy-config.json and serialization proxies ---------------------- */

static const char *const PROXY_KEYS[] = {"condition", "interfaces", "reasons", NULL};

/* One {condition?, interfaces, reasons?} object (or, when bare_arrays, an
 * array of interface names) added as a proxy type to set. */
static void read_proxy_entry(nt_rd *r, json_t *o, nt_typeset *set, int bare_arrays)
{
    int before = r->errors;
    nt_rd_entry e;
    memset(&e, 0, sizeof e);
    e.td.kind = NT_TD_PROXY;
    if (bare_arrays && json_is_array(o)) {
        size_t i;
        json_t *s;
        json_array_foreach(o, i, s) {
            nt_rd_push_index(r, i);
            if (nt_rd_expect(r, s, JSON_STRING, "an interface name string", NULL)) {
                char *n = nt_java_name(json_string_value(s));
                if (!n || nt_strv_push(&e.td.ifaces, n) != NT_OK)
                    nt_rd_oom(r);
                free(n);
            }
            nt_rd_pop(r);
        }
    } else if (nt_rd_expect(r, o, JSON_OBJECT, "a proxy object",
                            "write {\"interfaces\": [\"com.example.Api\"]}")) {
        nt_rd_check_keys(r, o, PROXY_KEYS, "proxy entry",
                         "allowed: condition, interfaces, reasons");
        nt_rd_strings(r, o, "interfaces", 1, 1, 0, &e.td.ifaces, NULL);
        nt_rd_condition(r, o, &e.cond);
        nt_rd_reasons(r, o, "reasons", 0, &e.reasons);
    }
    if (r->errors == before && !r->nomem)
        nt_rd_entry_apply(r, set, &e, 1);
    nt_rd_entry_free(&e);
}

nt_status nt_rd_proxy(nt_rd *r, json_t *root)
{
    if (!nt_rd_expect(r, root, JSON_ARRAY, "an array of proxy entries",
                      "proxy-config.json is a JSON array (check the file kind)"))
        return nt_rd_status(r);
    size_t i;
    json_t *o;
    json_array_foreach(root, i, o) {
        if (r->nomem)
            break;
        nt_rd_push_index(r, i);
        read_proxy_entry(r, o, &r->c->reflection, 1);
        nt_rd_pop(r);
    }
    return nt_rd_status(r);
}

/* ---- serialization-config.json ---------------------------------------- */

static const char *const SER_TOP_KEYS[] = {"types", "lambdaCapturingTypes", "proxies", NULL};
static const char *const SER_TYPE_KEYS[] = {"condition", "name", "type",
                                            "customTargetConstructorClass", "reasons", NULL};
static const char *const SER_LAMBDA_KEYS[] = {"condition", "name", "reasons", NULL};

static void read_ser_type(nt_rd *r, json_t *o)
{
    if (!nt_rd_expect(r, o, JSON_OBJECT, "a serialization type object",
                      "write {\"type\": \"com.example.Dto\"}"))
        return;
    int before = r->errors;
    nt_rd_entry e;
    memset(&e, 0, sizeof e);
    nt_rd_check_keys(r, o, SER_TYPE_KEYS, "serialization type entry",
                     "allowed: condition, type (or name), customTargetConstructorClass, reasons");
    int td_ok = legacy_type_or_name(r, o, &e.td) == 0;
    nt_rd_condition(r, o, &e.cond);
    nt_rd_string(r, o, "customTargetConstructorClass", 0, "a class name", &e.custom_ctor);
    nt_rd_reasons(r, o, "reasons", 0, &e.reasons);
    if (td_ok && r->errors == before && !r->nomem)
        nt_rd_entry_apply(r, &r->c->serialization, &e, 1);
    nt_rd_entry_free(&e);
}

static void read_ser_lambda(nt_rd *r, json_t *o)
{
    if (!nt_rd_expect(r, o, JSON_OBJECT, "a lambda-capturing type object",
                      "write {\"name\": \"com.example.Main\"}"))
        return;
    int before = r->errors;
    nt_rd_entry e;
    memset(&e, 0, sizeof e);
    nt_rd_check_keys(r, o, SER_LAMBDA_KEYS, "lambda-capturing type entry",
                     "allowed: condition, name, reasons");
    const char *name;
    if (nt_rd_string(r, o, "name", 1, "the class that captures the lambdas", &name) == 0) {
        e.td.kind = NT_TD_CLASS;
        if (!(e.td.name = nt_java_name(name)))
            nt_rd_oom(r);
    }
    nt_rd_condition(r, o, &e.cond);
    nt_rd_reasons(r, o, "reasons", 0, &e.reasons);
    if (r->errors == before && !r->nomem)
        nt_rd_entry_apply(r, &r->c->lambda_capturing, &e, 1);
    nt_rd_entry_free(&e);
}

static void read_ser_array(nt_rd *r, json_t *root, const char *key, int which)
{
    json_t *arr = key ? json_object_get(root, key) : root;
    if (!arr)
        return;
    if (key)
        nt_rd_push_key(r, key);
    if (nt_rd_expect(r, arr, JSON_ARRAY, "an array of entries", NULL)) {
        size_t i;
        json_t *o;
        json_array_foreach(arr, i, o) {
            if (r->nomem)
                break;
            nt_rd_push_index(r, i);
            if (which == 0)
                read_ser_type(r, o);
            else if (which == 1)
                read_ser_lambda(r, o);
            else
                read_proxy_entry(r, o, &r->c->serialization, 0);
            nt_rd_pop(r);
        }
    }
    if (key)
        nt_rd_pop(r);
}

nt_status nt_rd_serialization(nt_rd *r, json_t *root)
{
    if (json_is_array(root)) {   /* oldest shape: a bare array of types */
        read_ser_array(r, root, NULL, 0);
        return nt_rd_status(r);
    }
    if (!nt_rd_expect(r, root, JSON_OBJECT, "an object with types, lambdaCapturingTypes, proxies",
                      "serialization-config.json is a JSON object (check the file kind)"))
        return nt_rd_status(r);
    nt_rd_check_keys(r, root, SER_TOP_KEYS, "serialization-config.json",
                     "allowed: types, lambdaCapturingTypes, proxies (remove the key or check "
                     "the file kind)");
    read_ser_array(r, root, "types", 0);
    read_ser_array(r, root, "lambdaCapturingTypes", 1);
    read_ser_array(r, root, "proxies", 2);
    return nt_rd_status(r);
}

/* ---- predefined-classes-config.json ----------------------------------- */

static const char *const PREDEF_KEYS[] = {"type", "classes", NULL};
static const char *const PREDEF_CLASS_KEYS[] = {"hash", "nameInfo", NULL};

nt_status nt_rd_predefined(nt_rd *r, json_t *root)
{
    if (!nt_rd_expect(r, root, JSON_ARRAY, "an array of class sources",
                      "predefined-classes-config.json is a JSON array (check the file kind)"))
        return nt_rd_status(r);
    size_t i;
    json_t *o;
    json_array_foreach(root, i, o) {
        if (r->nomem)
            break;
        nt_rd_push_index(r, i);
        if (!nt_rd_expect(r, o, JSON_OBJECT, "a class source object",
                          "write {\"type\": \"agent-extracted\", \"classes\": [...]}")) {
            nt_rd_pop(r);
            continue;
        }
        nt_rd_check_keys(r, o, PREDEF_KEYS, "class source", "allowed: type, classes");
        const char *type;
        int type_ok = nt_rd_string(r, o, "type", 1, "\"agent-extracted\"", &type) == 0;
        if (type_ok && strcmp(type, "agent-extracted") != 0) {
            nt_rd_push_key(r, "type");
            nt_rd_err(r, 0, "the only origin GraalVM knows is \"agent-extracted\"",
                      "unknown class source type \"%s\"", type);
            nt_rd_pop(r);
            type_ok = 0;
        }
        json_t *classes = json_object_get(o, "classes");
        if (!classes) {
            nt_rd_err(r, 0, "add \"classes\": [{\"hash\": ...}]", "missing required key \"classes\"");
        } else {
            nt_rd_push_key(r, "classes");
            if (nt_rd_expect(r, classes, JSON_ARRAY, "an array of class objects", NULL)) {
                size_t k;
                json_t *cl;
                json_array_foreach(classes, k, cl) {
                    nt_rd_push_index(r, k);
                    if (nt_rd_expect(r, cl, JSON_OBJECT, "a class object",
                                     "write {\"hash\": \"...\", \"nameInfo\": \"a.B\"}")) {
                        int before = r->errors;
                        nt_rd_check_keys(r, cl, PREDEF_CLASS_KEYS, "predefined class",
                                         "allowed: hash, nameInfo");
                        const char *hash, *name_info;
                        nt_rd_string(r, cl, "hash", 1, "the class hash", &hash);
                        nt_rd_string(r, cl, "nameInfo", 0, "the class name", &name_info);
                        if (type_ok && r->errors == before && !r->nomem &&
                            !nt_config_add_predefined(r->c, type, hash, name_info))
                            nt_rd_oom(r);
                    }
                    nt_rd_pop(r);
                }
            }
            nt_rd_pop(r);
        }
        nt_rd_pop(r);
    }
    return nt_rd_status(r);
}
