package io.sluice.driver.config;

import static io.sluice.driver.config.SluiceConfig.*;

import io.sluice.jobs.event.ParserLimits;
import io.sluice.jobs.pipeline.PipelineSettings;
import io.sluice.jobs.results.ResultsSettings;
import io.sluice.jobs.sink.hbase.HBaseSettings;
import io.sluice.jobs.source.KafkaSourceSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated settings of one driver run, built from {@link SluiceConfig}'s definitions. Exactly one of {@code
 * kafka} and {@code httpSource} is set, after {@code sluice.source}.
 */
public record SluiceSettings(
        String appName,
        String zookeeperConnect,
        int zookeeperSessionTimeoutMs,
        long suspendedGraceMs,
        int httpPort,
        int readyIntervals,
        KafkaSourceSettings kafka,
        HttpSourceSettings httpSource,
        long batchIntervalMs,
        String checkpointDir,
        long gracefulStopTimeoutMs,
        boolean createTables,
        PipelineSettings pipeline,
        Map<String, String> sparkProperties) {

    public static SluiceSettings from(Config c) {
        boolean push = c.getString(SOURCE).equals("http");
        KafkaSourceSettings kafka = push
                ? null
                : new KafkaSourceSettings(
                        c.getString(KAFKA_BOOTSTRAP),
                        c.getList(KAFKA_TOPICS),
                        c.getString(KAFKA_GROUP),
                        c.getString(KAFKA_RESET),
                        Map.of(),
                        c.getLong(KAFKA_DISCOVERY));
        ParserLimits limits = new ParserLimits(
                c.getInt(MAX_EVENT_BYTES), c.getInt(MAX_DEPTH), c.getInt(MAX_STRING), c.getInt(MAX_ATTRIBUTES));
        HBaseSettings hbase = new HBaseSettings(
                c.getBoolean(HBASE_ENABLED),
                c.getString(HBASE_QUORUM),
                c.getInt(HBASE_PORT),
                c.getString(HBASE_ZNODE),
                c.getString(HBASE_EVENT_TABLE),
                c.getInt(HBASE_SALT),
                Map.of(
                        "hbase.client.retries.number",
                        Integer.toString(c.getInt(HBASE_RETRIES)),
                        "hbase.client.operation.timeout",
                        Integer.toString(c.getInt(HBASE_OPERATION_TIMEOUT)),
                        "zookeeper.recovery.retry",
                        "3"));
        ResultsSettings results = results(c, hbase);
        HttpSourceSettings httpSource = push ? httpSource(c, hbase) : null;
        Map<String, String> spark = new LinkedHashMap<>();
        spark.put("spark.app.name", "sluice-" + c.getString(APP_NAME));
        spark.put("spark.streaming.backpressure.enabled", Boolean.toString(c.getBoolean(KAFKA_BACKPRESSURE)));
        spark.put("spark.streaming.kafka.maxRatePerPartition", Long.toString(c.getLong(KAFKA_MAX_RATE)));
        spark.put("spark.streaming.backpressure.initialRate", Long.toString(c.getLong(KAFKA_INITIAL_RATE)));
        spark.put("spark.streaming.backpressure.pid.minRate", Long.toString(c.getLong(KAFKA_MIN_RATE)));
        // one output operation per batch, run one batch at a time: the commit protocol relies on it
        spark.put("spark.streaming.concurrentJobs", "1");
        // SIGTERM/Ctrl-C: Spark's shutdown hook finishes received batches (they commit) within the timeout
        spark.put("spark.streaming.stopGracefullyOnShutdown", "true");
        spark.put("spark.streaming.gracefulStopTimeout", Long.toString(c.getLong(GRACEFUL_STOP)));
        if (push) {
            // a request is acknowledged only once its block is in the receiver WAL (under the checkpoint directory)
            spark.put("spark.streaming.receiver.writeAheadLog.enable", "true");
            spark.put("spark.streaming.receiver.maxRate", Long.toString(c.getLong(HTTP_MAX_RATE)));
            if (c.getString(CHECKPOINT_DIR).startsWith("s3a:")) { // S3 has no append/flush: one object per write
                spark.put("spark.streaming.receiver.writeAheadLog.closeFileAfterWrite", "true");
                spark.put("spark.streaming.driver.writeAheadLog.closeFileAfterWrite", "true");
            }
        }
        spark.putAll(c.sparkProperties());
        refuseSpeculation(spark.get(SPECULATION));
        Map<String, String> hadoop = new LinkedHashMap<>();
        spark.forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.")) {
                hadoop.put(k.substring("spark.hadoop.".length()), v);
            }
        });
        return new SluiceSettings(
                c.getString(APP_NAME),
                c.getString(ZK_CONNECT),
                c.getInt(ZK_SESSION_TIMEOUT),
                c.getLong(HA_SUSPENDED_GRACE),
                c.getInt(HTTP_PORT),
                c.getInt(HTTP_READY_INTERVALS),
                kafka,
                httpSource,
                c.getLong(BATCH_INTERVAL),
                c.getString(CHECKPOINT_DIR),
                c.getLong(GRACEFUL_STOP),
                c.getBoolean(HBASE_CREATE),
                new PipelineSettings(limits, c.getList(ARCHIVE_ROOTS), hbase, results, hadoop),
                Map.copyOf(spark));
    }

    private static HttpSourceSettings httpSource(Config c, HBaseSettings hbase) {
        if (!hbase.enabled()) {
            throw new ConfigException(SOURCE + "=http needs " + HBASE_ENABLED + "=true: copies of a retried request"
                    + " are dropped by claims in the event table");
        }
        String ports = c.getString(HTTP_PORTS);
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d{1,5})-(\\d{1,5})").matcher(ports.trim());
        int from;
        int to;
        if (!m.matches() || (from = Integer.parseInt(m.group(1))) > (to = Integer.parseInt(m.group(2))) || to > 65535) {
            throw new ConfigException(HTTP_PORTS + ": expected FROM-TO within 0-65535 with FROM <= TO, e.g. 9600-9699,"
                    + " got '" + ports + "'");
        }
        String tokenEnv = c.getString(HTTP_TOKEN_ENV);
        String token = null;
        if (!tokenEnv.isBlank()) {
            token = System.getenv(tokenEnv);
            if (token == null || token.isBlank()) {
                throw new ConfigException(HTTP_TOKEN_ENV + ": the environment variable " + tokenEnv + " is not set");
            }
        }
        String host = c.getString(HTTP_HOST).isBlank() ? null : c.getString(HTTP_HOST);
        return new HttpSourceSettings(
                c.getInt(HTTP_RECEIVERS),
                new io.sluice.wal.ReceiverSettings(
                        host,
                        from,
                        to,
                        c.getLong(HTTP_MAX_BODY),
                        c.getInt(HTTP_MAX_LINES),
                        token,
                        c.getString(ZK_CONNECT),
                        io.sluice.checkpoint.ZooKeeperPaths.forApplication(c.getString(APP_NAME))
                                .receivers(),
                        io.sluice.checkpoint.ZooKeeperPaths.forApplication(c.getString(APP_NAME))
                                .epoch()));
    }

    /** Spark's key for speculative task attempts, which Sluice refuses. */
    public static final String SPECULATION = "spark.speculation";

    /**
     * Refuses {@code spark.speculation=true} (from the properties file, or from spark-submit's {@code --conf}): two
     * attempts of one task would run the sinks side by side, and the protocol's claims, counters and batch outputs are
     * built for one attempt at a time (a retry after a failure), not for a race. Any other value is accepted.
     *
     * @throws ConfigException naming the key and the way out
     */
    public static void refuseSpeculation(String value) {
        if (value != null && value.trim().equalsIgnoreCase("true")) {
            throw new ConfigException(SPECULATION + "=true is not supported: speculative task attempts would write"
                    + " Sluice's sinks side by side; remove it or set " + SPECULATION + "=false");
        }
    }

    private static ResultsSettings results(Config c, HBaseSettings hbase) {
        boolean enabled = c.getBoolean(RESULTS_ENABLED);
        if (enabled && !hbase.enabled()) {
            throw new ConfigException(RESULTS_ENABLED + "=true needs " + HBASE_ENABLED
                    + "=true (the results are written to HBase); set " + RESULTS_ENABLED + "=false to run without");
        }
        long slide = c.getLong(RESULTS_TOP_SLIDE);
        for (String key : List.of(RESULTS_WINDOW, RESULTS_TOP_WINDOW)) {
            if (c.getLong(key) % slide != 0) {
                throw new ConfigException(key + " must be a multiple of " + RESULTS_TOP_SLIDE + " (" + slide
                        + " ms), got " + c.getLong(key));
            }
        }
        return new ResultsSettings(
                enabled,
                c.getLong(RESULTS_WINDOW),
                c.getLong(RESULTS_LATENESS),
                c.getInt(RESULTS_TOP_N),
                c.getLong(RESULTS_TOP_WINDOW),
                slide,
                c.getString(RESULTS_TABLE),
                c.getLong(RESULTS_MAX_FUTURE),
                c.getLong(RESULTS_IDLE_PARTITION));
    }

    /** Never prints property values: they may hold credentials. */
    @Override
    public String toString() {
        return "SluiceSettings[app=" + appName + ", source=" + (kafka != null ? "kafka " + kafka.topics() : "http")
                + ", " + pipeline + "]";
    }
}
