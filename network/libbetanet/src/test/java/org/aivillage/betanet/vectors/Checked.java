package org.aivillage.betanet.vectors;

/** Runs property bodies that throw checked exceptions inside QuickTheories' {@code checkAssert}. */
public final class Checked {
    private Checked() {}

    /** A block that may throw anything. */
    @FunctionalInterface
    public interface Block {
        void run() throws Exception;
    }

    /** Runs {@code block}; a checked exception becomes an AssertionError (the property fails with it as cause). */
    public static void run(Block block) {
        try {
            block.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("unexpected " + e, e);
        }
    }
}
