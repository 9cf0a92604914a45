package jnitest;

/* Native methods implemented in tests/agent/jni/ntjnitest.c (the library's path comes from
 * the system property ntjnitest.lib). Every JNI call below is made from one of these, so the
 * caller class of every JNI trace event is jnitest.Native. */
public final class Native {
    static {
        System.load(System.getProperty("ntjnitest.lib"));
    }

    private Native() {
    }

    /* FindClass jnitest/Target + AllocObject. */
    static native Object alloc();

    /* GetMethodID, GetStaticMethodID, GetFieldID, GetStaticFieldID, inherited members. */
    static native int lookups(Target t);

    /* FindClass jnitest/CustomException + ThrowNew. */
    static native void throwCustom(String message);

    /* FindClass "[I", NewObjectArray int[][] and Target[], GetMethodID <init>. */
    static native Object[] arrays(int n);

    /* GetMethodID of a missing method; the NoSuchMethodError is cleared in C. */
    static native boolean missingMethodCleared();

    /* GetStaticFieldID of a missing field; the NoSuchFieldError reaches Java. */
    static native void missingField();

    /* FindClass of a missing class; the NoClassDefFoundError reaches Java. */
    static native void missingClass();

    /* ToReflectedMethod/FromReflectedMethod, ToReflectedField/FromReflectedField. */
    static native String reflected();

    /* GetMethodID(c, "run", "()V") on a hidden (lambda) class: its name has a '/'. */
    static native boolean hiddenRun(Class<?> c);

    /* A native thread attaches itself (no Java frames: no caller), FindClass + GetStaticFieldID. */
    static native int fromNativeThread();
}
