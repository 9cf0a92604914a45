import java.net.URL;

/** Resource-hot: N calls of ClassLoader.getResource (default 100 000), half of them on names that exist. */
public final class GetResource {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        ClassLoader cl = GetResource.class.getClassLoader();
        String[] names = {"GetResource.class", "ForName.class", "missing/none.txt", "META-INF/absent.properties"};
        long found = 0;
        for (int i = 0; i < n; i++) {
            URL u = cl.getResource(names[i & 3]);
            if (u != null) {
                found++;
            }
        }
        System.out.println("GetResource " + n + " " + found);
    }
}
