package org.aivillage.betanet.utls.internal;

import java.util.Map;

/** TLS code points used by this module and their IANA names (for display only). */
public final class TlsCodes {
    private TlsCodes() {}

    public static final int EXT_SERVER_NAME = 0x0000;
    public static final int EXT_STATUS_REQUEST = 0x0005;
    public static final int EXT_SUPPORTED_GROUPS = 0x000a;
    public static final int EXT_EC_POINT_FORMATS = 0x000b;
    public static final int EXT_SIGNATURE_ALGORITHMS = 0x000d;
    public static final int EXT_ALPN = 0x0010;
    public static final int EXT_SCT = 0x0012;
    public static final int EXT_PADDING = 0x0015;
    public static final int EXT_EXTENDED_MASTER_SECRET = 0x0017;
    public static final int EXT_COMPRESS_CERTIFICATE = 0x001b;
    public static final int EXT_RECORD_SIZE_LIMIT = 0x001c;
    public static final int EXT_DELEGATED_CREDENTIALS = 0x0022;
    public static final int EXT_SESSION_TICKET = 0x0023;
    public static final int EXT_PRE_SHARED_KEY = 0x0029;
    public static final int EXT_EARLY_DATA = 0x002a;
    public static final int EXT_SUPPORTED_VERSIONS = 0x002b;
    public static final int EXT_COOKIE = 0x002c;
    public static final int EXT_PSK_KEY_EXCHANGE_MODES = 0x002d;
    public static final int EXT_KEY_SHARE = 0x0033;
    public static final int EXT_ALPS_OLD = 0x4469;
    public static final int EXT_ALPS = 0x44cd;
    public static final int EXT_ECH = 0xfe0d;
    public static final int EXT_RENEGOTIATION_INFO = 0xff01;

    public static final int TLS13 = 0x0304;
    public static final int TLS12 = 0x0303;

    public static final int GROUP_SECP256R1 = 0x0017;
    public static final int GROUP_SECP384R1 = 0x0018;
    public static final int GROUP_SECP521R1 = 0x0019;
    public static final int GROUP_X25519 = 0x001d;
    public static final int GROUP_X25519MLKEM768 = 0x11ec;

    public static final Map<Integer, String> EXTENSIONS = Map.ofEntries(
            Map.entry(0x0000, "server_name"), Map.entry(0x0005, "status_request"),
            Map.entry(0x000a, "supported_groups"), Map.entry(0x000b, "ec_point_formats"),
            Map.entry(0x000d, "signature_algorithms"), Map.entry(0x0010, "application_layer_protocol_negotiation"),
            Map.entry(0x0012, "signed_certificate_timestamp"), Map.entry(0x0015, "padding"),
            Map.entry(0x0016, "encrypt_then_mac"), Map.entry(0x0017, "extended_master_secret"),
            Map.entry(0x001b, "compress_certificate"), Map.entry(0x001c, "record_size_limit"),
            Map.entry(0x0022, "delegated_credentials"), Map.entry(0x0023, "session_ticket"),
            Map.entry(0x0029, "pre_shared_key"), Map.entry(0x002a, "early_data"),
            Map.entry(0x002b, "supported_versions"), Map.entry(0x002c, "cookie"),
            Map.entry(0x002d, "psk_key_exchange_modes"), Map.entry(0x0031, "post_handshake_auth"),
            Map.entry(0x0032, "signature_algorithms_cert"), Map.entry(0x0033, "key_share"),
            Map.entry(0x4469, "application_settings_old"), Map.entry(0x44cd, "application_settings"),
            Map.entry(0xca34, "trust_anchors"), Map.entry(0xfe0d, "encrypted_client_hello"),
            Map.entry(0xff01, "renegotiation_info"));

    public static final Map<Integer, String> GROUPS = Map.ofEntries(
            Map.entry(0x0017, "secp256r1"), Map.entry(0x0018, "secp384r1"), Map.entry(0x0019, "secp521r1"),
            Map.entry(0x001d, "x25519"), Map.entry(0x001e, "x448"), Map.entry(0x0100, "ffdhe2048"),
            Map.entry(0x0101, "ffdhe3072"), Map.entry(0x0102, "ffdhe4096"), Map.entry(0x11ec, "X25519MLKEM768"),
            Map.entry(0x11eb, "SecP256r1MLKEM768"), Map.entry(0x6399, "X25519Kyber768Draft00"));

    public static final Map<Integer, String> CIPHERS = Map.ofEntries(
            Map.entry(0x1301, "TLS_AES_128_GCM_SHA256"), Map.entry(0x1302, "TLS_AES_256_GCM_SHA384"),
            Map.entry(0x1303, "TLS_CHACHA20_POLY1305_SHA256"),
            Map.entry(0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), Map.entry(0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            Map.entry(0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"), Map.entry(0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry(0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"), Map.entry(0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            Map.entry(0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"), Map.entry(0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
            Map.entry(0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), Map.entry(0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
            Map.entry(0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256"), Map.entry(0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry(0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA"), Map.entry(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"),
            Map.entry(0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"), Map.entry(0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"),
            Map.entry(0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"), Map.entry(0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"));

    public static final Map<Integer, String> SIGNATURE_SCHEMES = Map.ofEntries(
            Map.entry(0x0401, "rsa_pkcs1_sha256"), Map.entry(0x0501, "rsa_pkcs1_sha384"), Map.entry(0x0601, "rsa_pkcs1_sha512"),
            Map.entry(0x0403, "ecdsa_secp256r1_sha256"), Map.entry(0x0503, "ecdsa_secp384r1_sha384"),
            Map.entry(0x0603, "ecdsa_secp521r1_sha512"), Map.entry(0x0804, "rsa_pss_rsae_sha256"),
            Map.entry(0x0805, "rsa_pss_rsae_sha384"), Map.entry(0x0806, "rsa_pss_rsae_sha512"),
            Map.entry(0x0807, "ed25519"), Map.entry(0x0808, "ed448"), Map.entry(0x0809, "rsa_pss_pss_sha256"),
            Map.entry(0x080a, "rsa_pss_pss_sha384"), Map.entry(0x080b, "rsa_pss_pss_sha512"),
            Map.entry(0x0201, "rsa_pkcs1_sha1"), Map.entry(0x0203, "ecdsa_sha1"), Map.entry(0x0402, "dsa_sha256"),
            Map.entry(0x0904, "mldsa44"), Map.entry(0x0905, "mldsa65"), Map.entry(0x0906, "mldsa87"));

    /** "name (0x1234)" or "0x1234" or "GREASE". */
    public static String describe(Map<Integer, String> names, int code) {
        if (org.aivillage.betanet.utls.Grease.is(code)) {
            return "GREASE";
        }
        String n = names.get(code);
        return n == null ? String.format("0x%04x", code) : String.format("%s (0x%04x)", n, code);
    }
}
