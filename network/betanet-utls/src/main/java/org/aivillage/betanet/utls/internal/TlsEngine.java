package org.aivillage.betanet.utls.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.X509TrustManager;
import org.aivillage.betanet.crypto.AuthenticationFailedException;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.utls.ClientHelloTemplate;
import org.aivillage.betanet.utls.Grease;
import org.aivillage.betanet.utls.ServerHelloInfo;
import org.aivillage.betanet.utls.TlsDecodeException;
import org.aivillage.betanet.utls.UtlsHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS 1.3 client connection (RFC 8446) over a blocking socket: record layer, full handshake
 * with HelloRetryRequest, server authentication, key schedule, exporter, application data,
 * KeyUpdate and close_notify. Reads and writes are independently locked.
 */
public final class TlsEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TlsEngine.class);
    private static final int MAX_PLAINTEXT = 16384;
    private static final int MAX_CIPHERTEXT = MAX_PLAINTEXT + 256;
    private static final int MAX_HANDSHAKE_MESSAGE = 1 << 18;
    private static final byte[] TLS12_DOWNGRADE = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01};
    private static final byte[] TLS11_DOWNGRADE = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x00};

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();

    private RecordCipher readCipher;
    private RecordCipher writeCipher;
    private CipherSuite suite;
    private byte[] readSecret;
    private byte[] writeSecret;
    private byte[] exporterMaster;
    private String alpn;
    private int namedGroup;
    private X509Certificate[] peerCertificates;
    private byte[] clientHello;
    private byte[] serverHello;
    private boolean helloRetried;
    private int maxSendPlaintext = MAX_PLAINTEXT;

    private final ByteArrayOutputStream transcript = new ByteArrayOutputStream(8192);
    private byte[] hsBuf = new byte[0];
    private int hsPos;
    private byte[] appBuf = new byte[0];
    private int appPos;
    private volatile boolean inboundClosed;
    private volatile boolean outboundClosed;
    private volatile boolean closed;

    public TlsEngine(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    // ---------------------------------------------------------------- handshake

    /** Runs the full handshake; on failure sends an alert, closes the socket and throws. */
    public void handshake(ClientHelloTemplate template, String serverName, X509TrustManager trust, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int previousTimeout = socket.getSoTimeout();
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        try (HelloBuilder hello = new HelloBuilder(template, serverName)) {
            runHandshake(hello, template, serverName, trust, deadline);
            socket.setSoTimeout(previousTimeout);
        } catch (UtlsHandshakeException e) {
            fail(e.alert());
            throw e;
        } catch (TlsDecodeException e) {
            fail(Alerts.DECODE_ERROR);
            throw new UtlsHandshakeException("malformed handshake message: " + e.getMessage(), Alerts.DECODE_ERROR, e);
        } catch (SocketTimeoutException e) {
            fail(Alerts.USER_CANCELED);
            throw new UtlsHandshakeException("TLS handshake timed out after " + timeout, -1, e);
        } catch (IOException e) {
            fail(Alerts.INTERNAL_ERROR);
            throw e;
        } catch (RuntimeException e) {
            fail(Alerts.INTERNAL_ERROR);
            throw new UtlsHandshakeException("TLS handshake failed: " + e, Alerts.INTERNAL_ERROR, e);
        }
    }

    private void fail(int alert) {
        if (alert >= 0) {
            try {
                sendAlert(alert);
            } catch (IOException | RuntimeException ignored) {
                // the connection is being torn down
            }
        }
        closeQuietly();
    }

    private void runHandshake(HelloBuilder hello, ClientHelloTemplate template, String serverName,
            X509TrustManager trust, long deadline) throws IOException {
        byte[] ch1 = hello.firstHello();
        clientHello = ch1;
        out.write(HelloBuilder.records(template.recordVersion(), ch1));
        out.flush();
        transcript.writeBytes(ch1);
        boolean ccsSent = false;

        byte[] shMsg = nextHandshakeMessage(deadline, false);
        ServerHelloInfo sh = parseServerHello(shMsg);
        if (sh.helloRetryRequest()) {
            checkServerHelloCommon(sh, template, hello);
            int group = sh.keyShareGroup();
            if (group < 0 || Grease.is(group) || !template.supportedGroups().contains(group)
                    || template.keyShareGroups().contains(group) || !KeyShareSecret.supported(group)) {
                throw new UtlsHandshakeException(String.format(
                        "HelloRetryRequest asks for group 0x%04x, which was not offered or already shared", group),
                        Alerts.ILLEGAL_PARAMETER);
            }
            CipherSuite hrrSuite = CipherSuite.of(sh.cipherSuite());
            byte[] ch1Hash = hrrSuite.hash.digest(transcript.toByteArray());
            transcript.reset();
            transcript.write(254);
            transcript.write(0);
            transcript.write(0);
            transcript.write(ch1Hash.length);
            transcript.writeBytes(ch1Hash);
            transcript.writeBytes(shMsg);
            if (hello.sessionId().length > 0) {
                writeChangeCipherSpec();
                ccsSent = true;
            }
            byte[] ch2 = hello.retryHello(group, sh.cookie());
            out.write(HelloBuilder.records(0x0303, ch2));
            out.flush();
            transcript.writeBytes(ch2);
            helloRetried = true;
            shMsg = nextHandshakeMessage(deadline, false);
            ServerHelloInfo sh2 = parseServerHello(shMsg);
            if (sh2.helloRetryRequest()) {
                throw new UtlsHandshakeException("second HelloRetryRequest", Alerts.UNEXPECTED_MESSAGE);
            }
            if (sh2.cipherSuite() != sh.cipherSuite() || sh2.keyShareGroup() != group) {
                throw new UtlsHandshakeException("ServerHello contradicts the HelloRetryRequest", Alerts.ILLEGAL_PARAMETER);
            }
            sh = sh2;
        }
        checkServerHelloCommon(sh, template, hello);
        serverHello = shMsg;
        transcript.writeBytes(shMsg);
        suite = CipherSuite.of(sh.cipherSuite());
        TlsHash h = suite.hash;
        KeyShareSecret share = hello.share(sh.keyShareGroup());
        if (share == null || sh.keyShare().length == 0) {
            throw new UtlsHandshakeException(String.format("server chose key share group 0x%04x that was not sent",
                    sh.keyShareGroup()), Alerts.ILLEGAL_PARAMETER);
        }
        namedGroup = sh.keyShareGroup();
        byte[] ecdhe = share.agree(sh.keyShare());

        byte[] zeros = new byte[h.length()];
        byte[] early = h.extract(zeros, zeros);
        byte[] derived = h.deriveSecret(early, "derived", h.digest(new byte[0]));
        byte[] hs = h.extract(derived, ecdhe);
        ConstantTime.wipe(ecdhe);
        ConstantTime.wipe(early);
        ConstantTime.wipe(derived);
        byte[] thSh = h.digest(transcript.toByteArray());
        byte[] cHs = h.deriveSecret(hs, "c hs traffic", thSh);
        byte[] sHs = h.deriveSecret(hs, "s hs traffic", thSh);
        requireRecordBoundary();
        readCipher = new RecordCipher(suite, sHs);

        // EncryptedExtensions
        byte[] ee = nextHandshakeMessage(deadline, true);
        expectType(ee, 8, "EncryptedExtensions");
        parseEncryptedExtensions(ee, template);
        transcript.writeBytes(ee);

        byte[] msg = nextHandshakeMessage(deadline, true);
        byte[] certRequestContext = null;
        if ((msg[0] & 0xff) == 13) {
            ByteReader r = new ByteReader(msg, 4);
            certRequestContext = r.vector(1, "certificate_request_context");
            r.vector(2, "CertificateRequest.extensions");
            r.expectEnd("CertificateRequest");
            transcript.writeBytes(msg);
            msg = nextHandshakeMessage(deadline, true);
        }
        List<byte[]> ders;
        if ((msg[0] & 0xff) == 11) {
            ders = parseCertificate(msg, 4, msg.length);
        } else if ((msg[0] & 0xff) == 25) {
            ders = parseCompressedCertificate(msg, template);
        } else {
            throw new UtlsHandshakeException("expected Certificate, got handshake type " + (msg[0] & 0xff),
                    Alerts.UNEXPECTED_MESSAGE);
        }
        transcript.writeBytes(msg);
        X509Certificate[] chain = CertificateChecks.parseChain(ders);
        CertificateChecks.verifyChain(trust, chain, serverName);
        peerCertificates = chain;

        byte[] cv = nextHandshakeMessage(deadline, true);
        expectType(cv, 15, "CertificateVerify");
        ByteReader cvr = new ByteReader(cv, 4);
        int scheme = cvr.u16("CertificateVerify.algorithm");
        byte[] sig = cvr.vector(2, "CertificateVerify.signature");
        cvr.expectEnd("CertificateVerify");
        if (!template.signatureAlgorithms().contains(scheme) || !CertificateChecks.verifiable(scheme)) {
            throw new UtlsHandshakeException(String.format("server signed with scheme 0x%04x, which was not offered",
                    scheme), Alerts.ILLEGAL_PARAMETER);
        }
        CertificateChecks.verifySignature(scheme, sig, chain[0].getPublicKey(), h.digest(transcript.toByteArray()));
        transcript.writeBytes(cv);

        byte[] fin = nextHandshakeMessage(deadline, true);
        expectType(fin, 20, "Finished");
        byte[] sFinKey = h.expandLabel(sHs, "finished", new byte[0], h.length());
        byte[] expected = h.hmac(sFinKey, h.digest(transcript.toByteArray()));
        byte[] got = Arrays.copyOfRange(fin, 4, fin.length);
        if (!ConstantTime.equals(expected, got)) {
            throw new UtlsHandshakeException("server Finished does not verify", Alerts.DECRYPT_ERROR);
        }
        ConstantTime.wipe(sFinKey);
        transcript.writeBytes(fin);
        requireRecordBoundary();

        byte[] thSf = h.digest(transcript.toByteArray());
        byte[] derived2 = h.deriveSecret(hs, "derived", h.digest(new byte[0]));
        byte[] master = h.extract(derived2, zeros);
        byte[] cAp = h.deriveSecret(master, "c ap traffic", thSf);
        byte[] sAp = h.deriveSecret(master, "s ap traffic", thSf);
        exporterMaster = h.deriveSecret(master, "exp master", thSf);
        ConstantTime.wipe(derived2);
        ConstantTime.wipe(master);
        ConstantTime.wipe(hs);

        if (!ccsSent && hello.sessionId().length > 0) {
            writeChangeCipherSpec();
        }
        writeCipher = new RecordCipher(suite, cHs);
        if (certRequestContext != null) {
            ByteWriter cert = new ByteWriter();
            cert.u8(11);
            int l = cert.beginLength(3);
            cert.vector(1, certRequestContext).u24(0);
            cert.endLength(l, 3);
            byte[] cm = cert.toByteArray();
            writeEncrypted(22, cm);
            transcript.writeBytes(cm);
        }
        byte[] cFinKey = h.expandLabel(cHs, "finished", new byte[0], h.length());
        byte[] verify = h.hmac(cFinKey, h.digest(transcript.toByteArray()));
        ConstantTime.wipe(cFinKey);
        ByteWriter f = new ByteWriter(4 + verify.length);
        f.u8(20).u24(verify.length).bytes(verify);
        writeEncrypted(22, f.toByteArray());
        out.flush();

        writeCipher.close();
        readCipher.close();
        ConstantTime.wipe(cHs);
        ConstantTime.wipe(sHs);
        writeCipher = new RecordCipher(suite, cAp);
        readCipher = new RecordCipher(suite, sAp);
        writeSecret = cAp;
        readSecret = sAp;
        transcript.reset();
        LOG.debug("TLS 1.3 handshake done: suite {}, group 0x{}, alpn {}, hrr {}", suite,
                Integer.toHexString(namedGroup), alpn, helloRetried);
    }

    private ServerHelloInfo parseServerHello(byte[] msg) throws IOException {
        ServerHelloInfo sh = ServerHelloInfo.parse(msg);
        if (sh.selectedVersion() != TlsCodes.TLS13 || sh.extension(TlsCodes.EXT_SUPPORTED_VERSIONS).isEmpty()) {
            throw new UtlsHandshakeException(String.format(
                    "server negotiated %s; this client speaks TLS 1.3 only", versionName(sh.selectedVersion())),
                    Alerts.PROTOCOL_VERSION);
        }
        return sh;
    }

    private static String versionName(int v) {
        return switch (v) {
            case 0x0303 -> "TLS 1.2";
            case 0x0302 -> "TLS 1.1";
            case 0x0301 -> "TLS 1.0";
            default -> String.format("version 0x%04x", v);
        };
    }

    private void checkServerHelloCommon(ServerHelloInfo sh, ClientHelloTemplate template, HelloBuilder hello)
            throws UtlsHandshakeException {
        if (sh.legacyVersion() != 0x0303) {
            throw new UtlsHandshakeException("ServerHello legacy_version must be 0x0303", Alerts.ILLEGAL_PARAMETER);
        }
        byte[] tail = Arrays.copyOfRange(sh.random(), 24, 32);
        if (Arrays.equals(tail, TLS12_DOWNGRADE) || Arrays.equals(tail, TLS11_DOWNGRADE)) {
            throw new UtlsHandshakeException("ServerHello carries a downgrade sentinel", Alerts.ILLEGAL_PARAMETER);
        }
        if (!Arrays.equals(sh.sessionIdEcho(), hello.sessionId())) {
            throw new UtlsHandshakeException("ServerHello does not echo the session id", Alerts.ILLEGAL_PARAMETER);
        }
        if (sh.compressionMethod() != 0) {
            throw new UtlsHandshakeException("ServerHello compression must be null", Alerts.ILLEGAL_PARAMETER);
        }
        if (CipherSuite.of(sh.cipherSuite()) == null || !template.cipherSuites().contains(sh.cipherSuite())) {
            throw new UtlsHandshakeException(String.format("server chose cipher suite 0x%04x, not an offered TLS 1.3 suite",
                    sh.cipherSuite()), Alerts.ILLEGAL_PARAMETER);
        }
        for (int type : sh.extensionTypes()) {
            if (type != TlsCodes.EXT_SUPPORTED_VERSIONS && type != TlsCodes.EXT_KEY_SHARE && type != TlsCodes.EXT_COOKIE
                    && type != TlsCodes.EXT_PRE_SHARED_KEY) {
                throw new UtlsHandshakeException(String.format("ServerHello carries extension 0x%04x", type),
                        Alerts.UNSUPPORTED_EXTENSION);
            }
            if (type == TlsCodes.EXT_PRE_SHARED_KEY) {
                throw new UtlsHandshakeException("server selected a PSK that was never offered", Alerts.ILLEGAL_PARAMETER);
            }
        }
        if (!sh.helloRetryRequest() && sh.cookie().length > 0) {
            throw new UtlsHandshakeException("cookie in a ServerHello", Alerts.UNSUPPORTED_EXTENSION);
        }
    }

    private void parseEncryptedExtensions(byte[] ee, ClientHelloTemplate template) throws IOException {
        ByteReader r = new ByteReader(ee, 4);
        ByteReader exts = r.sub(2, "EncryptedExtensions.extensions");
        r.expectEnd("EncryptedExtensions");
        List<Integer> offered = template.extensionTypes();
        List<Integer> seen = new ArrayList<>();
        while (exts.hasRemaining()) {
            int type = exts.u16("extension.type");
            ByteReader d = exts.sub(2, "extension");
            if (seen.contains(type)) {
                throw new UtlsHandshakeException(String.format("duplicate extension 0x%04x in EncryptedExtensions", type),
                        Alerts.ILLEGAL_PARAMETER);
            }
            seen.add(type);
            if (!offered.contains(type)) {
                throw new UtlsHandshakeException(String.format("EncryptedExtensions carries unoffered extension 0x%04x",
                        type), Alerts.UNSUPPORTED_EXTENSION);
            }
            switch (type) {
                case TlsCodes.EXT_ALPN -> {
                    ByteReader list = d.sub(2, "alpn.protocol_name_list");
                    String p = new String(list.vector(1, "alpn.protocol_name"), StandardCharsets.ISO_8859_1);
                    list.expectEnd("alpn");
                    d.expectEnd("alpn");
                    if (!template.alpnProtocols().contains(p)) {
                        throw new UtlsHandshakeException("server selected ALPN '" + p + "', which was not offered",
                                Alerts.ILLEGAL_PARAMETER);
                    }
                    alpn = p;
                }
                case TlsCodes.EXT_RECORD_SIZE_LIMIT -> {
                    int limit = d.u16("record_size_limit");
                    d.expectEnd("record_size_limit");
                    if (limit < 64) {
                        throw new UtlsHandshakeException("record_size_limit below 64", Alerts.ILLEGAL_PARAMETER);
                    }
                    maxSendPlaintext = Math.min(MAX_PLAINTEXT, limit - 1);
                }
                case TlsCodes.EXT_ALPS, TlsCodes.EXT_ALPS_OLD -> throw new UtlsHandshakeException(
                        "server negotiated ALPS (application_settings); this client does not send client settings",
                        Alerts.UNSUPPORTED_EXTENSION);
                case TlsCodes.EXT_EARLY_DATA, TlsCodes.EXT_KEY_SHARE, TlsCodes.EXT_SUPPORTED_VERSIONS,
                        TlsCodes.EXT_PRE_SHARED_KEY, TlsCodes.EXT_SIGNATURE_ALGORITHMS, TlsCodes.EXT_PSK_KEY_EXCHANGE_MODES,
                        TlsCodes.EXT_COOKIE, TlsCodes.EXT_PADDING -> throw new UtlsHandshakeException(
                        String.format("extension 0x%04x is not allowed in EncryptedExtensions", type),
                        Alerts.ILLEGAL_PARAMETER);
                default -> { }
            }
        }
    }

    private static List<byte[]> parseCertificate(byte[] buf, int from, int to) throws IOException {
        ByteReader r = new ByteReader(buf, from);
        byte[] ctx = r.vector(1, "Certificate.certificate_request_context");
        if (ctx.length != 0) {
            throw new UtlsHandshakeException("server Certificate has a request context", Alerts.ILLEGAL_PARAMETER);
        }
        ByteReader list = r.sub(3, "Certificate.certificate_list");
        r.expectEnd("Certificate");
        List<byte[]> out = new ArrayList<>();
        while (list.hasRemaining()) {
            byte[] der = list.vector(3, "CertificateEntry.cert_data");
            if (der.length == 0) {
                throw new TlsDecodeException("CertificateEntry.cert_data", list.offset(), "empty");
            }
            list.vector(2, "CertificateEntry.extensions");
            out.add(der);
        }
        return out;
    }

    private static List<byte[]> parseCompressedCertificate(byte[] msg, ClientHelloTemplate template) throws IOException {
        ByteReader r = new ByteReader(msg, 4);
        int algorithm = r.u16("CompressedCertificate.algorithm");
        int length = r.u24("CompressedCertificate.uncompressed_length");
        byte[] data = r.vector(3, "CompressedCertificate.compressed_certificate_message");
        r.expectEnd("CompressedCertificate");
        List<Integer> offered = template.extension(org.aivillage.betanet.utls.TemplateExtension.CompressCertificate.class)
                .map(org.aivillage.betanet.utls.TemplateExtension.CompressCertificate::algorithms).orElse(List.of());
        if (!offered.contains(algorithm)) {
            throw new UtlsHandshakeException("server compressed its certificate with unoffered algorithm " + algorithm,
                    Alerts.ILLEGAL_PARAMETER);
        }
        byte[] body;
        try {
            body = CertDecompressor.decompress(algorithm, data, length);
        } catch (IOException e) {
            throw new UtlsHandshakeException("compressed certificate: " + e.getMessage(), Alerts.BAD_CERTIFICATE, e);
        }
        return parseCertificate(body, 0, body.length);
    }

    private static void expectType(byte[] msg, int type, String name) throws UtlsHandshakeException {
        if ((msg[0] & 0xff) != type) {
            throw new UtlsHandshakeException("expected " + name + ", got handshake type " + (msg[0] & 0xff),
                    Alerts.UNEXPECTED_MESSAGE);
        }
    }

    private void requireRecordBoundary() throws UtlsHandshakeException {
        if (hsPos != hsBuf.length) {
            throw new UtlsHandshakeException("handshake data spans a key change", Alerts.UNEXPECTED_MESSAGE);
        }
    }

    // ---------------------------------------------------------------- records

    private record Record(int type, byte[] payload) {}

    /** The next record's content type and plaintext, or null on a clean EOF at a record boundary. */
    private Record readRecord(boolean allowCcs) throws IOException {
        while (true) {
            byte[] header = new byte[5];
            int n = in.readNBytes(header, 0, 5);
            if (n == 0) {
                return null;
            }
            if (n < 5) {
                throw new EOFException("connection closed inside a TLS record header");
            }
            int type = header[0] & 0xff;
            int len = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
            if (len > MAX_CIPHERTEXT) {
                throw new UtlsHandshakeException("record of " + len + " bytes exceeds 2^14+256", Alerts.RECORD_OVERFLOW);
            }
            if (type < 20 || type > 23 || header[1] != 3) {
                throw new UtlsHandshakeException("not a TLS record (type " + type + ")", Alerts.UNEXPECTED_MESSAGE);
            }
            byte[] body = in.readNBytes(len);
            if (body.length < len) {
                throw new EOFException("connection closed inside a TLS record");
            }
            if (type == 20) {
                if (!allowCcs || len != 1 || body[0] != 1) {
                    throw new UtlsHandshakeException("unexpected change_cipher_spec", Alerts.UNEXPECTED_MESSAGE);
                }
                continue;
            }
            if (readCipher == null) {
                if (type == 23) {
                    throw new UtlsHandshakeException("application data before keys", Alerts.UNEXPECTED_MESSAGE);
                }
                if (len > MAX_PLAINTEXT) {
                    throw new UtlsHandshakeException("plaintext record too long", Alerts.RECORD_OVERFLOW);
                }
                return checkAlert(new Record(type, body));
            }
            if (type != 23) {
                throw new UtlsHandshakeException("plaintext record of type " + type + " after keys were installed",
                        Alerts.UNEXPECTED_MESSAGE);
            }
            byte[] inner;
            try {
                inner = readCipher.open(header, body);
            } catch (AuthenticationFailedException e) {
                throw new UtlsHandshakeException("record authentication failed", Alerts.BAD_RECORD_MAC);
            }
            int end = inner.length;
            while (end > 0 && inner[end - 1] == 0) {
                end--;
            }
            if (end == 0) {
                throw new UtlsHandshakeException("record without a content type", Alerts.UNEXPECTED_MESSAGE);
            }
            int innerType = inner[end - 1] & 0xff;
            if (end - 1 > MAX_PLAINTEXT) {
                throw new UtlsHandshakeException("decrypted record exceeds 2^14", Alerts.RECORD_OVERFLOW);
            }
            byte[] payload = Arrays.copyOf(inner, end - 1);
            ConstantTime.wipe(inner);
            if (innerType != 21 && innerType != 22 && innerType != 23) {
                throw new UtlsHandshakeException("inner content type " + innerType, Alerts.UNEXPECTED_MESSAGE);
            }
            return checkAlert(new Record(innerType, payload));
        }
    }

    private Record checkAlert(Record r) throws IOException {
        if (r.type() != 21) {
            return r;
        }
        if (r.payload().length != 2) {
            throw new UtlsHandshakeException("malformed alert", Alerts.DECODE_ERROR);
        }
        int desc = r.payload()[1] & 0xff;
        if (desc == Alerts.CLOSE_NOTIFY) {
            inboundClosed = true;
            return null;
        }
        if (desc == Alerts.USER_CANCELED) {
            return readRecord(false);
        }
        inboundClosed = true;
        throw new UtlsHandshakeException("peer sent alert " + Alerts.name(desc), desc);
    }

    /** The next complete handshake message (header included), reading records as needed. */
    private byte[] nextHandshakeMessage(long deadline, boolean encrypted) throws IOException {
        while (true) {
            int avail = hsBuf.length - hsPos;
            if (avail >= 4) {
                int len = ((hsBuf[hsPos + 1] & 0xff) << 16) | ((hsBuf[hsPos + 2] & 0xff) << 8) | (hsBuf[hsPos + 3] & 0xff);
                if (len > MAX_HANDSHAKE_MESSAGE) {
                    throw new UtlsHandshakeException("handshake message of " + len + " bytes", Alerts.DECODE_ERROR);
                }
                if (avail >= 4 + len) {
                    byte[] msg = Arrays.copyOfRange(hsBuf, hsPos, hsPos + 4 + len);
                    hsPos += 4 + len;
                    return msg;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("handshake deadline passed");
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
            Record r = readRecord(true);
            if (r == null) {
                throw new UtlsHandshakeException("connection closed during the handshake", -1);
            }
            if (r.type() != 22) {
                throw new UtlsHandshakeException("expected a handshake record, got type " + r.type(),
                        Alerts.UNEXPECTED_MESSAGE);
            }
            if (r.payload().length == 0) {
                throw new UtlsHandshakeException("empty handshake record", Alerts.UNEXPECTED_MESSAGE);
            }
            byte[] rest = Arrays.copyOfRange(hsBuf, hsPos, hsBuf.length);
            hsBuf = Arrays.copyOf(rest, rest.length + r.payload().length);
            System.arraycopy(r.payload(), 0, hsBuf, rest.length, r.payload().length);
            hsPos = 0;
        }
    }

    private void writeChangeCipherSpec() throws IOException {
        out.write(new byte[] {20, 3, 3, 0, 1, 1});
    }

    private void writeEncrypted(int type, byte[] payload) throws IOException {
        for (int off = 0; off < payload.length || (payload.length == 0 && off == 0); off += maxSendPlaintext) {
            int n = Math.min(maxSendPlaintext, payload.length - off);
            byte[] inner = new byte[n + 1];
            System.arraycopy(payload, off, inner, 0, n);
            inner[n] = (byte) type;
            out.write(writeCipher.seal(inner));
            if (payload.length == 0) {
                break;
            }
        }
    }

    private void sendAlert(int desc) throws IOException {
        writeLock.lock();
        try {
            if (outboundClosed) {
                return;
            }
            byte[] alert = {(byte) (desc == Alerts.CLOSE_NOTIFY || desc == Alerts.USER_CANCELED ? 1 : 2), (byte) desc};
            if (writeCipher != null) {
                writeEncrypted(21, alert);
            } else {
                out.write(new byte[] {21, 3, 3, 0, 2, alert[0], alert[1]});
            }
            out.flush();
            outboundClosed = true;
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------- application data

    /** Reads application data; -1 after the peer's close_notify. */
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        readLock.lock();
        try {
            while (appPos >= appBuf.length) {
                if (inboundClosed) {
                    return -1;
                }
                if (closed) {
                    throw new IOException("connection closed");
                }
                Record r;
                try {
                    r = readRecord(false);
                } catch (UtlsHandshakeException e) {
                    if (e.alert() >= 0 && !inboundClosed) {
                        fail(e.alert());
                    }
                    throw e;
                }
                if (r == null) {
                    inboundClosed = true;
                    return -1;
                }
                if (r.type() == 23) {
                    appBuf = r.payload();
                    appPos = 0;
                } else if (r.type() == 22) {
                    postHandshake(r.payload());
                }
            }
            int n = Math.min(len, appBuf.length - appPos);
            System.arraycopy(appBuf, appPos, b, off, n);
            appPos += n;
            return n;
        } finally {
            readLock.unlock();
        }
    }

    public int available() {
        return appBuf.length - appPos;
    }

    /** Post-handshake messages; a message may span records, so an incomplete tail stays buffered. */
    private void postHandshake(byte[] payload) throws IOException {
        byte[] rest = Arrays.copyOfRange(hsBuf, hsPos, hsBuf.length);
        if (rest.length + payload.length > MAX_HANDSHAKE_MESSAGE) {
            throw new UtlsHandshakeException("post-handshake message too long", Alerts.DECODE_ERROR);
        }
        hsBuf = Arrays.copyOf(rest, rest.length + payload.length);
        System.arraycopy(payload, 0, hsBuf, rest.length, payload.length);
        hsPos = 0;
        while (hsBuf.length - hsPos >= 4) {
            int len = ((hsBuf[hsPos + 1] & 0xff) << 16) | ((hsBuf[hsPos + 2] & 0xff) << 8) | (hsBuf[hsPos + 3] & 0xff);
            if (hsBuf.length - hsPos < 4 + len) {
                break;
            }
            int type = hsBuf[hsPos] & 0xff;
            byte[] body = Arrays.copyOfRange(hsBuf, hsPos + 4, hsPos + 4 + len);
            hsPos += 4 + len;
            switch (type) {
                case 4 -> { } // NewSessionTicket: this client does not resume sessions
                case 24 -> {
                    if (hsPos != hsBuf.length) {
                        throw new UtlsHandshakeException("KeyUpdate not at a record boundary", Alerts.UNEXPECTED_MESSAGE);
                    }
                    keyUpdate(body);
                }
                default -> throw new UtlsHandshakeException("unexpected post-handshake message type " + type,
                        Alerts.UNEXPECTED_MESSAGE);
            }
        }
    }

    private void keyUpdate(byte[] body) throws IOException {
        if (body.length != 1 || (body[0] != 0 && body[0] != 1)) {
            throw new UtlsHandshakeException("malformed KeyUpdate", Alerts.DECODE_ERROR);
        }
        byte[] next = suite.hash.expandLabel(readSecret, "traffic upd", new byte[0], suite.hash.length());
        ConstantTime.wipe(readSecret);
        readSecret = next;
        readCipher.close();
        readCipher = new RecordCipher(suite, readSecret);
        if (body[0] == 1) {
            writeLock.lock();
            try {
                if (!outboundClosed) {
                    writeEncrypted(22, new byte[] {24, 0, 0, 1, 0});
                    out.flush();
                    byte[] w = suite.hash.expandLabel(writeSecret, "traffic upd", new byte[0], suite.hash.length());
                    ConstantTime.wipe(writeSecret);
                    writeSecret = w;
                    writeCipher.close();
                    writeCipher = new RecordCipher(suite, writeSecret);
                }
            } finally {
                writeLock.unlock();
            }
        }
    }

    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        writeLock.lock();
        try {
            if (outboundClosed || closed) {
                throw new IOException("connection closed for writing");
            }
            writeEncrypted(23, Arrays.copyOfRange(b, off, off + len));
        } finally {
            writeLock.unlock();
        }
    }

    public void flush() throws IOException {
        writeLock.lock();
        try {
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------- session facts

    /** RFC 8446 §7.5: HKDF-Expand-Label(Derive-Secret(exporter_master, label, ""), "exporter", Hash(context), length). */
    public byte[] exportKeyingMaterial(String label, byte[] context, int length) {
        if (exporterMaster == null) {
            throw new IllegalStateException("handshake not complete");
        }
        TlsHash h = suite.hash;
        byte[] secret = h.deriveSecret(exporterMaster, label, h.digest(new byte[0]));
        try {
            return h.expandLabel(secret, "exporter", h.digest(context == null ? new byte[0] : context), length);
        } finally {
            ConstantTime.wipe(secret);
        }
    }

    public Optional<String> alpn() {
        return Optional.ofNullable(alpn);
    }

    public int cipherSuite() {
        return suite.code;
    }

    public int namedGroup() {
        return namedGroup;
    }

    public boolean helloRetried() {
        return helloRetried;
    }

    public X509Certificate[] peerCertificates() {
        return peerCertificates.clone();
    }

    public byte[] clientHello() {
        return clientHello.clone();
    }

    public byte[] serverHello() {
        return serverHello.clone();
    }

    public Socket socket() {
        return socket;
    }

    /** Sends close_notify (once). */
    public void shutdownOutput() throws IOException {
        if (writeCipher != null) {
            sendAlert(Alerts.CLOSE_NOTIFY);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            shutdownOutput();
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
        closeQuietly();
    }

    private void closeQuietly() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        if (exporterMaster != null) {
            ConstantTime.wipe(exporterMaster);
        }
        if (readSecret != null) {
            ConstantTime.wipe(readSecret);
        }
        if (writeSecret != null) {
            ConstantTime.wipe(writeSecret);
        }
    }
}
