/* nitrace core: a string-keyed hash map (open addressing, linear probing).
 * Ownership: the map copies keys and owns the copies; values are borrowed
 * pointers that the map never frees. Not thread-safe. */
#ifndef NITRACE_MAP_H
#define NITRACE_MAP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nt_map_slot {
    char *key;       /* NULL: empty; NT_MAP_TOMBSTONE: deleted */
    uint64_t hash;
    void *value;
} nt_map_slot;

typedef struct nt_map {
    nt_map_slot *slots;
    size_t cap;      /* power of two, 0 before first insert */
    size_t count;    /* live keys */
    size_t used;     /* live keys + tombstones */
} nt_map;

uint64_t nt_hash_bytes(const void *data, size_t len);  /* FNV-1a 64 */
uint64_t nt_hash_str(const char *s);

void nt_map_init(nt_map *m);
void nt_map_free(nt_map *m);                 /* frees keys, not values */
void *nt_map_get(const nt_map *m, const char *key);
/* Insert or replace. Returns 0, or -1 on NOMEM. */
int nt_map_put(nt_map *m, const char *key, void *value);
/* Remove; returns the old value or NULL. */
void *nt_map_remove(nt_map *m, const char *key);
/* Iterate: for (size_t i = 0; (i = nt_map_next(m, i, &k, &v)) != 0;) ...
 * Start with 0; returns 0 at the end. */
size_t nt_map_next(const nt_map *m, size_t pos, const char **key, void **value);

#ifdef __cplusplus
}
#endif
#endif
