package org.aivillage.fabric.cluster;

/** Marker of everything the fabric sends between nodes or stores in Distributed Data: serialised with Jackson CBOR. */
public interface ClusterMessage {
}
