package org.aivillage.betanet.htx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.Hkdf;
import org.aivillage.betanet.crypto.X25519;
import org.junit.jupiter.api.Test;

class AccessTicketTest {

    @Provide
    Arbitrary<AccessTicket> tickets() {
        Arbitrary<byte[]> b32 = Arbitraries.bytes().array(byte[].class).ofSize(32);
        return Combinators.combine(b32, Arbitraries.bytes().array(byte[].class).ofSize(8), b32, b32,
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64)).as(AccessTicket::new);
    }

    @Property
    void roundTrip(@ForAll("tickets") AccessTicket t) throws Exception {
        assertThat(AccessTicket.parse(t.encode())).isEqualTo(t);
        assertThat(AccessTicket.fromBase64Url(t.toBase64Url())).isEqualTo(t);
        assertThat(t.toBase64Url()).doesNotContain("=", "+", "/");
    }

    @Property(tries = 2000)
    void randomBytesNeverCrashTheParser(@ForAll @Size(max = 200) byte[] bytes) {
        try {
            AccessTicket.parse(bytes);
        } catch (TicketFormatException expected) {
            assertThat(expected.getMessage()).contains("at offset");
        }
    }

    @Property(tries = 500)
    void randomStringsNeverCrashTheBase64Parser(@ForAll @Size(max = 300) String s) {
        try {
            AccessTicket.fromBase64Url(s);
        } catch (TicketFormatException expected) {
            assertThat(expected.getMessage()).contains("at offset");
        }
    }

    /** The §5.2 derivation, recomputed independently of AccessTicket.compute. */
    @Test
    void issuedTicketFollowsTheSpecDerivation() throws Exception {
        TicketIssuerKey server = TicketIssuerKey.generate();
        Instant now = Instant.parse("2026-11-27T10:30:00Z");
        AccessTicket t = AccessTicket.issue(server.ticketKey(), now);
        byte[] wire = t.encode();
        assertThat(wire[0]).isEqualTo((byte) 1);
        assertThat(wire.length - AccessTicket.FIXED_LENGTH).isBetween(24, 64);
        long hour = now.getEpochSecond() / 3600;
        byte[] shared = X25519.sharedSecret(server.keyPair().privateKey(), t.clientPublic());
        byte[] salt = Hashes.sha256("betanet-ticket-v1".getBytes(StandardCharsets.US_ASCII), server.keyId(),
                ByteBuffer.allocate(8).putLong(hour).array());
        assertThat(t.accessTicket()).isEqualTo(Hkdf.sha256(shared, salt, new byte[0], 32));
        assertThat(t.keyId()).isEqualTo(server.keyId());
    }

    @Test
    void parserNamesTheTruncatedField() {
        assertThatThrownBy(() -> AccessTicket.parse(new byte[] {1, 2, 3})).hasMessageContaining("cliPub at offset 3");
        assertThatThrownBy(() -> AccessTicket.parse(new byte[] {2})).hasMessageContaining("version at offset 0");
        byte[] tooLong = new byte[AccessTicket.FIXED_LENGTH + 65];
        tooLong[0] = 1;
        assertThatThrownBy(() -> AccessTicket.parse(tooLong)).hasMessageContaining("padding at offset 105");
    }

    @Test
    void policyParsesFormatsAndPicksByWeight() throws Exception {
        TicketPolicy p = TicketPolicy.parse("v1; carriers=cookie:0.5,query:0.3,body:0.2; len=24..64");
        assertThat(p).isEqualTo(TicketPolicy.DEFAULT);
        assertThat(TicketPolicy.parse(p.format())).isEqualTo(p);
        SplittableRandom r = new SplittableRandom(1);
        Map<TicketCarrier, Integer> counts = new java.util.EnumMap<>(TicketCarrier.class);
        for (int i = 0; i < 10_000; i++) {
            counts.merge(p.pickCarrier(r), 1, Integer::sum);
            assertThat(p.pickPadding(r)).isBetween(24, 64);
        }
        assertThat(counts.get(TicketCarrier.COOKIE)).isBetween(4700, 5300);
        assertThat(counts.get(TicketCarrier.QUERY)).isBetween(2700, 3300);
        assertThat(counts.get(TicketCarrier.BODY)).isBetween(1700, 2300);
        assertThatThrownBy(() -> TicketPolicy.parse("v2; carriers=cookie:1; len=1..2")).isInstanceOf(TicketFormatException.class);
        assertThatThrownBy(() -> TicketPolicy.parse("v1; carriers=pigeon:1; len=1..2")).isInstanceOf(TicketFormatException.class);
        assertThatThrownBy(() -> TicketPolicy.parse("v1; carriers=cookie:1; len=1..99")).isInstanceOf(TicketFormatException.class);
    }

    @Property(tries = 500)
    void policyParserNeverCrashes(@ForAll @Size(max = 80) String s) {
        try {
            TicketPolicy.parse("v1; " + s);
        } catch (TicketFormatException expected) {
            assertThat(expected.getMessage()).contains("at offset");
        }
    }
}
