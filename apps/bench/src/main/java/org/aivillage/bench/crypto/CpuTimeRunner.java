package org.aivillage.bench.crypto;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Runs the crypto JMH benchmark methods of this package directly and reports thread CPU time per
 * operation. On a shared machine JMH's wall-clock throughput also counts the time the thread
 * waited for a core; CPU time per operation does not, so it compares implementations fairly when
 * other work is running. It is a cross-check for the JMH figures, not a replacement: it has no
 * forks and calls through reflection (about 0.05 us per call, which matters only below 1 us).
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp apps/bench/target/benchmarks.jar \
 *     org.aivillage.bench.crypto.CpuTimeRunner [regex] [milliseconds per benchmark]</pre>
 */
public final class CpuTimeRunner {
    private static final List<Class<?>> BENCHMARKS = List.of(X25519Bench.class, Ed25519Bench.class, AeadBench.class,
            AeadNewKeyBench.class, HashBench.class, MlKemBench.class, NoiseHandshakeBench.class);

    private CpuTimeRunner() {}

    public static void main(String[] args) throws Exception {
        Pattern filter = Pattern.compile(args.length > 0 ? args[0] : ".*");
        long millis = args.length > 1 ? Long.parseLong(args[1]) : 2000;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "%-58s %14s %16s%n", "benchmark", "us CPU/op", "ops/CPU-second");
        for (Class<?> c : BENCHMARKS) {
            List<Method> methods = new ArrayList<>(Arrays.stream(c.getMethods())
                    .filter(m -> m.isAnnotationPresent(Benchmark.class)).toList());
            methods.sort(Comparator.comparing(Method::getName));
            Field param = Arrays.stream(c.getFields()).filter(f -> f.isAnnotationPresent(Param.class)).findFirst().orElse(null);
            String[] values = param == null ? new String[] {null} : param.getAnnotation(Param.class).value();
            for (String value : values) {
                for (Method m : methods) {
                    String name = c.getSimpleName() + "." + m.getName() + (value == null ? "" : " [" + value + "]");
                    if (!filter.matcher(name).find()) {
                        continue;
                    }
                    Object state = c.getConstructor().newInstance();
                    if (param != null) {
                        param.setInt(state, Integer.parseInt(value));
                    }
                    for (Method s : c.getMethods()) {
                        if (s.isAnnotationPresent(Setup.class)) {
                            s.invoke(state);
                        }
                    }
                    run(m, state, millis / 2, mx); // warm-up
                    double[] r = run(m, state, millis, mx);
                    System.out.printf(Locale.ROOT, "%-58s %14.2f %16.0f%n", name, r[0], 1e6 / r[0]);
                }
            }
        }
    }

    /** Calls {@code m} for about {@code millis} of wall time; returns {us CPU per op}. */
    private static double[] run(Method m, Object state, long millis, ThreadMXBean mx) throws Exception {
        long end = System.nanoTime() + millis * 1_000_000;
        long ops = 0;
        long cpu0 = mx.getCurrentThreadCpuTime();
        Object sink = null;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 16; i++) {
                try {
                    sink = m.invoke(state);
                } catch (InvocationTargetException e) {
                    throw new IllegalStateException(m.getName() + " failed", e.getCause());
                }
            }
            ops += 16;
        }
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        if (sink == state) {
            System.out.print("");
        }
        return new double[] {cpu / 1e3 / ops};
    }
}
