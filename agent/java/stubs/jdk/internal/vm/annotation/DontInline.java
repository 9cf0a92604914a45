/*
 * Compile-time stand-in for java.base's jdk.internal.vm.annotation.DontInline (not exported, and
 * javac --release 8 has no module to export it from). Only NitraceFast's class file carries the
 * annotation; this class is not embedded (agent/java/embed.cmake embeds agent/java/nitrace only).
 * HotSpot honours the annotation by name on classes of the boot loader, as NitraceFast is.
 */
package jdk.internal.vm.annotation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
@Retention(RetentionPolicy.RUNTIME)
public @interface DontInline {
}
