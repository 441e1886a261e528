package org.aivillage.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record as one section of the TOML file, e.g. {@code @Section("network.dtn")} for
 * {@code [network.dtn]}. Each component of the record is one key of the section and carries a
 * {@link Key} annotation.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Section {
    /** The dotted section name as written in the file, e.g. {@code "network.dtn"}. */
    String value();

    /** One line describing the section, used in {@code village config init} and the reference. */
    String doc();
}
