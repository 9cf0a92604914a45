import java.lang.reflect.Method;

/** Reflection-hot: N iterations of Class.getMethod + Method.invoke (default 1 000 000). */
public final class MethodInvoke {
    public static int counter;

    public static int bump(int d) {
        counter += d;
        return counter;
    }

    public static int twice(int d) {
        return 2 * d;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String[] names = {"bump", "twice"};
        long sum = 0;
        for (int i = 0; i < n; i++) {
            Method m = MethodInvoke.class.getMethod(names[i & 1], int.class);
            sum += (Integer) m.invoke(null, i & 7);
        }
        System.out.println("MethodInvoke " + n + " " + sum);
    }
}
