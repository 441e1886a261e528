package org.aivillage.cli.bitchat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aivillage.cli.Village;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two {@code village bitchat chat} processes on 127.0.0.1 talk: public room, /msg, receipts, leave. */
class ChatProcessesTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final List<Chat> chats = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        for (Chat c : chats) {
            c.process.destroyForcibly();
        }
    }

    @Test
    @Timeout(240)
    void twoProcessesExchangePublicAndPrivateMessages() throws Exception {
        Chat alice = start("alice", List.of("--port", "0"));
        Matcher listening = alice.await("listening: tcp 127\\.0\\.0\\.1:(\\d+)");
        String port = listening.group(1);
        alice.await("multicast: off");
        Chat bob = start("bob", List.of("--port", "-1", "--peer", "127.0.0.1:" + port));
        bob.await("peer link: tcp 127\\.0\\.0\\.1:" + port);
        alice.await("\\* bob joined \\(peer [0-9a-f]{16}, 1 hop\\)");
        bob.await("\\* alice joined \\(peer [0-9a-f]{16}, 1 hop\\)");

        bob.type("hello everyone");
        alice.await("<bob> hello everyone");

        alice.type("/msg bob meet at the old mill");
        alice.await("\\* to bob \\[[0-9A-F-]{8}\\]: meet at the old mill");
        bob.await("\\[private\\] <alice> meet at the old mill");
        alice.await("\\* delivered \\[[0-9A-F-]{8}\\]");

        bob.type("/msg alice see you there");
        alice.await("\\[private\\] <bob> see you there");

        alice.type("/peers");
        alice.await("\\* peer bob  [0-9a-f]{16}  online  1 hop  fingerprint [0-9a-f]{16}  \\(session\\)");
        alice.type("/msg nobody hi");
        alice.await("\\* no peer called nobody");

        bob.type("/quit");
        bob.await("\\* leaving");
        assertThat(bob.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(bob.process.exitValue()).isZero();
        alice.await("\\* bob left");

        alice.stdin.close(); // end of input leaves too
        assertThat(alice.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(alice.process.exitValue()).isZero();
        assertThat(String.join("\n", alice.lines())).doesNotContain("[private] <alice>");
    }

    private Chat start(String nick, List<String> extra) throws IOException {
        Path config = dir.resolve(nick + ".toml");
        Files.writeString(config, "# test configuration: defaults\n");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Village.class.getName(), "bitchat", "chat", "--config",
                config.toString(), "--nick", nick, "--bind", "127.0.0.1", "--no-multicast", "--announce-seconds", "2"));
        cmd.addAll(extra);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve(nick + ".err").toFile());
        Chat c = new Chat(nick, pb.start());
        chats.add(c);
        return c;
    }

    private final class Chat {
        final String nick;
        final Process process;
        final Writer stdin;
        private final List<String> lines = new ArrayList<>();
        private int cursor;

        Chat(String nick, Process process) {
            this.nick = nick;
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (this) {
                            lines.add(line);
                            notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // process ended
                }
            });
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        void type(String line) throws IOException {
            stdin.write(line + "\n");
            stdin.flush();
        }

        /** Waits for the next output line (after earlier matches) matching {@code regex}. */
        synchronized Matcher await(String regex) throws InterruptedException, IOException {
            Pattern p = Pattern.compile(regex);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                for (int i = cursor; i < lines.size(); i++) {
                    Matcher m = p.matcher(lines.get(i));
                    if (m.find()) {
                        cursor = i + 1;
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(nick + " never printed /" + regex + "/; output:\n" + String.join("\n", lines)
                            + "\nstderr:\n" + Files.readString(dir.resolve(nick + ".err")));
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
