package org.aivillage.vault;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import org.aivillage.betanet.codec.CborValue;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.Aead;
import org.aivillage.betanet.crypto.AuthenticationFailedException;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.vault.internal.BackupManifest;
import org.aivillage.vault.internal.Db;
import org.aivillage.vault.internal.MasterKeys;
import org.aivillage.vault.internal.PassphraseKdf;
import org.aivillage.vault.internal.Sealer;
import org.bouncycastle.crypto.Digest;
import org.sqlite.SQLiteConfig;

/**
 * Encrypted backups: a consistent SQLite snapshot ({@code VACUUM INTO}, which runs in a read
 * transaction while writers continue) encrypted in chunks under a fresh backup key that the vault
 * KEK wraps, behind a manifest signed by the device key. Restores verify everything before they
 * replace anything.
 *
 * <pre>
 * file  = "AIVTVB" 0x00 0x01 || u32 len || manifest (COSE_Sign1) || chunk*
 * chunk = u32 len || ChaCha20-Poly1305(backup key, nonce = u64 index || u32 final, aad = SHA-256(manifest COSE), data)
 * </pre>
 */
final class Backups {
    static final int CHUNK = 1 << 20;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private Backups() {}

    static Path create(TwinVault v) {
        Path dir = v.config.backupDirectory();
        byte[] backupId = Randomness.bytes(16);
        String hexId = HexFormat.of().formatHex(backupId);
        Path snap = dir.resolve(".snapshot-" + hexId + ".db");
        Path partial = dir.resolve(".partial-" + hexId);
        byte[] bk = Randomness.bytes(32);
        try {
            TwinVault.createPrivateDirectory(dir);
            return v.withKeyRead(kek -> {
                v.db.read(c -> {
                    c.exec("VACUUM INTO '" + snap.toAbsolutePath().toString().replace("'", "''") + "'");
                    return null;
                });
                PassphraseKdf kdf = v.db.read(TwinVault::passphraseKdf);
                long size = Files.size(snap);
                byte[] sha = sha256(snap);
                long chunks = Math.max(1, (size + CHUNK - 1) / CHUNK);
                byte[] wrapped = Sealer.seal(Aead.Algorithm.XCHACHA20_POLY1305, kek, backupKeyAad(v.vaultId, backupId), bk);
                BackupManifest m = new BackupManifest(v.vaultId, backupId, v.clock.instant(), sha, size, CHUNK, chunks, wrapped,
                        v.kekGeneration(), kdf);
                byte[] priv = v.device.privateKey();
                byte[] cose;
                try {
                    cose = CoseSign1.sign(priv, v.device.publicKey(), m.encode()).encode();
                } finally {
                    Sealer.wipe(priv);
                }
                writeFile(partial, snap, cose, bk, chunks);
                Path target = dir.resolve("twin-vault-" + HexFormat.of().formatHex(v.vaultId, 0, 4) + "-"
                        + STAMP.format(m.created()) + "-" + hexId.substring(0, 8) + ".tvb");
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                TwinVault.restrictPermissions(target);
                return target;
            });
        } catch (IOException | SQLException e) {
            throw new VaultException("backup failed: " + e.getMessage(), e);
        } finally {
            Sealer.wipe(bk);
            deleteQuietly(snap);
            deleteQuietly(partial);
        }
    }

    private static void writeFile(Path out, Path snap, byte[] manifestCose, byte[] bk, long chunks) throws IOException {
        byte[] aad = Hashes.sha256(manifestCose);
        Aead aead = Aead.chaCha20Poly1305(bk);
        try (OutputStream os = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                DataOutputStream dos = new DataOutputStream(new java.io.BufferedOutputStream(os, 1 << 16));
                InputStream in = Files.newInputStream(snap)) {
            dos.write(BackupManifest.MAGIC);
            dos.writeInt(manifestCose.length);
            dos.write(manifestCose);
            byte[] buf = new byte[CHUNK];
            for (long i = 0; i < chunks; i++) {
                int n = in.readNBytes(buf, 0, CHUNK);
                byte[] ct = new byte[n + Aead.TAG_LENGTH];
                aead.seal(chunkNonce(i, i == chunks - 1), aad, buf, 0, n, ct, 0);
                dos.writeInt(ct.length);
                dos.write(ct);
            }
            Arrays.fill(buf, (byte) 0);
            dos.flush();
        } finally {
            aead.destroy();
        }
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** What a parsed, signature-checked backup header says. */
    record Header(BackupManifest manifest, byte[] manifestCose, byte[] signer, long bodyOffset) {}

    static Header readHeader(Path backup) {
        try (InputStream in = Files.newInputStream(backup); DataInputStream dis = new DataInputStream(in)) {
            byte[] magic = new byte[BackupManifest.MAGIC.length];
            dis.readFully(magic);
            if (!Arrays.equals(magic, BackupManifest.MAGIC)) {
                throw new BackupRejectedException("backup " + backup.getFileName() + " is not a twin-vault backup (bad magic)");
            }
            int len = dis.readInt();
            if (len < 1 || len > 64 * 1024) {
                throw new BackupRejectedException("backup " + backup.getFileName() + ": manifest length " + len + " out of range");
            }
            byte[] cose = new byte[len];
            dis.readFully(cose);
            CoseSign1 msg = CoseSign1.decode(cose);
            byte[] kid = msg.kid();
            if (kid == null || kid.length != 32 || !msg.verify(kid)) {
                throw new BackupRejectedException("backup " + backup.getFileName() + ": manifest signature does not verify");
            }
            return new Header(BackupManifest.decode(msg.payload()), cose, kid, BackupManifest.MAGIC.length + 4L + len);
        } catch (EOFException e) {
            throw new BackupRejectedException("backup " + backup.getFileName() + " is truncated (in its header)");
        } catch (CodecException e) {
            throw new BackupRejectedException("backup " + backup.getFileName() + ": malformed manifest: " + e.getMessage());
        } catch (IOException e) {
            throw new BackupRejectedException("cannot read backup " + backup + ": " + e.getMessage(), e);
        }
    }

    /** Restores into an open vault (the caller holds the write lock). */
    static void restore(TwinVault v, Path backup) {
        Header h = readHeader(backup);
        BackupManifest m = h.manifest();
        if (!Arrays.equals(m.vaultId(), v.vaultId) || !Arrays.equals(h.signer(), v.device.publicKey())) {
            throw new BackupRejectedException("backup " + backup.getFileName() + " belongs to vault "
                    + HexFormat.of().formatHex(m.vaultId()) + ", not to this vault " + HexFormat.of().formatHex(v.vaultId)
                    + " (foreign backup refused)");
        }
        Path tmp = v.config.storagePath().resolve(".restore-" + HexFormat.of().formatHex(m.backupId()) + ".db");
        try {
            v.withKeyRead(kek -> {
                decryptTo(backup, h, kek, tmp);
                checkSnapshot(tmp, m, kek, backup);
                return null;
            });
            v.db.whileClosed(nothing -> {
                try {
                    deleteQuietly(sibling(v.config.databaseFile(), "-wal"));
                    deleteQuietly(sibling(v.config.databaseFile(), "-shm"));
                    Files.move(tmp, v.config.databaseFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new SQLException("cannot move the restored database into place: " + e.getMessage(), e);
                }
                return null;
            });
            v.reloadAfterRestore();
        } catch (IOException | SQLException e) {
            throw new VaultException("restore failed: " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Creates the vault database from a backup in a directory that has none. */
    static void restoreFresh(VaultConfig config, Path backup) {
        Header h = readHeader(backup);
        BackupManifest m = h.manifest();
        if (config.masterKey() instanceof MasterKeySource.Passphrase && m.passphraseKdf() == null) {
            throw new WrongKeyException("backup " + backup.getFileName() + " was made by a vault opened with a key, not a passphrase");
        }
        if (!(config.masterKey() instanceof MasterKeySource.Passphrase) && m.passphraseKdf() != null) {
            throw new WrongKeyException("backup " + backup.getFileName() + " was made by a vault protected by a passphrase; restore it with the passphrase");
        }
        byte[] master = MasterKeys.master(config.masterKey(), m.passphraseKdf());
        byte[] kek = MasterKeys.kek(master, m.vaultId());
        Sealer.wipe(master);
        Path tmp = config.storagePath().resolve(".restore-" + HexFormat.of().formatHex(m.backupId()) + ".db");
        try {
            TwinVault.createPrivateDirectory(config.storagePath());
            if (m.passphraseKdf() != null) {
                try {
                    Sealer.wipe(Sealer.open(kek, backupKeyAad(m.vaultId(), m.backupId()), m.wrappedKey()));
                } catch (AuthenticationFailedException e) {
                    throw new WrongKeyException("wrong passphrase: it does not open backup " + backup.getFileName());
                }
            }
            decryptTo(backup, h, kek, tmp);
            checkSnapshot(tmp, m, kek, backup);
            Files.move(tmp, config.databaseFile(), StandardCopyOption.ATOMIC_MOVE);
            TwinVault.restrictPermissions(config.databaseFile());
        } catch (IOException | SQLException e) {
            throw new VaultException("restore failed: " + e.getMessage(), e);
        } finally {
            Sealer.wipe(kek);
            deleteQuietly(tmp);
        }
    }

    private static void decryptTo(Path backup, Header h, byte[] kek, Path out) throws IOException {
        BackupManifest m = h.manifest();
        byte[] bk;
        try {
            bk = Sealer.open(kek, backupKeyAad(m.vaultId(), m.backupId()), m.wrappedKey());
        } catch (AuthenticationFailedException e) {
            throw new BackupRejectedException("backup " + backup.getFileName()
                    + " cannot be opened with this vault's master key (made by another vault or before a key rotation)");
        }
        byte[] aad = Hashes.sha256(h.manifestCose());
        Aead aead = Aead.chaCha20Poly1305(bk);
        Sealer.wipe(bk);
        Digest sha = Hashes.Algorithm.SHA256.newDigest();
        long written = 0;
        try (InputStream in = Files.newInputStream(backup);
                DataInputStream dis = new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
                OutputStream os = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            TwinVault.restrictPermissions(out);
            dis.skipNBytes(h.bodyOffset());
            for (long i = 0; i < m.chunkCount(); i++) {
                int len;
                try {
                    len = dis.readInt();
                } catch (EOFException e) {
                    throw new BackupRejectedException("backup " + backup.getFileName() + " is truncated: chunk " + i + " of "
                            + m.chunkCount() + " is missing");
                }
                if (len < Aead.TAG_LENGTH || len > m.chunkSize() + Aead.TAG_LENGTH) {
                    throw new BackupRejectedException("backup " + backup.getFileName() + ": chunk " + i + " has a bad length");
                }
                byte[] ct = new byte[len];
                try {
                    dis.readFully(ct);
                } catch (EOFException e) {
                    throw new BackupRejectedException("backup " + backup.getFileName() + " is truncated inside chunk " + i);
                }
                byte[] pt = new byte[len - Aead.TAG_LENGTH];
                try {
                    aead.open(chunkNonce(i, i == m.chunkCount() - 1), aad, ct, 0, len, pt, 0);
                } catch (AuthenticationFailedException e) {
                    throw new BackupRejectedException("backup " + backup.getFileName() + ": chunk " + i
                            + " failed authentication (corrupted or tampered)");
                }
                sha.update(pt, 0, pt.length);
                os.write(pt);
                written += pt.length;
            }
            if (dis.read() != -1) {
                throw new BackupRejectedException("backup " + backup.getFileName() + " has data after its last chunk");
            }
        } finally {
            aead.destroy();
        }
        byte[] digest = new byte[32];
        sha.doFinal(digest, 0);
        if (written != m.snapshotSize() || !Arrays.equals(digest, m.snapshotSha256())) {
            throw new BackupRejectedException("backup " + backup.getFileName() + ": snapshot checksum does not match the manifest");
        }
    }

    private static void checkSnapshot(Path db, BackupManifest m, byte[] kek, Path backup) throws SQLException {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setReadOnly(true);
        try (Connection c = cfg.createConnection("jdbc:sqlite:" + db.toAbsolutePath()); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                if (!rs.next() || !"ok".equals(rs.getString(1))) {
                    throw new BackupRejectedException("backup " + backup.getFileName() + ": the snapshot fails SQLite's integrity check");
                }
            }
            byte[] vid = null;
            byte[] check = null;
            try (ResultSet rs = s.executeQuery("SELECT key, value FROM meta WHERE key IN ('vault_id', 'key_check')")) {
                while (rs.next()) {
                    if (rs.getString(1).equals("vault_id")) {
                        vid = rs.getBytes(2);
                    } else {
                        check = rs.getBytes(2);
                    }
                }
            }
            if (!Arrays.equals(vid, m.vaultId())) {
                throw new BackupRejectedException("backup " + backup.getFileName() + ": the snapshot belongs to another vault");
            }
            try {
                Sealer.open(kek, TwinVault.keyCheckAad(m.vaultId()), check);
            } catch (AuthenticationFailedException e) {
                throw new BackupRejectedException("backup " + backup.getFileName() + ": the snapshot's key check does not open");
            }
        }
    }

    static byte[] backupKeyAad(byte[] vaultId, byte[] backupId) {
        return Sealer.aad(CborValue.of("twin-vault/backup-key/v1"), CborValue.of(vaultId), CborValue.of(backupId));
    }

    private static byte[] chunkNonce(long index, boolean last) {
        return ByteBuffer.allocate(12).putLong(index).putInt(last ? 1 : 0).array();
    }

    private static byte[] sha256(Path file) throws IOException {
        Digest d = Hashes.Algorithm.SHA256.newDigest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    static Path sibling(Path db, String suffix) {
        return db.resolveSibling(db.getFileName() + suffix);
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // Best effort: a leftover temporary file holds only ciphertext and metadata.
        }
    }
}
