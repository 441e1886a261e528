package org.aivillage.betanet.utls.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Real external programs for tests: found on PATH or the test fails with an install hint. */
public final class ExternalTool {
    private ExternalTool() {}

    /** The absolute path of {@code command}; fails (does not skip) when missing, since .ci/run installs it. */
    public static String require(String command, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin")) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(command + " is required by this test but is not installed: apt-get install "
                + debianPackage + " (.ci/run installs it)");
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits until something accepts TCP connections on 127.0.0.1:port. */
    public static void awaitListening(int port, Duration timeout, Process process) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new AssertionError("process exited with " + process.exitValue() + " before listening on " + port);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.onSpinWait();
                Thread.sleep(50); // polling interval while the process starts, not a synchronisation sleep
            }
        }
        throw new AssertionError("nothing listened on port " + port + " within " + timeout);
    }

    /** Kills a process and all of its descendants and waits for them. */
    public static void destroyTree(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        List<ProcessHandle> kids = p.descendants().toList();
        p.destroy();
        kids.forEach(ProcessHandle::destroy);
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        for (ProcessHandle k : kids) {
            k.destroyForcibly();
            try {
                k.onExit().get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // reparented or already reaped; nothing more to wait for
            }
        }
    }

    /** Lines of a process's merged output, collected by a virtual thread. */
    public static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>(100_000);
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    q.offer(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        });
        return q;
    }

    /** Waits for an output line containing {@code needle}; returns it. */
    public static String awaitLine(BlockingQueue<String> lines, String needle, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String l = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (l == null) {
                throw new AssertionError("no output line containing '" + needle + "' within " + timeout);
            }
            if (l.contains(needle)) {
                return l;
            }
        }
    }
}
