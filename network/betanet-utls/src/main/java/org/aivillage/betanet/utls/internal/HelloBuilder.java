package org.aivillage.betanet.utls.internal;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.utls.ClientHelloTemplate;
import org.aivillage.betanet.utls.Grease;
import org.aivillage.betanet.utls.TemplateExtension;

/**
 * Builds the ClientHello(s) of one connection from a template: fresh random, session id, GREASE
 * values, extension permutation, ECH GREASE and key shares, all fixed for the connection so that
 * the second ClientHello after a HelloRetryRequest differs only where RFC 8446 §4.1.2 allows.
 */
public final class HelloBuilder implements AutoCloseable {
    private final ClientHelloTemplate template;
    private final String serverName;
    private final byte[] random;
    private final byte[] sessionId;
    private final int greaseCipher;
    private final int greaseGroup;
    private final int greaseVersion;
    private final int greaseSignature;
    private final int greaseExt1;
    private final int greaseExt2;
    private final List<TemplateExtension> order;
    private final byte[] echGrease;
    private final Map<Integer, KeyShareSecret> shares = new LinkedHashMap<>();

    public HelloBuilder(ClientHelloTemplate template, String serverName) {
        this.template = template;
        this.serverName = sniHost(serverName);
        SecureRandom rnd = Randomness.secureRandom();
        random = Randomness.bytes(32);
        sessionId = Randomness.bytes(template.sessionIdLength());
        greaseCipher = Grease.value(rnd.nextInt(16));
        greaseGroup = Grease.value(rnd.nextInt(16));
        greaseVersion = Grease.value(rnd.nextInt(16));
        greaseSignature = Grease.value(rnd.nextInt(16));
        int e1 = rnd.nextInt(16);
        int e2 = (e1 + 1 + rnd.nextInt(15)) % 16;
        greaseExt1 = Grease.value(e1);
        greaseExt2 = Grease.value(e2);
        order = permute(template, rnd);
        echGrease = template.extension(TemplateExtension.EchGrease.class).map(e -> echGreaseBody(e, rnd)).orElse(null);
    }

    /** The host name to put in SNI, or null for none (absent, empty or an IP literal). */
    static String sniHost(String serverName) {
        if (serverName == null || serverName.isEmpty()) {
            return null;
        }
        if (isIpLiteral(serverName)) {
            return null;
        }
        return serverName.endsWith(".") ? serverName.substring(0, serverName.length() - 1) : serverName;
    }

    private static List<TemplateExtension> permute(ClientHelloTemplate t, SecureRandom rnd) {
        List<TemplateExtension> exts = new ArrayList<>(t.extensions());
        if (!t.permuteExtensions()) {
            return exts;
        }
        List<Integer> movable = new ArrayList<>();
        for (int i = 0; i < exts.size(); i++) {
            TemplateExtension e = exts.get(i);
            if (!(e instanceof TemplateExtension.GreaseSlot) && !(e instanceof TemplateExtension.Padding)) {
                movable.add(i);
            }
        }
        List<TemplateExtension> picked = new ArrayList<>();
        for (int i : movable) {
            picked.add(exts.get(i));
        }
        java.util.Collections.shuffle(picked, rnd);
        for (int k = 0; k < movable.size(); k++) {
            exts.set(movable.get(k), picked.get(k));
        }
        return exts;
    }

    private static byte[] echGreaseBody(TemplateExtension.EchGrease e, SecureRandom rnd) {
        KeyPair kp = X25519.generateKeyPair();
        int payload = e.payloadLengths().get(rnd.nextInt(e.payloadLengths().size()));
        ByteWriter w = new ByteWriter(64 + payload);
        w.u8(0).u16(e.kdf()).u16(e.aeads().get(rnd.nextInt(e.aeads().size()))).u8(rnd.nextInt(256));
        w.vector(2, kp.publicKey());
        w.vector(2, Randomness.bytes(payload));
        kp.destroy();
        return w.toByteArray();
    }

    public ClientHelloTemplate template() {
        return template;
    }

    public byte[] sessionId() {
        return sessionId.clone();
    }

    /** The key share generated for {@code group}, or null. */
    public KeyShareSecret share(int group) {
        return shares.get(group);
    }

    /** The first ClientHello handshake message (type, length, body). */
    public byte[] firstHello() {
        for (int g : template.keyShareGroups()) {
            if (!Grease.is(g) && !shares.containsKey(g)) {
                shares.put(g, KeyShareSecret.generate(g));
            }
        }
        return build(null, null);
    }

    /** The second ClientHello after a HelloRetryRequest asking for {@code group}. */
    public byte[] retryHello(int group, byte[] cookie) {
        shares.values().forEach(KeyShareSecret::close);
        shares.clear();
        shares.put(group, KeyShareSecret.generate(group));
        return build(group, cookie);
    }

    private byte[] build(Integer retryGroup, byte[] cookie) {
        byte[] exts = extensions(retryGroup, cookie, -1);
        int unpadded = 4 + 2 + 32 + 1 + sessionId.length + 2 + 2 * template.cipherSuites().size() + 1
                + template.compressionMethods().size() + 2 + exts.length;
        if (order.stream().anyMatch(e -> e instanceof TemplateExtension.Padding)) {
            int pad = 0;
            if (unpadded > 0xff && unpadded < 0x200) {
                pad = 0x200 - unpadded;
                pad = pad >= 5 ? pad - 4 : 1;
            }
            exts = extensions(retryGroup, cookie, pad);
        }
        ByteWriter w = new ByteWriter(unpadded + 64);
        w.u8(1);
        int len = w.beginLength(3);
        w.u16(template.legacyVersion());
        w.bytes(random);
        w.vector(1, sessionId);
        int cs = w.beginLength(2);
        for (int c : template.cipherSuites()) {
            w.u16(Grease.is(c) ? greaseCipher : c);
        }
        w.endLength(cs, 2);
        w.u8(template.compressionMethods().size());
        template.compressionMethods().forEach(w::u8);
        w.vector(2, exts);
        w.endLength(len, 3);
        return w.toByteArray();
    }

    /** The extensions block; {@code padding} < 0 omits the padding extension. */
    private byte[] extensions(Integer retryGroup, byte[] cookie, int padding) {
        ByteWriter w = new ByteWriter(2048);
        boolean firstGrease = true;
        for (TemplateExtension e : order) {
            switch (e) {
                case TemplateExtension.GreaseSlot g -> {
                    w.u16(firstGrease ? greaseExt1 : greaseExt2);
                    firstGrease = false;
                    w.vector(2, new byte[g.length()]);
                }
                case TemplateExtension.ServerName s -> {
                    if (serverName != null) {
                        byte[] host = serverName.getBytes(StandardCharsets.US_ASCII);
                        w.u16(e.type());
                        int l = w.beginLength(2);
                        int list = w.beginLength(2);
                        w.u8(0).vector(2, host);
                        w.endLength(list, 2);
                        w.endLength(l, 2);
                    }
                }
                case TemplateExtension.SupportedGroups g -> u16List(w, e.type(), 2, g.groups(), greaseGroup);
                case TemplateExtension.SignatureAlgorithms s -> u16List(w, e.type(), 2, s.schemes(), greaseSignature);
                case TemplateExtension.SupportedVersions v -> u16List(w, e.type(), 1, v.versions(), greaseVersion);
                case TemplateExtension.CompressCertificate c -> u16List(w, e.type(), 1, c.algorithms(), 0);
                case TemplateExtension.KeyShare k -> {
                    w.u16(e.type());
                    int l = w.beginLength(2);
                    int list = w.beginLength(2);
                    if (retryGroup == null) {
                        for (int g : k.groups()) {
                            if (Grease.is(g)) {
                                w.u16(greaseGroup).vector(2, new byte[1]);
                            } else {
                                w.u16(g).vector(2, shares.get(g).publicShare());
                            }
                        }
                    } else {
                        w.u16(retryGroup).vector(2, shares.get(retryGroup).publicShare());
                    }
                    w.endLength(list, 2);
                    w.endLength(l, 2);
                    if (cookie != null && cookie.length > 0) {
                        w.u16(TlsCodes.EXT_COOKIE);
                        int c = w.beginLength(2);
                        w.vector(2, cookie);
                        w.endLength(c, 2);
                    }
                }
                case TemplateExtension.Alpn a -> {
                    w.u16(e.type());
                    int l = w.beginLength(2);
                    w.vector(2, protocolList(a.protocols()));
                    w.endLength(l, 2);
                }
                case TemplateExtension.ApplicationSettings a -> {
                    w.u16(e.type());
                    int l = w.beginLength(2);
                    w.vector(2, protocolList(a.protocols()));
                    w.endLength(l, 2);
                }
                case TemplateExtension.EchGrease g -> w.u16(e.type()).vector(2, echGrease);
                case TemplateExtension.Padding p -> {
                    if (padding >= 0) {
                        w.u16(e.type()).vector(2, new byte[padding]);
                    }
                }
                case TemplateExtension.Opaque o -> w.u16(o.code()).vector(2, o.data());
            }
        }
        return w.toByteArray();
    }

    private static byte[] protocolList(List<String> protocols) {
        ByteWriter w = new ByteWriter();
        for (String p : protocols) {
            w.vector(1, p.getBytes(StandardCharsets.ISO_8859_1));
        }
        return w.toByteArray();
    }

    private static void u16List(ByteWriter w, int type, int lengthBytes, List<Integer> values, int grease) {
        w.u16(type);
        int l = w.beginLength(2);
        int list = w.beginLength(lengthBytes);
        for (int v : values) {
            w.u16(Grease.is(v) ? grease : v);
        }
        w.endLength(list, lengthBytes);
        w.endLength(l, 2);
    }

    /** Wraps a handshake message in plaintext handshake records of at most 2^14 bytes. */
    public static byte[] records(int recordVersion, byte[] handshake) {
        ByteWriter w = new ByteWriter(handshake.length + 16);
        for (int off = 0; off < handshake.length; off += 16384) {
            int n = Math.min(16384, handshake.length - off);
            w.u8(0x16).u16(recordVersion).u16(n).bytes(handshake, off, n);
        }
        return w.toByteArray();
    }

    /** A ClientHello record built from {@code template} with fresh keys that are discarded. */
    public static byte[] sample(ClientHelloTemplate template, String serverName) {
        try (HelloBuilder b = new HelloBuilder(template, serverName)) {
            return records(template.recordVersion(), b.firstHello());
        }
    }

    @Override
    public void close() {
        shares.values().forEach(KeyShareSecret::close);
        shares.clear();
    }

    static boolean isIpLiteral(String host) {
        try {
            InetAddress.ofLiteral(host);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
