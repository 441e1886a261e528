package org.aivillage.cli.mixnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.aivillage.betanet.htx.DecoySite;
import org.aivillage.betanet.htx.HtxClientConfig;
import org.aivillage.betanet.htx.JdkTlsConnector;
import org.aivillage.betanet.htx.TlsIdentity;
import org.aivillage.betanet.mixnode.HtxLinkTransport;
import org.aivillage.betanet.mixnode.LinkTransport;
import org.aivillage.betanet.mixnode.internal.TcpLinkTransport;
import org.aivillage.config.BetanetConfig;
import org.aivillage.config.UserException;
import picocli.CommandLine.Option;

/**
 * The link transport of the mixnet daemons and the client: HTX (default; outer TLS 1.3 + inner Noise
 * XK, access tickets, decoy site for ticket-less visitors) or plain TCP framing ({@code --transport tcp},
 * for measuring the mixnet without HTX). A picocli mixin.
 */
final class Transports {
    @Option(names = "--transport", defaultValue = "htx", description = "Link transport: htx (default) or tcp.")
    String transport;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "CA certificate (PEM) to trust for nodes' outer TLS (default: the system trust store).")
    Path tlsCa;

    @Option(names = "--tls-chain", paramLabel = "FILE", description = "This node's TLS certificate chain (PEM; default [network.betanet] tls_cert_file).")
    Path tlsChain;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "This node's TLS private key (PEM; default [network.betanet] tls_key_file).")
    Path tlsKey;

    @Option(names = "--decoy-dir", paramLabel = "DIR", description = "Decoy site for visitors without an access ticket (default [network.betanet] decoy_dir).")
    Path decoyDir;

    private HtxClientConfig clientConfig() throws IOException {
        return HtxClientConfig.of(tlsCa != null ? JdkTlsConnector.trustingPem(tlsCa) : JdkTlsConnector.withDefaultTrust());
    }

    /** A client-only transport. */
    LinkTransport client() throws IOException {
        return switch (transport) {
            case "tcp" -> new TcpLinkTransport();
            case "htx" -> new HtxLinkTransport(clientConfig(), null);
            default -> throw new UserException("--transport is htx or tcp, not '" + transport + "'");
        };
    }

    /** A node's transport: it listens too. */
    LinkTransport node(BetanetConfig betanet, Path dataDir) throws IOException {
        if (transport.equals("tcp")) {
            return new TcpLinkTransport();
        }
        if (!transport.equals("htx")) {
            throw new UserException("--transport is htx or tcp, not '" + transport + "'");
        }
        Path chain = Optional.ofNullable(tlsChain).or(betanet::tlsCertFile).orElseThrow(
                () -> new UserException("an HTX node needs a TLS certificate: --tls-chain and --tls-key (or [network.betanet] tls_cert_file)"));
        Path key = Optional.ofNullable(tlsKey).or(betanet::tlsKeyFile).orElseThrow(
                () -> new UserException("an HTX node needs its TLS private key: --tls-key (or [network.betanet] tls_key_file)"));
        Path decoy = Optional.ofNullable(decoyDir).or(betanet::decoyDir).orElse(null);
        if (decoy == null) {
            decoy = Files.createDirectories(dataDir.resolve("decoy"));
            if (!Files.exists(decoy.resolve("index.html"))) {
                Files.writeString(decoy.resolve("index.html"), "<!doctype html><html><head><title>Welcome</title></head>"
                        + "<body><h1>It works!</h1></body></html>\n");
            }
        }
        return new HtxLinkTransport(clientConfig(), new HtxLinkTransport.ServerSide(new TlsIdentity.PemFiles(chain, key),
                new DecoySite.StaticDirectory(decoy)));
    }
}
