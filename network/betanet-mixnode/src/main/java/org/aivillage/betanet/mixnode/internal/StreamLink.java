package org.aivillage.betanet.mixnode.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aivillage.betanet.mixnode.Link;
import org.aivillage.betanet.mixnode.LinkFrame;
import org.aivillage.betanet.mixnode.LinkTransport;
import org.aivillage.betanet.mixnode.SphinxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A link over any reliable byte stream (a TCP socket, an HTX stream): one virtual thread reads frames
 * and hands them to the handler, one drains a bounded send queue and flushes when it runs empty (so
 * bursts coalesce into few writes). A malformed frame closes the link.
 */
public final class StreamLink implements Link {
    private static final Logger log = LoggerFactory.getLogger(StreamLink.class);
    public static final int DEFAULT_QUEUE = 4096;

    private final InputStream in;
    private final OutputStream out;
    private final AutoCloseable resource;
    private final InetAddress remote;
    private final String description;
    private final LinkTransport.Handler handler;
    private final BlockingQueue<byte[]> queue;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private Thread reader;
    private Thread writer;

    public StreamLink(InputStream in, OutputStream out, AutoCloseable resource, InetAddress remote, String description,
                      LinkTransport.Handler handler, int queueCapacity) {
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.resource = resource;
        this.remote = remote;
        this.description = description;
        this.handler = handler;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
    }

    /** Starts the reader and writer threads and tells the handler the link is open. */
    public StreamLink start() {
        handler.onOpen(this);
        reader = Thread.ofVirtual().name("link-read " + description).start(this::readLoop);
        writer = Thread.ofVirtual().name("link-write " + description).start(this::writeLoop);
        return this;
    }

    @Override
    public boolean send(LinkFrame frame) {
        return open.get() && queue.offer(frame.encode());
    }

    private void readLoop() {
        byte[] buf = new byte[1 + 2048 + 2048];
        try {
            while (open.get()) {
                int type = in.read();
                if (type < 0) {
                    break;
                }
                int len = LinkFrame.bodyLength(type);
                if (len < 0) {
                    log.debug("link {}: unknown frame type {}, closing", description, type);
                    break;
                }
                if (in.readNBytes(buf, 0, len) != len) {
                    break;
                }
                LinkFrame frame = LinkFrame.decodeBody(type, buf, 0);
                handler.onFrame(this, frame);
            }
        } catch (EOFException e) {
            // peer went away
        } catch (IOException | SphinxException e) {
            if (open.get()) {
                log.debug("link {} read ended: {}", description, e.toString());
            }
        } catch (RuntimeException e) {
            log.warn("link {}: handler failed, closing link", description, e);
        } finally {
            close();
        }
    }

    private void writeLoop() {
        try {
            while (open.get()) {
                byte[] f = queue.take();
                out.write(f);
                byte[] more;
                while ((more = queue.poll()) != null) {
                    out.write(more);
                }
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            if (open.get()) {
                log.debug("link {} write failed: {}", description, e.toString());
            }
        } finally {
            close();
        }
    }

    @Override
    public InetAddress remoteAddress() {
        return remote;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public void close() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            log.debug("link {} close: {}", description, e.toString());
        }
        if (writer != null) {
            writer.interrupt();
        }
        queue.clear();
        handler.onClosed(this);
    }
}
