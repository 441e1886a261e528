package org.aivillage.betanet.htx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.aivillage.betanet.htx.internal.PemFiles;

/** The server's outer TLS certificate chain and key: PEM files (production) or a ready SSLContext. */
public sealed interface TlsIdentity {

    /** The TLS 1.3 server context. */
    SSLContext sslContext() throws IOException;

    /**
     * A PEM certificate chain (leaf first, then intermediates) and a PEM private key (PKCS#8
     * "PRIVATE KEY", or "EC PRIVATE KEY"/"RSA PRIVATE KEY"; unencrypted).
     */
    record PemFiles(Path certificateChain, Path privateKey) implements TlsIdentity {
        public PemFiles {
            Objects.requireNonNull(certificateChain, "certificateChain");
            Objects.requireNonNull(privateKey, "privateKey");
        }

        @Override
        public SSLContext sslContext() throws IOException {
            return org.aivillage.betanet.htx.internal.PemFiles.serverContext(certificateChain, privateKey);
        }
    }

    record Context(SSLContext context) implements TlsIdentity {
        public Context {
            Objects.requireNonNull(context, "context");
        }

        @Override
        public SSLContext sslContext() {
            return context;
        }
    }
}
