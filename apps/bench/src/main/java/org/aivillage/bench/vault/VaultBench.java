package org.aivillage.bench.vault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.aivillage.vault.RecordCipher;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.vault.DigitalTwin;
import org.aivillage.vault.MasterKeySource;
import org.aivillage.vault.PrivacyLevel;
import org.aivillage.vault.TwinVault;
import org.aivillage.vault.VaultConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.sqlite.SQLiteConfig;

/**
 * Twin vault against raw SQLite in the same run: the vault's encrypted, versioned, audited writes
 * and reads versus plain INSERT/SELECT of a blob of the same size into a table with the same
 * settings (WAL, synchronous=NORMAL, mmap, no generated keys, one transaction per write), and the
 * speed of decrypting a twin's history. Goal: vault ≥ 0.5× raw.
 *
 * <pre>
 * java -cp ... org.openjdk.jmh.Main 'org.aivillage.bench.vault.VaultBench' -f 1 -wi 2 -i 3 -w 2s -r 3s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class VaultBench {
    /** Size of the twin's JSON data (and of the raw blob). */
    @Param({"256", "4096", "65536"})
    int size;

    @Param({"AUTO", "XCHACHA20_POLY1305", "AES_256_GCM"})
    String cipher;

    static final int READ_SET = 512;
    static final int HISTORY = 200;

    Path dir;
    TwinVault vault;
    Connection raw;
    PreparedStatement rawInsert;
    PreparedStatement rawSelect;
    PreparedStatement rawScan;
    /** Raw SQLite with only the durability settings (WAL, synchronous=NORMAL) and driver defaults. */
    Connection rawDefaults;
    PreparedStatement rawDefaultsInsert;
    PreparedStatement rawDefaultsSelect;
    PreparedStatement rawDefaultsScan;
    String data;
    byte[] blob;
    long next;
    final Random random = new Random(7);
    DigitalTwin historyHead;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("vault-bench");
        VaultConfig cfg = new VaultConfig(dir.resolve("vault"), new MasterKeySource.RawKey(Randomness.bytes(32)), true, false,
                RecordCipher.valueOf(cipher));
        vault = TwinVault.open(cfg);
        data = json(size, new Random(1));
        blob = data.getBytes(java.nio.charset.StandardCharsets.UTF_8);

        SQLiteConfig sc = new SQLiteConfig();
        sc.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sc.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        // The driver and SQLite settings the vault uses (it also checkpoints on a background
        // connection; raw SQLite here checkpoints in the inserting thread, SQLite's default).
        sc.setGetGeneratedKeys(false);
        sc.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(256L << 20));
        raw = sc.createConnection("jdbc:sqlite:" + dir.resolve("raw.db"));
        SQLiteConfig dc = new SQLiteConfig();
        dc.setJournalMode(SQLiteConfig.JournalMode.WAL);
        dc.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        rawDefaults = dc.createConnection("jdbc:sqlite:" + dir.resolve("raw-defaults.db"));
        for (Connection c : new Connection[] {raw, rawDefaults}) {
            c.createStatement().execute("CREATE TABLE t(id TEXT PRIMARY KEY, owner TEXT, version INTEGER, data BLOB)");
            c.createStatement().execute("CREATE TABLE h(id TEXT, version INTEGER, data BLOB, PRIMARY KEY(id, version))");
        }
        rawInsert = raw.prepareStatement("INSERT INTO t(id, owner, version, data) VALUES (?, 'bench', 1, ?)");
        rawSelect = raw.prepareStatement("SELECT data FROM t WHERE id = ?");
        rawScan = raw.prepareStatement("SELECT data FROM h WHERE id = 'hist' ORDER BY version");
        rawDefaultsInsert = rawDefaults.prepareStatement("INSERT INTO t(id, owner, version, data) VALUES (?, 'bench', 1, ?)");
        rawDefaultsSelect = rawDefaults.prepareStatement("SELECT data FROM t WHERE id = ?");
        rawDefaultsScan = rawDefaults.prepareStatement("SELECT data FROM h WHERE id = 'hist' ORDER BY version");

        for (int i = 0; i < READ_SET; i++) {
            vault.storeTwin("bench", DigitalTwin.create("r" + i, "bench", data, PrivacyLevel.PRIVATE));
            for (PreparedStatement ins : new PreparedStatement[] {rawInsert, rawDefaultsInsert}) {
                ins.setString(1, "r" + i);
                ins.setBytes(2, blob);
                ins.executeUpdate();
            }
        }
        DigitalTwin h = vault.storeTwin("bench", DigitalTwin.create("hist", "bench", data, PrivacyLevel.PRIVATE)).twin();
        PreparedStatement hi = raw.prepareStatement("INSERT INTO h(id, version, data) VALUES ('hist', ?, ?)");
        PreparedStatement hd = rawDefaults.prepareStatement("INSERT INTO h(id, version, data) VALUES ('hist', ?, ?)");
        for (int v = 1; v <= HISTORY; v++) {
            String d = json(size, new Random(v));
            if (v > 1) {
                h = vault.updateTwin("bench", h.withData(d)).twin();
            }
            for (PreparedStatement ins : new PreparedStatement[] {hi, hd}) {
                ins.setInt(1, v);
                ins.setBytes(2, d.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                ins.executeUpdate();
            }
        }
        hi.close();
        hd.close();
        historyHead = h;
        vault.flushAudit();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, SQLException {
        vault.close();
        raw.close();
        rawDefaults.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A JSON object of about {@code size} bytes of random text (compresses poorly, like real data would after all). */
    static String json(int size, Random r) {
        StringBuilder sb = new StringBuilder(size + 64).append("{\"profile\":{\"name\":\"bench\",\"n\":").append(r.nextInt(1000))
                .append("},\"notes\":\"");
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";
        while (sb.length() < size - 2) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.append("\"}").toString();
    }

    @Benchmark
    public Object vaultStore() {
        return vault.storeTwin("bench", DigitalTwin.create("w" + (next++), "bench", data, PrivacyLevel.PRIVATE));
    }

    @Benchmark
    public int rawInsert() throws SQLException {
        rawInsert.setString(1, "w" + (next++));
        rawInsert.setBytes(2, blob);
        return rawInsert.executeUpdate();
    }

    @Benchmark
    public int rawDefaultsInsert() throws SQLException {
        rawDefaultsInsert.setString(1, "w" + (next++));
        rawDefaultsInsert.setBytes(2, blob);
        return rawDefaultsInsert.executeUpdate();
    }

    @Benchmark
    public Object vaultGet() {
        return vault.getTwin("bench", "r" + random.nextInt(READ_SET));
    }

    @Benchmark
    public Object rawSelect() throws SQLException {
        rawSelect.setString(1, "r" + random.nextInt(READ_SET));
        try (ResultSet rs = rawSelect.executeQuery()) {
            rs.next();
            // Decode as the vault does, so both return a String of the data.
            return new String(rs.getBytes(1), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    public Object rawDefaultsSelect() throws SQLException {
        rawDefaultsSelect.setString(1, "r" + random.nextInt(READ_SET));
        try (ResultSet rs = rawDefaultsSelect.executeQuery()) {
            rs.next();
            return new String(rs.getBytes(1), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Decrypts all {@value #HISTORY} versions of one twin; the score × 200 = versions per second. */
    @Benchmark
    public long vaultHistoryScan(Blackhole bh) {
        return vault.scanHistory("bench", "hist", 1, bh::consume);
    }

    @Benchmark
    public long rawHistoryScan(Blackhole bh) throws SQLException {
        long n = 0;
        try (ResultSet rs = rawScan.executeQuery()) {
            while (rs.next()) {
                bh.consume(new String(rs.getBytes(1), java.nio.charset.StandardCharsets.UTF_8));
                n++;
            }
        }
        return n;
    }

    @Benchmark
    public long rawDefaultsHistoryScan(Blackhole bh) throws SQLException {
        long n = 0;
        try (ResultSet rs = rawDefaultsScan.executeQuery()) {
            while (rs.next()) {
                bh.consume(new String(rs.getBytes(1), java.nio.charset.StandardCharsets.UTF_8));
                n++;
            }
        }
        return n;
    }
}
