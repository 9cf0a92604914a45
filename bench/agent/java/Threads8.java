import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicLong;

/** Concurrency: 8 threads, each doing N iterations (default 200 000) of getMethod + invoke,
 *  getDeclaredField + get and Class.forName. */
public final class Threads8 {
    public int value = 11;

    public static int id(int x) {
        return x;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        AtomicLong total = new AtomicLong();
        Thread[] ts = new Thread[8];
        for (int t = 0; t < ts.length; t++) {
            ts[t] = new Thread(() -> {
                try {
                    Threads8 obj = new Threads8();
                    long sum = 0;
                    for (int i = 0; i < n; i++) {
                        Method m = Threads8.class.getMethod("id", int.class);
                        sum += (Integer) m.invoke(null, i & 3);
                        Field f = Threads8.class.getDeclaredField("value");
                        sum += (Integer) f.get(obj);
                        sum += Class.forName((i & 1) == 0 ? "java.lang.String" : "Threads8").getName().length();
                    }
                    total.addAndGet(sum);
                } catch (ReflectiveOperationException e) {
                    throw new RuntimeException(e);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        System.out.println("Threads8 " + n + " " + total.get());
    }
}
