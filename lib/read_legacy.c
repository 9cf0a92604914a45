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

static void read_reflect_entry(nt_rd *r, json_t *o, void *set)
{
    int before = r->errors;
    nt_rd_entry e;
    int td_ok = nt_rd_entry_start(r, o, 1, REFLECT_KEYS, "type entry", REFLECT_HINT, &e) == 0;
    nt_rd_flags(r, o, NULL, &e);
    nt_rd_fields(r, o, "fields", 1, &e);
    nt_rd_methods(r, o, "methods", NT_ACCESSED, &e);
    nt_rd_methods(r, o, "queriedMethods", NT_QUERIED, &e);
    nt_rd_reasons(r, o, "reasons", 0, &e.reasons);
    nt_rd_entry_finish(r, set, &e, td_ok && r->errors == before);
}

nt_status nt_rd_reflect(nt_rd *r, json_t *root, nt_typeset *set, const char *file_what)
{
    char hint[256];
    snprintf(hint, sizeof hint, "%s is a JSON array of type entries (check the file kind)",
             file_what);
    nt_rd_each_object(r, root, "an array of type entries", hint, "a type entry object",
                      "write {\"type\": \"com.example.Foo\", ...}", read_reflect_entry, set);
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

/* One {condition?, pattern} object; *exclude_p tells includes from excludes. */
static void read_pattern(nt_rd *r, json_t *o, void *exclude_p)
{
    int before = r->errors;
    nt_rd_check_keys(r, o, PATTERN_KEYS, "resource pattern entry", "allowed: condition, pattern");
    const char *pattern;
    nt_rd_string(r, o, "pattern", 1, "the resource regex", &pattern);
    nt_cond cond;
    nt_rd_condition(r, o, &cond);
    if (r->errors == before && !r->nomem)
        add_pattern(r, pattern, *(const int *)exclude_p, &cond);
    nt_cond_free(&cond);
}

static void read_patterns(nt_rd *r, json_t *arr, int exclude)
{
    nt_rd_each_object(r, arr, "an array of pattern objects",
                      "write [{\"pattern\": \"regex\"}, ...]", "a pattern object",
                      "write {\"pattern\": \"regex\"}", read_pattern, &exclude);
}

static void read_bundle(nt_rd *r, json_t *o, void *ctx)
{
    (void)ctx;
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
        /* GraalVM accepts "module:baseName" for a bundle in a module; module
         * names and base names never contain ':' (the combined reader rejects
         * it too), so anything but one ':' between two non-empty parts is an
         * error. */
        const char *colon = strchr(name, ':');
        size_t ml = colon ? (size_t)(colon - name) : 0;
        if (colon && (ml == 0 || !colon[1] || strchr(colon + 1, ':'))) {
            nt_rd_push_key(r, "name");
            nt_rd_err(r, 0, "write \"baseName\" or \"module:baseName\"",
                      "bad bundle name \"%s\": only one ':' may separate a module from the base name",
                      name);
            nt_rd_pop(r);
        }
        char *module = ml ? strndup(name, ml) : NULL;
        nt_bundle *b = r->errors == before
                           ? nt_config_add_bundle(r->c, ml ? name + ml + 1 : name, module, &cond)
                           : NULL;
        free(module);
        if (!b && r->errors == before)
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
}

static void read_glob(nt_rd *r, json_t *o, void *ctx)
{
    (void)ctx;
    int before = r->errors;
    nt_rd_check_keys(r, o, GLOB_KEYS, "glob entry", "allowed: condition, module, glob");
    const char *glob, *module;
    nt_rd_string(r, o, "glob", 1, "the resource glob", &glob);
    nt_rd_string(r, o, "module", 0, "the module name", &module);
    nt_rd_reject_colon(r, "module", module, "a module name");
    nt_cond cond;
    nt_rd_condition(r, o, &cond);
    if (r->errors == before && !r->nomem &&
        !nt_config_add_resource(r->c, NT_RES_GLOB, module, glob, &cond))
        nt_rd_oom(r);
    nt_cond_free(&cond);
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
            for (int exclude = 0; exclude < 2; exclude++) {
                json_t *arr = json_object_get(res, RESOURCE_SET_KEYS[exclude]);
                if (arr) {
                    nt_rd_push_key(r, RESOURCE_SET_KEYS[exclude]);
                    read_patterns(r, arr, exclude);
                    nt_rd_pop(r);
                }
            }
        }
        nt_rd_pop(r);
    }
    nt_rd_each_member_object(r, root, "bundles", "an array of bundle objects",
                             "write [{\"name\": \"com.example.Messages\"}, ...]", "a bundle object",
                             "write {\"name\": \"com.example.Messages\"}", read_bundle, NULL);
    nt_rd_each_member_object(r, root, "globs", "an array of glob objects",
                             "write [{\"glob\": \"path/*.properties\"}, ...]", "a glob object",
                             "write {\"glob\": \"path/*.properties\"}", read_glob, NULL);
    return nt_rd_status(r);
}

/* ---- proxy-config.json and serialization proxies ---------------------- */

static const char *const PROXY_KEYS[] = {"condition", "interfaces", "reasons", NULL};

#define PROXY_WHAT "a proxy object"
#define PROXY_HINT "write {\"interfaces\": [\"com.example.Api\"]}"

/* One {condition?, interfaces, reasons?} object or (proxy-config.json only)
 * array of interface names, added as a proxy type to the typeset set. */
static void read_proxy_entry(nt_rd *r, json_t *o, void *set)
{
    int before = r->errors;
    nt_rd_entry e;
    memset(&e, 0, sizeof e);
    e.td.kind = NT_TD_PROXY;
    if (json_is_array(o)) {
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
    } else if (nt_rd_expect(r, o, JSON_OBJECT, PROXY_WHAT, PROXY_HINT)) {
        nt_rd_check_keys(r, o, PROXY_KEYS, "proxy entry",
                         "allowed: condition, interfaces, reasons");
        nt_rd_strings(r, o, "interfaces", 1, 1, 0, &e.td.ifaces, NULL);
        nt_rd_condition(r, o, &e.cond);
        nt_rd_reasons(r, o, "reasons", 0, &e.reasons);
    }
    nt_rd_entry_finish(r, set, &e, r->errors == before);
}

nt_status nt_rd_proxy(nt_rd *r, json_t *root)
{
    nt_rd_each_object(r, root, "an array of proxy entries",
                      "proxy-config.json is a JSON array (check the file kind)", NULL, NULL,
                      read_proxy_entry, &r->c->reflection);
    return nt_rd_status(r);
}

/* ---- serialization-config.json ---------------------------------------- */

static const char *const SER_TOP_KEYS[] = {"types", "lambdaCapturingTypes", "proxies", NULL};
static const char *const SER_TYPE_KEYS[] = {"condition", "name", "type",
                                            "customTargetConstructorClass", "reasons", NULL};
static const char *const SER_LAMBDA_KEYS[] = {"condition", "name", "reasons", NULL};

#define SER_ARRAY_WHAT "an array of entries"
#define SER_TYPE_WHAT "a serialization type object"
#define SER_TYPE_HINT "write {\"type\": \"com.example.Dto\"}"

static void read_ser_type(nt_rd *r, json_t *o, void *ctx)
{
    (void)ctx;
    nt_rd_ser_entry(r, o, 1, SER_TYPE_KEYS, "serialization type entry",
                    "allowed: condition, type (or name), customTargetConstructorClass, reasons");
}

static void read_ser_lambda(nt_rd *r, json_t *o, void *ctx)
{
    (void)ctx;
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
    nt_rd_entry_finish(r, &r->c->lambda_capturing, &e, r->errors == before);
}

nt_status nt_rd_serialization(nt_rd *r, json_t *root)
{
    if (json_is_array(root)) {   /* oldest shape: a bare array of types */
        nt_rd_each_object(r, root, SER_ARRAY_WHAT, NULL, SER_TYPE_WHAT, SER_TYPE_HINT,
                          read_ser_type, NULL);
        return nt_rd_status(r);
    }
    if (!nt_rd_expect(r, root, JSON_OBJECT, "an object with types, lambdaCapturingTypes, proxies",
                      "serialization-config.json is a JSON object (check the file kind)"))
        return nt_rd_status(r);
    nt_rd_check_keys(r, root, SER_TOP_KEYS, "serialization-config.json",
                     "allowed: types, lambdaCapturingTypes, proxies (remove the key or check "
                     "the file kind)");
    nt_rd_each_member_object(r, root, "types", SER_ARRAY_WHAT, NULL, SER_TYPE_WHAT,
                             SER_TYPE_HINT, read_ser_type, NULL);
    nt_rd_each_member_object(r, root, "lambdaCapturingTypes", SER_ARRAY_WHAT, NULL,
                             "a lambda-capturing type object",
                             "write {\"name\": \"com.example.Main\"}", read_ser_lambda, NULL);
    nt_rd_each_member_object(r, root, "proxies", SER_ARRAY_WHAT, NULL, PROXY_WHAT, PROXY_HINT,
                             read_proxy_entry, &r->c->serialization);
    return nt_rd_status(r);
}

/* ---- predefined-classes-config.json ----------------------------------- */

static const char *const PREDEF_KEYS[] = {"type", "classes", NULL};
static const char *const PREDEF_CLASS_KEYS[] = {"hash", "nameInfo", NULL};

/* One {type, classes} class source. */
static void read_class_source(nt_rd *r, json_t *o, void *ctx)
{
    (void)ctx;
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
        return;
    }
    nt_rd_push_key(r, "classes");
    if (nt_rd_expect(r, classes, JSON_ARRAY, "an array of class objects", NULL)) {
        /* unlike nt_rd_each_object, goes on after an allocation failure */
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

nt_status nt_rd_predefined(nt_rd *r, json_t *root)
{
    nt_rd_each_object(r, root, "an array of class sources",
                      "predefined-classes-config.json is a JSON array (check the file kind)",
                      "a class source object",
                      "write {\"type\": \"agent-extracted\", \"classes\": [...]}",
                      read_class_source, NULL);
    return nt_rd_status(r);
}
