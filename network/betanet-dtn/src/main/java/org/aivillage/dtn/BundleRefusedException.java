package org.aivillage.dtn;

import java.io.IOException;

/** The receiving node refused a bundle (TCPCL XFER_REFUSE); {@code reason} is the TCPCL reason code. */
public class BundleRefusedException extends IOException {
    /** TCPCLv4 XFER_REFUSE reason codes (RFC 9174 section 5.2.4). */
    public static final int UNKNOWN = 0x00;
    public static final int COMPLETED = 0x01;
    public static final int NO_RESOURCES = 0x02;
    public static final int RETRANSMIT = 0x03;
    public static final int NOT_ACCEPTABLE = 0x04;
    public static final int EXTENSION_FAILURE = 0x05;
    public static final int SESSION_TERMINATING = 0x06;

    private final int reason;

    public BundleRefusedException(int reason, String message) {
        super(message);
        this.reason = reason;
    }

    public int reason() {
        return reason;
    }
}
