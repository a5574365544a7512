package io.sluice.bench.micro;

import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParseOutcome;
import io.sluice.jobs.event.ParserLimits;
import io.sluice.jobs.results.EventClock;
import io.sluice.jobs.results.PartitionResults;
import io.sluice.jobs.results.ResultsAggregator;
import io.sluice.jobs.results.ResultsSettings;
import io.sluice.jobs.results.ResultsState;
import io.sluice.jobs.results.ResultsUpdate;
import io.sluice.jobs.results.VisitorClaims;
import io.sluice.jobs.results.VisitorCounting;
import io.sluice.testkit.generator.EventGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The results job's per-event work with each way of counting visitors: a task's classification of a batch of 1,024
 * generator events (60-s windows, 2-s slides) and the driver's merge of its sums, batch after batch through 64
 * batches of advancing event time, so windows open and become final as in a run. Exact counting's claims are kept in
 * memory here; their HBase round trips are in the end-to-end runs ({@code --results-visitors}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class VisitorBenchmarks {
    static final int BATCH = 1024;
    private static final int BATCHES = 64;
    private static final TopicPartitionKey PARTITION = new TopicPartitionKey("events", 0);

    @Param({"off", "exact", "hll"})
    public String visitors;

    private ResultsSettings settings;
    private final List<PartitionBatch> batches = new ArrayList<>();
    private ResultsState state;
    private long clock;
    private int next;

    @Setup
    public void generate() {
        settings = new ResultsSettings(true, 60_000, 30_000, 10, 300_000, 2_000, "t")
                .withVisitors(VisitorCounting.parse(visitors), ResultsSettings.DEFAULT_HLL_LG_K);
        EventParser parser = new EventParser(ParserLimits.DEFAULT);
        EventGenerator generator = new EventGenerator(7, 0, 0); // valid events: the common path
        for (int b = 0; b < BATCHES; b++) {
            List<PositionedEvent> events = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                long offset = (long) b * BATCH + i;
                byte[] json = generator.event(offset).json();
                if (!(parser.parse(json) instanceof ParseOutcome.Valid valid)) {
                    throw new IllegalStateException("generated event " + offset + " does not parse");
                }
                events.add(new PositionedEvent(offset, valid.event(), json));
            }
            long from = (long) b * BATCH;
            batches.add(new PartitionBatch(SourceRange.of("events", 0, from, from + BATCH), events, List.of()));
        }
        restart();
    }

    private void restart() {
        state = new ResultsState(settings, VisitorClaims.inMemory());
        clock = EventClock.NO_TIME;
        next = 0;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public ResultsUpdate classifyAndMerge() throws IOException {
        if (next == BATCHES) {
            restart();
        }
        PartitionResults sums =
                ResultsAggregator.classify(settings, batches.get(next++), clock).results();
        clock = sums.clockAfter();
        return state.apply(List.of(PARTITION), List.of(sums));
    }
}
