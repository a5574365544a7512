package io.sluice.driver.config;

import static io.sluice.driver.config.ConfigType.BOOLEAN;
import static io.sluice.driver.config.ConfigType.INT;
import static io.sluice.driver.config.ConfigType.LIST;
import static io.sluice.driver.config.ConfigType.LONG;
import static io.sluice.driver.config.ConfigType.STRING;

import java.util.List;

/** Every Sluice property, one definition per component. The README's property table is generated from these. */
public final class SluiceConfig {
    public static final String APP_NAME = "sluice.app.name";
    public static final String SOURCE = "sluice.source";
    public static final String ZK_CONNECT = "sluice.zookeeper.connect";
    public static final String ZK_SESSION_TIMEOUT = "sluice.zookeeper.session-timeout-ms";
    public static final String HA_SUSPENDED_GRACE = "sluice.ha.suspended-grace-ms";
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

    public static final String BATCH_INTERVAL = "sluice.streaming.batch-interval-ms";
    public static final String CHECKPOINT_DIR = "sluice.checkpoint.dir";
    public static final String GRACEFUL_STOP = "sluice.streaming.graceful-stop-timeout-ms";

    public static final String MAX_EVENT_BYTES = "sluice.parser.max-event-bytes";
    public static final String MAX_DEPTH = "sluice.parser.max-depth";
    public static final String MAX_STRING = "sluice.parser.max-string-length";
    public static final String MAX_ATTRIBUTES = "sluice.parser.max-attributes";

    public static final String ARCHIVE_ROOTS = "sluice.archive.roots";

    public static final String HBASE_ENABLED = "sluice.hbase.enabled";
    public static final String HBASE_QUORUM = "sluice.hbase.zookeeper.quorum";
    public static final String HBASE_PORT = "sluice.hbase.zookeeper.port";
    public static final String HBASE_ZNODE = "sluice.hbase.znode-parent";
    public static final String HBASE_EVENT_TABLE = "sluice.hbase.event-table";
    public static final String HBASE_SALT = "sluice.hbase.salt-buckets";
    public static final String HBASE_CREATE = "sluice.hbase.create-tables";
    public static final String HBASE_RETRIES = "sluice.hbase.client-retries";
    public static final String HBASE_OPERATION_TIMEOUT = "sluice.hbase.operation-timeout-ms";

    public static final String RESULTS_ENABLED = "sluice.results.enabled";
    public static final String RESULTS_TABLE = "sluice.results.table";
    public static final String RESULTS_WINDOW = "sluice.results.window-ms";
    public static final String RESULTS_LATENESS = "sluice.results.allowed-lateness-ms";
    public static final String RESULTS_TOP_N = "sluice.results.top-n";
    public static final String RESULTS_TOP_WINDOW = "sluice.results.top-window-ms";
    public static final String RESULTS_TOP_SLIDE = "sluice.results.top-slide-ms";
    public static final String RESULTS_MAX_FUTURE = "sluice.results.max-future-ms";
    public static final String RESULTS_IDLE_PARTITION = "sluice.results.idle-partition-ms";

    public static final String HTTP_RECEIVERS = "sluice.http-source.receivers";
    public static final String HTTP_HOST = "sluice.http-source.host";
    public static final String HTTP_PORTS = "sluice.http-source.ports";
    public static final String HTTP_MAX_BODY = "sluice.http-source.max-body-bytes";
    public static final String HTTP_MAX_LINES = "sluice.http-source.max-lines";
    public static final String HTTP_TOKEN_ENV = "sluice.http-source.token-env";
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
                    ZK_CONNECT,
                    STRING,
                    null,
                    Validator.nonEmpty("host:port[,host:port...]"),
                    "ZooKeeper connect string for the offset store and the epoch.")
            .define(ZK_SESSION_TIMEOUT, INT, "10000", Validator.atLeast(1000), "ZooKeeper session timeout (ms).")
            .define(
                    HA_SUSPENDED_GRACE,
                    LONG,
                    "6000",
                    Validator.atLeast(0),
                    "How long the leader rides out a SUSPENDED ZooKeeper connection (ms) before it stops without"
                            + " waiting and exits 3; keep it below the session timeout, after which a standby may lead.")
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
                            + " Spark's default of 100 lets a backlog after a restart drain very slowly.");

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

    public static final ConfigDef ARCHIVE = new ConfigDef("archive")
            .define(
                    ARCHIVE_ROOTS,
                    LIST,
                    null,
                    Validator.uris(),
                    "Archive roots: every valid event and dead letter is written to each (hdfs://, s3a://, file://).");

    public static final ConfigDef HBASE = new ConfigDef("hbase")
            .define(HBASE_ENABLED, BOOLEAN, "true", "Write the event store to HBase.")
            .define(HBASE_QUORUM, STRING, "localhost", "HBase's ZooKeeper quorum (hosts).")
            .define(HBASE_PORT, INT, "2181", Validator.between(1, 65535), "HBase's ZooKeeper client port.")
            .define(HBASE_ZNODE, STRING, "/hbase", "HBase's root znode.")
            .define(
                    HBASE_EVENT_TABLE,
                    STRING,
                    "sluice_events",
                    Validator.nonEmpty("a table name"),
                    "Event store table: one row per event_id, cell timestamp = event time.")
            .define(
                    HBASE_SALT,
                    INT,
                    "16",
                    Validator.between(1, 256),
                    "Salt buckets of the event store's row keys (and its pre-split regions).")
            .define(HBASE_CREATE, BOOLEAN, "true", "Create missing tables at start.")
            .define(
                    HBASE_RETRIES,
                    INT,
                    "10",
                    Validator.atLeast(0),
                    "HBase client retries per operation (hbase.client.retries.number).")
            .define(
                    HBASE_OPERATION_TIMEOUT,
                    INT,
                    "120000",
                    Validator.atLeast(1000),
                    "Time limit of one HBase operation including retries (ms): a write failing for longer fails"
                            + " the batch, which is then written again after the restart.");

    public static final ConfigDef RESULTS = new ConfigDef("results")
            .define(
                    RESULTS_ENABLED,
                    BOOLEAN,
                    "true",
                    "Run the results jobs (experiment counts, top experiments) into HBase; needs"
                            + " `sluice.hbase.enabled`. Off: no event is classified late.")
            .define(
                    RESULTS_TABLE,
                    STRING,
                    "sluice_results",
                    Validator.nonEmpty("a table name"),
                    "Results table: counts per experiment, variation, type and window; top rows; watermark.")
            .define(
                    RESULTS_WINDOW,
                    LONG,
                    "60000",
                    Validator.atLeast(1),
                    "Tumbling event-time window of the counts (ms); a multiple of the top slide.")
            .define(
                    RESULTS_LATENESS,
                    LONG,
                    "30000",
                    Validator.atLeast(0),
                    "Allowed lateness (ms): an event further behind its partition's clock (the newest on-time event"
                            + " time, each bounded by its arrival) is late and goes to the dead-letter output with reason"
                            + " `late`.")
            .define(
                    RESULTS_MAX_FUTURE,
                    LONG,
                    "300000",
                    Validator.atLeast(0),
                    "How far ahead of its arrival (Kafka record timestamp; for push ingestion the time its receiver"
                            + " stored it) an event's time may be (ms): further ahead, it goes to the dead-letter output with reason"
                            + " `future` and moves no clock.")
            .define(
                    RESULTS_IDLE_PARTITION,
                    LONG,
                    "60000",
                    Validator.atLeast(0),
                    "A partition without records for this long (ms) stops holding the watermark back: its clock is"
                            + " raised to the smallest clock of the partitions with records, and its events behind that"
                            + " by more than the allowed lateness are `late`. 0: a partition holds the watermark until"
                            + " its next event.")
            .define(RESULTS_TOP_N, INT, "10", Validator.between(1, 999), "Experiments listed per top row.")
            .define(
                    RESULTS_TOP_WINDOW,
                    LONG,
                    "300000",
                    Validator.atLeast(1),
                    "Sliding event-time window of the top experiments (ms); a multiple of the top slide.")
            .define(
                    RESULTS_TOP_SLIDE,
                    LONG,
                    "2000",
                    Validator.atLeast(1),
                    "Slide of the top window (ms of event time): one top row per window end.");

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
                    "Environment variable of the driver holding the bearer token senders must present (empty: none).")
            .define(
                    HTTP_MAX_RATE,
                    LONG,
                    "20000",
                    Validator.atLeast(1),
                    "Records per second per receiver (spark.streaming.receiver.maxRate); backpressure adapts below it.");

    public static final List<ConfigDef> ALL =
            List.of(APPLICATION, KAFKA, STREAMING, PARSER, ARCHIVE, HBASE, RESULTS, HTTP_SOURCE);

    private SluiceConfig() {}
}
