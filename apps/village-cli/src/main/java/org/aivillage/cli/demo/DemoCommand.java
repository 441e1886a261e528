package org.aivillage.cli.demo;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.id.PeerId;
import org.aivillage.betanet.keys.KeyFileException;
import org.aivillage.betanet.keys.KeyFiles;
import org.aivillage.betanet.keys.KeyType;
import org.aivillage.betanet.keys.TypedKeyPair;
import org.aivillage.betanet.noise.HandshakeState;
import org.aivillage.betanet.noise.NoiseException;
import org.aivillage.betanet.noise.NoiseProtocol;
import org.aivillage.betanet.noise.Role;
import org.aivillage.betanet.noise.TransportState;
import org.aivillage.cli.Village;
import org.aivillage.cli.mixnet.MixnetDemo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code village demo}: the end-to-end demonstration, in two acts.
 *
 * <ol>
 *   <li>Noise XK: two processes on loopback run a Noise XK handshake over TCP and exchange encrypted
 *       messages, printing every step. This process is the initiator; it starts the responder as a
 *       second JVM (same java binary and class path), knows the responder's static key in advance (XK
 *       requires it: it generates the responder's key file itself), and shuts the child down cleanly.
 *   <li>Mixnet: a local testnet (directory, mixnodes, gateway: separate processes linked by HTX),
 *       messages through 3-hop circuits in every anonymity level, replies through SURBs
 *       ({@link MixnetDemo}).
 * </ol>
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "The end-to-end demo: Noise XK between two processes, then a local BetaNet mixnet.",
            "Act 1: a real Noise XK handshake between two processes on 127.0.0.1, printing each step",
            "and the handshake hash on both sides, then encrypted messages.",
            "Act 2: a local BetaNet testnet (directory, 3 mixnodes, gateway; separate processes linked by HTX)",
            "and messages through 3-hop Sphinx circuits in every anonymity level, replies via SURBs.",
            "Everything runs on 127.0.0.1 and is shut down at the end. Exit code 0 on success."
        },
        subcommands = DemoResponderCommand.class)
public final class DemoCommand implements Callable<Integer> {
    /** Which parts of the demo to run. */
    public enum Act { ALL, NOISE, MIXNET }

    @Option(names = "--act", defaultValue = "all",
            description = "Which act to run: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Act act;

    static final NoiseProtocol PROTOCOL = NoiseProtocol.parse("Noise_XK_25519_ChaChaPoly_SHA256");
    static final byte[] PROLOGUE = "village demo v1".getBytes(StandardCharsets.US_ASCII);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--messages", defaultValue = "3", description = "Encrypted messages to send (default ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--timeout-seconds", defaultValue = "30",
            description = "Bound on starting the responder and on every network wait (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    private PrintWriter out;

    private synchronized void say(String who, String line) {
        out.println("[" + who + "] " + line);
        out.flush();
    }

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        if (messages < 0 || messages > 1000 || timeoutSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--messages must be 0..1000, --timeout-seconds >= 1");
        }
        long start = System.nanoTime();
        if (act != Act.MIXNET) {
            out.println("== Act 1: Noise XK between two processes ==");
            int rc = noiseAct();
            if (rc != 0) {
                return rc;
            }
        }
        if (act != Act.NOISE) {
            out.println();
            out.println("== Act 2: the BetaNet mixnet ==");
            out.flush();
            int rc = MixnetDemo.run(out);
            if (rc != 0) {
                return rc;
            }
        }
        out.printf("village demo finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
        out.flush();
        return 0;
    }

    private int noiseAct() throws Exception {
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        HexFormat hex = HexFormat.of();
        out.println("village demo: " + PROTOCOL.name() + " between two processes on 127.0.0.1");
        out.println("X25519 runs on " + X25519.implementation());
        Path dir = Files.createTempDirectory("village-demo");
        Path keyFile = dir.resolve("responder.key");
        Process child = null;
        try {
            TypedKeyPair responderKey = TypedKeyPair.generate(KeyType.X25519);
            KeyFiles.save(keyFile, responderKey, null);
            byte[] responderPublic = responderKey.publicKey();
            responderKey.destroy();
            say("initiator", "responder static key (known in advance, as XK requires): " + hex.formatHex(responderPublic));
            say("initiator", "responder peer id " + PeerId.fromPublicKey(responderPublic));

            child = startResponder(keyFile, timeout);
            say("initiator", "started responder process pid " + child.pid());
            CompletableFuture<Integer> port = new CompletableFuture<>();
            List<String> responderLines = new ArrayList<>();
            Thread pump = relay(child, port, responderLines);
            int p;
            try {
                p = port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                say("initiator", "the responder did not start listening within " + timeoutSeconds + " s");
                return 1;
            }

            byte[] initiatorHash;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), (int) timeout.toMillis());
                socket.setSoTimeout((int) timeout.toMillis());
                socket.setTcpNoDelay(true);
                say("initiator", "connected to 127.0.0.1:" + p);
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                DataOutputStream wire = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
                var staticKey = X25519.generateKeyPair();
                say("initiator", "own static key " + hex.formatHex(staticKey.publicKey()) + " (sent encrypted in message 3)");
                HandshakeState hs = HandshakeState.builder(PROTOCOL, Role.INITIATOR)
                        .prologue(PROLOGUE).localStatic(staticKey).remoteStatic(responderPublic).build();
                staticKey.destroy();
                byte[] m1 = hs.writeMessage("hello from the initiator".getBytes(StandardCharsets.UTF_8));
                say("initiator", "-> message 1 (e, es): " + m1.length + " bytes");
                Frames.write(wire, m1);
                byte[] m2 = Frames.read(in);
                if (m2 == null) {
                    say("initiator", "the responder closed the connection during the handshake");
                    return 1;
                }
                byte[] p2 = hs.readMessage(m2);
                say("initiator", "<- message 2 (e, ee): " + m2.length + " bytes, payload \""
                        + new String(p2, StandardCharsets.UTF_8) + "\"");
                byte[] m3 = hs.writeMessage("initiator authenticated".getBytes(StandardCharsets.UTF_8));
                TransportState t = hs.split();
                initiatorHash = t.handshakeHash();
                say("initiator", "-> message 3 (s, se): " + m3.length + " bytes");
                say("initiator", "handshake complete");
                say("initiator", "handshake hash " + hex.formatHex(initiatorHash));
                Frames.write(wire, m3);
                for (int i = 1; i <= messages; i++) {
                    byte[] plain = ("message " + i + " over Noise XK").getBytes(StandardCharsets.UTF_8);
                    byte[] ct = t.writeMessage(plain);
                    say("initiator", "send " + plain.length + " B plaintext -> " + ct.length + " B ciphertext");
                    Frames.write(wire, ct);
                    byte[] reply = Frames.read(in);
                    if (reply == null) {
                        say("initiator", "the responder closed the connection");
                        return 1;
                    }
                    byte[] back = t.readMessage(reply);
                    say("initiator", "recv " + reply.length + " B ciphertext -> " + back.length + " B \""
                            + new String(back, StandardCharsets.UTF_8) + "\"");
                }
                t.close();
                socket.shutdownOutput();
            } catch (IOException | NoiseException e) {
                say("initiator", "failed: " + e);
                return 1;
            }

            if (!child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                say("initiator", "the responder did not exit within " + timeoutSeconds + " s; stopping it");
                return 1;
            }
            pump.join(timeout.toMillis());
            int code = child.exitValue();
            say("initiator", "responder exited with code " + code);
            String expected = "handshake hash " + hex.formatHex(initiatorHash);
            boolean match;
            synchronized (responderLines) {
                match = responderLines.contains(expected);
            }
            say("initiator", "handshake hashes on both sides " + (match ? "match" : "DIFFER"));
            if (code != 0 || !match) {
                return 1;
            }
            out.println("demo OK");
            out.flush();
            return 0;
        } catch (KeyFileException e) {
            out.println("village demo: " + e.getMessage());
            return 1;
        } finally {
            if (child != null && child.isAlive()) {
                child.destroy();
                if (!child.waitFor(5, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            }
            Files.deleteIfExists(keyFile);
            Files.deleteIfExists(dir);
        }
    }

    /** Starts {@code village demo responder} as a second JVM with this JVM's binary and class path. */
    private Process startResponder(Path keyFile, Duration timeout) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Village.class.getName(), "demo", "responder",
                "--key", keyFile.toString(), "--timeout-seconds", Long.toString(timeout.toSeconds()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    /** Copies the child's output to ours with a "[responder]" prefix; completes {@code port} on LISTENING. */
    private Thread relay(Process child, CompletableFuture<Integer> port, List<String> lines) {
        return Thread.ofVirtual().name("demo-responder-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("LISTENING ") && !port.isDone()) {
                        try {
                            port.complete(Integer.parseInt(line.substring(10).strip()));
                        } catch (NumberFormatException e) {
                            port.completeExceptionally(e);
                        }
                        continue;
                    }
                    synchronized (lines) {
                        lines.add(line);
                    }
                    say("responder", line);
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            } finally {
                port.completeExceptionally(new IOException("responder output ended"));
            }
        });
    }
}
