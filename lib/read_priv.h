/* nitrace core, internal: shared machinery of the strict config readers
 * (read_common.c, read_legacy.c, read_combined.c, input.c).
 *
 * A reader walks a jansson tree while keeping the JSON path of the value it
 * looks at (object keys / array indices). When something is wrong it reports
 * through nt_rd_err*(), which finds the line and column of that path in the
 * original text (jansson keeps no positions) and appends an NT_ERR_PARSE
 * diagnostic. Readers keep going past a bad entry; an entry that produced an
 * error is not added to the config.
 *
 * Ownership: everything an nt_rd_* function allocates into an out-parameter
 * (nt_cond, nt_typedesc, nt_strv, nt_rd_entry) is owned by the caller and
 * released with the matching free function. */
#ifndef NITRACE_READ_PRIV_H
#define NITRACE_READ_PRIV_H

#include <stddef.h>

#include <jansson.h>

#include "nitrace/error.h"
#include "nitrace/io.h"
#include "nitrace/model.h"

#include "nitrace/trace.h"   /* nt_trace_read_buffer */

/* Deepest nesting accepted in a config file (GraalVM's formats need < 10). */
#define NT_RD_MAX_DEPTH 64
/* Longest JSON path a reader tracks. */
#define NT_RD_MAX_PATH 32
/* Diagnostics reported per file before the reader stops listing them. */
#define NT_RD_MAX_ERRORS 100

/* ---- text scanning (no jansson) --------------------------------------- */

/* 1-based line and column (in code points, as jansson counts) of byte
 * offset off in text. */
void nt_rd_pos(const char *text, size_t len, size_t off, int *line, int *col);

/* One step of a JSON path: an object key (key != NULL) or an array index. */
typedef struct nt_rd_step {
    const char *key;
    size_t index;
} nt_rd_step;

/* Byte offset of the value at path in text (of the key when want_key and the
 * last step is a key). Returns 0 and sets *off, or -1 when not found or the
 * text is not well-formed there. */
int nt_rd_locate(const char *text, size_t len, const nt_rd_step *path, size_t n, int want_key,
                 size_t *off);

/* Byte offset just past the JSON value that starts at or after off (leading
 * whitespace skipped). -1 when the text is not a well-formed value. */
int nt_rd_skip_value(const char *text, size_t len, size_t off, size_t *end);

/* ---- loading ---------------------------------------------------------- */

/* Parse text strictly: valid UTF-8, nesting <= NT_RD_MAX_DEPTH, not empty,
 * no duplicate keys, top-level array or object. Returns the tree (caller
 * decrefs) or NULL after reporting the problem with its position. */
json_t *nt_rd_load(const char *text, size_t len, const char *label, nt_diags *d);

/* ---- reader context --------------------------------------------------- */
typedef struct nt_rd {
    nt_config *c;
    const char *text;
    size_t len;
    const char *label;
    nt_diags *d;
    int errors;          /* problems found (reported or not) */
    int nomem;           /* an allocation failed */
    nt_rd_step path[NT_RD_MAX_PATH];
    size_t depth;        /* steps in path (may exceed NT_RD_MAX_PATH; extra ignored) */
} nt_rd;

void nt_rd_init(nt_rd *r, nt_config *c, const char *text, size_t len, const char *label,
                nt_diags *d);
/* NT_OK, NT_ERR_NOMEM or NT_ERR_PARSE according to what happened. */
nt_status nt_rd_status(const nt_rd *r);

void nt_rd_push_key(nt_rd *r, const char *key);
void nt_rd_push_index(nt_rd *r, size_t index);
void nt_rd_pop(nt_rd *r);

/* Report a problem at the current path (at its key when at_key). */
void nt_rd_err(nt_rd *r, int at_key, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Record an allocation failure (reported once). */
void nt_rd_oom(nt_rd *r);

/* "an object", "an array", "a string", ... */
const char *nt_rd_json_kind(const json_t *v);

/* Report unless v has the JSON type; `what` names the expected thing
 * ("an array of reflection entries"). Returns 1 when v has the type. */
int nt_rd_expect(nt_rd *r, const json_t *v, json_type type, const char *what, const char *hint);

/* Report every key of obj not in allowed (NULL-terminated); `what` names the
 * object ("reflection entry"), hint lists the allowed keys in words.
 * Returns the number of unknown keys. */
int nt_rd_check_keys(nt_rd *r, json_t *obj, const char *const *allowed, const char *what,
                     const char *hint);

/* Java module names and bundle base names never contain ':'; legacy files
 * write a bundle in a module as "module:baseName", so a ':' inside either
 * would not survive conversion: an error at obj[key] when value has one
 * (value NULL: nothing to check). */
void nt_rd_reject_colon(nt_rd *r, const char *key, const char *value, const char *what);

/* Optional string member: *out = NULL when absent. Returns 0, -1 on error
 * (wrong type, or absent when required). */
int nt_rd_string(nt_rd *r, json_t *obj, const char *key, int required, const char *what,
                 const char **out);
/* Optional boolean member (absent = 0). Returns 0, -1 on error. */
int nt_rd_bool(nt_rd *r, json_t *obj, const char *key, int *out);
/* Optional array of strings; each is added to out (converted with
 * nt_java_name when java_names). *present tells whether the key was there.
 * Returns 0, -1 on error. */
int nt_rd_strings(nt_rd *r, json_t *obj, const char *key, int required, int java_names,
                  int unique, nt_strv *out, int *present);

/* The "condition" member of obj: {"typeReachable": T} or {"typeReached": T}.
 * Absent: NT_COND_NONE. Returns 0, -1 on error (out is then empty). */
int nt_rd_condition(nt_rd *r, json_t *obj, nt_cond *out);

/* A type descriptor value: a class name string, {"proxy": [...]} or (when
 * allow_lambda) {"lambda": {...}}. The current path must already point at v.
 * Returns 0, -1 on error (out is then empty). */
int nt_rd_typedesc(nt_rd *r, json_t *v, int allow_lambda, nt_typedesc *out);

/* "reasons" (array of strings) or "reason" (string or array when
 * allow_string) into out. Returns 0, -1 on error. */
int nt_rd_reasons(nt_rd *r, json_t *obj, const char *key, int allow_string, nt_strv *out);

/* ---- arrays of objects ------------------------------------------------ */

/* Called for one element of an array, with the element's index pushed. */
typedef void (*nt_rd_elem_fn)(nt_rd *r, json_t *elem, void *ctx);

/* Report unless arr is an array (array_what, array_hint as for
 * nt_rd_expect); then, for each element until an allocation fails: push its
 * index, report unless it is an object (object_what, object_hint) or else
 * call fn(r, element, ctx), pop. object_what NULL: fn gets every element and
 * checks it itself. */
void nt_rd_each_object(nt_rd *r, json_t *arr, const char *array_what, const char *array_hint,
                       const char *object_what, const char *object_hint, nt_rd_elem_fn fn,
                       void *ctx);
/* The same for the member key of obj, with key pushed; nothing when absent. */
void nt_rd_each_member_object(nt_rd *r, json_t *obj, const char *key, const char *array_what,
                              const char *array_hint, const char *object_what,
                              const char *object_hint, nt_rd_elem_fn fn, void *ctx);

/* ---- staged type entries (validated first, then applied) -------------- */
typedef struct nt_rd_field {
    const char *name;    /* borrowed from the JSON tree */
    unsigned flags;
} nt_rd_field;

typedef struct nt_rd_method {
    const char *name;    /* borrowed from the JSON tree */
    int any_params;
    nt_strv params;      /* owned, Java source syntax */
    nt_access_level level;
} nt_rd_method;

typedef struct nt_rd_entry {
    nt_typedesc td;
    nt_cond cond;
    unsigned flags;
    nt_rd_field *fields;
    size_t n_fields, cap_fields;
    nt_rd_method *methods;
    size_t n_methods, cap_methods;
    nt_strv reasons;
    const char *custom_ctor;   /* borrowed */
    int jni_accessible;
    int serializable;
} nt_rd_entry;

void nt_rd_entry_free(nt_rd_entry *e);

/* Members arrays of a type entry. legacy_field_flags: accept allowWrite /
 * allowUnsafeAccess in fields. params_required: a method must list
 * parameterTypes. Returns 0, -1 on error. */
int nt_rd_fields(nt_rd *r, json_t *obj, const char *key, int legacy_field_flags,
                 nt_rd_entry *e);
int nt_rd_methods(nt_rd *r, json_t *obj, const char *key, nt_access_level level,
                  nt_rd_entry *e);

/* Boolean flag keys of obj (those nt_type_flag_from_name knows and that are
 * in allowed, NULL = any flag) into e->flags. Returns 0, -1 on error. */
int nt_rd_flags(nt_rd *r, json_t *obj, const char *const *allowed, nt_rd_entry *e);

/* Add the staged entry to set (merging into an existing one); returns the
 * config's entry or NULL on NOMEM (recorded in r). */
nt_type *nt_rd_entry_apply(nt_rd *r, nt_typeset *set, const nt_rd_entry *e, int members);

/* Start staging the type entry obj into e (zeroed first): check its keys
 * (allowed, what, hint as for nt_rd_check_keys), read its "type" and
 * "condition". legacy: a legacy file, where the older "name" may stand for
 * "type" and lambda descriptors are not allowed. Returns 0, or -1 when the
 * type could not be read (the rest is still checked). */
int nt_rd_entry_start(nt_rd *r, json_t *obj, int legacy, const char *const *allowed,
                      const char *what, const char *hint, nt_rd_entry *e);
/* Apply e to set with its members when ok and no allocation failed, then
 * free e. */
void nt_rd_entry_finish(nt_rd *r, nt_typeset *set, nt_rd_entry *e, int ok);

/* A serialization type entry (type, condition, customTargetConstructorClass,
 * reasons: "reasons" in legacy files, "reason" otherwise), added to the
 * config's serialization types when valid. */
void nt_rd_ser_entry(nt_rd *r, json_t *obj, int legacy, const char *const *allowed,
                     const char *what, const char *hint);

/* Suggest a close allowed key for a misspelt one (NULL when none). */
const char *nt_rd_suggest(const char *key, const char *const *allowed);

/* ---- the format readers ----------------------------------------------- */
/* root is the loaded tree of the whole file. They return nt_rd_status(). */
nt_status nt_rd_reflect(nt_rd *r, json_t *root, nt_typeset *set, const char *file_what);
nt_status nt_rd_resource(nt_rd *r, json_t *root);
nt_status nt_rd_proxy(nt_rd *r, json_t *root);
nt_status nt_rd_serialization(nt_rd *r, json_t *root);
nt_status nt_rd_predefined(nt_rd *r, json_t *root);
nt_status nt_rd_combined(nt_rd *r, json_t *root);

#endif
