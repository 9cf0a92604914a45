/** Reflection-hot: N calls of Class.forName over a rotating set of JDK class names (default 1 000 000). */
public final class ForName {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String[] names = {
            "java.lang.String", "java.util.ArrayList", "java.util.HashMap", "java.lang.Integer",
            "java.util.concurrent.ConcurrentHashMap", "java.io.File", "java.net.URI",
            "java.time.Instant", "java.util.Optional", "ForName",
        };
        long sum = 0;
        for (int i = 0; i < n; i++) {
            Class<?> c = Class.forName(names[i % names.length]);
            sum += c.getName().length();
        }
        System.out.println("ForName " + n + " " + sum);
    }
}
