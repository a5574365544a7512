package io.sluice.driver.replay;

import io.sluice.api.TaskContext;
import io.sluice.api.TaskOutput;
import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import io.sluice.checkpoint.Epoch;
import io.sluice.checkpoint.SourceRange;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParseOutcome;
import io.sluice.jobs.pipeline.ExecutorHadoop;
import io.sluice.jobs.pipeline.PipelineSettings;
import io.sluice.jobs.results.ResultsRecount;
import io.sluice.jobs.results.ResultsSettings;
import io.sluice.jobs.results.ResultsUpdate;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import io.sluice.jobs.sink.archive.ArchiveReplicator;
import io.sluice.jobs.sink.archive.EventFormat;
import io.sluice.jobs.sink.archive.ParquetEvents;
import io.sluice.jobs.sink.hbase.EventClaims;
import io.sluice.jobs.sink.hbase.HBaseVisitorClaims;
import io.sluice.jobs.sink.hbase.ResultsSink;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.spark.JavaHBaseContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * A replay of archived events through jobs: the primary archive root's Parquet files of the hours in [from, to) are
 * read by Spark tasks, one file per task, each event with the source position it was archived with, and handed to
 * the jobs' task sides as the batches of their partitions, so every cell keyed by identity, event time or source
 * position is written again alike. The event store's claims are written at the same positions as the live run's.
 * The results are recounted from the same events and their windows lying wholly in the range written as absolute
 * values, fenced by {@code epoch}. Everything is idempotent: a replay run twice, or killed and run again, ends the
 * same. Files go in steps of a few per task slot, and a progress line follows each step.
 */
public final class ArchiveReplayRun {
    private static final long HOUR = 3_600_000L;
    /** Test-only: a pause after each step (ms), so that a kill lands in the middle of a replay. */
    public static final String STEP_DELAY_MS = "sluice.test.replay-step-delay-ms";

    private static final String EVENTS = "events";

    /** A job's task side, by name. */
    public record Output(String job, TaskOutput output) implements Serializable {}

    /**
     * @param outputs the task sides to write, in order
     * @param claims whether to write the event store's claims first (with the event store)
     * @param results the results settings when the results are replayed; null otherwise
     */
    public record Plan(
            PipelineSettings pipeline,
            List<Output> outputs,
            boolean claims,
            ResultsSettings results,
            long from,
            long to)
            implements Serializable {
        public Plan {
            outputs = List.copyOf(outputs);
        }
    }

    /** What a replay did. */
    public record Outcome(int files, long events, long countRows, long topRows) {}

    private ArchiveReplayRun() {}

    /** Rounds {@code from} down and {@code to} up to whole hours, the archive's partitions. */
    public static long[] hours(long from, long to) {
        return new long[] {Math.floorDiv(from, HOUR) * HOUR, Math.floorDiv(to + HOUR - 1, HOUR) * HOUR};
    }

    /**
     * The event files readers see in the hours of [from, to) of a root (compacted or small), in name order.
     *
     * @throws IOException when one is not Parquet: only Parquet files carry the source positions
     */
    public static List<String> files(FileSystem fs, ArchiveLayout layout, long from, long to) throws IOException {
        List<String> files = new ArrayList<>();
        for (long hour = from; hour < to; hour += HOUR) {
            for (String relative : ArchiveReplicator.visibleFiles(
                            fs, layout, layout.published(ArchiveLayout.hourDir(hour)))
                    .keySet()) {
                String name = relative.substring(relative.lastIndexOf('/') + 1);
                if (!EventFormat.isEventFile(name)) {
                    continue;
                }
                if (!name.endsWith(".parquet")) {
                    throw new IOException("replay reads each event's source position from the Parquet archive, and "
                            + layout.published(relative) + " is JSON lines (sluice.job.archive.format=jsonl): its"
                            + " events cannot be written at their positions");
                }
                files.add(layout.published(relative).toString());
            }
        }
        return files;
    }

    /**
     * Replays {@code files} through the plan's jobs with {@code sc}, in steps of {@code step} files, printing progress
     * to {@code out}; then writes the results of the range under {@code epoch} with {@code hbase}.
     */
    public static Outcome run(
            JavaSparkContext sc,
            Configuration hbaseConf,
            Connection hbase,
            Epoch epoch,
            Plan plan,
            List<String> files,
            int step,
            PrintStream out)
            throws IOException, InterruptedException {
        long delay = Long.getLong(STEP_DELAY_MS, 0);
        boolean usesHBase = hbaseConf != null;
        JavaHBaseContext hbaseContext = usesHBase ? new JavaHBaseContext(sc, hbaseConf) : null;
        Map<List<Object>, Long> sums = new HashMap<>();
        long events = 0;
        long started = System.nanoTime();
        for (int done = 0; done < files.size(); done += step) {
            List<String> chunk = files.subList(done, Math.min(files.size(), done + step));
            JavaRDD<String> rdd = sc.parallelize(chunk, chunk.size());
            JavaRDD<Tuple2<List<Object>, Long>> keyed = usesHBase
                    ? hbaseContext.<String, Tuple2<List<Object>, Long>>mapPartitions(
                            rdd, t -> replay(plan, t._1(), t._2()))
                    : rdd.mapPartitions(it -> replay(plan, it, null));
            Map<List<Object>, Long> stepSums =
                    keyed.mapToPair(t -> t).reduceByKey(Long::sum).collectAsMap();
            for (Map.Entry<List<Object>, Long> e : stepSums.entrySet()) {
                if (e.getKey().equals(List.of(EVENTS))) {
                    events += e.getValue();
                } else {
                    sums.merge(e.getKey(), e.getValue(), Long::sum);
                }
            }
            out.printf(
                    "replay: %d/%d files, %,d events, %d s%n",
                    done + chunk.size(), files.size(), events, (System.nanoTime() - started) / 1_000_000_000L);
            out.flush();
            if (delay > 0) {
                Thread.sleep(delay);
            }
        }
        long countRows = 0;
        long topRows = 0;
        if (plan.results() != null) {
            ResultsUpdate update = ResultsRecount.snapshot(sums)
                    .within(
                            plan.from(),
                            plan.to(),
                            plan.results(),
                            new HBaseVisitorClaims(hbase, plan.results().table()));
            new ResultsSink(hbase, plan.results().table(), plan.results().windowMs()).write(update, epoch);
            countRows = update.counts().size();
            topRows = update.tops().size();
        }
        return new Outcome(files.size(), events, countRows, topRows);
    }

    /** One task: its files' events through the jobs; returns the results' keys and the number of events. */
    private static Iterator<Tuple2<List<Object>, Long>> replay(Plan plan, Iterator<String> files, Connection hbase)
            throws IOException {
        EventParser parser = plan.pipeline().parser();
        Configuration hadoop = ExecutorHadoop.configuration(plan.pipeline().hadoopProperties());
        List<Tuple2<List<Object>, Long>> keys = new ArrayList<>();
        Context context = new Context(hadoop, hbase);
        long events = 0;
        while (files.hasNext()) {
            Path file = new Path(files.next());
            FileSystem fs = FileSystem.get(URI.create(file.toString()), hadoop);
            Map<TopicPartitionKey, List<PositionedEvent>> byPartition = new LinkedHashMap<>();
            ParquetEvents.readPositioned(fs, file, a -> {
                if (!(parser.parse(a.raw()) instanceof ParseOutcome.Valid valid)) {
                    throw new IllegalStateException(file + " holds an event the parser rejects at " + a.topic() + "-"
                            + a.partition() + "+" + a.offset() + ": the replay's event schema differs from the run's");
                }
                byPartition
                        .computeIfAbsent(new TopicPartitionKey(a.topic(), a.partition()), k -> new ArrayList<>())
                        .add(new PositionedEvent(a.offset(), valid.event(), a.raw(), a.arrival()));
                if (plan.results() != null) {
                    ResultsRecount.addKeys(valid.event(), plan.results(), keys);
                }
            });
            for (Map.Entry<TopicPartitionKey, List<PositionedEvent>> p : byPartition.entrySet()) {
                List<PositionedEvent> valid = p.getValue();
                valid.sort(Comparator.comparingLong(PositionedEvent::offset));
                SourceRange range = SourceRange.of(
                        p.getKey().topic(),
                        p.getKey().partition(),
                        valid.get(0).offset(),
                        valid.get(valid.size() - 1).offset() + 1);
                PartitionBatch batch = new PartitionBatch(range, valid, List.of());
                if (plan.claims()) {
                    // the claims the live run made, at the same positions; the archive holds each identity once, so
                    // every archived event is written whatever the claims answer
                    EventClaims.keepFirst(hbase, plan.pipeline().hbase(), batch, EventClaims.position(p.getKey()));
                }
                for (Output output : plan.outputs()) {
                    output.output().write(batch, context);
                }
                events += valid.size();
            }
        }
        keys.add(new Tuple2<>(List.of(EVENTS), events));
        return keys.iterator();
    }

    /** A replay task's context: no stage (replayed jobs write cells, not files), no arrival of its own. */
    private record Context(Configuration hadoop, Connection hbase) implements TaskContext {
        @Override
        public String stage() {
            throw new UnsupportedOperationException("a replay has no stage: it replays jobs that write cells");
        }

        @Override
        public long arrival() {
            return NO_ARRIVAL;
        }

        @Override
        public void count(String name, long n) {}

        @Override
        public void report(Serializable sum) {}
    }
}
