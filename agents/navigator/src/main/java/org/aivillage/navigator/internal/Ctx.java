package org.aivillage.navigator.internal;

/** One query's view: a state, the edges this query may use at all, and scratch space. */
final class Ctx implements AutoCloseable {
    final GraphState g;
    final Structure s;
    final boolean[] allowed;
    final Workspace ws;

    Ctx(GraphState g, boolean[] allowed) {
        this.g = g;
        this.s = g.s;
        this.allowed = allowed;
        this.ws = s.acquire();
    }

    @Override
    public void close() {
        s.release(ws);
    }
}
