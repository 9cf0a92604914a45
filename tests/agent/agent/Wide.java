import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Proxy;
import java.util.ListResourceBundle;
import java.util.Locale;
import java.util.ResourceBundle;

/* One access of each intercepted kind beyond Smoke's, for the agent smoke
 * test: queries, fields, arrays, proxies, serialization, method handles,
 * resource bundles. Output must not depend on the agent. */
public class Wide {
    public interface Greeter {
        String greet(String who);
    }

    public static class Dto implements Serializable {
        private static final long serialVersionUID = 1L;
        public int value = 7;
        public String label = "dto";
    }

    public static class Msgs extends ListResourceBundle {
        @Override
        protected Object[][] getContents() {
            return new Object[][] {{"hi", "hello"}};
        }
    }

    public static String shout(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    public static void main(String[] args) throws Throwable {
        Class<?> dto = Class.forName("Wide$Dto");
        System.out.println("fields " + dto.getDeclaredFields().length);
        System.out.println("field " + dto.getField("value").getName());
        Object arr = Array.newInstance(dto, 3);
        System.out.println("array " + arr.getClass().getName());
        Greeter g = (Greeter) Proxy.newProxyInstance(Wide.class.getClassLoader(),
                new Class<?>[] {Greeter.class}, (p, m, a) -> "proxy " + a[0]);
        System.out.println(g.greet("x"));
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (ObjectOutputStream oo = new ObjectOutputStream(bo)) {
            oo.writeObject(new Dto());
        }
        try (ObjectInputStream oi = new ObjectInputStream(new ByteArrayInputStream(bo.toByteArray()))) {
            System.out.println("deserialized " + ((Dto) oi.readObject()).label);
        }
        MethodHandle mh = MethodHandles.lookup().findStatic(Wide.class, "shout",
                MethodType.methodType(String.class, String.class));
        System.out.println("mh " + (String) mh.invokeExact("abc"));
        ResourceBundle rb = ResourceBundle.getBundle("Wide$Msgs", Locale.ROOT);
        System.out.println("bundle " + rb.getString("hi"));
        System.out.println("methods " + (Wide.class.getMethods().length > 0));
    }
}
