/* nitrace internal: helpers shared by lib/ops.c, lib/covers.c and lib/diff.c.
 * Nothing here is part of the public API. */
#ifndef NITRACE_OPS_PRIV_H
#define NITRACE_OPS_PRIV_H

#include <stddef.h>

#include "nitrace/model.h"

/* NULL-safe string equality (NULL equals only NULL). */
int nt_ops_str_eq(const char *a, const char *b);

/* Does an entry with condition `entry` apply to an access made while
 * `cond_type` is reached?  An unconditional entry always applies.
 * cond_type == NULL: lenient (strict == 0, nt_covers: "ignore conditions")
 * or only unconditional entries apply (strict != 0, used by subtraction of an
 * unconditional dst entry). */
int nt_ops_cond_applies(const nt_cond *entry, const char *cond_type, int strict);

/* 1 when the glob has no unescaped '*' (the only wildcard of GraalVM globs
 * that nt_glob_match implements). */
int nt_ops_glob_is_literal(const char *glob);
/* The literal text of a wildcard-free glob (backslash escapes removed).
 * Caller frees; NULL on NOMEM. */
char *nt_ops_glob_unescape(const char *glob);

/* Would the resource entries of c (globs, regex includes, minus regex
 * excludes) include resource `name` in `module` (NULL: class path), for an
 * access under cond_type / strict as in nt_ops_cond_applies? */
int nt_ops_resource_included(const nt_config *c, const char *module, const char *name,
                             const char *cond_type, int strict);

/* Is member m / f covered by a type's all* (and queryAll*) flags, so that a
 * normalised config does not list it? (lib/ops.c explains the rule.) */
int nt_ops_method_covered(unsigned flags, const nt_method *m);
int nt_ops_field_covered(unsigned flags, const nt_field *f);

/* Two language tags denote the same locale ('_' and '-' are equivalent). */
int nt_ops_locale_eq(const char *a, const char *b);

#endif
