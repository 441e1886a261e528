package org.aivillage.cli.vault;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.aivillage.cli.CliSupport;
import org.aivillage.cli.config.ConfigOption;
import org.aivillage.config.UserException;
import org.aivillage.config.VillageConfig;
import org.aivillage.config.daemon.DaemonRuntime;
import io.micrometer.core.instrument.Gauge;
import org.aivillage.vault.AccessPolicy;
import org.aivillage.vault.DigitalTwin;
import org.aivillage.vault.Operation;
import org.aivillage.vault.PrivacyLevel;
import org.aivillage.vault.Receipt;
import org.aivillage.vault.SyncResult;
import org.aivillage.vault.SyncServer;
import org.aivillage.vault.TwinNotFoundException;
import org.aivillage.vault.TwinSummary;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.vault.DeviceCard;
import org.aivillage.vault.TwinVault;
import org.aivillage.vault.TwinVersion;
import org.aivillage.vault.VaultConfig;
import org.aivillage.vault.VaultException;
import org.aivillage.vault.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code village vault} subcommands. */
final class VaultCommands {
    private VaultCommands() {}

    /** Exit code of {@code verify-receipt} and {@code check} when verification fails. */
    static final int EXIT_VERIFY_FAILED = 3;

    /** Runs a vault command; a vault error is one line on stderr and exit code 2 (a user error). */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        VaultOptions vaultOptions;

        @Mixin
        ConfigOption configOption;

        final Vault vault = new Vault();

        /** Opens the vault the options describe. */
        final class Vault {
            TwinVault open() {
                return vaultOptions.open(configOption);
            }

            VaultConfig config() {
                return vaultOptions.config(configOption);
            }
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public final Integer call() throws Exception {
            try {
                return run();
            } catch (VaultException | IllegalArgumentException e) {
                throw new UserException("vault " + spec.name() + ": " + e.getMessage(), e);
            }
        }

        abstract int run() throws Exception;

        void writeReceipt(Path file, Receipt r) throws IOException {
            if (file != null) {
                Files.write(CliSupport.environment(spec).resolve(file), r.encoded());
            }
        }
    }

    abstract static class Acting extends Base {
        @Option(names = "--as", required = true, paramLabel = "USER", description = "The acting user (checked against owner and grants).")
        String actor;
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Store a twin (first put, owned by --as) or write a new version of it.")
    static final class Put extends Acting {
        @Option(names = "--id", required = true, description = "Twin id.")
        String id;

        @Option(names = "--data", paramLabel = "JSON", description = "The twin's JSON object.")
        String data;

        @Option(names = "--file", paramLabel = "FILE", description = "Read the JSON object from FILE (- for standard input).")
        String file;

        @Option(names = "--privacy", description = "public, private, confidential or secret (default: private, or unchanged).")
        PrivacyLevel privacy;

        @Option(names = "--owner", description = "Owner of a new twin (default: the acting user).")
        String owner;

        @Option(names = "--expect-version", paramLabel = "N",
                description = "Fail with a conflict unless N is still the newest version (optimistic concurrency).")
        Long expectVersion;

        @Option(names = "--receipt-out", paramLabel = "FILE", description = "Write the signed receipt (COSE_Sign1) to FILE.")
        Path receiptOut;

        @Override
        int run() throws IOException {
            String json = data;
            if ((data == null) == (file == null)) {
                throw new ParameterException(spec.commandLine(), "give exactly one of --data and --file");
            }
            if (file != null) {
                json = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(CliSupport.environment(spec).resolve(Path.of(file)));
            }
            try (TwinVault v = vault.open()) {
                DigitalTwin current;
                try {
                    current = v.getTwin(actor, id);
                } catch (TwinNotFoundException e) {
                    current = null;
                }
                TwinVault.WriteResult r;
                if (current == null) {
                    r = v.storeTwin(actor, DigitalTwin.create(id, owner == null ? actor : owner, json,
                            privacy == null ? PrivacyLevel.PRIVATE : privacy));
                } else {
                    long expected = expectVersion != null ? expectVersion : current.version();
                    DigitalTwin next = new DigitalTwin(id, current.owner(), expected, json,
                            privacy == null ? current.privacyLevel() : privacy, current.lastUpdated());
                    r = v.updateTwin(actor, next);
                }
                if (receiptOut != null) {
                    writeReceipt(receiptOut, r.receipt());
                }
                out().println("twin '" + id + "' version " + r.twin().version() + " stored (receipt #" + r.receiptSeq() + ")");
            }
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print a twin's JSON (newest version or --version).")
    static final class Get extends Acting {
        @Option(names = "--id", required = true)
        String id;

        @Option(names = "--version", paramLabel = "N")
        Long version;

        @Option(names = {"-m", "--meta"}, description = "Also print owner, version, privacy and time on stderr.")
        boolean meta;

        @Override
        int run() {
            try (TwinVault v = vault.open()) {
                DigitalTwin t = version == null ? v.getTwin(actor, id) : v.getTwin(actor, id, version);
                if (meta) {
                    spec.commandLine().getErr().println("twin '" + t.id() + "' owner " + t.owner() + " version " + t.version()
                            + " " + t.privacyLevel().name().toLowerCase() + " written " + t.lastUpdated());
                }
                out().println(t.data());
            }
            return 0;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "List every version of a twin.")
    static final class History extends Acting {
        @Option(names = "--id", required = true)
        String id;

        @Override
        int run() {
            try (TwinVault v = vault.open()) {
                out().printf("%-8s %-24s %-12s %-8s %s%n", "VERSION", "WRITTEN", "PRIVACY", "BYTES", "AUTHOR");
                for (TwinVersion h : v.history(actor, id)) {
                    out().printf("%-8d %-24s %-12s %-8d %s%n", h.version(), h.lastUpdated(), h.privacyLevel().name().toLowerCase(),
                            h.storedBytes(), h.author());
                }
            }
            return 0;
        }
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Grant users operations on a twin until an expiry.")
    static final class Grant extends Acting {
        @Option(names = "--id", required = true)
        String id;

        @Option(names = "--to", required = true, split = ",", paramLabel = "USER", description = "Users to grant (comma-separated).")
        List<String> users;

        @Option(names = "--ops", required = true, split = ",", paramLabel = "OP", description = "read, update, delete, share.")
        List<String> ops;

        @Option(names = "--expires", paramLabel = "INSTANT", description = "Expiry, e.g. 2026-12-31T23:59:59Z.")
        String expires;

        @Option(names = "--for", paramLabel = "DURATION", description = "Expiry relative to now, e.g. 7d, 12h, 30m, PT2H.")
        String forDuration;

        @Option(names = "--receipt-out", paramLabel = "FILE")
        Path receiptOut;

        @Override
        int run() throws IOException {
            Instant expiry = expiry(spec, expires, forDuration);
            EnumSet<Operation> set = EnumSet.noneOf(Operation.class);
            try {
                ops.forEach(o -> set.add(Operation.parse(o)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            try (TwinVault v = vault.open()) {
                Receipt r = v.setAccessPolicy(actor, new AccessPolicy(id, set, new LinkedHashSet<>(users), expiry));
                writeReceipt(receiptOut, r);
                out().println("granted " + set + " on '" + id + "' to " + String.join(", ", users) + " until " + expiry
                        + " (receipt #" + r.seq() + ")");
            }
            return 0;
        }

        static Instant expiry(CommandSpec spec, String at, String rel) {
            if ((at == null) == (rel == null)) {
                throw new ParameterException(spec.commandLine(), "give exactly one of --expires and --for");
            }
            try {
                if (at != null) {
                    return Instant.parse(at);
                }
                String s = rel.strip();
                Duration d = switch (s.isEmpty() ? ' ' : s.charAt(s.length() - 1)) {
                    case 'd' -> Duration.ofDays(Long.parseLong(s.substring(0, s.length() - 1)));
                    case 'h' -> Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
                    case 'm' -> Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
                    case 's' -> Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
                    default -> Duration.parse(s);
                };
                return Instant.now().plus(d);
            } catch (DateTimeParseException | NumberFormatException e) {
                throw new ParameterException(spec.commandLine(), "cannot read the expiry '" + (at != null ? at : rel) + "'");
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Remove a user's grant on a twin.")
    static final class Revoke extends Acting {
        @Option(names = "--id", required = true)
        String id;

        @Option(names = "--user", required = true)
        String user;

        @Override
        int run() {
            try (TwinVault v = vault.open()) {
                Receipt r = v.revokeAccess(actor, id, user);
                out().println("revoked " + user + " on '" + id + "' (receipt #" + r.seq() + ")");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the twins the acting user owns or may read.")
    static final class ListTwins extends Acting {
        @Override
        int run() {
            try (TwinVault v = vault.open()) {
                out().printf("%-32s %-16s %-8s %-12s %s%n", "ID", "OWNER", "VERSION", "PRIVACY", "UPDATED");
                for (TwinSummary t : v.listTwinsForUser(actor)) {
                    out().printf("%-32s %-16s %-8d %-12s %s%n", t.id(), t.owner(), t.version(), t.privacyLevel().name().toLowerCase(),
                            t.lastUpdated());
                }
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a twin by destroying its data key (crypto-erasure).")
    static final class Delete extends Acting {
        @Option(names = "--id", required = true)
        String id;

        @Override
        int run() {
            try (TwinVault v = vault.open()) {
                Receipt r = v.deleteTwin(actor, id);
                out().println("twin '" + id + "' erased (receipt #" + r.seq() + ")");
            }
            return 0;
        }
    }

    @Command(name = "backup", mixinStandardHelpOptions = true, description = "Write an encrypted snapshot of the vault; prints its path.")
    static final class Backup extends Base {
        @Override
        int run() {
            try (TwinVault v = vault.open()) {
                out().println(v.createBackup());
            }
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Restore a backup of this vault (or recreate the vault from it in an empty directory).")
    static final class Restore extends Base {
        @Parameters(paramLabel = "BACKUP")
        Path backup;

        @Override
        int run() {
            try (TwinVault v = TwinVault.restoreInto(vault.config(), CliSupport.environment(spec).resolve(backup))) {
                out().println("restored " + backup.getFileName() + " into " + v.config().storagePath());
            }
            return 0;
        }
    }

    @Command(name = "receipts", mixinStandardHelpOptions = true, description = "List audit receipts; optionally write each to a file.")
    static final class Receipts extends Base {
        @Option(names = "--from", defaultValue = "1")
        long from;

        @Option(names = "--limit", defaultValue = "100")
        int limit;

        @Option(names = "--twin", paramLabel = "ID", description = "Only receipts about this twin.")
        String twin;

        @Option(names = "--out-dir", paramLabel = "DIR", description = "Write receipt-<seq>.cose files here.")
        Path outDir;

        @Override
        int run() throws IOException {
            try (TwinVault v = vault.open()) {
                List<Receipt> rs = twin == null ? v.receipts(from, limit) : v.receiptsForTwin(twin, limit);
                Path dirOut = outDir == null ? null : CliSupport.environment(spec).resolve(outDir);
                if (dirOut != null) {
                    Files.createDirectories(dirOut);
                }
                for (Receipt r : rs) {
                    out().println(r);
                    if (dirOut != null) {
                        Files.write(dirOut.resolve("receipt-" + r.seq() + ".cose"), r.encoded());
                    }
                }
                var audit = v.verifyAuditLog();
                out().println("audit log: " + audit.receipts() + " receipts, " + (audit.ok() ? "chain and signatures OK"
                        : audit.problems().size() + " problems: " + audit.problems().getFirst()));
            }
            return 0;
        }
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true, description = "Create a random master key file (mode 0600).")
    static final class Keygen implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            try {
                TwinVault.writeKeyFile(CliSupport.environment(spec).resolve(file));
            } catch (VaultException e) {
                throw new UserException("vault keygen: " + e.getMessage(), e);
            }
            spec.commandLine().getOut().println("wrote a new vault key to " + file);
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Show the vault id and device key.")
    static final class Info extends Base {
        @Override
        int run() {
            try (TwinVault v = vault.open()) {
                out().println("vault      " + HexFormat.of().formatHex(v.vaultId()));
                out().println("directory  " + v.config().storagePath().toAbsolutePath());
                out().println("device key " + HexFormat.of().formatHex(v.devicePublicKey()));
                out().println("sync key   " + HexFormat.of().formatHex(v.deviceCard().noiseKey()));
                out().println("device card " + v.deviceCard().toHex());
            }
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Decrypt every record and check the audit chain; name each damaged twin.")
    static final class Check extends Base {
        @Override
        int run() {
            try (TwinVault v = vault.open()) {
                VerifyReport r = v.verify();
                var a = v.verifyAuditLog();
                out().println(r.twins() + " twins, " + r.versions() + " versions, " + r.changes() + " changes checked; "
                        + a.receipts() + " receipts");
                r.problems().forEach(p -> out().println("PROBLEM " + p));
                a.problems().forEach(p -> out().println("PROBLEM audit " + p));
                return r.ok() && a.ok() ? 0 : EXIT_VERIFY_FAILED;
            }
        }
    }

    @Command(name = "device-add", mixinStandardHelpOptions = true,
            description = "List another device (its card, from `village vault info` there) as a device of an owner.")
    static final class DeviceAdd extends Acting {
        @Option(names = "--device", required = true, paramLabel = "CARD",
                description = "The other device's card: 256 hex digits (signing key, Noise key, signature).")
        String device;

        @Option(names = "--label", defaultValue = "")
        String label;

        @Override
        int run() {
            DeviceCard card;
            try {
                card = DeviceCard.fromHex(device);
            } catch (CodecException e) {
                throw new ParameterException(spec.commandLine(), "--device must be a device card from `village vault info`: "
                        + e.getMessage());
            }
            try (TwinVault v = vault.open()) {
                v.addDevice(actor, actor, card, label);
                out().println("device " + HexFormat.of().formatHex(card.signingKey()) + " added for " + actor);
            }
            return 0;
        }
    }

    @Command(name = "sync", mixinStandardHelpOptions = true, description = "Sync with a peer vault's `village vault serve`.")
    static final class SyncNow extends Base {
        @Parameters(paramLabel = "HOST:PORT")
        String peer;

        @Option(names = "--timeout", defaultValue = "PT30S", description = "Network timeout (ISO-8601 duration).")
        Duration timeout;

        @Override
        int run() {
            int colon = peer.lastIndexOf(':');
            if (colon < 1) {
                throw new ParameterException(spec.commandLine(), "peer must be HOST:PORT");
            }
            InetSocketAddress addr = new InetSocketAddress(peer.substring(0, colon), Integer.parseInt(peer.substring(colon + 1)));
            try (TwinVault v = vault.open()) {
                SyncResult r = v.syncWith(addr, timeout);
                out().println("synced with device " + HexFormat.of().formatHex(r.peerDevice(), 0, 8) + ": sent " + r.sent()
                        + ", received " + r.received() + ", applied " + r.applied() + ", rejected " + r.rejected()
                        + ", twins changed " + r.twinsChanged());
            }
            return 0;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Accept sync sessions from the owner's other devices until SIGTERM/SIGINT.",
                "Serves /health, /ready and /metrics on the admin port of [performance]."})
    static final class Serve extends Base {
        @Option(names = "--listen", defaultValue = "127.0.0.1:7420", paramLabel = "HOST:PORT")
        String listen;

        @Override
        int run() throws InterruptedException {
            int colon = listen.lastIndexOf(':');
            InetSocketAddress bind;
            try {
                bind = new InetSocketAddress(InetAddress.getByName(listen.substring(0, colon)), Integer.parseInt(listen.substring(colon + 1)));
            } catch (IOException | RuntimeException e) {
                throw new ParameterException(spec.commandLine(), "--listen must be HOST:PORT");
            }
            VillageConfig village = configOption.loadForDaemon();
            try (DaemonRuntime rt = DaemonRuntime.start("twin-vault", village)) {
                TwinVault v = rt.register(vault.open());
                SyncServer s = rt.register(v.startSyncServer(bind));
                rt.readiness().register("vault", () -> !v.isClosed());
                Gauge.builder("twin_vault_sync_sessions_completed", s, SyncServer::completedSessions).register(rt.metrics());
                Gauge.builder("twin_vault_sync_sessions_failed", s, SyncServer::failedSessions).register(rt.metrics());
                out().println("serving vault sync on " + s.address() + " (device " + HexFormat.of().formatHex(v.devicePublicKey()) + ")");
                out().flush();
                rt.awaitShutdown();
            }
            return 0;
        }
    }
}
