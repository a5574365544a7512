package io.sluice.demo;

import io.sluice.driver.runtime.PipelineMetrics;
import io.sluice.jobs.results.RankedExperiment;
import io.sluice.jobs.results.TopRow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One console line per interval: produced and processed events per second, dead letters, lag and batch delay. */
final class ProgressDisplay {
    private final long started = System.nanoTime();
    private long lastProduced;
    private long lastProcessed;
    private long lastNanos = started;
    private long lastTopEnd = Long.MIN_VALUE;

    /** @param alreadyProduced events sent by earlier runs, so the first rate shown is this run's */
    ProgressDisplay(long alreadyProduced) {
        this.lastProduced = alreadyProduced;
    }

    void print(long produced, PipelineMetrics.Snapshot m, long lag) {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        long processed = m.records() + m.duplicates(); // a resend dropped by its event_id was processed too
        System.out.printf(
                "[%4ds] produced %,d (%,.0f/s) | processed %,d (%,.0f/s) | dead letters %,d | late %,d | lag %,d%s"
                        + " | batches %,d | batch delay %s%n",
                (now - started) / 1_000_000_000L,
                produced,
                (produced - lastProduced) / seconds,
                processed,
                (processed - lastProcessed) / seconds,
                m.deadLetters(),
                m.late(),
                lag,
                jobLags(m),
                m.batches(),
                m.processingDelayMs() < 0 ? "-" : (m.processingDelayMs() + m.schedulingDelayMs()) + " ms");
        lastProduced = produced;
        lastProcessed = processed;
        lastNanos = now;
    }

    /** Each job's gauges that are not zero (an archive replica behind the primary), e.g. {@code " | archive
     * replica_lag_files 12"}. */
    private static String jobLags(PipelineMetrics.Snapshot m) {
        StringBuilder s = new StringBuilder();
        m.gauges()
                .forEach((job, gauges) -> gauges.forEach((name, value) -> {
                    if (value != 0) {
                        s.append(" | ")
                                .append(job)
                                .append(' ')
                                .append(name)
                                .append(' ')
                                .append(String.format("%,d", value));
                    }
                }));
        return s.toString();
    }

    /** The newest final top experiments, when it changed since the last line. */
    void printTop(Optional<TopRow> top) {
        if (top.isEmpty() || top.get().windowEnd() == lastTopEnd) {
            return;
        }
        lastTopEnd = top.get().windowEnd();
        StringBuilder line = new StringBuilder("       top experiments, window ending ")
                .append(Instant.ofEpochMilli(lastTopEnd))
                .append(':');
        List<RankedExperiment> ranking = top.get().ranking();
        for (int i = 0; i < Math.min(5, ranking.size()); i++) {
            RankedExperiment r = ranking.get(i);
            line.append(String.format(" %d. %s %,d", i + 1, r.experiment().experimentId(), r.events()));
        }
        System.out.println(line);
    }
}
