package org.aivillage.betanet.utls.internal;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.aivillage.betanet.utls.ClientHelloTemplate;
import org.aivillage.betanet.utls.TemplateExtension;

/** A human-readable rendering of a template (for {@code village utlsgen show}). */
public final class TemplateText {
    private TemplateText() {}

    public static String describe(ClientHelloTemplate t) {
        StringBuilder sb = new StringBuilder();
        sb.append("template ").append(t.name()).append('\n');
        if (!t.description().isEmpty()) {
            sb.append("  ").append(t.description()).append('\n');
        }
        sb.append(String.format("  record version 0x%04x, legacy version 0x%04x, session id %d bytes, compression %s%n",
                t.recordVersion(), t.legacyVersion(), t.sessionIdLength(), t.compressionMethods()));
        sb.append("  extension order: ").append(t.permuteExtensions() ? "permuted per connection (Chrome)" : "fixed")
                .append('\n');
        sb.append("  cipher suites:\n");
        for (int c : t.cipherSuites()) {
            sb.append("    ").append(TlsCodes.describe(TlsCodes.CIPHERS, c)).append('\n');
        }
        sb.append("  extensions:\n");
        for (TemplateExtension e : t.extensions()) {
            sb.append("    ").append(TlsCodes.describe(TlsCodes.EXTENSIONS, e.type()));
            String detail = switch (e) {
                case TemplateExtension.GreaseSlot g -> "body " + g.length() + " bytes";
                case TemplateExtension.ServerName s -> "the connection's host name";
                case TemplateExtension.SupportedGroups g -> names(TlsCodes.GROUPS, g.groups());
                case TemplateExtension.KeyShare k -> "shares for " + names(TlsCodes.GROUPS, k.groups());
                case TemplateExtension.SignatureAlgorithms s -> names(TlsCodes.SIGNATURE_SCHEMES, s.schemes());
                case TemplateExtension.Alpn a -> String.join(", ", a.protocols());
                case TemplateExtension.SupportedVersions v -> names(Map.of(0x0304, "TLS 1.3", 0x0303, "TLS 1.2"),
                        v.versions());
                case TemplateExtension.CompressCertificate c -> c.algorithms().stream()
                        .map(a -> switch (a) {
                            case 1 -> "zlib";
                            case 2 -> "brotli";
                            case 3 -> "zstd";
                            default -> String.valueOf(a);
                        }).collect(Collectors.joining(", "));
                case TemplateExtension.ApplicationSettings a -> String.join(", ", a.protocols());
                case TemplateExtension.EchGrease g -> String.format("kdf 0x%04x, aead one of %s, payload lengths %s",
                        g.kdf(), g.aeads().stream().map(a -> String.format("0x%04x", a)).toList(), g.payloadLengths());
                case TemplateExtension.Padding p -> "to 512 bytes when the hello is 256..511";
                case TemplateExtension.Opaque o -> o.data().length == 0 ? "empty" : HexFormat.of().formatHex(o.data());
            };
            sb.append(": ").append(detail).append('\n');
        }
        return sb.toString();
    }

    private static String names(Map<Integer, String> names, List<Integer> codes) {
        return codes.stream().map(c -> TlsCodes.describe(names, c)).collect(Collectors.joining(", "));
    }
}
