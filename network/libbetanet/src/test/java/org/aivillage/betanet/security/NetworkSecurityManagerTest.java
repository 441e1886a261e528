package org.aivillage.betanet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.aivillage.betanet.security.NetworkSecurityManager.Decision;
import org.aivillage.betanet.security.NetworkSecurityManager.Settings;
import org.junit.jupiter.api.Test;

class NetworkSecurityManagerTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void cidrParsingAndMatching() throws Exception {
        Cidr v4 = Cidr.parse("10.1.2.3/8");
        assertThat(v4.toString()).isEqualTo("10.0.0.0/8");
        assertThat(v4.contains(ip("10.200.0.1"))).isTrue();
        assertThat(v4.contains(ip("11.0.0.1"))).isFalse();
        assertThat(v4.contains(ip("::ffff:10.9.9.9"))).isTrue();
        Cidr v6 = Cidr.parse("2001:db8::/32");
        assertThat(v6.contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(v6.contains(ip("2001:db9::1"))).isFalse();
        assertThat(v6.contains(ip("10.0.0.1"))).isFalse();
        assertThat(Cidr.parse("192.168.1.1").prefixLength()).isEqualTo(32);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("0..32");
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).hasMessageContaining("not a numeric");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("not a number");
    }

    @Test
    void blockListWinsAndAllowListRestricts() throws Exception {
        Settings s = new Settings(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")),
                List.of(Cidr.parse("10.6.6.0/24")), 100, 100, 100, 100, 24, 56, 1000);
        NetworkSecurityManager m = new NetworkSecurityManager(s);
        assertThat(m.admit(ip("10.1.1.1"))).isEqualTo(Decision.ALLOWED);
        assertThat(m.admit(ip("fd12::1"))).isEqualTo(Decision.ALLOWED);
        assertThat(m.admit(ip("10.6.6.7"))).isEqualTo(Decision.BLOCKED);
        assertThat(m.admit(ip("192.0.2.1"))).isEqualTo(Decision.NOT_IN_ALLOW_LIST);
        assertThat(m.count(Decision.BLOCKED)).isEqualTo(1);
    }

    @Test
    void perAddressAndPerPrefixBucketsLimitAndRefill() throws Exception {
        AtomicLong now = new AtomicLong();
        Settings s = new Settings(List.of(), List.of(), 1, 3, 2, 5, 24, 56, 1000);
        NetworkSecurityManager m = new NetworkSecurityManager(s, now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(m.admit(ip("198.51.100.1"))).isEqualTo(Decision.ALLOWED);
        }
        assertThat(m.admit(ip("198.51.100.1"))).isEqualTo(Decision.ADDRESS_RATE_LIMITED);
        // Same /24, other addresses: the prefix bucket (burst 5) runs out after two more.
        assertThat(m.admit(ip("198.51.100.2"))).isEqualTo(Decision.ALLOWED);
        assertThat(m.admit(ip("198.51.100.3"))).isEqualTo(Decision.ALLOWED);
        assertThat(m.admit(ip("198.51.100.4"))).isEqualTo(Decision.PREFIX_RATE_LIMITED);
        // Another /24 is independent.
        assertThat(m.admit(ip("198.51.101.4"))).isEqualTo(Decision.ALLOWED);
        // IPv6 addresses in one /56 share a prefix bucket.
        for (int i = 0; i < 5; i++) {
            assertThat(m.admit(ip("2001:db8:0:" + i + "::1"))).isEqualTo(Decision.ALLOWED);
        }
        assertThat(m.admit(ip("2001:db8:0:ff::1"))).isEqualTo(Decision.PREFIX_RATE_LIMITED);
        now.addAndGet(1_000_000_000L); // one second: +1 token per address, +2 per prefix
        assertThat(m.admit(ip("198.51.100.1"))).isEqualTo(Decision.ALLOWED);
        assertThat(m.admit(ip("198.51.100.1"))).isEqualTo(Decision.ADDRESS_RATE_LIMITED);
    }

    @Test
    void stateIsBounded() throws Exception {
        Settings s = new Settings(List.of(), List.of(), 10, 10, 10, 10, 24, 56, 50);
        NetworkSecurityManager m = new NetworkSecurityManager(s);
        for (int i = 0; i < 5000; i++) {
            m.admit(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 8), (byte) i, 1}));
        }
        assertThat(m.trackedKeys()).isLessThanOrEqualTo(100);
    }

    @Test
    void tokenBucketRejectsBadSettings() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
