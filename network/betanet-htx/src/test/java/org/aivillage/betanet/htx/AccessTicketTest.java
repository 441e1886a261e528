package org.aivillage.betanet.htx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import static org.quicktheories.generators.SourceDSL.strings;

import org.aivillage.testkit.Gens;
import org.quicktheories.core.Gen;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.Hkdf;
import org.aivillage.betanet.crypto.X25519;
import org.junit.jupiter.api.Test;

class AccessTicketTest {

    static Gen<AccessTicket> tickets() {
        Gen<byte[]> b32 = Gens.bytesOfLength(32);
        return b32.zip(Gens.bytesOfLength(8), b32, b32, Gens.bytes(64), AccessTicket::new);
    }

    @Test
    void roundTrip() {
        Props.forAll(1000, tickets(), t -> {
            assertThat(AccessTicket.parse(t.encode())).isEqualTo(t);
            assertThat(AccessTicket.fromBase64Url(t.toBase64Url())).isEqualTo(t);
            assertThat(t.toBase64Url()).doesNotContain("=", "+", "/");
        });
    }

    @Test
    void randomBytesNeverCrashTheParser() {
        Props.forAll(3000, Gens.bytes(200), bytes -> {
            try {
                AccessTicket.parse(bytes);
            } catch (TicketFormatException expected) {
                assertThat(expected.getMessage()).contains("at offset");
            }
        });
    }

    @Test
    void randomStringsNeverCrashTheBase64Parser() {
        Props.forAll(1000, strings().allPossible().ofLengthBetween(0, 300), s -> {
            try {
                AccessTicket.fromBase64Url(s);
            } catch (TicketFormatException expected) {
                assertThat(expected.getMessage()).contains("at offset");
            }
        });
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

    @Test
    void policyParserNeverCrashes() {
        Props.forAll(1000, strings().allPossible().ofLengthBetween(0, 80), s -> {
            try {
                TicketPolicy.parse("v1; " + s);
            } catch (TicketFormatException expected) {
                assertThat(expected.getMessage()).contains("at offset");
            }
        });
    }
}
