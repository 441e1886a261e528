package org.aivillage.betanet.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * HMAC over any {@link Hashes.Algorithm} (RFC 2104). HMAC-SHA256 and HMAC-SHA512 run on the JDK's
 * {@link Mac} (intrinsified SHA-2), HMAC-BLAKE2 on BouncyCastle's HMac; the choice is the JMH
 * comparison in docs/benchmarks.md. The key may be empty (HMAC pads it with zeros to the block size).
 */
public final class Hmac {
    private Hmac() {}

    public static byte[] mac(Hashes.Algorithm hash, byte[] key, byte[]... parts) {
        String jdk = switch (hash) {
            case SHA256 -> "HmacSHA256";
            case SHA384 -> "HmacSHA384";
            case SHA512 -> "HmacSHA512";
            case BLAKE2S, BLAKE2B -> null;
        };
        if (jdk != null) {
            return jdkMac(jdk, hash, key, parts);
        }
        HMac mac = new HMac(hash.newDigest());
        mac.init(new KeyParameter(key));
        for (byte[] p : parts) {
            mac.update(p, 0, p.length);
        }
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }

    private static byte[] jdkMac(String name, Hashes.Algorithm hash, byte[] key, byte[]... parts) {
        // SecretKeySpec refuses an empty key; HMAC pads any key shorter than the block with zeros,
        // so an empty key is the same as a block of zero bytes.
        byte[] k = key.length == 0 ? new byte[hash.blockLength()] : key;
        try {
            Mac mac = Mac.getInstance(name);
            mac.init(new SecretKeySpec(k, name));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks " + name, e);
        }
    }

    public static byte[] sha256(byte[] key, byte[]... parts) {
        return mac(Hashes.Algorithm.SHA256, key, parts);
    }

    /** Verifies an HMAC-SHA256 tag in constant time. */
    public static boolean verifySha256(byte[] key, byte[] tag, byte[]... parts) {
        byte[] expected = sha256(key, parts);
        return ConstantTime.equals(expected, tag);
    }
}
