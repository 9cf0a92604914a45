/*
 * nitrace's Java-side fast path (see agent/intercepts.h).
 *
 * Rewritten JDK methods call the public static methods below (one per hook
 * name and descriptor of agent/intercepts.c's NT_I_FAST entries, references
 * erased to Object). Each looks the access up in a small direct-mapped cache
 * and returns at once on a hit: a repeated access costs a few loads and
 * compares, no JNI transition and no allocation. On a miss it calls its
 * native (the agent's C hook, which deduplicates, finds the caller frame,
 * records and walks the stack when needed), then asks state() whether the
 * access may be cached. The key is the access alone (the rewritten methods
 * pass no caller: Reflection.getCallerClass() would be a stack walk whenever
 * the JIT does not inline the JDK method), so an access is cached only once
 * it was recorded in a run-time context from a caller the filters accept
 * (STATE_SETTLED): another caller would add nothing to the config. The two
 * JDK methods that take their caller as a parameter (Class.forName(String,
 * Class), Method.invoke(Object, Object[], Class)) key on it: forName caches
 * once the access from that caller is known (STATE_KNOWN).
 * The cache never keeps a class loader alive: key objects of classes that can
 * be unloaded (not from the boot, platform or application loader) are held
 * through weak references. Entries are immutable and published by a plain
 * array store (final-field semantics): a racing reader sees an entry or not,
 * and a miss only costs a native call. Nothing here may throw into the
 * program: allocation failures while caching are swallowed.
 *
 * The public methods are @DontInline (honoured for boot classes): the JDK
 * method that calls one stays small enough for the JIT to inline it into the
 * program's code, which @CallerSensitive methods need for
 * Reflection.getCallerClass() to be an intrinsic rather than a stack walk.
 * The five that receive the program's varargs array (the typed Class queries,
 * Array.newInstance with dimensions) are inlined instead, and keep the array
 * away from every call (see "Class queries").
 *
 * Defined by the agent with the boot loader (class-file version 52, no
 * nestmates), its natives bound with RegisterNatives. Compiled at build time
 * (agent/CMakeLists.txt) and embedded in libnitrace.so.
 */
package nitrace;

import java.lang.ref.WeakReference;

import jdk.internal.vm.annotation.DontInline;

public final class NitraceFast {
    private NitraceFast() {
    }

    private static final int STATE_KNOWN = 1;
    private static final int STATE_SETTLED = 2;

    /** Held key object (class or class loader) that may be unloaded. */
    static final class Weak extends WeakReference<Object> {
        Weak(Object o) {
            super(o);
        }
    }

    /** One cached access. x: class or loader (or null); s1, s2:
     * strings; p: class array (elements held like x), pn: its length or -1
     * for null; n: a number (array dimensions, a member's slot); caller: the
     * caller class or null for hooks without one. */
    static final class E {
        final int kind, hash, n, pn;
        final Object x, caller;
        final String s1, s2;
        final Object[] p;

        E(int kind, int hash, Object x, String s1, String s2, Object[] p, int n, Object caller) {
            this.kind = kind;
            this.hash = hash;
            this.x = hold(x);
            this.s1 = s1;
            this.s2 = s2;
            this.n = n;
            this.caller = hold(caller);
            if (p == null) {
                this.p = null;
                this.pn = -1;
            } else {
                Object[] c = new Object[p.length];
                for (int i = 0; i < c.length; i++)
                    c[i] = hold(p[i]);
                this.p = c;
                this.pn = p.length;
            }
        }
    }

    private static final int SIZE = 1 << 13;
    private static final E[] TABLE = new E[SIZE];

    // ---- keys --------------------------------------------------------------

    // The hash is short on purpose: a lookup's cost is its chain of dependent
    // steps (identity hash, multiply, table slot, entry), and one multiply of
    // the key object's identity hash is enough to spread keys (identity hashes
    // are random); index() folds the high bits in.

    /** The hash of every key; seenNamed and seenSlot compute the same for their shapes. */
    private static int hash(int kind, Object x, String s1, String s2, Object[] p, int n,
                            Object caller) {
        int h = base(kind, x, n);
        if (s1 != null)
            h ^= s1.hashCode();
        if (s2 != null)
            h = h * 0x85EBCA6B ^ s2.hashCode();
        if (p != null)
            for (int i = 0; i < p.length; i++)
                h = h * 0x165667B1 ^ System.identityHashCode(p[i]);
        if (caller != null)
            h = h * 0xC2B2AE35 ^ System.identityHashCode(caller);
        return h;
    }

    private static int base(int kind, Object x, int n) {
        return System.identityHashCode(x) * 0x9E3779B1 + (kind << 20) + n;
    }

    private static int index(int h) {
        return (h ^ (h >>> 16)) & (SIZE - 1);
    }

    private static boolean same(Object held, Object o) {
        return held == o || (o != null && held instanceof Weak && ((Weak) held).get() == o);
    }

    private static boolean sameString(String held, String s) {
        return held == s || (held != null && held.equals(s));
    }

    private static boolean matches(E e, int h, int kind, Object x, String s1, String s2,
                                   Object[] p, int n, Object caller) {
        if (e == null || e.hash != h || e.kind != kind || e.n != n
                || e.pn != (p == null ? -1 : p.length) || !same(e.x, x)
                || !sameString(e.s1, s1) || !sameString(e.s2, s2) || !same(e.caller, caller))
            return false;
        if (p != null)
            for (int i = 0; i < p.length; i++)
                if (!same(e.p[i], p[i]))
                    return false;
        return true;
    }

    private static boolean seen(int kind, Object x, String s1, String s2, Object[] p, int n,
                                Object caller) {
        int h = hash(kind, x, s1, s2, p, n, caller);
        int i = index(h);
        E[] t = TABLE;
        return matches(t[i], h, kind, x, s1, s2, p, n, caller)
                || matches(t[i ^ 1], h, kind, x, s1, s2, p, n, caller);
    }

    /** seen() for the commonest shape, (class, name, caller): no loops, no
     * branches on absent key parts, for the hottest hooks (Field.get*,
     * getDeclaredField, forName, ...). A kind's entries all have the same
     * shape (the hooks of a kind note the same key parts), so only the parts
     * that vary are compared: each compare is a step of the hit path. */
    private static boolean seenNamed(int kind, Object x, String s, Object caller) {
        int h = base(kind, x, 0) ^ s.hashCode();
        if (caller != null)
            h = h * 0xC2B2AE35 ^ System.identityHashCode(caller);
        int i = index(h);
        E[] t = TABLE;
        E e = t[i];
        if (e == null || e.hash != h)
            e = t[i ^ 1];
        return e != null && e.hash == h && e.kind == kind && same(e.x, x) && sameString(e.s1, s)
                && same(e.caller, caller);
    }

    /** After a miss went to the native: cache the access when state() allows. */
    private static void note(int kind, Object x, String s1, String s2, Object[] p, int n,
                             Object caller, boolean hasCaller) {
        int st = state();
        if ((st & (hasCaller ? STATE_KNOWN : STATE_SETTLED)) == 0)
            return;
        try {
            int h = hash(kind, x, s1, s2, p, n, caller);
            E e = new E(kind, h, x, s1, s2, p, n, caller);
            int i = index(h);
            E[] t = TABLE;
            if (t[i] != null && t[i ^ 1] == null)
                i ^= 1;
            t[i] = e;
        } catch (Throwable ignored) {
            // out of memory: the access simply stays uncached
        }
    }

    /** A key object as the cache holds it. */
    private static Object hold(Object o) {
        if (o == null || o instanceof String)
            return o;
        Class<?> c = o instanceof Class ? (Class<?>) o : null;
        ClassLoader l = c != null ? c.getClassLoader()
                : o instanceof ClassLoader ? (ClassLoader) o : null;
        boolean permanent = c != null ? (l == null || builtin(l)) : (l != null && builtin(l));
        return permanent ? o : new Weak(o);
    }

    /** The JDK's platform and application loaders (never unloaded). */
    private static boolean builtin(ClassLoader l) {
        String n = l.getClass().getName();
        return n.equals("jdk.internal.loader.ClassLoaders$AppClassLoader")
                || n.equals("jdk.internal.loader.ClassLoaders$PlatformClassLoader");
    }

    private static native int state();

    // ---- kinds (one per cached hook; the field accessors share one, as the agent does) ----
    private static final int FOR_NAME = 1, FOR_NAME3 = 2, FOR_NAME_CALLER = 3, FOR_NAME_MODULE = 4,
            FIND_SYSTEM_CLASS = 5, GET_METHOD = 6, GET_DECLARED_METHOD = 7, GET_CONSTRUCTOR = 8,
            GET_DECLARED_CONSTRUCTOR = 9, GET_FIELD = 10, GET_DECLARED_FIELD = 11,
            GET_ENCLOSING_METHOD = 12, GET_ENCLOSING_CONSTRUCTOR = 13, INVOKE = 14,
            CTOR_NEW_INSTANCE = 16, FIELD = 17, ARRAY_NEW = 18,
            ALLOCATE_INSTANCE = 19, FIND_RESOURCE = 21,
            FIND_RESOURCE_AS_STREAM = 22, LOADER_FIND_RESOURCE = 23, GET_RESOURCE = 24,
            GET_RESOURCES = 25, GET_SYSTEM_RESOURCE = 26, GET_SYSTEM_RESOURCES = 27,
            BULK = 32; // + the bulk query's number

    // ---- class lookup ------------------------------------------------------

    @DontInline
    public static void forName1(Object name) {
        if (name != null && seenNamed(FOR_NAME, null, (String) name, null))
            return;
        forName1N(name);
        if (name != null)
            note(FOR_NAME, null, (String) name, null, null, 0, null, false);
    }

    @DontInline
    public static void forName3(Object name, boolean init, Object loader) {
        if (name != null && seenNamed(FOR_NAME3, null, (String) name, null))
            return;
        forName3N(name, init, loader);
        if (name != null)
            note(FOR_NAME3, null, (String) name, null, null, 0, null, false);
    }

    @DontInline
    public static void forNameCaller(Object name, Object caller) {
        if (name != null && seenNamed(FOR_NAME_CALLER, null, (String) name, caller))
            return;
        forNameCallerN(name, caller);
        if (name != null)
            note(FOR_NAME_CALLER, null, (String) name, null, null, 0, caller, true);
    }

    @DontInline
    public static void forNameModule(Object module, Object name) {
        if (name != null && seenNamed(FOR_NAME_MODULE, null, (String) name, null))
            return;
        forNameModuleN(module, name);
        if (name != null)
            note(FOR_NAME_MODULE, null, (String) name, null, null, 0, null, false);
    }

    @DontInline
    public static void findSystemClass(Object loader, Object name) {
        if (name != null && seenNamed(FIND_SYSTEM_CLASS, null, (String) name, null))
            return;
        findSystemClassN(loader, name);
        if (name != null)
            note(FIND_SYSTEM_CLASS, null, (String) name, null, null, 0, null, false);
    }

    // ---- Class queries -----------------------------------------------------

    /** A query keyed on (receiver, name, parameter types): false when the native
     * must see it because a key part is null (it records nothing then). */
    private static boolean query(int kind, Object self, Object name, boolean named, Object params) {
        return self != null && (!named || name != null)
                && seen(kind, self, (String) name, null, (Object[]) params, 0, null);
    }

    /** A query keyed on (receiver, name) only: the small lookup. */
    private static boolean named(int kind, Object self, Object name) {
        return self != null && name != null && seenNamed(kind, self, (String) name, null);
    }

    private static void queried(int kind, Object self, Object name, boolean named, Object params) {
        if (self != null && (!named || name != null))
            note(kind, self, (String) name, null, (Object[]) params, 0, null, false);
    }

    // The four queries that take a parameter-types array are not @DontInline:
    // inlined into the JDK method, their entry hands the non-inlined lookup
    // (typed) the array's length and first PARTS elements, and the native the
    // elements copied into a new array (types), never the caller's array. An
    // array passed to a call the JIT does not inline must be allocated, and the
    // JDK's search through it is no longer optimised: `getMethod` + `invoke` in a
    // loop cost 190 ns per iteration on JDK 25 that way, 105 without the agent
    // (bench/agent, `MethodInvoke`). An array longer than PARTS goes as it is. The
    // natives are called from the entry itself: their caller frame stays at the
    // depth the C hooks read (agent/hooks.c hook_depth).

    private static final int PARTS = 3;

    private static Object part(Object[] p, int n, int i) {
        return i < n ? p[i] : null;
    }

    /** seen() for a query of (receiver, name, parameter types) given as parts:
     * false when the native must see it because a key part is null. */
    @DontInline
    private static boolean typed(int kind, Object self, Object name, boolean named, int n,
                                 Object a, Object b, Object c, Object[] all) {
        if (self == null || (named && name == null))
            return false;
        if (all != null)
            return seen(kind, self, (String) name, null, all, 0, null);
        int h = base(kind, self, 0);
        if (name != null)
            h ^= ((String) name).hashCode();
        if (n > 0)
            h = h * 0x165667B1 ^ System.identityHashCode(a);
        if (n > 1)
            h = h * 0x165667B1 ^ System.identityHashCode(b);
        if (n > 2)
            h = h * 0x165667B1 ^ System.identityHashCode(c);
        int i = index(h);
        E[] t = TABLE;
        E e = t[i];
        if (e == null || e.hash != h)
            e = t[i ^ 1];
        return e != null && e.hash == h && e.kind == kind && e.pn == n && same(e.x, self)
                && sameString(e.s1, (String) name) && (n < 1 || same(e.p[0], a))
                && (n < 2 || same(e.p[1], b)) && (n < 3 || same(e.p[2], c));
    }

    /** The parameter types a miss hands the native: all, or the parts in a new
     * array (null for n = -1: the program passed null); HIT, so that the native
     * is not called, when that array cannot be allocated. */
    @DontInline
    private static Object types(int n, Object a, Object b, Object c, Object[] all) {
        if (all != null || n < 0)
            return all;
        try {
            Class<?>[] p = new Class<?>[n];
            if (n > 0)
                p[0] = (Class<?>) a;
            if (n > 1)
                p[1] = (Class<?>) b;
            if (n > 2)
                p[2] = (Class<?>) c;
            return p;
        } catch (Throwable e) {
            return HIT; // out of memory: this call goes unrecorded, a later one is not
        }
    }

    private static final Object HIT = new Object();

    /** HIT when the cache has the query, else the parameter types to hand the
     * native. Inlined into the entry like part(). */
    private static Object typedLookup(int kind, Object self, Object name, boolean named,
                                      Object params) {
        Object[] p = (Object[]) params;
        int n = p == null ? -1 : p.length;
        Object a = part(p, n, 0), b = part(p, n, 1), c = part(p, n, 2);
        Object[] all = n > PARTS ? p : null;
        return typed(kind, self, name, named, n, a, b, c, all) ? HIT : types(n, a, b, c, all);
    }

    public static void getMethod(Object self, Object name, Object params) {
        Object q = typedLookup(GET_METHOD, self, name, true, params);
        if (q == HIT)
            return;
        getMethodN(self, name, q);
        queried(GET_METHOD, self, name, true, q);
    }

    public static void getDeclaredMethod(Object self, Object name, Object params) {
        Object q = typedLookup(GET_DECLARED_METHOD, self, name, true, params);
        if (q == HIT)
            return;
        getDeclaredMethodN(self, name, q);
        queried(GET_DECLARED_METHOD, self, name, true, q);
    }

    public static void getConstructor(Object self, Object params) {
        Object q = typedLookup(GET_CONSTRUCTOR, self, null, false, params);
        if (q == HIT)
            return;
        getConstructorN(self, q);
        queried(GET_CONSTRUCTOR, self, null, false, q);
    }

    public static void getDeclaredConstructor(Object self, Object params) {
        Object q = typedLookup(GET_DECLARED_CONSTRUCTOR, self, null, false, params);
        if (q == HIT)
            return;
        getDeclaredConstructorN(self, q);
        queried(GET_DECLARED_CONSTRUCTOR, self, null, false, q);
    }

    @DontInline
    public static void getField(Object self, Object name) {
        if (named(GET_FIELD, self, name))
            return;
        getFieldN(self, name);
        queried(GET_FIELD, self, name, true, null);
    }

    @DontInline
    public static void getDeclaredField(Object self, Object name) {
        if (named(GET_DECLARED_FIELD, self, name))
            return;
        getDeclaredFieldN(self, name);
        queried(GET_DECLARED_FIELD, self, name, true, null);
    }

    @DontInline
    public static void getEnclosingMethod(Object self) {
        if (query(GET_ENCLOSING_METHOD, self, null, false, null))
            return;
        getEnclosingMethodN(self);
        queried(GET_ENCLOSING_METHOD, self, null, false, null);
    }

    @DontInline
    public static void getEnclosingConstructor(Object self) {
        if (query(GET_ENCLOSING_CONSTRUCTOR, self, null, false, null))
            return;
        getEnclosingConstructorN(self);
        queried(GET_ENCLOSING_CONSTRUCTOR, self, null, false, null);
    }

    // bulk queries and Class.newInstance: the receiver is the key (numbers as
    // agent/intercepts.h's NT_BULK_*)

    @DontInline
    public static void getFields(Object self) {
        if (query(BULK + 0, self, null, false, null))
            return;
        getFieldsN(self);
        queried(BULK + 0, self, null, false, null);
    }

    @DontInline
    public static void getDeclaredFields(Object self) {
        if (query(BULK + 1, self, null, false, null))
            return;
        getDeclaredFieldsN(self);
        queried(BULK + 1, self, null, false, null);
    }

    @DontInline
    public static void getMethods(Object self) {
        if (query(BULK + 2, self, null, false, null))
            return;
        getMethodsN(self);
        queried(BULK + 2, self, null, false, null);
    }

    @DontInline
    public static void getDeclaredMethods(Object self) {
        if (query(BULK + 3, self, null, false, null))
            return;
        getDeclaredMethodsN(self);
        queried(BULK + 3, self, null, false, null);
    }

    @DontInline
    public static void getConstructors(Object self) {
        if (query(BULK + 4, self, null, false, null))
            return;
        getConstructorsN(self);
        queried(BULK + 4, self, null, false, null);
    }

    @DontInline
    public static void getDeclaredConstructors(Object self) {
        if (query(BULK + 5, self, null, false, null))
            return;
        getDeclaredConstructorsN(self);
        queried(BULK + 5, self, null, false, null);
    }

    @DontInline
    public static void getClasses(Object self) {
        if (query(BULK + 6, self, null, false, null))
            return;
        getClassesN(self);
        queried(BULK + 6, self, null, false, null);
    }

    @DontInline
    public static void getDeclaredClasses(Object self) {
        if (query(BULK + 7, self, null, false, null))
            return;
        getDeclaredClassesN(self);
        queried(BULK + 7, self, null, false, null);
    }

    @DontInline
    public static void getRecordComponents(Object self) {
        if (query(BULK + 8, self, null, false, null))
            return;
        getRecordComponentsN(self);
        queried(BULK + 8, self, null, false, null);
    }

    @DontInline
    public static void getPermittedSubclasses(Object self) {
        if (query(BULK + 9, self, null, false, null))
            return;
        getPermittedSubclassesN(self);
        queried(BULK + 9, self, null, false, null);
    }

    @DontInline
    public static void getNestMembers(Object self) {
        if (query(BULK + 10, self, null, false, null))
            return;
        getNestMembersN(self);
        queried(BULK + 10, self, null, false, null);
    }

    @DontInline
    public static void getSigners(Object self) {
        if (query(BULK + 11, self, null, false, null))
            return;
        getSignersN(self);
        queried(BULK + 11, self, null, false, null);
    }

    @DontInline
    public static void newInstance(Object self) {
        if (query(BULK + 12, self, null, false, null))
            return;
        newInstanceN(self);
        queried(BULK + 12, self, null, false, null);
    }

    // ---- reflective access -------------------------------------------------

    /** Method.invoke / Constructor.newInstance hand in the member's declaring
     * class and slot (and name and parameter types for the native), not the
     * Method: a copy made by getMethod does not escape. (class, slot) names
     * the member exactly, as the agent's key does. Method.invoke of a method
     * of Class (Class.newInstance) records what it instantiates too (its
     * receiver), so it always goes to the native. */
    private static boolean member(int kind, Object decl, int slot) {
        return decl != null && decl != Class.class && seenSlot(kind, decl, slot);
    }

    private static void membered(int kind, Object decl, int slot) {
        if (decl != null && decl != Class.class)
            note(kind, decl, null, null, null, slot, null, false);
    }

    /** seen() for (kind, class, number) keys, small like seenNamed. */
    private static boolean seenSlot(int kind, Object x, int n) {
        int h = base(kind, x, n);
        int i = index(h);
        E[] t = TABLE;
        E e = t[i];
        if (e == null || e.hash != h)
            e = t[i ^ 1];
        return e != null && e.hash == h && e.kind == kind && e.n == n && same(e.x, x);
    }

    @DontInline
    public static void invoke(Object decl, int slot, Object name, Object params, Object obj) {
        if (member(INVOKE, decl, slot))
            return;
        invokeN(decl, slot, name, params, obj);
        membered(INVOKE, decl, slot);
    }

    @DontInline
    public static void invokeCaller(Object decl, int slot, Object name, Object params, Object obj,
                                    Object caller) {
        if (member(INVOKE, decl, slot))
            return;
        invokeCallerN(decl, slot, name, params, obj, caller);
        membered(INVOKE, decl, slot);
    }

    @DontInline
    public static void ctorNewInstance(Object decl, int slot, Object params) {
        if (member(CTOR_NEW_INSTANCE, decl, slot))
            return;
        ctorNewInstanceN(decl, slot, params);
        membered(CTOR_NEW_INSTANCE, decl, slot);
    }

    // Field.get* / set*: (declaring class, name) as the rewritten methods hand them in
    // (the receiver and the value are not passed); all eighteen call this one hook

    @DontInline
    public static void fieldAccess(Object d, Object n) {
        if (named(FIELD, d, n)) return;
        fieldAccessN(d, n);
        if (d != null && n != null)
            note(FIELD, d, (String) n, null, null, 0, null, false);
    }

    // ---- arrays, Unsafe ------------------------------------------------------

    @DontInline
    public static void arrayNew1(Object comp, int len) {
        if (comp != null && seen(ARRAY_NEW, comp, null, null, null, 1, null))
            return;
        arrayNew1N(comp, len);
        if (comp != null)
            note(ARRAY_NEW, comp, null, null, null, 1, null, false);
    }

    /** Inlined like the typed queries' entries: the native gets a new array of
     * as many dimensions (all it reads), never the program's varargs array.
     * Without a component class or with 0 or over 255 dimensions the JDK throws
     * and the native would record nothing. */
    public static void arrayNewN(Object comp, Object dims) {
        int n = dims == null ? 0 : ((int[]) dims).length;
        if (comp == null || n <= 0 || n > 255)
            return;
        Object d = dimsMiss(comp, n);
        if (d == null)
            return;
        arrayNewNN(comp, d);
        note(ARRAY_NEW, comp, null, null, null, n, null, false);
    }

    /** null when the cache has (comp, n) or the array cannot be allocated,
     * else an int[n] for the native. */
    @DontInline
    private static Object dimsMiss(Object comp, int n) {
        if (seen(ARRAY_NEW, comp, null, null, null, n, null))
            return null;
        try {
            return new int[n];
        } catch (Throwable e) {
            return null;
        }
    }

    @DontInline
    public static void allocateInstance(Object unsafe, Object cls) {
        if (cls != null && seen(ALLOCATE_INSTANCE, cls, null, null, null, 0, null))
            return;
        allocateInstanceN(unsafe, cls);
        if (cls != null)
            note(ALLOCATE_INSTANCE, cls, null, null, null, 0, null, false);
    }

    // ---- resources: (loader, module, name); no caller ----------------------

    private static boolean resource(int kind, Object loader, Object module, Object name) {
        return name != null && seen(kind, loader, (String) module, (String) name, null, 0, null);
    }

    private static void resourced(int kind, Object loader, Object module, Object name) {
        if (name != null)
            note(kind, loader, (String) module, (String) name, null, 0, null, false);
    }

    @DontInline
    public static void findResource(Object loader, Object module, Object name) {
        if (resource(FIND_RESOURCE, loader, module, name))
            return;
        findResourceN(loader, module, name);
        resourced(FIND_RESOURCE, loader, module, name);
    }

    @DontInline
    public static void findResourceAsStream(Object loader, Object module, Object name) {
        if (resource(FIND_RESOURCE_AS_STREAM, loader, module, name))
            return;
        findResourceAsStreamN(loader, module, name);
        resourced(FIND_RESOURCE_AS_STREAM, loader, module, name);
    }

    @DontInline
    public static void loaderFindResource(Object loader, Object module, Object name) {
        if (resource(LOADER_FIND_RESOURCE, loader, module, name))
            return;
        loaderFindResourceN(loader, module, name);
        resourced(LOADER_FIND_RESOURCE, loader, module, name);
    }

    @DontInline
    public static void getResource(Object loader, Object name) {
        if (resource(GET_RESOURCE, loader, null, name))
            return;
        getResourceN(loader, name);
        resourced(GET_RESOURCE, loader, null, name);
    }

    @DontInline
    public static void getResources(Object loader, Object name) {
        if (resource(GET_RESOURCES, loader, null, name))
            return;
        getResourcesN(loader, name);
        resourced(GET_RESOURCES, loader, null, name);
    }

    @DontInline
    public static void getSystemResource(Object name) {
        if (resource(GET_SYSTEM_RESOURCE, null, null, name))
            return;
        getSystemResourceN(name);
        resourced(GET_SYSTEM_RESOURCE, null, null, name);
    }

    @DontInline
    public static void getSystemResources(Object name) {
        if (resource(GET_SYSTEM_RESOURCES, null, null, name))
            return;
        getSystemResourcesN(name);
        resourced(GET_SYSTEM_RESOURCES, null, null, name);
    }

    // ---- the agent's C hooks (bound by agent/hookclass.c) ----------------------

    private static native void forName1N(Object name);
    private static native void forName3N(Object name, boolean init, Object loader);
    private static native void forNameCallerN(Object name, Object caller);
    private static native void forNameModuleN(Object module, Object name);
    private static native void findSystemClassN(Object loader, Object name);
    private static native void getMethodN(Object self, Object name, Object params);
    private static native void getDeclaredMethodN(Object self, Object name, Object params);
    private static native void getConstructorN(Object self, Object params);
    private static native void getDeclaredConstructorN(Object self, Object params);
    private static native void getFieldN(Object self, Object name);
    private static native void getDeclaredFieldN(Object self, Object name);
    private static native void getEnclosingMethodN(Object self);
    private static native void getEnclosingConstructorN(Object self);
    private static native void getFieldsN(Object self);
    private static native void getDeclaredFieldsN(Object self);
    private static native void getMethodsN(Object self);
    private static native void getDeclaredMethodsN(Object self);
    private static native void getConstructorsN(Object self);
    private static native void getDeclaredConstructorsN(Object self);
    private static native void getClassesN(Object self);
    private static native void getDeclaredClassesN(Object self);
    private static native void getRecordComponentsN(Object self);
    private static native void getPermittedSubclassesN(Object self);
    private static native void getNestMembersN(Object self);
    private static native void getSignersN(Object self);
    private static native void newInstanceN(Object self);
    private static native void invokeN(Object decl, int slot, Object name, Object params,
                                       Object obj);
    private static native void invokeCallerN(Object decl, int slot, Object name, Object params,
                                             Object obj, Object caller);
    private static native void ctorNewInstanceN(Object decl, int slot, Object params);
    private static native void fieldAccessN(Object d, Object n);
    private static native void arrayNew1N(Object comp, int len);
    private static native void arrayNewNN(Object comp, Object dims);
    private static native void allocateInstanceN(Object unsafe, Object cls);
    private static native void findResourceN(Object loader, Object module, Object name);
    private static native void findResourceAsStreamN(Object loader, Object module, Object name);
    private static native void loaderFindResourceN(Object loader, Object module, Object name);
    private static native void getResourceN(Object loader, Object name);
    private static native void getResourcesN(Object loader, Object name);
    private static native void getSystemResourceN(Object name);
    private static native void getSystemResourcesN(Object name);
}
