package org.aivillage.vault;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What an access grant may allow on a twin. Owners may always do all of them. */
public enum Operation {
    READ,
    UPDATE,
    DELETE,
    SHARE;

    public int bit() {
        return 1 << ordinal();
    }

    public static int mask(Set<Operation> ops) {
        int m = 0;
        for (Operation op : ops) {
            m |= op.bit();
        }
        return m;
    }

    public static Set<Operation> fromMask(int mask) {
        EnumSet<Operation> s = EnumSet.noneOf(Operation.class);
        for (Operation op : values()) {
            if ((mask & op.bit()) != 0) {
                s.add(op);
            }
        }
        return s;
    }

    /** Parses "read", "UPDATE", ... (case-insensitive). */
    public static Operation parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown operation '" + s + "' (expected read, update, delete or share)");
        }
    }
}
