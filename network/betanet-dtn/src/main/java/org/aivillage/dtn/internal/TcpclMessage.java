package org.aivillage.dtn.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.aivillage.betanet.codec.CodecException;

/** TCPCLv4 messages (RFC 9174 section 5) with their reader and writer. */
public sealed interface TcpclMessage {
    int XFER_SEGMENT = 0x01;
    int XFER_ACK = 0x02;
    int XFER_REFUSE = 0x03;
    int KEEPALIVE = 0x04;
    int SESS_TERM = 0x05;
    int MSG_REJECT = 0x06;
    int SESS_INIT = 0x07;

    int FLAG_END = 0x01;
    int FLAG_START = 0x02;
    int TERM_REPLY = 0x01;

    byte[] MAGIC = {'d', 't', 'n', '!'};
    int VERSION = 4;
    int CAN_TLS = 0x01;

    /** A session or transfer extension item; {@code critical} unknown items fail the session/transfer. */
    record Extension(boolean critical, int type, byte[] value) {}

    record SessInit(int keepaliveSeconds, long segmentMru, long transferMru, String nodeId, boolean hasCriticalExtension)
            implements TcpclMessage {}

    record XferSegment(int flags, long transferId, boolean hasCriticalExtension, byte[] data, int offset, int length)
            implements TcpclMessage {
        public boolean start() {
            return (flags & FLAG_START) != 0;
        }

        public boolean end() {
            return (flags & FLAG_END) != 0;
        }
    }

    record XferAck(int flags, long transferId, long ackLength) implements TcpclMessage {}

    record XferRefuse(int reason, long transferId) implements TcpclMessage {}

    record Keepalive() implements TcpclMessage {}

    record SessTerm(int flags, int reason) implements TcpclMessage {}

    record MsgReject(int reason, int rejectedType) implements TcpclMessage {}

    /** Reads the 6-byte contact header; returns its flags. */
    static int readContactHeader(DataInputStream in) throws IOException {
        byte[] h = new byte[6];
        in.readFully(h);
        for (int i = 0; i < 4; i++) {
            if (h[i] != MAGIC[i]) {
                throw new CodecException("contactHeader.magic", i, "not a TCPCL contact header");
            }
        }
        if (h[4] != VERSION) {
            throw new CodecException("contactHeader.version", 4, "TCPCL version " + h[4] + ", expected 4");
        }
        return h[5] & 0xff;
    }

    static void writeContactHeader(DataOutputStream out, int flags) throws IOException {
        out.write(MAGIC);
        out.write(VERSION);
        out.write(flags);
        out.flush();
    }

    /**
     * Reads one message. Lengths are checked against {@code segmentMru} before any buffer is
     * allocated. Throws {@link CodecException} for malformed input, EOFException at a clean end.
     */
    static TcpclMessage read(DataInputStream in, long segmentMru) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("session closed");
        }
        return switch (type) {
            case XFER_SEGMENT -> {
                int flags = in.readUnsignedByte();
                long id = in.readLong();
                boolean critical = false;
                if ((flags & FLAG_START) != 0) {
                    critical = skipExtensions(in, in.readInt() & 0xffffffffL, "transferExtensions");
                }
                long len = in.readLong();
                if (len < 0 || len > segmentMru) {
                    throw new CodecException("xferSegment.length", 0, "segment of " + len + " bytes exceeds the MRU "
                            + segmentMru);
                }
                byte[] data = new byte[(int) len];
                in.readFully(data);
                yield new XferSegment(flags, id, critical, data, 0, data.length);
            }
            case XFER_ACK -> new XferAck(in.readUnsignedByte(), in.readLong(), in.readLong());
            case XFER_REFUSE -> new XferRefuse(in.readUnsignedByte(), in.readLong());
            case KEEPALIVE -> new Keepalive();
            case SESS_TERM -> new SessTerm(in.readUnsignedByte(), in.readUnsignedByte());
            case MSG_REJECT -> new MsgReject(in.readUnsignedByte(), in.readUnsignedByte());
            case SESS_INIT -> {
                int keepalive = in.readUnsignedShort();
                long segMru = in.readLong();
                long xferMru = in.readLong();
                int idLen = in.readUnsignedShort();
                byte[] id = new byte[idLen];
                in.readFully(id);
                boolean critical = skipExtensions(in, in.readInt() & 0xffffffffL, "sessionExtensions");
                yield new SessInit(keepalive, segMru, xferMru, new String(id, StandardCharsets.UTF_8), critical);
            }
            default -> throw new CodecException("message.type", 0, "unknown TCPCL message type " + type);
        };
    }

    /** Skips extension items; returns whether any was flagged critical (none are understood here). */
    private static boolean skipExtensions(DataInputStream in, long total, String field) throws IOException {
        if (total > 65_536) {
            throw new CodecException(field, 0, "extension items of " + total + " bytes");
        }
        boolean critical = false;
        long left = total;
        while (left > 0) {
            if (left < 5) {
                throw new CodecException(field, total - left, "truncated extension item");
            }
            int flags = in.readUnsignedByte();
            in.readUnsignedShort();
            int len = in.readUnsignedShort();
            left -= 5;
            if (len > left) {
                throw new CodecException(field, total - left, "extension item overruns the items length");
            }
            in.skipNBytes(len);
            left -= len;
            critical |= (flags & 0x01) != 0;
        }
        return critical;
    }

    static void writeSessInit(DataOutputStream out, int keepalive, long segMru, long xferMru, String nodeId)
            throws IOException {
        byte[] id = nodeId.getBytes(StandardCharsets.UTF_8);
        out.write(SESS_INIT);
        out.writeShort(keepalive);
        out.writeLong(segMru);
        out.writeLong(xferMru);
        out.writeShort(id.length);
        out.write(id);
        out.writeInt(0);
    }

    static void writeSegment(DataOutputStream out, int flags, long id, byte[] data, int off, int len) throws IOException {
        out.write(XFER_SEGMENT);
        out.write(flags);
        out.writeLong(id);
        if ((flags & FLAG_START) != 0) {
            out.writeInt(0);
        }
        out.writeLong(len);
        out.write(data, off, len);
    }

    static void writeAck(DataOutputStream out, int flags, long id, long length) throws IOException {
        out.write(XFER_ACK);
        out.write(flags);
        out.writeLong(id);
        out.writeLong(length);
    }

    static void writeRefuse(DataOutputStream out, int reason, long id) throws IOException {
        out.write(XFER_REFUSE);
        out.write(reason);
        out.writeLong(id);
    }

    static void writeTerm(DataOutputStream out, int flags, int reason) throws IOException {
        out.write(SESS_TERM);
        out.write(flags);
        out.write(reason);
    }
}
