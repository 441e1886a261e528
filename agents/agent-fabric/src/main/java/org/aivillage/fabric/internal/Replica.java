package org.aivillage.fabric.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import org.aivillage.fabric.AgentContext;
import org.aivillage.fabric.AgentHandler;
import org.aivillage.fabric.AgentId;
import org.aivillage.fabric.AgentMessage;
import org.aivillage.fabric.AgentState;
import org.aivillage.fabric.FabricException;
import org.aivillage.fabric.ReplicaStatus;
import org.aivillage.fabric.ServiceDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running replica of an agent: a bounded mailbox and one virtual thread that starts the
 * handler (retrying a failing {@code onStart} with backoff) and then handles one message at a
 * time. Requests left in the mailbox when it stops fail with {@code UNAVAILABLE}, so senders
 * can retry elsewhere.
 */
public final class Replica implements AgentContext, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Replica.class);
    private static final Envelope POISON = new Envelope(null, null);
    private static final Duration MAX_START_BACKOFF = Duration.ofSeconds(5);

    private record Envelope(AgentMessage message, Reply reply) {
    }

    private final AgentId agentId;
    private final int index;
    private final String nodeId;
    private final ServiceDefinition service;
    private final AgentHandler handler;
    private final LinkedBlockingQueue<Envelope> mailbox;
    private final Thread thread;
    private final LongAdder processed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private volatile AgentState state = AgentState.PENDING;
    private volatile String lastError;
    private volatile boolean closed;

    public Replica(AgentId agentId, int index, String nodeId, ServiceDefinition service, AgentHandler handler,
            int mailboxCapacity) {
        this.agentId = agentId;
        this.index = index;
        this.nodeId = nodeId;
        this.service = service;
        this.handler = handler;
        this.mailbox = new LinkedBlockingQueue<>(mailboxCapacity);
        this.thread = Thread.ofVirtual().name("agent-" + agentId + "#" + index).unstarted(this::run);
    }

    /** Starts the replica's thread (state goes STARTING, then RUNNING). */
    public Replica start() {
        state = AgentState.STARTING;
        thread.start();
        return this;
    }

    /**
     * Queues a message. On a full mailbox or a stopped replica the reply gets OVERLOADED or
     * UNAVAILABLE at once and false is returned.
     *
     * @param reply null for a one-way message
     */
    public boolean offer(AgentMessage message, Reply reply) {
        if (closed) {
            if (reply != null) {
                reply.error(FabricException.Code.UNAVAILABLE, describe() + " is stopped");
            }
            return false;
        }
        if (!mailbox.offer(new Envelope(message, reply))) {
            rejected.increment();
            if (reply != null) {
                reply.error(FabricException.Code.OVERLOADED, describe() + ": mailbox full ("
                        + (mailbox.size() + mailbox.remainingCapacity()) + " messages)");
            }
            return false;
        }
        if (closed) {
            // Raced with close(): make sure the message does not sit in a dead mailbox.
            drain();
        }
        return true;
    }

    private void run() {
        int failures = 0;
        while (!closed) {
            try {
                handler.onStart(this);
                state = AgentState.RUNNING;
                log.atDebug().setMessage("replica running").addKeyValue("event", "replica_running")
                        .addKeyValue("agent", agentId).addKeyValue("replica", index).log();
                break;
            } catch (Throwable t) {
                failures++;
                state = AgentState.FAILING;
                lastError = "onStart failed: " + describe(t);
                long backoff = Math.min(MAX_START_BACKOFF.toMillis(), 50L << Math.min(failures, 10));
                log.atWarn().setMessage("replica start failed; retrying").addKeyValue("event", "replica_start_failed")
                        .addKeyValue("agent", agentId).addKeyValue("replica", index)
                        .addKeyValue("attempt", failures).addKeyValue("retry_ms", backoff)
                        .addKeyValue("error", describe(t)).log();
                if (t instanceof InterruptedException) {
                    break;
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    break;
                }
            }
        }
        while (!closed) {
            Envelope e;
            try {
                e = mailbox.take();
            } catch (InterruptedException ie) {
                break;
            }
            if (e == POISON) {
                break;
            }
            Reply reply = e.reply();
            if (reply != null && reply.abandoned()) {
                continue;
            }
            JsonNode result;
            try {
                result = handler.handle(this, e.message());
            } catch (Throwable t) {
                failed.increment();
                String why = describe(t);
                lastError = why;
                if (reply != null) {
                    reply.error(FabricException.Code.HANDLER_FAILED, describe() + ": " + why);
                }
                if (t instanceof InterruptedException && closed) {
                    break;
                }
                continue;
            }
            processed.increment();
            if (reply != null) {
                reply.ok(this, result == null ? NullNode.getInstance() : result);
            }
        }
        drain();
        try {
            handler.onStop(this);
        } catch (Throwable t) {
            log.atWarn().setMessage("replica onStop failed").addKeyValue("agent", agentId)
                    .addKeyValue("replica", index).addKeyValue("error", describe(t)).log();
        }
        state = AgentState.STOPPED;
    }

    private void drain() {
        Envelope e;
        while ((e = mailbox.poll()) != null) {
            if (e != POISON && e.reply() != null) {
                e.reply().error(FabricException.Code.UNAVAILABLE, describe() + " stopped");
            }
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 300 ? m.substring(0, 300) : m));
    }

    private String describe() {
        return "agent " + agentId + " replica " + index;
    }

    /**
     * Stops taking messages, lets the current message finish for up to {@code grace}, then
     * interrupts the handler; queued requests fail with UNAVAILABLE.
     */
    public void stop(Duration grace) {
        if (closed) {
            return;
        }
        closed = true;
        if (state == AgentState.PENDING) {
            state = AgentState.STOPPED;
            return;
        }
        if (!mailbox.offer(POISON)) {
            thread.interrupt();
        }
        try {
            if (!thread.join(grace)) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(2));
    }

    public AgentState state() {
        return state;
    }

    public int queued() {
        return mailbox.size();
    }

    public ReplicaStatus status() {
        return new ReplicaStatus(index, Optional.of(nodeId), state, processed.sum(), failed.sum(), rejected.sum(),
                mailbox.size(), Optional.ofNullable(lastError));
    }

    @Override
    public AgentId agentId() {
        return agentId;
    }

    @Override
    public int replica() {
        return index;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public ServiceDefinition service() {
        return service;
    }
}
