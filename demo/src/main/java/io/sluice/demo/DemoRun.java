package io.sluice.demo;

import io.sluice.driver.config.SluiceSettings;
import io.sluice.driver.results.ResultsCheck;
import io.sluice.jobs.results.ResultsSettings;
import io.sluice.testkit.generator.EventGenerator;
import io.sluice.testkit.generator.EventProducer;
import io.sluice.testkit.generator.GroundTruth;
import io.sluice.testkit.verify.ArchiveContents;
import io.sluice.testkit.verify.CommittedArchives;
import io.sluice.testkit.verify.EventStoreContents;
import io.sluice.testkit.verify.Outcome;
import io.sluice.testkit.verify.OutcomeVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One demo run, whatever its mode: its servers and settings, the generator, what has been sent (recorded so that a
 * second run in the same directory continues the sequence), and the two things every mode does alike: producing to
 * Kafka and verifying every output against the generator's ground truth.
 */
final class DemoRun {
    static final String TOPIC = "events";
    static final String BUCKET = "sluice-archive";

    final DemoOptions options;
    final Path dataDir;
    final DemoServers servers;
    final SluiceSettings settings;
    final EventGenerator generator;
    private final AtomicReference<DemoState> state;
    private final AtomicBoolean stopping = new AtomicBoolean();

    DemoRun(
            DemoOptions options,
            Path dataDir,
            DemoServers servers,
            SluiceSettings settings,
            EventGenerator generator,
            DemoState state) {
        this.options = options;
        this.dataDir = dataDir;
        this.servers = servers;
        this.settings = settings;
        this.generator = generator;
        this.state = new AtomicReference<>(state);
    }

    /** Events sent by this run and the earlier ones in the directory (all acknowledged). */
    long sent() {
        return state.get().sent();
    }

    /** Records that {@code sent} events were sent and acknowledged. */
    void sent(long sent) {
        state.getAndUpdate(s -> {
            try {
                return s.withSent(sent);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Asks the generator to stop (Ctrl-C): what it sent is flushed and recorded. */
    void stop() {
        stopping.set(true);
    }

    boolean stopping() {
        return stopping.get();
    }

    /** The last event this run sends: {@code --events} more, or none (run until Ctrl-C). */
    long target() {
        return options.events() == 0 ? Long.MAX_VALUE : sent() + options.events();
    }

    /** Sends events {@code [sent, target)} to the topic at {@code --rate}, skipping those Kafka holds already. */
    long produce(long target, SentEvents inKafka) {
        try (EventProducer producer =
                new EventProducer(servers.kafka().bootstrapServers(), TOPIC, options.partitions())) {
            long next = sent();
            while (next < target && !stopping()) {
                long chunk = Math.min(target, next + Math.max(1000, options.rate()));
                next = producer.send(generator, next, chunk, options.rate(), () -> !stopping(), inKafka::contains);
                sent(next);
            }
            return next;
        } catch (Exception e) {
            throw new IllegalStateException("demo: the generator failed: " + e, e);
        }
    }

    /** Compares HBase, every archive root and the results with what the generator sent; prints the outcome. */
    boolean verify(String extra) throws Exception {
        System.out.println("demo: verifying HBase and every archive root against the generator's ground truth");
        ResultsSettings results = settings.pipeline().results();
        long lateness = results.enabled() ? results.allowedLatenessMs() : -1;
        GroundTruth truth = settings.kafka() == null
                ? GroundTruth.of( // push ingestion: one event-time clock for the source, fed in sending order
                        generator, sent(), 1, lateness, results.maxFutureMs(), results.reviseWithinMs())
                : GroundTruth.of(
                        generator,
                        sent(),
                        SentEvents.read(settings.kafka().bootstrapServers(), TOPIC, options.partitions())
                                .partitions(),
                        lateness,
                        results.maxFutureMs(),
                        results.reviseWithinMs());
        // a driver killed between a batch's ZooKeeper commit and its publication left that batch staged: roll it
        // forward as the next start would, so that what is only unpublished is not counted as lost
        CommittedArchives committedArchives = CommittedArchives.read(settings);
        if (committedArchives.filesRolledForward() > 0) {
            System.out.printf(
                    "demo: published %,d files of the committed stage %s, or copied to a replica, that its driver"
                            + " had not%n",
                    committedArchives.filesRolledForward(), committedArchives.committedStage());
        }
        List<ArchiveContents> archives = committedArchives.archives();
        for (ArchiveContents archive : archives) {
            System.out.printf(
                    "demo: archive %s: %,d event lines, %,d dead letters %s%s%n",
                    archive.root(),
                    archive.lines(),
                    archive.deadLetters(),
                    new TreeMap<>(archive.deadLetterReasons()),
                    archive.jobDeadLetters().isEmpty()
                            ? ""
                            : ", and of single jobs " + new TreeMap<>(archive.jobDeadLetters()));
        }
        EventStoreContents hbase;
        try (Connection connection =
                ConnectionFactory.createConnection(settings.pipeline().hbase().clientConfiguration())) {
            hbase = EventStoreContents.read(
                    connection, settings.pipeline().hbase().eventTable());
        }
        Outcome outcome = OutcomeVerifier.verify(truth, hbase, archives);
        if (results.enabled()) {
            System.out.println("demo: recounting the archive with Spark and comparing it with the results table");
            SparkConf recount = new SparkConf()
                    .setMaster("local[2]")
                    .setAppName("sluice-demo-recount")
                    .set("spark.ui.enabled", "false");
            settings.pipeline().hadoopProperties().forEach((k, v) -> recount.set("spark.hadoop." + k, v));
            try (JavaSparkContext sc = new JavaSparkContext(recount)) {
                ResultsCheck.Report report = ResultsCheck.run(
                        settings, sc, settings.pipeline().archiveRoots().get(0));
                report.differences().forEach(d -> System.out.println("demo: results difference: " + d));
                System.out.println("demo: results: " + report.summary());
                System.out.println("demo: comparing the results table with the generator's ground truth");
                List<String> fromTruth = ResultsCheck.against(settings, truth.results(results));
                fromTruth.forEach(d -> System.out.println("demo: results vs ground truth: " + d));
                outcome = outcome.withResultsExact(report.exact() && fromTruth.isEmpty());
            }
        }
        boolean exact = outcome.exact(truth);
        System.out.println(outcome.summary() + extra);
        if (!exact) {
            System.out.println("demo: FAILED: expected valid="
                    + truth.validIds().size() + " dead_letter="
                    + truth.deadLetters() + " too_late=" + truth.tooLateIds().size() + " revised="
                    + truth.revisedSeqs().size() + " future="
                    + truth.futureIds().size()
                    + " dead letters by reason " + truth.deadLettersByReason()
                    + ", hbase_rows=archived=valid, lost=0, duplicated=0, results_exact=true");
        }
        return exact;
    }
}
