package org.aivillage.dtn;

import java.util.Objects;

/**
 * The primary bundle block (RFC 9171 section 4.3.1). The version is always 7. The fragment
 * fields are meaningful only when {@link BundleFlags#IS_FRAGMENT} is set (they are 0 otherwise).
 */
public record PrimaryBlock(
        long flags,
        CrcType crcType,
        EndpointId destination,
        EndpointId source,
        EndpointId reportTo,
        CreationTimestamp creationTimestamp,
        long lifetimeMillis,
        long fragmentOffset,
        long totalAduLength) {

    public static final int VERSION = 7;

    public PrimaryBlock {
        Objects.requireNonNull(crcType, "crcType");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reportTo, "reportTo");
        Objects.requireNonNull(creationTimestamp, "creationTimestamp");
        if (lifetimeMillis < 0 || fragmentOffset < 0 || totalAduLength < 0) {
            throw new IllegalArgumentException("primary block numbers are unsigned");
        }
        if ((flags & BundleFlags.IS_FRAGMENT) == 0 && (fragmentOffset != 0 || totalAduLength != 0)) {
            throw new IllegalArgumentException("fragment fields set on a bundle that is not a fragment");
        }
    }

    public boolean isFragment() {
        return (flags & BundleFlags.IS_FRAGMENT) != 0;
    }

    public boolean isAdministrativeRecord() {
        return (flags & BundleFlags.ADMINISTRATIVE_RECORD) != 0;
    }

    public boolean hasFlag(long flag) {
        return (flags & flag) == flag;
    }

    public PrimaryBlock withFlags(long newFlags) {
        return new PrimaryBlock(newFlags, crcType, destination, source, reportTo, creationTimestamp, lifetimeMillis,
                fragmentOffset, totalAduLength);
    }

    public PrimaryBlock withCrcType(CrcType type) {
        return new PrimaryBlock(flags, type, destination, source, reportTo, creationTimestamp, lifetimeMillis,
                fragmentOffset, totalAduLength);
    }

    /** A copy marked as the fragment at {@code offset} of an ADU of {@code totalLength} bytes. */
    public PrimaryBlock asFragment(long offset, long totalLength) {
        return new PrimaryBlock(flags | BundleFlags.IS_FRAGMENT, crcType, destination, source, reportTo,
                creationTimestamp, lifetimeMillis, offset, totalLength);
    }

    /** A copy that is not a fragment (for the reassembled bundle). */
    public PrimaryBlock whole() {
        return new PrimaryBlock(flags & ~BundleFlags.IS_FRAGMENT, crcType, destination, source, reportTo,
                creationTimestamp, lifetimeMillis, 0, 0);
    }
}
