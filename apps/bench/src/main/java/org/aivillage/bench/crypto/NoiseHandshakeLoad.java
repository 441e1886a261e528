package org.aivillage.bench.crypto;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.noise.HandshakeState;
import org.aivillage.betanet.noise.NoiseException;
import org.aivillage.betanet.noise.NoiseProtocol;
import org.aivillage.betanet.noise.Role;

/**
 * A load driver for complete Noise XK handshakes (both sides per handshake) that reports the rate
 * per second of wall time and per second of thread CPU time. On a shared machine the CPU-time
 * figure is the per-core capacity; JMH's wall-clock score also counts time the thread waited for
 * a core. It also measures the X25519 operations alone, which bound the handshake rate.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp apps/bench/target/benchmarks.jar \
 *     org.aivillage.bench.crypto.NoiseHandshakeLoad [seconds] [threads] [protocol]</pre>
 */
public final class NoiseHandshakeLoad {
    private NoiseHandshakeLoad() {}

    private record Result(long handshakes, long cpuNanos) {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        NoiseProtocol protocol = NoiseProtocol.parse(args.length > 2 ? args[2] : "Noise_XK_25519_ChaChaPoly_SHA256");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        KeyPair si = X25519.generateKeyPair();
        KeyPair sr = X25519.generateKeyPair();

        // Warm-up, then the X25519 floor: 6 variable-base DH + 2 fixed-base key generations per XK handshake.
        run(protocol, si, sr, Math.min(3, seconds / 2), mx);
        long dhCpu = cpu(mx, () -> {
            byte[] p = X25519.generateKeyPair().publicKey();
            byte[] k = X25519.generateKeyPair().privateKey();
            for (int i = 0; i < 3000; i++) {
                X25519.sharedSecret(k, p);
            }
        }) / 3000;
        long genCpu = cpu(mx, () -> {
            for (int i = 0; i < 3000; i++) {
                X25519.generateKeyPair();
            }
        }) / 3000;

        long wall0 = System.nanoTime();
        List<Future<Result>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit((Callable<Result>) () -> run(protocol, si, sr, seconds, mx)));
            }
            long total = 0;
            long cpuTotal = 0;
            for (Future<Result> f : futures) {
                Result r = f.get();
                total += r.handshakes();
                cpuTotal += r.cpuNanos();
            }
            double wall = (System.nanoTime() - wall0) / 1e9;
            double perCpuSecond = total / (cpuTotal / 1e9);
            double floorMicros = (6 * dhCpu + 2 * genCpu) / 1e3;
            System.out.printf(Locale.ROOT, "%s, %d thread(s), %.1f s, X25519 on %s%n", protocol.name(), threads, wall,
                    X25519.implementation());
            System.out.printf(Locale.ROOT, "handshakes (both sides): %d%n", total);
            System.out.printf(Locale.ROOT, "per second of wall time: %.0f%n", total / wall);
            System.out.printf(Locale.ROOT, "per second of CPU time (per core): %.0f  (%.1f us CPU per handshake)%n",
                    perCpuSecond, 1e6 / perCpuSecond);
            System.out.printf(Locale.ROOT, "X25519 CPU: DH %.1f us, key generation %.1f us; 6 DH + 2 keygen = %.1f us "
                    + "(%.0f%% of a handshake, ceiling %.0f handshakes per CPU second)%n",
                    dhCpu / 1e3, genCpu / 1e3, floorMicros, 100 * floorMicros / (1e6 / perCpuSecond), 1e6 / floorMicros);
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static long cpu(ThreadMXBean mx, Work w) throws Exception {
        long c0 = mx.getCurrentThreadCpuTime();
        w.run();
        return mx.getCurrentThreadCpuTime() - c0;
    }

    private static Result run(NoiseProtocol protocol, KeyPair si, KeyPair sr, double seconds, ThreadMXBean mx)
            throws NoiseException {
        byte[] empty = new byte[0];
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long cpu0 = mx.getCurrentThreadCpuTime();
        long n = 0;
        while (System.nanoTime() < end) {
            for (int k = 0; k < 20; k++) {
                HandshakeState i = HandshakeState.builder(protocol, Role.INITIATOR).localStatic(si)
                        .remoteStatic(sr.publicKey()).build();
                HandshakeState r = HandshakeState.builder(protocol, Role.RESPONDER).localStatic(sr).build();
                r.readMessage(i.writeMessage(empty));
                i.readMessage(r.writeMessage(empty));
                r.readMessage(i.writeMessage(empty));
                i.split().close();
                r.split().close();
                n++;
            }
        }
        return new Result(n, mx.getCurrentThreadCpuTime() - cpu0);
    }
}
