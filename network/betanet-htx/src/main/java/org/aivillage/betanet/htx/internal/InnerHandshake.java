package org.aivillage.betanet.htx.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongSupplier;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.htx.HtxHandshakeException;
import org.aivillage.betanet.htx.HtxLimits;
import org.aivillage.betanet.htx.HtxTicketRejectedException;
import org.aivillage.betanet.htx.KeyAgreement;
import org.aivillage.betanet.htx.RekeyPolicy;

/**
 * The inner handshake inside the outer TLS (docs/protocols/htx.md §Handshake): Noise XK (or XKhfs
 * with ML-KEM-768 for the hybrid) with the TLS exporter bound in through the prologue, the
 * settings exchange, and the key schedule. The client's first handshake bytes are
 * {@code variant || uint16 length || message 1}; later messages {@code uint16 length || message}.
 */
public final class InnerHandshake {
    /** Largest handshake message accepted (the XKhfs message 1 is 1,250 bytes). */
    public static final int MAX_MESSAGE = 4096;

    private InnerHandshake() {}

    /** Keys and settings for the connection engine. */
    public record Result(FrameSealer sealer, FrameOpener opener, Connection.PeerSettings peer, KeyAgreement agreement) {}

    /** First byte of the client's first handshake frame: which Noise protocol message 1 uses. */
    public static final int VARIANT_XK = 0;
    public static final int VARIANT_XK_HFS = 1;

    /**
     * Client side. Sends {@code request} (the ticket-carrying HTTP request) and
     * {@code variant || uint16 length || message 1} in one flush, then completes the handshake.
     */
    public static Result client(InputStream in, OutputStream out, byte[] request, byte[] exporter, byte[] serverStatic,
            KeyPair clientStatic, KeyAgreement mode, HtxLimits limits, RekeyPolicy rekey, LongSupplier nanoTime,
            NoiseSession.Factory noise) throws IOException {
        byte[] k0 = KeySchedule.k0(exporter);
        boolean hybrid = mode == KeyAgreement.HYBRID_X25519_MLKEM768;
        try (NoiseSession hs = noise.initiator(hybrid, KeySchedule.prologue(k0), clientStatic, serverStatic)) {
            byte[] msg1 = hs.writeMessage(HandshakePayloads.CLIENT_HELLO);
            byte[] first = new byte[request.length + 3 + msg1.length];
            System.arraycopy(request, 0, first, 0, request.length);
            first[request.length] = (byte) (hybrid ? VARIANT_XK_HFS : VARIANT_XK);
            putLength(first, request.length + 1, msg1.length);
            System.arraycopy(msg1, 0, first, request.length + 3, msg1.length);
            out.write(first);
            out.flush();

            byte[] msg2 = readMessage(in, true);
            HandshakePayloads.ServerHello hello = HandshakePayloads.decodeServerHello(hs.readMessage(msg2));
            if (hello.status() == HandshakePayloads.STATUS_REFUSED_HYBRID_REQUIRED) {
                throw new HtxHandshakeException("the server requires the hybrid X25519 + ML-KEM-768 inner key agreement "
                        + "(Betanet 1.1 §5.3, mandatory from 2027-01-01) but this client is set to X25519");
            }
            if ((hello.status() == HandshakePayloads.STATUS_HYBRID) != hybrid) {
                throw new HtxHandshakeException("the server reported inner key agreement status " + hello.status()
                        + " for a " + (hybrid ? "hybrid" : "X25519") + " handshake");
            }
            byte[] msg3 = hs.writeMessage(HandshakePayloads.encodeSettings(localSettings(limits)));
            byte[] framed = new byte[2 + msg3.length];
            putLength(framed, 0, msg3.length);
            System.arraycopy(msg3, 0, framed, 2, msg3.length);
            out.write(framed);
            out.flush();
            return finish(hs, k0, true, hello.settings(), hybrid ? KeyAgreement.HYBRID_X25519_MLKEM768 : KeyAgreement.X25519, rekey, nanoTime);
        } catch (NoiseSession.Failure e) {
            throw new HtxHandshakeException("inner Noise XK handshake failed (wrong server static key, or not the same TLS session): "
                    + e.getMessage(), e);
        } catch (FrameFormatException e) {
            throw new HtxHandshakeException("malformed handshake payload: " + e.getMessage(), e);
        } finally {
            ConstantTime.wipe(k0);
        }
    }

    /** Server side, after a valid ticket: reads the variant byte and message 1 from {@code in}. */
    public static Result server(InputStream in, OutputStream out, byte[] exporter, KeyPair serverStatic, KeyAgreement mode,
            HtxLimits limits, RekeyPolicy rekey, LongSupplier nanoTime, NoiseSession.Factory noise) throws IOException {
        int variant = in.read();
        if (variant < 0) {
            throw new EOFException("connection closed before the inner handshake");
        }
        if (variant != VARIANT_XK && variant != VARIANT_XK_HFS) {
            throw new HtxHandshakeException("unknown inner handshake variant " + variant);
        }
        boolean hybrid = variant == VARIANT_XK_HFS;
        byte[] k0 = KeySchedule.k0(exporter);
        try (NoiseSession hs = noise.responder(hybrid, KeySchedule.prologue(k0), serverStatic)) {
            HandshakePayloads.checkClientHello(hs.readMessage(readMessage(in, false)));
            if (!hybrid && mode == KeyAgreement.HYBRID_X25519_MLKEM768) {
                writeFramed(out, hs.writeMessage(HandshakePayloads.encodeServerHello(
                        new HandshakePayloads.ServerHello(HandshakePayloads.STATUS_REFUSED_HYBRID_REQUIRED, null))));
                throw new HtxHandshakeException("client offered only X25519; this server requires the hybrid X25519 + ML-KEM-768 "
                        + "inner key agreement (refusal sent)");
            }
            int status = hybrid ? HandshakePayloads.STATUS_HYBRID : HandshakePayloads.STATUS_X25519;
            writeFramed(out, hs.writeMessage(HandshakePayloads.encodeServerHello(new HandshakePayloads.ServerHello(status, localSettings(limits)))));
            HandshakePayloads.Settings peer = HandshakePayloads.decodeSettings(hs.readMessage(readMessage(in, false)), 0, "msg3.settings");
            return finish(hs, k0, false, peer, hybrid ? KeyAgreement.HYBRID_X25519_MLKEM768 : KeyAgreement.X25519, rekey, nanoTime);
        } catch (NoiseSession.Failure e) {
            throw new HtxHandshakeException("inner Noise XK handshake failed: " + e.getMessage(), e);
        } catch (FrameFormatException e) {
            throw new HtxHandshakeException("malformed handshake payload: " + e.getMessage(), e);
        } finally {
            ConstantTime.wipe(k0);
        }
    }

    private static Result finish(NoiseSession hs, byte[] k0, boolean client, HandshakePayloads.Settings peer,
            KeyAgreement agreed, RekeyPolicy rekey, LongSupplier nanoTime) throws NoiseSession.Failure {
        NoiseSession.Exported ex = hs.export();
        byte[] h = ex.handshakeHash();
        KeySchedule.DirectionKeys keys = KeySchedule.innerKeys(k0, ex.initiatorToResponder(), ex.responderToInitiator(), h);
        ConstantTime.wipe(ex.initiatorToResponder());
        ConstantTime.wipe(ex.responderToInitiator());
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
            throw client
                    ? new HtxHandshakeException("the server closed the connection during the inner handshake")
                    : new EOFException("connection closed during the inner handshake");
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
            throw client
                    ? new HtxHandshakeException("the server closed the connection inside a handshake message")
                    : new EOFException("connection closed inside a handshake message");
        }
        return msg;
    }
}
