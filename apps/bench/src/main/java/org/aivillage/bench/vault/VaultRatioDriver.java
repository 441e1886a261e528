package org.aivillage.bench.vault;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.vault.DigitalTwin;
import org.aivillage.vault.MasterKeySource;
import org.aivillage.vault.PrivacyLevel;
import org.aivillage.vault.RecordCipher;
import org.aivillage.vault.TwinVault;
import org.aivillage.vault.VaultConfig;
import org.sqlite.SQLiteConfig;

/**
 * Vault against raw SQLite on a shared, busy machine: the same operations as {@link VaultBench}
 * (vault store/get, raw insert/select with the tuned settings), run in one JVM in short
 * alternating slices (vault, raw, raw, vault, ...), so both sides see the same background load;
 * prints the median rate of each and the median of the per-round ratios. A load driver, not a JMH
 * benchmark: use it when JMH's separate forks minutes apart measure the neighbours more than the
 * code.
 *
 * <pre>
 * java -cp apps/bench/target/benchmarks.jar org.aivillage.bench.vault.VaultRatioDriver [size ...]
 *   (system properties: rounds=40, sliceMs=150, cipher=AUTO (the vault's default) | AES_256_GCM | XCHACHA20_POLY1305)
 * </pre>
 */
public final class VaultRatioDriver {
    private interface Op {
        void run() throws Exception;
    }

    private VaultRatioDriver() {}

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 40);
        long sliceNs = Long.getLong("sliceMs", 150) * 1_000_000L;
        RecordCipher cipher = RecordCipher.valueOf(System.getProperty("cipher", "AUTO"));
        System.out.println("record cipher " + cipher + (cipher == RecordCipher.AUTO ? " (AES instructions: " + RecordCipher.hardwareAes() + ")" : ""));
        int[] sizes = args.length == 0 ? new int[] {256, 4096, 65536} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int size : sizes) {
            run(size, cipher, rounds, sliceNs);
        }
    }

    private static void run(int size, RecordCipher cipher, int rounds, long sliceNs) throws Exception {
        Path dir = Files.createTempDirectory("vault-ratio");
        String data = VaultBench.json(size, new Random(1));
        byte[] blob = data.getBytes(StandardCharsets.UTF_8);
        SQLiteConfig sc = new SQLiteConfig();
        sc.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sc.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sc.setGetGeneratedKeys(false);
        sc.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(256L << 20));
        try (TwinVault vault = TwinVault.open(new VaultConfig(dir.resolve("vault"), new MasterKeySource.RawKey(Randomness.bytes(32)),
                true, false, cipher));
                Connection raw = sc.createConnection("jdbc:sqlite:" + dir.resolve("raw.db"))) {
            raw.createStatement().execute("CREATE TABLE t(id TEXT PRIMARY KEY, owner TEXT, version INTEGER, data BLOB)");
            PreparedStatement ins = raw.prepareStatement("INSERT INTO t(id, owner, version, data) VALUES (?, 'bench', 1, ?)");
            PreparedStatement sel = raw.prepareStatement("SELECT data FROM t WHERE id = ?");
            for (int i = 0; i < VaultBench.READ_SET; i++) {
                vault.storeTwin("bench", DigitalTwin.create("r" + i, "bench", data, PrivacyLevel.PRIVATE));
                ins.setString(1, "r" + i);
                ins.setBytes(2, blob);
                ins.executeUpdate();
            }
            vault.flushAudit();
            Random random = new Random(7);
            long[] next = {0};
            Op vaultStore = () -> vault.storeTwin("bench", DigitalTwin.create("w" + (next[0]++), "bench", data, PrivacyLevel.PRIVATE));
            Op rawInsert = () -> {
                ins.setString(1, "w" + (next[0]++));
                ins.setBytes(2, blob);
                ins.executeUpdate();
            };
            Op vaultGet = () -> vault.getTwin("bench", "r" + random.nextInt(VaultBench.READ_SET));
            Op rawSelect = () -> {
                sel.setString(1, "r" + random.nextInt(VaultBench.READ_SET));
                try (ResultSet rs = sel.executeQuery()) {
                    rs.next();
                    if (new String(rs.getBytes(1), StandardCharsets.UTF_8).isEmpty()) {
                        throw new SQLException("empty row");
                    }
                }
            };
            report("writes", size, compare(vaultStore, rawInsert, rounds, sliceNs));
            report("reads ", size, compare(vaultGet, rawSelect, rounds, sliceNs));
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Rates (ops/s) of a and b per round, a and b alternating which goes first; the first 5 rounds warm up. */
    private static double[][] compare(Op a, Op b, int rounds, long sliceNs) throws Exception {
        List<double[]> out = new ArrayList<>();
        for (int r = 0; r < rounds + 5; r++) {
            double ra;
            double rb;
            if (r % 2 == 0) {
                ra = slice(a, sliceNs);
                rb = slice(b, sliceNs);
            } else {
                rb = slice(b, sliceNs);
                ra = slice(a, sliceNs);
            }
            if (r >= 5) {
                out.add(new double[] {ra, rb});
            }
        }
        return out.toArray(double[][]::new);
    }

    private static double slice(Op op, long ns) throws Exception {
        long start = System.nanoTime();
        long n = 0;
        long now;
        do {
            op.run();
            n++;
            now = System.nanoTime();
        } while (now - start < ns);
        return n * 1e9 / (now - start);
    }

    private static void report(String what, int size, double[][] rates) {
        double[] a = Arrays.stream(rates).mapToDouble(x -> x[0]).sorted().toArray();
        double[] b = Arrays.stream(rates).mapToDouble(x -> x[1]).sorted().toArray();
        double[] ratio = Arrays.stream(rates).mapToDouble(x -> x[0] / x[1]).sorted().toArray();
        System.out.printf("%s %6d B: vault %,9.0f/s  raw %,9.0f/s  ratio median %.2f (quartiles %.2f-%.2f, %d rounds)%n", what, size,
                median(a), median(b), median(ratio), ratio[ratio.length / 4], ratio[ratio.length * 3 / 4], ratio.length);
    }

    private static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }
}
