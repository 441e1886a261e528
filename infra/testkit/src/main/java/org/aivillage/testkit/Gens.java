package org.aivillage.testkit;

import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * QuickTheories generators the project's property tests share.
 */
public final class Gens {
    private Gens() {}

    /** Byte arrays with a length in [minLength, maxLength], every byte value equally likely. */
    public static Gen<byte[]> bytes(int minLength, int maxLength) {
        return Generate.byteArrays(Generate.range(minLength, maxLength),
                Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
    }

    /** Byte arrays of 0..maxLength bytes. */
    public static Gen<byte[]> bytes(int maxLength) {
        return bytes(0, maxLength);
    }

    /** Byte arrays of exactly {@code length} bytes. */
    public static Gen<byte[]> bytesOfLength(int length) {
        return bytes(length, length);
    }
}
