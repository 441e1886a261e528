package org.aivillage.betanet.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.List;

/**
 * The first of several candidate names of a system library that loads, for the FFM bindings
 * ({@link Sodium}, {@link OpenSsl}). Null when native access is disabled for this module or no
 * candidate loads; the callers then fall back to pure-Java code.
 */
record NativeLibrary(String name, SymbolLookup lookup) {

    static NativeLibrary load(Class<?> owner, List<String> candidates) {
        if (!owner.getModule().isNativeAccessEnabled()) {
            return null;
        }
        for (String candidate : candidates) {
            try {
                return new NativeLibrary(candidate, SymbolLookup.libraryLookup(candidate, Arena.global()));
            } catch (IllegalArgumentException notFound) {
                // try the next name
            }
        }
        return null;
    }
}
