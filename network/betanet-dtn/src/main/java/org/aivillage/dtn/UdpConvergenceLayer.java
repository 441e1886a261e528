package org.aivillage.dtn;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP convergence layer for small bundles: one encoded bundle per datagram, no handshake and no
 * acknowledgement (links are unreliable; the node keeps custody until the bundle expires or a
 * reliable path delivers it). Bundles larger than {@link #MAX_BUNDLE} are fragmented by the node
 * first. Outgoing links need the neighbour's node ID ({@code expectedPeer}); incoming datagrams
 * are reported on a per-sender link whose peer is {@code dtn:none} until an outgoing link to the
 * same address names it.
 */
public final class UdpConvergenceLayer implements ConvergenceLayer {
    private static final Logger LOG = LoggerFactory.getLogger(UdpConvergenceLayer.class);
    /** Largest bundle sent in one datagram (fits an IPv4 UDP payload). */
    public static final int MAX_BUNDLE = 65_000;

    private final InetAddress bindAddress;
    private final int port;
    private final Map<SocketAddress, UdpLink> links = new ConcurrentHashMap<>();
    private volatile DatagramSocket socket;
    private volatile ClaListener listener;
    private volatile boolean closed;

    public UdpConvergenceLayer(InetAddress bindAddress, int port) {
        this.bindAddress = bindAddress;
        this.port = port;
    }

    @Override
    public String scheme() {
        return "udpcl";
    }

    @Override
    public void start(ClaListener l) throws IOException {
        listener = l;
        socket = new DatagramSocket(new InetSocketAddress(bindAddress, Math.max(port, 0)));
        socket.setReceiveBufferSize(4 << 20);
        Thread.ofVirtual().name("udpcl-receive").start(this::receiveLoop);
    }

    @Override
    public String localAddress() {
        DatagramSocket s = socket;
        return s == null ? null : s.getLocalAddress().getHostAddress() + ":" + s.getLocalPort();
    }

    public int port() {
        DatagramSocket s = socket;
        return s == null ? -1 : s.getLocalPort();
    }

    private void receiveLoop() {
        byte[] buf = new byte[MAX_BUNDLE + 1024];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("UDPCL receive failed: {}", e.getMessage());
                }
                return;
            }
            byte[] data = java.util.Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
            UdpLink link = links.computeIfAbsent(p.getSocketAddress(), a -> new UdpLink(a, EndpointId.NONE));
            listener.bundleReceived(link, data);
        }
    }

    @Override
    public ClaLink connect(String address, EndpointId expectedPeer, Duration timeout) throws IOException {
        if (expectedPeer == null) {
            throw new IOException("a UDP link needs the neighbour's node ID");
        }
        int colon = address.lastIndexOf(':');
        InetSocketAddress a = new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        UdpLink link = new UdpLink(a, expectedPeer.node());
        links.put(a, link);
        listener.linkUp(link);
        return link;
    }

    @Override
    public void close() {
        closed = true;
        DatagramSocket s = socket;
        if (s != null) {
            s.close();
        }
        for (UdpLink l : links.values()) {
            l.close();
        }
    }

    private final class UdpLink implements ClaLink {
        private final SocketAddress address;
        private final EndpointId peer;
        private volatile boolean open = true;

        UdpLink(SocketAddress address, EndpointId peer) {
            this.address = address;
            this.peer = peer;
        }

        @Override
        public EndpointId peerNodeId() {
            return peer;
        }

        @Override
        public String scheme() {
            return "udpcl";
        }

        @Override
        public String remoteAddress() {
            return address.toString();
        }

        @Override
        public boolean isOpen() {
            return open && !closed;
        }

        @Override
        public boolean reliable() {
            return false;
        }

        @Override
        public long maxBundleSize() {
            return MAX_BUNDLE;
        }

        @Override
        public CompletableFuture<Void> transmit(byte[] bundle) throws IOException {
            if (bundle.length > MAX_BUNDLE) {
                throw new BundleRefusedException(BundleRefusedException.NOT_ACCEPTABLE, "bundle too large for one datagram");
            }
            socket.send(new DatagramPacket(bundle, bundle.length, address));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                links.remove(address, this);
                if (peer != EndpointId.NONE) {
                    listener.linkDown(this);
                }
            }
        }

        @Override
        public String toString() {
            return "udpcl:" + peer + "@" + address;
        }
    }
}
