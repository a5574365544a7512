package io.sluice.bench;

/** One way of processing the pre-loaded workload, timed from its first read to its last output. */
interface Contender {
    String name();

    RunFigures run(BenchContext context, int repetition, boolean warmUp) throws Exception;

    /** Starts the contender on {@code topic} (empty, written while it runs); null when latency is not measured. */
    default PacedRun startPaced(BenchContext context, String topic) throws Exception {
        return null;
    }
}
