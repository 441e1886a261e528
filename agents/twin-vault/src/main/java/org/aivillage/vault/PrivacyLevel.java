package org.aivillage.vault;

/** How sensitive a twin is; stored with every version and bound into its encryption. */
public enum PrivacyLevel {
    PUBLIC,
    PRIVATE,
    CONFIDENTIAL,
    SECRET;

    /** The level for its wire/storage code (its ordinal); throws IllegalArgumentException when unknown. */
    public static PrivacyLevel ofCode(long code) {
        PrivacyLevel[] all = values();
        if (code < 0 || code >= all.length) {
            throw new IllegalArgumentException("unknown privacy level code " + code);
        }
        return all[(int) code];
    }

    public int code() {
        return ordinal();
    }
}
