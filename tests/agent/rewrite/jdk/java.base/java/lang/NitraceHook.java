/*
 * Test stand-in for the agent's hook class, placed in java.base (java.lang) with --patch-module
 * so rewritten JDK classes can call it. Hook descriptors are the erased ones agent/classfile.c
 * builds with CF_HOOK_ERASE_REFS (receiver + parameters, every reference as Object).
 * Every call is counted; while enabled, calls are also logged (Demo checks the log).
 * Nothing runs in <clinit>: the class may be loaded very early in VM startup.
 */
package java.lang;

import java.util.ArrayList;
import java.util.List;

public final class NitraceHook {
    private static volatile boolean enabled;
    private static boolean busy; /* re-entrance guard (the logging itself uses the JDK) */
    private static ArrayList<String> log;
    private static long invokeCount, totalCount;

    private NitraceHook() {}

    public static synchronized void enable(boolean on) {
        if (log == null) {
            log = new ArrayList<>();
        }
        enabled = on;
    }

    public static synchronized List<String> drain() {
        List<String> out = new ArrayList<>(log);
        log.clear();
        return out;
    }

    public static synchronized long invokeCount() {
        return invokeCount;
    }

    public static synchronized long totalCount() {
        return totalCount;
    }

    private static String str(Object o) {
        if (o == null) {
            return "null";
        }
        if (o instanceof Class<?>) {
            return ((Class<?>) o).getName();
        }
        if (o instanceof String || o instanceof Boolean || o instanceof Integer) {
            return o.toString();
        }
        if (o instanceof java.lang.reflect.Method) {
            java.lang.reflect.Method m = (java.lang.reflect.Method) o;
            return m.getDeclaringClass().getName() + "." + m.getName();
        }
        if (o instanceof java.lang.reflect.Constructor<?>) {
            return ((java.lang.reflect.Constructor<?>) o).getDeclaringClass().getName();
        }
        if (o instanceof java.lang.invoke.MethodType) {
            return o.toString();
        }
        if (o instanceof Object[]) {
            Object[] a = (Object[]) o;
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(str(a[i]));
            }
            return sb.append(']').toString();
        }
        return o.getClass().getName();
    }

    private static void hit(String what, Object... args) {
        synchronized (NitraceHook.class) {
            totalCount++;
            if (!enabled || busy) {
                return;
            }
            busy = true;
            try {
                StringBuilder sb = new StringBuilder(what).append('(');
                for (int i = 0; i < args.length; i++) {
                    sb.append(i == 0 ? "" : ", ").append(str(args[i]));
                }
                log.add(sb.append(')').toString());
            } finally {
                busy = false;
            }
        }
    }

    // java.lang.Class
    public static void forName1(Object name) { if (enabled) hit("Class.forName", name); else count(); }
    public static void forName3(Object name, boolean init, Object loader) {
        if (enabled) hit("Class.forName", name, init); else count();
    }
    public static void forNameCaller(Object name, Object caller) {
        if (enabled) hit("Class.forName/adapter", name, caller); else count();
    }
    public static void getMethod(Object cls, Object name, Object params) {
        if (enabled) hit("Class.getMethod", cls, name, params); else count();
    }
    public static void getDeclaredField(Object cls, Object name) {
        if (enabled) hit("Class.getDeclaredField", cls, name); else count();
    }
    public static void getDeclaredConstructor(Object cls, Object params) {
        if (enabled) hit("Class.getDeclaredConstructor", cls, params); else count();
    }
    public static void getResource(Object cls, Object name) {
        if (enabled) hit("Class.getResource", cls, name); else count();
    }
    // java.lang.reflect
    public static void invoke(Object m, Object obj, Object args) {
        synchronized (NitraceHook.class) {
            invokeCount++;
        }
        if (enabled) hit("Method.invoke", m, obj, args); else count();
    }
    public static void invokeCaller(Object m, Object obj, Object args, Object caller) {
        synchronized (NitraceHook.class) {
            invokeCount++;
        }
        if (enabled) hit("Method.invoke/adapter", m, obj, args, caller); else count();
    }
    public static void newInstance(Object ctor, Object args) {
        if (enabled) hit("Constructor.newInstance", ctor, args); else count();
    }
    public static void newArray(Object cls, int len) {
        if (enabled) hit("Array.newInstance", cls, len); else count();
    }
    public static void newProxyInstance(Object loader, Object interfaces, Object h) {
        if (enabled) hit("Proxy.newProxyInstance", interfaces); else count();
    }
    // java.lang.invoke.MethodHandles$Lookup
    public static void findVirtual(Object lookup, Object refc, Object name, Object type) {
        if (enabled) hit("Lookup.findVirtual", refc, name, type); else count();
    }
    public static void findStatic(Object lookup, Object refc, Object name, Object type) {
        if (enabled) hit("Lookup.findStatic", refc, name, type); else count();
    }

    private static synchronized void count() {
        totalCount++;
    }
}
