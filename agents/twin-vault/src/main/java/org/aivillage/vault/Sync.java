package org.aivillage.vault;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.noise.HandshakeState;
import org.aivillage.betanet.noise.NoiseException;
import org.aivillage.betanet.noise.Role;
import org.aivillage.betanet.noise.TransportState;
import org.aivillage.vault.internal.Change;
import org.aivillage.vault.internal.CrdtOp;
import org.aivillage.vault.internal.Db;
import org.aivillage.vault.internal.Hlc;
import org.aivillage.vault.internal.Json;
import org.aivillage.vault.internal.Sealer;
import org.aivillage.vault.internal.SyncWire;
import org.aivillage.vault.internal.TwinState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync session over a TCP connection: a Noise_XX_25519_ChaChaPoly_SHA256 handshake over the
 * devices' X25519 static keys, each side checking the other's static key against the owners'
 * device lists (the initiator before it reveals its own), then a lockstep exchange of HAVE / WANT
 * / CHANGES messages in Noise transport messages, applying received changes as they arrive. Every
 * change is still checked on its own: its Ed25519 COSE signature, its author on the owner's list.
 */
final class Sync {
    private static final Logger log = LoggerFactory.getLogger(Sync.class);
    private static final byte[] EMPTY = new byte[0];
    private static final int MAX_HAVE_TOTAL = 1_000_000;
    private static final int CHANGES_BATCH_BYTES = 4 << 20;

    private final TwinVault v;
    private final SyncWire.Channel ch;
    private final byte[] peer;
    private final String peerName;
    private int sent;
    private int received;
    private int applied;
    private int rejected;
    private final Set<String> twinsChanged = new java.util.TreeSet<>();

    private Sync(TwinVault v, SyncWire.Channel ch, byte[] peer) {
        this.v = v;
        this.ch = ch;
        this.peer = peer;
        this.peerName = deviceName(peer);
    }

    static String deviceName(byte[] device) {
        return "device:" + HexFormat.of().formatHex(device, 0, 8);
    }

    // ------------------------------------------------------------ entry points

    static SyncResult initiate(TwinVault v, InetSocketAddress address, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(address, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
            byte[] peer;
            TransportState transport;
            try (HandshakeState hs = handshake(v, Role.INITIATOR)) {
                SyncWire.writeNoise(out, hs.writeMessage(EMPTY));                  // -> e
                out.flush();
                hs.readMessage(SyncWire.readNoise(in));                             // <- e, ee, s, es
                byte[] rs = hs.remoteStaticKey();
                peer = listedDevice(v, rs);
                if (peer == null) {
                    // Checked before sending our static key: an unlisted peer never learns who we are.
                    throw new SyncException("sync peer " + address + " is not a listed device: its Noise key "
                            + HexFormat.of().formatHex(rs, 0, 8) + "... is on no owner's device list of this vault; nothing was sent");
                }
                SyncWire.writeNoise(out, hs.writeMessage(EMPTY));                  // -> s, se
                out.flush();
                transport = hs.split();
            }
            try (SyncWire.Channel ch = new SyncWire.Channel(in, out, transport)) {
                return new Sync(v, ch, peer).runInitiator();
            }
        } catch (NoiseException e) {
            throw new SyncException("sync with " + address + " failed: the Noise handshake failed (" + e.getMessage()
                    + "): a peer speaking another protocol version, or a tampered handshake", e);
        } catch (IOException e) {
            throw new SyncException("sync with " + address + " failed: " + e.getMessage(), e);
        }
    }

    /** Serves one accepted connection (the caller owns and closes the socket). */
    static SyncResult respond(TwinVault v, Socket s, Duration timeout) {
        try {
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
            byte[] peer;
            byte[] rs;
            TransportState transport;
            try (HandshakeState hs = handshake(v, Role.RESPONDER)) {
                hs.readMessage(SyncWire.readNoise(in));                             // -> e
                SyncWire.writeNoise(out, hs.writeMessage(EMPTY));                  // <- e, ee, s, es
                out.flush();
                hs.readMessage(SyncWire.readNoise(in));                             // -> s, se
                rs = hs.remoteStaticKey();
                peer = listedDevice(v, rs);
                transport = hs.split();
            }
            try (SyncWire.Channel ch = new SyncWire.Channel(in, out, transport)) {
                if (peer == null) {
                    // Read the initiator's first HAVE before refusing, so that closing does not reset
                    // the connection under the ERROR it should read.
                    ch.receive();
                    ch.send(new SyncWire.Error("responder does not list your device for any owner"));
                    throw new SyncException("sync peer " + s.getRemoteSocketAddress() + " is not a listed device: its Noise key "
                            + HexFormat.of().formatHex(rs, 0, 8) + "... is on no owner's device list of this vault");
                }
                return new Sync(v, ch, peer).runResponder();
            }
        } catch (NoiseException e) {
            throw new SyncException("sync session from " + s.getRemoteSocketAddress() + " failed: the Noise handshake failed ("
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new SyncException("sync session from " + s.getRemoteSocketAddress() + " failed: " + e.getMessage(), e);
        }
    }

    private static HandshakeState handshake(TwinVault v, Role role) {
        return HandshakeState.builder(SyncWire.NOISE, role)
                .prologue(SyncWire.PROTOCOL.getBytes(StandardCharsets.US_ASCII))
                .localStatic(v.noise)
                .build();
    }

    /**
     * The Ed25519 device key bound (by its card, checked when it was added) to the Noise static key
     * {@code noiseKey} on some owner's device list, or null if none lists it.
     */
    static byte[] listedDevice(TwinVault v, byte[] noiseKey) {
        try {
            return v.db.read(c -> {
                PreparedStatement ps = c.ps("SELECT DISTINCT device FROM devices WHERE noise_key = ?");
                ps.setBytes(1, noiseKey);
                byte[] found = null;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (found != null) {
                            throw new SyncException("the Noise key " + HexFormat.of().formatHex(noiseKey, 0, 8)
                                    + "... is listed for two devices; refusing to guess which one this peer is");
                        }
                        found = rs.getBytes(1);
                    }
                }
                return found;
            });
        } catch (SQLException e) {
            throw TwinVault.storage("sync", e);
        }
    }

    // ------------------------------------------------------------ session

    private SyncResult runInitiator() throws IOException, CodecException {
        Set<String> owners = ownersListingPeer();
        if (owners.isEmpty()) {
            ch.send(new SyncWire.Error("initiator does not list your device for any owner"));
            throw new SyncException("peer " + peerName + " is not listed as a device of any owner in this vault");
        }
        Map<Key, String> mine = haveSet(owners);
        sendHave(mine);
        Map<Key, String> theirs = receiveHave();
        List<byte[]> theyWant = receiveWant();
        sendChanges(theyWant, owners);
        sendWant(missing(theirs, mine, owners));
        receiveChanges(owners);
        ch.send(new SyncWire.Done());
        return result();
    }

    private SyncResult runResponder() throws IOException, CodecException {
        Map<Key, String> theirs = receiveHave();
        Set<String> owners = ownersListingPeer();
        if (owners.isEmpty()) {
            ch.send(new SyncWire.Error("responder does not list your device for any owner"));
            throw new SyncException("peer " + peerName + " is not listed as a device of any owner in this vault");
        }
        Map<Key, String> mine = haveSet(owners);
        sendHave(mine);
        sendWant(missing(theirs, mine, owners));
        receiveChanges(owners);
        List<byte[]> theyWant = receiveWant();
        sendChanges(theyWant, owners);
        SyncWire.Msg last = ch.receive();
        if (!(last instanceof SyncWire.Done)) {
            throw protocol(last, "DONE");
        }
        return result();
    }

    private SyncResult result() {
        log.info("sync with {}: sent {}, received {}, applied {}, rejected {}, twins changed {}", peerName, sent, received,
                applied, rejected, twinsChanged.size());
        return new SyncResult(peer, sent, received, applied, rejected, new ArrayList<>(twinsChanged));
    }

    /** A change id as a map key. */
    private record Key(byte[] id) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(id, k.id);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(id);
        }
    }

    private Set<String> ownersListingPeer() {
        try {
            return v.db.read(c -> {
                PreparedStatement ps = c.ps("SELECT DISTINCT owner FROM devices WHERE device = ?");
                ps.setBytes(1, peer);
                Set<String> out = new HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            });
        } catch (SQLException e) {
            throw TwinVault.storage("sync", e);
        }
    }

    private Map<Key, String> haveSet(Set<String> owners) {
        try {
            return v.db.read(c -> {
                Map<Key, String> out = new LinkedHashMap<>();
                PreparedStatement received = c.ps("SELECT c.id, t.owner FROM changes c JOIN twins t ON t.id = c.twin_id WHERE t.owner = ?");
                PreparedStatement local = c.ps("SELECT v.change_id, t.owner FROM twins t JOIN versions v"
                        + " ON v.vid BETWEEN t.num * 4294967296 AND t.num * 4294967296 + 4294967295"
                        + " WHERE t.owner = ? AND v.change_id IS NOT NULL");
                for (String owner : owners) {
                    for (PreparedStatement ps : List.of(received, local)) {
                        ps.setString(1, owner);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.put(new Key(rs.getBytes(1)), rs.getString(2));
                            }
                        }
                    }
                }
                return out;
            });
        } catch (SQLException e) {
            throw TwinVault.storage("sync", e);
        }
    }

    private static List<byte[]> missing(Map<Key, String> theirs, Map<Key, String> mine, Set<String> owners) {
        List<byte[]> out = new ArrayList<>();
        theirs.forEach((k, owner) -> {
            if (!mine.containsKey(k) && owners.contains(owner)) {
                out.add(k.id());
            }
        });
        return out;
    }

    private void sendHave(Map<Key, String> have) throws IOException {
        List<SyncWire.HaveEntry> batch = new ArrayList<>();
        int left = have.size();
        for (Map.Entry<Key, String> e : have.entrySet()) {
            batch.add(new SyncWire.HaveEntry(e.getKey().id(), e.getValue()));
            left--;
            if (batch.size() == SyncWire.MAX_LIST) {
                ch.send(new SyncWire.Have(batch, left > 0));
                batch = new ArrayList<>();
                if (left == 0) {
                    return;
                }
            }
        }
        ch.send(new SyncWire.Have(batch, false));
    }

    private Map<Key, String> receiveHave() throws IOException, CodecException {
        Map<Key, String> out = new HashMap<>();
        while (true) {
            SyncWire.Msg m = ch.receive();
            if (!(m instanceof SyncWire.Have h)) {
                throw protocol(m, "HAVE");
            }
            for (SyncWire.HaveEntry e : h.entries()) {
                out.put(new Key(e.changeId()), e.owner());
            }
            if (out.size() > MAX_HAVE_TOTAL) {
                throw new SyncException("peer " + peerName + " announced more than " + MAX_HAVE_TOTAL + " changes");
            }
            if (!h.more()) {
                return out;
            }
        }
    }

    private void sendWant(List<byte[]> ids) throws IOException {
        for (int i = 0; i < ids.size(); i += SyncWire.MAX_LIST) {
            int end = Math.min(ids.size(), i + SyncWire.MAX_LIST);
            ch.send(new SyncWire.Want(ids.subList(i, end), end < ids.size()));
        }
        if (ids.isEmpty()) {
            ch.send(new SyncWire.Want(List.of(), false));
        }
    }

    private List<byte[]> receiveWant() throws IOException, CodecException {
        List<byte[]> out = new ArrayList<>();
        while (true) {
            SyncWire.Msg m = ch.receive();
            if (!(m instanceof SyncWire.Want w)) {
                throw protocol(m, "WANT");
            }
            out.addAll(w.ids());
            if (out.size() > MAX_HAVE_TOTAL) {
                throw new SyncException("peer " + peerName + " asked for more than " + MAX_HAVE_TOTAL + " changes");
            }
            if (!w.more()) {
                return out;
            }
        }
    }

    /** Sends the requested changes that this vault offered (owner lists the peer), signed. */
    private void sendChanges(List<byte[]> ids, Set<String> owners) throws IOException {
        Batcher out = new Batcher();
        Set<Key> missing = new HashSet<>();
        for (byte[] id : ids) {
            byte[] cose = exportStored(id, owners);
            if (cose == null) {
                missing.add(new Key(id));
            } else {
                out.add(cose);
            }
        }
        if (!missing.isEmpty()) {
            exportLocal(missing, owners, out);
        }
        out.finish();
    }

    /** Groups signed changes into CHANGES messages of bounded size. */
    private final class Batcher {
        private List<byte[]> batch = new ArrayList<>();
        private int bytes;

        void add(byte[] cose) throws IOException {
            if (!batch.isEmpty() && (bytes + cose.length > CHANGES_BATCH_BYTES || batch.size() == SyncWire.MAX_LIST)) {
                ch.send(new SyncWire.Changes(batch, true));
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(cose);
            bytes += cose.length;
            sent++;
        }

        void finish() throws IOException {
            ch.send(new SyncWire.Changes(batch, false));
        }
    }

    /** A received or erase change from the changes table, or null. */
    private byte[] exportStored(byte[] id, Set<String> owners) {
        try {
            return v.withKeyRead(kek -> v.db.read(c -> {
                PreparedStatement ps = c.ps("SELECT twin_id, kind, body FROM changes WHERE id = ?");
                ps.setBytes(1, id);
                String twinId;
                int kind;
                byte[] body;
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    twinId = rs.getString(1);
                    kind = rs.getInt(2);
                    body = rs.getBytes(3);
                }
                TwinVault.TwinRow row = v.twinRow(c, twinId);
                if (row == null || !owners.contains(row.owner())) {
                    return null;
                }
                if (kind == TwinVault.CHANGE_PLAIN_SIGNED) {
                    return body;
                }
                byte[] dek = v.dataKey(c, row);
                try {
                    return (byte[]) v.openChange(row, id, kind, body, dek)[1];
                } finally {
                    Sealer.wipe(dek);
                }
            }));
        } catch (SQLException | IOException e) {
            throw new SyncException("cannot export change " + HexFormat.of().formatHex(id) + ": " + e.getMessage(), e);
        } catch (TwinCorruptedException e) {
            log.warn("not sending a change that fails to decrypt: {}", e.getMessage());
            return null;
        }
    }

    /** Re-derives and signs this vault's own changes among {@code wanted}, twin by twin. */
    private void exportLocal(Set<Key> wanted, Set<String> owners, Batcher out) throws IOException {
        Map<String, String> twinsOf = new LinkedHashMap<>();
        try {
            v.db.read(c -> {
                PreparedStatement ps = c.ps("SELECT v.change_id, t.id FROM twins t JOIN versions v"
                        + " ON v.vid BETWEEN t.num * 4294967296 AND t.num * 4294967296 + 4294967295"
                        + " WHERE t.owner = ? AND v.change_id IS NOT NULL");
                for (String owner : owners) {
                    ps.setString(1, owner);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if (wanted.contains(new Key(rs.getBytes(1)))) {
                                twinsOf.put(rs.getString(2), owner);
                            }
                        }
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new SyncException("cannot list local changes: " + e.getMessage(), e);
        }
        for (String twinId : twinsOf.keySet()) {
            List<Change> changes;
            try {
                changes = v.withKeyRead(kek -> v.db.read(c -> {
                    TwinVault.TwinRow row = v.twinRow(c, twinId);
                    if (row == null || row.erased()) {
                        return List.<Change>of();
                    }
                    byte[] dek = v.dataKey(c, row);
                    try {
                        return v.localChanges(c, row, dek);
                    } finally {
                        Sealer.wipe(dek);
                    }
                }));
            } catch (SQLException e) {
                throw new SyncException("cannot export changes of twin '" + twinId + "': " + e.getMessage(), e);
            } catch (TwinCorruptedException e) {
                log.warn("not sending changes of a damaged twin: {}", e.getMessage());
                continue;
            }
            byte[] priv = v.device.privateKey();
            try {
                for (Change change : changes) {
                    if (wanted.contains(new Key(change.id()))) {
                        out.add(CoseSign1.sign(priv, v.device.publicKey(), change.encode()).encode());
                    }
                }
            } finally {
                Sealer.wipe(priv);
            }
        }
    }

    private void receiveChanges(Set<String> owners) throws IOException, CodecException {
        while (true) {
            SyncWire.Msg m = ch.receive();
            if (m instanceof SyncWire.Error e) {
                throw new SyncException("peer " + peerName + " reported: " + e.reason());
            }
            if (!(m instanceof SyncWire.Changes c)) {
                throw protocol(m, "CHANGES");
            }
            received += c.signed().size();
            apply(c.signed(), owners);
            if (!c.more()) {
                return;
            }
        }
    }

    /** A verified received change. */
    record Verified(Change change, byte[] id, byte[] cose) {}

    private void apply(List<byte[]> signed, Set<String> owners) {
        Map<String, List<Verified>> byTwin = new LinkedHashMap<>();
        Map<String, Set<Key>> deviceCache = new HashMap<>();
        for (byte[] cose : signed) {
            Verified ok = verify(cose, owners, deviceCache);
            if (ok == null) {
                rejected++;
                continue;
            }
            byTwin.computeIfAbsent(ok.change().twinId(), k -> new ArrayList<>()).add(ok);
        }
        byTwin.forEach(this::merge);
    }

    private Verified verify(byte[] cose, Set<String> owners, Map<String, Set<Key>> deviceCache) {
        try {
            CoseSign1 msg = CoseSign1.decode(cose);
            Change change = Change.decode(msg.payload());
            byte[] kid = msg.kid();
            if (kid == null || !ConstantTime.equals(kid, change.device()) || !msg.verify(kid)) {
                log.warn("sync from {}: rejected a change with a bad signature", peerName);
                return null;
            }
            if (!owners.contains(change.owner())) {
                log.warn("sync from {}: rejected a change to a twin of '{}', who does not list this peer", peerName, change.owner());
                return null;
            }
            Set<Key> devices = deviceCache.computeIfAbsent(change.owner(), this::devicesOf);
            if (!devices.contains(new Key(change.device())) && !Arrays.equals(change.device(), v.device.publicKey())) {
                log.warn("sync from {}: rejected a change by {}, not a device of '{}'", peerName, deviceName(change.device()), change.owner());
                return null;
            }
            TwinVault.validateName("twin id", change.twinId());
            return new Verified(change, change.id(), cose);
        } catch (CodecException | InvalidTwinException e) {
            log.warn("sync from {}: rejected a malformed change: {}", peerName, e.getMessage());
            return null;
        }
    }

    private Set<Key> devicesOf(String owner) {
        Set<Key> out = new HashSet<>();
        for (byte[] d : v.devices(owner)) {
            out.add(new Key(d));
        }
        return out;
    }

    /** Applies the received changes of one twin in one transaction, with a receipt. */
    private void merge(String twinId, List<Verified> incoming) {
        TwinVault.Note note = new TwinVault.Note();
        try {
            v.writeOp(peerName, "sync-merge", twinId, note, w -> {
                mergeTx(w, twinId, incoming, note);
                return null;
            });
        } catch (VaultException e) {
            rejected += incoming.size();
            log.warn("sync from {}: merge of twin '{}' failed: {}", peerName, twinId, e.getMessage());
        }
    }

    private void mergeTx(Db.Conn w, String twinId, List<Verified> incoming, TwinVault.Note note) throws SQLException {
        String owner = incoming.getFirst().change().owner();
        for (Verified x : incoming) {
            if (!x.change().owner().equals(owner)) {
                throw new InvalidTwinException("changes to twin '" + twinId + "' name different owners");
            }
        }
        List<Verified> fresh = new ArrayList<>();
        PreparedStatement exists = w.ps("SELECT 1 FROM changes WHERE id = ?");
        for (Verified x : incoming) {
            exists.setBytes(1, x.id());
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    fresh.add(x);
                }
            }
        }
        note.detail = fresh.size() + " new of " + incoming.size() + " changes";
        if (fresh.isEmpty()) {
            return;
        }
        for (Verified x : fresh) {
            v.hlc.observe(x.change().wall(), x.change().counter());
        }
        long now = v.clock.millis();
        TwinVault.TwinRow row = v.twinRow(w, twinId);
        boolean eraseIncoming = fresh.stream().anyMatch(x -> x.change().ops().stream().anyMatch(op -> op instanceof CrdtOp.Erase));
        if (row != null && !row.owner().equals(owner)) {
            throw new InvalidTwinException("twin '" + twinId + "' belongs to '" + row.owner() + "', not '" + owner + "'");
        }
        if (row != null && row.erased()) {
            for (Verified x : fresh) {
                if (isErase(x.change())) {
                    v.insertPlainChange(w, x.change(), x.cose());
                }
            }
            applied += fresh.size();
            return;
        }
        if (eraseIncoming) {
            Hlc.Tick latest = latest(fresh);
            if (row == null) {
                PreparedStatement t = w.ps("INSERT INTO twins(id, owner, head, privacy, updated_ms, erased, kek_gen, wrapped, hlc_wall, hlc_counter, num)"
                        + " VALUES (?, ?, 0, ?, ?, 1, 0, NULL, ?, ?, ?)");
                t.setString(1, twinId);
                t.setString(2, owner);
                t.setInt(3, PrivacyLevel.PRIVATE.code());
                t.setLong(4, now);
                t.setLong(5, latest.wall());
                t.setInt(6, latest.counter());
                t.setLong(7, v.allocateTwinNumber());
                t.executeUpdate();
            } else {
                v.eraseLocally(w, row);
                v.setClock(w, twinId, latest.wall(), latest.counter());
            }
            for (Verified x : fresh) {
                if (isErase(x.change())) {
                    v.insertPlainChange(w, x.change(), x.cose());
                }
            }
            applied += fresh.size();
            twinsChanged.add(twinId);
            note.onCommit = v::purgeWal;
            return;
        }
        Hlc.Tick latest = latest(fresh);
        byte[] dek;
        if (row == null) {
            dek = org.aivillage.betanet.crypto.Randomness.bytes(32);
            v.insertTwin(w, twinId, owner, 0, PrivacyLevel.PRIVATE, now, dek, latest);
            row = v.twinRow(w, twinId);
        } else {
            dek = v.dataKey(w, row);
        }
        try {
            TwinState state = new TwinState();
            Set<Key> localIds = new HashSet<>();
            for (Change local : v.localChanges(w, row, dek)) {
                state.apply(local, local.id());
                localIds.add(new Key(local.id()));
            }
            // Our own changes relayed back by a third device are already in the versions.
            fresh.removeIf(x -> localIds.contains(new Key(x.id())));
            PreparedStatement stored = w.ps("SELECT id, kind, body FROM changes WHERE twin_id = ?");
            stored.setString(1, twinId);
            try (ResultSet rs = stored.executeQuery()) {
                while (rs.next()) {
                    byte[] id = rs.getBytes(1);
                    Object[] opened = v.openChange(row, id, rs.getInt(2), rs.getBytes(3), dek);
                    state.apply((Change) opened[0], id);
                }
            }
            for (Verified x : fresh) {
                state.apply(x.change(), x.id());
                v.insertChange(w, dek, x.change(), x.cose());
            }
            applied += fresh.size();
            String data = Json.canonical(state.materialize());
            PrivacyLevel privacy = state.privacy();
            boolean changed = row.head() == 0 || privacy != row.privacy()
                    || !v.decryptVersion(w, row, row.head(), dek).data().equals(data);
            if (changed) {
                long version = row.head() + 1;
                v.insertVersion(w, row.num(), twinId, owner, version, privacy, now, peerName, dek, data, null);
                v.setHead(w, twinId, version, privacy, now, row.head(), latest);
                note.version = version;
                twinsChanged.add(twinId);
            } else {
                v.setClock(w, twinId, latest.wall(), latest.counter());
            }
        } finally {
            Sealer.wipe(dek);
        }
    }

    private static Hlc.Tick latest(List<Verified> changes) {
        Hlc.Tick max = new Hlc.Tick(0, 0);
        for (Verified x : changes) {
            Hlc.Tick t = new Hlc.Tick(x.change().wall(), x.change().counter());
            if (t.compareTo(max) > 0) {
                max = t;
            }
        }
        return max;
    }

    private static boolean isErase(Change c) {
        return c.ops().stream().anyMatch(op -> op instanceof CrdtOp.Erase);
    }

    // ------------------------------------------------------------ helpers

    private SyncException protocol(SyncWire.Msg got, String expected) {
        if (got instanceof SyncWire.Error e) {
            return new SyncException("peer " + peerName + " reported: " + e.reason());
        }
        return new SyncException("sync protocol violation by " + peerName + ": expected " + expected + ", got "
                + got.getClass().getSimpleName());
    }




}
