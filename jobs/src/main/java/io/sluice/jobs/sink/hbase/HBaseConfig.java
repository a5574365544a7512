package io.sluice.jobs.sink.hbase;

import static io.sluice.api.config.ConfigType.BOOLEAN;
import static io.sluice.api.config.ConfigType.INT;
import static io.sluice.api.config.ConfigType.STRING;

import io.sluice.api.config.Config;
import io.sluice.api.config.ConfigDef;
import io.sluice.api.config.Validator;
import java.util.Map;

/**
 * The HBase cluster Sluice writes to: its connection, and the event table, which holds the event store and the claims
 * that keep an {@code event_id} once. Used when {@code sluice.jobs} names the event store.
 */
public final class HBaseConfig {
    public static final String QUORUM = "sluice.hbase.zookeeper.quorum";
    public static final String PORT = "sluice.hbase.zookeeper.port";
    public static final String ZNODE = "sluice.hbase.znode-parent";
    public static final String EVENT_TABLE = "sluice.hbase.event-table";
    public static final String SALT = "sluice.hbase.salt-buckets";
    public static final String CREATE = "sluice.hbase.create-tables";
    public static final String RETRIES = "sluice.hbase.client-retries";
    public static final String OPERATION_TIMEOUT = "sluice.hbase.operation-timeout-ms";

    public static final ConfigDef CONFIG = new ConfigDef("hbase")
            .define(QUORUM, STRING, "localhost", "HBase's ZooKeeper quorum (hosts).")
            .define(PORT, INT, "2181", Validator.between(1, 65535), "HBase's ZooKeeper client port.")
            .define(ZNODE, STRING, "/hbase", "HBase's root znode.")
            .define(
                    EVENT_TABLE,
                    STRING,
                    "sluice_events",
                    Validator.nonEmpty("a table name"),
                    "Event table: the event store (one row per event_id, cell timestamp = event time) and the claims"
                            + " that keep each event_id once.")
            .define(
                    SALT,
                    INT,
                    "16",
                    Validator.between(1, 256),
                    "Salt buckets of the event table's row keys (and its pre-split regions).")
            .define(CREATE, BOOLEAN, "true", "Create missing tables at start.")
            .define(
                    RETRIES,
                    INT,
                    "10",
                    Validator.atLeast(0),
                    "HBase client retries per operation (hbase.client.retries.number).")
            .define(
                    OPERATION_TIMEOUT,
                    INT,
                    "30000",
                    Validator.atLeast(1000),
                    "Time limit of one HBase operation including retries (ms): when a write fails for longer, the"
                            + " jobs writing to HBase lag while the others go on, and catch up once HBase answers"
                            + " (from Kafka, or with push ingestion from the primary archive root; without the archive"
                            + " job the push batch fails and is written again after the restart). Also how long the"
                            + " first batch after HBase went down takes.");

    private HBaseConfig() {}

    /** @param enabled whether the run uses HBase (the event store is among its jobs) */
    public static HBaseSettings settings(Config c, boolean enabled) {
        return new HBaseSettings(
                enabled,
                c.getString(QUORUM),
                c.getInt(PORT),
                c.getString(ZNODE),
                c.getString(EVENT_TABLE),
                c.getInt(SALT),
                Map.of(
                        "hbase.client.retries.number",
                        Integer.toString(c.getInt(RETRIES)),
                        "hbase.client.operation.timeout",
                        Integer.toString(c.getInt(OPERATION_TIMEOUT)),
                        // finding a region (a read of hbase:meta, whose location is in HBase's ZooKeeper) is bounded
                        // by its own timeout, 20 minutes by default: while HBase is down, every lookup would wait
                        // that long before the operation's own timeout applies
                        "hbase.client.meta.operation.timeout",
                        Integer.toString(c.getInt(OPERATION_TIMEOUT)),
                        "zookeeper.recovery.retry",
                        "3"));
    }
}
