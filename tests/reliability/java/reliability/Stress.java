package reliability;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/* Reliability stress program (tests/reliability/threads.sh): THREADS threads each make the same
 * set of reflective, resource and JNI accesses over and over until SECONDS have passed (every
 * thread does at least one full round, in its own order, so that threads race on the same and on
 * different keys). With 1 thread and 0 seconds it makes that set once: the config recorded under
 * any number of threads must equal that single-thread config exactly.
 *   java reliability.Stress THREADS SECONDS [JNI_LIB|-]
 * Prints "rounds>=THREADS ok" and "done"; exit code 0. A wrong result exits 1. */
public class Stress {
    static final int KINDS = 8;
    static final int ACCESSES = KINDS * 7 + 1;
    static final String PKG = "reliability.Stress$T";

    public static class T0 {
        public int f0 = 0;
        public long f1 = 0L;
        private String f2 = "t0";
        static double f3 = 0.5;

        public T0() {
        }

        public static int m0(int x) {
            return x + 0;
        }

        public int m1(int x) {
            return x * 1;
        }

        static String m2(String s) {
            return s + "0";
        }

        private long m3(long v) {
            return v - 0;
        }
    }

    public static class T1 {
        public int f0 = 1;
        public long f1 = 1L;
        private String f2 = "t1";
        static double f3 = 1.5;

        public T1() {
        }

        public static int m0(int x) {
            return x + 1;
        }

        public int m1(int x) {
            return x * 2;
        }

        static String m2(String s) {
            return s + "1";
        }

        private long m3(long v) {
            return v - 1;
        }
    }

    public static class T2 {
        public int f0 = 2;
        public long f1 = 2L;
        private String f2 = "t2";
        static double f3 = 2.5;

        public T2() {
        }

        public static int m0(int x) {
            return x + 2;
        }

        public int m1(int x) {
            return x * 3;
        }

        static String m2(String s) {
            return s + "2";
        }

        private long m3(long v) {
            return v - 2;
        }
    }

    public static class T3 {
        public int f0 = 3;
        public long f1 = 3L;
        private String f2 = "t3";
        static double f3 = 3.5;

        public T3() {
        }

        public static int m0(int x) {
            return x + 3;
        }

        public int m1(int x) {
            return x * 4;
        }

        static String m2(String s) {
            return s + "3";
        }

        private long m3(long v) {
            return v - 3;
        }
    }

    public static class T4 {
        public int f0 = 4;
        public long f1 = 4L;
        private String f2 = "t4";
        static double f3 = 4.5;

        public T4() {
        }

        public static int m0(int x) {
            return x + 4;
        }

        public int m1(int x) {
            return x * 5;
        }

        static String m2(String s) {
            return s + "4";
        }

        private long m3(long v) {
            return v - 4;
        }
    }

    public static class T5 {
        public int f0 = 5;
        public long f1 = 5L;
        private String f2 = "t5";
        static double f3 = 5.5;

        public T5() {
        }

        public static int m0(int x) {
            return x + 5;
        }

        public int m1(int x) {
            return x * 6;
        }

        static String m2(String s) {
            return s + "5";
        }

        private long m3(long v) {
            return v - 5;
        }
    }

    public static class T6 {
        public int f0 = 6;
        public long f1 = 6L;
        private String f2 = "t6";
        static double f3 = 6.5;

        public T6() {
        }

        public static int m0(int x) {
            return x + 6;
        }

        public int m1(int x) {
            return x * 7;
        }

        static String m2(String s) {
            return s + "6";
        }

        private long m3(long v) {
            return v - 6;
        }
    }

    public static class T7 {
        public int f0 = 7;
        public long f1 = 7L;
        private String f2 = "t7";
        static double f3 = 7.5;

        public T7() {
        }

        public static int m0(int x) {
            return x + 7;
        }

        public int m1(int x) {
            return x * 8;
        }

        static String m2(String s) {
            return s + "7";
        }

        private long m3(long v) {
            return v - 7;
        }
    }

    static Method jniRun;
    static Method jniCallback;

    /* Access number a (0 <= a < ACCESSES) of the set; returns a value checked for sanity. */
    static long access(int a) throws Exception {
        int t = a % KINDS;
        Class<?> c = Class.forName(PKG + t);
        switch (a / KINDS) {
        case 0:
            return ((Integer) c.getDeclaredMethod("m0", int.class).invoke(null, 1)) - 1 - t;
        case 1: {
            Constructor<?> k = c.getDeclaredConstructor();
            Object o = k.newInstance();
            return ((Integer) c.getMethod("m1", int.class).invoke(o, 2)) - 2 * (t + 1);
        }
        case 2: {
            Field f = c.getField("f0");
            return f.getInt(c.getDeclaredConstructor().newInstance()) - t;
        }
        case 3: {
            Field f = c.getDeclaredField("f2");
            f.setAccessible(true);
            return ((String) f.get(c.getDeclaredConstructor().newInstance())).equals("t" + t) ? 0 : 1;
        }
        case 4: {
            URL u = Stress.class.getResource("/reliability/r" + t + ".txt");
            return u != null ? 0 : 1;
        }
        case 5: {
            Object arr = Array.newInstance(c, t + 1);
            return Array.getLength(arr) - (t + 1);
        }
        case 6: {
            Method m = c.getDeclaredMethod("m3", long.class);
            m.setAccessible(true);
            Object o = c.getDeclaredConstructor().newInstance();
            return ((Long) m.invoke(o, 10L)) - (10L - t);
        }
        default:
            if (jniRun == null)
                return 0;
            try {
                jniRun.invoke(null, jniCallback);
                return 1;
            } catch (java.lang.reflect.InvocationTargetException e) {
                return e.getCause() instanceof IllegalStateException ? 0 : 1;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        if (args.length > 2 && !args[2].equals("-")) {
            System.load(args[2]);
            Class<?> jm = Class.forName("fixtures.jni.Main");
            jniRun = jm.getDeclaredMethod("run", Method.class);
            jniRun.setAccessible(true);
            jniCallback = Class.forName("fixtures.jni.Target").getDeclaredMethod("callback", int.class);
        }
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong rounds = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            final int id = i;
            ts[i] = new Thread(() -> {
                try {
                    start.await();
                    do {
                        for (int k = 0; k < ACCESSES; k++) {
                            int a = (id % 2 == 0 ? k + id : ACCESSES - 1 - k + id) % ACCESSES;
                            if (access(a) != 0)
                                bad.incrementAndGet();
                        }
                        rounds.incrementAndGet();
                    } while (System.nanoTime() < deadline);
                } catch (Throwable e) {
                    e.printStackTrace();
                    bad.incrementAndGet();
                }
            }, "stress-" + i);
            ts[i].start();
        }
        start.countDown();
        for (Thread t : ts)
            t.join();
        if (bad.get() != 0 || rounds.get() < threads) {
            System.out.println("FAILED bad=" + bad.get() + " rounds=" + rounds.get());
            System.exit(1);
        }
        System.err.println("stress: " + threads + " threads, " + rounds.get() + " rounds of " + ACCESSES + " accesses");
        System.out.println("rounds>=" + threads + " ok");
        System.out.println("done");
    }
}
