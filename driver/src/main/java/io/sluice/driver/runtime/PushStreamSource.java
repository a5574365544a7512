package io.sluice.driver.runtime;

import io.sluice.api.SourceReplay;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.jobs.archive.ArchiveJob;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import io.sluice.jobs.sink.archive.ArchiveReplay;
import io.sluice.jobs.source.PushSource;
import io.sluice.wal.HttpEventReceiver;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function0;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * Push ingestion: {@code sluice.http-source.receivers} reliable HTTP receivers unioned into one stream. The checkpoint
 * holds the only record of the acknowledged blocks pending in the receiver WAL, so it is read with retries and never
 * replaced by a fresh start; a job replays from the primary archive root, which holds every committed batch, and a
 * lagging job catches up from it ({@link PushBatches#catchUp}).
 */
final class PushStreamSource implements StreamSource {
    private final SluiceSettings settings;

    PushStreamSource(SluiceSettings settings) {
        this.settings = settings;
    }

    @Override
    public void create(JavaStreamingContext ssc, CommittedOffsets from) {
        JavaDStream<byte[]> received = null;
        for (int i = 0; i < settings.httpSource().receivers(); i++) {
            JavaDStream<byte[]> one = ssc.receiverStream(
                    new HttpEventReceiver(settings.httpSource().receiver()));
            received = received == null ? one : received.union(one);
        }
        received.foreachRDD(new BatchOutput<>(new PushBatches(received.dstream())));
    }

    @Override
    public SourceReplay replay(JavaSparkContext jsc, Configuration hadoop) throws IOException {
        List<String> roots = settings.pipeline().archiveRoots();
        if (roots.isEmpty()) {
            return new NoReplay();
        }
        return new ArchiveReplay(
                FileSystem.get(URI.create(roots.get(0)), hadoop),
                new ArchiveLayout(roots.get(0)),
                settings.pipeline().parser(),
                settings.pipeline().hbase());
    }

    /** Push positions are batch times: a lagging job's lag in milliseconds of batches ({@code lag_ms}). */
    @Override
    public Map<String, Long> lag(CommittedOffsets committed, String job) {
        return Map.of("lag_ms", committed.lagOf(job) / PushSource.RECORDS_PER_BLOCK);
    }

    /** With the archive job and its primary root: the replay source of a lagging job's catch-up. */
    @Override
    public boolean catchesUp() {
        return settings.jobs().stream().anyMatch(j -> j.name().equals(ArchiveJob.NAME))
                && !settings.pipeline().archiveRoots().isEmpty();
    }

    /**
     * Positions are numbered by batch time: the context starts only once this host's clock is past the newest
     * checkpoint and the committed position, whatever it says. An error reading the checkpoint is retried, and one that
     * persists stops start-up rather than starting fresh without the acknowledged blocks.
     */
    @Override
    public JavaStreamingContext getOrCreate(
            Function0<JavaStreamingContext> create,
            Configuration hadoop,
            SparkConf sparkConf,
            CommittedOffsets committed,
            long newestCheckpoint)
            throws Exception {
        long floor = newestCheckpoint;
        OptionalLong pushed = committed.next(PushSource.CLOCK);
        if (pushed.isPresent()) {
            floor = Math.max(floor, pushed.getAsLong() / PushSource.RECORDS_PER_BLOCK - 1);
        }
        if (floor != Long.MIN_VALUE) {
            BatchTimeFloor.await(sparkConf, floor);
        }
        return CheckpointReading.withRetries(
                settings.checkpointDir(),
                CheckpointReading.DEFAULT_ATTEMPTS,
                CheckpointReading.DEFAULT_BACKOFF,
                () -> JavaStreamingContext.getOrCreate(settings.checkpointDir(), create, hadoop, false));
    }

    @Override
    public String startingPoint() {
        return "the first batch the receivers fill";
    }
}
