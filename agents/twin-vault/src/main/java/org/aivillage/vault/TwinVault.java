package org.aivillage.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.aivillage.betanet.codec.CborValue;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.Aead;
import org.aivillage.betanet.crypto.AuthenticationFailedException;
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.vault.internal.AuditLog;
import org.aivillage.vault.internal.VersionAad;
import org.aivillage.vault.internal.Change;
import org.aivillage.vault.internal.CrdtOp;
import org.aivillage.vault.internal.Db;
import org.aivillage.vault.internal.DekCache;
import org.aivillage.vault.internal.Hlc;
import org.aivillage.vault.internal.Json;
import org.aivillage.vault.internal.JsonDiff;
import org.aivillage.vault.internal.MasterKeys;
import org.aivillage.vault.internal.PassphraseKdf;
import org.aivillage.vault.internal.Sealer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An encrypted, versioned store of digital twins in one SQLite database.
 *
 * <p>Every version of every twin is kept and encrypted with that twin's own random data key
 * (XChaCha20-Poly1305 or AES-256-GCM, fresh random nonce per record, AAD binding vault id, twin
 * id, owner, version, privacy level and time); data keys are wrapped by a key-encryption key
 * derived from the master key. Updates use optimistic concurrency. Every call names the acting
 * user and is checked against the twin's owner and its access grants; every call, allowed or
 * not, gets a signed audit receipt (COSE_Sign1, Ed25519, hash-chained). Deleting a twin destroys
 * its data key (crypto-erasure). Twins of one owner on several devices converge by exchanging
 * signed CRDT changes ({@link #syncWith}, {@link #startSyncServer}).
 *
 * <p>Thread-safe; calls block. One process at a time may open a vault directory.
 */
public final class TwinVault implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TwinVault.class);

    public static final int MAX_ID_LENGTH = 256;
    public static final int MAX_DATA_BYTES = 16 << 20;
    /** Bound of the queue of read receipts waiting for group commit. */
    public static final int AUDIT_QUEUE = 8192;
    static final int FLAG_COMPRESSED = 1;
    static final String ADMIN = "vault-admin";
    static final String META_PASSPHRASE_KDF = "passphrase_kdf";
    /** meta.format: 2 = Argon2id passphrase parameters in meta, Noise sync keys in the device list. */
    static final byte FORMAT = 2;

    static final int CHANGE_SIGNED = 1;
    static final int CHANGE_PLAIN_SIGNED = 2;

    /**
     * The new version of a twin and the audit entry of the write. The entry commits with the
     * write; its signed receipt follows with the next signing batch ({@link #receipt()} waits for it).
     */
    public static final class WriteResult {
        private final TwinVault vault;
        private final DigitalTwin twin;
        private final long receiptSeq;

        WriteResult(TwinVault vault, DigitalTwin twin, long receiptSeq) {
            this.vault = vault;
            this.twin = twin;
            this.receiptSeq = receiptSeq;
        }

        public DigitalTwin twin() {
            return twin;
        }

        /** The sequence number of the write's audit entry. */
        public long receiptSeq() {
            return receiptSeq;
        }

        /** The signed receipt of the write; waits for its signing batch (milliseconds). */
        public Receipt receipt() {
            return vault.awaitReceipt(receiptSeq);
        }

        @Override
        public String toString() {
            return "WriteResult[" + twin + ", receipt #" + receiptSeq + "]";
        }
    }

    final VaultConfig config;
    final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantReadWriteLock keyLock = new ReentrantReadWriteLock();
    final Db db;
    final byte[] vaultId;
    private byte[] kek;
    private long kekGen;
    KeyPair device;
    /** The X25519 static key of this device for the Noise sync handshake (bound to {@link #device} by its card). */
    final KeyPair noise;
    final Hlc hlc;
    final AuditLog audit;
    private final Semaphore auditSignal = new Semaphore(0);
    /** Cuts the flusher's group-commit window short: someone waits for a receipt, or the read queue fills. */
    private final Semaphore auditUrgent = new Semaphore(0);
    /**
     * How long the flusher lets audit work accumulate before committing queued read entries and
     * signing: one signature and one small transaction per window instead of per operation.
     * Receipts that a caller waits for are signed at once.
     */
    static final long AUDIT_WINDOW_MS = 50;
    /** Twin numbers reserved per block (see {@link #reserveTwinNumbers}); at most one block is skipped per open. */
    static final long TWIN_NUM_BLOCK = 1024;
    static final long MAX_TWIN_NUM = Integer.MAX_VALUE;
    /** Unwrapped data keys of recently used twins (bounded, wiped on erase, restore, rotation, close). */
    static final int DEK_CACHE_ENTRIES = 4096;
    final DekCache deks = new DekCache(DEK_CACHE_ENTRIES);
    /**
     * Owner and number of recently read twins: both never change once a twin exists (ids are not
     * reused), so a read that finds them here and the data key in {@link #deks} is one primary-key
     * range lookup of the version row. Bounded; cleared when it fills and on restore.
     */
    static final int IDENTITY_CACHE_ENTRIES = 4096;
    private static final int PRIVACY_LEVELS = PrivacyLevel.values().length;
    private final java.util.concurrent.ConcurrentHashMap<String, Identity> identities = new java.util.concurrent.ConcurrentHashMap<>();
    private final VersionAad versionAads;
    /** Twins erased by the current write transaction; guarded by the write lock. */
    private final List<String> erasedInTransaction = new ArrayList<>();
    /** Guarded by the write lock. */
    private long nextTwinNum;
    private long twinNumHwm;
    private final Thread flusher;
    private volatile boolean closed;

    private TwinVault(VaultConfig config, Clock clock, FileChannel lockChannel, FileLock fileLock, Db db,
            byte[] vaultId, byte[] kek, long kekGen, KeyPair device, KeyPair noise) throws SQLException {
        this.config = config;
        this.clock = clock;
        this.lockChannel = lockChannel;
        this.fileLock = fileLock;
        this.db = db;
        this.vaultId = vaultId;
        this.kek = kek;
        this.kekGen = kekGen;
        this.device = device;
        this.noise = noise;
        this.hlc = new Hlc(clock::millis);
        this.audit = new AuditLog(vaultId, device, AUDIT_QUEUE);
        this.versionAads = new VersionAad(vaultId);
        loadVolatileState();
        this.flusher = Thread.ofVirtual().name("twin-vault-audit").unstarted(this::flushLoop);
        flusher.start();
    }

    /** Opens the vault in {@code config.storagePath()}, creating it on first use. */
    public static TwinVault open(VaultConfig config) {
        return open(config, Clock.systemUTC());
    }

    /** As {@link #open(VaultConfig)}, with the clock used for times, grant expiry and HLC. */
    public static TwinVault open(VaultConfig config, Clock clock) {
        Path dir = config.storagePath();
        FileChannel ch = null;
        FileLock lock = null;
        Db db = null;
        try {
            createPrivateDirectory(dir);
            ch = FileChannel.open(dir.resolve("vault.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new VaultException("vault " + dir + " is already open (in this or another process)");
            }
            db = new Db(config.databaseFile());
            restrictPermissions(config.databaseFile());
            Db.Conn w = db.writer();
            byte[] vaultId = meta(w, "vault_id");
            byte[] kek;
            long kekGen;
            KeyPair device;
            KeyPair noise;
            if (vaultId == null) {
                vaultId = Randomness.bytes(16);
                PassphraseKdf kdf = MasterKeys.freshKdf(config.masterKey());
                byte[] master = MasterKeys.master(config.masterKey(), kdf);
                kek = MasterKeys.kek(master, vaultId);
                Sealer.wipe(master);
                kekGen = 1;
                device = Ed25519.generateKeyPair();
                noise = X25519.generateKeyPair();
                putMeta(w, "vault_id", vaultId);
                putMeta(w, "format", new byte[] {FORMAT});
                putMeta(w, "created_ms", Long.toString(clock.millis()).getBytes(StandardCharsets.US_ASCII));
                putMeta(w, "kek_gen", new byte[] {1});
                if (kdf != null) {
                    putMeta(w, META_PASSPHRASE_KDF, kdf.encode());
                }
                putMeta(w, "key_check", keyCheck(kek, vaultId));
                putMeta(w, "device_pub", device.publicKey());
                byte[] seed = device.privateKey();
                putMeta(w, "device_key", Sealer.seal(Aead.Algorithm.XCHACHA20_POLY1305, kek, deviceKeyAad(vaultId), seed));
                Sealer.wipe(seed);
                putMeta(w, "noise_pub", noise.publicKey());
                byte[] noiseSeed = noise.privateKey();
                putMeta(w, "noise_key", Sealer.seal(Aead.Algorithm.XCHACHA20_POLY1305, kek, noiseKeyAad(vaultId), noiseSeed));
                Sealer.wipe(noiseSeed);
                w.commit();
                log.info("created twin vault {} in {}", HexFormat.of().formatHex(vaultId), dir);
            } else {
                PassphraseKdf kdf = passphraseKdf(w);
                boolean byPassphrase = config.masterKey() instanceof MasterKeySource.Passphrase;
                if (kdf == null && byPassphrase) {
                    throw new WrongKeyException("vault " + dir + " was created with a key, not a passphrase");
                }
                if (kdf != null && !byPassphrase) {
                    throw new WrongKeyException("vault " + dir + " is protected by a passphrase; open it with the passphrase");
                }
                byte[] master = MasterKeys.master(config.masterKey(), kdf);
                kek = MasterKeys.kek(master, vaultId);
                Sealer.wipe(master);
                try {
                    Sealer.open(kek, keyCheckAad(vaultId), meta(w, "key_check"));
                } catch (AuthenticationFailedException e) {
                    Sealer.wipe(kek);
                    throw new WrongKeyException((byPassphrase ? "wrong passphrase for vault " : "wrong master key for vault ") + dir
                            + " (id " + HexFormat.of().formatHex(vaultId) + "): the key check does not open");
                }
                kekGen = new java.math.BigInteger(1, meta(w, "kek_gen")).longValue();
                byte[] seed;
                try {
                    seed = Sealer.open(kek, deviceKeyAad(vaultId), meta(w, "device_key"));
                } catch (AuthenticationFailedException e) {
                    throw new TwinCorruptedException("the vault's device signing key is corrupted");
                }
                device = new KeyPair(seed, Ed25519.publicKey(seed));
                Sealer.wipe(seed);
                byte[] noiseSeed;
                try {
                    noiseSeed = Sealer.open(kek, noiseKeyAad(vaultId), meta(w, "noise_key"));
                } catch (AuthenticationFailedException e) {
                    throw new TwinCorruptedException("the vault's sync (Noise) key is corrupted");
                }
                noise = new KeyPair(noiseSeed, X25519.publicKey(noiseSeed));
                Sealer.wipe(noiseSeed);
                w.commit();
            }
            return new TwinVault(config, clock, ch, lock, db, vaultId, kek, kekGen, device, noise);
        } catch (SQLException | IOException | RuntimeException e) {
            closeQuietly(db, lock, ch);
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new VaultException("cannot open vault " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Creates a new random 32-byte key file (hex, mode 0600); fails if the file exists. */
    public static void writeKeyFile(Path path) {
        byte[] key = Randomness.bytes(32);
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createFile(path);
            restrictPermissions(path);
            Files.writeString(path, HexFormat.of().formatHex(key) + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new VaultException("key file " + path + " already exists; refusing to overwrite it");
        } catch (IOException e) {
            throw new VaultException("cannot write key file " + path + ": " + e.getMessage(), e);
        } finally {
            Sealer.wipe(key);
        }
    }

    // ---------------------------------------------------------------- identity

    /**
     * The device public key of the vault in {@code storagePath}, read without its master key (it
     * is public: receipts name it). For checking receipts against the vault that signed them.
     */
    public static byte[] readDevicePublicKey(Path storagePath) {
        Path db = storagePath.resolve("vault.db");
        if (!Files.isRegularFile(db)) {
            throw new VaultException("no vault in " + storagePath);
        }
        org.sqlite.SQLiteConfig cfg = new org.sqlite.SQLiteConfig();
        cfg.setReadOnly(true);
        try (java.sql.Connection c = cfg.createConnection("jdbc:sqlite:" + db.toAbsolutePath());
                PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = 'device_pub'");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new VaultException("vault " + storagePath + " has no device key (not initialised)");
            }
            return rs.getBytes(1);
        } catch (SQLException e) {
            throw storage("reading the device key of " + storagePath, e);
        }
    }

    /** The vault's random 16-byte id. */
    public byte[] vaultId() {
        return vaultId.clone();
    }

    /**
     * This device's card: its Ed25519 signing key and X25519 Noise key, bound by a signature. Give
     * it to the owner's other devices ({@code village vault info} prints it) for {@link #addDevice}.
     */
    public DeviceCard deviceCard() {
        return DeviceCard.sign(device, noise.publicKey());
    }

    /** This vault's device signing key (Ed25519 public key): signs receipts and sync changes. */
    public byte[] devicePublicKey() {
        return device.publicKey();
    }

    public VaultConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- twins

    /**
     * Stores a new twin as version 1. Only its owner may store it ({@code actor} must equal
     * {@code twin.owner()}); the given version and time are ignored.
     *
     * @throws InvalidTwinException bad id or owner, data not a JSON object, or the id already exists
     * @throws AccessDeniedException the actor is not the owner
     */
    public WriteResult storeTwin(String actor, DigitalTwin twin) {
        Note note = new Note();
        DigitalTwin stored = writeOp(actor, "store", twin.id(), note, w -> {
            validateName("twin id", twin.id());
            validateName("owner", twin.owner());
            if (!actor.equals(twin.owner())) {
                throw new AccessDeniedException("user '" + actor + "' may not create twin '" + twin.id()
                        + "' owned by '" + twin.owner() + "': only the owner stores a new twin");
            }
            ObjectNode data = parseData(twin);
            long now = clock.millis();
            byte[] dek = Randomness.bytes(32);
            try {
                Hlc.Tick t = hlc.tick();
                long num;
                try {
                    // No lookup first: the primary key refuses an existing id (the common case costs one b-tree walk).
                    num = insertTwin(w, twin.id(), twin.owner(), 1, twin.privacyLevel(), now, dek, t);
                } catch (SQLException e) {
                    TwinRow existing = isConstraintViolation(e) ? twinRow(w, twin.id()) : null;
                    if (existing == null) {
                        throw e;
                    }
                    throw new InvalidTwinException("twin '" + twin.id() + "' already exists"
                            + (existing.erased ? " (erased; ids are not reused)" : " at version " + existing.head + "; use updateTwin"));
                }
                Change change = localChange(twin.id(), twin.owner(), Json.emptyObject(), null, data, twin.privacyLevel(), t);
                String canonical = Json.canonical(data);
                insertVersion(w, num, twin.id(), twin.owner(), 1, twin.privacyLevel(), now, actor, dek, canonical, change);
                note.version = 1L;
                return new DigitalTwin(twin.id(), twin.owner(), 1, canonical, twin.privacyLevel(), Instant.ofEpochMilli(now));
            } finally {
                Sealer.wipe(dek);
            }
        });
        return new WriteResult(this, stored, note.receiptSeq);
    }

    /**
     * Writes a new version of a twin. {@code twin.version()} must be the newest version (the one the
     * caller read); otherwise nothing is written and {@link VersionConflictException} is thrown.
     * Data and privacy level may change; id and owner may not.
     */
    public WriteResult updateTwin(String actor, DigitalTwin twin) {
        Note note = new Note();
        DigitalTwin stored = writeOp(actor, "update", twin.id(), note, w -> {
            TwinRow row = requireLive(w, twin.id());
            authorize(w, actor, row, Operation.UPDATE);
            if (!row.owner.equals(twin.owner())) {
                throw new InvalidTwinException("the owner of twin '" + twin.id() + "' is '" + row.owner + "' and cannot be changed");
            }
            if (twin.version() != row.head) {
                throw new VersionConflictException(twin.id(), twin.version(), row.head);
            }
            ObjectNode data = parseData(twin);
            byte[] dek = dataKey(w, row);
            try {
                DigitalTwin current = decryptVersion(w, row, row.head, dek);
                Hlc.Tick t = hlc.tick();
                Change change = localChange(row.id, row.owner, Json.parseObject(current.data()), row.privacy, data, twin.privacyLevel(), t);
                long now = clock.millis();
                long v = row.head + 1;
                String canonical = Json.canonical(data);
                insertVersion(w, row.num, row.id, row.owner, v, twin.privacyLevel(), now, actor, dek, canonical, change);
                setHead(w, row.id, v, twin.privacyLevel(), now, row.head, change == null ? null : t);
                note.version = v;
                return new DigitalTwin(row.id, row.owner, v, canonical, twin.privacyLevel(), Instant.ofEpochMilli(now));
            } finally {
                Sealer.wipe(dek);
            }
        });
        return new WriteResult(this, stored, note.receiptSeq);
    }

    /** The newest version of a twin. */
    public DigitalTwin getTwin(String actor, String id) {
        return readTwin(actor, id, -1);
    }

    /** A given version of a twin. */
    public DigitalTwin getTwin(String actor, String id, long version) {
        if (version < 1) {
            throw new IllegalArgumentException("versions start at 1");
        }
        return readTwin(actor, id, version);
    }

    private DigitalTwin readTwin(String actor, String id, long version) {
        Note note = new Note();
        return readOp(actor, "get", id, note, c -> {
            DigitalTwin fast = readKnownTwin(c, actor, id, version, note);
            return fast != null ? fast : readTwinRow(c, actor, id, version, note);
        });
    }

    /** An owner and number known to belong to a twin id (they never change). */
    private record Identity(String owner, long num) {}

    /**
     * The read of a twin whose owner and number are cached and whose data key is in the key cache:
     * one lookup of the version row (the newest one is the last row of the twin's vid range, so the
     * twin row is not needed). Returns null to take the full path ({@link #readTwinRow}): unknown
     * twin, no such version (also after an erase, which deletes the versions), a data key that does
     * not open the record (the full path checks it against the stored wrapped key).
     */
    private DigitalTwin readKnownTwin(Db.Conn c, String actor, String id, long version, Note note) throws SQLException {
        Identity ident = identities.get(id);
        if (ident == null || version > MAX_VERSION) {
            return null;
        }
        byte[] dek = deks.getTrusted(id);
        if (dek == null) {
            return null;
        }
        try {
            // Time, privacy and flags come packed in one column (the driver's cost grows with the
            // column count); values that do not fit decode wrongly, fail the AAD and take the full path.
            PreparedStatement ps;
            if (version < 0) {
                ps = c.ps("SELECT sealed, (updated_ms << 16) | ((privacy & 255) << 8) | (flags & 255), vid FROM versions"
                        + " WHERE vid BETWEEN ? AND ? ORDER BY vid DESC LIMIT 1");
                ps.setLong(1, ident.num() << 32);
                ps.setLong(2, (ident.num() << 32) | MAX_VERSION);
            } else {
                ps = c.ps("SELECT sealed, (updated_ms << 16) | ((privacy & 255) << 8) | (flags & 255) FROM versions WHERE vid = ?");
                ps.setLong(1, vid(ident.num(), version));
            }
            long v;
            long updated;
            PrivacyLevel privacy;
            int flags;
            byte[] sealed;
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                sealed = rs.getBytes(1);
                long packed = rs.getLong(2);
                v = version < 0 ? rs.getLong(3) & MAX_VERSION : version;
                updated = packed >> 16;
                int code = (int) (packed >>> 8) & 0xFF;
                if (code >= PRIVACY_LEVELS) {
                    return null;
                }
                privacy = PrivacyLevel.ofCode(code);
                flags = (int) packed & 0xFF;
            }
            TwinRow row = new TwinRow(id, ident.owner(), v, privacy, updated, false, null, 0, 0, ident.num());
            authorize(c, actor, row, Operation.READ);
            try {
                DigitalTwin t = openVersion(c, row, v, updated, privacy, flags, sealed, dek);
                note.version = v;
                return t;
            } catch (TwinCorruptedException e) {
                return null;
            }
        } finally {
            Sealer.wipe(dek);
        }
    }

    private DigitalTwin readTwinRow(Db.Conn c, String actor, String id, long version, Note note) throws SQLException {
        // One query for the twin row and the wanted version (the newest when version < 0), only
        // the columns a read needs (the driver fetches every column name on each execution).
        PreparedStatement ps = c.ps("SELECT t.owner, t.head, t.erased, t.wrapped, v.updated_ms, v.privacy, v.flags, v.sealed, t.num"
                + " FROM twins t LEFT JOIN versions v ON v.vid = t.num * 4294967296 + (CASE WHEN ? > 0 THEN ? ELSE t.head END)"
                + " WHERE t.id = ?");
        ps.setLong(1, version);
        ps.setLong(2, version);
        ps.setString(3, id);
        TwinRow row;
        long updated;
        PrivacyLevel privacy;
        int flags;
        byte[] sealed;
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new TwinNotFoundException("no twin '" + id + "' in this vault");
            }
            updated = rs.getLong(5);
            privacy = rs.wasNull() ? null : PrivacyLevel.ofCode(rs.getInt(6));
            flags = rs.getInt(7);
            sealed = rs.getBytes(8);
            // Only the fields a read uses: id, owner, head, erased, wrapped key.
            row = new TwinRow(id, rs.getString(1), rs.getLong(2), privacy, updated, rs.getInt(3) != 0, rs.getBytes(4), 0, 0, rs.getLong(9));
        }
        if (row.erased) {
            throw new TwinNotFoundException("twin '" + id + "' was deleted (its data key was destroyed)");
        }
        authorize(c, actor, row, Operation.READ);
        long v = version < 0 ? row.head : version;
        if (v > MAX_VERSION) {
            throw new TwinNotFoundException("twin '" + row.id + "' has no version " + v + " (newest is " + row.head + ")");
        }
        note.version = v;
        if (sealed == null || privacy == null) {
            throw new TwinNotFoundException("twin '" + row.id + "' has no version " + v + " (newest is " + row.head + ")");
        }
        byte[] dek = dataKey(c, row);
        try {
            DigitalTwin t = openVersion(c, row, v, updated, privacy, flags, sealed, dek);
            remember(id, row.owner, row.num);
            return t;
        } finally {
            Sealer.wipe(dek);
        }
    }

    private void remember(String id, String owner, long num) {
        if (identities.size() >= IDENTITY_CACHE_ENTRIES) {
            identities.clear();
        }
        identities.put(id, new Identity(owner, num));
    }

    /** Every version of a twin, oldest first, without decrypting them. */
    public List<TwinVersion> history(String actor, String id) {
        Note note = new Note();
        return readOp(actor, "history", id, note, c -> {
            TwinRow row = requireLive(c, id);
            authorize(c, actor, row, Operation.READ);
            note.version = row.head;
            PreparedStatement ps = c.ps("SELECT version, updated_ms, privacy, author, length(sealed) FROM versions"
                    + " WHERE vid BETWEEN ? AND ? ORDER BY vid");
            ps.setLong(1, row.firstVid());
            ps.setLong(2, row.lastVid());
            List<TwinVersion> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TwinVersion(id, rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)),
                            PrivacyLevel.ofCode(rs.getInt(3)), rs.getString(4), rs.getInt(5)));
                }
            }
            return out;
        });
    }

    /**
     * Decrypts versions {@code fromVersion..} of a twin in order and hands each to {@code sink}
     * (one receipt for the whole scan). Stops at the first version that fails to decrypt.
     */
    public long scanHistory(String actor, String id, long fromVersion, Consumer<DigitalTwin> sink) {
        Note note = new Note();
        return readOp(actor, "scan-history", id, note, c -> {
            TwinRow row = requireLive(c, id);
            authorize(c, actor, row, Operation.READ);
            note.version = row.head;
            byte[] dek = dataKey(c, row);
            long n = 0;
            try {
                PreparedStatement ps = c.ps("SELECT version, updated_ms, privacy, flags, sealed FROM versions"
                        + " WHERE vid BETWEEN ? AND ? ORDER BY vid");
                ps.setLong(1, row.vid(Math.max(0, Math.min(fromVersion, MAX_VERSION))));
                ps.setLong(2, row.lastVid());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(openVersion(c, row, rs.getLong(1), rs.getLong(2), PrivacyLevel.ofCode(rs.getInt(3)),
                                rs.getInt(4), rs.getBytes(5), dek));
                        n++;
                    }
                }
            } finally {
                Sealer.wipe(dek);
            }
            return n;
        });
    }

    /**
     * Deletes a twin by crypto-erasure: its data key, every version and change are destroyed (the
     * pages are zeroed: {@code secure_delete}; the WAL is checkpointed and truncated). The id stays
     * reserved. Erasure also propagates to the owner's other devices on the next sync. Backups made
     * before the delete still hold the twin (under the vault key) until they are deleted.
     */
    public Receipt deleteTwin(String actor, String id) {
        Note note = new Note();
        writeOp(actor, "delete", id, note, w -> {
            TwinRow row = requireLive(w, id);
            authorize(w, actor, row, Operation.DELETE);
            Hlc.Tick t = hlc.tick();
            Change erase = new Change(id, row.owner, device.publicKey(), t.wall(), t.counter(), List.of(new CrdtOp.Erase()));
            eraseLocally(w, row);
            insertSignedPlainChange(w, erase);
            setClock(w, id, t.wall(), t.counter());
            note.version = row.head;
            return null;
        });
        purgeWal();
        return awaitReceipt(note.receiptSeq);
    }

    /** The twins {@code user} owns or holds an unexpired read grant on (no data decrypted). */
    public List<TwinSummary> listTwinsForUser(String user) {
        Note note = new Note();
        return readOp(user, "list", null, note, c -> {
            PreparedStatement ps = c.ps("SELECT id, owner, head, privacy, updated_ms FROM twins WHERE erased = 0 AND"
                    + " (owner = ? OR id IN (SELECT twin_id FROM policies WHERE user = ? AND expiry_ms > ? AND (ops & ?) != 0))"
                    + " ORDER BY id");
            ps.setString(1, user);
            ps.setString(2, user);
            ps.setLong(3, clock.millis());
            ps.setInt(4, Operation.READ.bit());
            List<TwinSummary> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TwinSummary(rs.getString(1), rs.getString(2), rs.getLong(3),
                            PrivacyLevel.ofCode(rs.getInt(4)), Instant.ofEpochMilli(rs.getLong(5))));
                }
            }
            note.detail = out.size() + " twins";
            return out;
        });
    }

    // ---------------------------------------------------------------- access control

    /**
     * Grants {@code policy.allowedOperations()} on a twin to each of {@code policy.allowedUsers()}
     * until {@code policy.expiry()}, replacing their previous grants. The owner may grant anything;
     * a user holding SHARE may grant operations they hold themselves, expiring no later than
     * their own grant.
     */
    public Receipt setAccessPolicy(String actor, AccessPolicy policy) {
        Note note = new Note();
        writeOp(actor, "grant", policy.twinId(), note, w -> {
            TwinRow row = requireLive(w, policy.twinId());
            Grant own = authorize(w, actor, row, Operation.SHARE);
            if (own != null) {
                if (!own.ops.containsAll(policy.allowedOperations())) {
                    throw new AccessDeniedException("user '" + actor + "' may not grant " + policy.allowedOperations()
                            + " on twin '" + row.id + "': their own grant allows only " + own.ops);
                }
                if (policy.expiry().toEpochMilli() > own.expiryMs) {
                    throw new AccessDeniedException("user '" + actor + "' may not grant access to twin '" + row.id
                            + "' beyond their own grant's expiry " + Instant.ofEpochMilli(own.expiryMs));
                }
            }
            for (String user : policy.allowedUsers()) {
                validateName("user", user);
            }
            PreparedStatement ps = w.ps("INSERT INTO policies(twin_id, user, ops, expiry_ms, granted_by) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT(twin_id, user) DO UPDATE SET ops = excluded.ops, expiry_ms = excluded.expiry_ms,"
                    + " granted_by = excluded.granted_by");
            for (String user : policy.allowedUsers()) {
                if (user.equals(row.owner)) {
                    continue;
                }
                ps.setString(1, row.id);
                ps.setString(2, user);
                ps.setInt(3, Operation.mask(policy.allowedOperations()));
                ps.setLong(4, policy.expiry().toEpochMilli());
                ps.setString(5, actor);
                ps.executeUpdate();
            }
            note.detail = "users=" + String.join(",", policy.allowedUsers()) + " ops=" + policy.allowedOperations()
                    + " expiry=" + policy.expiry();
            return null;
        });
        return awaitReceipt(note.receiptSeq);
    }

    /** Removes {@code user}'s grant on a twin (owner or a SHARE holder may revoke). */
    public Receipt revokeAccess(String actor, String twinId, String user) {
        Note note = new Note();
        writeOp(actor, "revoke", twinId, note, w -> {
            TwinRow row = requireLive(w, twinId);
            authorize(w, actor, row, Operation.SHARE);
            PreparedStatement ps = w.ps("DELETE FROM policies WHERE twin_id = ? AND user = ?");
            ps.setString(1, twinId);
            ps.setString(2, user);
            int n = ps.executeUpdate();
            note.detail = "user=" + user + (n == 0 ? " (had no grant)" : "");
            return null;
        });
        return awaitReceipt(note.receiptSeq);
    }

    /** The grants on a twin, one policy per user (owner or a SHARE holder may list them). */
    public List<AccessPolicy> accessPolicies(String actor, String twinId) {
        Note note = new Note();
        return readOp(actor, "list-grants", twinId, note, c -> {
            TwinRow row = requireLive(c, twinId);
            authorize(c, actor, row, Operation.SHARE);
            PreparedStatement ps = c.ps("SELECT user, ops, expiry_ms FROM policies WHERE twin_id = ? ORDER BY user");
            ps.setString(1, twinId);
            List<AccessPolicy> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AccessPolicy(twinId, Operation.fromMask(rs.getInt(2)), Set.of(rs.getString(1)),
                            Instant.ofEpochMilli(rs.getLong(3))));
                }
            }
            return out;
        });
    }

    // ---------------------------------------------------------------- keys

    /**
     * Replaces the master key: every data key and the device key are re-wrapped under the new
     * key-encryption key in one transaction; twin records are not re-encrypted. Afterwards the
     * vault opens only with the new key (and backups made before need the old one).
     */
    public Receipt rotateMasterKey(MasterKeySource newKey) {
        Note note = new Note();
        PassphraseKdf newKdf = MasterKeys.freshKdf(newKey);
        byte[] master = MasterKeys.master(newKey, newKdf);
        byte[] newKek = MasterKeys.kek(master, vaultId);
        Sealer.wipe(master);
        // Lock order everywhere: the write lock, then the key lock.
        writeLock.lock();
        keyLock.writeLock().lock();
        try {
            writeOp(ADMIN, "rotate-key", null, note, w -> {
                long gen = kekGen + 1;
                PreparedStatement sel = w.ps("SELECT id, owner, wrapped FROM twins WHERE wrapped IS NOT NULL");
                PreparedStatement upd = w.ps("UPDATE twins SET wrapped = ?, kek_gen = ? WHERE id = ?");
                int n = 0;
                List<Object[]> rows = new ArrayList<>();
                try (ResultSet rs = sel.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Object[] {rs.getString(1), rs.getString(2), rs.getBytes(3)});
                    }
                }
                for (Object[] r : rows) {
                    String id = (String) r[0];
                    byte[] aad = dekAad(id, (String) r[1]);
                    byte[] dek;
                    try {
                        dek = Sealer.open(kek, aad, (byte[]) r[2]);
                    } catch (AuthenticationFailedException e) {
                        throw new TwinCorruptedException("data key of twin '" + id + "' failed to unwrap; rotation aborted");
                    }
                    upd.setBytes(1, Sealer.seal(Aead.Algorithm.XCHACHA20_POLY1305, newKek, aad, dek));
                    upd.setLong(2, gen);
                    upd.setString(3, id);
                    upd.executeUpdate();
                    Sealer.wipe(dek);
                    n++;
                }
                byte[] seed = device.privateKey();
                putMeta(w, "device_key", Sealer.seal(Aead.Algorithm.XCHACHA20_POLY1305, newKek, deviceKeyAad(vaultId), seed));
                Sealer.wipe(seed);
                byte[] noiseSeed = noise.privateKey();
                putMeta(w, "noise_key", Sealer.seal(Aead.Algorithm.XCHACHA20_POLY1305, newKek, noiseKeyAad(vaultId), noiseSeed));
                Sealer.wipe(noiseSeed);
                putMeta(w, "key_check", keyCheck(newKek, vaultId));
                putMeta(w, "kek_gen", java.math.BigInteger.valueOf(gen).toByteArray());
                if (newKdf != null) {
                    putMeta(w, META_PASSPHRASE_KDF, newKdf.encode());
                } else {
                    w.ps("DELETE FROM meta WHERE key = '" + META_PASSPHRASE_KDF + "'").executeUpdate();
                }
                note.detail = n + " data keys re-wrapped, key generation " + gen;
                note.onCommit = () -> {
                    deks.clear();
                    Sealer.wipe(kek);
                    kek = newKek;
                    kekGen = gen;
                };
                return null;
            });
        } finally {
            if (kek != newKek) {
                Sealer.wipe(newKek);
            }
            keyLock.writeLock().unlock();
            writeLock.unlock();
        }
        purgeWal();
        return awaitReceipt(note.receiptSeq);
    }

    // ---------------------------------------------------------------- audit

    /** Appends every queued read entry and signs every unsigned entry; returns when all are signed. */
    public void flushAudit() {
        writeLock.lock();
        try {
            requireOpen();
            signAllLocked();
        } catch (SQLException e) {
            throw storage("flushing the audit log", e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Under the write lock: append queued entries, then sign and store batches until none is left. */
    private void signAllLocked() throws SQLException {
        Db.Conn w = db.writer();
        AuditLog.Mark m = audit.mark();
        try {
            audit.appendPending(w);
            w.commit();
        } catch (SQLException e) {
            rollbackQuietly(w);
            audit.reset(m);
            throw e;
        }
        AuditLog.Batch b;
        while ((b = audit.takeBatch()) != null) {
            AuditLog.SignedBatch sb = audit.sign(b);
            storeBatch(w, sb);
        }
    }

    private void storeBatch(Db.Conn w, AuditLog.SignedBatch sb) throws SQLException {
        try {
            AuditLog.store(w, sb);
            w.commit();
        } catch (SQLException e) {
            rollbackQuietly(w);
            throw e;
        }
        audit.committed(sb);
    }

    /** The signed receipt of entry {@code seq}, waiting for its signing batch. */
    Receipt awaitReceipt(long seq) {
        auditSignal.release();
        auditUrgent.release();
        try {
            if (!audit.awaitSigned(seq, java.time.Duration.ofSeconds(30))) {
                flushAudit();
            }
            return db.read(c -> {
                Receipt r = AuditLog.receipt(c, seq);
                if (r == null) {
                    throw new VaultException("audit entry " + seq + " is not signed");
                }
                return r;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultException("interrupted while waiting for audit receipt " + seq, e);
        } catch (SQLException e) {
            throw storage("reading audit receipt " + seq, e);
        }
    }

    /** Receipts with sequence number {@code >= fromSeq}, oldest first, at most {@code limit} (flushes first). */
    public List<Receipt> receipts(long fromSeq, int limit) {
        return receiptsOf("SELECT seq FROM audit WHERE seq >= ? ORDER BY seq LIMIT ?", ps -> ps.setLong(1, fromSeq), limit);
    }

    /** The receipts that concern one twin, oldest first, at most {@code limit} (flushes first). */
    public List<Receipt> receiptsForTwin(String twinId, int limit) {
        return receiptsOf("SELECT seq FROM audit WHERE twin_id = ? ORDER BY seq LIMIT ?", ps -> ps.setString(1, twinId), limit);
    }

    /** The signed receipt of entry {@code seq}, if it exists (flushes first). */
    public Optional<Receipt> receipt(long seq) {
        List<Receipt> r = receipts(seq, 1);
        return r.isEmpty() || r.getFirst().seq() != seq ? Optional.empty() : Optional.of(r.getFirst());
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<Receipt> receiptsOf(String sql, Binder binder, int limit) {
        requireOpen();
        flushAudit();
        try {
            return db.read(c -> {
                PreparedStatement ps = c.ps(sql);
                binder.bind(ps);
                ps.setInt(2, limit);
                List<Long> seqs = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seqs.add(rs.getLong(1));
                    }
                }
                List<Receipt> out = new ArrayList<>(seqs.size());
                int i = 0;
                while (i < seqs.size()) {
                    long batch = AuditLog.batchOf(c, seqs.get(i));
                    if (batch < 0) {
                        throw new VaultException("audit entry " + seqs.get(i) + " is not signed");
                    }
                    // Consecutive entries of the same batch share one proof computation pass.
                    int j = i;
                    while (j + 1 < seqs.size() && AuditLog.batchOf(c, seqs.get(j + 1)) == batch && seqs.get(j + 1) == seqs.get(j) + 1) {
                        j++;
                    }
                    out.addAll(AuditLog.receipts(c, batch, seqs.get(i), seqs.get(j)));
                    i = j + 1;
                }
                return out;
            });
        } catch (SQLException e) {
            throw storage("reading receipts", e);
        }
    }

    /**
     * Checks the whole audit log: consecutive sequence numbers, the hash chain of entries, and
     * every batch signature (the device key over the Merkle root of the batch's entries).
     */
    public AuditVerification verifyAuditLog() {
        flushAudit();
        byte[] pub = device.publicKey();
        try {
            return db.read(c -> {
                List<String> problems = new ArrayList<>();
                List<long[]> batches = new ArrayList<>();
                try (ResultSet rs = c.ps("SELECT first_seq, last_seq FROM audit_batches ORDER BY first_seq").executeQuery()) {
                    while (rs.next()) {
                        batches.add(new long[] {rs.getLong(1), rs.getLong(2)});
                    }
                }
                long count = 0;
                long expect = 1;
                byte[] prev = new byte[32];
                int bi = 0;
                List<byte[]> leaves = new ArrayList<>();
                PreparedStatement ps = c.ps("SELECT seq, entry FROM audit ORDER BY seq");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        count++;
                        long seq = rs.getLong(1);
                        byte[] entry = rs.getBytes(2);
                        if (seq != expect) {
                            problems.add("entry " + seq + ": sequence gap (expected " + expect + ")");
                        }
                        checkEntry(entry, seq, prev, problems);
                        while (bi < batches.size() && batches.get(bi)[1] < seq) {
                            checkBatch(c, batches.get(bi)[0], leaves, pub, problems);
                            leaves.clear();
                            bi++;
                        }
                        if (bi < batches.size() && batches.get(bi)[0] <= seq) {
                            leaves.add(org.aivillage.vault.internal.Merkle.leafHash(entry));
                        } else {
                            problems.add("entry " + seq + ": not signed");
                        }
                        prev = org.aivillage.betanet.crypto.Hashes.sha256(entry);
                        expect = seq + 1;
                    }
                }
                for (; bi < batches.size(); bi++) {
                    checkBatch(c, batches.get(bi)[0], leaves, pub, problems);
                    leaves.clear();
                }
                return new AuditVerification(count, problems);
            });
        } catch (SQLException e) {
            throw storage("verifying the audit log", e);
        }
    }

    private void checkEntry(byte[] entry, long seq, byte[] prev, List<String> problems) {
        try {
            org.aivillage.betanet.codec.CborValue v = org.aivillage.betanet.codec.Cbor.decodeDeterministic(entry);
            if (!(v instanceof org.aivillage.betanet.codec.CborValue.CborMap m)
                    || !(m.get(2) instanceof org.aivillage.betanet.codec.CborValue.UnsignedInt s) || s.bits() != seq
                    || !(m.get(1) instanceof org.aivillage.betanet.codec.CborValue.ByteString vid) || !Arrays.equals(vid.bytes(), vaultId)
                    || !(m.get(9) instanceof org.aivillage.betanet.codec.CborValue.ByteString p)) {
                problems.add("entry " + seq + ": malformed, renumbered or from another vault");
                return;
            }
            if (!Arrays.equals(p.bytes(), prev)) {
                problems.add("entry " + seq + ": hash chain broken (the previous entry changed or is missing)");
            }
        } catch (CodecException e) {
            problems.add("entry " + seq + ": malformed (" + e.getMessage() + ")");
        }
    }

    private static void checkBatch(Db.Conn c, long first, List<byte[]> leaves, byte[] pub, List<String> problems) throws SQLException {
        PreparedStatement ps = c.ps("SELECT last_seq, protected, signature FROM audit_batches WHERE first_seq = ?");
        ps.setLong(1, first);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                problems.add("batch " + first + ": signature missing");
                return;
            }
            long last = rs.getLong(1);
            if (last - first + 1 != leaves.size()) {
                problems.add("batch " + first + ": covers " + (last - first + 1) + " entries but " + leaves.size() + " are stored");
                return;
            }
            byte[] root = org.aivillage.vault.internal.Merkle.root(leaves);
            byte[] toBeSigned = CoseSign1.sigStructure(rs.getBytes(2), new byte[0], root);
            if (!Arrays.equals(rs.getBytes(2), Receipt.protectedHeader(pub))
                    || !Ed25519.verify(pub, toBeSigned, rs.getBytes(3))) {
                problems.add("batch " + first + "-" + last + ": signature does not verify under the vault's device key");
            }
        }
    }

    // ---------------------------------------------------------------- integrity

    /**
     * Runs SQLite's integrity check and tries to decrypt every version and stored change of every
     * twin; reports each twin/version that fails (the rest stay readable).
     */
    public VerifyReport verify() {
        requireOpen();
        try {
            return db.read(c -> {
                List<String> problems = new ArrayList<>();
                try (ResultSet rs = c.connection().createStatement().executeQuery("PRAGMA integrity_check")) {
                    while (rs.next()) {
                        String s = rs.getString(1);
                        if (!"ok".equals(s)) {
                            problems.add("sqlite: " + s);
                        }
                    }
                }
                List<TwinRow> rows = new ArrayList<>();
                try (ResultSet rs = c.ps("SELECT " + TWIN_COLUMNS + " FROM twins WHERE erased = 0 ORDER BY id").executeQuery()) {
                    while (rs.next()) {
                        rows.add(twinRow(rs));
                    }
                }
                long versions = 0;
                long changes = 0;
                for (TwinRow row : rows) {
                    byte[] dek;
                    try {
                        dek = dataKey(c, row);
                    } catch (TwinCorruptedException e) {
                        problems.add(e.getMessage());
                        continue;
                    }
                    try {
                        PreparedStatement ps = c.ps("SELECT version, updated_ms, privacy, flags, sealed FROM versions"
                                + " WHERE vid BETWEEN ? AND ? ORDER BY vid");
                        ps.setLong(1, row.firstVid());
                        ps.setLong(2, row.lastVid());
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                versions++;
                                try {
                                    openVersion(c, row, rs.getLong(1), rs.getLong(2), PrivacyLevel.ofCode(rs.getInt(3)), rs.getInt(4), rs.getBytes(5), dek);
                                } catch (TwinCorruptedException e) {
                                    problems.add(e.getMessage());
                                }
                            }
                        }
                        try {
                            changes += localChanges(c, row, dek).size();
                        } catch (TwinCorruptedException e) {
                            if (problems.stream().noneMatch(p -> p.startsWith("twin '" + row.id + "'"))) {
                                problems.add(e.getMessage());
                            }
                        }
                        PreparedStatement pc = c.ps("SELECT id, kind, body FROM changes WHERE twin_id = ?");
                        pc.setString(1, row.id);
                        try (ResultSet rs = pc.executeQuery()) {
                            while (rs.next()) {
                                changes++;
                                try {
                                    openChange(row, rs.getBytes(1), rs.getInt(2), rs.getBytes(3), dek);
                                } catch (TwinCorruptedException e) {
                                    problems.add(e.getMessage());
                                }
                            }
                        }
                    } finally {
                        Sealer.wipe(dek);
                    }
                }
                return new VerifyReport(rows.size(), versions, changes, problems);
            });
        } catch (SQLException e) {
            throw storage("verifying the vault", e);
        }
    }

    // ---------------------------------------------------------------- backups

    /**
     * Writes an encrypted, consistent snapshot of the whole vault to {@link VaultConfig#backupDirectory()}
     * while writes continue, and returns its path. See {@code docs/protocols/twin-vault.md} for the format.
     */
    public Path createBackup() {
        requireOpen();
        if (!config.backupEnabled()) {
            throw new VaultException("backups are disabled for this vault (backup_enabled = false)");
        }
        Path out = Backups.create(this);
        Note note = new Note();
        note.detail = out.getFileName().toString();
        writeOp(ADMIN, "backup", null, note, w -> null);
        return out;
    }

    /**
     * Replaces the vault's content with a backup of this vault, after verifying all of it
     * (manifest signature, vault id, key, every chunk, checksum, SQLite integrity). A corrupted,
     * truncated or foreign backup is refused with {@link BackupRejectedException} and nothing changes.
     */
    public Receipt restoreBackup(Path backup) {
        requireOpen();
        writeLock.lock();
        try {
            Backups.restore(this, backup);
        } finally {
            writeLock.unlock();
        }
        Note note = new Note();
        note.detail = backup.getFileName().toString();
        writeOp(ADMIN, "restore", null, note, w -> null);
        return awaitReceipt(note.receiptSeq);
    }

    /**
     * Recreates a vault from a backup in an empty {@code config.storagePath()} (a lost device),
     * or restores into the existing vault there; returns the opened vault.
     */
    public static TwinVault restoreInto(VaultConfig config, Path backup) {
        if (Files.exists(config.databaseFile())) {
            TwinVault v = open(config);
            try {
                v.restoreBackup(backup);
            } catch (RuntimeException e) {
                v.close();
                throw e;
            }
            return v;
        }
        Backups.restoreFresh(config, backup);
        TwinVault v = open(config);
        Note note = new Note();
        note.detail = backup.getFileName().toString() + " (into an empty directory)";
        v.writeOp(ADMIN, "restore", null, note, w -> null);
        return v;
    }

    // ---------------------------------------------------------------- sync

    /**
     * Lists the device of {@code card} among {@code owner}'s devices: its signed changes to the
     * owner's twins are accepted, and it may sync them, authenticating with the card's Noise key.
     * Only the owner may add. A card whose signature does not verify, or whose Noise key is already
     * bound to another signing key, is refused ({@link InvalidTwinException}).
     */
    public Receipt addDevice(String actor, String owner, DeviceCard card, String label) {
        Note note = new Note();
        writeOp(actor, "add-device", null, note, w -> {
            validateName("owner", owner);
            if (!actor.equals(owner)) {
                throw new AccessDeniedException("user '" + actor + "' may not change the device list of '" + owner + "'");
            }
            if (card == null || !card.verify()) {
                throw new InvalidTwinException("the device card's signature does not bind its Noise key to its signing key");
            }
            byte[] signing = card.signingKey();
            byte[] noiseKey = card.noiseKey();
            PreparedStatement other = w.ps("SELECT device FROM devices WHERE noise_key = ?");
            other.setBytes(1, noiseKey);
            try (ResultSet rs = other.executeQuery()) {
                while (rs.next()) {
                    if (!Arrays.equals(rs.getBytes(1), signing)) {
                        throw new InvalidTwinException("the Noise key of this card is already listed for another device ("
                                + Sync.deviceName(rs.getBytes(1)) + ")");
                    }
                }
            }
            if (Arrays.equals(noiseKey, noise.publicKey()) && !Arrays.equals(signing, device.publicKey())) {
                throw new InvalidTwinException("the Noise key of this card is this vault's own");
            }
            PreparedStatement ps = w.ps("INSERT OR REPLACE INTO devices(owner, device, noise_key, card_sig, label, added_ms)"
                    + " VALUES (?, ?, ?, ?, ?, ?)");
            ps.setString(1, owner);
            ps.setBytes(2, signing);
            ps.setBytes(3, noiseKey);
            ps.setBytes(4, card.signature());
            ps.setString(5, label == null ? "" : label);
            ps.setLong(6, clock.millis());
            ps.executeUpdate();
            note.detail = "owner=" + owner + " device=" + HexFormat.of().formatHex(signing) + " noise=" + HexFormat.of().formatHex(noiseKey);
            return null;
        });
        return awaitReceipt(note.receiptSeq);
    }

    /** Removes a device from an owner's list (only the owner). */
    public Receipt removeDevice(String actor, String owner, byte[] devicePublicKey) {
        Note note = new Note();
        writeOp(actor, "remove-device", null, note, w -> {
            if (!actor.equals(owner)) {
                throw new AccessDeniedException("user '" + actor + "' may not change the device list of '" + owner + "'");
            }
            PreparedStatement ps = w.ps("DELETE FROM devices WHERE owner = ? AND device = ?");
            ps.setString(1, owner);
            ps.setBytes(2, devicePublicKey);
            ps.executeUpdate();
            note.detail = "owner=" + owner + " device=" + HexFormat.of().formatHex(devicePublicKey);
            return null;
        });
        return awaitReceipt(note.receiptSeq);
    }

    /** The device keys listed for {@code owner}. */
    public List<byte[]> devices(String owner) {
        requireOpen();
        try {
            return db.read(c -> {
                PreparedStatement ps = c.ps("SELECT device FROM devices WHERE owner = ? ORDER BY device");
                ps.setString(1, owner);
                List<byte[]> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getBytes(1));
                    }
                }
                return out;
            });
        } catch (SQLException e) {
            throw storage("reading devices", e);
        }
    }

    /**
     * Connects to a peer vault's sync server and exchanges changes to the twins of every owner who
     * lists both devices, until both sides hold the same changes. Blocks; {@code timeout} bounds
     * each network read and the connect.
     */
    public SyncResult syncWith(java.net.InetSocketAddress peer, java.time.Duration timeout) {
        requireOpen();
        return Sync.initiate(this, peer, timeout);
    }

    /** Starts accepting sync connections on {@code bind} (port 0 picks a free port). */
    public SyncServer startSyncServer(java.net.InetSocketAddress bind) {
        requireOpen();
        return SyncServer.start(this, bind);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Flushes queued receipts, stops the audit flusher, checkpoints and closes the database, wipes keys. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                signAllLocked();
            } catch (SQLException | RuntimeException e) {
                log.warn("could not sign the last audit entries on close (they are signed on the next open): {}", e.getMessage());
            }
            closed = true;
        } finally {
            writeLock.unlock();
        }
        flusher.interrupt();
        try {
            flusher.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        keyLock.writeLock().lock();
        try {
            Sealer.wipe(kek);
            deks.clear();
            device.destroy();
            noise.destroy();
        } finally {
            keyLock.writeLock().unlock();
        }
        closeQuietly(db, fileLock, lockChannel);
    }

    public boolean isClosed() {
        return closed;
    }

    // ================================================================ machinery

    /** Per-call audit details filled in by the operation. */
    static final class Note {
        Long version;
        String detail;
        long receiptSeq;
        Runnable onCommit;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Db.Conn c) throws SQLException;
    }

    /**
     * A twin's row. {@code num} is its internal number: its versions are the rows
     * {@code vid = num * 2^32 + version} of the versions table (clustered, no secondary index).
     */
    record TwinRow(String id, String owner, long head, PrivacyLevel privacy, long updatedMs, boolean erased, byte[] wrapped,
            long hlcWall, int hlcCounter, long num) {
        long vid(long version) {
            return TwinVault.vid(num, version);
        }

        long firstVid() {
            return num << 32;
        }

        long lastVid() {
            return (num << 32) | 0xFFFF_FFFFL;
        }
    }

    static final String TWIN_COLUMNS = "id, owner, head, privacy, updated_ms, erased, wrapped, hlc_wall, hlc_counter, num";
    /** Versions of one twin are numbered below this (they share the twin's 2^32 slice of vids). */
    static final long MAX_VERSION = 0xFFFF_FFFFL;

    static long vid(long num, long version) {
        return (num << 32) | version;
    }

    static TwinRow twinRow(ResultSet rs) throws SQLException {
        return new TwinRow(rs.getString(1), rs.getString(2), rs.getLong(3), PrivacyLevel.ofCode(rs.getInt(4)), rs.getLong(5),
                rs.getInt(6) != 0, rs.getBytes(7), rs.getLong(8), rs.getInt(9), rs.getLong(10));
    }

    record Grant(Set<Operation> ops, long expiryMs) {}

    /** Runs a write in one transaction with its receipt; failures are rolled back and get their own receipt. */
    <T> T writeOp(String actor, String op, String twinId, Note note, Work<T> work) {
        writeLock.lock();
        try {
            requireOpen();
            Db.Conn w = db.writer();
            try {
                reserveTwinNumbers(w);
            } catch (SQLException e) {
                rollbackQuietly(w);
                throw storage("reserving twin numbers", e);
            }
            AuditLog.Mark mark = audit.mark();
            try {
                T result = work.run(w);
                note.receiptSeq = audit.append(w, event(actor, op, twinId, note.version, Receipt.OK, note.detail));
                w.commit();
                // A reader may have cached a data key between the erase and the commit: drop it again.
                erasedInTransaction.forEach(deks::invalidate);
                erasedInTransaction.clear();
                auditSignal.release();
                if (note.onCommit != null) {
                    note.onCommit.run();
                }
                return result;
            } catch (VaultException e) {
                rollbackQuietly(w);
                audit.reset(mark);
                erasedInTransaction.clear();
                recordFailure(w, actor, op, twinId, note.version, e);
                throw e;
            } catch (SQLException e) {
                rollbackQuietly(w);
                audit.reset(mark);
                erasedInTransaction.clear();
                throw storage(op + (twinId == null ? "" : " of twin '" + twinId + "'"), e);
            } catch (RuntimeException e) {
                rollbackQuietly(w);
                audit.reset(mark);
                erasedInTransaction.clear();
                throw e;
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void recordFailure(Db.Conn w, String actor, String op, String twinId, Long version, VaultException e) {
        AuditLog.Mark mark = audit.mark();
        try {
            audit.append(w, event(actor, op, twinId, version, outcomeOf(e), e.getMessage()));
            w.commit();
            auditSignal.release();
        } catch (SQLException ex) {
            rollbackQuietly(w);
            audit.reset(mark);
            log.warn("could not record the audit receipt of a failed {}: {}", op, ex.getMessage());
        }
    }

    /** Runs a read on a pooled connection; its receipt (success or failure) is queued for group commit. */
    <T> T readOp(String actor, String op, String twinId, Note note, Work<T> work) {
        requireOpen();
        T result;
        try {
            keyLock.readLock().lock();
            try {
                result = db.read(work::run);
            } finally {
                keyLock.readLock().unlock();
            }
        } catch (VaultException e) {
            queue(event(actor, op, twinId, note.version, outcomeOf(e), e.getMessage()));
            throw e;
        } catch (SQLException e) {
            throw storage(op + (twinId == null ? "" : " of twin '" + twinId + "'"), e);
        }
        queue(event(actor, op, twinId, note.version, Receipt.OK, note.detail));
        return result;
    }

    private void queue(AuditLog.Event e) {
        audit.enqueue(e);
        auditSignal.release();
        if (audit.queued() > AUDIT_QUEUE / 2) {
            auditUrgent.release();
        }
    }

    private AuditLog.Event event(String actor, String op, String twinId, Long version, String outcome, String detail) {
        return new AuditLog.Event(clock.instant(), actor, op, twinId, version, outcome, detail);
    }

    private static String outcomeOf(VaultException e) {
        return switch (e) {
            case AccessDeniedException x -> Receipt.DENIED;
            case VersionConflictException x -> Receipt.CONFLICT;
            case TwinNotFoundException x -> Receipt.NOT_FOUND;
            case TwinCorruptedException x -> Receipt.CORRUPT;
            case InvalidTwinException x -> Receipt.INVALID;
            default -> "error";
        };
    }

    /** Background group commit of read entries and batch signing. */
    private void flushLoop() {
        while (!closed) {
            try {
                if (!auditSignal.tryAcquire(1, TimeUnit.SECONDS)) {
                    continue;
                }
                // Group-commit window: let entries accumulate (a write's entry is already committed
                // with the write; only read entries and signatures wait) unless a caller waits for
                // a receipt or the read queue is half full.
                auditUrgent.tryAcquire(AUDIT_WINDOW_MS, TimeUnit.MILLISECONDS);
                auditUrgent.drainPermits();
                auditSignal.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            try {
                AuditLog.Batch b;
                writeLock.lock();
                try {
                    if (closed) {
                        return;
                    }
                    Db.Conn w = db.writer();
                    AuditLog.Mark m = audit.mark();
                    try {
                        if (audit.appendPending(w) > 0) {
                            w.commit();
                        }
                    } catch (SQLException e) {
                        rollbackQuietly(w);
                        audit.reset(m);
                        throw e;
                    }
                    b = audit.takeBatch();
                } finally {
                    writeLock.unlock();
                }
                while (b != null) {
                    AuditLog.SignedBatch sb = audit.sign(b);
                    writeLock.lock();
                    try {
                        if (closed) {
                            return;
                        }
                        AuditLog.Batch again = audit.takeBatch();
                        if (!sameEntries(b, again)) {
                            // A restore or flush replaced the tail meanwhile: this signature is stale.
                            b = again;
                            continue;
                        }
                        storeBatch(db.writer(), sb);
                        b = audit.takeBatch();
                    } finally {
                        writeLock.unlock();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                log.warn("audit flush failed: {}", e.getMessage());
            }
        }
    }

    /** True when {@code now} still starts with the very entries of {@code signed} (not reloaded meanwhile). */
    private static boolean sameEntries(AuditLog.Batch signed, AuditLog.Batch now) {
        if (now == null || now.firstSeq() != signed.firstSeq() || now.entries().size() < signed.entries().size()) {
            return false;
        }
        int last = signed.entries().size() - 1;
        return now.entries().getFirst() == signed.entries().getFirst() && now.entries().get(last) == signed.entries().get(last);
    }

    void loadVolatileState() throws SQLException {
        Db.Conn w = db.writer();
        // Every stamp this vault issued or merged is at most its twin's recorded clock.
        try (ResultSet rs = w.ps("SELECT hlc_wall, hlc_counter FROM twins ORDER BY hlc_wall DESC, hlc_counter DESC LIMIT 1").executeQuery()) {
            if (rs.next()) {
                hlc.observe(rs.getLong(1), rs.getInt(2));
            }
        }
        audit.load(w);
        loadTwinNumbers(w);
        w.commit();
    }

    /** Re-reads keys and state after the database file was replaced by a restore. */
    void reloadAfterRestore() throws SQLException {
        deks.clear();
        identities.clear();
        Db.Conn w = db.writer();
        byte[] gen = meta(w, "kek_gen");
        kekGen = new java.math.BigInteger(1, gen).longValue();
        loadVolatileState();
    }

    /** Work that needs the key-encryption key, run while no key rotation can swap it. */
    @FunctionalInterface
    interface KekWork<T> {
        T run(byte[] kek) throws IOException, SQLException, CodecException;
    }

    <T> T withKeyRead(KekWork<T> work) throws IOException, SQLException, CodecException {
        keyLock.readLock().lock();
        try {
            requireOpen();
            return work.run(kek);
        } finally {
            keyLock.readLock().unlock();
        }
    }

    long kekGeneration() {
        return kekGen;
    }

    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the vault is closed");
        }
    }

    TwinRow twinRow(Db.Conn c, String id) throws SQLException {
        PreparedStatement ps = c.ps("SELECT " + TWIN_COLUMNS + " FROM twins WHERE id = ?");
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? twinRow(rs) : null;
        }
    }

    private TwinRow requireLive(Db.Conn c, String id) throws SQLException {
        TwinRow row = twinRow(c, id);
        if (row == null) {
            throw new TwinNotFoundException("no twin '" + id + "' in this vault");
        }
        if (row.erased) {
            throw new TwinNotFoundException("twin '" + id + "' was deleted (its data key was destroyed)");
        }
        return row;
    }

    /**
     * Checks that {@code actor} may perform {@code op} on the twin: owners always may; others need
     * an unexpired grant that includes {@code op}. Returns the grant used (null for the owner).
     */
    Grant authorize(Db.Conn c, String actor, TwinRow row, Operation op) throws SQLException {
        if (actor.equals(row.owner)) {
            return null;
        }
        PreparedStatement ps = c.ps("SELECT ops, expiry_ms FROM policies WHERE twin_id = ? AND user = ?");
        ps.setString(1, row.id);
        ps.setString(2, actor);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new AccessDeniedException("user '" + actor + "' may not " + op.name().toLowerCase()
                        + " twin '" + row.id + "': no access grant");
            }
            Set<Operation> ops = Operation.fromMask(rs.getInt(1));
            long expiry = rs.getLong(2);
            if (expiry <= clock.millis()) {
                throw new AccessDeniedException("user '" + actor + "' may not " + op.name().toLowerCase()
                        + " twin '" + row.id + "': the access grant expired at " + Instant.ofEpochMilli(expiry));
            }
            if (!ops.contains(op)) {
                throw new AccessDeniedException("user '" + actor + "' may not " + op.name().toLowerCase()
                        + " twin '" + row.id + "': the access grant allows only " + ops);
            }
            return new Grant(Set.copyOf(ops), expiry);
        }
    }

    private ObjectNode parseData(DigitalTwin twin) {
        if (twin.data().length() > MAX_DATA_BYTES) {
            throw new InvalidTwinException("data of twin '" + twin.id() + "' is larger than " + MAX_DATA_BYTES + " characters");
        }
        try {
            return Json.parseObject(twin.data());
        } catch (IllegalArgumentException e) {
            throw new InvalidTwinException("data of twin '" + twin.id() + "' is not a JSON object: " + e.getMessage());
        }
    }

    static void validateName(String what, String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_ID_LENGTH) {
            throw new InvalidTwinException(what + " must be 1.." + MAX_ID_LENGTH + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new InvalidTwinException(what + " must not contain control characters");
            }
        }
    }

    /** Inserts a live twin row with a new number; returns the number. */
    long insertTwin(Db.Conn w, String id, String owner, long head, PrivacyLevel privacy, long now, byte[] dek, Hlc.Tick tick)
            throws SQLException {
        long num = allocateTwinNumber();
        PreparedStatement t = w.ps("INSERT INTO twins(id, owner, head, privacy, updated_ms, erased, kek_gen, wrapped, hlc_wall, hlc_counter, num)"
                + " VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)");
        t.setString(1, id);
        t.setString(2, owner);
        t.setLong(3, head);
        t.setInt(4, privacy.code());
        t.setLong(5, now);
        t.setLong(6, kekGen);
        byte[] wrapped = Sealer.seal(Aead.Algorithm.XCHACHA20_POLY1305, kek, dekAad(id, owner), dek);
        t.setBytes(7, wrapped);
        t.setLong(8, tick.wall());
        t.setInt(9, tick.counter());
        t.setLong(10, num);
        long epoch = deks.epoch();
        t.executeUpdate();
        deks.put(epoch, id, wrapped, dek);
        return num;
    }

    /**
     * A fresh twin number (under the write lock, inside a write transaction). Numbers come from
     * blocks reserved in {@code meta.twin_num_hwm} by {@link #reserveTwinNumbers} before the
     * transaction began, so a number is never reused, even after a crash or a rollback.
     */
    long allocateTwinNumber() {
        if (nextTwinNum >= twinNumHwm) {
            throw new IllegalStateException("no twin number reserved for this write");
        }
        return nextTwinNum++;
    }

    /** Reserves the next block of twin numbers in its own transaction when the current block is used up. */
    private void reserveTwinNumbers(Db.Conn w) throws SQLException {
        if (nextTwinNum < twinNumHwm) {
            return;
        }
        long hwm = nextTwinNum + TWIN_NUM_BLOCK;
        if (hwm > MAX_TWIN_NUM) {
            throw new VaultException("this vault has used all its twin numbers");
        }
        putMeta(w, "twin_num_hwm", Long.toString(hwm).getBytes(StandardCharsets.US_ASCII));
        w.commit();
        twinNumHwm = hwm;
    }

    /** Loads the twin-number high-water mark: numbers at and above it are unused. */
    private void loadTwinNumbers(Db.Conn c) throws SQLException {
        byte[] b = meta(c, "twin_num_hwm");
        twinNumHwm = b == null ? 1 : Long.parseLong(new String(b, StandardCharsets.US_ASCII));
        nextTwinNum = twinNumHwm;
    }

    void setHead(Db.Conn w, String id, long version, PrivacyLevel privacy, long now, long expectedHead, Hlc.Tick tick) throws SQLException {
        PreparedStatement ps = w.ps("UPDATE twins SET head = ?, privacy = ?, updated_ms = ?,"
                + " hlc_wall = CASE WHEN ? > hlc_wall OR (? = hlc_wall AND ? > hlc_counter) THEN ? ELSE hlc_wall END,"
                + " hlc_counter = CASE WHEN ? > hlc_wall OR (? = hlc_wall AND ? > hlc_counter) THEN ? ELSE hlc_counter END"
                + " WHERE id = ? AND head = ?");
        long wall = tick == null ? 0 : tick.wall();
        int counter = tick == null ? 0 : tick.counter();
        ps.setLong(1, version);
        ps.setInt(2, privacy.code());
        ps.setLong(3, now);
        ps.setLong(4, wall);
        ps.setLong(5, wall);
        ps.setInt(6, counter);
        ps.setLong(7, wall);
        ps.setLong(8, wall);
        ps.setLong(9, wall);
        ps.setInt(10, counter);
        ps.setInt(11, counter);
        ps.setString(12, id);
        ps.setLong(13, expectedHead);
        if (ps.executeUpdate() != 1) {
            throw new VersionConflictException(id, expectedHead, -1);
        }
    }

    /**
     * Inserts a version. A version written by a local edit records its change ({@code change}
     * non-null): the change is not stored separately, it is re-derived for sync by diffing this
     * version with the previous one.
     */
    void insertVersion(Db.Conn w, long num, String id, String owner, long version, PrivacyLevel privacy, long now, String author,
            byte[] dek, String canonicalData, Change change) throws SQLException {
        if (version < 1 || version > MAX_VERSION) {
            throw new InvalidTwinException("twin '" + id + "' cannot have more than " + MAX_VERSION + " versions");
        }
        byte[] plain = canonicalData.getBytes(StandardCharsets.UTF_8);
        int flags = 0;
        if (config.compression()) {
            byte[] z = Sealer.deflate(plain);
            if (z.length < plain.length) {
                Sealer.wipe(plain);
                plain = z;
                flags |= FLAG_COMPRESSED;
            } else {
                Sealer.wipe(z);
            }
        }
        byte[] sealed = Sealer.seal(config.cipher().forRecord(plain.length), dek, versionAad(id, owner, version, privacy, now, flags), plain);
        Sealer.wipe(plain);
        PreparedStatement ps = w.ps("INSERT INTO versions(twin_id, version, updated_ms, privacy, author, flags, change_id,"
                + " hlc_wall, hlc_counter, sealed, vid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ps.setLong(11, vid(num, version));
        ps.setString(1, id);
        ps.setLong(2, version);
        ps.setLong(3, now);
        ps.setInt(4, privacy.code());
        ps.setString(5, author);
        ps.setInt(6, flags);
        if (change == null) {
            ps.setNull(7, java.sql.Types.BLOB);
            ps.setNull(8, java.sql.Types.INTEGER);
            ps.setNull(9, java.sql.Types.INTEGER);
        } else {
            ps.setBytes(7, change.id());
            ps.setLong(8, change.wall());
            ps.setInt(9, change.counter());
        }
        ps.setBytes(10, sealed);
        ps.executeUpdate();
    }

    /**
     * The change a local edit makes (null when it changes nothing): the JSON diff, plus the privacy
     * level when it changed ({@code beforePrivacy} null for a new twin).
     */
    Change localChange(String id, String owner, ObjectNode before, PrivacyLevel beforePrivacy, ObjectNode after,
            PrivacyLevel afterPrivacy, Hlc.Tick tick) {
        List<CrdtOp> ops = new ArrayList<>(JsonDiff.diff(before, after));
        if (afterPrivacy != beforePrivacy) {
            ops.add(new CrdtOp.Privacy(afterPrivacy));
        }
        return ops.isEmpty() ? null : new Change(id, owner, device.publicKey(), tick.wall(), tick.counter(), ops);
    }

    /** Stores a change received from another device, sealed with the twin's data key. */
    void insertChange(Db.Conn w, byte[] dek, Change ch, byte[] cose) throws SQLException {
        byte[] id = ch.id();
        int kind = CHANGE_SIGNED;
        byte[] body = Sealer.seal(config.cipher().forRecord(cose.length), dek, changeAad(ch.twinId(), id, kind), cose);
        PreparedStatement ps = w.ps("INSERT OR IGNORE INTO changes(id, twin_id, device, wall, counter, kind, body) VALUES (?, ?, ?, ?, ?, ?, ?)");
        ps.setBytes(1, id);
        ps.setString(2, ch.twinId());
        ps.setBytes(3, ch.device());
        ps.setLong(4, ch.wall());
        ps.setInt(5, ch.counter());
        ps.setInt(6, kind);
        ps.setBytes(7, body);
        ps.executeUpdate();
    }

    /** Stores an erase change in the clear (it carries no data), signed by this device. */
    void insertSignedPlainChange(Db.Conn w, Change erase) throws SQLException {
        byte[] priv = device.privateKey();
        byte[] cose;
        try {
            cose = CoseSign1.sign(priv, device.publicKey(), erase.encode()).encode();
        } finally {
            Sealer.wipe(priv);
        }
        insertPlainChange(w, erase, cose);
    }

    void insertPlainChange(Db.Conn w, Change erase, byte[] cose) throws SQLException {
        PreparedStatement ps = w.ps("INSERT OR IGNORE INTO changes(id, twin_id, device, wall, counter, kind, body) VALUES (?, ?, ?, ?, ?, ?, ?)");
        ps.setBytes(1, erase.id());
        ps.setString(2, erase.twinId());
        ps.setBytes(3, erase.device());
        ps.setLong(4, erase.wall());
        ps.setInt(5, erase.counter());
        ps.setInt(6, CHANGE_PLAIN_SIGNED);
        ps.setBytes(7, cose);
        ps.executeUpdate();
    }

    /** Raises the twin's recorded clock to (wall, counter) if that is later. */
    void setClock(Db.Conn w, String id, long wall, int counter) throws SQLException {
        PreparedStatement ps = w.ps("UPDATE twins SET hlc_wall = ?, hlc_counter = ? WHERE id = ? AND (hlc_wall < ? OR (hlc_wall = ? AND hlc_counter < ?))");
        ps.setLong(1, wall);
        ps.setInt(2, counter);
        ps.setString(3, id);
        ps.setLong(4, wall);
        ps.setLong(5, wall);
        ps.setInt(6, counter);
        ps.executeUpdate();
    }

    /** Destroys a twin's data key, versions, sealed changes and grants; keeps a tombstone row. */
    void eraseLocally(Db.Conn w, TwinRow row) throws SQLException {
        deks.invalidate(row.id);
        erasedInTransaction.add(row.id);
        PreparedStatement dv = w.ps("DELETE FROM versions WHERE vid BETWEEN ? AND ?");
        dv.setLong(1, row.firstVid());
        dv.setLong(2, row.lastVid());
        dv.executeUpdate();
        for (String sql : List.of(
                "DELETE FROM changes WHERE twin_id = ? AND kind != " + CHANGE_PLAIN_SIGNED, "DELETE FROM policies WHERE twin_id = ?",
                "UPDATE twins SET erased = 1, wrapped = NULL WHERE id = ?")) {
            PreparedStatement ps = w.ps(sql);
            ps.setString(1, row.id);
            ps.executeUpdate();
        }
    }

    void purgeWal() {
        writeLock.lock();
        try {
            if (!closed) {
                db.checkpoint(true);
            }
        } catch (SQLException e) {
            log.warn("WAL checkpoint after erase did not complete: {}", e.getMessage());
        } finally {
            writeLock.unlock();
        }
    }

    /** The twin's data key (a copy: the caller wipes it), from the cache or unwrapped with the KEK. */
    byte[] dataKey(Db.Conn c, TwinRow row) {
        if (row.wrapped() == null) {
            throw new TwinCorruptedException("twin '" + row.id + "': its data key is missing");
        }
        byte[] cached = deks.get(row.id, row.wrapped());
        if (cached != null) {
            return cached;
        }
        long epoch = deks.epoch();
        byte[] dek;
        try {
            dek = Sealer.open(kek, dekAad(row.id, row.owner), row.wrapped());
        } catch (AuthenticationFailedException e) {
            throw new TwinCorruptedException("twin '" + row.id + "': its wrapped data key failed to decrypt (corrupted or tampered)");
        }
        deks.put(epoch, row.id, row.wrapped(), dek);
        return dek;
    }

    DigitalTwin decryptVersion(Db.Conn c, TwinRow row, long v, byte[] dek) throws SQLException {
        PreparedStatement ps = c.ps("SELECT updated_ms, privacy, flags, sealed FROM versions WHERE vid = ?");
        ps.setLong(1, row.vid(v));
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new TwinNotFoundException("twin '" + row.id + "' has no version " + v + " (newest is " + row.head + ")");
            }
            return openVersion(c, row, v, rs.getLong(1), PrivacyLevel.ofCode(rs.getInt(2)), rs.getInt(3), rs.getBytes(4), dek);
        }
    }

    private DigitalTwin openVersion(Db.Conn c, TwinRow row, long v, long updatedMs, PrivacyLevel privacy, int flags, byte[] sealed,
            byte[] dek) {
        // Decrypted into the connection's reusable buffer: the only copy of the plaintext the read
        // allocates is the returned string.
        byte[] buf = c.scratch(Math.max(0, Sealer.plaintextLength(sealed)));
        int len;
        try {
            len = Sealer.openInto(dek, versionAad(row.id, row.owner, v, privacy, updatedMs, flags), sealed, buf);
        } catch (AuthenticationFailedException e) {
            throw new TwinCorruptedException("twin '" + row.id + "' version " + v
                    + " failed to decrypt: the stored record is corrupted or was tampered with");
        }
        String data;
        try {
            if ((flags & FLAG_COMPRESSED) != 0) {
                byte[] inflated = Sealer.inflate(buf, 0, len);
                if (inflated == null) {
                    throw new TwinCorruptedException("twin '" + row.id + "' version " + v + ": compressed data is malformed");
                }
                data = new String(inflated, StandardCharsets.UTF_8);
                Sealer.wipe(inflated);
            } else {
                data = new String(buf, 0, len, StandardCharsets.UTF_8);
            }
        } finally {
            Arrays.fill(buf, 0, len, (byte) 0);
        }
        return new DigitalTwin(row.id, row.owner, v, data, privacy, Instant.ofEpochMilli(updatedMs));
    }

    /**
     * The changes this vault's local edits made to a twin, re-derived from its versions (each
     * local version records its change id and clock; the operations are the diff with the
     * version before). Checks each derived id against the recorded one.
     */
    List<Change> localChanges(Db.Conn c, TwinRow row, byte[] dek) throws SQLException {
        List<Change> out = new ArrayList<>();
        PreparedStatement ps = c.ps("SELECT version, updated_ms, privacy, flags, change_id, hlc_wall, hlc_counter, sealed FROM versions"
                + " WHERE vid BETWEEN ? AND ? ORDER BY vid");
        ps.setLong(1, row.firstVid());
        ps.setLong(2, row.lastVid());
        ObjectNode before = Json.emptyObject();
        PrivacyLevel beforePrivacy = null;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long v = rs.getLong(1);
                PrivacyLevel privacy = PrivacyLevel.ofCode(rs.getInt(3));
                byte[] changeId = rs.getBytes(5);
                DigitalTwin t = openVersion(c, row, v, rs.getLong(2), privacy, rs.getInt(4), rs.getBytes(8), dek);
                ObjectNode after = Json.parseObject(t.data());
                if (changeId != null) {
                    Change ch = localChange(row.id, row.owner, before, beforePrivacy, after, privacy,
                            new Hlc.Tick(rs.getLong(6), rs.getInt(7)));
                    if (ch == null || !Arrays.equals(ch.id(), changeId)) {
                        throw new TwinCorruptedException("twin '" + row.id + "' version " + v + ": its recorded change does not match its data");
                    }
                    out.add(ch);
                }
                before = after;
                beforePrivacy = privacy;
            }
        }
        return out;
    }

    /** Decrypts a stored (received or erase) change; returns [Change, COSE bytes]. */
    Object[] openChange(TwinRow row, byte[] changeId, int kind, byte[] body, byte[] dek) {
        try {
            byte[] plain = kind == CHANGE_PLAIN_SIGNED ? body : Sealer.open(dek, changeAad(row.id, changeId, kind), body);
            CoseSign1 msg = CoseSign1.decode(plain);
            return new Object[] {Change.decode(msg.payload()), plain};
        } catch (AuthenticationFailedException | CodecException e) {
            throw new TwinCorruptedException("twin '" + row.id + "': stored change " + HexFormat.of().formatHex(changeId)
                    + " is corrupted or was tampered with");
        }
    }

    // ---------------------------------------------------------------- AADs and meta

    byte[] dekAad(String id, String owner) {
        return Sealer.aad(CborValue.of("twin-vault/dek/v1"), CborValue.of(vaultId), CborValue.of(id), CborValue.of(owner));
    }

    byte[] versionAad(String id, String owner, long version, PrivacyLevel privacy, long updatedMs, int flags) {
        return versionAads.encode(id, owner, version, privacy.code(), updatedMs, flags);
    }

    byte[] changeAad(String id, byte[] changeId, int kind) {
        return Sealer.aad(CborValue.of("twin-vault/change/v1"), CborValue.of(vaultId), CborValue.of(id), CborValue.of(changeId),
                CborValue.of(kind));
    }

    static byte[] deviceKeyAad(byte[] vaultId) {
        return Sealer.aad(CborValue.of("twin-vault/device-key/v1"), CborValue.of(vaultId));
    }

    static byte[] noiseKeyAad(byte[] vaultId) {
        return Sealer.aad(CborValue.of("twin-vault/noise-key/v1"), CborValue.of(vaultId));
    }

    static byte[] keyCheckAad(byte[] vaultId) {
        return Sealer.aad(CborValue.of("twin-vault/key-check/v1"), CborValue.of(vaultId));
    }

    static byte[] keyCheck(byte[] kek, byte[] vaultId) {
        return Sealer.seal(Aead.Algorithm.XCHACHA20_POLY1305, kek, keyCheckAad(vaultId), new byte[32]);
    }

    /** The stored Argon2id salt and costs of a passphrase vault, or null for key-file / raw-key vaults. */
    static PassphraseKdf passphraseKdf(Db.Conn c) throws SQLException {
        byte[] b = meta(c, META_PASSPHRASE_KDF);
        if (b == null) {
            return null;
        }
        try {
            return PassphraseKdf.decode(b);
        } catch (CodecException e) {
            throw new VaultException("the vault's passphrase parameters are unreadable: " + e.getMessage());
        }
    }

    static byte[] meta(Db.Conn c, String key) throws SQLException {
        PreparedStatement ps = c.ps("SELECT value FROM meta WHERE key = ?");
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getBytes(1) : null;
        }
    }

    static void putMeta(Db.Conn c, String key, byte[] value) throws SQLException {
        PreparedStatement ps = c.ps("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        ps.setString(1, key);
        ps.setBytes(2, value);
        ps.executeUpdate();
    }

    static boolean isConstraintViolation(SQLException e) {
        return e instanceof org.sqlite.SQLiteException se && (se.getResultCode().code & 0xFF) == 19; // SQLITE_CONSTRAINT
    }

        static VaultException storage(String what, SQLException e) {
        return new VaultException("storage error during " + what + ": " + e.getMessage(), e);
    }

    static void rollbackQuietly(Db.Conn w) {
        try {
            w.connection().rollback();
        } catch (SQLException e) {
            log.warn("rollback failed: {}", e.getMessage());
        }
    }

    static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: rely on the platform's defaults.
        }
    }

    static void restrictPermissions(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system (or not ours to change): the directory is already private.
        }
    }

    private static void closeQuietly(Db db, FileLock lock, FileChannel ch) {
        try {
            if (db != null) {
                db.close();
            }
        } catch (SQLException e) {
            log.warn("closing the vault database: {}", e.getMessage());
        }
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            if (ch != null) {
                ch.close();
            }
        } catch (IOException e) {
            log.warn("releasing the vault lock: {}", e.getMessage());
        }
    }
}
