package org.aivillage.cli.htx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.aivillage.betanet.htx.HtxStream;

/**
 * stdin → stream and stream → stdout with half-close: end of stdin sends FIN; the peer's FIN ends
 * stdout. Returns when both directions are done, or as soon as the connection fails.
 */
final class Pipes {
    private Pipes() {}

    static void pipe(HtxStream stream, InputStream stdin, OutputStream stdout) throws IOException, InterruptedException {
        Thread up = Thread.ofVirtual().name("htx-stdin").start(() -> {
            byte[] buf = new byte[16 * 1024];
            try {
                OutputStream out = stream.outputStream();
                int n;
                while ((n = stdin.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                }
                stream.shutdownOutput();
            } catch (IOException e) {
                // the connection ended; the reading side reports it
            }
        });
        byte[] buf = new byte[16 * 1024];
        InputStream in = stream.inputStream();
        int n;
        while ((n = in.read(buf)) >= 0) {
            stdout.write(buf, 0, n);
            stdout.flush();
        }
        stdout.flush();
        // The peer finished sending; keep sending until our own input ends (half-close).
        up.join();
    }
}
