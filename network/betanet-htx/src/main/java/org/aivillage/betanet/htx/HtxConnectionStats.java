package org.aivillage.betanet.htx;

/**
 * Counters of one connection.
 *
 * @param rekeysSent key switches of the sending direction
 * @param rekeysReceived key switches of the receiving direction
 * @param emulationFramesSent PING/PADDING/PRIORITY frames sent by behaviour emulation
 */
public record HtxConnectionStats(long streamsOpened, long streamsAccepted, long bytesSent, long bytesReceived,
        long framesSent, long framesReceived, long rekeysSent, long rekeysReceived, long emulationFramesSent,
        long paddingFramesReceived) {}
