/* nitrace core (private): prune internals shared with check mode. */
#ifndef NITRACE_PRUNE_PRIV_H
#define NITRACE_PRUNE_PRIV_H

#include <jansson.h>

#include "nitrace/error.h"
#include "nitrace/model.h"

/* Add to out the package of every Clojure namespace class (a string ending in
 * "__init" or "__init.class", '/' read as '.') found anywhere in v, e.g. a
 * provenance document: the "packages holding an __init class" of the default
 * build-time-init set. NT_OK or NT_ERR_NOMEM. */
nt_status nt_prune_collect_ns_packages(json_t *v, nt_strv *out);
/* The same for one string s (nothing added when s names no __init class). */
nt_status nt_prune_ns_package_of(const char *s, nt_strv *out);

#endif
