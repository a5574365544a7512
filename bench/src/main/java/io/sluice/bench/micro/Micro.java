package io.sluice.bench.micro;

import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link PerEventBenchmarks} and {@link VisitorBenchmarks} with JMH in one forked JVM; returns operations (events)
 * per second by benchmark.
 */
public final class Micro {
    private Micro() {}

    public static Map<String, Double> run(boolean quick) throws RunnerException {
        var options = new OptionsBuilder()
                .include(PerEventBenchmarks.class.getName())
                .include(VisitorBenchmarks.class.getName())
                .forks(1)
                .warmupIterations(quick ? 2 : 3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 3 : 5)
                .measurementTime(TimeValue.seconds(1))
                .shouldFailOnError(true)
                .build();
        Map<String, Double> opsPerSecond = new LinkedHashMap<>();
        for (RunResult result : new Runner(options).run()) {
            String label = result.getParams().getBenchmark();
            String visitors = result.getParams().getParam("visitors");
            opsPerSecond.put(
                    label.substring(label.lastIndexOf('.') + 1) + (visitors == null ? "" : "-visitors-" + visitors),
                    result.getPrimaryResult().getScore());
        }
        return opsPerSecond;
    }
}
