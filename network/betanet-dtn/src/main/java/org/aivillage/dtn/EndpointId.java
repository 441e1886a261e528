package org.aivillage.dtn;

import java.util.Locale;

/**
 * A bundle endpoint identifier (RFC 9171 section 4.2.5): {@code dtn://node/service}, the null
 * endpoint {@code dtn:none}, or {@code ipn:node.service}. Parsing is strict; {@link #toString()}
 * gives the URI form back.
 */
public sealed interface EndpointId permits EndpointId.Dtn, EndpointId.Ipn {

    /** URI scheme code of the dtn scheme on the wire. */
    int SCHEME_DTN = 1;
    /** URI scheme code of the ipn scheme on the wire. */
    int SCHEME_IPN = 2;

    /** The null endpoint {@code dtn:none}. */
    Dtn NONE = new Dtn("none");

    /**
     * A dtn-scheme endpoint. {@code ssp} is the scheme-specific part after {@code dtn:}: either
     * {@code none} or {@code //node-name/demux}.
     */
    record Dtn(String ssp) implements EndpointId {
        public Dtn {
            if (!ssp.equals("none")) {
                if (!ssp.startsWith("//") || ssp.length() < 3) {
                    throw new IllegalArgumentException("dtn endpoint must be dtn:none or dtn://node/...: dtn:" + ssp);
                }
                int slash = ssp.indexOf('/', 2);
                if (slash == 2) {
                    throw new IllegalArgumentException("dtn endpoint has an empty node name: dtn:" + ssp);
                }
            }
        }

        public boolean isNone() {
            return ssp.equals("none");
        }

        /** The node name between {@code //} and the next {@code /}. */
        public String nodeName() {
            if (isNone()) {
                return "";
            }
            int slash = ssp.indexOf('/', 2);
            return slash < 0 ? ssp.substring(2) : ssp.substring(2, slash);
        }

        /** The demux part after the node name (without the leading slash), may be empty. */
        public String demux() {
            if (isNone()) {
                return "";
            }
            int slash = ssp.indexOf('/', 2);
            return slash < 0 ? "" : ssp.substring(slash + 1);
        }

        @Override
        public EndpointId node() {
            return isNone() ? this : new Dtn("//" + nodeName() + "/");
        }

        @Override
        public String toString() {
            return "dtn:" + ssp;
        }
    }

    /** An ipn-scheme endpoint {@code ipn:node.service}; service 0 names the node itself. */
    record Ipn(long nodeNumber, long serviceNumber) implements EndpointId {
        public Ipn {
            if (nodeNumber < 0 || serviceNumber < 0) {
                throw new IllegalArgumentException("ipn numbers are unsigned: " + nodeNumber + "." + serviceNumber);
            }
        }

        @Override
        public EndpointId node() {
            return new Ipn(nodeNumber, 0);
        }

        @Override
        public String toString() {
            return "ipn:" + nodeNumber + "." + serviceNumber;
        }
    }

    /** The node endpoint this endpoint belongs to ({@code dtn://n/} or {@code ipn:n.0}). */
    EndpointId node();

    /** Whether this endpoint is served by the node whose node ID is {@code nodeId}. */
    default boolean isOnNode(EndpointId nodeId) {
        return node().equals(nodeId.node());
    }

    /** Parses {@code dtn:none}, {@code dtn://node/demux} or {@code ipn:N.S}. */
    static EndpointId parse(String text) {
        String t = text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("dtn:")) {
            return new Dtn(t.substring(4));
        }
        if (lower.startsWith("ipn:")) {
            String rest = t.substring(4);
            int dot = rest.indexOf('.');
            if (dot <= 0 || dot == rest.length() - 1) {
                throw new IllegalArgumentException("ipn endpoint must be ipn:node.service: " + text);
            }
            try {
                return new Ipn(Long.parseLong(rest.substring(0, dot)), Long.parseLong(rest.substring(dot + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ipn endpoint must be ipn:node.service: " + text);
            }
        }
        throw new IllegalArgumentException("unknown endpoint scheme (dtn: or ipn:): " + text);
    }

    static Dtn dtn(String node, String demux) {
        return new Dtn("//" + node + "/" + demux);
    }

    static Ipn ipn(long node, long service) {
        return new Ipn(node, service);
    }
}
