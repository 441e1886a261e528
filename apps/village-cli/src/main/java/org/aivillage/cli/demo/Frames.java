package org.aivillage.cli.demo;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.aivillage.betanet.noise.NoiseProtocol;

/** The demo's wire framing: a 2-byte big-endian length, then that many bytes (one Noise message). */
final class Frames {
    private Frames() {}

    static void write(DataOutputStream out, byte[] message) throws IOException {
        if (message.length > NoiseProtocol.MAX_MESSAGE_LENGTH) {
            throw new IOException("frame of " + message.length + " bytes is over 65535");
        }
        out.writeShort(message.length);
        out.write(message);
        out.flush();
    }

    /** The next frame, or null at a clean end of stream (before a length). */
    static byte[] read(DataInputStream in) throws IOException {
        int hi = in.read();
        if (hi < 0) {
            return null;
        }
        int lo = in.read();
        if (lo < 0) {
            throw new EOFException("stream ended inside a frame length");
        }
        byte[] message = new byte[(hi << 8) | lo];
        in.readFully(message);
        return message;
    }
}
