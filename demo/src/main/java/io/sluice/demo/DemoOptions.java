package io.sluice.demo;

import java.nio.file.Path;
import java.time.Duration;

/** The demo's options, checked ({@link DemoCommand}), as every mode reads them. */
record DemoOptions(
        long events,
        long rate,
        int partitions,
        int drivers,
        Duration killLeaderEvery,
        boolean onCluster,
        String deployMode,
        Path clusterDir) {}
