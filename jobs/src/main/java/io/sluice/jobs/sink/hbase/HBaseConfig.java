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
    /** Any other HBase client property, e.g. Kerberos: {@code sluice.hbase.client.hbase.security.authentication}. */
    public static final String CLIENT = "sluice.hbase.client.";

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
                            + " first batch after HBase went down takes.")
            .definePrefix(
                    CLIENT,
                    "an HBase client property (hbase.*) and its value",
                    "Passed to the HBase clients of the driver and its tasks, e.g. for a Kerberized cluster"
                            + " `hbase.security.authentication=kerberos`, `hbase.master.kerberos.principal`,"
                            + " `hbase.regionserver.kerberos.principal` (README, Security). The properties above"
                            + " (quorum, port, znode, retries, timeouts) are set by their own keys.");

    private HBaseConfig() {}

    /** The HBase client properties given under {@link #CLIENT}; a key that is not {@code hbase.*}, or one Sluice sets, is refused. */
    static Map<String, String> clientProperties(Config c) {
        Map<String, String> given = c.withPrefix(CLIENT);
        for (String key : given.keySet()) {
            if (!key.startsWith("hbase.")
                    || key.equals("hbase.zookeeper.quorum")
                    || key.equals("hbase.zookeeper.property.clientPort")
                    || key.equals("hbase.client.retries.number")
                    || key.endsWith("operation.timeout")) {
                throw new io.sluice.api.config.ConfigException(CLIENT + key + ": expected an hbase.* client property"
                        + " that Sluice does not set itself (quorum, port, retries and timeouts have keys of their"
                        + " own)");
            }
        }
        return given;
    }

    /** @param enabled whether the run uses HBase (the event store is among its jobs) */
    public static HBaseSettings settings(Config c, boolean enabled) {
        return new HBaseSettings(
                enabled,
                c.getString(QUORUM),
                c.getInt(PORT),
                c.getString(ZNODE),
                c.getString(EVENT_TABLE),
                c.getInt(SALT),
                clientProperties(
                        c,
                        Map.of(
                                "hbase.client.retries.number",
                                Integer.toString(c.getInt(RETRIES)),
                                "hbase.client.operation.timeout",
                                Integer.toString(c.getInt(OPERATION_TIMEOUT)),
                                // finding a region (a read of hbase:meta, whose location is in HBase's ZooKeeper) is
                                // bounded
                                // by its own timeout, 20 minutes by default: while HBase is down, every lookup would
                                // wait
                                // that long before the operation's own timeout applies
                                "hbase.client.meta.operation.timeout",
                                Integer.toString(c.getInt(OPERATION_TIMEOUT)),
                                "zookeeper.recovery.retry",
                                "3")));
    }

    private static Map<String, String> clientProperties(Config c, Map<String, String> sluice) {
        Map<String, String> all = new java.util.TreeMap<>(clientProperties(c));
        all.putAll(sluice);
        return all;
    }
}
