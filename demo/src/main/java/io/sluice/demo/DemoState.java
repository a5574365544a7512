package io.sluice.demo;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What earlier demo runs in the same data directory sent: the seed, the arrival time of the first event and how many
 * events. A second run continues the sequence, and verifies everything sent by all runs.
 */
record DemoState(Path file, long seed, long start, long sent) {
    static DemoState load(Path dataDir, long defaultSeed, long defaultStart) throws IOException {
        Path file = dataDir.resolve("demo-state.properties");
        if (!Files.exists(file)) {
            return new DemoState(file, defaultSeed, defaultStart, 0);
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        return new DemoState(
                file,
                Long.parseLong(p.getProperty("seed")),
                Long.parseLong(p.getProperty("start", Long.toString(defaultStart))),
                Long.parseLong(p.getProperty("sent")));
    }

    DemoState withSent(long sent) throws IOException {
        Properties p = new Properties();
        p.setProperty("seed", Long.toString(seed));
        p.setProperty("start", Long.toString(start));
        p.setProperty("sent", Long.toString(sent));
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, "events sent to Kafka by demo runs in this directory (all acknowledged)");
        }
        return new DemoState(file, seed, start, sent);
    }
}
