package org.aivillage.bitchat.wire;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Objects;
import org.aivillage.betanet.codec.CodecException;

/**
 * The payload of an {@link MessageType#ANNOUNCE} packet ({@code IdentityAnnouncement} upstream):
 * a sequence of TLVs {@code type u8 | length u8 | value}: 0x01 nickname (UTF-8), 0x02 Noise static
 * public key (X25519, 32 bytes), 0x03 Ed25519 signing public key (32 bytes), 0x04 feature bitmask
 * (big-endian, minimal length, omitted when 0). Unknown TLV types are skipped (forward compatible);
 * nickname and both keys are required.
 */
public record AnnouncePayload(String nickname, byte[] noisePublicKey, byte[] signingPublicKey, int features) {
    public static final int TLV_NICKNAME = 0x01;
    public static final int TLV_NOISE_KEY = 0x02;
    public static final int TLV_SIGNING_KEY = 0x03;
    public static final int TLV_FEATURES = 0x04;
    public static final int KEY_LENGTH = 32;

    public AnnouncePayload {
        Objects.requireNonNull(nickname, "nickname");
        if (Utf8.encode(nickname).length > 255) {
            throw new IllegalArgumentException("nickname longer than 255 UTF-8 bytes");
        }
        if (noisePublicKey.length != KEY_LENGTH || signingPublicKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("announce keys are 32 bytes");
        }
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(80);
        tlv(out, TLV_NICKNAME, Utf8.encode(nickname));
        tlv(out, TLV_NOISE_KEY, noisePublicKey);
        tlv(out, TLV_SIGNING_KEY, signingPublicKey);
        if (features != 0) {
            int n = 4 - Integer.numberOfLeadingZeros(features) / 8;
            byte[] f = new byte[n];
            for (int i = 0; i < n; i++) {
                f[i] = (byte) (features >>> (8 * (n - 1 - i)));
            }
            tlv(out, TLV_FEATURES, f);
        }
        return out.toByteArray();
    }

    public static AnnouncePayload decode(byte[] data) throws CodecException {
        String nickname = null;
        byte[] noise = null;
        byte[] signing = null;
        int features = 0;
        int o = 0;
        while (o < data.length) {
            if (data.length - o < 2) {
                throw new CodecException("announce tlv", o, "truncated TLV header");
            }
            int type = data[o] & 0xff;
            int len = data[o + 1] & 0xff;
            int v = o + 2;
            if (data.length - v < len) {
                throw new CodecException("announce tlv", o, "TLV 0x" + Integer.toHexString(type) + " of " + len
                        + " bytes overruns the payload");
            }
            switch (type) {
                case TLV_NICKNAME -> nickname = Utf8.decode(data, v, len, "announce nickname");
                case TLV_NOISE_KEY -> {
                    if (len != KEY_LENGTH) {
                        throw new CodecException("announce noise key", v, "must be 32 bytes, was " + len);
                    }
                    noise = Arrays.copyOfRange(data, v, v + len);
                }
                case TLV_SIGNING_KEY -> {
                    if (len != KEY_LENGTH) {
                        throw new CodecException("announce signing key", v, "must be 32 bytes, was " + len);
                    }
                    signing = Arrays.copyOfRange(data, v, v + len);
                }
                case TLV_FEATURES -> {
                    if (len > 4) {
                        throw new CodecException("announce features", v, "more than 4 bytes");
                    }
                    int f = 0;
                    for (int i = 0; i < len; i++) {
                        f = (f << 8) | (data[v + i] & 0xff);
                    }
                    features = f;
                }
                default -> {
                    // unknown TLV: skipped
                }
            }
            o = v + len;
        }
        if (nickname == null || noise == null || signing == null) {
            throw new CodecException("announce", data.length, "missing " + (nickname == null ? "nickname"
                    : noise == null ? "noise key" : "signing key"));
        }
        return new AnnouncePayload(nickname, noise, signing, features);
    }

    static void tlv(ByteArrayOutputStream out, int type, byte[] value) {
        out.write(type);
        out.write(value.length);
        out.writeBytes(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnnouncePayload a && nickname.equals(a.nickname) && features == a.features
                && Arrays.equals(noisePublicKey, a.noisePublicKey) && Arrays.equals(signingPublicKey, a.signingPublicKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nickname, features) + 31 * Arrays.hashCode(noisePublicKey);
    }

    @Override
    public String toString() {
        return "AnnouncePayload[" + nickname + ", features=" + features + "]";
    }
}
