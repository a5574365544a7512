package io.sluice.it.wal;

import static io.sluice.it.support.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.demo.generator.EventGenerator;
import io.sluice.it.fixture.HdfsExtension;
import io.sluice.it.fixture.RealServers;
import io.sluice.it.fixture.ZooKeeperExtension;
import io.sluice.wal.EventSender;
import io.sluice.wal.HttpEventReceiver;
import io.sluice.wal.ReceiverRegistry;
import io.sluice.wal.ReceiverSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.SparkConf;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Push ingestion's reliable receivers on real Spark Streaming with the receiver write-ahead log and the checkpoint on
 * HDFS (MiniDFSCluster): two receivers register in ZooKeeper, a sender discovers them and pushes generated events in
 * batches, and every acknowledged event reaches the batch output. The WAL's files on HDFS are printed. (The receivers
 * are not yet wired to the pipeline's sinks: see the README's status.)
 */
@RealServers
class ReceiverWalIT {
    private static final int EVENTS = 20_000;

    @Test
    @Timeout(600)
    void everyAcknowledgedEventReachesTheBatchOutputThroughTheWal() throws Exception {
        String root = HdfsExtension.uri() + "/receiver-wal";
        String registry = "/sluice/receiver-wal/receivers";
        String zookeeper = ZooKeeperExtension.server().connectString();
        SparkConf conf = new SparkConf()
                .setMaster("local[4]") // two receivers hold a core each
                .setAppName("receiver-wal-it")
                .set("spark.ui.enabled", "false")
                .set("spark.streaming.receiver.writeAheadLog.enable", "true")
                .set("spark.streaming.backpressure.enabled", "true")
                .set("spark.streaming.receiver.maxRate", "20000");
        ReceiverSettings settings = new ReceiverSettings("127.0.0.1", 0, 0, 4 << 20, "it-token", zookeeper, registry);
        JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.seconds(1));
        try (CuratorFramework zk = CuratorFrameworkFactory.newClient(zookeeper, new RetryOneTime(200))) {
            zk.start();
            ssc.checkpoint(root + "/checkpoint");
            JavaDStream<byte[]> events = ssc.receiverStream(new HttpEventReceiver(settings))
                    .union(ssc.receiverStream(new HttpEventReceiver(settings)));
            String out = root + "/out/";
            events.foreachRDD((rdd, time) ->
                    rdd.map(b -> new String(b, StandardCharsets.UTF_8)).saveAsTextFile(out + time.milliseconds()));
            ssc.start();
            eventually(
                    Duration.ofMinutes(2),
                    () -> ReceiverRegistry.live(zk, registry).size() == 2,
                    "two receivers registered");
            System.out.println("ReceiverWalIT: receivers " + ReceiverRegistry.live(zk, registry));

            EventGenerator generator = new EventGenerator(51, 0.02, 0.0);
            Map<String, Integer> sent = new HashMap<>();
            List<byte[]> payload = new ArrayList<>();
            LongStream.range(0, EVENTS).forEach(seq -> {
                byte[] json = generator.event(seq).json();
                for (String line : new String(json, StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        sent.merge(line, 1, Integer::sum);
                    }
                }
                payload.add(json);
            });
            long sentLines =
                    sent.values().stream().mapToLong(Integer::longValue).sum();
            try (EventSender sender = EventSender.discovering(
                    zookeeper,
                    registry,
                    EventSender.Options.defaults()
                            .withToken("it-token")
                            .withBatchSize(400)
                            .withGzip(true))) {
                assertThat(sender.send(payload.iterator())).isEqualTo(EVENTS);
            }
            FileSystem fs = HdfsExtension.fileSystem();
            eventually(
                    Duration.ofMinutes(3),
                    () -> count(fs, out).values().stream()
                                    .mapToLong(Integer::longValue)
                                    .sum()
                            >= sentLines,
                    "every acknowledged line in the output");
            Map<String, Integer> received = count(fs, out);
            assertThat(received).as("lines in the batch output").isEqualTo(sent);
            printWal(fs, root + "/checkpoint");
            assertThat(fs.exists(new Path(root + "/checkpoint/receivedData"))).isTrue();
            assertThat(fs.exists(new Path(root + "/checkpoint/receivedBlockMetadata")))
                    .isTrue();
        } finally {
            ssc.stop(true, false);
        }
    }

    private static Map<String, Integer> count(FileSystem fs, String out) throws Exception {
        Map<String, Integer> lines = new HashMap<>();
        if (!fs.exists(new Path(out))) {
            return lines;
        }
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(new Path(out), true);
        while (files.hasNext()) {
            Path file = files.next().getPath();
            if (!file.getName().startsWith("part-") || file.toString().contains("/_temporary/")) {
                continue;
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
                in.lines().forEach(l -> lines.merge(l, 1, Integer::sum));
            }
        }
        return lines;
    }

    private static void printWal(FileSystem fs, String checkpoint) throws Exception {
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(new Path(checkpoint), true);
        while (files.hasNext()) {
            LocatedFileStatus f = files.next();
            String path = f.getPath().toUri().getPath();
            if (path.contains("/receivedData/") || path.contains("/receivedBlockMetadata/")) {
                System.out.printf("ReceiverWalIT: WAL file %s (%,d bytes)%n", path, f.getLen());
            }
        }
    }
}
