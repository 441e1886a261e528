package org.aivillage.cli.htx;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.aivillage.betanet.htx.HtxClient;
import org.aivillage.betanet.htx.HtxClientConfig;
import org.aivillage.betanet.htx.HtxConnection;
import org.aivillage.betanet.htx.HtxEndpoint;
import org.aivillage.betanet.htx.HtxException;
import org.aivillage.betanet.htx.HtxStream;
import org.aivillage.betanet.htx.HtxTicketRejectedException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.X509TrustManager;
import org.aivillage.betanet.htx.JdkTlsConnector;
import org.aivillage.betanet.htx.OuterTlsConnector;
import org.aivillage.betanet.htx.UtlsConnector;
import org.aivillage.betanet.utls.ClientHelloTemplate;
import org.aivillage.betanet.utls.UtlsClient;
import org.aivillage.betanet.htx.TicketKey;
import org.aivillage.cli.CliSupport;
import org.aivillage.config.UserException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code village htx connect}. */
@Command(
        name = "connect",
        mixinStandardHelpOptions = true,
        description = {
            "Connect to an HTX server, open one stream and pipe stdin/stdout over it.",
            "End of stdin half-closes the stream; the command ends when the server's side ends."
        })
public final class HtxConnectCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The server.")
    String target;

    @Option(names = "--server-key", required = true, paramLabel = "HEX", description = "The server's Noise static X25519 public key.")
    String serverKey;

    @Option(names = "--ticket-key", required = true, paramLabel = "ID:PUB", description = "The server's ticket key id and public key (hex).")
    String ticketKey;

    @Option(names = "--ca", paramLabel = "PEM", description = "Trust this CA certificate (default: the system trust store).")
    Path ca;

    @Option(names = "--server-name", paramLabel = "NAME", description = "TLS SNI / certificate name / Host (default: HOST).")
    String serverName;

    @Option(names = "--client-hello", defaultValue = "chromium", paramLabel = "NAME",
            description = "Outer TLS ClientHello: a betanet-utls template (chromium, firefox-esr, openssl) or jdk (default ${DEFAULT-VALUE}).")
    String clientHello;

    @Option(names = "--key-agreement", defaultValue = "auto", paramLabel = "auto|x25519|hybrid",
            description = "Inner key agreement (default ${DEFAULT-VALUE}: hybrid from 2027-01-01).")
    String keyAgreement;

    @Option(names = "--timeout-seconds", defaultValue = "15", description = "Connection setup timeout (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    private final InputStream stdin;
    private final OutputStream stdout;

    public HtxConnectCommand() {
        this(System.in, new FileOutputStream(FileDescriptor.out));
    }

    HtxConnectCommand(InputStream stdin, OutputStream stdout) {
        this.stdin = stdin;
        this.stdout = stdout;
    }

    private OuterTlsConnector connector(Path caPem) throws java.io.IOException {
        if (clientHello.equals("jdk")) {
            return caPem != null ? JdkTlsConnector.trustingPem(caPem) : JdkTlsConnector.withDefaultTrust();
        }
        if (!ClientHelloTemplate.BUILTIN.contains(clientHello)) {
            throw new UserException("--client-hello must be jdk or one of " + ClientHelloTemplate.BUILTIN + ", not '" + clientHello + "'");
        }
        X509TrustManager trust = UtlsClient.systemTrust();
        if (caPem != null) {
            try (var in = java.nio.file.Files.newInputStream(caPem)) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                int i = 0;
                for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    ks.setCertificateEntry("ca" + i++, cert);
                }
                if (i == 0) {
                    throw new UserException("no certificate in " + caPem);
                }
                trust = UtlsClient.trustFrom(ks);
            } catch (java.security.GeneralSecurityException e) {
                throw new UserException("cannot read CA certificates from " + caPem + ": " + e.getMessage());
            }
        }
        return new UtlsConnector(ClientHelloTemplate.builtin(clientHello), trust);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        CliSupport.Environment env = CliSupport.environment(spec);
        HtxEndpoint endpoint;
        byte[] serverStatic;
        TicketKey tk;
        try {
            endpoint = HtxEndpoint.parse(target);
            serverStatic = HexFormat.of().parseHex(serverKey.strip());
            tk = TicketKey.fromHex(ticketKey);
            if (serverStatic.length != 32) {
                throw new IllegalArgumentException("--server-key must be 32 bytes of hex");
            }
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        if (serverName != null) {
            endpoint = endpoint.withServerName(serverName);
        }
        HtxClientConfig config = HtxClientConfig.of(connector(ca == null ? null : env.resolve(ca))).withKeyAgreement(KeyAgreements.parse(keyAgreement));
        try (HtxConnection c = HtxClient.connect(config, endpoint, serverStatic, tk, Duration.ofSeconds(timeoutSeconds))) {
            err.println("village htx: connected to " + target + " (" + c.keyAgreement().name().toLowerCase() + ")");
            err.flush();
            HtxStream s = c.openStream(Duration.ofSeconds(timeoutSeconds));
            Pipes.pipe(s, stdin, stdout);
            return 0;
        } catch (HtxTicketRejectedException e) {
            err.println("village htx connect: " + e.getMessage());
            return HtxCommand.EXIT_TICKET_REJECTED;
        } catch (HtxException e) {
            err.println("village htx connect: " + e.getMessage());
            return HtxCommand.EXIT_FAILED;
        } catch (java.io.IOException e) {
            err.println("village htx connect: " + e);
            return HtxCommand.EXIT_FAILED;
        }
    }
}
