package org.aivillage.navigator;

/** A directed link between two nodes, named by their ids. */
public record Link(String from, String to) {
    public Link {
        Checks.nodeId("from", from);
        Checks.nodeId("to", to);
    }

    @Override
    public String toString() {
        return from + "->" + to;
    }
}
