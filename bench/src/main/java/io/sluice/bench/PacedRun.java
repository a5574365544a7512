package io.sluice.bench;

import java.util.Map;

/** A contender running on a topic that is being written at a paced rate, for the latency measurement. */
interface PacedRun extends AutoCloseable {
    /** Per partition of the topic: the next offset whose outputs are complete (committed), as of now. */
    Map<Integer, Long> committed();

    @Override
    void close();
}
