import java.lang.reflect.Method;
import java.net.URL;

/* Smoke program for the nitrace agent: a few reflective accesses whose
 * configuration is known exactly (expected/Smoke/). The hot loop repeats the
 * same accesses; the output must not depend on the agent.
 * Argument "exit": end with System.exit(3); "sleep": sleep until killed. */
public class Smoke {
    public static int twice(int x) {
        return 2 * x;
    }

    public static String greet(String who) {
        return "hello " + who;
    }

    public static void main(String[] args) throws Exception {
        Class<?> c = Class.forName("SmokeTarget");
        Method m = c.getMethod("twice", int.class);
        Object r = m.invoke(null, 21);
        System.out.println("twice " + r);
        Method g = Smoke.class.getDeclaredMethod("greet", String.class);
        long sum = 0;
        for (int i = 0; i < 20000; i++) {
            Class<?> k = Class.forName("SmokeTarget");
            sum += (Integer) k.getMethod("twice", int.class).invoke(null, i);
            sum += ((String) g.invoke(null, "x")).length();
        }
        System.out.println("sum " + sum);
        URL u = Smoke.class.getClassLoader().getResource("smoke-data.txt");
        System.out.println("resource " + (u != null));
        URL missing = Smoke.class.getResource("/no/such/resource.txt");
        System.out.println("missing " + (missing == null));
        Object o = Class.forName("SmokeTarget").getDeclaredConstructor().newInstance();
        System.out.println("instance " + o.getClass().getName());
        if (args.length > 0 && args[0].equals("exit")) {
            System.exit(3);
        }
        if (args.length > 0 && args[0].equals("sleep")) {
            System.out.flush();
            Thread.sleep(120_000); /* killed by the test (SIGKILL: no VMDeath) */
        }
    }
}

class SmokeTarget {
    public SmokeTarget() {}

    public static int twice(int x) {
        return 2 * x;
    }
}
