package org.aivillage.fabric;

import java.util.HexFormat;
import java.util.regex.Pattern;
import org.aivillage.betanet.crypto.Randomness;

/** The identity of a deployed agent: its name and a random suffix, e.g. {@code summarizer-3f9a0c1e}. */
public record AgentId(String value) {
    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9._-]{1,64}-[0-9a-f]{8}");

    public AgentId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("agent id must look like NAME-xxxxxxxx (8 hex digits), got "
                    + (value == null ? "null" : "\"" + value + "\""));
        }
    }

    /** A fresh id for an agent named {@code name}. */
    public static AgentId newId(String name) {
        return new AgentId(name + "-" + HexFormat.of().formatHex(Randomness.bytes(4)));
    }

    /** Parses an id as printed by {@link #toString()}. */
    public static AgentId parse(String value) {
        return new AgentId(value);
    }

    /** The agent name part. */
    public String name() {
        return value.substring(0, value.length() - 9);
    }

    @Override
    public String toString() {
        return value;
    }
}
