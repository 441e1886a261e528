package org.aivillage.betanet.utls.support;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes a libpcap file (LINKTYPE_RAW IPv4) holding one TCP connection per payload: the three-way
 * handshake, then the payload from client port to server port 443, so dissectors see normal TLS.
 */
public final class Pcap {
    private Pcap() {}

    public static byte[] tlsClientStreams(List<byte[]> payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer gh = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        gh.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(101);
        out.writeBytes(gh.array());
        int clientPort = 40000;
        int t = 1;
        for (byte[] payload : payloads) {
            clientPort++;
            long cseq = 1000;
            long sseq = 5000;
            packet(out, t++, true, clientPort, cseq, 0, 0x02, new byte[0]);
            packet(out, t++, false, clientPort, sseq, cseq + 1, 0x12, new byte[0]);
            packet(out, t++, true, clientPort, cseq + 1, sseq + 1, 0x10, new byte[0]);
            packet(out, t++, true, clientPort, cseq + 1, sseq + 1, 0x18, payload);
        }
        return out.toByteArray();
    }

    private static void packet(ByteArrayOutputStream out, int time, boolean fromClient, int clientPort, long seq, long ack,
            int flags, byte[] payload) {
        int len = 20 + 20 + payload.length;
        ByteBuffer p = ByteBuffer.allocate(len).order(ByteOrder.BIG_ENDIAN);
        p.put((byte) 0x45).put((byte) 0).putShort((short) len).putShort((short) time).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0);
        byte[] client = {10, 0, 0, 1};
        byte[] server = {10, 0, 0, 2};
        p.put(fromClient ? client : server).put(fromClient ? server : client);
        int ipSum = checksum(p.array(), 0, 20);
        p.putShort(10, (short) ipSum);
        p.putShort((short) (fromClient ? clientPort : 443)).putShort((short) (fromClient ? 443 : clientPort));
        p.putInt((int) seq).putInt((int) ack).put((byte) 0x50).put((byte) flags).putShort((short) 65535)
                .putShort((short) 0).putShort((short) 0);
        p.put(payload);
        ByteBuffer rh = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        rh.putInt(1_700_000_000 + time).putInt(0).putInt(len).putInt(len);
        out.writeBytes(rh.array());
        out.writeBytes(p.array());
    }

    private static int checksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = off; i < off + len; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }
}
