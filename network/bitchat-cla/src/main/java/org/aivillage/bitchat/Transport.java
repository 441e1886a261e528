package org.aivillage.bitchat;

import java.io.IOException;
import java.util.Collection;

/**
 * A link layer that carries encoded BitChat packets ("frames") to direct neighbours. BitChat itself
 * runs over BLE (each phone is central and peripheral); this project ships TCP links to configured
 * peers, UDP multicast on the LAN and an in-memory link with loss and latency for simulation
 * ({@code org.aivillage.bitchat.transport}, {@code org.aivillage.bitchat.sim}). A BLE transport
 * would implement this interface too.
 *
 * <p>Contract: {@link #broadcast} and {@link #send} never block on the network; a transport queues
 * (boundedly) or drops. Frames are whole packets (the mesh layer fragments anything larger than its
 * frame limit). Listener callbacks may come from any thread.
 */
public interface Transport extends AutoCloseable {

    /** Receives what the transport hears. */
    interface Listener {
        void onFrame(Transport transport, Neighbor from, byte[] frame);

        default void onNeighborUp(Transport transport, Neighbor neighbor) {
        }

        default void onNeighborDown(Transport transport, Neighbor neighbor) {
        }
    }

    /** A short unique name ("tcp", "udp-multicast", "mem-7"). */
    String name();

    /** Starts listening/connecting; frames go to {@code listener} from then on. */
    void start(Listener listener) throws IOException;

    /** Sends {@code frame} to every neighbour of this transport except {@code except} (may be null). */
    void broadcast(byte[] frame, Neighbor except);

    /** Sends {@code frame} to one neighbour (a multicast transport may reach others too). */
    void send(Neighbor to, byte[] frame);

    /** The neighbours currently reachable. */
    Collection<Neighbor> neighbors();

    /** Stops the transport and releases its sockets and threads. Idempotent. */
    @Override
    void close();
}
