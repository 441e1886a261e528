package org.aivillage.vault.internal;

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
        return new CborBuf(prefix.length + 2 * id.length() + 2 * owner.length() + 48).raw(prefix).text(id).text(owner)
                .integer(version).integer(privacy).integer(updatedMs).integer(flags).toByteArray();
    }
}
