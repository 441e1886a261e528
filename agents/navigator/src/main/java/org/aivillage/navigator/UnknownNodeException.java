package org.aivillage.navigator;

/** A request named a node (or a link between nodes) that the topology does not hold. */
public final class UnknownNodeException extends IllegalArgumentException {
    private final String node;

    public UnknownNodeException(String field, String node) {
        super(field + ": unknown node '" + node + "'");
        this.node = node;
    }

    /** The id that was not found. */
    public String node() {
        return node;
    }
}
