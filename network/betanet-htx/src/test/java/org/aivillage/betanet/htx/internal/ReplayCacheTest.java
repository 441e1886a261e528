package org.aivillage.betanet.htx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.aivillage.betanet.htx.AccessTicket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both kinds of (cliPub, hour) replay cache, and what only the database one promises. */
class ReplayCacheTest {
    static final Instant NOW = Instant.parse("2026-11-27T10:30:00Z");

    @TempDir
    Path dir;

    final AtomicLong millis = new AtomicLong(NOW.toEpochMilli());
    final Clock clock = new Clock() {
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId z) { return this; }
        @Override public Instant instant() { return Instant.ofEpochMilli(millis.get()); }
    };

    ReplayCache cache(String kind, int capacity) throws IOException {
        return kind.equals("memory") ? ReplayCache.inMemory(clock, capacity) : ReplayCache.open(dir.resolve("replay.db"), clock, capacity);
    }

    static byte[] pub(int i) {
        byte[] b = new byte[32];
        b[0] = (byte) i;
        b[1] = (byte) (i >> 8);
        b[31] = 9;
        return b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite"})
    void aPairIsAcceptedOnceUntilItsHourCanNoLongerBePresented(String kind) throws Exception {
        try (ReplayCache cache = cache(kind, 2)) {
            long hour = AccessTicket.hourOf(NOW);
            assertThat(cache.firstUse(pub(0), hour)).isEqualTo(ReplayCache.Result.FIRST_USE);
            assertThat(cache.firstUse(pub(0), hour + 1)).as("same key, next hour").isEqualTo(ReplayCache.Result.FIRST_USE);
            millis.addAndGet(Duration.ofMinutes(119).toMillis());
            assertThat(cache.firstUse(pub(0), hour)).isEqualTo(ReplayCache.Result.REPLAY);
            assertThat(cache.firstUse(pub(1), hour)).as("bound reached").isEqualTo(ReplayCache.Result.FULL);
            assertThat(cache.firstUse(pub(0), hour)).as("a known pair is a replay even when full").isEqualTo(ReplayCache.Result.REPLAY);
            millis.addAndGet(Duration.ofMinutes(31).toMillis()); // past hour+2 and 2 h for `hour`
            assertThat(cache.firstUse(pub(0), hour)).isEqualTo(ReplayCache.Result.FIRST_USE);
            assertThat(cache.size()).as("both earlier pairs have expired").isEqualTo(1);
        }
    }

    @Test
    void spentTicketsStayRefusedAfterARestart() throws Exception {
        long hour = AccessTicket.hourOf(NOW);
        try (ReplayCache first = cache("sqlite", 100)) {
            for (int i = 0; i < 50; i++) {
                assertThat(first.firstUse(pub(i), hour)).isEqualTo(ReplayCache.Result.FIRST_USE);
            }
        }
        millis.addAndGet(Duration.ofMinutes(90).toMillis());
        try (ReplayCache second = cache("sqlite", 100)) {
            assertThat(second.size()).isEqualTo(50);
            for (int i = 0; i < 50; i++) {
                assertThat(second.firstUse(pub(i), hour)).as("pair %d", i).isEqualTo(ReplayCache.Result.REPLAY);
            }
            assertThat(second.firstUse(pub(50), hour)).isEqualTo(ReplayCache.Result.FIRST_USE);
        }
        // Once they expire, a restart forgets them and the file sheds their rows.
        millis.addAndGet(Duration.ofHours(2).toMillis());
        try (ReplayCache third = cache("sqlite", 100)) {
            assertThat(third.size()).isZero();
            assertThat(rows(dir.resolve("replay.db"))).isZero();
        }
    }

    @Test
    void serversSharingTheFileRefuseEachOthersTickets() throws Exception {
        long hour = AccessTicket.hourOf(NOW);
        try (ReplayCache a = cache("sqlite", 1000); ReplayCache b = cache("sqlite", 1000)) {
            assertThat(a.firstUse(pub(7), hour)).isEqualTo(ReplayCache.Result.FIRST_USE);
            assertThat(b.firstUse(pub(7), hour)).isEqualTo(ReplayCache.Result.REPLAY);
            assertThat(b.firstUse(pub(8), hour)).isEqualTo(ReplayCache.Result.FIRST_USE);
            assertThat(a.firstUse(pub(8), hour)).isEqualTo(ReplayCache.Result.REPLAY);
        }
    }

    @Test
    void aFileThatIsNotAReplayDatabaseIsRefusedAndLeftAsItWas() throws Exception {
        Path notDb = dir.resolve("notes.txt");
        byte[] content = "these are somebody's notes, not a database\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(notDb, content);
        assertThatThrownBy(() -> ReplayCache.open(notDb, clock, 10)).isInstanceOf(IOException.class)
                .hasMessageContaining(notDb.toAbsolutePath().toString());
        assertThat(Files.readAllBytes(notDb)).isEqualTo(content);

        Path otherDb = dir.resolve("other.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + otherDb); var s = c.createStatement()) {
            s.execute("CREATE TABLE contacts (name TEXT)");
            s.execute("INSERT INTO contacts VALUES ('ada')");
        }
        assertThatThrownBy(() -> ReplayCache.open(otherDb, clock, 10)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a ticket replay database");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + otherDb); var s = c.createStatement();
                var rs = s.executeQuery("SELECT name FROM contacts")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("ada");
        }

        Path newer = dir.resolve("newer.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + newer); var s = c.createStatement()) {
            s.execute("PRAGMA user_version=" + (SqliteReplayCache.SCHEMA_VERSION + 1));
        }
        assertThatThrownBy(() -> ReplayCache.open(newer, clock, 10)).isInstanceOf(IOException.class)
                .hasMessageContaining("newer than this program's");
    }

    @Test
    void aClosedDatabaseRefusesInsteadOfAccepting() throws Exception {
        ReplayCache cache = cache("sqlite", 10);
        cache.close();
        assertThat(cache.firstUse(pub(1), AccessTicket.hourOf(NOW))).isEqualTo(ReplayCache.Result.STORE_ERROR);
    }

    /**
     * A real child JVM records tickets and prints each one it accepted; it is killed with SIGKILL in
     * the middle. Every ticket it acknowledged is a replay for the next process on the same file.
     */
    @Test
    void acceptedTicketsSurviveKillNine() throws Exception {
        Path file = dir.resolve("killed.db");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), ReplayKillChild.class.getName(),
                file.toString(), Long.toString(NOW.toEpochMilli())).redirectErrorStream(false).start();
        List<Integer> acked = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while (acked.size() < 200 && (line = out.readLine()) != null) {
                acked.add(Integer.parseInt(line.trim()));
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).isEqualTo(137);
        assertThat(acked).hasSize(200);
        try (ReplayCache after = ReplayCache.open(file, clock, 1_000_000)) {
            long hour = AccessTicket.hourOf(NOW);
            for (int i : acked) {
                assertThat(after.firstUse(pub(i), hour)).as("acknowledged pair %d", i).isEqualTo(ReplayCache.Result.REPLAY);
            }
        }
    }

    private static int rows(Path db) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM ticket_use")) {
            return rs.next() ? rs.getInt(1) : -1;
        }
    }
}
