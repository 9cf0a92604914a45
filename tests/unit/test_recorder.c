/* Unit tests for the recorder (lib/recorder.c). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "nitrace/io.h"
#include "nitrace/ops.h"
#include "nitrace/recorder.h"
#include "nitrace/trace.h"
#include "nt_test.h"

/* Add the event given as a trace line; returns nt_recorder_add's result
 * (-2 when the line does not parse). */
static int add_line(nt_recorder *r, const char *line, const nt_rec_context *ctx)
{
    nt_event *e = NULL;
    if (nt_event_parse(line, strlen(line), "test", &e, NULL) != NT_OK)
        return -2;
    int rc = nt_recorder_add(r, e, ctx);
    nt_event_free(e);
    return rc;
}

static const char LIVE[] = "{\"tracer\":\"meta\",\"event\":\"phase_change\",\"phase\":\"live\"}";
static const char E1[] = "{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\","
                         "\"caller_class\":\"com.example.Main\",\"result\":true,\"args\":[\"com.example.A\"]}";
static const char E2[] = "{\"tracer\":\"reflect\",\"function\":\"getDeclaredMethod\",\"class\":\"com.example.A\","
                         "\"caller_class\":\"com.example.Main\",\"result\":true,"
                         "\"args\":[\"run\",[\"java.lang.String\"]]}";
static const char E3[] = "{\"tracer\":\"jni\",\"function\":\"GetFieldID\",\"class\":\"com.example.B\","
                         "\"declaring_class\":\"com.example.B\",\"caller_class\":\"com.example.B\","
                         "\"result\":true,\"args\":[\"count\",\"I\"]}";

static void test_dedup_counts_order(void)
{
    nt_recorder *r = nt_recorder_new();
    NT_CHECK(r != NULL);
    nt_rec_context a = {.caller_class = "com.example.Main", .main_phase = 1};
    nt_rec_context a2 = a;   /* same fields, different struct */
    nt_rec_context b = {.caller_class = "com.example.Main", .clinit_class = "com.example.Init",
                        .clojure_loading = 1};
    NT_CHECK(nt_recorder_generation(r) == 0);
    NT_CHECK(add_line(r, E1, &a) == 1);
    NT_CHECK(add_line(r, E1, &a2) == 0);
    NT_CHECK(add_line(r, E1, &b) == 1);
    NT_CHECK(add_line(r, E2, NULL) == 1);
    NT_CHECK(add_line(r, E2, NULL) == 0);
    NT_CHECK(add_line(r, E3, &a) == 1);
    NT_CHECK(add_line(r, E2, &b) == 1);
    /* main_phase 2 counts as 1: the same context */
    nt_rec_context a3 = a;
    a3.main_phase = 2;
    NT_CHECK(add_line(r, E1, &a3) == 0);
    NT_CHECK(nt_recorder_event_count(r) == 3);
    NT_CHECK(nt_recorder_context_count(r) == 4);
    NT_CHECK(nt_recorder_generation(r) == 5);

    /* first-seen order, canonical text */
    char *t1 = NULL, *t2 = NULL, *t3 = NULL;
    nt_event *e = NULL;
    nt_event_parse(E1, strlen(E1), "t", &e, NULL);
    t1 = nt_event_to_json(e);
    nt_event_free(e);
    nt_event_parse(E2, strlen(E2), "t", &e, NULL);
    t2 = nt_event_to_json(e);
    nt_event_free(e);
    nt_event_parse(E3, strlen(E3), "t", &e, NULL);
    t3 = nt_event_to_json(e);
    nt_event_free(e);
    char want[2048];
    snprintf(want, sizeof want, "%s,\n%s,\n%s", t1, t2, t3);
    size_t next = 99;
    char *lines = nt_recorder_trace_lines(r, 0, &next);
    NT_CHECK_STR(lines, want);
    NT_CHECK(next == 3);
    free(lines);
    snprintf(want, sizeof want, "%s,\n%s", t2, t3);
    lines = nt_recorder_trace_lines(r, 1, &next);
    NT_CHECK_STR(lines, want);
    NT_CHECK(next == 3);
    free(lines);
    lines = nt_recorder_trace_lines(r, 3, &next);
    NT_CHECK_STR(lines, "");
    NT_CHECK(next == 3);
    free(lines);
    lines = nt_recorder_trace_lines(r, 7, NULL);
    NT_CHECK_STR(lines, "");
    free(lines);
    free(t1);
    free(t2);
    free(t3);

    /* an event without a tracer cannot be recorded */
    nt_event bad = {0};
    NT_CHECK(nt_recorder_add(r, &bad, NULL) == -1);
    NT_CHECK(nt_recorder_event_count(r) == 3);
    nt_recorder_free(r);
}

/* ---- threads -------------------------------------------------------------- */

#define N_THREADS 8
#define N_EVENTS 500

typedef struct thr_arg {
    nt_recorder *r;
    int id;
    long ones, zeros, errors;
} thr_arg;

static void *thr_main(void *p)
{
    thr_arg *a = p;
    char cls[64];
    const char *args[1] = {cls};
    nt_arg arg = {.kind = NT_ARG_STRING};
    for (int k = 0; k < N_EVENTS; k++) {
        int i = (k + a->id * 61) % N_EVENTS;   /* each thread its own order */
        snprintf(cls, sizeof cls, "com.example.C%d", i);
        arg.str = cls;
        (void)args;
        nt_event e = {.tracer = "reflect", .function = "forName", .class_name = "java.lang.Class",
                      .caller_class = "com.example.Main", .result = 1, .has_args = 1,
                      .args = &arg, .n_args = 1, .track = -1};
        /* two contexts per event, one shared by all threads ... */
        nt_rec_context shared = {.caller_class = "com.example.Main", .main_phase = i % 2};
        /* ... one that depends on i only, so threads overlap on it too */
        char clinit[64];
        snprintf(clinit, sizeof clinit, "com.example.Init%d", i % 7);
        nt_rec_context other = {.caller_class = "com.example.Main", .clinit_class = clinit};
        for (int rep = 0; rep < 2; rep++) {
            int r1 = nt_recorder_add(a->r, &e, &shared);
            int r2 = nt_recorder_add(a->r, &e, &other);
            a->ones += (r1 == 1) + (r2 == 1);
            a->zeros += (r1 == 0) + (r2 == 0);
            a->errors += (r1 < 0) + (r2 < 0);
        }
    }
    return NULL;
}

static void test_threads(void)
{
    nt_recorder *r = nt_recorder_new();
    pthread_t t[N_THREADS];
    thr_arg a[N_THREADS];
    for (int i = 0; i < N_THREADS; i++) {
        a[i] = (thr_arg){r, i, 0, 0, 0};
        NT_CHECK(pthread_create(&t[i], NULL, thr_main, &a[i]) == 0);
    }
    long ones = 0, zeros = 0, errors = 0;
    for (int i = 0; i < N_THREADS; i++) {
        pthread_join(t[i], NULL);
        ones += a[i].ones;
        zeros += a[i].zeros;
        errors += a[i].errors;
    }
    NT_CHECK(errors == 0);
    NT_CHECK(ones == 2 * N_EVENTS);
    NT_CHECK(ones + zeros == (long)N_THREADS * N_EVENTS * 4);
    NT_CHECK(nt_recorder_event_count(r) == N_EVENTS);
    NT_CHECK(nt_recorder_context_count(r) == 2 * N_EVENTS);
    NT_CHECK(nt_recorder_generation(r) == 2 * N_EVENTS);
    /* every event exactly once in the trace lines */
    char *lines = nt_recorder_trace_lines(r, 0, NULL);
    NT_CHECK(lines != NULL);
    size_t n_lines = 0;
    for (const char *p = lines; p && (p = strstr(p, "\"forName\"")); p++)
        n_lines++;
    NT_CHECK(n_lines == N_EVENTS);
    for (int i = 0; i < N_EVENTS; i += 97) {
        char needle[64];
        snprintf(needle, sizeof needle, "[\"com.example.C%d\"]", i);
        const char *f = strstr(lines, needle);
        NT_CHECK(f && !strstr(f + 1, needle));
    }
    free(lines);
    nt_recorder_free(r);
}

/* ---- build ---------------------------------------------------------------- */

static void test_build_equals_direct(void)
{
    /* Order matters: nothing before phase "live" counts (heuristic filter),
     * and track_reflection_metadata changes what a bulk query gives. */
    static const char *const stream[] = {
        "{\"tracer\":\"meta\",\"event\":\"initialization\",\"version\":\"1\"}",
        "{\"tracer\":\"reflect\",\"function\":\"forName\",\"class\":\"java.lang.Class\","
        "\"caller_class\":\"com.example.Main\",\"result\":true,\"args\":[\"com.example.Early\"]}",
        LIVE,
        E1,
        E2,
        E1,
        E3,
        "{\"tracer\":\"reflect\",\"function\":\"getDeclaredMethods\",\"class\":\"com.example.Q\","
        "\"caller_class\":\"com.example.Main\",\"result\":true}",
        "{\"tracer\":\"meta\",\"event\":\"track_reflection_metadata\",\"track\":false}",
        "{\"tracer\":\"reflect\",\"function\":\"getDeclaredMethods\",\"class\":\"com.example.U\","
        "\"caller_class\":\"com.example.Main\",\"result\":true}",
        "{\"tracer\":\"reflect\",\"function\":\"getResource\",\"class\":\"java.lang.ClassLoader\","
        "\"caller_class\":\"com.example.Main\",\"result\":true,\"args\":[\"app.properties\"]}",
        E2,
    };
    size_t n = sizeof stream / sizeof stream[0];
    nt_recorder *r = nt_recorder_new();
    nt_config *direct = nt_config_new();
    nt_trace_state st;
    nt_trace_state_init(&st);
    nt_diags d;
    nt_diags_init(&d);
    for (size_t i = 0; i < n; i++) {
        nt_rec_context ctx = {.caller_class = "com.example.Main"};
        NT_CHECK(add_line(r, stream[i], &ctx) >= 0);
        nt_event *e = NULL;
        NT_CHECK(nt_event_parse(stream[i], strlen(stream[i]), "t", &e, &d) == NT_OK);
        NT_CHECK(nt_process_event(direct, &st, e, NULL, &d) == NT_OK);
        nt_event_free(e);
    }
    nt_trace_state_free(&st);
    NT_CHECK(nt_recorder_event_count(r) == n - 2);
    /* E2 again after track_reflection_metadata: replayed twice */
    size_t next = 0;
    free(nt_recorder_trace_lines(r, 0, &next));
    NT_CHECK(next == n - 1);

    nt_config *built = nt_config_new();
    NT_CHECK(nt_recorder_build(r, built, NULL, &d) == NT_OK);
    NT_CHECK(d.count - d.warnings == 0);
    NT_CHECK(nt_config_equal(direct, built));
    char *a = nt_write_string(direct, NT_FILE_REFLECT, NULL);
    char *b = nt_write_string(built, NT_FILE_REFLECT, NULL);
    NT_CHECK_STR(b, a);
    /* the order was kept: Early (before live) is absent; Q is queried, U is not */
    NT_CHECK(b && !strstr(b, "com.example.Early"));
    NT_CHECK(b && strstr(b, "\"com.example.Q\",\n    \"queryAllDeclaredMethods\": true"));
    NT_CHECK(b && strstr(b, "\"com.example.U\",\n    \"allDeclaredMethods\": true"));
    /* E2 seen again untracked: its method is accessed, not only queried */
    NT_CHECK(b && strstr(b, "\"methods\"") && !strstr(b, "\"queriedMethods\""));
    free(a);
    free(b);
    /* building twice gives the same (fresh trace state each time) */
    nt_config *again = nt_config_new();
    NT_CHECK(nt_recorder_build(r, again, NULL, &d) == NT_OK);
    NT_CHECK(nt_config_equal(again, built));
    nt_config_free(again);

    /* with filters: a caller filter excluding com.example.Main leaves nothing
     * from reflection; resources are not caller-filtered */
    nt_filter_set *f = nt_filter_set_new(1, 1);
    static const char rules[] = "{\"rules\":[{\"excludeClasses\":\"com.example.Main\"}]}";
    NT_CHECK(nt_filter_set_add_buffer(f, rules, strlen(rules), "f", NT_FILTER_CALLER, &d) == NT_OK);
    nt_config *filtered = nt_config_new();
    NT_CHECK(nt_recorder_build(r, filtered, f, &d) == NT_OK);
    NT_CHECK(filtered->reflection.count == 0);
    NT_CHECK(filtered->n_resources == 1);
    nt_config_free(filtered);
    nt_filter_set_free(f);

    nt_config_free(built);
    nt_config_free(direct);
    nt_diags_free(&d);
    nt_recorder_free(r);
}

/* ---- provenance ----------------------------------------------------------- */

static const char PROV_EXPECTED[] =
    "{\n"
    "  \"version\": 1,\n"
    "  \"events\": [\n"
    "    {\n"
    "      \"event\": {\n"
    "        \"tracer\": \"jni\",\n"
    "        \"function\": \"GetFieldID\",\n"
    "        \"class\": \"com.example.B\",\n"
    "        \"declaring_class\": \"com.example.B\",\n"
    "        \"caller_class\": \"com.example.B\",\n"
    "        \"result\": true,\n"
    "        \"args\": [\n"
    "          \"count\",\n"
    "          \"I\"\n"
    "        ]\n"
    "      },\n"
    "      \"contexts\": [\n"
    "        {\n"
    "          \"mainPhase\": true,\n"
    "          \"jniLibrary\": \"/opt/lib/libx.so\",\n"
    "          \"jniFunction\": \"Java_com_example_B_init\"\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"event\": {\n"
    "        \"tracer\": \"meta\",\n"
    "        \"event\": \"phase_change\",\n"
    "        \"phase\": \"live\"\n"
    "      },\n"
    "      \"contexts\": []\n"
    "    },\n"
    "    {\n"
    "      \"event\": {\n"
    "        \"tracer\": \"reflect\",\n"
    "        \"function\": \"forName\",\n"
    "        \"class\": \"java.lang.Class\",\n"
    "        \"caller_class\": \"com.example.Main\",\n"
    "        \"result\": true,\n"
    "        \"args\": [\n"
    "          \"com.example.A\"\n"
    "        ]\n"
    "      },\n"
    "      \"contexts\": [\n"
    "        {\n"
    "          \"caller\": \"com.example.Main\",\n"
    "          \"mainPhase\": true\n"
    "        },\n"
    "        {\n"
    "          \"caller\": \"com.example.Main\",\n"
    "          \"clinit\": \"com.example.Init\",\n"
    "          \"clojureLoading\": true\n"
    "        },\n"
    "        {\n"
    "          \"caller\": \"com.example.Main\",\n"
    "          \"clinit\": \"com.example.Init\",\n"
    "          \"clojureLoading\": true,\n"
    "          \"mainPhase\": true\n"
    "        }\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"event\": {\n"
    "        \"tracer\": \"reflect\",\n"
    "        \"function\": \"newProxyInstance\",\n"
    "        \"caller_class\": \"com.example.Main\",\n"
    "        \"result\": true,\n"
    "        \"args\": [\n"
    "          \"\\u0000\",\n"
    "          [\n"
    "            \"com.example.Api\"\n"
    "          ],\n"
    "          \"\\u0000\"\n"
    "        ]\n"
    "      },\n"
    "      \"contexts\": [\n"
    "        {}\n"
    "      ]\n"
    "    }\n"
    "  ]\n"
    "}\n";

static nt_recorder *provenance_sample(void)
{
    nt_recorder *r = nt_recorder_new();
    nt_rec_context main1 = {.caller_class = "com.example.Main", .main_phase = 1};
    nt_rec_context init = {.caller_class = "com.example.Main", .clinit_class = "com.example.Init",
                           .clojure_loading = 1};
    nt_rec_context init_main = init;
    init_main.main_phase = 1;
    nt_rec_context jni = {.jni_library = "/opt/lib/libx.so",
                          .jni_function = "Java_com_example_B_init", .main_phase = 1};
    nt_rec_context none = {0};
    add_line(r, LIVE, NULL);
    add_line(r, E1, &init_main);
    add_line(r, E1, &main1);
    add_line(r, E1, &init);
    add_line(r, E3, &jni);
    add_line(r,
             "{\"tracer\":\"reflect\",\"function\":\"newProxyInstance\",\"caller_class\":"
             "\"com.example.Main\",\"result\":true,\"args\":[\"\\u0000\",[\"com.example.Api\"],"
             "\"\\u0000\"]}",
             &none);
    return r;
}

/* A known event seen again after a meta event is replayed again there; the
 * same meta event twice in a row starts no new segment. */
static void test_segments(void)
{
    static const char START[] = "{\"tracer\":\"meta\",\"event\":\"phase_change\",\"phase\":\"start\"}";
    nt_recorder *r = nt_recorder_new();
    nt_rec_context ctx = {.caller_class = "com.example.Main"};
    NT_CHECK(nt_recorder_segment(r) == 0);
    NT_CHECK(add_line(r, START, NULL) == 1);
    NT_CHECK(nt_recorder_segment(r) == 1);
    NT_CHECK(add_line(r, START, NULL) == 0);
    NT_CHECK(add_line(r, E1, &ctx) == 1);     /* before live: ignored by heuristics */
    NT_CHECK(add_line(r, E1, &ctx) == 0);
    NT_CHECK(add_line(r, LIVE, NULL) == 1);
    NT_CHECK(nt_recorder_segment(r) == 2);
    NT_CHECK(add_line(r, LIVE, NULL) == 0);
    NT_CHECK(add_line(r, E1, &ctx) == 1);     /* known pair, new segment */
    NT_CHECK(add_line(r, E1, &ctx) == 0);
    NT_CHECK(nt_recorder_event_count(r) == 3);
    NT_CHECK(nt_recorder_context_count(r) == 1);
    size_t next = 0;
    char *lines = nt_recorder_trace_lines(r, 0, &next);
    NT_CHECK(next == 4);
    free(lines);
    nt_config *c = nt_config_new();
    NT_CHECK(nt_recorder_build(r, c, NULL, NULL) == NT_OK);
    NT_CHECK(c->reflection.count == 1);       /* com.example.A, from the second sighting */
    nt_config_free(c);
    /* a merged copy is a union, replayed at first positions only */
    nt_recorder *m = nt_recorder_new();
    NT_CHECK(nt_recorder_merge(m, r) == NT_OK);
    NT_CHECK(nt_recorder_event_count(m) == 3);
    NT_CHECK(nt_recorder_context_count(m) == 1);
    nt_recorder_free(m);
    nt_recorder_free(r);
}

static void test_provenance_text_and_round_trip(void)
{
    nt_recorder *r = provenance_sample();
    char *text = nt_recorder_provenance_json(r);
    NT_CHECK_STR(text, PROV_EXPECTED);

    nt_recorder *back = nt_recorder_new();
    nt_diags d;
    nt_diags_init(&d);
    NT_CHECK(nt_provenance_read(text, strlen(text), "prov.json", back, &d) == NT_OK);
    NT_CHECK(d.count == 0);
    NT_CHECK(nt_recorder_event_count(back) == nt_recorder_event_count(r));
    NT_CHECK(nt_recorder_context_count(back) == nt_recorder_context_count(r));
    char *again = nt_recorder_provenance_json(back);
    NT_CHECK_STR(again, text);
    /* reading the same document again adds nothing */
    unsigned long g = nt_recorder_generation(back);
    NT_CHECK(nt_provenance_read(text, strlen(text), "prov.json", back, &d) == NT_OK);
    NT_CHECK(nt_recorder_generation(back) == g);
    /* the configs built from both are the same */
    nt_config *c1 = nt_config_new(), *c2 = nt_config_new();
    NT_CHECK(nt_recorder_build(r, c1, NULL, NULL) == NT_OK);
    NT_CHECK(nt_recorder_build(back, c2, NULL, NULL) == NT_OK);
    NT_CHECK(nt_config_equal(c1, c2));
    NT_CHECK(c1->reflection.count > 0);
    nt_config_free(c1);
    nt_config_free(c2);
    free(again);
    free(text);
    nt_diags_free(&d);
    nt_recorder_free(back);
    nt_recorder_free(r);
}

/* The document is laid out exactly as jansson's JSON_INDENT(2) dump of it
 * (the writer streams it without building the tree): escapes, unicode, empty
 * and nested arrays, numbers, contexts with and without members. */
static void test_provenance_layout_is_janssons(void)
{
    nt_recorder *r = nt_recorder_new();
    nt_rec_context odd = {.caller_class = "com.example.Q\"uote\\d", .clinit_class = "k\xc3\xa9y$1",
                          .main_phase = 1, .jni_library = "/opt/l\tib/x.so",
                          .jni_function = "Java_a_b_c"};
    nt_rec_context none = {0};
    add_line(r, LIVE, NULL);
    add_line(r,
             "{\"tracer\":\"reflect\",\"function\":\"getMethod\",\"class\":\"a.B\",\"caller_class\":"
             "\"a.C\",\"result\":false,\"args\":[\"m,:{}[]\\\"\\\\\\n\\u0001\xc3\xa9\",[]]}",
             &odd);
    add_line(r,
             "{\"tracer\":\"reflect\",\"function\":\"getDeclaredConstructor\",\"class\":\"a.B\","
             "\"caller_class\":\"a.C\",\"result\":true,\"args\":[[[\"x\"],[]]]}",
             &none);
    add_line(r, E2, &odd);
    add_line(r, E2, &none);
    char *text = nt_recorder_provenance_json(r);
    NT_CHECK(text != NULL);
    json_error_t err;
    json_t *doc = text ? json_loads(text, 0, &err) : NULL;
    NT_CHECK(doc != NULL);
    char *ref = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    NT_CHECK(ref != NULL);
    if (text && ref) {
        size_t n = strlen(ref);
        NT_CHECK(strlen(text) == n + 1 && text[n] == '\n' && strncmp(text, ref, n) == 0);
        if (strlen(text) != n + 1 || strncmp(text, ref, n) != 0)
            fprintf(stderr, "--- written:\n%s--- jansson:\n%s\n", text, ref);
    }
    free(ref);
    json_decref(doc);
    free(text);
    nt_recorder_free(r);
}

static void test_provenance_empty(void)
{
    nt_recorder *r = nt_recorder_new();
    char *text = nt_recorder_provenance_json(r);
    NT_CHECK_STR(text, "{\n  \"version\": 1,\n  \"events\": []\n}\n");
    nt_recorder *back = nt_recorder_new();
    NT_CHECK(nt_provenance_read(text, strlen(text), "p", back, NULL) == NT_OK);
    NT_CHECK(nt_recorder_event_count(back) == 0);
    free(text);
    nt_recorder_free(back);
    nt_recorder_free(r);
}

/* A bad document is an error and adds nothing. */
static void expect_bad(const char *doc, const char *msg_part, int line)
{
    nt_recorder *r = nt_recorder_new();
    nt_diags d;
    nt_diags_init(&d);
    nt_status st = nt_provenance_read(doc, strlen(doc), "prov.json", r, &d);
    NT_CHECK(st == NT_ERR_PARSE);
    NT_CHECK(nt_recorder_event_count(r) == 0);
    NT_CHECK(d.count >= 1);
    if (d.count >= 1) {
        NT_CHECK_STR(d.items[0].file, "prov.json");
        NT_CHECK(d.items[0].line == line);
        if (!strstr(d.items[0].msg, msg_part))
            fprintf(stderr, "  message: %s (wanted: %s)\n", d.items[0].msg, msg_part);
        NT_CHECK(strstr(d.items[0].msg, msg_part) != NULL);
    }
    nt_diags_free(&d);
    nt_recorder_free(r);
}

static void test_provenance_read_errors(void)
{
    expect_bad("{\"version\":1,\n\"events\":[", "invalid JSON", 2);
    expect_bad("[]", "expected an object", 0);
    expect_bad("{\"events\":[]}", "missing \"version\"", 0);
    expect_bad("{\"version\":2,\"events\":[]}", "unsupported provenance version", 0);
    expect_bad("{\"version\":1}", "events: expected an array", 0);
    expect_bad("{\"version\":1,\"events\":[],\"x\":1}", "unknown key \"x\"", 0);
    expect_bad("{\"version\":1,\"version\":1,\"events\":[]}", "invalid JSON", 1);
    /* the first event is fine, the second is not: nothing is added */
    expect_bad("{\"version\":1,\"events\":[{\"event\":{\"tracer\":\"meta\",\"event\":\"phase_change\","
               "\"phase\":\"live\"},\"contexts\":[]},{\"event\":{\"tracer\":\"reflect\",\"function\":"
               "\"forName\"},\"contexts\":[{\"caller\":1}]}]}",
               "events[1].contexts[0]: \"caller\" must be a string", 0);
    expect_bad("{\"version\":1,\"events\":[{\"event\":{\"tracer\":\"reflect\",\"function\":\"forName\"},"
               "\"contexts\":[{\"mainPhase\":\"yes\"}]}]}",
               "events[0].contexts[0]: \"mainPhase\" must be true or false", 0);
    expect_bad("{\"version\":1,\"events\":[{\"event\":{\"tracer\":\"reflect\",\"function\":\"forName\"},"
               "\"contexts\":[{\"where\":\"x\"}]}]}",
               "events[0].contexts[0]: unknown key \"where\"", 0);
    expect_bad("{\"version\":1,\"events\":[{\"event\":{\"function\":\"forName\"},\"contexts\":[]}]}",
               "events[0].event:", 0);
    expect_bad("{\"version\":1,\"events\":[{\"event\":\"x\",\"contexts\":[]}]}",
               "events[0]: \"event\" must be a trace event object", 0);
    expect_bad("{\"version\":1,\"events\":[{\"event\":{\"tracer\":\"meta\"},\"contexts\":{}}]}",
               "events[0]: \"contexts\" must be an array", 0);
}

static void test_merge(void)
{
    nt_recorder *a = provenance_sample();
    nt_recorder *b = nt_recorder_new();
    nt_rec_context other = {.caller_class = "com.example.Other"};
    add_line(b, E2, &other);
    add_line(b, E1, &other);
    NT_CHECK(nt_recorder_merge(b, a) == NT_OK);
    NT_CHECK(nt_recorder_event_count(b) == 5);
    NT_CHECK(nt_recorder_context_count(b) == 7);
    /* merging again changes nothing; merging into itself neither */
    unsigned long g = nt_recorder_generation(b);
    NT_CHECK(nt_recorder_merge(b, a) == NT_OK);
    NT_CHECK(nt_recorder_merge(b, b) == NT_OK);
    NT_CHECK(nt_recorder_generation(b) == g);
    /* first-seen order: b's own events first, then a's new ones in a's order */
    char *lines = nt_recorder_trace_lines(b, 0, NULL);
    const char *p2 = lines ? strstr(lines, "getDeclaredMethod") : NULL;
    const char *p1 = lines ? strstr(lines, "forName") : NULL;
    const char *pl = lines ? strstr(lines, "phase_change") : NULL;
    const char *p3 = lines ? strstr(lines, "GetFieldID") : NULL;
    NT_CHECK(p2 && p1 && pl && p3 && p2 < p1 && p1 < pl && pl < p3);
    free(lines);
    nt_recorder_free(a);
    nt_recorder_free(b);
}

int main(void)
{
    NT_RUN(test_dedup_counts_order);
    NT_RUN(test_threads);
    NT_RUN(test_build_equals_direct);
    NT_RUN(test_segments);
    NT_RUN(test_provenance_text_and_round_trip);
    NT_RUN(test_provenance_layout_is_janssons);
    NT_RUN(test_provenance_empty);
    NT_RUN(test_provenance_read_errors);
    NT_RUN(test_merge);
    NT_DONE();
}
