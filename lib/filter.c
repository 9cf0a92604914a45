/* Filter sets: GraalVM's caller and access filter chains, filter-file
 * parsing (reference/graalvm-agent.md §2.7). See include/nitrace/trace.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "read_priv.h"
#include "trace_priv.h"

#define FILTER_MAX_BYTES ((size_t)64 << 20)

static const nt_filter_set default_filters = {1, 1, {0}, {0}};

const nt_filter_set *nt_default_filters(void)
{
    return &default_filters;
}

nt_filter_set *nt_filter_set_new(int builtin_caller, int builtin_heuristic)
{
    nt_filter_set *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->builtin_caller = builtin_caller != 0;
    s->heuristic = builtin_heuristic != 0;
    return s;
}

static void chain_free(nt_fchain *ch)
{
    for (size_t i = 0; i < ch->n_rules; i++)
        free(ch->rules[i].pattern);
    free(ch->rules);
    for (size_t i = 0; i < ch->n_inc; i++)
        regfree(&ch->inc[i]);
    free(ch->inc);
    for (size_t i = 0; i < ch->n_exc; i++)
        regfree(&ch->exc[i]);
    free(ch->exc);
    memset(ch, 0, sizeof *ch);
}

void nt_filter_set_free(nt_filter_set *set)
{
    if (!set)
        return;
    chain_free(&set->caller);
    chain_free(&set->access);
    free(set);
}

int nt_filter_heuristic(const nt_filter_set *set)
{
    return (set ? set : &default_filters)->heuristic;
}

/* ---- evaluation --------------------------------------------------------- */

static int chain_accepts(const nt_fchain *ch, const char *name, int verdict)
{
    for (size_t i = 0; i < ch->n_rules; i++)
        if (nt_frule_match(ch->rules[i].pattern, name))
            verdict = ch->rules[i].include;
    if (!verdict)
        return 0;
    if (ch->n_inc) {
        size_t i;
        for (i = 0; i < ch->n_inc; i++)
            if (regexec(&ch->inc[i], name, 0, NULL, 0) == 0)
                break;
        if (i == ch->n_inc)
            return 0;
    }
    for (size_t i = 0; i < ch->n_exc; i++)
        if (regexec(&ch->exc[i], name, 0, NULL, 0) == 0)
            return 0;
    return 1;
}

int nt_filter_accepts_caller(const nt_filter_set *set, const char *name)
{
    if (!name)
        return 1;
    if (!set)
        set = &default_filters;
    int v = set->builtin_caller ? nt_builtin_caller_verdict(name, 1) : 1;
    return chain_accepts(&set->caller, name, v);
}

int nt_filter_accepts_access(const nt_filter_set *set, const char *name)
{
    if (!name)
        return 1;
    if (!set)
        set = &default_filters;
    return chain_accepts(&set->access, name, nt_builtin_access_verdict(name, 1));
}

/* ---- filter files ------------------------------------------------------- */

static int grow(void **items, size_t *cap, size_t count, size_t elem)
{
    if (count < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *n = realloc(*items, ncap * elem);
    if (!n)
        return -1;
    *items = n;
    *cap = ncap;
    return 0;
}

static const char *const rule_keys[] = {"includeClasses", "excludeClasses", NULL};
static const char *const top_keys[] = {"rules", "regexRules", NULL};
#define RULE_HINT "a filter rule is {\"includeClasses\": PATTERN} or {\"excludeClasses\": PATTERN}"

/* One {"includeClasses"|"excludeClasses": "..."} object. Returns 0 and sets
 * *pattern (borrowed) and *include, or -1 after reporting. */
static int parse_rule(nt_rd *r, json_t *v, const char **pattern, int *include)
{
    if (!nt_rd_expect(r, v, JSON_OBJECT, "a filter rule object", RULE_HINT))
        return -1;
    if (nt_rd_check_keys(r, v, rule_keys, "filter rule", RULE_HINT) > 0)
        return -1;
    json_t *inc = json_object_get(v, "includeClasses");
    json_t *exc = json_object_get(v, "excludeClasses");
    if ((inc != NULL) == (exc != NULL)) {
        nt_rd_err(r, 0, RULE_HINT, "a filter rule needs exactly one of \"includeClasses\" and "
                                   "\"excludeClasses\"");
        return -1;
    }
    const char *key = inc ? "includeClasses" : "excludeClasses";
    const char *s = NULL;
    if (nt_rd_string(r, v, key, 1, "a class name pattern", &s) != 0)
        return -1;
    *pattern = s;
    *include = inc != NULL;
    return 0;
}

static nt_status parse_filter(nt_rd *r, json_t *root, nt_fchain *out)
{
    if (!nt_rd_expect(r, root, JSON_OBJECT, "a filter file object",
                      "a filter file is {\"rules\": [...], \"regexRules\": [...]}"))
        return nt_rd_status(r);
    nt_rd_check_keys(r, root, top_keys, "filter file", "the keys are \"rules\" and \"regexRules\"");

    json_t *rules = json_object_get(root, "rules");
    if (rules) {
        nt_rd_push_key(r, "rules");
        if (nt_rd_expect(r, rules, JSON_ARRAY, "an array of filter rules", RULE_HINT)) {
            size_t i;
            json_t *v;
            json_array_foreach(rules, i, v) {
                nt_rd_push_index(r, i);
                const char *pat;
                int include;
                if (parse_rule(r, v, &pat, &include) == 0) {
                    if (!nt_frule_valid(pat)) {
                        nt_rd_push_key(r, include ? "includeClasses" : "excludeClasses");
                        nt_rd_err(r, 0,
                                  "patterns are \"**\", \"pkg.**\" (with subpackages), "
                                  "\"pkg.*\" (this package only) or a class name; '*' may "
                                  "only end a pattern",
                                  "bad class name pattern \"%s\"", pat);
                        nt_rd_pop(r);
                    } else if (grow((void **)&out->rules, &out->cap_rules, out->n_rules,
                                    sizeof *out->rules) != 0 ||
                               !(out->rules[out->n_rules].pattern = strdup(pat))) {
                        nt_rd_oom(r);
                    } else {
                        out->rules[out->n_rules++].include = include;
                    }
                }
                nt_rd_pop(r);
            }
        }
        nt_rd_pop(r);
    }

    json_t *regex = json_object_get(root, "regexRules");
    if (regex) {
        nt_rd_push_key(r, "regexRules");
        if (nt_rd_expect(r, regex, JSON_ARRAY, "an array of regex filter rules", RULE_HINT)) {
            size_t i;
            json_t *v;
            json_array_foreach(regex, i, v) {
                nt_rd_push_index(r, i);
                const char *pat;
                int include;
                if (parse_rule(r, v, &pat, &include) == 0) {
                    size_t n = strlen(pat);
                    char *anchored = malloc(n + 5);
                    regex_t *slot = NULL;
                    if (anchored) {
                        memcpy(anchored, "^(", 2);
                        memcpy(anchored + 2, pat, n);
                        memcpy(anchored + 2 + n, ")$", 3);
                        if (include ? grow((void **)&out->inc, &out->cap_inc, out->n_inc,
                                           sizeof *out->inc)
                                    : grow((void **)&out->exc, &out->cap_exc, out->n_exc,
                                           sizeof *out->exc)) {
                            slot = NULL;
                        } else {
                            slot = include ? &out->inc[out->n_inc] : &out->exc[out->n_exc];
                        }
                    }
                    if (!slot) {
                        nt_rd_oom(r);
                    } else {
                        int rc = nt_regex_is_tame(pat) ? regcomp(slot, anchored,
                                                                 REG_EXTENDED | REG_NOSUB)
                                                       : -1;
                        if (rc == -1) {
                            nt_rd_push_key(r, include ? "includeClasses" : "excludeClasses");
                            nt_rd_err(r, 0,
                                      "write each quantifier once (no \"a++\", \"a*?\"), at "
                                      "most 64 of them in at most 4096 bytes",
                                      "regular expression \"%.80s\" is too complex or uses "
                                      "stacked quantifiers", pat);
                            nt_rd_pop(r);
                        } else if (rc != 0) {
                            char msg[160];
                            regerror(rc, slot, msg, sizeof msg);
                            nt_rd_push_key(r, include ? "includeClasses" : "excludeClasses");
                            nt_rd_err(r, 0,
                                      "regexRules are POSIX extended regular expressions; "
                                      "Java-only syntax such as \\Q..\\E, \\d or (?:..) is "
                                      "not supported",
                                      "bad regular expression \"%s\": %s", pat, msg);
                            nt_rd_pop(r);
                        } else if (include) {
                            out->n_inc++;
                        } else {
                            out->n_exc++;
                        }
                    }
                    free(anchored);
                }
                nt_rd_pop(r);
            }
        }
        nt_rd_pop(r);
    }
    return nt_rd_status(r);
}

static int append_chain(nt_fchain *dst, nt_fchain *src)
{
    while (dst->cap_rules < dst->n_rules + src->n_rules)
        if (grow((void **)&dst->rules, &dst->cap_rules, dst->cap_rules, sizeof *dst->rules))
            return -1;
    while (dst->cap_inc < dst->n_inc + src->n_inc)
        if (grow((void **)&dst->inc, &dst->cap_inc, dst->cap_inc, sizeof *dst->inc))
            return -1;
    while (dst->cap_exc < dst->n_exc + src->n_exc)
        if (grow((void **)&dst->exc, &dst->cap_exc, dst->cap_exc, sizeof *dst->exc))
            return -1;
    if (src->n_rules)
        memcpy(dst->rules + dst->n_rules, src->rules, src->n_rules * sizeof *src->rules);
    if (src->n_inc)
        memcpy(dst->inc + dst->n_inc, src->inc, src->n_inc * sizeof *src->inc);
    if (src->n_exc)
        memcpy(dst->exc + dst->n_exc, src->exc, src->n_exc * sizeof *src->exc);
    dst->n_rules += src->n_rules;
    dst->n_inc += src->n_inc;
    dst->n_exc += src->n_exc;
    free(src->rules);
    free(src->inc);
    free(src->exc);
    memset(src, 0, sizeof *src);
    return 0;
}

nt_status nt_filter_set_add_buffer(nt_filter_set *set, const char *data, size_t len,
                                   const char *label, int which, nt_diags *d)
{
    if (!set || !data || (which != NT_FILTER_CALLER && which != NT_FILTER_ACCESS))
        return nt_diag_add(d, NT_ERR_INVAL, label, 0, 0, NULL,
                           "invalid arguments to nt_filter_set_add_buffer");
    json_t *root = nt_rd_load(data, len, label, d);
    if (!root)
        return NT_ERR_PARSE;
    nt_rd r;
    nt_rd_init(&r, NULL, data, len, label, d);
    nt_fchain tmp;
    memset(&tmp, 0, sizeof tmp);
    nt_status st = parse_filter(&r, root, &tmp);
    json_decref(root);
    if (st == NT_OK &&
        append_chain(which == NT_FILTER_CALLER ? &set->caller : &set->access, &tmp) != 0)
        st = nt_diag_add(d, NT_ERR_NOMEM, label, 0, 0, NULL, "out of memory");
    chain_free(&tmp);
    return st;
}

nt_status nt_filter_set_add_file(nt_filter_set *set, const char *path, int which, nt_diags *d)
{
    if (!path)
        return nt_diag_add(d, NT_ERR_INVAL, "", 0, 0, NULL, "no filter file path given");
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return nt_diag_add(d, NT_ERR_IO, path, 0, 0, "check the caller-/access-filter-file path",
                           "cannot open filter file: %s", strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    nt_status st = NT_OK;
    for (;;) {
        if (len + 4096 > cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *n = realloc(buf, ncap + 1);
            if (!n) {
                st = nt_diag_add(d, NT_ERR_NOMEM, path, 0, 0, NULL, "out of memory");
                break;
            }
            buf = n;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (len > FILTER_MAX_BYTES) {
            st = nt_diag_add(d, NT_ERR_IO, path, 0, 0, NULL, "filter file is larger than %zu bytes",
                             FILTER_MAX_BYTES);
            break;
        }
        if (got == 0) {
            if (ferror(fp))
                st = nt_diag_add(d, NT_ERR_IO, path, 0, 0, NULL, "cannot read filter file: %s",
                                 strerror(errno));
            break;
        }
    }
    fclose(fp);
    if (st == NT_OK) {
        buf[len] = '\0';
        st = nt_filter_set_add_buffer(set, buf, len, path, which, d);
    }
    free(buf);
    return st;
}
