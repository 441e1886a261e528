package org.aivillage.betanet.mixnode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where a node or client gets its topology: the signed document, verified against the configured
 * authority key and refused when unsigned, wrongly signed or stale.
 */
public sealed interface TopologySource {

    /** Fetches and verifies the current topology. */
    default Topology fetch(byte[] authorityPublicKey, Clock clock, Duration timeout) throws IOException, TopologyException {
        return fetchVerified(authorityPublicKey, clock, timeout).topology();
    }

    /** Fetches and verifies the current topology, keeping the signed document (which nodes mirror). */
    Verified fetchVerified(byte[] authorityPublicKey, Clock clock, Duration timeout) throws IOException, TopologyException;

    /** A verified topology and the signed document it was read from. */
    record Verified(Topology topology, byte[] document) {}

    /** Bounds what is read from a directory or mirror (a topology of thousands of nodes is well under 1 MiB). */
    int MAX_DOCUMENT = 8 << 20;

    private static byte[] get(HttpClient http, URI url, Duration timeout) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
        try {
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IOException(url + " answered " + r.statusCode());
            }
            if (r.body().length > MAX_DOCUMENT) {
                throw new IOException(url + " sent " + r.body().length + " bytes, more than a topology can be");
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching the topology", e);
        }
    }

    String describe();

    /** A directory endpoint: GET {base}/topology. */
    record Directory(URI base) implements TopologySource {
        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        @Override
        public Verified fetchVerified(byte[] authorityPublicKey, Clock clock, Duration timeout)
                throws IOException, TopologyException {
            byte[] doc = get(HTTP, base.resolve("/topology"), timeout);
            return new Verified(TopologyCodec.verifyTopology(doc, authorityPublicKey, clock.instant()), doc);
        }

        /** POSTs a signed node descriptor to {base}/descriptor. */
        public void register(byte[] signedDescriptor, Duration timeout) throws IOException {
            HttpRequest req = HttpRequest.newBuilder(base.resolve("/descriptor")).timeout(timeout)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(signedDescriptor)).build();
            try {
                HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IOException("directory " + base + " refused the descriptor: " + r.statusCode() + " " + r.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while registering", e);
            }
        }

        @Override
        public String describe() {
            return base.toString();
        }
    }

    /** A signed topology file (as written by the directory or `village testnet up`). */
    record File(Path path) implements TopologySource {
        @Override
        public Verified fetchVerified(byte[] authorityPublicKey, Clock clock, Duration timeout)
                throws IOException, TopologyException {
            if (Files.size(path) > MAX_DOCUMENT) {
                throw new IOException(path + " is larger than a topology can be");
            }
            byte[] doc = Files.readAllBytes(path);
            return new Verified(TopologyCodec.verifyTopology(doc, authorityPublicKey, clock.instant()), doc);
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    /**
     * Mixnodes that mirror the signed topology ({@link TopologyMirror}: GET {base}/topology), for
     * clients and nodes that bootstrap from known mixnodes instead of the directory (the seed's
     * {@code mixnodeEndpoints}). A mirror cannot forge or alter the document, only withhold it or
     * serve an old one: every copy is verified against the authority key and refused when stale, and
     * the mirrors are tried in a random order until one serves a valid, fresh copy.
     */
    record Mirrors(List<URI> bases) implements TopologySource {
        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        public Mirrors {
            if (bases == null || bases.isEmpty()) {
                throw new IllegalArgumentException("at least one mixnode endpoint is needed");
            }
            bases = List.copyOf(bases);
        }

        /** Mirrors at {@code host:port} endpoints (IPv6 as [addr]:port), over plain HTTP. */
        public static Mirrors ofEndpoints(List<String> endpoints) {
            List<URI> uris = new ArrayList<>();
            for (String e : endpoints) {
                uris.add(URI.create("http://" + e));
            }
            return new Mirrors(uris);
        }

        @Override
        public Verified fetchVerified(byte[] authorityPublicKey, Clock clock, Duration timeout)
                throws IOException, TopologyException {
            List<URI> order = new ArrayList<>(bases);
            Collections.shuffle(order, new java.security.SecureRandom());
            List<String> failures = new ArrayList<>();
            TopologyException invalid = null;
            int unreachable = 0;
            for (URI base : order) {
                try {
                    byte[] doc = get(HTTP, base.resolve("/topology"), timeout);
                    return new Verified(TopologyCodec.verifyTopology(doc, authorityPublicKey, clock.instant()), doc);
                } catch (IOException e) {
                    failures.add(base + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
                    unreachable++;
                } catch (TopologyException e) {
                    failures.add(base + ": " + e.getMessage());
                    invalid = e;
                }
            }
            if (unreachable == 0 && invalid != null) {
                // Every mirror answered, none with a valid fresh document: the refusal itself is the error.
                throw invalid;
            }
            throw new IOException("no mixnode served a valid topology: " + String.join("; ", failures));
        }

        @Override
        public String describe() {
            return "mirrors " + bases;
        }
    }
}
