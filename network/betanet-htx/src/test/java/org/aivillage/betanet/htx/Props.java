package org.aivillage.betanet.htx;

import static org.quicktheories.QuickTheory.qt;

import org.quicktheories.core.Gen;

/** QuickTheories with checked exceptions allowed in the property body. */
public final class Props {
    private Props() {}

    @FunctionalInterface
    public interface Check<T> {
        void accept(T value) throws Exception;
    }

    public static <T> void forAll(int examples, Gen<T> gen, Check<T> check) {
        qt().withExamples(examples).forAll(gen).checkAssert(v -> {
            try {
                check.accept(v);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError("property threw " + e, e);
            }
        });
    }
}
