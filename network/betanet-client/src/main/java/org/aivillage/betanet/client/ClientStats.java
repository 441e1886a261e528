package org.aivillage.betanet.client;

/** Client counters: packets sent, retries, cover traffic sent and loops that came back. */
public record ClientStats(long packetsSent, long retries, long repliesReceived, long loopsSent, long loopsReturned,
                          long dropsSent, long undecryptable) {}
