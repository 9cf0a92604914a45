/* The recorder: distinct events (as their canonical trace text) in first-seen
 * order, each with the distinct contexts it was seen in. See
 * include/nitrace/recorder.h and docs/provenance.md.
 *
 * Order: processing an event depends on the meta events before it (phase
 * changes, track_reflection_metadata). Besides the distinct records, the
 * recorder keeps the replay sequence: every record in first-seen order, and
 * again after each meta event that changed the state ("segment"), so that
 * replaying it gives what processing the whole stream would give (processing
 * an event twice in the same state adds nothing).
 *
 * Concurrency: one mutex guards the index, the record array and every
 * record's context list head. Records and context nodes are immutable once
 * published and live until nt_recorder_free, so readers copy the pointers
 * they need under the lock (a memcpy) and do the expensive work (parsing,
 * processing, serializing) after releasing it. */
#include "nitrace/recorder.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nitrace/map.h"
#include "sbuf_priv.h"

typedef struct rec_ctx {
    struct rec_ctx *next;      /* older context of the same event */
    char *caller, *clinit, *jni_lib, *jni_fn;
    char *frames;              /* check mode: top frames (not part of the identity) */
    int clojure, main_phase;   /* 0/1 */
} rec_ctx;

typedef struct rec_record {
    char *text;                /* nt_event_to_json of the event */
    size_t len;
    int is_meta;               /* "tracer":"meta" */
    unsigned long last_seg;    /* last segment it was put in the replay sequence */
    rec_ctx *ctxs;             /* newest first; the head changes under the lock */
} rec_record;

struct nt_recorder {
    pthread_mutex_t mu;
    nt_map index;              /* text -> rec_record* */
    rec_record **recs;         /* distinct records, first-seen order */
    size_t n, cap;
    rec_record **replay;       /* the replay sequence (see above) */
    size_t n_replay, cap_replay;
    unsigned long seg;         /* current segment */
    rec_record *last_meta;     /* meta record that started it */
    size_t n_pairs;            /* distinct (event, context) pairs */
    unsigned long gen;
};

/* A copy of the record pointers (and, when asked, of their context heads)
 * taken under the lock. */
typedef struct snapshot {
    rec_record **recs;
    rec_ctx **heads;
    size_t n;
    size_t total;              /* the recorder's event count at the time */
} snapshot;

nt_recorder *nt_recorder_new(void)
{
    nt_recorder *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    if (pthread_mutex_init(&r->mu, NULL) != 0) {
        free(r);
        return NULL;
    }
    nt_map_init(&r->index);
    return r;
}

static void ctx_free(rec_ctx *c)
{
    free(c->caller);
    free(c->clinit);
    free(c->jni_lib);
    free(c->jni_fn);
    free(c->frames);
    free(c);
}

void nt_recorder_free(nt_recorder *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        rec_record *rec = r->recs[i];
        for (rec_ctx *c = rec->ctxs, *next; c; c = next) {
            next = c->next;
            ctx_free(c);
        }
        free(rec->text);
        free(rec);
    }
    free(r->recs);
    free(r->replay);
    nt_map_free(&r->index);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

static int str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* NULL sorts before every string. */
static int str_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int ctx_matches(const rec_ctx *c, const nt_rec_context *x)
{
    return str_eq(c->caller, x->caller_class) && str_eq(c->clinit, x->clinit_class) &&
           c->clojure == (x->clojure_loading != 0) && c->main_phase == (x->main_phase != 0) &&
           str_eq(c->jni_lib, x->jni_library) && str_eq(c->jni_fn, x->jni_function);
}

/* strdup that keeps NULL; sets *fail on NOMEM. */
static char *dup_opt(const char *s, int *fail)
{
    if (!s)
        return NULL;
    char *p = strdup(s);
    if (!p)
        *fail = 1;
    return p;
}

static rec_ctx *ctx_new(const nt_rec_context *x)
{
    rec_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    int fail = 0;
    c->caller = dup_opt(x->caller_class, &fail);
    c->clinit = dup_opt(x->clinit_class, &fail);
    c->jni_lib = dup_opt(x->jni_library, &fail);
    c->jni_fn = dup_opt(x->jni_function, &fail);
    c->frames = dup_opt(x->frames, &fail);
    c->clojure = x->clojure_loading != 0;
    c->main_phase = x->main_phase != 0;
    if (fail) {
        ctx_free(c);
        return NULL;
    }
    return c;
}

static int grow(rec_record ***v, size_t n, size_t *cap)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 64;
    rec_record **nv = realloc(*v, nc * sizeof *nv);
    if (!nv)
        return -1;
    *v = nv;
    *cap = nc;
    return 0;
}

static int text_is_meta(const char *text)
{
    static const char prefix[] = "{\"tracer\":\"meta\"";
    return strncmp(text, prefix, sizeof prefix - 1) == 0;
}

/* Record the event whose text is `text` (owned: taken or freed) in ctx.
 * replay: put the event in the replay sequence when the current segment does
 * not hold it yet (0: only when the record is new). Returns 1 when the pair
 * (or, with ctx NULL, the event) is new or the replay sequence grew, 0 when
 * nothing changed, -1 on NOMEM. */
static int add_text(nt_recorder *r, char *text, size_t len, const nt_rec_context *ctx,
                    int replay)
{
    /* Allocate what a new pair needs before taking the lock. */
    rec_ctx *node = NULL;
    if (ctx && !(node = ctx_new(ctx))) {
        free(text);
        return -1;
    }
    int result = 0;
    int keep_text = 0;
    pthread_mutex_lock(&r->mu);
    /* room for one more in both arrays first: nothing can fail after the
     * record is published */
    if (grow(&r->replay, r->n_replay, &r->cap_replay) != 0)
        goto nomem;
    rec_record *rec = nt_map_get(&r->index, text);
    if (!rec) {
        if (grow(&r->recs, r->n, &r->cap) != 0 || !(rec = calloc(1, sizeof *rec)))
            goto nomem;
        rec->text = text;
        rec->len = len;
        rec->is_meta = text_is_meta(text);
        if (nt_map_put(&r->index, text, rec) != 0) {
            free(rec);
            goto nomem;
        }
        keep_text = 1;
        r->recs[r->n++] = rec;
        replay = 1;
        result = 1;
    }
    if (replay) {
        if (rec->is_meta) {
            /* a meta event other than the one that began this segment */
            if (rec != r->last_meta) {
                r->seg++;
                r->last_meta = rec;
                rec->last_seg = r->seg;
                r->replay[r->n_replay++] = rec;
                result = 1;
            }
        } else if (result || rec->last_seg != r->seg) {
            rec->last_seg = r->seg;
            r->replay[r->n_replay++] = rec;
            result = 1;
        }
    }
    if (node) {
        int known = 0;
        for (const rec_ctx *c = rec->ctxs; c && !known; c = c->next)
            known = ctx_matches(c, ctx);
        if (!known) {
            node->next = rec->ctxs;
            rec->ctxs = node;
            node = NULL;
            r->n_pairs++;
            result = 1;
        }
    }
    if (result)
        r->gen++;
    pthread_mutex_unlock(&r->mu);
    if (node)
        ctx_free(node);
    if (!keep_text)
        free(text);
    return result;

nomem:
    pthread_mutex_unlock(&r->mu);
    if (node)
        ctx_free(node);
    free(text);
    return -1;
}

int nt_recorder_add(nt_recorder *r, const nt_event *e, const nt_rec_context *ctx)
{
    if (!r || !e)
        return -1;
    char *text = nt_event_to_json(e);
    if (!text)
        return -1;
    return add_text(r, text, strlen(text), ctx, 1);
}

size_t nt_recorder_event_count(nt_recorder *r)
{
    pthread_mutex_lock(&r->mu);
    size_t n = r->n;
    pthread_mutex_unlock(&r->mu);
    return n;
}

size_t nt_recorder_context_count(nt_recorder *r)
{
    pthread_mutex_lock(&r->mu);
    size_t n = r->n_pairs;
    pthread_mutex_unlock(&r->mu);
    return n;
}

unsigned long nt_recorder_segment(nt_recorder *r)
{
    pthread_mutex_lock(&r->mu);
    unsigned long g = r->seg;
    pthread_mutex_unlock(&r->mu);
    return g;
}

unsigned long nt_recorder_generation(nt_recorder *r)
{
    pthread_mutex_lock(&r->mu);
    unsigned long g = r->gen;
    pthread_mutex_unlock(&r->mu);
    return g;
}

enum { DISTINCT = 0, REPLAY = 1 };

/* Copy the record pointers [from, n) of the distinct records or of the
 * replay sequence (and their context heads when with_ctx) under the lock.
 * Returns 0, or -1 on NOMEM. */
static int take_snapshot(nt_recorder *r, int which, size_t from, int with_ctx, snapshot *s)
{
    memset(s, 0, sizeof *s);
    pthread_mutex_lock(&r->mu);
    rec_record **src = which == REPLAY ? r->replay : r->recs;
    size_t count = which == REPLAY ? r->n_replay : r->n;
    size_t n = count > from ? count - from : 0;
    s->total = count;
    int rc = 0;
    if (n > 0) {
        s->recs = malloc(n * sizeof *s->recs);
        if (with_ctx)
            s->heads = malloc(n * sizeof *s->heads);
        if (!s->recs || (with_ctx && !s->heads)) {
            rc = -1;
        } else {
            memcpy(s->recs, src + from, n * sizeof *s->recs);
            if (with_ctx)
                for (size_t i = 0; i < n; i++)
                    s->heads[i] = s->recs[i]->ctxs;
            s->n = n;
        }
    }
    pthread_mutex_unlock(&r->mu);
    if (rc != 0) {
        free(s->recs);
        free(s->heads);
        memset(s, 0, sizeof *s);
    }
    return rc;
}

static void snapshot_free(snapshot *s)
{
    free(s->recs);
    free(s->heads);
}

/* For a JNI event: the native library of its contexts when every context
 * (as of the snapshot) names one inside a registered JDK home
 * (nt_native_home_add), else NULL -- an access also made by the program's own
 * native code, or of unknown origin, is kept. */
static const char *jdk_native_library(const nt_event *e, const rec_ctx *head)
{
    if (!head || !e->tracer || strcmp(e->tracer, "jni") != 0)
        return NULL;
    for (const rec_ctx *c = head; c; c = c->next)
        if (!nt_native_home_contains(c->jni_lib))
            return NULL;
    return head->jni_lib;
}

nt_status nt_recorder_build(nt_recorder *r, nt_config *out, const struct nt_filter_set *f,
                            nt_diags *d)
{
    static const char label[] = "<recorded events>";
    if (!r || !out)
        return nt_diag_add(d, NT_ERR_INVAL, "", 0, 0, NULL, "nt_recorder_build: no recorder or config");
    snapshot s;
    if (take_snapshot(r, REPLAY, 0, 1, &s) != 0)
        return nt_diag_add(d, NT_ERR_NOMEM, "", 0, 0, NULL, "out of memory");
    nt_trace_state st;
    nt_trace_state_init(&st);
    st.label = label;
    nt_status res = NT_OK;
    for (size_t i = 0; i < s.n; i++) {
        nt_event *ev = NULL;
        nt_status ps = nt_event_parse(s.recs[i]->text, s.recs[i]->len, label, &ev, d);
        if (ps == NT_OK) {
            ev->native_library = jdk_native_library(ev, s.heads[i]);
            ps = nt_process_event(out, &st, ev, f, d);
            nt_event_free(ev);
        }
        if (ps == NT_ERR_NOMEM) {
            res = NT_ERR_NOMEM;
            break;
        }
        if (ps != NT_OK)
            res = ps;
    }
    nt_trace_state_free(&st);
    snapshot_free(&s);
    return res;
}

char *nt_recorder_trace_lines(nt_recorder *r, size_t from, size_t *next)
{
    snapshot s;
    if (take_snapshot(r, REPLAY, from, 0, &s) != 0)
        return NULL;
    if (next)
        *next = s.total;
    size_t total = 1;
    for (size_t i = 0; i < s.n; i++)
        total += s.recs[i]->len + 2;
    char *out = malloc(total);
    if (out) {
        char *p = out;
        for (size_t i = 0; i < s.n; i++) {
            if (i > 0) {
                *p++ = ',';
                *p++ = '\n';
            }
            memcpy(p, s.recs[i]->text, s.recs[i]->len);
            p += s.recs[i]->len;
        }
        *p = '\0';
    }
    snapshot_free(&s);
    return out;
}

/* ---- provenance document -------------------------------------------------- */

/* A record with the context head the snapshot saw. */
typedef struct rec_pair {
    rec_record *rec;
    rec_ctx *head;
} rec_pair;

static int cmp_pair_text(const void *a, const void *b)
{
    const rec_pair *x = a, *y = b;
    return strcmp(x->rec->text, y->rec->text);
}

static int cmp_ctx(const void *a, const void *b)
{
    const rec_ctx *x = *(rec_ctx *const *)a, *y = *(rec_ctx *const *)b;
    int c;
    if ((c = str_cmp(x->caller, y->caller)) != 0 || (c = str_cmp(x->clinit, y->clinit)) != 0)
        return c;
    if (x->clojure != y->clojure)
        return x->clojure - y->clojure;
    if (x->main_phase != y->main_phase)
        return x->main_phase - y->main_phase;
    if ((c = str_cmp(x->jni_lib, y->jni_lib)) != 0)
        return c;
    return str_cmp(x->jni_fn, y->jni_fn);
}

/* The provenance document is written as jansson's JSON_INDENT(2) |
 * JSON_PRESERVE_ORDER dump of {"version", "events": [{"event", "contexts"}]}
 * would print it, without building that tree: an event's text is already
 * jansson's compact dump, so re-indenting it is enough (parsing every event
 * back and dumping the whole tree was ~7 ms of a Clojure program's exit). */

static void put_newline(nt_sbuf *b, int depth)
{
    static const char spaces[] = "                                ";
    nt_sb_putn(b, "\n", 1);
    for (size_t n = 2 * (size_t)(depth > 0 ? depth : 0); n > 0;) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        nt_sb_putn(b, spaces, k);
        n -= k;
    }
}

/* Appends the compact jansson text t[0..n) laid out with 2-space indentation
 * at nesting depth `depth` (the depth of the line the value starts on). */
static void put_reindented(nt_sbuf *b, const char *t, size_t n, int depth)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && t[j] != '"' && t[j] != '{' && t[j] != '[' && t[j] != '}' &&
               t[j] != ']' && t[j] != ',' && t[j] != ':')
            j++;
        nt_sb_putn(b, t + i, j - i); /* numbers, true, false, null */
        if (j == n)
            break;
        char c = t[j];
        if (c == '"') {
            size_t k = j + 1;
            while (k < n && t[k] != '"')
                k += t[k] == '\\' ? 2 : 1;
            if (k >= n)
                k = n - 1;
            nt_sb_putn(b, t + j, k + 1 - j);
            i = k + 1;
            continue;
        }
        if ((c == '{' || c == '[') && j + 1 < n && (t[j + 1] == '}' || t[j + 1] == ']')) {
            nt_sb_putn(b, t + j, 2); /* {} and [] stay on one line */
            i = j + 2;
            continue;
        }
        if (c == '{' || c == '[') {
            nt_sb_putn(b, &c, 1);
            put_newline(b, ++depth);
        } else if (c == '}' || c == ']') {
            put_newline(b, --depth);
            nt_sb_putn(b, &c, 1);
        } else if (c == ',') {
            nt_sb_putn(b, ",", 1);
            put_newline(b, depth);
        } else {
            nt_sb_putn(b, ": ", 2);
        }
        i = j + 1;
    }
}

/* One member of a context object (depth 5): "key": "string", escaped by
 * jansson (which also refuses text that is not UTF-8). Returns 0 or -1. */
static int put_ctx_string(nt_sbuf *b, int *first, const char *key, const char *v)
{
    json_t *j = json_string(v);
    if (!j)
        return -1;
    char tmp[512];
    size_t n = json_dumpb(j, tmp, sizeof tmp, JSON_ENCODE_ANY);
    char *big = NULL;
    if (n > sizeof tmp && (big = malloc(n)) != NULL)
        n = json_dumpb(j, big, n, JSON_ENCODE_ANY);
    json_decref(j);
    if (n == 0 || (n > sizeof tmp && !big))
        return -1;
    nt_sb_puts(b, *first ? "" : ",");
    put_newline(b, 5);
    nt_sb_printf(b, "\"%s\": ", key);
    nt_sb_putn(b, big ? big : tmp, n);
    free(big);
    *first = 0;
    return 0;
}

static void put_ctx_true(nt_sbuf *b, int *first, const char *key)
{
    nt_sb_puts(b, *first ? "" : ",");
    put_newline(b, 5);
    nt_sb_printf(b, "\"%s\": true", key);
    *first = 0;
}

/* A context object at depth 4. Returns 0 or -1. */
static int put_ctx(nt_sbuf *b, const rec_ctx *c)
{
    int first = 1, bad = 0;
    nt_sb_putn(b, "{", 1);
    if (c->caller)
        bad |= put_ctx_string(b, &first, "caller", c->caller);
    if (c->clinit)
        bad |= put_ctx_string(b, &first, "clinit", c->clinit);
    if (c->clojure)
        put_ctx_true(b, &first, "clojureLoading");
    if (c->main_phase)
        put_ctx_true(b, &first, "mainPhase");
    if (c->jni_lib)
        bad |= put_ctx_string(b, &first, "jniLibrary", c->jni_lib);
    if (c->jni_fn)
        bad |= put_ctx_string(b, &first, "jniFunction", c->jni_fn);
    if (!first)
        put_newline(b, 4);
    nt_sb_putn(b, "}", 1);
    return bad;
}

/* An element of "events" at depth 2. Returns 0 or -1. */
static int put_record(nt_sbuf *b, const rec_record *rec, rec_ctx *head)
{
    size_t n = 0;
    for (rec_ctx *c = head; c; c = c->next)
        n++;
    rec_ctx **v = n ? malloc(n * sizeof *v) : NULL;
    if (n && !v)
        return -1;
    size_t i = 0;
    for (rec_ctx *c = head; c; c = c->next)
        v[i++] = c;
    if (n)
        qsort(v, n, sizeof *v, cmp_ctx);
    nt_sb_putn(b, "{", 1);
    put_newline(b, 3);
    nt_sb_puts(b, "\"event\": ");
    put_reindented(b, rec->text, rec->len, 3);
    nt_sb_puts(b, ",");
    put_newline(b, 3);
    nt_sb_puts(b, n ? "\"contexts\": [" : "\"contexts\": []");
    int bad = 0;
    for (i = 0; i < n && !bad; i++) {
        if (i > 0)
            nt_sb_putn(b, ",", 1);
        put_newline(b, 4);
        bad = put_ctx(b, v[i]);
    }
    if (n) {
        put_newline(b, 3);
        nt_sb_putn(b, "]", 1);
    }
    put_newline(b, 2);
    nt_sb_putn(b, "}", 1);
    free(v);
    return bad;
}

char *nt_recorder_provenance_json(nt_recorder *r)
{
    snapshot s;
    if (!r || take_snapshot(r, DISTINCT, 0, 1, &s) != 0)
        return NULL;
    rec_pair *pairs = s.n ? malloc(s.n * sizeof *pairs) : NULL;
    int bad = s.n && !pairs;
    nt_sbuf b = {0};
    if (!bad) {
        for (size_t i = 0; i < s.n; i++)
            pairs[i] = (rec_pair){s.recs[i], s.heads[i]};
        if (s.n)
            qsort(pairs, s.n, sizeof *pairs, cmp_pair_text);
        nt_sb_puts(&b, s.n ? "{\n  \"version\": 1,\n  \"events\": ["
                           : "{\n  \"version\": 1,\n  \"events\": []");
    }
    for (size_t i = 0; i < s.n && !bad; i++) {
        nt_sb_puts(&b, i ? "," : "");
        put_newline(&b, 2);
        bad = put_record(&b, pairs[i].rec, pairs[i].head);
    }
    if (s.n)
        nt_sb_puts(&b, "\n  ]");
    nt_sb_puts(&b, "\n}\n");
    char *out = nt_sb_take(&b);
    if (bad) {
        free(out);
        out = NULL;
    }
    free(pairs);
    snapshot_free(&s);
    return out;
}

/* ---- merging recorders ---------------------------------------------------- */

static void ctx_view(const rec_ctx *c, nt_rec_context *x)
{
    x->caller_class = c->caller;
    x->clinit_class = c->clinit;
    x->clojure_loading = c->clojure;
    x->main_phase = c->main_phase;
    x->jni_library = c->jni_lib;
    x->jni_function = c->jni_fn;
    x->frames = c->frames;
}

nt_status nt_recorder_visit(nt_recorder *r, nt_recorder_visit_fn fn, void *user)
{
    if (!r || !fn)
        return NT_ERR_INVAL;
    snapshot s;
    if (take_snapshot(r, DISTINCT, 0, 1, &s) != 0)
        return NT_ERR_NOMEM;
    nt_status st = NT_OK;
    nt_rec_context *v = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < s.n && st == NT_OK; i++) {
        size_t n = 0;
        for (const rec_ctx *c = s.heads[i]; c; c = c->next)
            n++;
        if (n > cap) {
            nt_rec_context *nv = realloc(v, n * sizeof *nv);
            if (!nv) {
                st = NT_ERR_NOMEM;
                break;
            }
            v = nv;
            cap = n;
        }
        n = 0;
        for (const rec_ctx *c = s.heads[i]; c; c = c->next) {
            memset(&v[n], 0, sizeof v[n]);
            ctx_view(c, &v[n++]);
        }
        if (fn(user, s.recs[i]->text, v, n) != 0)
            st = NT_ERR_INVAL;
    }
    free(v);
    snapshot_free(&s);
    return st;
}

nt_status nt_recorder_merge(nt_recorder *into, nt_recorder *from)
{
    if (!into || !from)
        return NT_ERR_INVAL;
    if (into == from)
        return NT_OK;
    snapshot s;
    if (take_snapshot(from, DISTINCT, 0, 1, &s) != 0)
        return NT_ERR_NOMEM;
    nt_status res = NT_OK;
    for (size_t i = 0; i < s.n && res == NT_OK; i++) {
        const rec_ctx *c = s.heads[i];
        do {
            nt_rec_context x;
            if (c)
                ctx_view(c, &x);
            char *t = strdup(s.recs[i]->text);
            if (!t || add_text(into, t, s.recs[i]->len, c ? &x : NULL, 0) < 0)
                res = NT_ERR_NOMEM;
        } while (res == NT_OK && c && (c = c->next) != NULL);
    }
    snapshot_free(&s);
    return res;
}

/* ---- reading a provenance document ---------------------------------------- */

static nt_status shape(nt_diags *d, const char *label, const char *hint, const char *fmt,
                       const char *path, const char *what)
{
    char msg[400];
    snprintf(msg, sizeof msg, fmt, what);
    return nt_diag_add(d, NT_ERR_PARSE, label, 0, 0, hint, "%s: %s", path, msg);
}

static const char PROV_HINT[] = "see docs/provenance.md for the provenance file format";

/* Read one context object into x (strings borrowed from o). */
static nt_status read_ctx(json_t *o, const char *path, const char *label, nt_rec_context *x,
                          nt_diags *d)
{
    memset(x, 0, sizeof *x);
    if (!json_is_object(o))
        return shape(d, label, PROV_HINT, "%s", path, "expected an object");
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        const char **sp = NULL;
        int *bp = NULL;
        if (strcmp(key, "caller") == 0)
            sp = &x->caller_class;
        else if (strcmp(key, "clinit") == 0)
            sp = &x->clinit_class;
        else if (strcmp(key, "jniLibrary") == 0)
            sp = &x->jni_library;
        else if (strcmp(key, "jniFunction") == 0)
            sp = &x->jni_function;
        else if (strcmp(key, "clojureLoading") == 0)
            bp = &x->clojure_loading;
        else if (strcmp(key, "mainPhase") == 0)
            bp = &x->main_phase;
        else
            return shape(d, label, PROV_HINT, "unknown key \"%s\"", path, key);
        if (sp) {
            if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
                return shape(d, label, PROV_HINT, "\"%s\" must be a string", path, key);
            *sp = json_string_value(v);
        } else {
            if (!json_is_boolean(v))
                return shape(d, label, PROV_HINT, "\"%s\" must be true or false", path, key);
            *bp = json_is_true(v);
        }
    }
    return NT_OK;
}

/* Read events[i] into tmp. */
static nt_status read_entry(json_t *o, size_t i, const char *label, nt_recorder *tmp,
                            nt_diags *d)
{
    char path[96];
    snprintf(path, sizeof path, "events[%zu]", i);
    if (!json_is_object(o))
        return shape(d, label, PROV_HINT, "%s", path, "expected an object");
    json_t *ev = NULL, *ctxs = NULL;
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        if (strcmp(key, "event") == 0)
            ev = v;
        else if (strcmp(key, "contexts") == 0)
            ctxs = v;
        else
            return shape(d, label, PROV_HINT, "unknown key \"%s\"", path, key);
    }
    if (!json_is_object(ev))
        return shape(d, label, PROV_HINT, "%s", path, "\"event\" must be a trace event object");
    if (ctxs && !json_is_array(ctxs))
        return shape(d, label, PROV_HINT, "%s", path, "\"contexts\" must be an array");

    char *text = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!text)
        return nt_diag_add(d, NT_ERR_NOMEM, label, 0, 0, NULL, "out of memory");
    nt_event *e = NULL;
    nt_diags pd;
    nt_diags_init(&pd);
    nt_status st = nt_event_parse(text, strlen(text), label, &e, &pd);
    free(text);
    if (st != NT_OK) {
        for (size_t k = 0; k < pd.count; k++)
            if (pd.items[k].code != NT_OK)
                nt_diag_add(d, pd.items[k].code, label, 0, 0,
                            pd.items[k].hint[0] ? pd.items[k].hint : NULL, "%s.event: %s", path,
                            pd.items[k].msg);
        nt_diags_free(&pd);
        return st;
    }
    nt_diags_free(&pd);
    size_t n = ctxs ? json_array_size(ctxs) : 0;
    if (n == 0 && nt_recorder_add(tmp, e, NULL) < 0)
        st = nt_diag_add(d, NT_ERR_NOMEM, label, 0, 0, NULL, "out of memory");
    for (size_t k = 0; k < n && st == NT_OK; k++) {
        char cpath[128];
        snprintf(cpath, sizeof cpath, "%s.contexts[%zu]", path, k);
        nt_rec_context x;
        st = read_ctx(json_array_get(ctxs, k), cpath, label, &x, d);
        if (st == NT_OK && nt_recorder_add(tmp, e, &x) < 0)
            st = nt_diag_add(d, NT_ERR_NOMEM, label, 0, 0, NULL, "out of memory");
    }
    nt_event_free(e);
    return st;
}

nt_status nt_provenance_read(const char *data, size_t len, const char *label, nt_recorder *into,
                             nt_diags *d)
{
    if (!label)
        label = "<provenance>";
    if (!into || (!data && len))
        return nt_diag_add(d, NT_ERR_INVAL, label, 0, 0, NULL, "no recorder or no data");
    json_error_t je;
    json_t *root = json_loadb(data ? data : "", len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
    if (!root)
        return nt_diag_add(d, NT_ERR_PARSE, label, je.line, je.column, PROV_HINT,
                           "invalid JSON: %s", je.text);
    nt_status st = NT_OK;
    json_t *version = NULL, *events = NULL;
    if (!json_is_object(root)) {
        st = shape(d, label, PROV_HINT, "%s", "(document)",
                   "expected an object {\"version\":1, \"events\":[...]}");
    } else {
        const char *key;
        json_t *v;
        json_object_foreach(root, key, v) {
            if (strcmp(key, "version") == 0) {
                version = v;
            } else if (strcmp(key, "events") == 0) {
                events = v;
            } else {
                st = shape(d, label, PROV_HINT, "unknown key \"%s\"", "(document)", key);
                break;
            }
        }
    }
    if (st == NT_OK && !(json_is_integer(version) && json_integer_value(version) == 1))
        st = nt_diag_add(d, NT_ERR_PARSE, label, 0, 0,
                         "this nitrace reads provenance version 1; a newer nitrace wrote this file",
                         "version: %s", version ? "unsupported provenance version" :
                                                   "missing \"version\"");
    if (st == NT_OK && !json_is_array(events))
        st = shape(d, label, PROV_HINT, "%s", "events", "expected an array");
    nt_recorder *tmp = NULL;
    if (st == NT_OK && !(tmp = nt_recorder_new()))
        st = nt_diag_add(d, NT_ERR_NOMEM, label, 0, 0, NULL, "out of memory");
    for (size_t i = 0; st == NT_OK && i < json_array_size(events); i++)
        st = read_entry(json_array_get(events, i), i, label, tmp, d);
    if (st == NT_OK && nt_recorder_merge(into, tmp) != NT_OK)
        st = nt_diag_add(d, NT_ERR_NOMEM, label, 0, 0, NULL, "out of memory");
    nt_recorder_free(tmp);
    json_decref(root);
    return st;
}
