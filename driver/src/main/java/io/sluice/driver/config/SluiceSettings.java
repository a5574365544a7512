package io.sluice.driver.config;

import static io.sluice.driver.config.SluiceConfig.*;

import io.sluice.api.SluiceJob;
import io.sluice.api.config.Config;
import io.sluice.api.config.ConfigException;
import io.sluice.checkpoint.ZooKeeperAuth;
import io.sluice.jobs.archive.ArchiveJob;
import io.sluice.jobs.event.ParserLimits;
import io.sluice.jobs.event.SchemaConfig;
import io.sluice.jobs.eventstore.EventStoreJob;
import io.sluice.jobs.pipeline.PipelineSettings;
import io.sluice.jobs.results.ResultsJob;
import io.sluice.jobs.results.ResultsSettings;
import io.sluice.jobs.sink.hbase.HBaseConfig;
import io.sluice.jobs.sink.hbase.HBaseSettings;
import io.sluice.jobs.source.KafkaSecrets;
import io.sluice.jobs.source.KafkaSourceSettings;
import io.sluice.wal.ReceiverTls;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The validated settings of one driver run, built from {@link SluiceConfig}'s definitions and the jobs'. Exactly one of
 * {@code kafka} and {@code httpSource} is set, after {@code sluice.source}.
 *
 * @param zookeeperAuth how every ZooKeeper client of the run authenticates (its credential from the environment)
 * @param fixAcls set open ACLs under the application's node instead of refusing to start
 * @param httpHost the address the status endpoints bind
 * @param jobs the jobs to run, each after those it requires
 * @param config every validated property, for the jobs' own keys
 */
public record SluiceSettings(
        String appName,
        String zookeeperConnect,
        int zookeeperSessionTimeoutMs,
        ZooKeeperAuth zookeeperAuth,
        boolean fixAcls,
        long suspendedGraceMs,
        String httpHost,
        int httpPort,
        int readyIntervals,
        KafkaSourceSettings kafka,
        HttpSourceSettings httpSource,
        long batchIntervalMs,
        String checkpointDir,
        long gracefulStopTimeoutMs,
        boolean createTables,
        PipelineSettings pipeline,
        List<SluiceJob> jobs,
        Config config,
        Map<String, String> sparkProperties) {

    /** As {@link #from(Config, List, Function)}, with secrets read from this process's environment. */
    public static SluiceSettings from(Config c, List<SluiceJob> jobs) {
        return from(c, jobs, System::getenv);
    }

    /**
     * @param jobs the jobs {@code sluice.jobs} names, each after those it requires ({@link JobCatalog#select})
     * @param environment where the variables named by the {@code *-env} keys are read (the secrets)
     */
    public static SluiceSettings from(Config c, List<SluiceJob> jobs, Function<String, String> environment) {
        List<String> names = jobs.stream().map(SluiceJob::name).toList();
        boolean push = c.getString(SOURCE).equals("http");
        Map<String, String> hadoop = hadoopProperties(c.sparkProperties());
        KafkaSourceSettings kafka = push ? null : kafka(c, hadoop, environment);
        ParserLimits limits = new ParserLimits(
                c.getInt(MAX_EVENT_BYTES), c.getInt(MAX_DEPTH), c.getInt(MAX_STRING), c.getInt(MAX_ATTRIBUTES));
        HBaseSettings hbase = HBaseConfig.settings(c, names.contains(EventStoreJob.NAME));
        ResultsSettings results = ResultsJob.settings(c, names.contains(ResultsJob.NAME));
        List<String> archiveRoots = names.contains(ArchiveJob.NAME) ? c.getList(ARCHIVE_ROOTS) : List.of();
        HttpSourceSettings httpSource = push ? httpSource(c, names, environment) : null;
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
        spark.put(SecretRedaction.KEY, SecretRedaction.extend(spark.get(SecretRedaction.KEY)));
        return new SluiceSettings(
                c.getString(APP_NAME),
                c.getString(ZK_CONNECT),
                c.getInt(ZK_SESSION_TIMEOUT),
                zookeeperAuth(c, environment),
                c.getBoolean(ZK_FIX_ACLS),
                c.getLong(HA_SUSPENDED_GRACE),
                c.getString(HTTP_HOST_STATUS),
                c.getInt(HTTP_PORT),
                c.getInt(HTTP_READY_INTERVALS),
                kafka,
                httpSource,
                c.getLong(BATCH_INTERVAL),
                c.getString(CHECKPOINT_DIR),
                c.getLong(GRACEFUL_STOP),
                c.getBoolean(HBASE_CREATE),
                new PipelineSettings(limits, SchemaConfig.schema(c), archiveRoots, hbase, results, hadoop),
                List.copyOf(jobs),
                c,
                Map.copyOf(spark));
    }

    private static Map<String, String> hadoopProperties(Map<String, String> spark) {
        Map<String, String> hadoop = new LinkedHashMap<>();
        spark.forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.")) {
                hadoop.put(k.substring("spark.hadoop.".length()), v);
            }
        });
        return hadoop;
    }

    /** The Kafka source, its consumer properties validated and its secrets read from the driver's stores. */
    private static KafkaSourceSettings kafka(
            Config c, Map<String, String> hadoop, Function<String, String> environment) {
        KafkaConsumerProperties consumer = KafkaConsumerProperties.parse(c.withPrefix(KAFKA_CONSUMER));
        KafkaSecrets secrets =
                KafkaSecrets.resolve(consumer.secrets(), hadoop.get(KafkaSecrets.PROVIDER_PATH), environment);
        return new KafkaSourceSettings(
                c.getString(KAFKA_BOOTSTRAP),
                c.getList(KAFKA_TOPICS),
                c.getString(KAFKA_GROUP),
                c.getString(KAFKA_RESET),
                consumer.clear(),
                c.getLong(KAFKA_DISCOVERY),
                secrets);
    }

    /** The ZooKeeper authentication {@code sluice.zookeeper.auth} names, its digest credential from the environment. */
    static ZooKeeperAuth zookeeperAuth(Config c, Function<String, String> environment) {
        String scheme = c.getString(ZK_AUTH);
        if (scheme.equals("digest")) {
            String credential = secret(c, ZK_AUTH_ENV, environment, ZK_AUTH + "=digest");
            if (credential.indexOf(':') <= 0 || credential.endsWith(":")) {
                throw new ConfigException(ZK_AUTH_ENV + ": the environment variable " + c.getString(ZK_AUTH_ENV)
                        + " must hold user:password");
            }
            return ZooKeeperAuth.digest(credential);
        }
        if (scheme.equals("sasl")) {
            if (System.getProperty("java.security.auth.login.config") == null) {
                throw new ConfigException(ZK_AUTH + "=sasl needs a JAAS configuration with a Client section:"
                        + " -Djava.security.auth.login.config=FILE on the driver (and the executors, for the"
                        + " receivers)");
            }
            return ZooKeeperAuth.sasl();
        }
        return ZooKeeperAuth.NONE;
    }

    /** The value of the environment variable {@code key} names, which {@code neededBy} requires. */
    private static String secret(Config c, String key, Function<String, String> environment, String neededBy) {
        String name = c.getString(key);
        if (name.isBlank()) {
            throw new ConfigException(
                    key + ": " + neededBy + " needs the name of the environment variable" + " holding the secret");
        }
        String value = environment.apply(name);
        if (value == null || value.isBlank()) {
            throw new ConfigException(key + ": the environment variable " + name + " is not set");
        }
        return value;
    }

    private static HttpSourceSettings httpSource(Config c, List<String> jobs, Function<String, String> environment) {
        if (!jobs.contains(EventStoreJob.NAME)) {
            throw new ConfigException(SOURCE + "=http needs the job " + EventStoreJob.NAME + " in " + JOBS
                    + ": copies of a retried request are dropped by claims in the event table");
        }
        if (jobs.contains(ResultsJob.NAME) && !jobs.contains(ArchiveJob.NAME)) {
            throw new ConfigException(SOURCE + "=http with the job " + ResultsJob.NAME + " needs the job "
                    + ArchiveJob.NAME + " in " + JOBS + ": the primary archive root is push ingestion's replay source");
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
        boolean anonymous = c.getBoolean(HTTP_ALLOW_ANONYMOUS);
        String token = null;
        if (!c.getString(HTTP_TOKEN_ENV).isBlank() || !anonymous) {
            if (c.getString(HTTP_TOKEN_ENV).isBlank()) {
                throw new ConfigException(HTTP_TOKEN_ENV + ": receivers need a bearer token: name the environment"
                        + " variable holding it, or set " + HTTP_ALLOW_ANONYMOUS + "=true to accept events from"
                        + " anyone");
            }
            token = secret(c, HTTP_TOKEN_ENV, environment, SOURCE + "=http");
        }
        ReceiverTls tls = null;
        String keystore = c.getString(HTTP_KEYSTORE);
        if (c.getBoolean(HTTP_PLAIN)) {
            if (!keystore.isBlank()) {
                throw new ConfigException(HTTP_PLAIN + "=true with " + HTTP_KEYSTORE + " set: choose HTTPS (remove "
                        + HTTP_PLAIN + ") or plain HTTP (remove the keystore)");
            }
        } else {
            if (keystore.isBlank()) {
                throw new ConfigException(HTTP_KEYSTORE + ": receivers serve HTTPS: give a keystore with their key"
                        + " and certificate (and " + HTTP_KEYSTORE_PASSWORD_ENV + "), or set " + HTTP_PLAIN
                        + "=true to serve plain HTTP");
            }
            String password = secret(c, HTTP_KEYSTORE_PASSWORD_ENV, environment, HTTP_KEYSTORE);
            try {
                tls = ReceiverTls.load(Path.of(keystore), password);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(HTTP_KEYSTORE + ": " + e.getMessage());
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
                        anonymous,
                        tls,
                        c.getString(ZK_CONNECT),
                        zookeeperAuth(c, environment),
                        io.sluice.checkpoint.ZooKeeperPaths.forApplication(c.getString(APP_NAME))
                                .receivers(),
                        io.sluice.checkpoint.ZooKeeperPaths.forApplication(c.getString(APP_NAME))
                                .epoch()));
    }

    /** Whether the run needs an HBase connection: a job writes to HBase, or the event store's claims are on. */
    public boolean usesHBase() {
        return pipeline.hbase().enabled() || jobs.stream().anyMatch(SluiceJob::usesHBase);
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

    /** Never prints property values: they may hold credentials. */
    @Override
    public String toString() {
        return "SluiceSettings[app=" + appName + ", source=" + (kafka != null ? "kafka " + kafka.topics() : "http")
                + ", jobs=" + jobs.stream().map(SluiceJob::name).toList() + ", " + pipeline + "]";
    }
}
