package org.aivillage.betanet.crypto;

import javax.crypto.Mac;
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
        JdkMacs jdk = JdkMacs.of(hash);
        if (jdk != null) {
            Mac mac = jdk.acquire(key, hash.blockLength());
            try {
                for (byte[] p : parts) {
                    mac.update(p);
                }
                return mac.doFinal();
            } finally {
                jdk.release(mac);
            }
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

    public static byte[] sha256(byte[] key, byte[]... parts) {
        return mac(Hashes.Algorithm.SHA256, key, parts);
    }

    /** Verifies an HMAC-SHA256 tag in constant time. */
    public static boolean verifySha256(byte[] key, byte[] tag, byte[]... parts) {
        byte[] expected = sha256(key, parts);
        return ConstantTime.equals(expected, tag);
    }
}
