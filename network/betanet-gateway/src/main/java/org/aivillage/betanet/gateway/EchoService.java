package org.aivillage.betanet.gateway;

/** Returns the request unchanged. */
public final class EchoService implements MixService {
    @Override
    public byte[] handle(byte[] request) {
        return request.clone();
    }
}
