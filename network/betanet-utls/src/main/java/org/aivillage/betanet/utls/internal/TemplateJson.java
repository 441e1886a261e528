package org.aivillage.betanet.utls.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.aivillage.betanet.utls.ClientHelloTemplate;
import org.aivillage.betanet.utls.Grease;
import org.aivillage.betanet.utls.TemplateExtension;
import org.aivillage.betanet.utls.TemplateExtension.Alpn;
import org.aivillage.betanet.utls.TemplateExtension.ApplicationSettings;
import org.aivillage.betanet.utls.TemplateExtension.CompressCertificate;
import org.aivillage.betanet.utls.TemplateExtension.EchGrease;
import org.aivillage.betanet.utls.TemplateExtension.GreaseSlot;
import org.aivillage.betanet.utls.TemplateExtension.KeyShare;
import org.aivillage.betanet.utls.TemplateExtension.Opaque;
import org.aivillage.betanet.utls.TemplateExtension.Padding;
import org.aivillage.betanet.utls.TemplateExtension.ServerName;
import org.aivillage.betanet.utls.TemplateExtension.SignatureAlgorithms;
import org.aivillage.betanet.utls.TemplateExtension.SupportedGroups;
import org.aivillage.betanet.utls.TemplateExtension.SupportedVersions;
import org.aivillage.betanet.utls.TlsDecodeException;

/**
 * The template file format: JSON with 16-bit code points as "0x1301" strings, "GREASE" for a
 * GREASE position, and one object per extension slot whose "type" names its kind.
 */
public final class TemplateJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final HexFormat HEX = HexFormat.of();

    private TemplateJson() {}

    public static String encode(ClientHelloTemplate t) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("name", t.name());
        root.put("description", t.description());
        root.put("recordVersion", code(t.recordVersion()));
        root.put("legacyVersion", code(t.legacyVersion()));
        root.put("sessionIdLength", t.sessionIdLength());
        root.set("cipherSuites", codes(t.cipherSuites()));
        ArrayNode comp = root.putArray("compressionMethods");
        t.compressionMethods().forEach(comp::add);
        root.put("permuteExtensions", t.permuteExtensions());
        ArrayNode exts = root.putArray("extensions");
        for (TemplateExtension e : t.extensions()) {
            ObjectNode o = exts.addObject();
            switch (e) {
                case GreaseSlot g -> {
                    o.put("type", "grease");
                    o.put("length", g.length());
                }
                case ServerName s -> o.put("type", "server_name");
                case SupportedGroups g -> {
                    o.put("type", "supported_groups");
                    o.set("groups", codes(g.groups()));
                }
                case KeyShare k -> {
                    o.put("type", "key_share");
                    o.set("groups", codes(k.groups()));
                }
                case SignatureAlgorithms s -> {
                    o.put("type", "signature_algorithms");
                    o.set("schemes", codes(s.schemes()));
                }
                case Alpn a -> {
                    o.put("type", "alpn");
                    ArrayNode p = o.putArray("protocols");
                    a.protocols().forEach(p::add);
                }
                case SupportedVersions v -> {
                    o.put("type", "supported_versions");
                    o.set("versions", codes(v.versions()));
                }
                case CompressCertificate c -> {
                    o.put("type", "compress_certificate");
                    ArrayNode p = o.putArray("algorithms");
                    c.algorithms().forEach(p::add);
                }
                case ApplicationSettings a -> {
                    o.put("type", "application_settings");
                    o.put("code", code(a.code()));
                    ArrayNode p = o.putArray("protocols");
                    a.protocols().forEach(p::add);
                }
                case EchGrease g -> {
                    o.put("type", "ech_grease");
                    o.put("kdf", code(g.kdf()));
                    o.set("aeads", codes(g.aeads()));
                    ArrayNode p = o.putArray("payloadLengths");
                    g.payloadLengths().forEach(p::add);
                }
                case Padding p -> o.put("type", "padding");
                case Opaque op -> {
                    o.put("type", "opaque");
                    o.put("code", code(op.code()));
                    String name = TlsCodes.EXTENSIONS.get(op.code());
                    if (name != null) {
                        o.put("name", name);
                    }
                    o.put("data", HEX.formatHex(op.data()));
                }
            }
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON encoding of a tree cannot fail", e);
        }
    }

    private static String code(int v) {
        return Grease.is(v) ? "GREASE" : String.format("0x%04x", v);
    }

    private static ArrayNode codes(List<Integer> values) {
        ArrayNode a = MAPPER.createArrayNode();
        values.forEach(v -> a.add(code(v)));
        return a;
    }

    public static ClientHelloTemplate decode(String json) throws TlsDecodeException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            int off = e.getLocation() == null ? -1 : (int) e.getLocation().getCharOffset();
            throw new TlsDecodeException("template", off, "not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new TlsDecodeException("template", 0, "expected a JSON object");
        }
        String name = text(root, "name");
        String description = root.path("description").asText("");
        int recordVersion = parseCode(text(root, "recordVersion"), "recordVersion");
        int legacyVersion = parseCode(text(root, "legacyVersion"), "legacyVersion");
        int sidLen = integer(root, "sessionIdLength", 0, 32);
        List<Integer> ciphers = codeList(root.get("cipherSuites"), "cipherSuites");
        List<Integer> comp = new ArrayList<>();
        JsonNode cm = root.get("compressionMethods");
        if (cm == null || !cm.isArray() || cm.isEmpty()) {
            throw new TlsDecodeException("compressionMethods", -1, "must be a non-empty array");
        }
        for (JsonNode n : cm) {
            if (!n.canConvertToInt() || n.asInt() < 0 || n.asInt() > 255) {
                throw new TlsDecodeException("compressionMethods", -1, "entries must be 0..255");
            }
            comp.add(n.asInt());
        }
        boolean permute = root.path("permuteExtensions").asBoolean(false);
        JsonNode exts = root.get("extensions");
        if (exts == null || !exts.isArray()) {
            throw new TlsDecodeException("extensions", -1, "must be an array");
        }
        List<TemplateExtension> out = new ArrayList<>();
        int i = 0;
        for (JsonNode e : exts) {
            String f = "extensions[" + i++ + "]";
            String type = text(e, "type", f);
            out.add(switch (type) {
                case "grease" -> new GreaseSlot(integer(e, "length", 0, 255, f));
                case "server_name" -> new ServerName();
                case "supported_groups" -> new SupportedGroups(codeList(e.get("groups"), f + ".groups"));
                case "key_share" -> new KeyShare(codeList(e.get("groups"), f + ".groups"));
                case "signature_algorithms" -> new SignatureAlgorithms(codeList(e.get("schemes"), f + ".schemes"));
                case "alpn" -> new Alpn(stringList(e.get("protocols"), f + ".protocols"));
                case "supported_versions" -> new SupportedVersions(codeList(e.get("versions"), f + ".versions"));
                case "compress_certificate" -> new CompressCertificate(intList(e.get("algorithms"), f + ".algorithms"));
                case "application_settings" -> new ApplicationSettings(parseCode(text(e, "code", f), f + ".code"),
                        stringList(e.get("protocols"), f + ".protocols"));
                case "ech_grease" -> new EchGrease(parseCode(text(e, "kdf", f), f + ".kdf"),
                        codeList(e.get("aeads"), f + ".aeads"), intList(e.get("payloadLengths"), f + ".payloadLengths"));
                case "padding" -> new Padding();
                case "opaque" -> {
                    try {
                        yield new Opaque(parseCode(text(e, "code", f), f + ".code"), HEX.parseHex(e.path("data").asText("")));
                    } catch (IllegalArgumentException x) {
                        throw new TlsDecodeException(f + ".data", -1, "not hex");
                    }
                }
                default -> throw new TlsDecodeException(f + ".type", -1, "unknown extension kind '" + type + "'");
            });
        }
        try {
            return new ClientHelloTemplate(name, description, recordVersion, legacyVersion, sidLen, ciphers, comp, out,
                    permute);
        } catch (IllegalArgumentException x) {
            throw new TlsDecodeException("template", -1, x.getMessage());
        }
    }

    private static String text(JsonNode o, String field) throws TlsDecodeException {
        return text(o, field, "template");
    }

    private static String text(JsonNode o, String field, String where) throws TlsDecodeException {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual()) {
            throw new TlsDecodeException(where + "." + field, -1, "missing or not a string");
        }
        return n.asText();
    }

    private static int integer(JsonNode o, String field, int min, int max) throws TlsDecodeException {
        return integer(o, field, min, max, "template");
    }

    private static int integer(JsonNode o, String field, int min, int max, String where) throws TlsDecodeException {
        JsonNode n = o.get(field);
        if (n == null || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            throw new TlsDecodeException(where + "." + field, -1, "must be an integer " + min + ".." + max);
        }
        return n.asInt();
    }

    static int parseCode(String s, String field) throws TlsDecodeException {
        if (s.equalsIgnoreCase("GREASE")) {
            return Grease.PLACEHOLDER;
        }
        try {
            int v = s.startsWith("0x") || s.startsWith("0X") ? Integer.parseInt(s.substring(2), 16) : Integer.parseInt(s);
            if (v < 0 || v > 0xffff) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new TlsDecodeException(field, -1, "'" + s + "' is not a 16-bit code point");
        }
    }

    private static List<Integer> codeList(JsonNode a, String field) throws TlsDecodeException {
        if (a == null || !a.isArray()) {
            throw new TlsDecodeException(field, -1, "must be an array");
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode n : a) {
            out.add(parseCode(n.asText(), field));
        }
        if (out.isEmpty()) {
            throw new TlsDecodeException(field, -1, "must not be empty");
        }
        return out;
    }

    private static List<Integer> intList(JsonNode a, String field) throws TlsDecodeException {
        if (a == null || !a.isArray() || a.isEmpty()) {
            throw new TlsDecodeException(field, -1, "must be a non-empty array");
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode n : a) {
            if (!n.canConvertToInt() || n.asInt() < 0 || n.asInt() > 0xffff) {
                throw new TlsDecodeException(field, -1, "entries must be integers 0..65535");
            }
            out.add(n.asInt());
        }
        return out;
    }

    private static List<String> stringList(JsonNode a, String field) throws TlsDecodeException {
        if (a == null || !a.isArray() || a.isEmpty()) {
            throw new TlsDecodeException(field, -1, "must be a non-empty array");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : a) {
            if (!n.isTextual() || n.asText().isEmpty() || n.asText().length() > 255) {
                throw new TlsDecodeException(field, -1, "entries must be strings of 1..255 characters");
            }
            out.add(n.asText());
        }
        return out;
    }
}
