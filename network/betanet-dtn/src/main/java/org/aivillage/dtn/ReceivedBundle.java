package org.aivillage.dtn;

/** A bundle delivered to a local endpoint: identity, endpoints, payload and the full decoded bundle. */
public record ReceivedBundle(BundleId id, EndpointId source, EndpointId destination, byte[] payload, int priority,
        boolean deliveryReceiptRequested, Bundle bundle) {

    static ReceivedBundle of(Bundle b) {
        return new ReceivedBundle(b.id(), b.primary().source(), b.primary().destination(), b.payload(), b.priority(),
                b.primary().hasFlag(BundleFlags.REPORT_DELIVERY), b);
    }
}
