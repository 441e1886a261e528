package org.aivillage.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.aivillage.config.Format;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FormatsTest {
    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "0.0.0.0/0", "192.0.2.7", "192.0.2.7/32", "fd00::/8", "::/0", "::1",
        "2001:db8::/32", "2001:db8::1/128"})
    void validCidr(String s) {
        assertThat(Formats.check(Format.Kind.CIDR, s)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/33", "10.0.0.1/8", "256.0.0.0/8", "10.0.0/8", "010.0.0.0/8", "10.0.0.0/",
        "10.0.0.0/08", "fd00::/129", "fd00::1/8", "example.com/8", "fe80::1%eth0", "10.0.0.0/8/8", " 10.0.0.0/8",
        "1.2.3.4.5", "::g", "1"})
    void invalidCidr(String s) {
        assertThat(Formats.check(Format.Kind.CIDR, s)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1", "0.0.0.0", "::", "::1", "node-1.example.org", "example.org.",
        "2001:db8::1"})
    void validHost(String s) {
        assertThat(Formats.check(Format.Kind.HOST, s)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-bad.example", "bad-.example", "a..b", "300.1.1.1", "1.2.3", "host name",
        "[::1]", "a_b.example", "http://x"})
    void invalidHost(String s) {
        assertThat(Formats.check(Format.Kind.HOST, s)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mix.example:4443", "10.0.0.1:1", "[2001:db8::1]:443", "[::1]:65535", "localhost:80"})
    void validEndpoint(String s) {
        assertThat(Formats.check(Format.Kind.ENDPOINT, s)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "host", "host:", "host:0", "host:65536", "host:-1", "host:08x", "::1:80",
        "[10.0.0.1]:80", "[::1]80", "[::1]", "bad host:80", "a:b:c"})
    void invalidEndpoint(String s) {
        assertThat(Formats.check(Format.Kind.ENDPOINT, s)).isPresent();
    }

    @org.junit.jupiter.api.Test
    void suggestionsFindTyposOnly() {
        var keys = java.util.List.of("spray_copies", "listen_port", "tcpcl_port");
        assertThat(EditDistance.closest("spray_copy", keys)).contains("spray_copies");
        assertThat(EditDistance.closest("spary_copies", keys)).contains("spray_copies");
        assertThat(EditDistance.closest("port", keys)).contains("listen_port");
        assertThat(EditDistance.closest("zzzzzz", keys)).isEmpty();
        assertThat(EditDistance.distance("abc", "acb")).isEqualTo(1);
        assertThat(EditDistance.distance("", "abc")).isEqualTo(3);
    }
}
