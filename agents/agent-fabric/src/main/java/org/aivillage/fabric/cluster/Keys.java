package org.aivillage.fabric.cluster;

import org.aivillage.fabric.cluster.Protocol.DeploymentRecord;
import org.aivillage.fabric.cluster.Protocol.NodeRecord;
import org.aivillage.fabric.cluster.Protocol.ReplicaLocation;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;

/** Distributed Data keys of the fabric registry. */
final class Keys {
    static final Key<LWWMap<String, DeploymentRecord>> DEPLOYMENTS = LWWMapKey.create("fabric-deployments");
    static final Key<LWWMap<String, NodeRecord>> NODES = LWWMapKey.create("fabric-nodes");
    static final Key<LWWMap<String, ReplicaLocation>> LOCATIONS = LWWMapKey.create("fabric-replica-locations");

    private Keys() {
    }
}
