package org.aivillage.betanet.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system's libsodium through the Foreign Function API, for the one primitive where it wins by
 * a wide margin in docs/benchmarks.md: X25519 (crypto_scalarmult_curve25519, about 2.8x faster than
 * BouncyCastle on the development box). Used only when all of these hold, otherwise
 * {@link #AVAILABLE} is false and the facade stays on BouncyCastle, silently:
 *
 * <ul>
 *   <li>native access is enabled for this code ({@code --enable-native-access=ALL-UNNAMED}, or the
 *       {@code Enable-Native-Access} manifest attribute of the launched jar), so the JVM prints no
 *       restricted-method warning;
 *   <li>a libsodium shared library loads ({@code libsodium.so.23/.26/.so}, or the macOS names) and
 *       {@code sodium_init()} succeeds;
 *   <li>it passes a known-answer self-test (RFC 7748 §5.2);
 *   <li>the system property {@code aivillage.crypto.x25519} is not {@code bouncycastle}.
 * </ul>
 */
final class Sodium {
    private static final Logger LOG = LoggerFactory.getLogger(Sodium.class);
    private static final List<String> LIBRARY_NAMES = List.of(
            "libsodium.so.23", "libsodium.so.26", "libsodium.so", "libsodium.dylib", "libsodium.23.dylib", "libsodium.26.dylib");

    private static final MethodHandle SCALARMULT;
    /** True when X25519 runs on libsodium in this JVM. */
    static final boolean AVAILABLE;
    static final String DESCRIPTION;

    static {
        MethodHandle handle = null;
        String description = "bouncycastle";
        try {
            String forced = System.getProperty("aivillage.crypto.x25519", "auto");
            if (!forced.equals("bouncycastle") && Sodium.class.getModule().isNativeAccessEnabled()) {
                SymbolLookup lib = null;
                String name = null;
                for (String candidate : LIBRARY_NAMES) {
                    try {
                        lib = SymbolLookup.libraryLookup(candidate, Arena.global());
                        name = candidate;
                        break;
                    } catch (IllegalArgumentException notFound) {
                        // try the next name
                    }
                }
                if (lib != null) {
                    Linker linker = Linker.nativeLinker();
                    MethodHandle init = linker.downcallHandle(lib.find("sodium_init").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT));
                    MethodHandle mult = linker.downcallHandle(lib.find("crypto_scalarmult_curve25519").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                                    ValueLayout.ADDRESS),
                            Linker.Option.critical(true));
                    if ((int) init.invokeExact() >= 0 && selfTest(mult)) {
                        handle = mult;
                        description = "libsodium (" + name + ", Foreign Function API)";
                    }
                }
            }
        } catch (Throwable t) {
            LOG.debug("libsodium not used for X25519: {}", t.toString());
            handle = null;
            description = "bouncycastle";
        }
        SCALARMULT = handle;
        AVAILABLE = handle != null;
        DESCRIPTION = description;
        LOG.debug("X25519 implementation: {}", DESCRIPTION);
    }

    private Sodium() {}

    private static boolean selfTest(MethodHandle mult) throws Throwable {
        HexFormat hex = HexFormat.of();
        byte[] k = hex.parseHex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
        byte[] u = hex.parseHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
        byte[] out = new byte[32];
        int rc = (int) mult.invokeExact(MemorySegment.ofArray(out), MemorySegment.ofArray(k), MemorySegment.ofArray(u));
        return rc == 0 && Arrays.equals(out,
                hex.parseHex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"));
    }

    /**
     * out = X25519(scalar, u). Returns false when libsodium refuses: a small-order u, whose result
     * would be all zeros (RFC 7748 §6.1).
     */
    static boolean scalarMult(byte[] scalar, byte[] u, byte[] out) {
        try {
            int rc = (int) SCALARMULT.invokeExact(MemorySegment.ofArray(out), MemorySegment.ofArray(scalar),
                    MemorySegment.ofArray(u));
            return rc == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("libsodium X25519 call failed", t);
        }
    }
}
