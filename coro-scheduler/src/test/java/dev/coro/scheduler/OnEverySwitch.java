package dev.coro.scheduler;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Runs the annotated test class once per switch backend; the class receives the name in a {@code @Parameter} field. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedClass(name = "switch={0}")
@ValueSource(strings = {"native", "loom"})
public @interface OnEverySwitch {
}
