package org.aivillage.betanet.noise;

import static org.aivillage.betanet.vectors.VectorFiles.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.vectors.VectorFiles;
import org.aivillage.betanet.vectors.VectorTally;
import org.junit.jupiter.api.Test;

/**
 * Every vector of the cacophony suite ({@code ../shared/vectors/noise/cacophony.txt}) except the
 * Curve448 ones (this implementation has no 448 DH; the brief and the issue scope it out). For each
 * vector both sides are built from the given static keys, ephemerals, prologues and psks; every
 * handshake message must equal the vector's ciphertext and decrypt to its payload on the other side;
 * the handshake hashes must equal the vector's; the transport messages after the handshake must
 * match too. A non-448 vector this implementation cannot parse fails the test.
 */
class CacophonyTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyNon448CacophonyVectorPasses() {
        JsonNode vectors = VectorFiles.json("noise/cacophony.txt").get("vectors");
        VectorTally tally = new VectorTally("noise/cacophony.txt");
        Set<String> patterns = new TreeSet<>();
        for (JsonNode v : vectors) {
            String name = v.get("protocol_name").asText();
            if (name.split("_")[2].equals("448")) {
                tally.excluded("Curve448 DH is not implemented (out of scope)");
                continue;
            }
            NoiseProtocol protocol;
            try {
                protocol = NoiseProtocol.parse(name);
            } catch (IllegalArgumentException e) {
                tally.failed(name, "unsupported: " + e.getMessage());
                continue;
            }
            patterns.add(protocol.pattern().name());
            try {
                String problem = run(protocol, v);
                if (problem == null) {
                    tally.ran(protocol.pattern().isOneWay() ? "one-way" : "interactive");
                } else {
                    tally.failed(name, problem);
                }
            } catch (NoiseException | RuntimeException e) {
                tally.failed(name, e.toString());
            }
        }
        int ran = tally.finish(vectors.size());
        System.out.printf("[vectors] cacophony: %d vectors over %d patterns %s%n", ran, patterns.size(), patterns);
        assertThat(ran).isEqualTo(472);
    }

    /** Runs one vector; returns null when it passes, else what differed. */
    private static String run(NoiseProtocol protocol, JsonNode v) throws NoiseException {
        HandshakeState init = side(protocol, Role.INITIATOR, v, "init_");
        HandshakeState resp = side(protocol, Role.RESPONDER, v, "resp_");
        boolean oneWay = protocol.pattern().isOneWay();
        int handshakeMessages = protocol.pattern().messages().size();
        TransportState ti = null;
        TransportState tr = null;
        int i = 0;
        for (JsonNode m : v.get("messages")) {
            byte[] payload = hex(m, "payload");
            byte[] expected = hex(m, "ciphertext");
            boolean fromInitiator = oneWay || i % 2 == 0;
            byte[] ct;
            byte[] got;
            if (i < handshakeMessages) {
                HandshakeState w = fromInitiator ? init : resp;
                HandshakeState r = fromInitiator ? resp : init;
                ct = w.writeMessage(payload);
                got = r.readMessage(ct);
                if (i == handshakeMessages - 1) {
                    if (!init.isComplete() || !resp.isComplete()) {
                        return "handshake not complete after " + handshakeMessages + " messages";
                    }
                    byte[] h = hex(v, "handshake_hash");
                    if (!java.util.Arrays.equals(init.handshakeHash(), h) || !java.util.Arrays.equals(resp.handshakeHash(), h)) {
                        return "handshake hash " + HEX.formatHex(init.handshakeHash());
                    }
                    ti = init.split();
                    tr = resp.split();
                }
            } else {
                TransportState w = fromInitiator ? ti : tr;
                TransportState r = fromInitiator ? tr : ti;
                ct = w.writeMessage(payload);
                got = r.readMessage(ct);
            }
            if (!java.util.Arrays.equals(ct, expected)) {
                return "message " + i + " ciphertext " + HEX.formatHex(ct);
            }
            if (!java.util.Arrays.equals(got, payload)) {
                return "message " + i + " payload did not round-trip";
            }
            i++;
        }
        if (i <= handshakeMessages) {
            return "vector has no transport messages";
        }
        return null;
    }

    private static HandshakeState side(NoiseProtocol protocol, Role role, JsonNode v, String prefix) {
        HandshakeState.Builder b = HandshakeState.builder(protocol, role).prologue(hex(v, prefix + "prologue"));
        if (v.has(prefix + "static")) {
            b.localStatic(protocol.dh().keyPair(hex(v, prefix + "static")));
        }
        if (v.has(prefix + "ephemeral")) {
            KeyPair e = protocol.dh().keyPair(hex(v, prefix + "ephemeral"));
            b.fixedEphemeral(e);
        }
        if (v.has(prefix + "remote_static")) {
            b.remoteStatic(hex(v, prefix + "remote_static"));
        }
        if (v.has(prefix + "psks")) {
            List<byte[]> psks = new ArrayList<>();
            for (JsonNode p : v.get(prefix + "psks")) {
                psks.add(HEX.parseHex(p.asText()));
            }
            b.psks(psks);
        }
        return b.build();
    }
}
