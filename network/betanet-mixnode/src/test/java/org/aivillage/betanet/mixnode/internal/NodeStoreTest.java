package org.aivillage.betanet.mixnode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStoreTest {
    @TempDir
    Path dir;

    private static List<String> asStrings(List<long[]> rows) {
        return rows.stream().map(r -> r[0] + ":" + r[1] + ":" + r[2]).sorted().toList();
    }

    @Test
    void tagsSurviveReopenAndRetirement() throws Exception {
        Path file = dir.resolve("node.db");
        try (NodeStore s = new NodeStore(file)) {
            s.addTags(List.of(new long[] {7, 1, 2}, new long[] {7, -3, 4}, new long[] {8, 5, -6}));
        }
        try (NodeStore s = new NodeStore(file)) {
            assertThat(asStrings(s.loadTags(0))).containsExactly("7:-3:4", "7:1:2", "8:5:-6");
            assertThat(asStrings(s.loadTags(8))).containsExactly("8:5:-6");
            s.retireBefore(8);
            assertThat(asStrings(s.loadTags(0))).containsExactly("8:5:-6");
        }
    }

    @Test
    void largeBatchesAreStoredWhole() throws Exception {
        Path file = dir.resolve("big.db");
        java.util.List<long[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(new long[] {9, i, -i});
        }
        try (NodeStore s = new NodeStore(file)) {
            s.addTags(rows);
            s.addTags(rows.subList(0, 130));
        }
        try (NodeStore s = new NodeStore(file)) {
            List<long[]> back = s.loadTags(0);
            assertThat(back).hasSize(1130);
            assertThat(asStrings(back)).contains("9:999:-999", "9:0:0", "9:129:-129");
        }
    }

    /** A database written by schema v1 (tags in a primary-key B-tree) keeps its tags when opened by v3. */
    @Test
    void migratesSchemaV1Tags() throws Exception {
        Path file = dir.resolve("v1.db");
        byte[] tag = new byte[16];
        NodeStore.writeLong(tag, 0, 11);
        NodeStore.writeLong(tag, 8, -12);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = db.createStatement()) {
            s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
            s.execute("CREATE TABLE sphinx_keys (epoch INTEGER PRIMARY KEY, private_key BLOB NOT NULL, public_key BLOB NOT NULL)");
            s.execute("CREATE TABLE replay_tags (epoch INTEGER NOT NULL, tag BLOB NOT NULL, PRIMARY KEY (epoch, tag)) WITHOUT ROWID");
            s.execute("INSERT INTO schema_version VALUES (1)");
            try (var p = db.prepareStatement("INSERT INTO replay_tags VALUES (?, ?)")) {
                p.setLong(1, 3);
                p.setBytes(2, tag);
                p.executeUpdate();
            }
        }
        try (NodeStore s = new NodeStore(file)) {
            assertThat(asStrings(s.loadTags(0))).containsExactly("3:11:-12");
            s.addTags(List.<long[]>of(new long[] {4, 1, 1}));
            assertThat(asStrings(s.loadTags(0))).containsExactly("3:11:-12", "4:1:1");
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getInt(1)).isEqualTo(3);
        }
    }

    /** A database written by schema v2 (one tag per row, arrival order) keeps its tags when opened by v3. */
    @Test
    void migratesSchemaV2Tags() throws Exception {
        Path file = dir.resolve("v2.db");
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = db.createStatement()) {
            s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
            s.execute("CREATE TABLE sphinx_keys (epoch INTEGER PRIMARY KEY, private_key BLOB NOT NULL, public_key BLOB NOT NULL)");
            s.execute("CREATE TABLE replay_tags (epoch INTEGER NOT NULL, tag BLOB NOT NULL)");
            s.execute("INSERT INTO schema_version VALUES (1)");
            s.execute("INSERT INTO schema_version VALUES (2)");
            try (var p = db.prepareStatement("INSERT INTO replay_tags VALUES (?, ?)")) {
                for (int i = 0; i < 5000; i++) {
                    byte[] tag = new byte[16];
                    NodeStore.writeLong(tag, 0, i);
                    NodeStore.writeLong(tag, 8, -i);
                    p.setLong(1, i % 2 == 0 ? 6 : 7);
                    p.setBytes(2, tag);
                    p.executeUpdate();
                }
            }
        }
        try (NodeStore s = new NodeStore(file)) {
            List<long[]> back = s.loadTags(0);
            assertThat(back).hasSize(5000);
            assertThat(asStrings(back)).contains("6:0:0", "7:4999:-4999", "6:4998:-4998");
            assertThat(asStrings(s.loadTags(7))).hasSize(2500).allMatch(t -> t.startsWith("7:"));
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = db.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getInt(1)).isEqualTo(3);
            }
            // Many tags per row: 2,500 tags of each epoch in one row each (<= 4,096 per row).
            try (ResultSet r = s.executeQuery("SELECT COUNT(*) FROM replay_tags")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getInt(1)).isEqualTo(2);
            }
        }
    }

    /** A commit with more tags than one row holds, spread over two interleaved epochs, is stored whole. */
    @Test
    void commitsSplitByEpochAndRowSize() throws Exception {
        Path file = dir.resolve("split.db");
        List<long[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < NodeStore.TAGS_PER_ROW * 2 + 10; i++) {
            rows.add(new long[] {i % 3 == 0 ? 2 : 1, i, i * 31L});
        }
        try (NodeStore s = new NodeStore(file)) {
            s.addTags(rows);
            s.addTags(List.of());
        }
        try (NodeStore s = new NodeStore(file)) {
            assertThat(asStrings(s.loadTags(0))).containsExactlyInAnyOrderElementsOf(asStrings(rows));
            assertThat(s.loadTags(2)).hasSize((int) rows.stream().filter(r -> r[0] == 2).count());
        }
    }
}
