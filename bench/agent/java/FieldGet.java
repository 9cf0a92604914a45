import java.lang.reflect.Field;

/** Reflection-hot: N iterations of Class.getDeclaredField + Field.get (default 1 000 000). */
public final class FieldGet {
    public int a = 3;
    public long b = 5;
    public String c = "seven";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        FieldGet obj = new FieldGet();
        String[] names = {"a", "b", "c"};
        long sum = 0;
        for (int i = 0; i < n; i++) {
            Field f = FieldGet.class.getDeclaredField(names[i % 3]);
            Object v = f.get(obj);
            sum += v instanceof Number ? ((Number) v).longValue() : v.toString().length();
        }
        System.out.println("FieldGet " + n + " " + sum);
    }
}
