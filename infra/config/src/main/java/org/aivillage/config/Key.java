package org.aivillage.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One key of a {@link Section} record. The TOML name is the component name in snake_case
 * ({@code sprayCopies} → {@code spray_copies}).
 *
 * <p>{@link #def()} is the default, written as text and read by the component's type:
 * {@code "true"}, {@code "42"}, {@code "0.5"}, a plain string or path (no quotes), an enum value's
 * TOML name ({@code "spray_and_wait"}), or a comma-separated list for {@code List<String>}. An
 * {@code Optional} component with {@code def = ""} is unset by default. Defaults are validated
 * like file values when the schema is built, so a bad default fails every test at once.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Key {
    /** One line of documentation, shown in the generated file and the reference. */
    String doc();

    /** The default value as text (see the class comment). */
    String def() default "";
}
