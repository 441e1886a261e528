package org.aivillage.betanet.mixnode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.X25519;

/**
 * The known-answer vectors in src/test/resources/sphinx-vectors.txt: fixed node keys, fixed
 * construction randomness, the resulting bytes. {@link #main} regenerates the file's content (run it
 * only when the format changes on purpose); {@link SphinxKnownAnswerTest} checks it.
 */
final class SphinxVectors {
    static final HexFormat HEX = HexFormat.of();

    /** One vector: inputs and the outputs they must give. */
    record Case(String name, byte[] seed, List<byte[]> nodeKeys, List<Integer> delays, List<Integer> phases,
                boolean surb, byte[] message, Map<String, String> outputs) {}

    static byte[] nodeKey(int i) {
        return Hashes.sha256(("sphinx-kat node " + i).getBytes(StandardCharsets.US_ASCII));
    }

    static List<Hop> path(List<byte[]> keys, List<Integer> delays, List<Integer> phases) {
        List<Hop> path = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            byte[] pub = X25519.publicKey(keys.get(i));
            path.add(new Hop(RouteId.forIdentityKey(pub), pub, phases.get(i), delays.get(i)));
        }
        return path;
    }

    static Sphinx.KeyRing ring(byte[] priv, int phase) {
        KeyPair kp = new KeyPair(priv, X25519.publicKey(priv));
        return p -> p == phase ? kp : null;
    }

    /** Computes every output of a case from its inputs. */
    static Map<String, String> compute(byte[] seed, List<byte[]> keys, List<Integer> delays, List<Integer> phases,
                                       boolean surb, byte[] message) throws SphinxException {
        Map<String, String> out = new LinkedHashMap<>();
        DeterministicRandom rnd = new DeterministicRandom(seed);
        List<Hop> path = path(keys, delays, phases);
        byte[] packet;
        SurbSecrets secrets = null;
        if (surb) {
            Sphinx.SurbAndSecrets s = Sphinx.createSurb(path, RouteId.of(Hashes.sha256(seed), 0), rnd);
            out.put("surb_block", HEX.formatHex(s.surb().encode()));
            secrets = s.secrets();
            packet = Sphinx.packetFromSurb(s.surb(), message);
        } else {
            packet = Sphinx.createPacket(path, Sphinx.Command.DELIVER, RouteId.of(new byte[16]), message, rnd);
        }
        out.put("packet", HEX.formatHex(packet));
        for (int i = 0; i < keys.size(); i++) {
            Processed p = Sphinx.process(packet, ring(keys.get(i), phases.get(i)));
            out.put("hop." + i + ".replay_tag", HEX.formatHex(p.replayTag()));
            switch (p) {
                case Processed.Relay r -> {
                    out.put("hop." + i + ".next", r.next().toString());
                    out.put("hop." + i + ".delay_ms", Integer.toString(r.delayMillis()));
                    out.put("hop." + i + ".out_sha256", HEX.formatHex(Hashes.sha256(r.packet())));
                    packet = r.packet();
                }
                case Processed.Deliver d -> out.put("delivered", HEX.formatHex(trim(d.message(), message.length)));
                case Processed.SurbReply s -> {
                    out.put("surb_id", s.surbId().toString());
                    out.put("reply", HEX.formatHex(trim(Sphinx.openReply(secrets, s.payload()), message.length)));
                }
                case Processed.Drop d -> out.put("dropped", d.address().toString());
            }
        }
        return out;
    }

    static byte[] trim(byte[] m, int len) {
        return java.util.Arrays.copyOf(m, len);
    }

    static List<Case> inputs() {
        List<Case> cases = new ArrayList<>();
        cases.add(input("forward-1-hop", 1, List.of(0), false, "one hop"));
        cases.add(input("forward-3-hops", 3, List.of(0, 25, 400), false, "hello, mixnet"));
        cases.add(input("forward-6-hops", 6, List.of(1, 2, 3, 4, 5, 6), false, "the longest path"));
        cases.add(input("surb-reply-4-hops", 4, List.of(10, 20, 30, 0), true, "a reply through a SURB"));
        return cases;
    }

    private static Case input(String name, int hops, List<Integer> delays, boolean surb, String message) {
        List<byte[]> keys = new ArrayList<>();
        List<Integer> phases = new ArrayList<>();
        for (int i = 0; i < hops; i++) {
            keys.add(nodeKey(i));
            phases.add(i % 2 == 0 ? 7 : 8);
        }
        byte[] seed = Hashes.sha256(("sphinx-kat seed " + name).getBytes(StandardCharsets.US_ASCII));
        return new Case(name, seed, keys, delays, phases, surb, message.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static void main(String[] args) throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append("# BetaNet Sphinx known-answer vectors, packet format v3 (docs/protocols/sphinx.md). Generated by SphinxVectors.main;\n");
        sb.append("# node private key i = SHA-256(\"sphinx-kat node \" + i); all randomness = ChaCha20 keystream of seed\n");
        sb.append("# (nonce = u32be(call index) || 0^8, counter 0), one call per random field in construction order.\n");
        for (Case c : inputs()) {
            sb.append("\ncase = ").append(c.name()).append('\n');
            sb.append("seed = ").append(HEX.formatHex(c.seed())).append('\n');
            sb.append("hops = ").append(c.nodeKeys().size()).append('\n');
            sb.append("delays_ms = ").append(join(c.delays())).append('\n');
            sb.append("key_phases = ").append(join(c.phases())).append('\n');
            sb.append("surb = ").append(c.surb()).append('\n');
            sb.append("message = ").append(HEX.formatHex(c.message())).append('\n');
            for (Map.Entry<String, String> e : compute(c.seed(), c.nodeKeys(), c.delays(), c.phases(), c.surb(),
                    c.message()).entrySet()) {
                sb.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
            }
        }
        System.out.print(sb);
    }

    private static String join(List<Integer> l) {
        return String.join(",", l.stream().map(String::valueOf).toList());
    }
}
