package org.aivillage.cli.htx;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.htx.DecoySite;
import org.aivillage.betanet.htx.HtxConnection;
import org.aivillage.betanet.htx.HtxServer;
import org.aivillage.betanet.htx.HtxServerConfig;
import org.aivillage.betanet.htx.HtxStream;
import org.aivillage.betanet.htx.TicketIssuerKey;
import org.aivillage.betanet.htx.TlsIdentity;
import org.aivillage.cli.CliSupport;
import org.aivillage.cli.config.ConfigOption;
import org.aivillage.config.BetanetConfig;
import org.aivillage.config.LoadedConfig;
import org.aivillage.config.UserException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code village htx serve}. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run an HTX server. Connections without a valid access ticket get the decoy site.",
            "Default: pipe the first stream of the first connection to stdin/stdout (like netcat -l).",
            "--echo: echo every stream of every connection until stopped.",
            "Status lines, including the matching 'village htx connect' command, go to stderr."
        })
public final class HtxServeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where the tool listens when neither --listen nor a configuration file says otherwise. */
    static final String DEFAULT_LISTEN = "127.0.0.1:8443";

    @CommandLine.Mixin
    ConfigOption configOption;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Address to listen on (port 0 = any free port). Default: [network.betanet] listen_address and"
                    + " listen_port when a configuration file is loaded, else " + DEFAULT_LISTEN + ".")
    String listen;

    @Option(names = "--state", defaultValue = "htx-server", paramLabel = "DIR",
            description = "Keys, ticket key, development certificates and the spent-ticket database ticket-replay.db"
                    + " (created on first use; default ${DEFAULT-VALUE}).")
    Path state;

    @Option(names = "--cert", paramLabel = "PEM", description = "Certificate chain (leaf first). Default: a development CA in --state.")
    Path cert;

    @Option(names = "--key", paramLabel = "PEM", description = "Private key of --cert (PKCS#8, EC or RSA, unencrypted).")
    Path key;

    @CommandLine.ArgGroup(exclusive = true)
    Decoy decoy;

    static final class Decoy {
        @Option(names = "--decoy-dir", paramLabel = "DIR", description = "Serve this directory to visitors without a ticket (default: <state>/site).")
        Path dir;

        @Option(names = "--decoy-origin", paramLabel = "URL", description = "Relay visitors without a ticket to this http(s) origin.")
        URI origin;
    }

    @Option(names = "--key-agreement", defaultValue = "auto", paramLabel = "auto|x25519|hybrid",
            description = "Inner key agreement: hybrid requires X25519 + ML-KEM-768; auto = hybrid from 2027-01-01 (default).")
    String keyAgreement;

    @Option(names = "--echo", description = "Echo every stream of every connection until stopped.")
    boolean echo;

    /**
     * Fills what the command line left open from {@code [network.betanet]} when a configuration file
     * was loaded ({@code --config}, {@code VILLAGE_CONFIG} or {@code ./village.toml}): listen address
     * and port, TLS certificate and key, decoy directory. Flags always win; without a file the
     * tool's own loopback default applies.
     */
    private void applyConfiguration(PrintWriter err) {
        LoadedConfig loaded = configOption.load();
        if (loaded.origin() == LoadedConfig.Origin.DEFAULTS) {
            if (listen == null) {
                listen = DEFAULT_LISTEN;
            }
            return;
        }
        BetanetConfig b = loaded.config().betanet();
        if (listen == null) {
            listen = HostPort.format(new InetSocketAddress(b.listenAddress(), b.listenPort()));
        }
        if (cert == null && key == null && b.tlsCertFile().isPresent() && b.tlsKeyFile().isPresent()) {
            cert = b.tlsCertFile().get();
            key = b.tlsKeyFile().get();
        }
        if (decoy == null && b.decoyDir().isPresent()) {
            decoy = new Decoy();
            decoy.dir = b.decoyDir().get();
        }
        err.println("village htx: using [network.betanet] from " + loaded.describe());
    }

    private final InputStream stdin;
    private final OutputStream stdout;

    public HtxServeCommand() {
        this(System.in, new FileOutputStream(FileDescriptor.out));
    }

    HtxServeCommand(InputStream stdin, OutputStream stdout) {
        this.stdin = stdin;
        this.stdout = stdout;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        CliSupport.Environment env = CliSupport.environment(spec);
        applyConfiguration(err);
        InetSocketAddress bind = HostPort.parse(listen);
        ServerState st = new ServerState(env.resolve(state));
        KeyPair serverKey = st.serverKey();
        TicketIssuerKey ticket = st.ticketKey();
        TlsIdentity tls;
        Path caHint = null;
        if (cert != null || key != null) {
            if (cert == null || key == null) {
                throw new UserException("--cert and --key go together");
            }
            tls = new TlsIdentity.PemFiles(env.resolve(cert), env.resolve(key));
        } else {
            LinkedHashSet<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
            if (!bind.getHostString().equals("0.0.0.0") && !bind.getHostString().equals("::")) {
                names.add(bind.getHostString());
            }
            Path[] dev = st.devCertificates(new ArrayList<>(names));
            tls = new TlsIdentity.PemFiles(dev[0], dev[1]);
            caHint = st.dir.resolve("ca.pem").toAbsolutePath().normalize();
        }
        DecoySite site = decoy != null && decoy.origin != null ? new DecoySite.ReverseProxy(decoy.origin)
                : new DecoySite.StaticDirectory(decoy != null && decoy.dir != null ? env.resolve(decoy.dir) : st.defaultSite());
        HtxServerConfig config = HtxServerConfig.of(bind, tls, serverKey, List.of(ticket), site)
                .withKeyAgreement(KeyAgreements.parse(keyAgreement))
                // The ticket key persists in the state directory, so what it has admitted must too:
                // otherwise a ticket seen on the wire would work again after a restart.
                .withReplayStore(st.dir.resolve("ticket-replay.db"));
        try (HtxServer server = HtxServer.bind(config)) {
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            InetSocketAddress at = server.localAddress();
            err.println("village htx: listening on " + HostPort.format(at) + " (decoy: " + describe(site)
                    + ", inner key agreement: " + config.effectiveKeyAgreement().name().toLowerCase() + ")");
            err.println("village htx: connect with:");
            err.println("  village htx connect " + HostPort.format(at) + " --server-name localhost"
                    + " --server-key " + HexFormat.of().formatHex(serverKey.publicKey())
                    + " --ticket-key " + ticket.ticketKey().toHex()
                    + (caHint != null ? " --ca " + caHint : ""));
            err.flush();
            if (echo) {
                serveEcho(server, err);
                return 0;
            }
            HtxConnection c = server.accept(Duration.ofDays(365));
            if (c == null) {
                return 0;
            }
            try (c) {
                err.println("village htx: connection from " + c.remoteAddress() + " (" + c.keyAgreement().name().toLowerCase() + ")");
                err.flush();
                HtxStream s = c.acceptStream(Duration.ofDays(365));
                if (s == null) {
                    err.println("village htx: the client closed without opening a stream");
                    return 0;
                }
                Pipes.pipe(s, stdin, stdout);
            }
            return 0;
        }
    }

    private static void serveEcho(HtxServer server, PrintWriter err) throws IOException {
        HtxConnection c;
        while ((c = server.accept(Duration.ofDays(365))) != null) {
            HtxConnection conn = c;
            synchronized (err) {
                err.println("village htx: connection from " + conn.remoteAddress() + " (" + conn.keyAgreement().name().toLowerCase() + ")");
                err.flush();
            }
            Thread.ofVirtual().start(() -> {
                try (conn) {
                    HtxStream s;
                    while ((s = conn.acceptStream(Duration.ofDays(365))) != null) {
                        HtxStream st = s;
                        Thread.ofVirtual().start(() -> {
                            try (st) {
                                st.inputStream().transferTo(st.outputStream());
                                st.shutdownOutput();
                            } catch (IOException e) {
                                // connection gone
                            }
                        });
                    }
                } catch (IOException e) {
                    // connection gone
                }
            });
        }
    }

    private static String describe(DecoySite site) {
        return switch (site) {
            case DecoySite.StaticDirectory d -> "static directory " + d.root();
            case DecoySite.ReverseProxy p -> "reverse proxy to " + p.origin();
        };
    }
}
