package org.aivillage.betanet.utls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.aivillage.betanet.utls.internal.HelloBuilder;
import org.aivillage.betanet.utls.internal.TemplateInference;
import org.aivillage.betanet.utls.internal.TemplateJson;

/**
 * A browser's ClientHello as data: record-layer version, legacy version, session-id length,
 * cipher suites, compression methods and the extensions in order, with GREASE placeholders and
 * the randomisation the browser applies ({@code permuteExtensions}: Chrome shuffles every
 * extension except GREASE and padding; GREASE values, key shares, ECH GREASE payloads and the
 * session id are fresh for every hello). Templates are JSON files; the shipped ones were captured
 * from the real browsers with {@code village utlsgen capture}.
 */
public record ClientHelloTemplate(
        String name,
        String description,
        int recordVersion,
        int legacyVersion,
        int sessionIdLength,
        List<Integer> cipherSuites,
        List<Integer> compressionMethods,
        List<TemplateExtension> extensions,
        boolean permuteExtensions) {

    /** Names of the templates shipped in this module (resources utls/templates/NAME.json). */
    public static final List<String> BUILTIN = List.of("chromium", "firefox-esr", "openssl");

    public ClientHelloTemplate {
        cipherSuites = List.copyOf(cipherSuites);
        compressionMethods = List.copyOf(compressionMethods);
        extensions = List.copyOf(extensions);
        if (sessionIdLength < 0 || sessionIdLength > 32) {
            throw new IllegalArgumentException("sessionIdLength must be 0..32");
        }
        if (cipherSuites.isEmpty()) {
            throw new IllegalArgumentException("a template needs at least one cipher suite");
        }
        List<Integer> seen = new ArrayList<>();
        for (TemplateExtension e : extensions) {
            if (!(e instanceof TemplateExtension.GreaseSlot)) {
                if (seen.contains(e.type())) {
                    throw new IllegalArgumentException(String.format("extension 0x%04x appears twice", e.type()));
                }
                seen.add(e.type());
            }
        }
    }

    /** A shipped template by name (see {@link #BUILTIN}). */
    public static ClientHelloTemplate builtin(String name) {
        String resource = "/utls/templates/" + name + ".json";
        try (InputStream in = ClientHelloTemplate.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no built-in template '" + name + "'; have " + BUILTIN);
            }
            return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("built-in template " + name + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** Loads a template file. */
    public static ClientHelloTemplate load(Path file) throws IOException {
        return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Decodes template JSON; malformed input throws {@link TlsDecodeException} naming the field. */
    public static ClientHelloTemplate fromJson(String json) throws TlsDecodeException {
        return TemplateJson.decode(json);
    }

    /** The template as pretty-printed JSON (the file format). */
    public String toJson() {
        return TemplateJson.encode(this);
    }

    /**
     * Infers a template from ClientHellos captured from one client (records or handshake messages).
     * GREASE values become placeholders, extension permutation is detected by comparing orders,
     * and the ECH GREASE payload lengths seen are collected.
     */
    public static ClientHelloTemplate fromCaptures(String name, String description, List<byte[]> captures)
            throws TlsDecodeException {
        return TemplateInference.infer(name, description, captures);
    }

    /** Builds one ClientHello (as a TLS record) from this template with fresh keys, for inspection. */
    public byte[] sampleClientHello(String serverName) {
        return HelloBuilder.sample(this, serverName);
    }

    /** A multi-line human-readable description (cipher, extension, group and scheme names). */
    public String describe() {
        return org.aivillage.betanet.utls.internal.TemplateText.describe(this);
    }

    public <T extends TemplateExtension> Optional<T> extension(Class<T> kind) {
        return extensions.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    /** ALPN protocols offered, in order (empty when the template has no ALPN). */
    public List<String> alpnProtocols() {
        return extension(TemplateExtension.Alpn.class).map(TemplateExtension.Alpn::protocols).orElse(List.of());
    }

    public List<Integer> supportedGroups() {
        return extension(TemplateExtension.SupportedGroups.class).map(TemplateExtension.SupportedGroups::groups)
                .orElse(List.of());
    }

    public List<Integer> keyShareGroups() {
        return extension(TemplateExtension.KeyShare.class).map(TemplateExtension.KeyShare::groups).orElse(List.of());
    }

    public List<Integer> signatureAlgorithms() {
        return extension(TemplateExtension.SignatureAlgorithms.class)
                .map(TemplateExtension.SignatureAlgorithms::schemes).orElse(List.of());
    }

    /** Extension types in template order, GREASE slots as {@link Grease#PLACEHOLDER}. */
    public List<Integer> extensionTypes() {
        return extensions.stream().map(TemplateExtension::type).toList();
    }
}
