package org.aivillage.betanet.htx.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongSupplier;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.CryptoException;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.MlKem768;
import org.aivillage.betanet.htx.HtxHandshakeException;
import org.aivillage.betanet.htx.HtxLimits;
import org.aivillage.betanet.htx.HtxTicketRejectedException;
import org.aivillage.betanet.htx.KeyAgreement;
import org.aivillage.betanet.htx.RekeyPolicy;

/**
 * The inner handshake inside the outer TLS (docs/protocols/htx.md §Handshake): Noise XK with the
 * TLS exporter bound in through the prologue, the optional ML-KEM-768 exchange in the payloads,
 * the settings exchange, and the key schedule. Handshake messages travel as
 * {@code uint16 length || message}.
 */
public final class InnerHandshake {
    /** Largest handshake message accepted (the hybrid msg1 is about 1.2 KB). */
    public static final int MAX_MESSAGE = 4096;

    private InnerHandshake() {}

    /** Keys and settings for the connection engine. */
    public record Result(FrameSealer sealer, FrameOpener opener, Connection.PeerSettings peer, KeyAgreement agreement) {}

    /**
     * Client side. Sends {@code request} (the ticket-carrying HTTP request) and message 1 in one
     * flush, then completes XK.
     */
    public static Result client(InputStream in, OutputStream out, byte[] request, byte[] exporter, byte[] serverStatic,
            KeyPair clientStatic, KeyAgreement mode, HtxLimits limits, RekeyPolicy rekey, LongSupplier nanoTime,
            NoiseSession.Factory noise) throws IOException {
        byte[] k0 = KeySchedule.k0(exporter);
        KeyPair kem = null;
        byte[] kemSecret = new byte[0];
        try {
            NoiseSession hs = noise.initiator(KeySchedule.prologue(k0), clientStatic, serverStatic);
            if (mode == KeyAgreement.HYBRID_X25519_MLKEM768) {
                kem = MlKem768.generateKeyPair();
            }
            byte[] msg1 = hs.writeMessage(HandshakePayloads.encodeClientHello(
                    new HandshakePayloads.ClientHello(kem == null ? null : kem.publicKey())));
            byte[] first = new byte[request.length + 2 + msg1.length];
            System.arraycopy(request, 0, first, 0, request.length);
            putLength(first, request.length, msg1.length);
            System.arraycopy(msg1, 0, first, request.length + 2, msg1.length);
            out.write(first);
            out.flush();

            byte[] msg2 = readMessage(in, true);
            HandshakePayloads.ServerHello hello = HandshakePayloads.decodeServerHello(hs.readMessage(msg2));
            KeyAgreement agreed;
            switch (hello.status()) {
                case HandshakePayloads.STATUS_REFUSED_HYBRID_REQUIRED -> throw new HtxHandshakeException(
                        "the server requires the hybrid X25519 + ML-KEM-768 inner key agreement (Betanet 1.1 §5.3, "
                                + "mandatory from 2027-01-01) but this client is set to X25519");
                case HandshakePayloads.STATUS_HYBRID -> {
                    if (kem == null) {
                        throw new HtxHandshakeException("the server answered with an ML-KEM ciphertext that was never offered");
                    }
                    kemSecret = MlKem768.decapsulate(kem.privateKey(), hello.kemCiphertext());
                    agreed = KeyAgreement.HYBRID_X25519_MLKEM768;
                }
                default -> {
                    if (kem != null) {
                        throw new HtxHandshakeException("this client requires the hybrid X25519 + ML-KEM-768 inner key "
                                + "agreement but the server did not accept it");
                    }
                    agreed = KeyAgreement.X25519;
                }
            }
            byte[] msg3 = hs.writeMessage(HandshakePayloads.encodeSettings(localSettings(limits)));
            byte[] framed = new byte[2 + msg3.length];
            putLength(framed, 0, msg3.length);
            System.arraycopy(msg3, 0, framed, 2, msg3.length);
            out.write(framed);
            out.flush();
            return finish(hs, k0, kemSecret, true, hello.settings(), agreed, rekey, nanoTime);
        } catch (NoiseSession.Failure e) {
            throw new HtxHandshakeException("inner Noise XK handshake failed (wrong server static key, or not the same TLS session): "
                    + e.getMessage(), e);
        } catch (FrameFormatException e) {
            throw new HtxHandshakeException("malformed handshake payload: " + e.getMessage(), e);
        } catch (CryptoException e) {
            throw new HtxHandshakeException("ML-KEM-768 decapsulation failed", e);
        } finally {
            ConstantTime.wipe(k0);
            ConstantTime.wipe(kemSecret);
            if (kem != null) {
                kem.destroy();
            }
        }
    }

    /** Server side, after a valid ticket: reads message 1 from {@code in}. */
    public static Result server(InputStream in, OutputStream out, byte[] exporter, KeyPair serverStatic, KeyAgreement mode,
            HtxLimits limits, RekeyPolicy rekey, LongSupplier nanoTime, NoiseSession.Factory noise) throws IOException {
        byte[] k0 = KeySchedule.k0(exporter);
        byte[] kemSecret = new byte[0];
        try {
            NoiseSession hs = noise.responder(KeySchedule.prologue(k0), serverStatic);
            HandshakePayloads.ClientHello offer = HandshakePayloads.decodeClientHello(hs.readMessage(readMessage(in, false)));
            HandshakePayloads.ServerHello answer;
            KeyAgreement agreed;
            if (offer.kemPublic() == null && mode == KeyAgreement.HYBRID_X25519_MLKEM768) {
                writeFramed(out, hs.writeMessage(HandshakePayloads.encodeServerHello(
                        new HandshakePayloads.ServerHello(HandshakePayloads.STATUS_REFUSED_HYBRID_REQUIRED, null, null))));
                throw new HtxHandshakeException("client offered only X25519; this server requires the hybrid X25519 + ML-KEM-768 "
                        + "inner key agreement (refusal sent)");
            }
            if (offer.kemPublic() != null) {
                MlKem768.Encapsulation enc = MlKem768.encapsulate(offer.kemPublic());
                kemSecret = enc.sharedSecret();
                answer = new HandshakePayloads.ServerHello(HandshakePayloads.STATUS_HYBRID, enc.ciphertext(), localSettings(limits));
                agreed = KeyAgreement.HYBRID_X25519_MLKEM768;
            } else {
                answer = new HandshakePayloads.ServerHello(HandshakePayloads.STATUS_X25519, null, localSettings(limits));
                agreed = KeyAgreement.X25519;
            }
            writeFramed(out, hs.writeMessage(HandshakePayloads.encodeServerHello(answer)));
            HandshakePayloads.Settings peer = HandshakePayloads.decodeSettings(hs.readMessage(readMessage(in, false)), 0, "msg3.settings");
            return finish(hs, k0, kemSecret, false, peer, agreed, rekey, nanoTime);
        } catch (NoiseSession.Failure e) {
            throw new HtxHandshakeException("inner Noise XK handshake failed: " + e.getMessage(), e);
        } catch (FrameFormatException e) {
            throw new HtxHandshakeException("malformed handshake payload: " + e.getMessage(), e);
        } catch (CryptoException e) {
            throw new HtxHandshakeException("client ML-KEM-768 key is malformed", e);
        } finally {
            ConstantTime.wipe(k0);
            ConstantTime.wipe(kemSecret);
        }
    }

    private static Result finish(NoiseSession hs, byte[] k0, byte[] kemSecret, boolean client, HandshakePayloads.Settings peer,
            KeyAgreement agreed, RekeyPolicy rekey, LongSupplier nanoTime) {
        byte[] h = hs.handshakeHash();
        byte[][] split = hs.splitKeys();
        KeySchedule.DirectionKeys keys = KeySchedule.innerKeys(k0, split[0], split[1], kemSecret, h);
        ConstantTime.wipe(split[0]);
        ConstantTime.wipe(split[1]);
        byte[] sendKey = client ? keys.clientToServer() : keys.serverToClient();
        byte[] recvKey = client ? keys.serverToClient() : keys.clientToServer();
        FrameSealer sealer = new FrameSealer(sendKey, h, rekey, nanoTime);
        FrameOpener opener = new FrameOpener(recvKey, h);
        Connection.PeerSettings ps = new Connection.PeerSettings((int) Math.min(Integer.MAX_VALUE, peer.maxStreams()), (int) peer.maxFrameLength());
        return new Result(sealer, opener, ps, agreed);
    }

    static HandshakePayloads.Settings localSettings(HtxLimits limits) {
        return new HandshakePayloads.Settings(limits.maxStreams(), limits.maxFrameLength());
    }

    private static void putLength(byte[] out, int off, int len) {
        out[off] = (byte) (len >>> 8);
        out[off + 1] = (byte) len;
    }

    private static void writeFramed(OutputStream out, byte[] msg) throws IOException {
        byte[] framed = new byte[2 + msg.length];
        putLength(framed, 0, msg.length);
        System.arraycopy(msg, 0, framed, 2, msg.length);
        out.write(framed);
        out.flush();
    }

    /**
     * Reads {@code uint16 length || message}. On the client, a reply starting with "HTTP/" means
     * the server served its decoy instead: the ticket was not accepted.
     */
    static byte[] readMessage(InputStream in, boolean client) throws IOException {
        byte[] len = in.readNBytes(2);
        if (len.length < 2) {
            throw new EOFException("connection closed during the inner handshake");
        }
        int n = ((len[0] & 0xFF) << 8) | (len[1] & 0xFF);
        if (client && len[0] == 'H' && len[1] == 'T') {
            byte[] more = in.readNBytes(3);
            if (more.length == 3 && more[0] == 'T' && more[1] == 'P' && more[2] == '/') {
                throw new HtxTicketRejectedException("the server answered with HTTP (its decoy site): the access ticket was not accepted");
            }
        }
        if (n == 0 || n > MAX_MESSAGE) {
            throw new HtxHandshakeException("handshake message length " + n + " out of range 1.." + MAX_MESSAGE);
        }
        byte[] msg = in.readNBytes(n);
        if (msg.length < n) {
            throw new EOFException("connection closed inside a handshake message");
        }
        return msg;
    }
}
