package io.sluice.driver.cli;

import io.sluice.api.config.ConfigException;
import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.Epoch;
import io.sluice.checkpoint.EpochCounter;
import io.sluice.checkpoint.TopicPartitionKey;
import io.sluice.checkpoint.ZooKeeperClients;
import io.sluice.checkpoint.ZooKeeperOffsetStore;
import io.sluice.checkpoint.ZooKeeperPaths;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.jobs.pipeline.ExecutorHadoop;
import io.sluice.jobs.source.KafkaLogRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice offsets}: the committed offsets in ZooKeeper next to each partition's log start and end, and, with
 * {@code --move}, an operator's move of a partition's committed offset (after retention deleted records Sluice never
 * processed, or after a topic was re-created). A move needs every driver stopped (none in the leader election); it
 * takes a new epoch, commits the moved offsets and deletes Spark's checkpoint, whose pending batches would read from
 * the old offsets, so the next start resumes from ZooKeeper.
 */
@Command(
        name = "sluice offsets",
        mixinStandardHelpOptions = true,
        description = "Shows the committed Kafka offsets against each partition's log start and end; --move moves one.")
public final class OffsetsCommand implements Callable<Integer> {
    private static final Pattern SET = Pattern.compile("(.+)-(\\d+)=(\\d+)");

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(
            names = "--move",
            paramLabel = "TOPIC-PARTITION=OFFSET",
            description = "Move a partition's committed offset, e.g. events-2=5000 (repeatable).")
    List<String> moves = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(Commands.execute(new OffsetsCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        SluiceSettings settings;
        Map<TopicPartitionKey, Long> wanted = new java.util.TreeMap<>();
        try {
            settings = options.load();
            if (settings.kafka() == null) {
                throw new ConfigException("sluice offsets reads Kafka offsets; sluice.source is http");
            }
            for (String move : moves) {
                Matcher m = SET.matcher(move);
                if (!m.matches()) {
                    throw new ConfigException(
                            "--move: expected TOPIC-PARTITION=OFFSET, e.g. events-2=5000, got '" + move + "'");
                }
                wanted.put(new TopicPartitionKey(m.group(1), Integer.parseInt(m.group(2))), Long.parseLong(m.group(3)));
            }
        } catch (ConfigException e) {
            System.err.println("sluice offsets: " + e.getMessage());
            return 2;
        }
        KafkaLogRange range = KafkaLogRange.read(settings.kafka());
        try (CuratorFramework zk = ZooKeeperClients.client(settings.zookeeperConnect(), settings.zookeeperAuth())) {
            zk.start();
            ZooKeeperPaths paths = ZooKeeperPaths.forApplication(settings.appName());
            ZooKeeperOffsetStore store = new ZooKeeperOffsetStore(zk, paths);
            CommittedOffsets committed = store.load();
            for (TopicPartitionKey key : wanted.keySet()) {
                if (!range.start().containsKey(key)) {
                    System.err.println("sluice offsets: " + key.topic() + "-" + key.partition()
                            + " is not a partition of sluice.kafka.topics "
                            + settings.kafka().topics());
                    return 2;
                }
            }
            if (!wanted.isEmpty()) {
                if (zk.checkExists().forPath(paths.leader()) != null
                        && !zk.getChildren().forPath(paths.leader()).isEmpty()) {
                    System.err.println("sluice offsets: drivers of " + settings.appName() + " are running (ZooKeeper "
                            + paths.leader() + "): stop them first (Marathon: scale the app to 0 instances)");
                    return 1;
                }
                Epoch epoch = new EpochCounter(zk, paths).advance();
                for (Map.Entry<TopicPartitionKey, Long> move : wanted.entrySet()) {
                    committed = committed.withOffset(move.getKey(), move.getValue());
                }
                store.commit(epoch, committed);
                System.out.println("sluice offsets: committed " + wanted + " at " + epoch);
                Path checkpoint = new Path(settings.checkpointDir());
                FileSystem fs = checkpoint.getFileSystem(
                        ExecutorHadoop.configuration(settings.pipeline().hadoopProperties()));
                if (fs.delete(checkpoint, true)) {
                    System.out.println("sluice offsets: deleted the checkpoint " + checkpoint
                            + ": the next start resumes from these offsets");
                }
            }
            System.out.printf("%-30s %14s %14s %14s%n", "partition", "committed", "log start", "log end");
            for (Map.Entry<TopicPartitionKey, Long> p : range.start().entrySet()) {
                System.out.printf(
                        "%-30s %14s %14d %14d%n",
                        p.getKey().topic() + "-" + p.getKey().partition(),
                        committed.next(p.getKey()).isPresent()
                                ? Long.toString(committed.next(p.getKey()).getAsLong())
                                : "-",
                        p.getValue(),
                        range.end().get(p.getKey()));
            }
        }
        return 0;
    }
}
