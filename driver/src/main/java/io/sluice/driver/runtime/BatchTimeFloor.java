package io.sluice.driver.runtime;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.util.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push ingestion numbers its source positions by batch time ({@code ReceivedPositions}), and batch times come from
 * the streaming clock of the host the driver runs on. A driver that takes over on a host whose clock runs behind the
 * last committed batch (or the checkpoint) would give its first batches times that are committed already, and their
 * freshly acknowledged blocks would be skipped. So before the streaming context starts, the driver waits until its
 * clock has passed both; a clock further behind than {@link #MAX_WAIT_MS} stops start-up with one line instead.
 */
final class BatchTimeFloor {
    private static final Logger LOG = LoggerFactory.getLogger(BatchTimeFloor.class);
    /** How far behind the last batch a clock may be for start-up to wait rather than refuse. */
    static final long MAX_WAIT_MS = TimeUnit.MINUTES.toMillis(10);

    private static final Pattern CHECKPOINT_FILE = Pattern.compile("checkpoint-(\\d+)(\\.bk)?");

    private BatchTimeFloor() {}

    /** Waits until the streaming clock of {@code conf} (Spark's {@code spark.streaming.clock}) is past {@code floor}. */
    static void await(SparkConf conf, long floor) throws InterruptedException {
        Clock clock = clock(conf);
        long behind = floor - clock.getTimeMillis();
        if (behind < 0) {
            return;
        }
        if (behind > MAX_WAIT_MS) {
            throw new IllegalStateException("this host's clock is " + behind + " ms behind the last batch time another"
                    + " driver used (" + floor + " ms): push ingestion numbers its positions by batch time; set the"
                    + " clock right (NTP) and start again");
        }
        LOG.warn(
                "this host's clock is {} ms behind the last batch time another driver used ({} ms): waiting for it"
                        + " before starting, so no batch time is used twice",
                behind,
                floor);
        while (clock.getTimeMillis() <= floor) {
            TimeUnit.MILLISECONDS.sleep(Math.min(1_000, Math.max(1, floor - clock.getTimeMillis() + 1)));
        }
    }

    /** The time of the newest checkpoint in {@code dir}, or {@link Long#MIN_VALUE} when there is none. */
    static long newestCheckpoint(String dir, Configuration hadoop) throws IOException {
        Path path = new Path(dir);
        FileSystem fs = path.getFileSystem(hadoop);
        if (!fs.exists(path)) {
            return Long.MIN_VALUE;
        }
        long newest = Long.MIN_VALUE;
        for (FileStatus file : fs.listStatus(path)) {
            Matcher m = CHECKPOINT_FILE.matcher(file.getPath().getName());
            if (m.matches()) {
                newest = Math.max(newest, Long.parseLong(m.group(1)));
            }
        }
        return newest;
    }

    private static Clock clock(SparkConf conf) {
        String name = conf.get("spark.streaming.clock", "org.apache.spark.util.SystemClock");
        try {
            return (Clock) Class.forName(name, true, Thread.currentThread().getContextClassLoader())
                    .getConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("spark.streaming.clock: cannot create " + name + ": " + e, e);
        }
    }
}
