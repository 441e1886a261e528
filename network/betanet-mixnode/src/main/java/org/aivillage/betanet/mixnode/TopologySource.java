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

/**
 * Where a node or client gets its topology: the signed document, verified against the configured
 * authority key and refused when unsigned, wrongly signed or stale.
 */
public sealed interface TopologySource {

    /** Fetches and verifies the current topology. */
    Topology fetch(byte[] authorityPublicKey, Clock clock, Duration timeout) throws IOException, TopologyException;

    String describe();

    /** A directory endpoint: GET {base}/topology. */
    record Directory(URI base) implements TopologySource {
        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        @Override
        public Topology fetch(byte[] authorityPublicKey, Clock clock, Duration timeout) throws IOException, TopologyException {
            HttpRequest req = HttpRequest.newBuilder(base.resolve("/topology")).timeout(timeout).GET().build();
            try {
                HttpResponse<byte[]> r = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new IOException("directory " + base + " answered " + r.statusCode());
                }
                return TopologyCodec.verifyTopology(r.body(), authorityPublicKey, clock.instant());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching the topology", e);
            }
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
        public Topology fetch(byte[] authorityPublicKey, Clock clock, Duration timeout) throws IOException, TopologyException {
            byte[] doc = Files.readAllBytes(path);
            return TopologyCodec.verifyTopology(doc, authorityPublicKey, clock.instant());
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }
}
