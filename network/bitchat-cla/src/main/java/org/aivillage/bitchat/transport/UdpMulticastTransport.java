package org.aivillage.bitchat.transport;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.aivillage.bitchat.Neighbor;
import org.aivillage.bitchat.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP multicast on the local network: every frame goes to the group as one datagram, so everybody on
 * the LAN segment hears it (BitChat's BLE broadcast has the same shape). Frames are received on a
 * socket bound to the group port and sent from a second socket on an ephemeral port, so each node
 * has a distinct source address: that address is its {@link Neighbor}, kept while datagrams keep
 * arriving ({@code neighborTimeout}). The node's own datagrams, which the multicast loop returns,
 * are recognised by source address and dropped. Unicast {@link #send} also goes to the group.
 */
public final class UdpMulticastTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(UdpMulticastTransport.class);
    /** Largest datagram payload over IPv4. */
    public static final int MAX_DATAGRAM = 65_507;

    private final String name;
    private final InetSocketAddress group;
    private final String interfaceName;
    private final Duration neighborTimeout;
    private final Map<Neighbor, Long> lastHeard = new ConcurrentHashMap<>();
    private final AtomicLong sendErrors = new AtomicLong();
    private volatile Listener listener;
    private volatile boolean closed;
    private DatagramChannel receiver;
    private DatagramChannel sender;
    private MembershipKey membership;
    private SocketAddress ownAddress;
    private NetworkInterface networkInterface;
    private Thread readerThread;

    /**
     * @param group the multicast group and port
     * @param interfaceName network interface to use, or null to pick the first up, multicast-capable,
     *     non-loopback interface with IPv4 (else the loopback interface)
     * @param neighborTimeout how long a silent source still counts as a neighbour
     */
    public UdpMulticastTransport(InetSocketAddress group, String interfaceName, Duration neighborTimeout) {
        this.name = "udp-multicast";
        this.group = Objects.requireNonNull(group);
        if (group.getAddress() == null || !group.getAddress().isMulticastAddress()) {
            throw new IllegalArgumentException(group + " is not a multicast group");
        }
        this.interfaceName = interfaceName;
        this.neighborTimeout = neighborTimeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void start(Listener l) throws IOException {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        networkInterface = chooseInterface(interfaceName);
        InetAddress local = ipv4(networkInterface);
        try {
            receiver = DatagramChannel.open(StandardProtocolFamily.INET);
            receiver.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            receiver.bind(new InetSocketAddress(group.getPort()));
            membership = receiver.join(group.getAddress(), networkInterface);
            sender = DatagramChannel.open(StandardProtocolFamily.INET);
            sender.setOption(StandardSocketOptions.IP_MULTICAST_IF, networkInterface);
            sender.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            sender.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1);
            sender.bind(new InetSocketAddress(local, 0));
            ownAddress = sender.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            closeChannels();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        listener = Objects.requireNonNull(l);
        readerThread = Thread.ofVirtual().name("bitchat-udp-multicast").start(this::readLoop);
        LOG.atInfo().setMessage("udp multicast joined").addKeyValue("group", group)
                .addKeyValue("interface", networkInterface.getName()).addKeyValue("source", ownAddress).log();
    }

    /** The interface in use (after {@link #start}). */
    public NetworkInterface networkInterface() {
        return networkInterface;
    }

    /** The address this node sends from. */
    public SocketAddress sourceAddress() {
        return ownAddress;
    }

    @Override
    public void broadcast(byte[] frame, Neighbor except) {
        DatagramChannel s = sender;
        if (s == null || closed) {
            return;
        }
        if (frame.length > MAX_DATAGRAM) {
            sendErrors.incrementAndGet();
            return;
        }
        try {
            s.send(ByteBuffer.wrap(frame), group);
        } catch (IOException e) {
            sendErrors.incrementAndGet();
            LOG.atDebug().setMessage("multicast send failed").addKeyValue("error", e.toString()).log();
        }
    }

    @Override
    public void send(Neighbor to, byte[] frame) {
        broadcast(frame, null);
    }

    @Override
    public Collection<Neighbor> neighbors() {
        long now = System.nanoTime();
        List<Neighbor> out = new ArrayList<>();
        List<Neighbor> expired = new ArrayList<>();
        for (Map.Entry<Neighbor, Long> e : lastHeard.entrySet()) {
            if (now - e.getValue() <= neighborTimeout.toNanos()) {
                out.add(e.getKey());
            } else {
                expired.add(e.getKey());
            }
        }
        for (Neighbor n : expired) {
            if (lastHeard.remove(n) != null && listener != null) {
                listener.onNeighborDown(this, n);
            }
        }
        return Collections.unmodifiableList(out);
    }

    public long sendErrors() {
        return sendErrors.get();
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM + 1);
        while (!closed) {
            SocketAddress from;
            try {
                buf.clear();
                from = receiver.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("multicast receive failed", e);
                }
                return;
            }
            if (from == null || from.equals(ownAddress)) {
                continue;
            }
            buf.flip();
            byte[] frame = new byte[buf.remaining()];
            buf.get(frame);
            Neighbor n = new Neighbor(name, addressText(from));
            if (lastHeard.put(n, System.nanoTime()) == null) {
                listener.onNeighborUp(this, n);
            }
            listener.onFrame(this, n, frame);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closeChannels();
        if (readerThread != null) {
            try {
                readerThread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeChannels() {
        try {
            if (membership != null) {
                membership.drop();
            }
        } catch (RuntimeException e) {
            LOG.debug("drop membership", e);
        }
        for (DatagramChannel c : new DatagramChannel[] {receiver, sender}) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException e) {
                    LOG.debug("close channel", e);
                }
            }
        }
    }

    private static String addressText(SocketAddress a) {
        return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() + ":" + i.getPort() : a.toString();
    }

    static NetworkInterface chooseInterface(String name) throws IOException {
        if (name != null) {
            NetworkInterface ni = NetworkInterface.getByName(name);
            if (ni == null || !ni.isUp()) {
                throw new SocketException("network interface " + name + " not found or down");
            }
            return ni;
        }
        NetworkInterface loopback = null;
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ipv4OrNull(ni) == null) {
                continue;
            }
            if (ni.isLoopback()) {
                loopback = ni;
            } else if (ni.supportsMulticast()) {
                return ni;
            }
        }
        if (loopback == null) {
            throw new SocketException("no usable network interface for multicast");
        }
        return loopback;
    }

    private static InetAddress ipv4(NetworkInterface ni) throws SocketException {
        InetAddress a = ipv4OrNull(ni);
        if (a == null) {
            throw new SocketException("interface " + ni.getName() + " has no IPv4 address");
        }
        return a;
    }

    private static InetAddress ipv4OrNull(NetworkInterface ni) {
        return ni.inetAddresses().filter(Inet4Address.class::isInstance).findFirst().orElse(null);
    }
}
