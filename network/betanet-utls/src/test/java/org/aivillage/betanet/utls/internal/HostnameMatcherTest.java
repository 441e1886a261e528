package org.aivillage.betanet.utls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostnameMatcherTest {
    @Test
    void exactAndCaseInsensitive() {
        assertThat(HostnameMatcher.dnsMatch("utls.test", "utls.test")).isTrue();
        assertThat(HostnameMatcher.dnsMatch("www.example.com", "www.example.com.")).isTrue();
        assertThat(HostnameMatcher.dnsMatch("www.example.com", "example.com")).isFalse();
    }

    @Test
    void wildcardCoversExactlyOneLeftMostLabel() {
        assertThat(HostnameMatcher.dnsMatch("a.example.com", "*.example.com")).isTrue();
        assertThat(HostnameMatcher.dnsMatch("a.b.example.com", "*.example.com")).isFalse();
        assertThat(HostnameMatcher.dnsMatch("example.com", "*.example.com")).isFalse();
        assertThat(HostnameMatcher.dnsMatch("a.com", "*.com")).isFalse();
        assertThat(HostnameMatcher.dnsMatch("a.example.com", "a*.example.com")).isFalse();
        assertThat(HostnameMatcher.dnsMatch("a.example.com", "*.*.com")).isFalse();
    }
}
