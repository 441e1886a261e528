package org.aivillage.bench.mixnet;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.aivillage.betanet.crypto.ChaCha20Stream;
import org.aivillage.betanet.crypto.HmacSha256;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.mixnode.Hop;
import org.aivillage.betanet.mixnode.RouteId;
import org.aivillage.betanet.mixnode.Sphinx;
import org.aivillage.betanet.mixnode.internal.Kdf;
import org.aivillage.betanet.mixnode.internal.Lioness;
import org.aivillage.betanet.mixnode.internal.TagTable;

/**
 * Per-step CPU cost of one Sphinx relay unwrap (docs/benchmarks.md, Mixnet), single thread, thread CPU
 * time, over 4,096 distinct packets so the data is not all in cache: each step of {@link Sphinx#process}
 * run alone with the same primitives and sizes, the whole unwrap, and the v1 key schedule for comparison.
 * {@code java -cp benchmarks.jar org.aivillage.bench.mixnet.SphinxSteps [rounds]}
 */
public final class SphinxSteps {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final int N = 40_000;
    private static volatile Object sink;

    @FunctionalInterface
    private interface Op {
        void run() throws Exception;
    }

    private SphinxSteps() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        KeyPair k = X25519.generateKeyPair();
        KeyPair k2 = X25519.generateKeyPair();
        List<Hop> path = List.of(new Hop(RouteId.forIdentityKey(k.publicKey()), k.publicKey(), 3, 0),
                new Hop(RouteId.forIdentityKey(k2.publicKey()), k2.publicKey(), 3, 0));
        byte[][] packets = new byte[4096][];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = Sphinx.createPacket(path, Sphinx.Command.DELIVER, RouteId.random(), new byte[100],
                    Sphinx.RandomSource.SECURE);
        }
        Sphinx.KeyRing ring = phase -> phase == 3 ? k : null;
        byte[] salt = "betanet-sphinx-v2".getBytes(StandardCharsets.US_ASCII);
        byte[] label = "betanet-sphinx-v3".getBytes(StandardCharsets.US_ASCII);
        byte[] info = new byte[64];
        byte[] ct = new byte[32];
        byte[] pk = new byte[32];
        byte[] dh = X25519.sharedSecret(k.privateKey(), Arrays.copyOfRange(packets[0], 2, 34));
        byte[] key32 = Arrays.copyOf(dh, 32);
        byte[] lionessKey = new byte[Lioness.KEY_LENGTH];
        int[] next = {0};
        System.out.printf("Sphinx relay unwrap, per step, single thread, CPU time (us), X25519: %s%n", X25519.implementation());
        for (int r = 0; r < rounds; r++) {
            double x = per(N / 4, () -> sink = X25519.sharedSecret(k.privateKey(), Arrays.copyOfRange(pick(packets, next), 2, 34)));
            double seed = per(N, () -> sink = Kdf.seed(dh, label, ct, pk));
            double v2Seed = per(N, () -> sink = Kdf.hkdf(salt, dh, info, 32));
            double stream = per(N, () -> {
                byte[] w = new byte[192 + 490];
                System.arraycopy(pick(packets, next), 34, w, 192, 420);
                Kdf.stream(key32, w, 0, w.length);
                sink = w;
            });
            double mac = per(N, () -> {
                byte[] out = new byte[32];
                HmacSha256.mac(key32, pick(packets, next), 0, 454, out, 0);
                sink = out;
            });
            double lioness = per(N, () -> {
                byte[] out = new byte[Sphinx.PACKET_LENGTH];
                System.arraycopy(pick(packets, next), Sphinx.HEADER_LENGTH, out, Sphinx.HEADER_LENGTH, Sphinx.PAYLOAD_LENGTH);
                Lioness.decrypt(lionessKey, 0, out, Sphinx.HEADER_LENGTH, Sphinx.PAYLOAD_LENGTH);
                sink = out;
            });
            double process = per(N / 4, () -> sink = Sphinx.process(pick(packets, next), ring));
            TagTable tags = new TagTable(1 << 22);
            Random rnd = new Random(r);
            double tag = per(N, () -> tags.add(rnd.nextLong(), rnd.nextLong()));
            double v1Kdf = per(N, () -> sink = Kdf.hkdf(salt, dh, info, 208));
            double v1Stream = per(N, () -> {
                byte[] b = new byte[490];
                System.arraycopy(pick(packets, next), 34, b, 0, 420);
                ChaCha20Stream.xorInPlace(key32, b, 0, b.length);
                sink = b;
            });
            System.out.printf("round %d: X25519 %.2f | v3 seed (SP 800-56C one-step SHA-256) %.2f | key block + beta stream (ChaCha20, 682 B) %.2f"
                            + " | header MAC (HMAC-SHA256, 454 B) %.2f | payload copy + LIONESS decrypt (1578 B) %.2f"
                            + " | replay TagTable.add %.2f | whole Sphinx.process %.2f = X25519 + %.2f (%.3fx)"
                            + " || for comparison: v2 seed (HKDF-SHA256, 32 B) %.2f; v1 HKDF-SHA256 208 B %.2f + beta stream (490 B) %.2f%n",
                    r, x, seed, stream, mac, lioness, tag, process, process - x, process / x, v2Seed, v1Kdf, v1Stream);
        }
    }

    private static byte[] pick(byte[][] packets, int[] next) {
        return packets[next[0]++ & (packets.length - 1)];
    }

    private static double per(int n, Op op) throws Exception {
        for (int i = 0; i < n / 2; i++) {
            op.run();
        }
        long t0 = MX.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            op.run();
        }
        return (MX.getCurrentThreadCpuTime() - t0) / 1e3 / n;
    }
}
