package org.aivillage.betanet.gateway;

/**
 * A service behind a gateway: takes the reassembled request a client sent through the mixnet and
 * returns the response that goes back through the client's SURBs. Called on a virtual thread; may
 * block (bounded by the gateway's service timeout).
 */
@FunctionalInterface
public interface MixService {
    byte[] handle(byte[] request) throws Exception;
}
