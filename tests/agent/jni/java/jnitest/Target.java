package jnitest;

/* The class native code looks up. */
public class Target extends Base {
    public static long counter = 40;
    public static int fromThread = 5; /* looked up by a native thread without Java frames */
    public int value;

    public Target() {
        value = 1; /* AllocObject skips this: an allocated Target has value 0 */
    }

    public void callback(int x) {
        value += x;
    }

    public static int twice(int x) {
        return 2 * x;
    }
}
