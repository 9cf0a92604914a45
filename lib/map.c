/* String-keyed hash map with open addressing (see include/nitrace/map.h). */
#include "nitrace/map.h"

#include <stdlib.h>
#include <string.h>

static char nt_map_tombstone_mark;
#define NT_MAP_TOMBSTONE (&nt_map_tombstone_mark)

uint64_t nt_hash_bytes(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

uint64_t nt_hash_str(const char *s)
{
    return nt_hash_bytes(s, strlen(s));
}

void nt_map_init(nt_map *m)
{
    memset(m, 0, sizeof *m);
}

void nt_map_free(nt_map *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].key && m->slots[i].key != NT_MAP_TOMBSTONE)
            free(m->slots[i].key);
    }
    free(m->slots);
    nt_map_init(m);
}

/* Index of the slot holding key, or of the slot where it would go. */
static size_t map_find(const nt_map *m, const char *key, uint64_t h, int *found)
{
    size_t mask = m->cap - 1;
    size_t i = (size_t)h & mask;
    size_t first_tomb = (size_t)-1;
    for (;;) {
        const nt_map_slot *s = &m->slots[i];
        if (s->key == NULL) {
            *found = 0;
            return first_tomb != (size_t)-1 ? first_tomb : i;
        }
        if (s->key == NT_MAP_TOMBSTONE) {
            if (first_tomb == (size_t)-1)
                first_tomb = i;
        } else if (s->hash == h && strcmp(s->key, key) == 0) {
            *found = 1;
            return i;
        }
        i = (i + 1) & mask;
    }
}

static int map_grow(nt_map *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 16;
    while (m->count * 2 >= ncap)
        ncap *= 2;
    nt_map_slot *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        nt_map_slot *s = &m->slots[i];
        if (!s->key || s->key == NT_MAP_TOMBSTONE)
            continue;
        size_t j = (size_t)s->hash & (ncap - 1);
        while (ns[j].key)
            j = (j + 1) & (ncap - 1);
        ns[j] = *s;
    }
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    m->used = m->count;
    return 0;
}

void *nt_map_get(const nt_map *m, const char *key)
{
    if (m->count == 0)
        return NULL;
    int found;
    size_t i = map_find(m, key, nt_hash_str(key), &found);
    return found ? m->slots[i].value : NULL;
}

int nt_map_put(nt_map *m, const char *key, void *value)
{
    if ((m->used + 1) * 4 >= m->cap * 3 && map_grow(m) != 0)
        return -1;
    uint64_t h = nt_hash_str(key);
    int found;
    size_t i = map_find(m, key, h, &found);
    nt_map_slot *s = &m->slots[i];
    if (found) {
        s->value = value;
        return 0;
    }
    char *k = strdup(key);
    if (!k)
        return -1;
    if (s->key == NULL)
        m->used++;
    s->key = k;
    s->hash = h;
    s->value = value;
    m->count++;
    return 0;
}

void *nt_map_remove(nt_map *m, const char *key)
{
    if (m->count == 0)
        return NULL;
    int found;
    size_t i = map_find(m, key, nt_hash_str(key), &found);
    if (!found)
        return NULL;
    nt_map_slot *s = &m->slots[i];
    void *v = s->value;
    free(s->key);
    s->key = NT_MAP_TOMBSTONE;
    s->value = NULL;
    m->count--;
    return v;
}

size_t nt_map_next(const nt_map *m, size_t pos, const char **key, void **value)
{
    for (size_t i = pos; i < m->cap; i++) {
        const nt_map_slot *s = &m->slots[i];
        if (s->key && s->key != NT_MAP_TOMBSTONE) {
            if (key)
                *key = s->key;
            if (value)
                *value = s->value;
            return i + 1;
        }
    }
    return 0;
}
