/* nitrace internal: the canonical (GraalVM-like, reference §3.2) order of
 * model entries. nt_X_cmp take pointers to the elements themselves; the
 * qsort-ready variants are nt_X_qcmp (arrays of elements, nt_method[]) and
 * nt_X_pcmp (arrays of pointers, const nt_method *[] / nt_type *[]).
 * Nothing here allocates except nt_type_cmp/nt_order_sort_types (descriptor
 * keys), which fall back to a key-free order if memory runs out. */
#ifndef NITRACE_ORDER_PRIV_H
#define NITRACE_ORDER_PRIV_H

#include <stddef.h>

#include "nitrace/model.h"

/* NULL-safe strcmp: NULL sorts before every string. */
int nt_strcmp_null(const char *a, const char *b);
/* Element-wise strcmp; a list that is a prefix of the other sorts first. */
int nt_strv_cmp(const nt_strv *a, const nt_strv *b);

/* Types: by descriptor key (nt_typedesc_key), then condition (nt_cond_cmp). */
int nt_typedesc_cmp(const nt_typedesc *a, const nt_typedesc *b);
int nt_type_cmp(const nt_type *a, const nt_type *b);
int nt_type_pcmp(const void *a, const void *b);          /* nt_type *const * */
/* Methods: by name, then parameter list, any_params first. */
int nt_method_cmp(const nt_method *a, const nt_method *b);
int nt_method_qcmp(const void *a, const void *b);        /* const nt_method * */
int nt_method_pcmp(const void *a, const void *b);        /* const nt_method *const * */
/* Fields: by name. */
int nt_field_cmp(const nt_field *a, const nt_field *b);
int nt_field_qcmp(const void *a, const void *b);         /* const nt_field * */
int nt_field_pcmp(const void *a, const void *b);         /* const nt_field *const * */
/* Resources: by kind, module (none first), value, condition. */
int nt_resource_cmp(const nt_resource *a, const nt_resource *b);
int nt_resource_qcmp(const void *a, const void *b);
int nt_resource_pcmp(const void *a, const void *b);
/* Bundles: by name, module (none first), condition. */
int nt_bundle_cmp(const nt_bundle *a, const nt_bundle *b);
int nt_bundle_qcmp(const void *a, const void *b);
int nt_bundle_pcmp(const void *a, const void *b);
/* Predefined classes: by type, then hash (then nameInfo, none first). */
int nt_predef_cmp(const nt_predef *a, const nt_predef *b);
int nt_predef_qcmp(const void *a, const void *b);
int nt_predef_pcmp(const void *a, const void *b);
/* Strings: qsort comparator over char * arrays. */
int nt_str_pcmp(const void *a, const void *b);

/* Sort an array of type pointers in nt_type_cmp order, computing each
 * descriptor key once (O(n) allocations instead of O(n log n)). The sort is
 * stable-free but total: equal keys and conditions never occur in one set. */
void nt_order_sort_types(nt_type **items, size_t n);

#endif
