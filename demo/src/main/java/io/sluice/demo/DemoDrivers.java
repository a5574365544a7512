package io.sluice.demo;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** The driver processes of a demo run outside the demo's JVM: local supervised ones, or one submitted to a cluster. */
interface DemoDrivers extends AutoCloseable {
    void start() throws IOException, InterruptedException;

    /** Who leads (or runs) now, for the progress line. */
    Optional<String> leader();

    /** {@code kill -9} of the leader; false when it is not the time (no committed leader yet, or a takeover pending). */
    boolean killLeader() throws InterruptedException;

    /** Times a new driver took over from another. */
    int failovers();

    int kills();

    List<Long> takeoverMillis();

    @Override
    void close();
}
