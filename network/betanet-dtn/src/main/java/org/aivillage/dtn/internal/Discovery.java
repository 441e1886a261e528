package org.aivillage.dtn.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.aivillage.betanet.codec.CborEncoder;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.dtn.EndpointId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IPND-style neighbour discovery: every interval the node multicasts a small CBOR beacon
 * {@code [1, node ID, TCPCL port, sequence, period ms]} and listens for its neighbours' beacons;
 * each beacon from another node is reported with the sender's {@code address:port}.
 */
public final class Discovery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);
    private static final int VERSION = 1;

    private final EndpointId self;
    private final InetSocketAddress group;
    private final NetworkInterface nif;
    private final Duration interval;
    private final int tcpclPort;
    private final BiConsumer<EndpointId, String> found;
    private MulticastSocket socket;
    private volatile boolean closed;
    private long sequence;

    public Discovery(EndpointId self, String groupAndPort, String interfaceName, Duration interval, int tcpclPort,
            BiConsumer<EndpointId, String> found) throws IOException {
        this.self = self.node();
        int colon = groupAndPort.lastIndexOf(':');
        this.group = new InetSocketAddress(InetAddress.getByName(groupAndPort.substring(0, colon)),
                Integer.parseInt(groupAndPort.substring(colon + 1)));
        this.nif = interfaceName == null ? null : NetworkInterface.getByName(interfaceName);
        if (interfaceName != null && nif == null) {
            throw new IOException("no network interface " + interfaceName);
        }
        this.interval = interval;
        this.tcpclPort = tcpclPort;
        this.found = found;
    }

    public void start() throws IOException {
        socket = new MulticastSocket(group.getPort());
        socket.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
        socket.setTimeToLive(1);
        if (nif != null) {
            socket.setNetworkInterface(nif);
        }
        socket.joinGroup(group, nif);
        Thread.ofVirtual().name("dtn-discovery-rx").start(this::receiveLoop);
        Thread.ofVirtual().name("dtn-discovery-tx").start(this::beaconLoop);
    }

    public static byte[] encodeBeacon(EndpointId node, int port, long seq, long periodMillis) {
        CborEncoder e = new CborEncoder(false);
        CborOut.array(e, 5);
        CborOut.uint(e, VERSION);
        CborOut.text(e, node.toString());
        CborOut.uint(e, port);
        CborOut.uint(e, seq);
        CborOut.uint(e, periodMillis);
        return e.toByteArray();
    }

    /** A decoded beacon: node ID and TCPCL port. */
    public record Beacon(EndpointId node, int port, long sequence, long periodMillis) {}

    public static Beacon decodeBeacon(byte[] in, int len) throws CodecException {
        Cursor c = new Cursor(in, 0, len);
        if (c.arrayHead("beacon") != 5) {
            throw c.error("beacon", 0, "a beacon is a 5-element array");
        }
        if (c.uint("beacon.version") != VERSION) {
            throw c.error("beacon.version", 1, "unsupported beacon version");
        }
        int at = c.position();
        if (!(c.any("beacon.node") instanceof org.aivillage.betanet.codec.CborValue.TextString t)) {
            throw c.error("beacon.node", at, "node ID must be text");
        }
        EndpointId node;
        try {
            node = EndpointId.parse(t.text());
        } catch (IllegalArgumentException e) {
            throw c.error("beacon.node", at, "not an endpoint ID");
        }
        long port = c.uint("beacon.port");
        if (port > 65_535) {
            throw c.error("beacon.port", at, "port out of range");
        }
        return new Beacon(node, (int) port, c.uint("beacon.sequence"), c.uint("beacon.period"));
    }

    private void beaconLoop() {
        while (!closed) {
            byte[] b = encodeBeacon(self, tcpclPort, sequence++, interval.toMillis());
            try {
                socket.send(new DatagramPacket(b, b.length, group));
            } catch (IOException e) {
                if (!closed) {
                    LOG.debug("beacon send failed: {}", e.getMessage());
                }
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void receiveLoop() {
        byte[] buf = new byte[1024];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                Beacon b = decodeBeacon(p.getData(), p.getLength());
                if (!b.node().node().equals(self)) {
                    found.accept(b.node().node(), p.getAddress().getHostAddress() + ":" + b.port());
                }
            } catch (CodecException e) {
                LOG.debug("ignoring malformed beacon: {}", e.getMessage());
            } catch (IOException e) {
                if (!closed) {
                    LOG.debug("beacon receive failed: {}", e.getMessage());
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (socket != null) {
            socket.close();
        }
    }
}
