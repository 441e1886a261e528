package org.aivillage.betanet.utls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.aivillage.betanet.utls.internal.ByteReader;
import org.aivillage.betanet.utls.internal.HandshakeFraming;
import org.aivillage.betanet.utls.internal.TlsCodes;

/**
 * A decoded ClientHello: the wire fields in order plus the extension bodies that fingerprints and
 * templates read (SNI, ALPN, groups, key-share groups, signature algorithms, versions, point
 * formats, certificate compression). GREASE values are kept as sent.
 *
 * @param handshake the ClientHello handshake message (type 1, 24-bit length, body) as parsed
 */
public record ClientHelloInfo(
        int legacyVersion,
        byte[] random,
        byte[] sessionId,
        List<Integer> cipherSuites,
        List<Integer> compressionMethods,
        List<TlsExtension> extensions,
        Optional<String> serverName,
        List<String> alpnProtocols,
        List<Integer> supportedGroups,
        List<Integer> keyShareGroups,
        List<Integer> signatureAlgorithms,
        List<Integer> supportedVersions,
        List<Integer> ecPointFormats,
        List<Integer> certificateCompressionAlgorithms,
        byte[] handshake) {

    public ClientHelloInfo {
        random = random.clone();
        sessionId = sessionId.clone();
        handshake = handshake.clone();
        cipherSuites = List.copyOf(cipherSuites);
        compressionMethods = List.copyOf(compressionMethods);
        extensions = List.copyOf(extensions);
        alpnProtocols = List.copyOf(alpnProtocols);
        supportedGroups = List.copyOf(supportedGroups);
        keyShareGroups = List.copyOf(keyShareGroups);
        signatureAlgorithms = List.copyOf(signatureAlgorithms);
        supportedVersions = List.copyOf(supportedVersions);
        ecPointFormats = List.copyOf(ecPointFormats);
        certificateCompressionAlgorithms = List.copyOf(certificateCompressionAlgorithms);
    }

    @Override
    public byte[] random() {
        return random.clone();
    }

    @Override
    public byte[] sessionId() {
        return sessionId.clone();
    }

    @Override
    public byte[] handshake() {
        return handshake.clone();
    }

    /** Extension types in wire order, GREASE included. */
    public List<Integer> extensionTypes() {
        return extensions.stream().map(TlsExtension::type).toList();
    }

    /** The body of the first extension of {@code type}, if present. */
    public Optional<byte[]> extension(int type) {
        return extensions.stream().filter(e -> e.type() == type).findFirst().map(TlsExtension::data);
    }

    /**
     * Parses a ClientHello given either as TLS records (first byte 0x16, fragments reassembled)
     * or as the bare handshake message (first byte 0x01).
     *
     * @throws TlsDecodeException when anything is malformed; the message names the field and offset
     */
    public static ClientHelloInfo parse(byte[] bytes) throws TlsDecodeException {
        byte[] msg = HandshakeFraming.firstHandshakeMessage(bytes, 1, "ClientHello");
        ByteReader r = new ByteReader(msg);
        r.u8("handshake.type");
        ByteReader body = r.sub(3, "ClientHello");
        r.expectEnd("ClientHello");
        int version = body.u16("legacy_version");
        byte[] random = body.bytes(32, "random");
        byte[] sid = body.vector(1, "legacy_session_id");
        if (sid.length > 32) {
            throw new TlsDecodeException("legacy_session_id", body.offset(), "longer than 32 bytes");
        }
        ByteReader cs = body.sub(2, "cipher_suites");
        if (cs.remaining() % 2 != 0 || cs.remaining() == 0) {
            throw new TlsDecodeException("cipher_suites", cs.offset(), "length must be even and non-zero");
        }
        List<Integer> ciphers = new ArrayList<>();
        while (cs.hasRemaining()) {
            ciphers.add(cs.u16("cipher_suites"));
        }
        byte[] comp = body.vector(1, "legacy_compression_methods");
        if (comp.length == 0) {
            throw new TlsDecodeException("legacy_compression_methods", body.offset(), "empty");
        }
        List<Integer> compression = new ArrayList<>();
        for (byte b : comp) {
            compression.add(b & 0xff);
        }
        List<TlsExtension> exts = new ArrayList<>();
        Optional<String> sni = Optional.empty();
        List<String> alpn = List.of();
        List<Integer> groups = List.of();
        List<Integer> shareGroups = List.of();
        List<Integer> sigalgs = List.of();
        List<Integer> versions = List.of();
        List<Integer> pointFormats = List.of();
        List<Integer> certCompression = List.of();
        if (body.hasRemaining()) {
            ByteReader er = body.sub(2, "extensions");
            while (er.hasRemaining()) {
                int type = er.u16("extension.type");
                String field = "extension " + String.format("0x%04x", type);
                int at = er.offset();
                ByteReader ed = er.sub(2, field);
                byte[] data = ed.copyRemaining();
                for (TlsExtension e : exts) {
                    if (e.type() == type) {
                        throw new TlsDecodeException(field, at, "duplicate extension");
                    }
                }
                exts.add(new TlsExtension(type, data));
                switch (type) {
                    case TlsCodes.EXT_SERVER_NAME -> sni = parseSni(ed);
                    case TlsCodes.EXT_ALPN -> alpn = parseAlpn(ed);
                    case TlsCodes.EXT_SUPPORTED_GROUPS -> groups = u16List(ed, 2, "supported_groups");
                    case TlsCodes.EXT_SIGNATURE_ALGORITHMS -> sigalgs = u16List(ed, 2, "signature_algorithms");
                    case TlsCodes.EXT_SUPPORTED_VERSIONS -> versions = u16List(ed, 1, "supported_versions");
                    case TlsCodes.EXT_COMPRESS_CERTIFICATE -> certCompression = u16List(ed, 1, "compress_certificate");
                    case TlsCodes.EXT_EC_POINT_FORMATS -> {
                        byte[] pf = ed.vector(1, "ec_point_formats");
                        List<Integer> l = new ArrayList<>();
                        for (byte b : pf) {
                            l.add(b & 0xff);
                        }
                        pointFormats = l;
                        ed.expectEnd("ec_point_formats");
                    }
                    case TlsCodes.EXT_KEY_SHARE -> {
                        ByteReader ks = ed.sub(2, "key_share");
                        List<Integer> l = new ArrayList<>();
                        while (ks.hasRemaining()) {
                            l.add(ks.u16("key_share.group"));
                            ks.vector(2, "key_share.key_exchange");
                        }
                        ed.expectEnd("key_share");
                        shareGroups = l;
                    }
                    default -> { }
                }
            }
            body.expectEnd("ClientHello");
        }
        return new ClientHelloInfo(version, random, sid, ciphers, compression, exts, sni, alpn, groups, shareGroups,
                sigalgs, versions, pointFormats, certCompression, msg);
    }

    private static Optional<String> parseSni(ByteReader ed) throws TlsDecodeException {
        if (!ed.hasRemaining()) {
            return Optional.of("");
        }
        ByteReader list = ed.sub(2, "server_name_list");
        ed.expectEnd("server_name");
        Optional<String> host = Optional.empty();
        while (list.hasRemaining()) {
            int nameType = list.u8("server_name.name_type");
            byte[] name = list.vector(2, "server_name.host_name");
            if (nameType == 0 && host.isEmpty()) {
                host = Optional.of(new String(name, StandardCharsets.ISO_8859_1));
            }
        }
        return host.isPresent() ? host : Optional.of("");
    }

    static List<String> parseAlpn(ByteReader ed) throws TlsDecodeException {
        ByteReader list = ed.sub(2, "alpn.protocol_name_list");
        ed.expectEnd("alpn");
        List<String> out = new ArrayList<>();
        while (list.hasRemaining()) {
            byte[] p = list.vector(1, "alpn.protocol_name");
            out.add(new String(p, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    static List<Integer> u16List(ByteReader ed, int lengthBytes, String field) throws TlsDecodeException {
        ByteReader l = ed.sub(lengthBytes, field);
        ed.expectEnd(field);
        if (l.remaining() % 2 != 0) {
            throw new TlsDecodeException(field, l.offset(), "odd length");
        }
        List<Integer> out = new ArrayList<>();
        while (l.hasRemaining()) {
            out.add(l.u16(field));
        }
        return out;
    }
}
