/* GraalVM's built-in filters and heuristics (reference/graalvm-agent.md
 * §2.5, §2.6): the newest built-in caller filter, the built-in access filter,
 * the caller-less access filter, and the heuristic checks. Pattern syntax
 * and matching of filter rules live here too (used by filter.c), and
 * nitrace's registry of JDK homes for the native-library heuristic. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "trace_priv.h"

/* ---- rule patterns ------------------------------------------------------ */

int nt_frule_valid(const char *p)
{
    size_t n = strlen(p);
    if (n == 0)
        return 0;
    if (strcmp(p, "**") == 0 || strcmp(p, "*") == 0)
        return 1;
    size_t body = n;
    if (n > 3 && strcmp(p + n - 3, ".**") == 0)
        body = n - 3;
    else if (n > 2 && strcmp(p + n - 2, ".*") == 0)
        body = n - 2;
    for (size_t i = 0; i < body; i++)
        if (p[i] == '*')
            return 0;
    /* no empty package segments ("a..b", ".a", "a.") */
    if (p[0] == '.' || p[body - 1] == '.')
        return 0;
    for (size_t i = 0; i + 1 < body; i++)
        if (p[i] == '.' && p[i + 1] == '.')
            return 0;
    return 1;
}

int nt_frule_match(const char *p, const char *name)
{
    size_t n = strlen(p);
    if (n == 2 && p[0] == '*' && p[1] == '*')
        return 1;
    if (n == 1 && p[0] == '*')
        return strchr(name, '.') == NULL;
    if (n > 3 && p[n - 1] == '*' && p[n - 2] == '*' && p[n - 3] == '.') {
        /* "a.b.**": classes of a.b and of its subpackages */
        return strncmp(name, p, n - 2) == 0 && name[n - 2] != '\0';
    }
    if (n > 2 && p[n - 1] == '*' && p[n - 2] == '.') {
        /* "a.b.*": classes of a.b only */
        return strncmp(name, p, n - 1) == 0 && name[n - 1] != '\0' &&
               strchr(name + n - 1, '.') == NULL;
    }
    return strcmp(p, name) == 0;
}

/* ---- built-in caller filter (AccessAdvisor.internalCallerFilter, newest) -- */

typedef struct brule {
    const char *pattern;
    int include;
} brule;

#define INC 1
#define EXC 0

static const brule builtin_caller[] = {
    {"com.sun.crypto.provider.**", EXC},
    {"com.sun.java.util.jar.pack.**", EXC},
    {"com.sun.net.ssl.**", EXC},
    {"com.sun.nio.file.**", EXC},
    {"com.sun.nio.sctp.**", EXC},
    {"com.sun.nio.zipfs.**", EXC},
    {"java.io.**", EXC},
    {"java.io.ObjectInputFilter$Config", INC},
    {"java.lang.**", EXC},
    {"java.lang.ClassLoader", INC},              /* findSystemClass calls loadClass */
    {"java.lang.ClassLoader$NativeLibrary", INC}, /* JNI from native libraries (JDK 11) */
    {"java.lang.Module", INC},                   /* resource query wrappers */
    {"java.math.**", EXC},
    {"java.net.**", EXC},
    {"java.net.URLConnection", INC},             /* calls forName */
    {"java.nio.**", EXC},
    {"java.text.**", EXC},
    {"java.time.**", EXC},
    {"java.util.**", EXC},
    {"java.util.concurrent.atomic.*", INC},      /* field updaters */
    {"java.util.concurrent.atomic.AtomicReference", EXC},
    {"java.util.Collections", INC},
    {"java.util.logging.LogRecord", INC},
    {"java.util.random.*", INC},
    {"java.util.ServiceLoader$LazyClassPathLookupIterator", INC},
    {"javax.crypto.**", EXC},
    {"javax.lang.model.**", EXC},
    {"javax.net.**", EXC},
    {"javax.tools.**", EXC},
    {"jdk.internal.**", EXC},
    {"jdk.internal.loader.BootLoader", INC},
    {"jdk.internal.loader.NativeLibraries$NativeLibraryImpl", INC}, /* JNI (JDK 17) */
    {"jdk.jfr.**", EXC},
    {"jdk.net.**", EXC},
    {"jdk.nio.**", EXC},
    {"jdk.vm.**", EXC},
    {"sun.invoke.**", EXC},
    {"sun.invoke.util.BytecodeDescriptor", INC},
    {"sun.launcher.**", EXC},
    {"sun.management.ManagementFactoryHelper$LoggingMXBeanAccess", EXC},
    {"sun.misc.**", EXC},
    {"sun.net.**", EXC},
    {"sun.net.www.protocol.http.*", INC},
    {"sun.nio.**", EXC},
    {"sun.reflect.**", EXC},
    {"sun.reflect.misc.*", INC},
    {"sun.text.**", EXC},
    {"sun.util.**", EXC},
    {"sun.util.resources.Bundles", INC},
    /* inaccessible packages (also the whole built-in access filter) */
    {"com.oracle.graal.**", EXC},
    {"com.oracle.truffle.**", EXC},
    {"jdk.graal.compiler.**", EXC},
    {"org.graalvm.compiler.**", EXC},
};

static const brule builtin_access[] = {
    {"com.oracle.graal.**", EXC},
    {"com.oracle.truffle.**", EXC},
    {"jdk.graal.compiler.**", EXC},
    {"org.graalvm.compiler.**", EXC},
};

static const brule builtin_callerless[] = {
    {"jdk.vm.ci.**", EXC},
    {"[Ljava.lang.String;", EXC}, /* argv array created before main */
};

static int apply(const brule *rules, size_t n, const char *name, int verdict)
{
    for (size_t i = 0; i < n; i++)
        if (nt_frule_match(rules[i].pattern, name))
            verdict = rules[i].include;
    return verdict;
}

int nt_builtin_caller_verdict(const char *name, int verdict)
{
    return apply(builtin_caller, sizeof builtin_caller / sizeof *builtin_caller, name, verdict);
}

int nt_builtin_access_verdict(const char *name, int verdict)
{
    return apply(builtin_access, sizeof builtin_access / sizeof *builtin_access, name, verdict);
}

int nt_filter_accepts_callerless(const char *name)
{
    if (!name)
        return 1;
    return apply(builtin_callerless, sizeof builtin_callerless / sizeof *builtin_callerless,
                 name, 1);
}

/* ---- heuristics --------------------------------------------------------- */

int nt_heur_is_lambda_name(const char *name)
{
    return name && strstr(name, "$$Lambda") != NULL;
}

int nt_heur_is_proxy_name(const char *name)
{
    if (!name)
        return 0;
    size_t n = strlen(name), d = n;
    while (d > 0 && name[d - 1] >= '0' && name[d - 1] <= '9')
        d--;
    if (d == n || d < 6 || memcmp(name + d - 6, "$Proxy", 6) != 0)
        return 0;
    size_t pre = d - 6; /* length of the "(.+[/.])?" part */
    if (pre == 0)
        return 1;
    return pre >= 2 && (name[pre - 1] == '.' || name[pre - 1] == '/');
}

static const char *const blocked_resources[] = {
    "META-INF/services/jdk.vm.ci.services.JVMCIServiceLocator",
    "META-INF/services/java.lang.System$LoggerFinder",
    "META-INF/services/jdk.vm.ci.hotspot.HotSpotJVMCIBackendFactory",
    "META-INF/services/jdk.graal.compiler.options.OptionDescriptors",
    "META-INF/services/com.oracle.graal.phases.preciseinline.priorityinline.PolicyFactory",
};

int nt_heur_blocked_resource(const char *name)
{
    for (size_t i = 0; i < sizeof blocked_resources / sizeof *blocked_resources; i++)
        if (strcmp(name, blocked_resources[i]) == 0)
            return 1;
    return 0;
}

typedef struct jni_step {
    const char *function;
    const char *cls;      /* NULL: any class */
    const char *name;
    const char *sig;
    int required;
} jni_step;

static const jni_step launch_seq[] = {
    {"GetStaticMethodID", "sun.launcher.LauncherHelper", "getApplicationClass",
     "()Ljava/lang/Class;", 1},
    {"GetMethodID", "java.lang.Class", "getCanonicalName", "()Ljava/lang/String;", 0},
    {"GetMethodID", "java.lang.String", "lastIndexOf", "(I)I", 0},
    {"GetMethodID", "java.lang.String", "substring", "(I)Ljava/lang/String;", 0},
    {"GetStaticMethodID", "java.lang.System", "getProperty",
     "(Ljava/lang/String;)Ljava/lang/String;", 0},
    {"GetStaticMethodID", "java.lang.System", "setProperty",
     "(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;", 0},
    {"GetStaticMethodID", NULL, "main", "([Ljava/lang/String;)V", 1},
};
#define LAUNCH_STEPS ((int)(sizeof launch_seq / sizeof *launch_seq))

static int str_eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static int step_matches(const jni_step *s, const char *function, const char *cls,
                        const char *name, const char *sig)
{
    return str_eq(s->function, function) && (!s->cls || str_eq(s->cls, cls)) &&
           str_eq(s->name, name) && str_eq(s->sig, sig);
}

int nt_heur_jni_launch(int *phase, const char *function, const char *cls, const char *name,
                       const char *sig, int *mismatch)
{
    *mismatch = 0;
    if (*phase >= LAUNCH_STEPS)
        return 0;
    if (!str_eq(function, "GetStaticMethodID") && !str_eq(function, "GetMethodID"))
        return 1; /* functions the sequence does not track wait for its end */
    while (!step_matches(&launch_seq[*phase], function, cls, name, sig)) {
        if (str_eq(cls, "sun.launcher.LauncherHelper"))
            return 1;
        if (launch_seq[*phase].required) {
            *phase = NT_JNI_LAUNCH_DONE;
            *mismatch = 1;
            return 0;
        }
        (*phase)++; /* optional step that did not happen */
    }
    (*phase)++;
    if (*phase >= LAUNCH_STEPS)
        *phase = NT_JNI_LAUNCH_DONE;
    return 1;
}

/* ---- JDK-internal native code (nitrace's library heuristic) ------------- */

enum { MAX_HOMES = 8 };
static char *homes[MAX_HOMES];
static size_t n_homes;                 /* published with release, read with acquire */
static pthread_mutex_t homes_mu = PTHREAD_MUTEX_INITIALIZER;

/* Is path dir itself or below it? */
static int path_under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0' || n == 1);
}

nt_status nt_native_home_add(const char *dir)
{
    if (!dir || dir[0] != '/')
        return NT_ERR_INVAL;
    pthread_mutex_lock(&homes_mu);
    nt_status st = NT_OK;
    size_t n = __atomic_load_n(&n_homes, __ATOMIC_ACQUIRE);
    int known = 0;
    for (size_t i = 0; i < n && !known; i++)
        known = strcmp(homes[i], dir) == 0;
    if (!known) {
        if (n == MAX_HOMES) {
            st = NT_ERR_INVAL;
        } else if (!(homes[n] = strdup(dir))) {
            st = NT_ERR_NOMEM;
        } else {
            __atomic_store_n(&n_homes, n + 1, __ATOMIC_RELEASE);
        }
    }
    pthread_mutex_unlock(&homes_mu);
    return st;
}

int nt_native_home_contains(const char *path)
{
    if (!path)
        return 0;
    size_t n = __atomic_load_n(&n_homes, __ATOMIC_ACQUIRE);
    for (size_t i = 0; i < n; i++)
        if (path_under(path, homes[i]))
            return 1;
    return 0;
}
