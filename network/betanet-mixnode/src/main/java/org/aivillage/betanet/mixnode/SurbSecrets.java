package org.aivillage.betanet.mixnode;

import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.aivillage.betanet.crypto.ConstantTime;

/**
 * What the creator of a SURB keeps to open the reply: the SURB's id, the per-hop payload keys of its
 * route and the SURB payload key. Secret: never logged; {@link #destroy()} wipes it.
 */
public final class SurbSecrets implements Destroyable {
    private final RouteId surbId;
    private final byte[][] hopPayloadKeys;
    private final byte[] payloadKey;
    private volatile boolean destroyed;

    SurbSecrets(RouteId surbId, byte[][] hopPayloadKeys, byte[] payloadKey) {
        this.surbId = surbId;
        this.hopPayloadKeys = hopPayloadKeys;
        this.payloadKey = payloadKey;
    }

    public RouteId surbId() {
        return surbId;
    }

    public int hops() {
        return hopPayloadKeys.length;
    }

    byte[][] hopPayloadKeys() {
        return hopPayloadKeys;
    }

    byte[] payloadKey() {
        return payloadKey;
    }

    @Override
    public void destroy() {
        destroyed = true;
        for (byte[] k : hopPayloadKeys) {
            ConstantTime.wipe(k);
        }
        ConstantTime.wipe(payloadKey);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "SurbSecrets[" + surbId + ", hops=" + hopPayloadKeys.length + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SurbSecrets s && surbId.equals(s.surbId) && Arrays.deepEquals(hopPayloadKeys, s.hopPayloadKeys);
    }

    @Override
    public int hashCode() {
        return surbId.hashCode();
    }
}
