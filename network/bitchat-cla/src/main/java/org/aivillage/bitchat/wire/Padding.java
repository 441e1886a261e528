package org.aivillage.bitchat.wire;

import java.util.Arrays;

/**
 * BitChat's length-hiding padding ({@code MessagePadding.swift}): an encoded packet is padded up to
 * the smallest of 256, 512, 1024 or 2048 bytes that holds it plus 16 bytes of slack, with PKCS#7
 * bytes (every pad byte equals the pad length). As upstream, nothing is added when the gap is more
 * than 255 bytes (one length byte cannot say more) or the packet is larger than 2048 - 16 bytes.
 */
public final class Padding {
    /** The block sizes packets are padded to. */
    public static final int[] BLOCK_SIZES = {256, 512, 1024, 2048};

    private Padding() {
    }

    /** The size {@code dataSize} bytes are padded to (unchanged when no block fits). */
    public static int optimalBlockSize(int dataSize) {
        int total = dataSize + 16;
        for (int block : BLOCK_SIZES) {
            if (total <= block) {
                return block;
            }
        }
        return dataSize;
    }

    /** {@code data} padded to {@link #optimalBlockSize}, or {@code data} itself when it cannot be padded. */
    public static byte[] pad(byte[] data) {
        int target = optimalBlockSize(data.length);
        int gap = target - data.length;
        if (gap <= 0 || gap > 255) {
            return data;
        }
        byte[] out = Arrays.copyOf(data, target);
        Arrays.fill(out, data.length, target, (byte) gap);
        return out;
    }
}
