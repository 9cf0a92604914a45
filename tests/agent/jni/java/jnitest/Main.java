package jnitest;

/* Exercises the JNI functions nitrace intercepts. Prints the same lines with and without
 * the agent; the exceptions Java sees must not change either. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Object o = Native.alloc();
        System.out.println("alloc " + o.getClass().getName() + " value=" + ((Target) o).value);

        Target t = new Target();
        System.out.println("lookups " + Native.lookups(t) + " value=" + t.value);

        try {
            Native.throwCustom("boom");
            System.out.println("throwCustom: no exception");
        } catch (CustomException e) {
            System.out.println("caught " + e.getClass().getName() + ": " + e.getMessage());
        }

        Object[] a = Native.arrays(3);
        System.out.println("arrays " + a.getClass().getName() + " length=" + a.length + " [0].value="
                + ((Target) a[0]).value + " [1]=" + a[1]);

        System.out.println("missing method cleared in C: " + Native.missingMethodCleared());

        try {
            Native.missingField();
            System.out.println("missingField: no exception");
        } catch (NoSuchFieldError e) {
            System.out.println("caught " + e);
        }
        try {
            Native.missingClass();
            System.out.println("missingClass: no exception");
        } catch (NoClassDefFoundError e) {
            System.out.println("caught " + e);
        }

        System.out.println("reflected " + Native.reflected());

        System.out.println("native thread read fromThread=" + Native.fromNativeThread());

        Runnable hidden = () -> { };
        System.out.println("hidden class run found: " + Native.hiddenRun(hidden.getClass()));

        /* The same lookups again, many times and from several threads: recorded once, results
         * unchanged. */
        int sum = 0;
        for (int i = 0; i < 2000; i++) {
            sum += Native.lookups(t);
        }
        System.out.println("repeat sum=" + sum + " value=" + t.value);
        Thread[] threads = new Thread[4];
        int[] sums = new int[threads.length];
        for (int k = 0; k < threads.length; k++) {
            final int slot = k;
            threads[k] = new Thread(() -> {
                Target own = new Target();
                for (int i = 0; i < 500; i++) {
                    sums[slot] += Native.lookups(own);
                }
            });
            threads[k].start();
        }
        for (Thread th : threads) {
            try {
                th.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        for (int k = 0; k < threads.length; k++) {
            System.out.println("thread " + k + " sum=" + sums[k]);
        }
        System.exit(3); /* a non-zero exit status must be kept too */
    }
}
