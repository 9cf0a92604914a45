package jnitest;

/* Superclass: JNI lookups of inherited members name Target as the class and Base as the
 * declaring class. */
public class Base {
    public int baseField = 7;

    public String baseMethod() {
        return "base";
    }
}
