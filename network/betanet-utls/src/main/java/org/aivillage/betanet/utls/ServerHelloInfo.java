package org.aivillage.betanet.utls;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.aivillage.betanet.utls.internal.ByteReader;
import org.aivillage.betanet.utls.internal.HandshakeFraming;
import org.aivillage.betanet.utls.internal.TlsCodes;

/**
 * A decoded ServerHello or HelloRetryRequest (RFC 8446 §4.1.3-4.1.4).
 *
 * @param selectedVersion supported_versions when present, else legacy_version
 * @param keyShareGroup the group of the server's key_share (or the group an HRR asks for), -1 if absent
 * @param keyShare the server's key_exchange bytes (empty for an HRR or when absent)
 * @param cookie the HRR cookie, empty when absent
 * @param alpnProtocol ALPN in the ServerHello itself (TLS 1.2 only; TLS 1.3 carries it encrypted)
 */
public record ServerHelloInfo(
        int legacyVersion,
        byte[] random,
        byte[] sessionIdEcho,
        int cipherSuite,
        int compressionMethod,
        List<TlsExtension> extensions,
        int selectedVersion,
        int keyShareGroup,
        byte[] keyShare,
        byte[] cookie,
        Optional<String> alpnProtocol,
        boolean helloRetryRequest,
        byte[] handshake) {

    /** SHA-256("HelloRetryRequest"): the random of every HRR. */
    private static final byte[] HRR_RANDOM = HexFormat.of()
            .parseHex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

    public ServerHelloInfo {
        random = random.clone();
        sessionIdEcho = sessionIdEcho.clone();
        keyShare = keyShare.clone();
        cookie = cookie.clone();
        handshake = handshake.clone();
        extensions = List.copyOf(extensions);
    }

    @Override
    public byte[] random() {
        return random.clone();
    }

    @Override
    public byte[] sessionIdEcho() {
        return sessionIdEcho.clone();
    }

    @Override
    public byte[] keyShare() {
        return keyShare.clone();
    }

    @Override
    public byte[] cookie() {
        return cookie.clone();
    }

    @Override
    public byte[] handshake() {
        return handshake.clone();
    }

    /** The body of the extension of {@code type}, if present. */
    public Optional<byte[]> extension(int type) {
        return extensions.stream().filter(e -> e.type() == type).findFirst().map(TlsExtension::data);
    }

    public List<Integer> extensionTypes() {
        return extensions.stream().map(TlsExtension::type).toList();
    }

    /** Parses a ServerHello given as TLS records (0x16 ...) or as the bare handshake message (0x02 ...). */
    public static ServerHelloInfo parse(byte[] bytes) throws TlsDecodeException {
        byte[] msg = HandshakeFraming.firstHandshakeMessage(bytes, 2, "ServerHello");
        ByteReader r = new ByteReader(msg);
        r.u8("handshake.type");
        ByteReader body = r.sub(3, "ServerHello");
        int version = body.u16("legacy_version");
        byte[] random = body.bytes(32, "random");
        byte[] sid = body.vector(1, "legacy_session_id_echo");
        if (sid.length > 32) {
            throw new TlsDecodeException("legacy_session_id_echo", body.offset(), "longer than 32 bytes");
        }
        int cipher = body.u16("cipher_suite");
        int compression = body.u8("legacy_compression_method");
        boolean hrr = java.util.Arrays.equals(random, HRR_RANDOM);
        List<TlsExtension> exts = new ArrayList<>();
        int selected = version;
        int group = -1;
        byte[] share = new byte[0];
        byte[] cookie = new byte[0];
        Optional<String> alpn = Optional.empty();
        if (body.hasRemaining()) {
            ByteReader er = body.sub(2, "extensions");
            while (er.hasRemaining()) {
                int at = er.offset();
                int type = er.u16("extension.type");
                String field = String.format("extension 0x%04x", type);
                ByteReader ed = er.sub(2, field);
                for (TlsExtension e : exts) {
                    if (e.type() == type) {
                        throw new TlsDecodeException(field, at, "duplicate extension");
                    }
                }
                exts.add(new TlsExtension(type, ed.copyRemaining()));
                switch (type) {
                    case TlsCodes.EXT_SUPPORTED_VERSIONS -> {
                        selected = ed.u16("supported_versions.selected_version");
                        ed.expectEnd("supported_versions");
                    }
                    case TlsCodes.EXT_KEY_SHARE -> {
                        group = ed.u16("key_share.group");
                        if (!hrr) {
                            share = ed.vector(2, "key_share.key_exchange");
                        }
                        ed.expectEnd("key_share");
                    }
                    case TlsCodes.EXT_COOKIE -> {
                        cookie = ed.vector(2, "cookie");
                        ed.expectEnd("cookie");
                    }
                    case TlsCodes.EXT_ALPN -> {
                        List<String> l = ClientHelloInfo.parseAlpn(ed);
                        if (l.size() != 1) {
                            throw new TlsDecodeException("alpn", at, "server must select exactly one protocol");
                        }
                        alpn = Optional.of(l.getFirst());
                    }
                    default -> { }
                }
            }
        }
        body.expectEnd("ServerHello");
        return new ServerHelloInfo(version, random, sid, cipher, compression, exts, selected, group, share, cookie,
                alpn, hrr, msg);
    }
}
