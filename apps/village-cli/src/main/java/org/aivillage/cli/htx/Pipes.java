package org.aivillage.cli.htx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.aivillage.betanet.htx.HtxStream;

/** stdin → stream (FIN at end of input) and stream → stdout, until the peer's FIN. */
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
        up.interrupt();
    }
}
