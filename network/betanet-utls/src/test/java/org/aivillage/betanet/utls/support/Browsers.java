package org.aivillage.betanet.utls.support;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.aivillage.betanet.utls.ClientHelloRecorder;

/** Runs the Debian browsers headless against a {@link ClientHelloRecorder} and returns their ClientHellos. */
public final class Browsers {
    public static final String HOST = "utls.test";

    private Browsers() {}

    public static List<byte[]> captureChromium(int count, Duration timeout) throws Exception {
        String chromium = ExternalTool.require("chromium", "chromium");
        Path profile = Files.createTempDirectory("utls-chromium");
        try (ClientHelloRecorder rec = ClientHelloRecorder.start(new InetSocketAddress("127.0.0.1", 0))) {
            Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile, "--host-resolver-rules=MAP " + HOST + " 127.0.0.1",
                    "https://" + HOST + ":" + rec.port() + "/")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                return rec.await(count, timeout);
            } finally {
                ExternalTool.destroyTree(p);
            }
        } finally {
            delete(profile);
        }
    }

    /** Firefox makes a couple of attempts per launch; it is relaunched until {@code count} hellos arrived. */
    public static List<byte[]> captureFirefox(int count, Duration timeout) throws Exception {
        String firefox = ExternalTool.require("firefox-esr", "firefox-esr");
        List<byte[]> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (ClientHelloRecorder rec = ClientHelloRecorder.start(new InetSocketAddress("127.0.0.1", 0))) {
            while (out.size() < count && System.nanoTime() < deadline) {
                Path profile = Files.createTempDirectory("utls-firefox");
                Files.writeString(profile.resolve("user.js"),
                        "user_pref(\"network.dns.localDomains\", \"" + HOST + "\");\n"
                                + "user_pref(\"browser.shell.checkDefaultBrowser\", false);\n");
                Process p = new ProcessBuilder(firefox, "--headless", "--no-remote", "--profile", profile.toString(),
                        "https://" + HOST + ":" + rec.port() + "/")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                try {
                    Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                    out.addAll(rec.await(count - out.size(), left.compareTo(Duration.ofSeconds(30)) < 0 ? left
                            : Duration.ofSeconds(30)));
                } finally {
                    ExternalTool.destroyTree(p);
                    delete(profile);
                }
            }
        }
        return out;
    }

    private static void delete(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
            // the browser may still be removing its own files; leftovers live in the temp dir only
        }
    }
}
