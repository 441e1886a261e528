package org.aivillage.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A textual format that a string key (or every element of a string-array key) must have.
 * Checked without any name lookup: host names are checked for syntax only.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Format {
    Kind value();

    /** The formats the binder knows. */
    enum Kind {
        /** An IP literal or a host name, e.g. {@code 127.0.0.1}, {@code ::}, {@code node.example}. */
        HOST,
        /** {@code host:port} with port 1..65535; IPv6 literals in brackets, e.g. {@code [::1]:4443}. */
        ENDPOINT,
        /** An IPv4/IPv6 CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}) or a single address. */
        CIDR
    }
}
