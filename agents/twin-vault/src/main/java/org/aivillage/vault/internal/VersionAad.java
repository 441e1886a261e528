package org.aivillage.vault.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.aivillage.betanet.codec.Cbor;
import org.aivillage.betanet.codec.CborValue;

/**
 * The associated data of a sealed twin version, {@code ["twin-vault/version/v1", vault id, twin id,
 * owner, version, privacy, updated ms, flags]} in deterministic CBOR, written straight into one
 * array (it is built for every read and write). The label and vault id are encoded once. Equal
 * byte for byte to {@link Sealer#aad} of the same items (checked by a property test).
 */
public final class VersionAad {
    public static final String LABEL = "twin-vault/version/v1";
    private static final int ITEMS = 8;

    private final byte[] prefix;

    public VersionAad(byte[] vaultId) {
        byte[] two = Cbor.encodeDeterministic(CborValue.array(CborValue.of(LABEL), CborValue.of(vaultId)));
        two[0] = (byte) (0x80 | ITEMS); // the same array head, with all eight items
        this.prefix = two;
    }

    public byte[] encode(String id, String owner, long version, int privacy, long updatedMs, int flags) {
        byte[] idUtf8 = id.getBytes(StandardCharsets.UTF_8);
        byte[] ownerUtf8 = owner.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[prefix.length + idUtf8.length + ownerUtf8.length + 6 * 9];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        int p = prefix.length;
        p = head(out, p, 3, idUtf8.length);
        System.arraycopy(idUtf8, 0, out, p, idUtf8.length);
        p += idUtf8.length;
        p = head(out, p, 3, ownerUtf8.length);
        System.arraycopy(ownerUtf8, 0, out, p, ownerUtf8.length);
        p += ownerUtf8.length;
        p = integer(out, p, version);
        p = integer(out, p, privacy);
        p = integer(out, p, updatedMs);
        p = integer(out, p, flags);
        return p == out.length ? out : Arrays.copyOf(out, p);
    }

    private static int integer(byte[] out, int p, long v) {
        return v >= 0 ? head(out, p, 0, v) : head(out, p, 1, -1 - v);
    }

    /** A shortest-form CBOR head (argument unsigned); returns the position after it. */
    private static int head(byte[] out, int p, int major, long arg) {
        int mt = major << 5;
        int n;
        if (arg < 24) {
            out[p] = (byte) (mt | (int) arg);
            return p + 1;
        } else if (arg <= 0xff) {
            out[p++] = (byte) (mt | 24);
            n = 1;
        } else if (arg <= 0xffff) {
            out[p++] = (byte) (mt | 25);
            n = 2;
        } else if (arg <= 0xffff_ffffL) {
            out[p++] = (byte) (mt | 26);
            n = 4;
        } else {
            out[p++] = (byte) (mt | 27);
            n = 8;
        }
        for (int i = n - 1; i >= 0; i--) {
            out[p++] = (byte) (arg >>> (i * 8));
        }
        return p;
    }
}
