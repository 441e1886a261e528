package org.aivillage.bitchat;

import java.util.Objects;

/**
 * A directly reachable link endpoint of one transport: a TCP connection, a UDP source address, an
 * in-memory link (a BLE central or peripheral would be one too).
 *
 * @param transport the {@link Transport#name()} it belongs to
 * @param address a transport-specific address, unique within the transport
 */
public record Neighbor(String transport, String address) {
    public Neighbor {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
    }

    @Override
    public String toString() {
        return transport + ":" + address;
    }
}
