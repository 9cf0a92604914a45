// Runs reflective calls against rewritten JDK classes (see run_jdk_test.sh) and checks that
// each one reached java.lang.NitraceHook with the right arguments. No lambdas and
// -XDstringConcat=inline at compile time, so the JDK makes no reflective calls of its own here.
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

public class Demo {
    public int x = 5;
    static int failures;

    static void expect(String what) {
        List<String> got = NitraceHook.drain();
        if (got.contains(what)) {
            System.out.println("hooked: " + what);
        } else {
            System.out.println("MISSING: " + what + " in " + got);
            failures++;
        }
    }

    public static void main(String[] args) throws Throwable {
        NitraceHook.enable(true);
        Class<?> c = Class.forName("java.util.ArrayList");
        expect("Class.forName(java.util.ArrayList)");
        Class.forName("java.lang.String", false, Demo.class.getClassLoader());
        expect("Class.forName(java.lang.String, false)");
        Method size = c.getMethod("size");
        expect("Class.getMethod(java.util.ArrayList, size, [])");
        Method add = c.getMethod("add", Object.class);
        expect("Class.getMethod(java.util.ArrayList, add, [java.lang.Object])");
        Constructor<?> k = c.getDeclaredConstructor();
        expect("Class.getDeclaredConstructor(java.util.ArrayList, [])");
        Object list = k.newInstance();
        expect("Constructor.newInstance(java.util.ArrayList, [])");
        add.invoke(list, "e");
        expect("Method.invoke(java.util.ArrayList.add, java.util.ArrayList, [e])");
        System.out.println("size " + size.invoke(list));
        expect("Method.invoke(java.util.ArrayList.size, java.util.ArrayList, [])");
        System.out.println("field " + Demo.class.getDeclaredField("x").get(new Demo()));
        expect("Class.getDeclaredField(Demo, x)");
        Object arr = java.lang.reflect.Array.newInstance(String.class, 3);
        expect("Array.newInstance(java.lang.String, 3)");
        System.out.println("array " + ((String[]) arr).length);
        System.out.println("resource " + (Demo.class.getResource("Demo.class") != null));
        expect("Class.getResource(Demo, Demo.class)");
        MethodHandle mh = MethodHandles.lookup().findVirtual(String.class, "length",
                MethodType.methodType(int.class));
        expect("Lookup.findVirtual(java.lang.String, length, ()int)");
        System.out.println("mh " + (int) mh.invokeExact("four"));
        Runnable r = (Runnable) Proxy.newProxyInstance(Demo.class.getClassLoader(),
                new Class<?>[] {Runnable.class}, new InvocationHandler() {
                    @Override
                    public Object invoke(Object p, Method m, Object[] a) {
                        System.out.println("proxy " + m.getName());
                        return null;
                    }
                });
        expect("Proxy.newProxyInstance([java.lang.Runnable])");
        r.run();
        NitraceHook.enable(false);

        // Hot loop: compiled code (C1/C2, Method.invoke is @IntrinsicCandidate) still calls the hook.
        long before = NitraceHook.invokeCount();
        int n = 300000;
        for (int i = 0; i < n; i++) {
            size.invoke(list);
        }
        long hooked = NitraceHook.invokeCount() - before;
        System.out.println("hot loop: " + (hooked == n ? "every" : "NOT every") + " Method.invoke hooked");
        if (hooked != n) {
            System.out.println("hooked " + hooked + " of " + n);
            failures++;
        }
        System.out.println(failures == 0 ? "all hooks seen" : failures + " failures");
        System.exit(failures == 0 ? 0 : 1);
    }
}
