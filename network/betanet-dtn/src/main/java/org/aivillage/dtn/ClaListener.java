package org.aivillage.dtn;

import java.util.concurrent.CompletionStage;

/** Receives link events and bundles from convergence layers (the node implements it). */
public interface ClaListener {

    /** A link came up (handshake done); the peer's node ID is known. */
    void linkUp(ClaLink link);

    /** A link went down; transmissions still in flight on it have failed. */
    void linkDown(ClaLink link);

    /**
     * A complete bundle arrived on {@code link}. The stage completes once the bundle is durably
     * accepted (then a reliable layer acknowledges it to the neighbour) or completes exceptionally
     * with {@link BundleRefusedException} (then the layer refuses the transfer).
     */
    CompletionStage<Void> bundleReceived(ClaLink link, byte[] bundle);
}
