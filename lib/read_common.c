/* Strict config reading, shared part: loading JSON with precise positions,
 * the JSON-path locator, and the checks every format uses (see read_priv.h). */
#include "read_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- positions -------------------------------------------------------- */

void nt_rd_pos(const char *text, size_t len, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    if (off > len)
        off = len;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++;   /* count code points: continuation bytes do not advance */
        }
    }
    *line = l;
    *col = c;
}

/* ---- a small JSON scanner over the raw text --------------------------- */

static size_t skip_ws(const char *t, size_t len, size_t p)
{
    while (p < len && (t[p] == ' ' || t[p] == '\t' || t[p] == '\n' || t[p] == '\r'))
        p++;
    return p;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

static int read_hex4(const char *t, size_t len, size_t p, unsigned *out)
{
    if (p + 4 > len)
        return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(t[p + (size_t)i]);
        if (h < 0)
            return -1;
        v = v * 16 + (unsigned)h;
    }
    *out = v;
    return 0;
}

static size_t utf8_encode(unsigned cp, unsigned char *buf)
{
    if (cp < 0x80) {
        buf[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        buf[0] = (unsigned char)(0xC0 | (cp >> 6));
        buf[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        buf[0] = (unsigned char)(0xE0 | (cp >> 12));
        buf[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    buf[0] = (unsigned char)(0xF0 | (cp >> 18));
    buf[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Scan the string starting at t[p] == '"'. *end receives the offset after
 * the closing quote. When key != NULL, *equal tells whether the decoded
 * string equals key. Returns 0, or -1 when malformed. */
static int scan_string(const char *t, size_t len, size_t p, const char *key, int *equal,
                       size_t *end)
{
    if (p >= len || t[p] != '"')
        return -1;
    p++;
    size_t k = 0;
    int eq = 1;
    while (p < len && t[p] != '"') {
        unsigned char buf[4];
        size_t n;
        if (t[p] == '\\') {
            if (p + 1 >= len)
                return -1;
            char e = t[p + 1];
            p += 2;
            switch (e) {
            case '"': buf[0] = '"'; n = 1; break;
            case '\\': buf[0] = '\\'; n = 1; break;
            case '/': buf[0] = '/'; n = 1; break;
            case 'b': buf[0] = '\b'; n = 1; break;
            case 'f': buf[0] = '\f'; n = 1; break;
            case 'n': buf[0] = '\n'; n = 1; break;
            case 'r': buf[0] = '\r'; n = 1; break;
            case 't': buf[0] = '\t'; n = 1; break;
            case 'u': {
                unsigned cp;
                if (read_hex4(t, len, p, &cp) != 0)
                    return -1;
                p += 4;
                if (cp >= 0xD800 && cp < 0xDC00 && p + 6 <= len && t[p] == '\\' &&
                    t[p + 1] == 'u') {
                    unsigned lo;
                    if (read_hex4(t, len, p + 2, &lo) == 0 && lo >= 0xDC00 && lo < 0xE000) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        p += 6;
                    }
                }
                n = utf8_encode(cp, buf);
                break;
            }
            default:
                return -1;
            }
        } else {
            buf[0] = (unsigned char)t[p];
            n = 1;
            p++;
        }
        if (key && eq) {
            for (size_t i = 0; i < n; i++) {
                if (key[k] == '\0' || (unsigned char)key[k] != buf[i]) {
                    eq = 0;
                    break;
                }
                k++;
            }
        }
    }
    if (p >= len)
        return -1;
    if (key && equal)
        *equal = eq && key[k] == '\0';
    *end = p + 1;
    return 0;
}

static int skip_value_d(const char *t, size_t len, size_t p, size_t *end, int depth)
{
    if (depth > JSON_PARSER_MAX_DEPTH)
        return -1;
    p = skip_ws(t, len, p);
    if (p >= len)
        return -1;
    char ch = t[p];
    if (ch == '"')
        return scan_string(t, len, p, NULL, NULL, end);
    if (ch == '{' || ch == '[') {
        char close = ch == '{' ? '}' : ']';
        p = skip_ws(t, len, p + 1);
        if (p < len && t[p] == close) {
            *end = p + 1;
            return 0;
        }
        for (;;) {
            if (ch == '{') {
                size_t e;
                if (scan_string(t, len, skip_ws(t, len, p), NULL, NULL, &e) != 0)
                    return -1;
                p = skip_ws(t, len, e);
                if (p >= len || t[p] != ':')
                    return -1;
                p++;
            }
            size_t e;
            if (skip_value_d(t, len, p, &e, depth + 1) != 0)
                return -1;
            p = skip_ws(t, len, e);
            if (p >= len)
                return -1;
            if (t[p] == ',') {
                p++;
                continue;
            }
            if (t[p] == close) {
                *end = p + 1;
                return 0;
            }
            return -1;
        }
    }
    /* number, true, false, null: a run of token characters */
    size_t s = p;
    while (p < len && (t[p] == '-' || t[p] == '+' || t[p] == '.' ||
                       (t[p] >= '0' && t[p] <= '9') || (t[p] >= 'a' && t[p] <= 'z') ||
                       (t[p] >= 'A' && t[p] <= 'Z')))
        p++;
    if (p == s)
        return -1;
    *end = p;
    return 0;
}

int nt_rd_skip_value(const char *text, size_t len, size_t off, size_t *end)
{
    return skip_value_d(text, len, off, end, 0);
}

int nt_rd_locate(const char *text, size_t len, const nt_rd_step *path, size_t n, int want_key,
                 size_t *off)
{
    size_t p = skip_ws(text, len, 0);
    for (size_t s = 0; s < n; s++) {
        if (p >= len)
            return -1;
        if (path[s].key) {
            if (text[p] != '{')
                return -1;
            p = skip_ws(text, len, p + 1);
            int found = 0;
            while (p < len && text[p] == '"') {
                size_t kstart = p, e;
                int eq = 0;
                if (scan_string(text, len, p, path[s].key, &eq, &e) != 0)
                    return -1;
                p = skip_ws(text, len, e);
                if (p >= len || text[p] != ':')
                    return -1;
                p = skip_ws(text, len, p + 1);
                if (eq) {
                    if (s + 1 == n && want_key) {
                        *off = kstart;
                        return 0;
                    }
                    found = 1;
                    break;
                }
                if (nt_rd_skip_value(text, len, p, &e) != 0)
                    return -1;
                p = skip_ws(text, len, e);
                if (p < len && text[p] == ',')
                    p = skip_ws(text, len, p + 1);
            }
            if (!found)
                return -1;
        } else {
            if (text[p] != '[')
                return -1;
            p = skip_ws(text, len, p + 1);
            for (size_t i = 0; i < path[s].index; i++) {
                size_t e;
                if (nt_rd_skip_value(text, len, p, &e) != 0)
                    return -1;
                p = skip_ws(text, len, e);
                if (p >= len || text[p] != ',')
                    return -1;
                p = skip_ws(text, len, p + 1);
            }
            if (p >= len || text[p] == ']')
                return -1;
        }
    }
    *off = p;
    return 0;
}

/* ---- loading ---------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at t[i] (first byte >= 0x80), 0 if invalid. */
static size_t utf8_seq(const unsigned char *t, size_t len, size_t i)
{
    unsigned char c = t[i];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > len)
        return 0;
    if (t[i + 1] < lo || t[i + 1] > hi)
        return 0;
    for (size_t k = 2; k < n; k++)
        if (t[i + k] < 0x80 || t[i + k] > 0xBF)
            return 0;
    return n;
}

/* Check encoding and nesting before jansson sees the text, so that both are
 * reported with the exact position of the offending byte. */
static int prescan(const char *text, size_t len, const char *label, nt_diags *d)
{
    const unsigned char *t = (const unsigned char *)text;
    int in_str = 0, depth = 0, line, col;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = t[i];
        if (c >= 0x80) {
            size_t n = utf8_seq(t, len, i);
            if (n == 0) {
                nt_rd_pos(text, len, i, &line, &col);
                nt_diag_add(d, NT_ERR_PARSE, label, line, col,
                            "config files must be UTF-8; re-encode the file as UTF-8",
                            "invalid UTF-8 byte 0x%02X", c);
                return -1;
            }
            i += n - 1;
            continue;
        }
        if (in_str) {
            if (c == '\\' && i + 1 < len && t[i + 1] < 0x80)
                i++;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > NT_RD_MAX_DEPTH) {
                nt_rd_pos(text, len, i, &line, &col);
                nt_diag_add(d, NT_ERR_PARSE, label, line, col,
                            "GraalVM config files nest only a few levels; check the file kind",
                            "JSON nested deeper than %d levels", NT_RD_MAX_DEPTH);
                return -1;
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return 0;
}

/* The token jansson quotes in "... near 'TOKEN'", or NULL. */
static const char *near_token(const char *msg, size_t *toklen)
{
    const char *p = strstr(msg, " near '");
    if (!p)
        return NULL;
    p += 7;
    size_t n = strlen(p);
    if (n == 0 || p[n - 1] != '\'')
        return NULL;   /* truncated message */
    *toklen = n - 1;
    return p;
}

json_t *nt_rd_load(const char *text, size_t len, const char *label, nt_diags *d)
{
    int line, col;
    if (skip_ws(text, len, 0) >= len) {
        nt_rd_pos(text, len, len, &line, &col);
        nt_diag_add(d, NT_ERR_PARSE, label, line, col,
                    "an empty config is \"[]\" (legacy files) or \"{}\" (reachability-metadata.json)",
                    "empty file: no JSON value");
        return NULL;
    }
    if (prescan(text, len, label, d) != 0)
        return NULL;
    json_error_t err;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (root)
        return root;

    enum json_error_code code = json_error_code(&err);
    if (code == json_error_out_of_memory) {
        nt_diag_add(d, NT_ERR_NOMEM, label, 0, 0, NULL, "out of memory while parsing JSON");
        return NULL;
    }
    line = err.line;
    col = err.column;
    size_t toklen = 0;
    const char *tok = near_token(err.text, &toklen);
    /* jansson reports the end of the offending token: point at its start. */
    if (tok && err.position >= 0 && (size_t)err.position >= toklen &&
        (size_t)err.position <= len &&
        memcmp(text + (size_t)err.position - toklen, tok, toklen) == 0) {
        nt_rd_pos(text, len, (size_t)err.position - toklen, &line, &col);
    } else if (err.position >= 0 && (size_t)err.position <= len) {
        size_t off = (size_t)err.position;
        if (off > 0 && off < len)
            off--;   /* the last byte read */
        nt_rd_pos(text, len, off, &line, &col);
    }
    const char *hint;
    switch (code) {
    case json_error_duplicate_key:
        nt_diag_add(d, NT_ERR_PARSE, label, line, col,
                    "each key may appear once per object; remove or merge the duplicate",
                    "duplicate key %.*s", (int)(tok ? toklen : 0), tok ? tok : "");
        return NULL;
    case json_error_premature_end_of_input:
        hint = "the file is truncated, or a bracket, brace or quote is not closed";
        break;
    case json_error_end_of_input_expected:
        hint = "remove what follows the top-level value";
        break;
    case json_error_numeric_overflow:
        hint = "GraalVM config files hold no large numbers; check the file kind";
        break;
    case json_error_null_character:
    case json_error_null_byte_in_key:
        hint = "remove the \\u0000 escape";
        break;
    default:
        hint = "check for a missing or extra comma, colon, bracket or quote";
        break;
    }
    nt_diag_add(d, NT_ERR_PARSE, label, line, col, hint, "invalid JSON: %s", err.text);
    return NULL;
}

/* ---- reader context --------------------------------------------------- */

void nt_rd_init(nt_rd *r, nt_config *c, const char *text, size_t len, const char *label,
                nt_diags *d)
{
    memset(r, 0, sizeof *r);
    r->c = c;
    r->text = text;
    r->len = len;
    r->label = label;
    r->d = d;
}

nt_status nt_rd_status(const nt_rd *r)
{
    if (r->nomem)
        return NT_ERR_NOMEM;
    return r->errors ? NT_ERR_PARSE : NT_OK;
}

void nt_rd_push_key(nt_rd *r, const char *key)
{
    if (r->depth < NT_RD_MAX_PATH) {
        r->path[r->depth].key = key;
        r->path[r->depth].index = 0;
    }
    r->depth++;
}

void nt_rd_push_index(nt_rd *r, size_t index)
{
    if (r->depth < NT_RD_MAX_PATH) {
        r->path[r->depth].key = NULL;
        r->path[r->depth].index = index;
    }
    r->depth++;
}

void nt_rd_pop(nt_rd *r)
{
    if (r->depth > 0)
        r->depth--;
}

void nt_rd_err(nt_rd *r, int at_key, const char *hint, const char *fmt, ...)
{
    r->errors++;
    if (r->errors > NT_RD_MAX_ERRORS + 1)
        return;
    if (r->errors == NT_RD_MAX_ERRORS + 1) {
        nt_diag_add(r->d, NT_ERR_PARSE, r->label, 0, 0, "fix the problems above first",
                    "more than %d problems; not listing the rest", NT_RD_MAX_ERRORS);
        return;
    }
    size_t n = r->depth < NT_RD_MAX_PATH ? r->depth : NT_RD_MAX_PATH;
    size_t off;
    int line = 0, col = 0;
    if (nt_rd_locate(r->text, r->len, r->path, n, at_key, &off) == 0)
        nt_rd_pos(r->text, r->len, off, &line, &col);
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    nt_diag_add(r->d, NT_ERR_PARSE, r->label, line, col, hint, "%s", msg);
}

void nt_rd_oom(nt_rd *r)
{
    if (!r->nomem)
        nt_diag_add(r->d, NT_ERR_NOMEM, r->label, 0, 0, NULL, "out of memory while reading");
    r->nomem = 1;
}

const char *nt_rd_json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    case JSON_NULL: return "null";
    }
    return "a value";
}

int nt_rd_expect(nt_rd *r, const json_t *v, json_type type, const char *what, const char *hint)
{
    int ok = json_typeof(v) == type;
    if (!ok) {
        char fallback[160];
        if (!hint) {
            snprintf(fallback, sizeof fallback, "write %s here, as GraalVM's schema for this file requires", what);
            hint = fallback;
        }
        nt_rd_err(r, 0, hint, "expected %s, found %s", what, nt_rd_json_kind(v));
    }
    return ok;
}

static int in_list(const char *key, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(key, list[i]) == 0)
            return 1;
    return 0;
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    size_t prev[64], cur[64];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb];
}

const char *nt_rd_suggest(const char *key, const char *const *allowed)
{
    /* the combined format renamed "name" to "type" */
    if (strcmp(key, "name") == 0 && in_list("type", allowed) && !in_list("name", allowed))
        return "type";
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t i = 0; allowed[i]; i++) {
        if (strcasecmp(key, allowed[i]) == 0)
            return allowed[i];
        size_t dist = edit_distance(key, allowed[i]);
        if (dist < bestd && dist * 3 <= strlen(allowed[i])) {
            bestd = dist;
            best = allowed[i];
        }
    }
    if (best)
        return best;
    /* a long common prefix: "parameters" -> "parameterTypes" */
    size_t bestp = 5;
    for (size_t i = 0; allowed[i]; i++) {
        size_t p = 0;
        while (key[p] && key[p] == allowed[i][p])
            p++;
        if (p > bestp) {
            bestp = p;
            best = allowed[i];
        }
    }
    return best;
}

int nt_rd_check_keys(nt_rd *r, json_t *obj, const char *const *allowed, const char *what,
                     const char *hint)
{
    int bad = 0;
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        if (in_list(key, allowed))
            continue;
        bad++;
        const char *sugg = nt_rd_suggest(key, allowed);
        char h[256];
        if (sugg)
            snprintf(h, sizeof h, "did you mean \"%s\"? %s", sugg, hint);
        else
            snprintf(h, sizeof h, "%s", hint);
        nt_rd_push_key(r, key);
        nt_rd_err(r, 1, h, "unknown key \"%s\" in %s", key, what);
        nt_rd_pop(r);
    }
    return bad;
}

int nt_rd_string(nt_rd *r, json_t *obj, const char *key, int required, const char *what,
                 const char **out)
{
    *out = NULL;
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required) {
            char h[256];
            snprintf(h, sizeof h, "add \"%s\": \"...\" with %s", key, what);
            nt_rd_err(r, 0, h, "missing required key \"%s\"", key);
            return -1;
        }
        return 0;
    }
    nt_rd_push_key(r, key);
    int ok = json_is_string(v);
    if (!ok) {
        char w[160];
        snprintf(w, sizeof w, "a string (%s)", what);
        nt_rd_expect(r, v, JSON_STRING, w, NULL);
    }
    nt_rd_pop(r);
    if (!ok)
        return -1;
    *out = json_string_value(v);
    return 0;
}

int nt_rd_bool(nt_rd *r, json_t *obj, const char *key, int *out)
{
    *out = 0;
    json_t *v = json_object_get(obj, key);
    if (!v)
        return 0;
    if (!json_is_boolean(v)) {
        nt_rd_push_key(r, key);
        nt_rd_err(r, 0, "write true or false (or leave the key out for false)",
                  "expected true or false for \"%s\", found %s", key, nt_rd_json_kind(v));
        nt_rd_pop(r);
        return -1;
    }
    *out = json_is_true(v);
    return 0;
}

int nt_rd_strings(nt_rd *r, json_t *obj, const char *key, int required, int java_names,
                  int unique, nt_strv *out, int *present)
{
    if (present)
        *present = 0;
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required) {
            char h[128];
            snprintf(h, sizeof h, "add \"%s\": [...]", key);
            nt_rd_err(r, 0, h, "missing required key \"%s\"", key);
            return -1;
        }
        return 0;
    }
    if (present)
        *present = 1;
    nt_rd_push_key(r, key);
    int rc = 0;
    if (!nt_rd_expect(r, v, JSON_ARRAY, "an array of strings", NULL)) {
        nt_rd_pop(r);
        return -1;
    }
    size_t i;
    json_t *s;
    json_array_foreach(v, i, s) {
        if (!json_is_string(s)) {
            nt_rd_push_index(r, i);
            nt_rd_expect(r, s, JSON_STRING, "a string", NULL);
            nt_rd_pop(r);
            rc = -1;
            continue;
        }
        const char *str = json_string_value(s);
        char *conv = NULL;
        if (java_names) {
            conv = nt_java_name(str);
            if (!conv) {
                nt_rd_oom(r);
                rc = -1;
                break;
            }
            str = conv;
        }
        nt_status st = unique ? nt_strv_add_unique(out, str) : nt_strv_push(out, str);
        free(conv);
        if (st != NT_OK) {
            nt_rd_oom(r);
            rc = -1;
            break;
        }
    }
    nt_rd_pop(r);
    return rc;
}

static const char *const COND_KEYS[] = {"typeReached", "typeReachable", NULL};

int nt_rd_condition(nt_rd *r, json_t *obj, nt_cond *out)
{
    memset(out, 0, sizeof *out);
    json_t *v = json_object_get(obj, "condition");
    if (!v)
        return 0;
    int rc = -1;
    nt_rd_push_key(r, "condition");
    if (!nt_rd_expect(r, v, JSON_OBJECT, "a condition object",
                      "write {\"typeReached\": \"com.example.Main\"} or leave the condition out"))
        goto out;
    if (nt_rd_check_keys(r, v, COND_KEYS, "condition",
                         "a condition has exactly one key: typeReached or typeReachable") != 0)
        goto out;
    json_t *reached = json_object_get(v, "typeReached");
    json_t *reachable = json_object_get(v, "typeReachable");
    if (reached && reachable) {
        nt_rd_err(r, 0, "keep only \"typeReached\"",
                  "condition has both \"typeReached\" and \"typeReachable\"");
        goto out;
    }
    if (!reached && !reachable) {
        nt_rd_err(r, 0, "write {\"typeReached\": \"com.example.Main\"} or leave the condition out",
                  "empty condition");
        goto out;
    }
    const char *key = reached ? "typeReached" : "typeReachable";
    json_t *t = reached ? reached : reachable;
    nt_rd_push_key(r, key);
    if (nt_rd_expect(r, t, JSON_STRING, "a class name string", NULL)) {
        out->type = nt_java_name(json_string_value(t));
        if (!out->type) {
            nt_rd_oom(r);
        } else {
            out->kind = reached ? NT_COND_REACHED : NT_COND_REACHABLE;
            rc = 0;
        }
    }
    nt_rd_pop(r);
out:
    nt_rd_pop(r);
    return rc;
}

static void td_clear(nt_typedesc *td)
{
    nt_typedesc_free(td);
    memset(td, 0, sizeof *td);
}

static const char *const LAMBDA_KEYS[] = {"declaringClass", "declaringMethod", "interfaces", NULL};
static const char *const LAMBDA_METHOD_KEYS[] = {"name", "parameterTypes", NULL};

static int rd_lambda(nt_rd *r, json_t *lam, nt_typedesc *out)
{
    int rc = 0;
    nt_rd_push_key(r, "lambda");
    if (!nt_rd_expect(r, lam, JSON_OBJECT, "a lambda descriptor object",
                      "write {\"declaringClass\": ..., \"interfaces\": [...]}")) {
        nt_rd_pop(r);
        return -1;
    }
    if (nt_rd_check_keys(r, lam, LAMBDA_KEYS, "lambda descriptor",
                         "allowed: declaringClass, declaringMethod, interfaces") != 0)
        rc = -1;
    out->kind = NT_TD_LAMBDA;
    const char *dc;
    if (nt_rd_string(r, lam, "declaringClass", 1, "the class that declares the lambda", &dc) != 0) {
        rc = -1;
    } else if (!(out->name = nt_java_name(dc))) {
        nt_rd_oom(r);
        rc = -1;
    }
    int present = 0;
    if (nt_rd_strings(r, lam, "interfaces", 1, 1, 0, &out->ifaces, &present) != 0) {
        rc = -1;
    } else if (out->ifaces.n == 0) {
        nt_rd_push_key(r, "interfaces");
        nt_rd_err(r, 0, "list the functional interface(s) the lambda implements",
                  "a lambda needs at least one interface");
        nt_rd_pop(r);
        rc = -1;
    }
    json_t *dm = json_object_get(lam, "declaringMethod");
    if (dm) {
        nt_rd_push_key(r, "declaringMethod");
        if (!nt_rd_expect(r, dm, JSON_OBJECT, "a method object",
                          "write {\"name\": ..., \"parameterTypes\": [...]}")) {
            rc = -1;
        } else {
            if (nt_rd_check_keys(r, dm, LAMBDA_METHOD_KEYS, "declaringMethod",
                                 "allowed: name, parameterTypes") != 0)
                rc = -1;
            const char *mn;
            if (nt_rd_string(r, dm, "name", 1, "the method name", &mn) != 0) {
                rc = -1;
            } else if (!(out->lambda_method = strdup(mn))) {
                nt_rd_oom(r);
                rc = -1;
            }
            if (nt_rd_strings(r, dm, "parameterTypes", 0, 1, 0, &out->lambda_params,
                              &out->lambda_has_params) != 0)
                rc = -1;
        }
        nt_rd_pop(r);
    }
    nt_rd_pop(r);
    return rc;
}

int nt_rd_typedesc(nt_rd *r, json_t *v, int allow_lambda, nt_typedesc *out)
{
    memset(out, 0, sizeof *out);
    const char *hint = allow_lambda
                           ? "a type is a class name, {\"proxy\": [interfaces]} or {\"lambda\": {...}}"
                           : "a type is a class name or {\"proxy\": [interfaces]}";
    if (json_is_string(v)) {
        out->kind = NT_TD_CLASS;
        out->name = nt_java_name(json_string_value(v));
        if (!out->name) {
            nt_rd_oom(r);
            return -1;
        }
        return 0;
    }
    if (!json_is_object(v)) {
        nt_rd_err(r, 0, hint, "expected a type (class name or descriptor object), found %s",
                  nt_rd_json_kind(v));
        return -1;
    }
    static const char *const with_lambda[] = {"proxy", "lambda", NULL};
    static const char *const proxy_only[] = {"proxy", NULL};
    if (nt_rd_check_keys(r, v, allow_lambda ? with_lambda : proxy_only, "type descriptor",
                         hint) != 0)
        return -1;
    json_t *proxy = json_object_get(v, "proxy");
    json_t *lam = json_object_get(v, "lambda");
    if (proxy && lam) {
        nt_rd_err(r, 0, "split it into two entries",
                  "type descriptor has both \"proxy\" and \"lambda\"");
        return -1;
    }
    if (!proxy && !lam) {
        nt_rd_err(r, 0, hint, "empty type descriptor");
        return -1;
    }
    if (proxy) {
        out->kind = NT_TD_PROXY;
        if (nt_rd_strings(r, v, "proxy", 1, 1, 0, &out->ifaces, NULL) != 0) {
            td_clear(out);
            return -1;
        }
        return 0;
    }
    if (rd_lambda(r, lam, out) != 0) {
        td_clear(out);
        return -1;
    }
    return 0;
}

int nt_rd_reasons(nt_rd *r, json_t *obj, const char *key, int allow_string, nt_strv *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return 0;
    if (allow_string && json_is_string(v)) {
        if (nt_strv_add_unique(out, json_string_value(v)) != NT_OK) {
            nt_rd_oom(r);
            return -1;
        }
        return 0;
    }
    if (!json_is_array(v)) {
        nt_rd_push_key(r, key);
        nt_rd_err(r, 0, NULL, "expected %s, found %s",
                  allow_string ? "a string or an array of strings" : "an array of strings",
                  nt_rd_json_kind(v));
        nt_rd_pop(r);
        return -1;
    }
    return nt_rd_strings(r, obj, key, 0, 0, 1, out, NULL);
}

/* ---- arrays of objects ------------------------------------------------ */

void nt_rd_each_object(nt_rd *r, json_t *arr, const char *array_what, const char *array_hint,
                       const char *object_what, const char *object_hint, nt_rd_elem_fn fn,
                       void *ctx)
{
    if (!nt_rd_expect(r, arr, JSON_ARRAY, array_what, array_hint))
        return;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (r->nomem)
            break;
        nt_rd_push_index(r, i);
        if (!object_what || nt_rd_expect(r, v, JSON_OBJECT, object_what, object_hint))
            fn(r, v, ctx);
        nt_rd_pop(r);
    }
}

void nt_rd_each_member_object(nt_rd *r, json_t *obj, const char *key, const char *array_what,
                              const char *array_hint, const char *object_what,
                              const char *object_hint, nt_rd_elem_fn fn, void *ctx)
{
    json_t *arr = json_object_get(obj, key);
    if (!arr)
        return;
    nt_rd_push_key(r, key);
    nt_rd_each_object(r, arr, array_what, array_hint, object_what, object_hint, fn, ctx);
    nt_rd_pop(r);
}

/* ---- staged type entries ---------------------------------------------- */

void nt_rd_entry_free(nt_rd_entry *e)
{
    nt_typedesc_free(&e->td);
    nt_cond_free(&e->cond);
    free(e->fields);
    for (size_t i = 0; i < e->n_methods; i++)
        nt_strv_free(&e->methods[i].params);
    free(e->methods);
    nt_strv_free(&e->reasons);
    memset(e, 0, sizeof *e);
}

static const char *const FIELD_KEYS_LEGACY[] = {"name", "allowWrite", "allowUnsafeAccess", NULL};
static const char *const FIELD_KEYS[] = {"name", NULL};
static const char *const METHOD_KEYS[] = {"name", "parameterTypes", NULL};

/* Reads one member object (its index pushed) into e. Returns 0, -1 when it
 * is wrong, STOP after an allocation failure. */
#define STOP (-2)
typedef int (*member_fn)(nt_rd *r, json_t *m, nt_rd_entry *e, int arg);

/* The member array under key of a type entry, each object passed to fn with
 * arg. Unlike nt_rd_each_member_object it goes on after an allocation failure
 * elsewhere (only fn returning STOP ends it). Returns 0, -1 when anything was
 * wrong. */
static int each_member(nt_rd *r, json_t *obj, const char *key, const char *array_what,
                       const char *array_hint, const char *object_what, const char *object_hint,
                       member_fn fn, nt_rd_entry *e, int arg)
{
    json_t *arr = json_object_get(obj, key);
    if (!arr)
        return 0;
    nt_rd_push_key(r, key);
    if (!nt_rd_expect(r, arr, JSON_ARRAY, array_what, array_hint)) {
        nt_rd_pop(r);
        return -1;
    }
    int rc = 0;
    size_t i;
    json_t *m;
    json_array_foreach(arr, i, m) {
        nt_rd_push_index(r, i);
        int st = nt_rd_expect(r, m, JSON_OBJECT, object_what, object_hint) ? fn(r, m, e, arg) : -1;
        nt_rd_pop(r);
        if (st != 0)
            rc = -1;
        if (st == STOP)
            break;
    }
    nt_rd_pop(r);
    return rc;
}

static int read_field(nt_rd *r, json_t *f, nt_rd_entry *e, int legacy_field_flags)
{
    int bad = nt_rd_check_keys(r, f, legacy_field_flags ? FIELD_KEYS_LEGACY : FIELD_KEYS, "field",
                               legacy_field_flags ? "allowed: name, allowWrite, allowUnsafeAccess"
                                                  : "a field has only \"name\"");
    const char *name;
    int w = 0, u = 0;
    if (nt_rd_string(r, f, "name", 1, "the field name", &name) != 0)
        bad++;
    if (legacy_field_flags) {
        if (nt_rd_bool(r, f, "allowWrite", &w) != 0)
            bad++;
        if (nt_rd_bool(r, f, "allowUnsafeAccess", &u) != 0)
            bad++;
    }
    if (bad)
        return -1;
    if (e->n_fields == e->cap_fields) {
        size_t nc = e->cap_fields ? e->cap_fields * 2 : 8;
        nt_rd_field *nf = realloc(e->fields, nc * sizeof *nf);
        if (!nf) {
            nt_rd_oom(r);
            return STOP;
        }
        e->fields = nf;
        e->cap_fields = nc;
    }
    e->fields[e->n_fields].name = name;
    e->fields[e->n_fields].flags =
        (w ? NT_FIELD_ALLOW_WRITE : 0u) | (u ? NT_FIELD_ALLOW_UNSAFE_ACCESS : 0u);
    e->n_fields++;
    return 0;
}

int nt_rd_fields(nt_rd *r, json_t *obj, const char *key, int legacy_field_flags, nt_rd_entry *e)
{
    return each_member(r, obj, key, "an array of field objects",
                       "write [{\"name\": \"fieldName\"}, ...]", "a field object",
                       "write {\"name\": \"fieldName\"}", read_field, e, legacy_field_flags);
}

static int read_method(nt_rd *r, json_t *m, nt_rd_entry *e, int level)
{
    int bad = nt_rd_check_keys(r, m, METHOD_KEYS, "method",
                               "a method has \"name\" and \"parameterTypes\"");
    const char *name;
    if (nt_rd_string(r, m, "name", 1, "the method name (\"<init>\" for constructors)", &name) != 0)
        bad++;
    nt_strv params = {0};
    int present = 0;
    if (nt_rd_strings(r, m, "parameterTypes", 0, 1, 0, &params, &present) != 0)
        bad++;
    if (bad) {
        nt_strv_free(&params);
        return -1;
    }
    if (e->n_methods == e->cap_methods) {
        size_t nc = e->cap_methods ? e->cap_methods * 2 : 8;
        nt_rd_method *nm = realloc(e->methods, nc * sizeof *nm);
        if (!nm) {
            nt_strv_free(&params);
            nt_rd_oom(r);
            return STOP;
        }
        e->methods = nm;
        e->cap_methods = nc;
    }
    nt_rd_method *dst = &e->methods[e->n_methods++];
    dst->name = name;
    dst->any_params = !present;
    dst->params = params;
    dst->level = (nt_access_level)level;
    return 0;
}

int nt_rd_methods(nt_rd *r, json_t *obj, const char *key, nt_access_level level, nt_rd_entry *e)
{
    return each_member(r, obj, key, "an array of method objects",
                       "write [{\"name\": \"m\", \"parameterTypes\": [...]}, ...]",
                       "a method object", "write {\"name\": \"m\", \"parameterTypes\": [...]}",
                       read_method, e, (int)level);
}

int nt_rd_flags(nt_rd *r, json_t *obj, const char *const *allowed, nt_rd_entry *e)
{
    int rc = 0;
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        unsigned bit = nt_type_flag_from_name(key);
        if (!bit || (allowed && !in_list(key, allowed)))
            continue;
        int on;
        if (nt_rd_bool(r, obj, key, &on) != 0) {
            rc = -1;
            continue;
        }
        if (on)
            e->flags |= bit;
    }
    return rc;
}

nt_type *nt_rd_entry_apply(nt_rd *r, nt_typeset *set, const nt_rd_entry *e, int members)
{
    nt_type *t = nt_typeset_get_ctor(set, &e->td, &e->cond, e->custom_ctor, 1);
    if (!t) {
        nt_rd_oom(r);
        return NULL;
    }
    if (!members)
        return t;
    t->flags |= e->flags;
    for (size_t i = 0; i < e->n_fields; i++) {
        if (!nt_type_add_field(t, e->fields[i].name, e->fields[i].flags)) {
            nt_rd_oom(r);
            return NULL;
        }
    }
    for (size_t i = 0; i < e->n_methods; i++) {
        const nt_rd_method *m = &e->methods[i];
        if (!nt_type_add_method(t, m->name, m->any_params, (const char *const *)m->params.v,
                                m->params.n, m->level)) {
            nt_rd_oom(r);
            return NULL;
        }
    }
    for (size_t i = 0; i < e->reasons.n; i++) {
        if (nt_strv_add_unique(&t->reasons, e->reasons.v[i]) != NT_OK) {
            nt_rd_oom(r);
            return NULL;
        }
    }
    return t;
}

/* "type" of a type entry into td; legacy files also accept the older "name"
 * (alone, or naming the same class as "type") but no lambda descriptors.
 * Returns 0, -1 on error (td is then empty). */
static int entry_type(nt_rd *r, json_t *o, int legacy, nt_typedesc *td)
{
    json_t *tv = json_object_get(o, "type");
    json_t *nv = legacy ? json_object_get(o, "name") : NULL;
    memset(td, 0, sizeof *td);
    if (!tv && !nv) {
        if (legacy)
            nt_rd_err(r, 0, "add \"type\": \"com.example.Foo\" (or the older \"name\")",
                      "missing required key \"type\" (or \"name\")");
        else
            nt_rd_err(r, 0, "add \"type\": \"com.example.Foo\"", "missing required key \"type\"");
        return -1;
    }
    if (nv && !json_is_string(nv)) {
        nt_rd_push_key(r, "name");
        nt_rd_expect(r, nv, JSON_STRING, "a class name string", NULL);
        nt_rd_pop(r);
        return -1;
    }
    if (!tv)
        return nt_rd_typedesc(r, nv, 0, td);   /* a class name string: fails only on NOMEM */
    nt_rd_push_key(r, "type");
    int rc = nt_rd_typedesc(r, tv, !legacy, td);
    nt_rd_pop(r);
    if (rc != 0 || !nv)
        return rc;
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
        td_clear(td);
        return -1;
    }
    return 0;
}

int nt_rd_entry_start(nt_rd *r, json_t *obj, int legacy, const char *const *allowed,
                      const char *what, const char *hint, nt_rd_entry *e)
{
    memset(e, 0, sizeof *e);
    nt_rd_check_keys(r, obj, allowed, what, hint);
    int rc = entry_type(r, obj, legacy, &e->td);
    nt_rd_condition(r, obj, &e->cond);
    return rc;
}

void nt_rd_entry_finish(nt_rd *r, nt_typeset *set, nt_rd_entry *e, int ok)
{
    if (ok && !r->nomem)
        nt_rd_entry_apply(r, set, e, 1);
    nt_rd_entry_free(e);
}

void nt_rd_ser_entry(nt_rd *r, json_t *obj, int legacy, const char *const *allowed,
                     const char *what, const char *hint)
{
    int before = r->errors;
    nt_rd_entry e;
    int td_ok = nt_rd_entry_start(r, obj, legacy, allowed, what, hint, &e) == 0;
    nt_rd_string(r, obj, "customTargetConstructorClass", 0, "a class name", &e.custom_ctor);
    nt_rd_reasons(r, obj, legacy ? "reasons" : "reason", !legacy, &e.reasons);
    nt_rd_entry_finish(r, &r->c->serialization, &e, td_ok && r->errors == before);
}

void nt_rd_reject_colon(nt_rd *r, const char *key, const char *value, const char *what)
{
    if (!value || !strchr(value, ':'))
        return;
    nt_rd_push_key(r, key);
    nt_rd_err(r, 0, "remove the ':'", "%s cannot contain ':' (\"%s\")", what, value);
    nt_rd_pop(r);
}
