package org.aivillage.cli.demo;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.aivillage.betanet.keys.KeyFileException;
import org.aivillage.betanet.keys.KeyFiles;
import org.aivillage.betanet.keys.KeyType;
import org.aivillage.betanet.keys.TypedKeyPair;
import org.aivillage.betanet.noise.HandshakeState;
import org.aivillage.betanet.noise.NoiseException;
import org.aivillage.betanet.noise.Role;
import org.aivillage.betanet.noise.TransportState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The responder half of {@code village demo}, run by the demo as a second process: listens on
 * 127.0.0.1 (ephemeral port, announced as {@code LISTENING <port>} on stdout), accepts one
 * connection, runs Noise XK as responder with its static key from {@code --key}, then answers
 * every encrypted message until the initiator closes.
 */
@Command(name = "responder", hidden = true, description = "The demo's responder process (started by 'village demo').")
public final class DemoResponderCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "The responder's X25519 key file.")
    Path keyFile;

    @Option(names = "--timeout-seconds", defaultValue = "20", description = "Accept and read timeout.")
    int timeoutSeconds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        HexFormat hex = HexFormat.of();
        TypedKeyPair key;
        try {
            key = KeyFiles.load(keyFile, null);
        } catch (KeyFileException e) {
            out.println("error: " + e.getMessage());
            out.flush();
            return 1;
        }
        if (key.type() != KeyType.X25519) {
            out.println("error: the demo responder needs an x25519 key");
            out.flush();
            return 1;
        }
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(timeoutSeconds * 1000);
            out.println("LISTENING " + server.getLocalPort());
            out.println("listening on 127.0.0.1:" + server.getLocalPort() + " with static key "
                    + hex.formatHex(key.publicKey()));
            out.flush();
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(timeoutSeconds * 1000);
                socket.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                DataOutputStream wire = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
                out.println("accepted " + socket.getRemoteSocketAddress());
                out.flush();
                HandshakeState hs = HandshakeState.builder(DemoCommand.PROTOCOL, Role.RESPONDER)
                        .prologue(DemoCommand.PROLOGUE)
                        .localStatic(key.keyPair())
                        .build();
                key.destroy();
                byte[] m1 = require(Frames.read(in), "message 1");
                byte[] p1 = hs.readMessage(m1);
                out.println("<- message 1 (e, es): " + m1.length + " bytes, payload \"" + text(p1) + "\"");
                out.flush();
                byte[] m2 = hs.writeMessage("hello from the responder".getBytes(StandardCharsets.UTF_8));
                out.println("-> message 2 (e, ee): " + m2.length + " bytes");
                out.flush();
                Frames.write(wire, m2);
                byte[] m3 = require(Frames.read(in), "message 3");
                byte[] p3 = hs.readMessage(m3);
                out.println("<- message 3 (s, se): " + m3.length + " bytes, payload \"" + text(p3) + "\"");
                TransportState t = hs.split();
                out.println("handshake complete; initiator static key " + hex.formatHex(t.remoteStaticKey()));
                out.println("handshake hash " + hex.formatHex(t.handshakeHash()));
                out.flush();
                int n = 0;
                byte[] frame;
                while ((frame = Frames.read(in)) != null) {
                    byte[] plain = t.readMessage(frame);
                    out.println("recv " + frame.length + " B ciphertext -> " + plain.length + " B \"" + text(plain) + "\"");
                    out.flush();
                    byte[] reply = t.writeMessage(("ack " + (++n) + ": " + text(plain).toUpperCase(java.util.Locale.ROOT))
                            .getBytes(StandardCharsets.UTF_8));
                    Frames.write(wire, reply);
                    out.flush();
                }
                t.close();
                out.println("initiator closed the connection after " + n + " messages; exiting");
                out.flush();
                return 0;
            }
        } catch (IOException | NoiseException e) {
            out.println("error: " + e);
            out.flush();
            return 1;
        }
    }

    private static byte[] require(byte[] frame, String what) throws IOException {
        if (frame == null) {
            throw new IOException("connection closed before " + what);
        }
        return frame;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
