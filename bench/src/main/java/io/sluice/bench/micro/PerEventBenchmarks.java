package io.sluice.bench.micro;

import io.sluice.checkpoint.SourceRange;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParseOutcome;
import io.sluice.jobs.event.ParserLimits;
import io.sluice.jobs.results.ExperimentKey;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import io.sluice.jobs.sink.hbase.EventRowKey;
import io.sluice.jobs.sink.hbase.ResultsLayout;
import io.sluice.testkit.generator.EventGenerator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The functions every event goes through, alone: what a core could do if nothing else cost anything. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PerEventBenchmarks {
    private static final int EVENTS = 1024;
    private final EventParser parser = new EventParser(ParserLimits.DEFAULT);
    private final SourceRange range = SourceRange.of("events", 3, 1_200_000, 1_250_000);
    private byte[][] json;
    private String[] ids;
    private long[] times;
    private int next;

    @Setup
    public void generate() {
        EventGenerator generator = new EventGenerator(7, 0, 0); // valid events: the common path
        json = new byte[EVENTS][];
        ids = new String[EVENTS];
        times = new long[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            json[i] = generator.event(i).json();
            ids[i] = generator.event(i).eventId();
            times[i] = generator.event(i).ts();
        }
    }

    private int index() {
        next = (next + 1) & (EVENTS - 1);
        return next;
    }

    @Benchmark
    public ParseOutcome parse() {
        return parser.parse(json[index()]);
    }

    @Benchmark
    public byte[] eventRowKey() {
        return EventRowKey.of(ids[index()], 32);
    }

    @Benchmark
    public String archiveFileName() {
        return ArchiveLayout.eventFile(range, times[index()]);
    }

    @Benchmark
    public byte[] countRowKey() {
        int i = index();
        return ResultsLayout.countRow(
                times[i] / 60_000 * 60_000, new ExperimentKey("acct-1", "exp-" + (i & 7)), "var-1");
    }
}
