package org.aivillage.bench.vault;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.aivillage.betanet.crypto.Aead;
import org.aivillage.betanet.crypto.AuthenticationFailedException;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.vault.RecordCipher;

/**
 * What {@link RecordCipher#AUTO}'s size threshold rests on: the CPU time of opening one record
 * the way the vault does (a fresh AEAD object from the data key, then open), XChaCha20-Poly1305
 * against AES-256-GCM, per record size. Best of 5 slices of 200 ms after a warm-up round.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp apps/bench/target/benchmarks.jar \
 *     org.aivillage.bench.vault.RecordCipherDriver [size ...]      # default 256 1024 4096 16384 65536
 * </pre>
 */
public final class RecordCipherDriver {
    private RecordCipherDriver() {}

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {256, 1024, 4096, 16384, 65536}
                : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        System.out.println("AES instructions in use: " + RecordCipher.hardwareAes() + "; AUTO uses AES-256-GCM from "
                + RecordCipher.AUTO_GCM_FROM + " B");
        System.out.printf("%8s %22s %22s %10s%n", "size", "XChaCha20-Poly1305 us", "AES-256-GCM us", "AUTO picks");
        for (int round = 0; round < 2; round++) {
            for (int size : sizes) {
                double x = openCost(Aead.Algorithm.XCHACHA20_POLY1305, size, cpu);
                double g = openCost(Aead.Algorithm.AES_256_GCM, size, cpu);
                if (round == 1) {
                    System.out.printf("%8d %22.2f %22.2f %10s%n", size, x, g, RecordCipher.AUTO.forRecord(size));
                }
            }
        }
    }

    private static double openCost(Aead.Algorithm alg, int size, ThreadMXBean cpu) throws AuthenticationFailedException {
        byte[] key = Randomness.bytes(32);
        byte[] aad = new byte[60];
        byte[] nonce = Randomness.bytes(alg.nonceLength());
        byte[] plain = new byte[size];
        byte[] sealed = new byte[size + Aead.TAG_LENGTH];
        Aead a = alg.withKey(key);
        a.seal(nonce, aad, plain, 0, size, sealed, 0);
        a.destroy();
        double best = Double.MAX_VALUE;
        for (int slice = 0; slice < 5; slice++) {
            long wall = System.nanoTime();
            long t0 = cpu.getCurrentThreadCpuTime();
            int n = 0;
            while (System.nanoTime() - wall < 200_000_000L) {
                Aead b = alg.withKey(key);
                b.open(nonce, aad, sealed, 0, sealed.length, plain, 0);
                b.destroy();
                n++;
            }
            best = Math.min(best, (cpu.getCurrentThreadCpuTime() - t0) / 1e3 / n);
        }
        return best;
    }
}
