/* Re-entrance guard and stack inspection for the agent (JVMTI only, no JNI
 * upcalls into Java). Stack walks happen only on first sightings; facts about
 * each frame's method (declaring class, <clinit>, Clojure loading) are cached
 * per jmethodID, which stays valid for the life of the class. A walk reads
 * the top 64 frames first and stops at a <clinit> frame an earlier walk went
 * past (see method_facts). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_priv.h"
#include "check.h"
#include "nitrace/check.h"
#include "nitrace/map.h"

static _Thread_local int in_agent __attribute__((tls_model("initial-exec")));
_Thread_local int nt_hook_state __attribute__((tls_model("initial-exec")));

int nt_enter(void)
{
    nt_hook_state = 0;
    if (in_agent || !nt_g.recording)
        return 0;
    in_agent = 1;
    return 1;
}

void nt_leave(void)
{
    in_agent = 0;
}

/* ---- per-method facts --------------------------------------------------- */

enum { MF_CLINIT = 1, MF_CLOJURE_LOAD = 2, MF_LOAD_CLASS = 4 };

typedef struct method_facts {
    jmethodID method;
    unsigned flags;
    /* MF_CLINIT only. A class is initialized once, so its <clinit> has at most
     * one activation, and while that frame is on a stack the frames below it
     * cannot change. A full walk through it notes what lies below (at or
     * under it): the outermost <clinit> class and whether Clojure is loading;
     * a later walk that reaches the frame stops there. Written once
     * (below_known last, release); read with acquire. */
    const char *below_clinit;
    int below_clojure;
    int below_known;
    void *sites; /* nt_method_sites: atomic loads and stores */
    char cls[]; /* declaring class, Java syntax */
} method_facts;

static pthread_mutex_t facts_mu = PTHREAD_MUTEX_INITIALIZER;
static nt_map facts; /* key: jmethodID as hex text -> method_facts* (never freed: bounded by methods) */

/* In front of the map, a lock-free direct-mapped cache by jmethodID: a stack
 * walk reads every frame's facts (about 35 frames per first sighting in a
 * Clojure program), and a hit then costs no lock, no formatting and no
 * string hashing. Slots point to the map's records (never freed); a slot may
 * be overwritten by another method's record. */
#define FACTS_CACHE 8192
static method_facts *facts_cache[FACTS_CACHE];

static size_t facts_slot(jmethodID m)
{
    uint64_t h = (uint64_t)(uintptr_t)m * 0x9e3779b97f4a7c15ull;
    return (size_t)(h >> 51); /* 13 bits: FACTS_CACHE slots */
}

/* "Lcom/x/Y;" -> "com.x.Y", as Class.getName() gives it. */
static void sig_to_name(const char *sig, char *out, size_t n)
{
    size_t len = strlen(sig);
    const char *s = sig;
    if (len >= 2 && sig[0] == 'L' && sig[len - 1] == ';') {
        s = sig + 1;
        len -= 2;
    }
    if (len >= n)
        len = n - 1;
    /* Hidden classes: signature "Lp/Foo.0x1a;" is Class.getName() "p.Foo/0x1a". */
    for (size_t i = 0; i < len; i++)
        out[i] = s[i] == '/' ? '.' : s[i] == '.' ? '/' : s[i];
    out[len] = '\0';
}

static method_facts *facts_of(jvmtiEnv *jvmti, jmethodID m)
{
    method_facts **slot = &facts_cache[facts_slot(m)];
    method_facts *f = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (f && f->method == m)
        return f;
    char key[32];
    snprintf(key, sizeof key, "%p", (void *)m);
    pthread_mutex_lock(&facts_mu);
    f = nt_map_get(&facts, key);
    pthread_mutex_unlock(&facts_mu);
    if (f) {
        __atomic_store_n(slot, f, __ATOMIC_RELEASE);
        return f;
    }

    jclass cls = NULL;
    char *sig = NULL, *name = NULL;
    char cname[1024] = "";
    if ((*jvmti)->GetMethodDeclaringClass(jvmti, m, &cls) != JVMTI_ERROR_NONE)
        return NULL;
    if ((*jvmti)->GetClassSignature(jvmti, cls, &sig, NULL) == JVMTI_ERROR_NONE && sig) {
        sig_to_name(sig, cname, sizeof cname);
        (*jvmti)->Deallocate(jvmti, (unsigned char *)sig);
    }
    JNIEnv *env = NULL;
    if (cls && (*nt_g.vm)->GetEnv(nt_g.vm, (void **)&env, JNI_VERSION_1_6) == JNI_OK)
        (*env)->DeleteLocalRef(env, cls);
    unsigned flags = 0;
    char *msig = NULL;
    if ((*jvmti)->GetMethodName(jvmti, m, &name, &msig, NULL) == JVMTI_ERROR_NONE && name) {
        if (strcmp(name, "<clinit>") == 0)
            flags |= MF_CLINIT;
        if (strcmp(name, "load") == 0 && strcmp(cname, "clojure.lang.RT") == 0)
            flags |= MF_CLOJURE_LOAD;
        if (strcmp(name, "loadClass") == 0 && msig &&
            strcmp(msig, "(Ljava/lang/String;)Ljava/lang/Class;") == 0)
            flags |= MF_LOAD_CLASS;
    }
    if (name)
        (*jvmti)->Deallocate(jvmti, (unsigned char *)name);
    if (msig)
        (*jvmti)->Deallocate(jvmti, (unsigned char *)msig);
    if (strcmp(cname, "clojure.core$load") == 0)
        flags |= MF_CLOJURE_LOAD;

    size_t len = strlen(cname);
    f = malloc(sizeof *f + len + 1);
    if (!f)
        return NULL;
    f->method = m;
    f->flags = flags;
    f->below_clinit = NULL;
    f->below_clojure = 0;
    f->below_known = 0;
    f->sites = NULL;
    memcpy(f->cls, cname, len + 1);
    pthread_mutex_lock(&facts_mu);
    method_facts *old = nt_map_get(&facts, key);
    if (old) {
        free(f);
        f = old;
    } else if (nt_map_put(&facts, key, f) != 0) {
        free(f);
        f = NULL;
    }
    pthread_mutex_unlock(&facts_mu);
    if (f)
        __atomic_store_n(slot, f, __ATOMIC_RELEASE);
    return f;
}

int nt_method_is_load_class(jvmtiEnv *jvmti, jmethodID m)
{
    const method_facts *f = m ? facts_of(jvmti, m) : NULL;
    return f && (f->flags & MF_LOAD_CLASS);
}

const char *nt_method_class(jvmtiEnv *jvmti, jmethodID m)
{
    const method_facts *f = m ? facts_of(jvmti, m) : NULL;
    return f ? f->cls : NULL;
}

void *nt_method_sites(jvmtiEnv *jvmti, jmethodID m)
{
    method_facts *f = m ? facts_of(jvmti, m) : NULL;
    return f ? __atomic_load_n(&f->sites, __ATOMIC_ACQUIRE) : NULL;
}

int nt_method_swap_sites(jvmtiEnv *jvmti, jmethodID m, void *expected, void *p)
{
    method_facts *f = m ? facts_of(jvmti, m) : NULL;
    if (!f)
        return -1;
    return __atomic_compare_exchange_n(&f->sites, &expected, p, 0, __ATOMIC_ACQ_REL,
                                       __ATOMIC_ACQUIRE);
}

int nt_frame_at(jvmtiEnv *jvmti, int depth, jmethodID *method, jlocation *location)
{
    return (*jvmti)->GetFrameLocation(jvmti, NULL, depth, method, location) == JVMTI_ERROR_NONE &&
                   *method
               ? 0
               : -1;
}

int nt_frame_class(jvmtiEnv *jvmti, int depth, char *out, size_t n)
{
    jmethodID m;
    jlocation loc;
    if (nt_frame_at(jvmti, depth, &m, &loc) != 0)
        return -1;
    const method_facts *f = facts_of(jvmti, m);
    if (!f)
        return -1;
    snprintf(out, n, "%s", f->cls);
    return 0;
}

/* How many frames a walk reads per GetStackTrace call. A call costs about
 * the same for each frame it skips (start depth) as for each it reads, so a
 * walk should read about as far as it has to go: to the first <clinit> frame
 * an earlier walk went past, or to the bottom. Successive walks on a thread
 * mostly go about as far as the one before (measured on `lein version` and
 * `clojure.main -e`), so the first call reads that many frames and a margin;
 * when that is not enough, each further call reads twice as many as the one
 * before, up to NT_STACK_CHUNK. Against the former fixed chunks (64, then
 * 256), JDK 17: `lein version` reads 138 000 frames instead of 178 000 (time
 * in GetStackTrace 48-50 ms -> 38-40 ms), `clojure.main -e 1` 8 400 instead
 * of 17 400 (8.5-11.6 ms -> 5.8-6.7 ms); configs and provenance unchanged. */
#define NT_STACK_MARGIN 8
#define NT_STACK_MIN 8
#define NT_STACK_CHUNK 256
#define NT_STACK_INITS 64 /* <clinit> frames noted per walk (the innermost ones) */

/* Frames the last walk of this thread needed (0: none yet). */
static _Thread_local int walk_hint __attribute__((tls_model("initial-exec")));

static int first_chunk(void)
{
    int want = walk_hint ? walk_hint + NT_STACK_MARGIN : 64;
    if (nt_agent_check_on() && want < NT_CHECK_MAX_FRAMES)
        want = NT_CHECK_MAX_FRAMES; /* check mode shows the top frames of the first chunk */
    return want < NT_STACK_MIN ? NT_STACK_MIN : want > NT_STACK_CHUNK ? NT_STACK_CHUNK : want;
}

/* The <clinit> frames a walk passed (inits, at positions init_at from the
 * caller): below each lies the outermost <clinit> `outer`, and Clojure is
 * loading when a loading frame was seen at or under it (last_clojure: the
 * deepest position of one, -1 for none) or `clojure_deeper` (below what the
 * walk read). */
static void note_below(method_facts **inits, const int *init_at, int n_inits, const char *outer,
                       int last_clojure, int clojure_deeper)
{
    for (int k = 0; k < n_inits; k++) {
        __atomic_store_n(&inits[k]->below_clinit, outer, __ATOMIC_RELAXED);
        __atomic_store_n(&inits[k]->below_clojure, clojure_deeper || last_clojure >= init_at[k],
                         __ATOMIC_RELAXED);
        __atomic_store_n(&inits[k]->below_known, 1, __ATOMIC_RELEASE);
    }
}

/* A <clinit> frame the thread's last walk saw, with Clojure loading at or
 * under it (below_clojure), or NULL. While its class is being initialised
 * the frame is still on this thread's stack (the initialising thread runs
 * <clinit> to its end; the class is then initialised or erroneous), so the
 * context of anything the thread does meanwhile is known without a walk:
 * the outermost <clinit> is the one noted below that frame, Clojure is
 * loading, and only the caller frame has to be read. (`lein version` loads
 * its namespaces from AOT classes: most of its walks end at such a frame.) */
static _Thread_local method_facts *walk_anchor __attribute__((tls_model("initial-exec")));

static int class_initialising(jvmtiEnv *jvmti, jmethodID clinit)
{
    jclass cls = NULL;
    jint status = 0;
    int busy = (*jvmti)->GetMethodDeclaringClass(jvmti, clinit, &cls) == JVMTI_ERROR_NONE &&
               (*jvmti)->GetClassStatus(jvmti, cls, &status) == JVMTI_ERROR_NONE &&
               !(status & (JVMTI_CLASS_STATUS_INITIALIZED | JVMTI_CLASS_STATUS_ERROR));
    JNIEnv *env = NULL;
    if (cls && (*nt_g.vm)->GetEnv(nt_g.vm, (void **)&env, JNI_VERSION_1_6) == JNI_OK)
        (*env)->DeleteLocalRef(env, cls);
    return busy;
}

/* The context under walk_anchor, if it is still on the stack. 1: ctx filled. */
static int anchored_context(jvmtiEnv *jvmti, int caller_depth, nt_rec_context *ctx)
{
    method_facts *a = walk_anchor;
    if (!a || nt_agent_check_on()) /* check mode shows the top frames: a walk reads them */
        return 0;
    if (!class_initialising(jvmti, a->method)) {
        walk_anchor = NULL;
        return 0;
    }
    jmethodID m;
    jlocation loc;
    if (nt_frame_at(jvmti, caller_depth, &m, &loc) != 0)
        return 0;
    const method_facts *f = facts_of(jvmti, m);
    ctx->caller_class = f ? f->cls : NULL;
    ctx->clinit_class = __atomic_load_n(&a->below_clinit, __ATOMIC_RELAXED);
    ctx->clojure_loading = 1;
    return 1;
}

/* After a walk: the deepest <clinit> it saw with Clojure loading at or under
 * it (`stop`, where it stopped, is the deepest), for anchored_context. */
static void set_anchor(method_facts *stop, method_facts **inits, int n_inits)
{
    method_facts *a = NULL;
    if (stop && __atomic_load_n(&stop->below_clojure, __ATOMIC_RELAXED))
        a = stop;
    for (int k = n_inits - 1; !a && k >= 0; k--)
        if (__atomic_load_n(&inits[k]->below_clojure, __ATOMIC_RELAXED))
            a = inits[k];
    walk_anchor = a;
}

int nt_stack_context(jvmtiEnv *jvmti, int caller_depth, nt_rec_context *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->main_phase = nt_g.main_phase;
    if (anchored_context(jvmti, caller_depth, ctx))
        return 0;
    jvmtiFrameInfo frames[NT_STACK_CHUNK];
    const char *caller = NULL, *clinit = NULL;
    int depth = caller_depth, clojure = 0, last_clojure = -1;
    method_facts *inits[NT_STACK_INITS];
    int init_at[NT_STACK_INITS], n_inits = 0;
    for (int want = first_chunk();; want = want * 2 > NT_STACK_CHUNK ? NT_STACK_CHUNK : want * 2) {
        jint count = 0;
        if ((*jvmti)->GetStackTrace(jvmti, NULL, depth, want, frames, &count) !=
            JVMTI_ERROR_NONE) {
            if (depth == caller_depth)
                return -1;
            break; /* the previous chunk ended exactly at the bottom */
        }
        if (depth == caller_depth && nt_agent_check_on())
            ctx->frames = nt_agent_check_frames(jvmti, frames, count); /* first sightings only */
        for (jint i = 0; i < count; i++) {
            method_facts *f = facts_of(jvmti, frames[i].method);
            if (!f)
                continue;
            int at = depth + (int)i - caller_depth;
            if (at == 0)
                caller = f->cls;
            if (f->flags & MF_CLOJURE_LOAD) {
                clojure = 1;
                last_clojure = at;
            }
            if (!(f->flags & MF_CLINIT))
                continue;
            if (__atomic_load_n(&f->below_known, __ATOMIC_ACQUIRE)) {
                /* the rest of the stack is as that walk saw it */
                const char *outer = __atomic_load_n(&f->below_clinit, __ATOMIC_RELAXED);
                int clj = __atomic_load_n(&f->below_clojure, __ATOMIC_RELAXED);
                note_below(inits, init_at, n_inits, outer, last_clojure, clj);
                ctx->caller_class = caller;
                ctx->clinit_class = outer;
                ctx->clojure_loading = clojure || clj;
                walk_hint = at + 1;
                set_anchor(f, inits, n_inits);
                return 0;
            }
            clinit = f->cls; /* keeps the outermost (deepest) one */
            if (n_inits < NT_STACK_INITS) {
                inits[n_inits] = f;
                init_at[n_inits++] = at;
            }
        }
        depth += count;
        if (count < want)
            break;
    }
    note_below(inits, init_at, n_inits, clinit, last_clojure, 0);
    walk_hint = depth - caller_depth > 0 ? depth - caller_depth : 1; /* the whole stack */
    set_anchor(NULL, inits, n_inits);
    ctx->caller_class = caller;
    ctx->clinit_class = clinit;
    ctx->clojure_loading = clojure;
    return 0;
}
