package io.sluice.jobs.results;

import io.sluice.api.BatchResult;
import io.sluice.api.DriverOutput;
import io.sluice.api.SourceReplay;
import io.sluice.api.event.PartitionBatch;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.jobs.sink.hbase.ResultsSink;
import io.sluice.jobs.sink.hbase.ResultsTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.spark.util.SizeEstimator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results job's driver side: the open windows ({@link ResultsState}), rebuilt at start by replaying every source
 * partition from its committed replay position, merged with the sums of each batch's tasks, written to HBase fenced by
 * the epoch ({@link ResultsSink}) before the commit, whose replay positions it adds.
 */
public final class ResultsDriver implements DriverOutput {
    private static final Logger LOG = LoggerFactory.getLogger(ResultsDriver.class);
    private final ResultsSettings settings;
    private final ResultsSink sink;
    private final SourceReplay replay;
    private final Connection createTablesWith;
    private final ResultsState state;
    /** The last walk of the state (bytes; -1: none yet), and whether the state changed since; guarded by the state. */
    private long stateBytes = -1;

    private boolean stateChanged;

    /** @param createTablesWith the connection to create the results table with when missing; null: do not */
    ResultsDriver(
            ResultsSettings settings,
            ResultsSink sink,
            VisitorClaims claims,
            SourceReplay replay,
            Connection createTablesWith) {
        this.settings = settings;
        this.sink = sink;
        this.replay = replay;
        this.createTablesWith = createTablesWith;
        this.state = new ResultsState(settings, claims);
    }

    /** The open windows: the pipeline's event-time stage reads the partitions' clocks from them. */
    public ResultsState state() {
        return state;
    }

    public ResultsSettings settings() {
        return settings;
    }

    @Override
    public void recover(CommittedOffsets committed) throws Exception {
        if (createTablesWith != null) {
            try (Admin admin = createTablesWith.getAdmin()) {
                ResultsTable.ensure(admin, settings.table());
            }
        }
        long started = System.nanoTime();
        ResultsSettings s = settings;
        boolean ordered = replay.ordered();
        List<ArrayList<PartitionResults>> replayed = replay.replay(committed.replay(), committed, (from, batches) -> {
            ArrayList<PartitionResults> out = new ArrayList<>();
            long clock = from.clockAtFrom();
            for (PartitionBatch batch : batches) {
                PartitionResults r = ordered
                        ? ResultsAggregator.classify(s, batch, clock, from.floors())
                                .results()
                        : ResultsAggregator.classifyAtBatchClock(s, batch, clock)
                                .results();
                out.add(r);
                clock = r.clockAfter();
            }
            return out;
        });
        List<PartitionResults> all = new ArrayList<>();
        replayed.forEach(all::addAll);
        // a partition the source no longer reads (a topic removed from the configuration) drops out of the clocks
        synchronized (state) {
            stateChanged = true;
            state.rebuild(committed, all, replay::reads);
        }
        LOG.info(
                "results rebuilt from the replay positions {} in {} ms: {} open count cells, watermark {}",
                committed.replay(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                state.openCells(),
                state.watermark());
    }

    /** Merges the tasks' sums into the open windows and writes the touched rows; adds the replay positions. */
    @Override
    public CommittedOffsets beforeCommit(BatchResult batch, CommittedOffsets next) throws Exception {
        List<PartitionResults> sums = new ArrayList<>(batch.reports().size());
        batch.reports().forEach(r -> sums.add((PartitionResults) r));
        synchronized (state) {
            stateChanged = true;
            ResultsUpdate update = state.apply(batch.sources(), sums);
            batch.count("rows", sink.write(update, batch.epoch()));
            return next.withReplay(state.positions(next));
        }
    }

    /**
     * The open windows' size: {@code open-cells} (count cells kept in memory), {@code open-visitors} (users
     * of the open count rows) and {@code state-bytes} (their heap, as
     * Spark's {@code SizeEstimator} walks it): what the driver's memory grows with. The walk, which holds the state
     * while the next batch waits for it, is made once per change of the state, however often the gauges are read (a
     * display every second, a scrape, a poll): the benchmark's push runs, polling the metrics, spent 46 % of their CPU
     * samples in it when every reading walked.
     */
    @Override
    public Map<String, Long> gauges() {
        synchronized (state) {
            if (stateBytes < 0 || stateChanged) {
                stateBytes = SizeEstimator.estimate(state);
                stateChanged = false;
            }
            return Map.of(
                    "open-cells",
                    (long) state.openCells(),
                    "open-visitors",
                    state.openVisitors(),
                    "state-bytes",
                    stateBytes);
        }
    }
}
