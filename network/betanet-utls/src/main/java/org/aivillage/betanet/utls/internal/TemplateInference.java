package org.aivillage.betanet.utls.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.aivillage.betanet.utls.ClientHelloInfo;
import org.aivillage.betanet.utls.ClientHelloTemplate;
import org.aivillage.betanet.utls.Grease;
import org.aivillage.betanet.utls.TemplateExtension;
import org.aivillage.betanet.utls.TlsDecodeException;
import org.aivillage.betanet.utls.TlsExtension;

/** Turns captured ClientHellos of one client into a {@link ClientHelloTemplate}. */
public final class TemplateInference {
    private TemplateInference() {}

    public static ClientHelloTemplate infer(String name, String description, List<byte[]> captures)
            throws TlsDecodeException {
        if (captures.isEmpty()) {
            throw new TlsDecodeException("captures", -1, "no ClientHello captured");
        }
        List<ClientHelloInfo> hellos = new ArrayList<>();
        for (byte[] c : captures) {
            hellos.add(ClientHelloInfo.parse(c));
        }
        byte[] first = captures.getFirst();
        int recordVersion = (first[0] & 0xff) == 0x16 && first.length >= 3
                ? ((first[1] & 0xff) << 8) | (first[2] & 0xff) : 0x0301;
        ClientHelloInfo ch = hellos.getFirst();
        for (int type : ch.extensionTypes()) {
            if (type == TlsCodes.EXT_PRE_SHARED_KEY || type == TlsCodes.EXT_EARLY_DATA) {
                throw new TlsDecodeException("extensions", -1, "the capture is a resumption (pre_shared_key/early_data):"
                        + " capture a first connection from a fresh browser profile");
            }
        }
        List<String> nonGreaseOrder = nonGreaseTypes(ch);
        boolean permuted = false;
        for (ClientHelloInfo other : hellos) {
            List<String> o = nonGreaseTypes(other);
            if (!new TreeSet<>(o).equals(new TreeSet<>(nonGreaseOrder))) {
                throw new TlsDecodeException("extensions", -1, "captures have different extension sets: " + nonGreaseOrder
                        + " vs " + o + " (were they made by one client?)");
            }
            if (!normalise(other.cipherSuites()).equals(normalise(ch.cipherSuites()))) {
                throw new TlsDecodeException("cipher_suites", -1, "captures have different cipher suites");
            }
            permuted |= !o.equals(nonGreaseOrder);
        }
        List<TemplateExtension> exts = new ArrayList<>();
        for (TlsExtension e : ch.extensions()) {
            exts.add(slot(e, ch, hellos));
        }
        return new ClientHelloTemplate(name, description, recordVersion, ch.legacyVersion(), ch.sessionId().length,
                normalise(ch.cipherSuites()), ch.compressionMethods(), exts, permuted);
    }

    private static List<String> nonGreaseTypes(ClientHelloInfo ch) {
        return ch.extensionTypes().stream().filter(t -> !Grease.is(t)).map(t -> String.format("%04x", t)).toList();
    }

    private static List<Integer> normalise(List<Integer> values) {
        return values.stream().map(v -> Grease.is(v) ? Grease.PLACEHOLDER : v).toList();
    }

    private static TemplateExtension slot(TlsExtension e, ClientHelloInfo ch, List<ClientHelloInfo> all)
            throws TlsDecodeException {
        int type = e.type();
        if (Grease.is(type)) {
            return new TemplateExtension.GreaseSlot(e.data().length);
        }
        return switch (type) {
            case TlsCodes.EXT_SERVER_NAME -> new TemplateExtension.ServerName();
            case TlsCodes.EXT_SUPPORTED_GROUPS -> new TemplateExtension.SupportedGroups(normalise(ch.supportedGroups()));
            case TlsCodes.EXT_KEY_SHARE -> new TemplateExtension.KeyShare(normalise(ch.keyShareGroups()));
            case TlsCodes.EXT_SIGNATURE_ALGORITHMS ->
                    new TemplateExtension.SignatureAlgorithms(normalise(ch.signatureAlgorithms()));
            case TlsCodes.EXT_ALPN -> new TemplateExtension.Alpn(ch.alpnProtocols());
            case TlsCodes.EXT_SUPPORTED_VERSIONS -> new TemplateExtension.SupportedVersions(normalise(ch.supportedVersions()));
            case TlsCodes.EXT_COMPRESS_CERTIFICATE ->
                    new TemplateExtension.CompressCertificate(ch.certificateCompressionAlgorithms());
            case TlsCodes.EXT_PADDING -> new TemplateExtension.Padding();
            case TlsCodes.EXT_ALPS, TlsCodes.EXT_ALPS_OLD -> {
                ByteReader r = new ByteReader(e.data());
                ByteReader list = r.sub(2, "application_settings");
                r.expectEnd("application_settings");
                List<String> protocols = new ArrayList<>();
                while (list.hasRemaining()) {
                    protocols.add(new String(list.vector(1, "application_settings.protocol"), StandardCharsets.ISO_8859_1));
                }
                yield new TemplateExtension.ApplicationSettings(type, protocols);
            }
            case TlsCodes.EXT_ECH -> echGrease(all);
            default -> new TemplateExtension.Opaque(type, e.data());
        };
    }

    private static TemplateExtension echGrease(List<ClientHelloInfo> all) throws TlsDecodeException {
        int kdf = -1;
        TreeSet<Integer> aeads = new TreeSet<>();
        TreeSet<Integer> lengths = new TreeSet<>();
        for (ClientHelloInfo ch : all) {
            byte[] d = ch.extension(TlsCodes.EXT_ECH).orElseThrow();
            ByteReader r = new ByteReader(d);
            if (r.u8("ech.type") != 0) {
                throw new TlsDecodeException("ech.type", 0, "expected an outer ECH extension");
            }
            int k = r.u16("ech.kdf_id");
            int a = r.u16("ech.aead_id");
            r.u8("ech.config_id");
            byte[] enc = r.vector(2, "ech.enc");
            if (enc.length != 32) {
                throw new TlsDecodeException("ech.enc", r.offset(), "ECH GREASE with a non-X25519 enc is not supported");
            }
            lengths.add(r.vector(2, "ech.payload").length);
            r.expectEnd("ech");
            if (kdf >= 0 && k != kdf) {
                throw new TlsDecodeException("ech.kdf_id", 1, "captures differ in the ECH KDF");
            }
            kdf = k;
            aeads.add(a);
        }
        return new TemplateExtension.EchGrease(kdf, List.copyOf(aeads), List.copyOf(lengths));
    }
}
