package org.aivillage.betanet.utls;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.aivillage.betanet.utls.internal.TlsCodes;

/**
 * One extension slot of a {@link ClientHelloTemplate}. Slots whose body depends on the
 * connection (SNI, key shares, padding, GREASE, ECH GREASE) are generated per ClientHello; the
 * others carry their lists or fixed bytes. Lists may hold {@link Grease#PLACEHOLDER}.
 */
public sealed interface TemplateExtension {

    /** The wire extension type ({@link Grease#PLACEHOLDER} for a GREASE slot). */
    int type();

    /** A GREASE extension with a body of {@code length} zero bytes (BoringSSL: 0 first, 1 last). */
    record GreaseSlot(int length) implements TemplateExtension {
        public GreaseSlot {
            if (length < 0 || length > 255) {
                throw new IllegalArgumentException("GREASE extension body length out of range: " + length);
            }
        }

        public int type() {
            return Grease.PLACEHOLDER;
        }
    }

    /** server_name with the connection's host name (omitted for IP literals, as browsers do). */
    record ServerName() implements TemplateExtension {
        public int type() {
            return TlsCodes.EXT_SERVER_NAME;
        }
    }

    record SupportedGroups(List<Integer> groups) implements TemplateExtension {
        public SupportedGroups {
            groups = List.copyOf(groups);
        }

        public int type() {
            return TlsCodes.EXT_SUPPORTED_GROUPS;
        }
    }

    /** key_share with a fresh share for each listed group (a GREASE entry gets one zero byte). */
    record KeyShare(List<Integer> groups) implements TemplateExtension {
        public KeyShare {
            groups = List.copyOf(groups);
        }

        public int type() {
            return TlsCodes.EXT_KEY_SHARE;
        }
    }

    record SignatureAlgorithms(List<Integer> schemes) implements TemplateExtension {
        public SignatureAlgorithms {
            schemes = List.copyOf(schemes);
        }

        public int type() {
            return TlsCodes.EXT_SIGNATURE_ALGORITHMS;
        }
    }

    record Alpn(List<String> protocols) implements TemplateExtension {
        public Alpn {
            protocols = List.copyOf(protocols);
        }

        public int type() {
            return TlsCodes.EXT_ALPN;
        }
    }

    record SupportedVersions(List<Integer> versions) implements TemplateExtension {
        public SupportedVersions {
            versions = List.copyOf(versions);
        }

        public int type() {
            return TlsCodes.EXT_SUPPORTED_VERSIONS;
        }
    }

    /** RFC 8879 compress_certificate: the algorithms offered (1 zlib, 2 brotli, 3 zstd). */
    record CompressCertificate(List<Integer> algorithms) implements TemplateExtension {
        public CompressCertificate {
            algorithms = List.copyOf(algorithms);
        }

        public int type() {
            return TlsCodes.EXT_COMPRESS_CERTIFICATE;
        }
    }

    /** ALPS (application_settings, code point 0x4469 or 0x44cd) for the listed protocols. */
    record ApplicationSettings(int code, List<String> protocols) implements TemplateExtension {
        public ApplicationSettings {
            protocols = List.copyOf(protocols);
        }

        public int type() {
            return code;
        }
    }

    /**
     * ECH GREASE (draft-ietf-tls-esni §6.2): an outer ECH extension with the given HPKE KDF, an
     * AEAD picked from {@code aeads} (Firefox varies it), a random config id, a fresh X25519 enc and
     * a random payload of one of the listed lengths.
     */
    record EchGrease(int kdf, List<Integer> aeads, List<Integer> payloadLengths) implements TemplateExtension {
        public EchGrease {
            aeads = List.copyOf(aeads);
            payloadLengths = List.copyOf(payloadLengths);
            if (payloadLengths.isEmpty() || aeads.isEmpty()) {
                throw new IllegalArgumentException("ech_grease needs at least one AEAD and one payload length");
            }
        }

        public int type() {
            return TlsCodes.EXT_ECH;
        }
    }

    /** BoringSSL-style padding: pads a ClientHello of 256..511 bytes to 512. */
    record Padding() implements TemplateExtension {
        public int type() {
            return TlsCodes.EXT_PADDING;
        }
    }

    /** Any other extension, sent with fixed bytes. */
    record Opaque(int code, byte[] data) implements TemplateExtension {
        public Opaque {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        public int type() {
            return code;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Opaque x && x.code == code && Arrays.equals(x.data, data);
        }

        @Override
        public int hashCode() {
            return code * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return String.format("Opaque[0x%04x, %s]", code, HexFormat.of().formatHex(data));
        }
    }
}
