package io.sluice.driver.config;

import static io.sluice.api.config.ConfigType.BOOLEAN;
import static io.sluice.api.config.ConfigType.INT;
import static io.sluice.api.config.ConfigType.LIST;
import static io.sluice.api.config.ConfigType.LONG;
import static io.sluice.api.config.ConfigType.STRING;

import io.sluice.api.config.ConfigDef;
import io.sluice.api.config.Validator;
import io.sluice.jobs.archive.ArchiveJob;
import io.sluice.jobs.event.SchemaConfig;
import io.sluice.jobs.results.ResultsJob;
import io.sluice.jobs.sink.hbase.HBaseConfig;
import io.sluice.jobs.source.KafkaSourceSettings;
import java.util.ArrayList;
import java.util.List;

/** Every Sluice property, one definition per component. The README's property table is generated from these. */
public final class SluiceConfig {
    public static final String APP_NAME = "sluice.app.name";
    public static final String SOURCE = "sluice.source";
    public static final String ZK_CONNECT = "sluice.zookeeper.connect";
    public static final String ZK_SESSION_TIMEOUT = "sluice.zookeeper.session-timeout-ms";
    public static final String ZK_AUTH = "sluice.zookeeper.auth";
    public static final String ZK_AUTH_ENV = "sluice.zookeeper.auth-env";
    public static final String ZK_FIX_ACLS = "sluice.zookeeper.fix-acls";
    public static final String HA_SUSPENDED_GRACE = "sluice.ha.suspended-grace-ms";
    public static final String HTTP_HOST_STATUS = "sluice.http.host";
    public static final String HTTP_PORT = "sluice.http.port";
    public static final String HTTP_READY_INTERVALS = "sluice.http.ready-intervals";

    public static final String KAFKA_BOOTSTRAP = "sluice.kafka.bootstrap-servers";
    public static final String KAFKA_TOPICS = "sluice.kafka.topics";
    public static final String KAFKA_GROUP = "sluice.kafka.group-id";
    public static final String KAFKA_RESET = "sluice.kafka.reset-policy";
    public static final String KAFKA_DISCOVERY = "sluice.kafka.partition-discovery-ms";
    public static final String KAFKA_MAX_RATE = "sluice.kafka.max-rate-per-partition";
    public static final String KAFKA_INITIAL_RATE = "sluice.kafka.initial-rate";
    public static final String KAFKA_BACKPRESSURE = "sluice.kafka.backpressure";
    public static final String KAFKA_MIN_RATE = "sluice.kafka.backpressure-min-rate";
    /** The prefix of the Kafka consumer properties passed through ({@link KafkaConsumerProperties}). */
    public static final String KAFKA_CONSUMER = KafkaSourceSettings.CONSUMER_PREFIX;

    public static final String BATCH_INTERVAL = "sluice.streaming.batch-interval-ms";
    public static final String CHECKPOINT_DIR = "sluice.checkpoint.dir";
    public static final String GRACEFUL_STOP = "sluice.streaming.graceful-stop-timeout-ms";

    public static final String MAX_EVENT_BYTES = "sluice.parser.max-event-bytes";
    public static final String MAX_DEPTH = "sluice.parser.max-depth";
    public static final String MAX_STRING = "sluice.parser.max-string-length";
    public static final String MAX_ATTRIBUTES = "sluice.parser.max-attributes";

    public static final String JOBS = "sluice.jobs";

    public static final String ARCHIVE_ROOTS = ArchiveJob.ROOTS;

    public static final String HBASE_QUORUM = HBaseConfig.QUORUM;
    public static final String HBASE_PORT = HBaseConfig.PORT;
    public static final String HBASE_ZNODE = HBaseConfig.ZNODE;
    public static final String HBASE_EVENT_TABLE = HBaseConfig.EVENT_TABLE;
    public static final String HBASE_SALT = HBaseConfig.SALT;
    public static final String HBASE_CREATE = HBaseConfig.CREATE;
    public static final String HBASE_RETRIES = HBaseConfig.RETRIES;
    public static final String HBASE_OPERATION_TIMEOUT = HBaseConfig.OPERATION_TIMEOUT;

    public static final String RESULTS_TABLE = ResultsJob.TABLE;
    public static final String RESULTS_WINDOW = ResultsJob.WINDOW;
    public static final String RESULTS_LATENESS = ResultsJob.LATENESS;
    public static final String RESULTS_TOP_N = ResultsJob.TOP_N;
    public static final String RESULTS_TOP_WINDOW = ResultsJob.TOP_WINDOW;
    public static final String RESULTS_TOP_SLIDE = ResultsJob.TOP_SLIDE;
    public static final String RESULTS_MAX_FUTURE = ResultsJob.MAX_FUTURE;
    public static final String RESULTS_IDLE_PARTITION = ResultsJob.IDLE_PARTITION;
    public static final String RESULTS_REVISE_WITHIN = ResultsJob.REVISE_WITHIN;

    public static final String HTTP_RECEIVERS = "sluice.http-source.receivers";
    public static final String HTTP_HOST = "sluice.http-source.host";
    public static final String HTTP_PORTS = "sluice.http-source.ports";
    public static final String HTTP_MAX_BODY = "sluice.http-source.max-body-bytes";
    public static final String HTTP_MAX_LINES = "sluice.http-source.max-lines";
    public static final String HTTP_TOKEN_ENV = "sluice.http-source.token-env";
    public static final String HTTP_ALLOW_ANONYMOUS = "sluice.http-source.allow-anonymous";
    public static final String HTTP_KEYSTORE = "sluice.http-source.tls.keystore";
    public static final String HTTP_KEYSTORE_PASSWORD_ENV = "sluice.http-source.tls.keystore-password-env";
    public static final String HTTP_PLAIN = "sluice.http-source.plain-http";
    public static final String HTTP_MAX_RATE = "sluice.http-source.max-rate";

    public static final ConfigDef APPLICATION = new ConfigDef("application")
            .define(
                    APP_NAME,
                    STRING,
                    "sluice",
                    Validator.nonEmpty("a non-empty name"),
                    "Application name: the ZooKeeper node /sluice/<name> holds its epoch and offsets.")
            .define(
                    SOURCE,
                    STRING,
                    "kafka",
                    Validator.oneOf("kafka", "http"),
                    "Where events come from: `kafka` (the direct stream) or `http` (push ingestion through reliable"
                            + " receivers and the receiver WAL; the sluice.kafka.* keys are then not needed).")
            .define(
                    JOBS,
                    LIST,
                    "archive,event-store,results",
                    Validator.nonEmpty("a comma-separated list of job names"),
                    "The jobs to run on the stream, by name: built in are `archive`, `event-store` and `results`; a jar"
                            + " on the classpath adds more (java.util.ServiceLoader, io.sluice.api.SluiceJob). Each job's"
                            + " own keys are sluice.job.<name>.*; a job not named here needs none of its keys.")
            .define(
                    ZK_CONNECT,
                    STRING,
                    null,
                    Validator.nonEmpty("host:port[,host:port...]"),
                    "ZooKeeper connect string for the offset store and the epoch.")
            .define(ZK_SESSION_TIMEOUT, INT, "10000", Validator.atLeast(1000), "ZooKeeper session timeout (ms).")
            .define(
                    ZK_AUTH,
                    STRING,
                    "none",
                    Validator.oneOf("none", "digest", "sasl"),
                    "How the driver, its receivers and `offsets --move` authenticate to ZooKeeper. `digest`"
                            + " (user:password from sluice.zookeeper.auth-env) or `sasl` (the JVMs' JAAS `Client`"
                            + " section, e.g. Kerberos, on the driver and the executors): every node under"
                            + " /sluice/<name> is created writable by this identity only and readable by anyone, and"
                            + " the driver refuses to start on nodes others may write. `none`: open nodes.")
            .define(
                    ZK_AUTH_ENV,
                    STRING,
                    "",
                    Validator.any(STRING),
                    "With sluice.zookeeper.auth=digest: environment variable of the driver (and of `offsets`)"
                            + " holding user:password. Never put the credential itself in this file.")
            .define(
                    ZK_FIX_ACLS,
                    BOOLEAN,
                    "false",
                    "With sluice.zookeeper.auth: a driver finding nodes under /sluice/<name> that others may write"
                            + " (made before authentication was on) sets them to the application's ACL instead of"
                            + " refusing to start.")
            .define(
                    HA_SUSPENDED_GRACE,
                    LONG,
                    "6000",
                    Validator.atLeast(0),
                    "How long the leader rides out a SUSPENDED ZooKeeper connection (ms) before it stops without"
                            + " waiting and exits 3; keep it below the session timeout, after which a standby may lead.")
            .define(
                    HTTP_HOST_STATUS,
                    STRING,
                    "0.0.0.0",
                    Validator.nonEmpty("an address of this host"),
                    "Address the status endpoints bind (0.0.0.0: every interface, as Marathon's health checks need;"
                            + " 127.0.0.1: this host only). They only read; they change nothing.")
            .define(
                    HTTP_PORT,
                    INT,
                    "4050",
                    Validator.between(0, 65535),
                    "Port of the status endpoints /health /ready /leader /metrics (0: any free port).")
            .define(
                    HTTP_READY_INTERVALS,
                    INT,
                    "5",
                    Validator.atLeast(1),
                    "/ready answers 200 while leading and a batch completed within this many batch intervals.");

    public static final ConfigDef KAFKA = new ConfigDef("kafka")
            .define(
                    KAFKA_BOOTSTRAP,
                    STRING,
                    null,
                    Validator.nonEmpty("host:port[,host:port...]"),
                    "Kafka bootstrap servers.")
            .define(
                    KAFKA_TOPICS,
                    LIST,
                    null,
                    Validator.nonEmpty("a comma-separated list of topic names"),
                    "Topics to read.")
            .define(
                    KAFKA_GROUP,
                    STRING,
                    "sluice",
                    Validator.nonEmpty("a group id"),
                    "Consumer group: offsets are also committed here (after ZooKeeper) so lag tools see them.")
            .define(
                    KAFKA_RESET,
                    STRING,
                    "earliest",
                    Validator.oneOf("earliest", "latest"),
                    "Where a partition of a topic the application has not read before starts (no offset committed in"
                            + " ZooKeeper for any partition of it; the Kafka group's offsets are never used). A partition"
                            + " added to a topic it reads starts at its beginning, with or without a checkpoint.")
            .define(
                    KAFKA_DISCOVERY,
                    LONG,
                    "30000",
                    Validator.atLeast(0),
                    "How often (ms) the driver looks for partitions added to the topics; a partition added while it"
                            + " runs is read from its beginning, whatever the reset policy. 0: only at start.")
            .define(
                    KAFKA_MAX_RATE,
                    LONG,
                    "10000",
                    Validator.atLeast(1),
                    "Cap on records per second per partition (spark.streaming.kafka.maxRatePerPartition).")
            .define(
                    KAFKA_INITIAL_RATE,
                    LONG,
                    "5000",
                    Validator.atLeast(1),
                    "Records per second (all partitions) of the first batches after a start, before backpressure has measurements"
                            + " (spark.streaming.backpressure.initialRate): bounds the first batch after a restart.")
            .define(
                    KAFKA_BACKPRESSURE,
                    BOOLEAN,
                    "true",
                    "Adapt the ingestion rate to the processing rate" + " (spark.streaming.backpressure.enabled).")
            .define(
                    KAFKA_MIN_RATE,
                    LONG,
                    "1000",
                    Validator.atLeast(1),
                    "Records per second backpressure never goes below (spark.streaming.backpressure.pid.minRate):"
                            + " Spark's default of 100 lets a backlog after a restart drain very slowly.")
            .definePrefix(
                    KAFKA_CONSUMER,
                    "a Kafka consumer property (Kafka's ConsumerConfig) and its value; a secret as"
                            + " `<property>.env=VARIABLE` or `<property>.credential=ALIAS`",
                    "Passed to every Kafka client of the driver and its tasks (all are consumers: the stream, range"
                            + " reads, start and end offsets, the lag metrics), e.g. `security.protocol=SASL_SSL`,"
                            + " `sasl.mechanism=SCRAM-SHA-512`, `ssl.truststore.location`. Checked against Kafka's"
                            + " definitions; those Sluice sets (bootstrap.servers, group.id, auto.offset.reset,"
                            + " enable.auto.commit, deserializers) are refused. A secret (`sasl.jaas.config`, the"
                            + " `ssl.*.password`s, PEM keys) is refused in clear: `<property>.env` names an environment"
                            + " variable of the driver, `<property>.credential` an alias in the Hadoop credential"
                            + " providers (spark.hadoop.hadoop.security.credential.provider.path). See README, Security.");

    public static final ConfigDef STREAMING = new ConfigDef("streaming")
            .define(BATCH_INTERVAL, LONG, "2000", Validator.atLeast(100), "Micro-batch interval (ms).")
            .define(
                    CHECKPOINT_DIR,
                    STRING,
                    null,
                    Validator.nonEmpty("a directory URI, e.g. hdfs://nn:8020/sluice/checkpoint"),
                    "Spark checkpoint directory (HDFS in production). An accelerator: when it is absent or"
                            + " unreadable, Sluice resumes from the offsets in ZooKeeper.")
            .define(
                    GRACEFUL_STOP,
                    LONG,
                    "30000",
                    Validator.atLeast(0),
                    "How long a stop (SIGTERM, Ctrl-C) waits for received batches to finish (ms).");

    public static final ConfigDef PARSER = new ConfigDef("parser")
            .define(MAX_EVENT_BYTES, INT, "16384", Validator.atLeast(64), "Largest event accepted (bytes).")
            .define(MAX_DEPTH, INT, "8", Validator.atLeast(2), "Deepest JSON nesting accepted.")
            .define(MAX_STRING, INT, "4096", Validator.atLeast(16), "Longest JSON string accepted (characters).")
            .define(MAX_ATTRIBUTES, INT, "64", Validator.atLeast(0), "Most entries accepted in `attributes`.");

    public static final ConfigDef HTTP_SOURCE = new ConfigDef("http-source")
            .define(
                    HTTP_RECEIVERS,
                    INT,
                    "2",
                    Validator.atLeast(1),
                    "With sluice.source=http: receivers (each holds one executor core), unioned into one stream.")
            .define(
                    HTTP_HOST,
                    STRING,
                    "",
                    Validator.any(STRING),
                    "Address receivers bind and register in ZooKeeper (empty: the executor's host as Spark knows it).")
            .define(
                    HTTP_PORTS,
                    STRING,
                    "9600-9699",
                    Validator.nonEmpty("FROM-TO, e.g. 9600-9699"),
                    "Ports receivers try in turn (several on one host take the next free ones); FROM-TO.")
            .define(
                    HTTP_MAX_BODY,
                    LONG,
                    "4194304",
                    Validator.atLeast(1024),
                    "Largest request body, compressed or inflated (bytes); larger is answered 413.")
            .define(
                    HTTP_MAX_LINES,
                    INT,
                    "100000",
                    Validator.between(1, io.sluice.wal.ReceiverSettings.MAX_LINES_LIMIT),
                    "Most events (non-blank lines) per request; more is answered 413 before anything is stored (the"
                            + " sender splits the request), so every acknowledged request can be processed.")
            .define(
                    HTTP_TOKEN_ENV,
                    STRING,
                    "",
                    Validator.any(STRING),
                    "Environment variable of the driver holding the bearer token senders must present (compared in"
                            + " constant time; POST /restart needs it too). Required unless"
                            + " sluice.http-source.allow-anonymous=true.")
            .define(
                    HTTP_ALLOW_ANONYMOUS,
                    BOOLEAN,
                    "false",
                    "Without sluice.http-source.token-env: accept events from anyone (warned at every receiver"
                            + " start); POST /restart is then refused.")
            .define(
                    HTTP_KEYSTORE,
                    STRING,
                    "",
                    Validator.any(STRING),
                    "Keystore (PKCS12 or JKS, a file on the driver's host) with the key and certificate receivers"
                            + " serve HTTPS with; the driver reads it and gives it to its receivers. Its certificate"
                            + " must name the receivers' hosts. Required unless sluice.http-source.plain-http=true.")
            .define(
                    HTTP_KEYSTORE_PASSWORD_ENV,
                    STRING,
                    "",
                    Validator.any(STRING),
                    "Environment variable of the driver holding the keystore's password (also the key's).")
            .define(
                    HTTP_PLAIN,
                    BOOLEAN,
                    "false",
                    "Serve plain HTTP instead of HTTPS: events and the token cross the network in clear (a test, or"
                            + " a network nobody else reaches); warned at every receiver start.")
            .define(
                    HTTP_MAX_RATE,
                    LONG,
                    "20000",
                    Validator.atLeast(1),
                    "Records per second per receiver (spark.streaming.receiver.maxRate); backpressure adapts below it.");

    /** The definitions of the pipeline itself, without the jobs'. */
    public static final List<ConfigDef> CORE =
            List.of(APPLICATION, KAFKA, STREAMING, PARSER, SchemaConfig.CONFIG, HBaseConfig.CONFIG, HTTP_SOURCE);

    /** Every definition: the pipeline's and those of every job on the classpath ({@link JobCatalog}). */
    public static List<ConfigDef> all() {
        List<ConfigDef> all = new ArrayList<>(CORE);
        JobCatalog.onClasspath().jobs().forEach(job -> all.add(job.config()));
        return List.copyOf(all);
    }

    private SluiceConfig() {}
}
