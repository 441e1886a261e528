package org.aivillage.betanet.gateway;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.aivillage.betanet.client.MessageFormatException;
import org.aivillage.betanet.client.MixMessage;
import org.aivillage.betanet.mixnode.LinkTransport;
import org.aivillage.betanet.mixnode.Mixnode;
import org.aivillage.betanet.mixnode.MixnodeConfig;
import org.aivillage.betanet.mixnode.Processed;
import org.aivillage.betanet.mixnode.Sphinx;
import org.aivillage.betanet.mixnode.Surb;
import org.aivillage.betanet.mixnode.TopologyNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mixnet exit and service front. It is a Sphinx node (role GATEWAY) that receives final-hop
 * payloads, reassembles request fragments, acknowledges partial requests, calls the registered
 * {@link MixService} once per request, and returns the response through the client's SURBs, asking
 * for more SURBs when the response needs them and resending fragments on request. Requests in
 * progress, SURB pools and cached responses are all bounded.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    private static final int MAX_STATES = 1024;
    private static final int MAX_SURBS_PER_REQUEST = 256;
    private static final Duration STATE_TTL = Duration.ofMinutes(2);

    /** Gateway settings beyond its node configuration. */
    public record Options(Duration serviceTimeout, int maxConcurrentRequests) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(30), 64);
        }
    }

    private final Mixnode node;
    private final Options options;
    private final Map<String, MixService> services = new ConcurrentHashMap<>();
    private final Map<String, RequestState> states = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, RequestState> e) {
                    return size() > MAX_STATES
                            || e.getValue().createdNanos < System.nanoTime() - STATE_TTL.toNanos() && size() > MAX_STATES / 2;
                }
            });
    private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore concurrency;
    private final Counter requests;
    private final Counter responsesSent;
    private final Counter badMessages;

    public Gateway(MixnodeConfig nodeConfig, LinkTransport transport, Options options) throws IOException {
        this(nodeConfig, transport, options, null);
    }

    /** A gateway whose meters go to {@code registry} (a daemon's), or to its own when null. */
    public Gateway(MixnodeConfig nodeConfig, LinkTransport transport, Options options,
                   io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry) throws IOException {
        if (nodeConfig.role() != TopologyNode.Role.GATEWAY) {
            throw new IllegalArgumentException("a gateway's node config must have role GATEWAY");
        }
        this.options = options;
        this.concurrency = new Semaphore(options.maxConcurrentRequests());
        this.node = new Mixnode(nodeConfig, transport, this::onDeliver, registry);
        this.requests = Counter.builder("gateway_requests").description("requests handed to services").register(node.registry());
        this.responsesSent = Counter.builder("gateway_reply_packets").description("reply packets sent through SURBs")
                .register(node.registry());
        this.badMessages = Counter.builder("gateway_bad_messages").register(node.registry());
    }

    /** Registers a service under a name (1..32 bytes of UTF-8). */
    public Gateway register(String name, MixService service) {
        Objects.requireNonNull(service);
        int len = name.getBytes(StandardCharsets.UTF_8).length;
        if (len == 0 || len > MixMessage.MAX_SERVICE) {
            throw new IllegalArgumentException("service names are 1..32 bytes");
        }
        services.put(name, service);
        return this;
    }

    public Mixnode node() {
        return node;
    }

    private void onDeliver(Processed.Deliver d) {
        MixMessage m;
        try {
            m = MixMessage.decode(d.message());
        } catch (MessageFormatException e) {
            badMessages.increment();
            log.debug("undecodable exit payload: {}", e.getMessage());
            return;
        }
        String key = HexFormat.of().formatHex(m.msgId());
        switch (m) {
            case MixMessage.RequestFragment f -> onFragment(key, f);
            case MixMessage.SurbSupply s -> withState(key, st -> {
                s.surbs().forEach(st::addSurb);
                flush(st);
            });
            case MixMessage.Resend r -> withState(key, st -> {
                st.addSurb(r.surb());
                if (st.response != null) {
                    for (int i = r.missing().nextSetBit(0); i >= 0 && i < st.response.length; i = r.missing().nextSetBit(i + 1)) {
                        if (!st.pending.contains(i)) {
                            st.pending.add(i);
                        }
                    }
                }
                flush(st);
            });
            default -> badMessages.increment();
        }
    }

    private void withState(String key, java.util.function.Consumer<RequestState> action) {
        RequestState st = states.get(key);
        if (st == null) {
            badMessages.increment();
            return;
        }
        synchronized (st) {
            action.accept(st);
        }
    }

    private void onFragment(String key, MixMessage.RequestFragment f) {
        RequestState st;
        synchronized (states) {
            st = states.get(key);
            if (st == null) {
                st = new RequestState(f.msgId(), f.count(), f.service());
                states.put(key, st);
            }
        }
        synchronized (st) {
            if (f.count() != st.count || !f.service().equals(st.service)) {
                badMessages.increment();
                return;
            }
            st.addSurb(f.surb());
            if (st.parts[f.index()] == null) {
                st.parts[f.index()] = f.data();
                st.received.set(f.index());
            }
            if (st.received.cardinality() < st.count) {
                // Partial request: acknowledge what arrived, through this fragment's SURB.
                send(st, new MixMessage.Ack(st.msgId, st.count, (BitSet) st.received.clone()));
                return;
            }
            if (st.response != null) {
                // The client did not get the response: send it all again.
                st.pending.clear();
                for (int i = 0; i < st.response.length; i++) {
                    st.pending.add(i);
                }
                flush(st);
                return;
            }
            if (st.dispatched) {
                return;
            }
            st.dispatched = true;
        }
        RequestState state = st;
        work.submit(() -> dispatch(state));
    }

    private void dispatch(RequestState st) {
        byte[] request;
        synchronized (st) {
            int total = Arrays.stream(st.parts).mapToInt(p -> p.length).sum();
            request = new byte[total];
            int pos = 0;
            for (byte[] p : st.parts) {
                System.arraycopy(p, 0, request, pos, p.length);
                pos += p.length;
            }
        }
        int status = MixMessage.OK;
        byte[] body;
        MixService service = services.get(st.service);
        if (service == null) {
            status = MixMessage.UNKNOWN_SERVICE;
            body = ("no service '" + st.service + "'").getBytes(StandardCharsets.UTF_8);
        } else if (!concurrency.tryAcquire()) {
            status = MixMessage.SERVICE_ERROR;
            body = "gateway busy".getBytes(StandardCharsets.UTF_8);
        } else {
            requests.increment();
            try {
                var future = work.submit(() -> service.handle(request));
                body = future.get(options.serviceTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                if (body == null) {
                    body = new byte[0];
                }
            } catch (java.util.concurrent.TimeoutException e) {
                status = MixMessage.SERVICE_ERROR;
                body = ("service '" + st.service + "' timed out").getBytes(StandardCharsets.UTF_8);
            } catch (Exception e) {
                Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
                status = MixMessage.SERVICE_ERROR;
                body = String.valueOf(cause.getMessage()).getBytes(StandardCharsets.UTF_8);
                log.debug("service {} failed: {}", st.service, cause.toString());
            } finally {
                concurrency.release();
            }
        }
        if (body.length > MixMessage.MAX_FRAGMENTS * MixMessage.RESPONSE_DATA) {
            status = MixMessage.TOO_LARGE;
            body = ("response of " + body.length + " bytes exceeds " + MixMessage.MAX_FRAGMENTS * MixMessage.RESPONSE_DATA)
                    .getBytes(StandardCharsets.UTF_8);
        }
        int n = Math.max(1, (body.length + MixMessage.RESPONSE_DATA - 1) / MixMessage.RESPONSE_DATA);
        synchronized (st) {
            st.status = status;
            st.response = new byte[n][];
            for (int i = 0; i < n; i++) {
                st.response[i] = Arrays.copyOfRange(body, Math.min(body.length, i * MixMessage.RESPONSE_DATA),
                        Math.min(body.length, (i + 1) * MixMessage.RESPONSE_DATA));
                st.pending.add(i);
            }
            flush(st);
        }
    }

    /** Sends pending response fragments while SURBs last; the last SURB asks for as many more as needed. */
    private void flush(RequestState st) {
        while (!st.pending.isEmpty() && !st.surbs.isEmpty()) {
            int idx = st.pending.poll();
            int need = st.surbs.size() == 1 && !st.pending.isEmpty() ? st.pending.size() : 0;
            send(st, new MixMessage.ResponseFragment(st.msgId, idx, st.response.length, st.status, need, st.response[idx]));
        }
    }

    private void send(RequestState st, MixMessage m) {
        Surb surb = st.surbs.poll();
        if (surb == null) {
            return;
        }
        byte[] packet = Sphinx.packetFromSurb(surb, m.encode());
        if (node.send(surb.firstHop(), packet)) {
            responsesSent.increment();
        }
    }

    private static final class RequestState {
        final byte[] msgId;
        final int count;
        final String service;
        final byte[][] parts;
        final BitSet received = new BitSet();
        final Deque<Surb> surbs = new ArrayDeque<>();
        final Deque<Integer> pending = new ArrayDeque<>();
        final long createdNanos = System.nanoTime();
        boolean dispatched;
        byte[][] response;
        int status;

        RequestState(byte[] msgId, int count, String service) {
            this.msgId = msgId;
            this.count = count;
            this.service = service;
            this.parts = new byte[count][];
        }

        void addSurb(Surb s) {
            if (surbs.size() < MAX_SURBS_PER_REQUEST) {
                surbs.add(s);
            }
        }
    }

    @Override
    public void close() {
        node.close();
        work.shutdownNow();
    }
}
