package io.sluice.jobs.results;

import static io.sluice.api.config.ConfigType.INT;
import static io.sluice.api.config.ConfigType.LONG;
import static io.sluice.api.config.ConfigType.STRING;

import io.sluice.api.DriverOutput;
import io.sluice.api.JobSetup;
import io.sluice.api.SluiceJob;
import io.sluice.api.TaskOutput;
import io.sluice.api.config.Config;
import io.sluice.api.config.ConfigDef;
import io.sluice.api.config.ConfigException;
import io.sluice.api.config.Validator;
import io.sluice.jobs.event.SchemaConfig;
import io.sluice.jobs.eventstore.EventStoreJob;
import io.sluice.jobs.sink.hbase.HBaseConfig;
import io.sluice.jobs.sink.hbase.HBaseVisitorClaims;
import io.sluice.jobs.sink.hbase.ResultsSink;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The results of the A/B-testing page: exact counts and unique visitors per experiment, variation, event type and
 * event-time window, and the top experiments by traffic over a sliding window (docs/commit-protocol.md, "Results").
 * Its state lives on the driver ({@link ResultsDriver}): merged from the sums the tasks report, written fenced by the
 * epoch, rebuilt at start from the replay positions it commits. The tasks' sums come from the pipeline's event-time
 * stage, which this job turns on: late events (behind their partition's watermark) revise their windows; those
 * further behind than the revise span, or too far ahead of their arrival, become dead letters.
 */
public final class ResultsJob implements SluiceJob {
    public static final String NAME = "results";
    private static final String PREFIX = "sluice.job.results.";
    public static final String TABLE = PREFIX + "table";
    public static final String WINDOW = PREFIX + "window-ms";
    public static final String LATENESS = PREFIX + "allowed-lateness-ms";
    public static final String MAX_FUTURE = PREFIX + "max-future-ms";
    public static final String IDLE_PARTITION = PREFIX + "idle-partition-ms";
    public static final String TOP_N = PREFIX + "top-n";
    public static final String TOP_WINDOW = PREFIX + "top-window-ms";
    public static final String TOP_SLIDE = PREFIX + "top-slide-ms";
    public static final String REVISE_WITHIN = PREFIX + "revise-within-ms";
    public static final String VISITORS = PREFIX + "visitors";
    public static final String HLL_LG_K = PREFIX + "visitors-hll-lg-k";

    public static final ConfigDef CONFIG = new ConfigDef("job " + NAME)
            .define(
                    TABLE,
                    STRING,
                    "sluice_results",
                    Validator.nonEmpty("a table name"),
                    "Results table: counts per experiment, variation, type and window; top rows; watermark.")
            .define(
                    WINDOW,
                    LONG,
                    "60000",
                    Validator.atLeast(1),
                    "Tumbling event-time window of the counts (ms); a multiple of the top slide.")
            .define(
                    LATENESS,
                    LONG,
                    "30000",
                    Validator.atLeast(0),
                    "Allowed lateness (ms): an event further behind its partition's clock (the newest on-time event"
                            + " time, each bounded by its arrival) is late: not shown live, it is archived and stored,"
                            + " and counted by a revision of its window (see " + REVISE_WITHIN + ").")
            .define(
                    REVISE_WITHIN,
                    LONG,
                    "900000",
                    Validator.atLeast(0),
                    "How far behind its partition's watermark (ms) a late event may be and still revise its window:"
                            + " the window's counts, visitors and top rows are rewritten as absolute values with a"
                            + " revision number (the late events it counts), final windows included. Further behind,"
                            + " the event goes to the dead-letter output with reason `too_late`. The driver keeps the"
                            + " windows of this span in memory and a restart replays it. 0: every late event is too"
                            + " late.")
            .define(
                    MAX_FUTURE,
                    LONG,
                    "300000",
                    Validator.atLeast(0),
                    "How far ahead of its arrival (Kafka record timestamp; for push ingestion the time its receiver"
                            + " stored it) an event's time may be (ms): further ahead, it goes to the dead-letter output"
                            + " with reason `future` and moves no clock.")
            .define(
                    IDLE_PARTITION,
                    LONG,
                    "60000",
                    Validator.atLeast(0),
                    "A partition without records for this long (ms) stops holding the watermark back: its clock is"
                            + " raised to the smallest clock of the partitions with records, and its events behind that"
                            + " by more than the allowed lateness are `late`. 0: a partition holds the watermark until"
                            + " its next event.")
            .define(TOP_N, INT, "10", Validator.between(1, 999), "Experiments listed per top row.")
            .define(
                    TOP_WINDOW,
                    LONG,
                    "300000",
                    Validator.atLeast(1),
                    "Sliding event-time window of the top experiments (ms); a multiple of the top slide.")
            .define(
                    TOP_SLIDE,
                    LONG,
                    "2000",
                    Validator.atLeast(1),
                    "Slide of the top window (ms of event time): one top row per window end.")
            .define(
                    VISITORS,
                    STRING,
                    "exact",
                    Validator.oneOf("exact", "hll", "off"),
                    "Unique visitors (distinct `user_id`) per count row and over the experiment's lifetime: `exact`"
                            + " (the driver keeps the users of the open windows; each user's first window per"
                            + " variation is claimed in HBase), `hll` (a HyperLogLog sketch per row, Apache"
                            + " DataSketches: fixed memory, relative standard error 1.04/sqrt(2^lgK)) or `off`.")
            .define(
                    HLL_LG_K,
                    INT,
                    String.valueOf(ResultsSettings.DEFAULT_HLL_LG_K),
                    Validator.between(4, 21),
                    "log2 of the registers of each HyperLogLog sketch when " + VISITORS + "=hll: 12 gives a"
                            + " relative standard error of 1.6 % (3.3 % at 95 % confidence) in about 2 KiB per row.");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    /** Its rows go to HBase, and the copies of an event_id are dropped by the event table's claims. */
    @Override
    public Set<String> requires() {
        return Set.of(EventStoreJob.NAME);
    }

    @Override
    public boolean usesHBase() {
        return true;
    }

    /**
     * The fields of a count cell. The pipeline's event-time stage counts every valid event for this job, so the schema
     * must require them of every event ({@link SchemaConfig#REQUIRED}).
     */
    public static final List<String> FIELDS = List.of("account_id", "experiment_id", "variation_id", "type");

    @Override
    public void validate(Config config) {
        settings(config, true);
        List<String> required = config.getList(SchemaConfig.REQUIRED);
        for (String field : FIELDS) {
            if (!required.contains(field)) {
                throw new ConfigException("the job " + NAME + " counts events by " + String.join(", ", FIELDS) + ": "
                        + SchemaConfig.REQUIRED + " must name " + field + ", or " + "sluice.jobs must not name "
                        + NAME);
            }
        }
    }

    /** The settings of this job from {@code c}; {@code enabled}: whether {@code sluice.jobs} names it. */
    public static ResultsSettings settings(Config c, boolean enabled) {
        long slide = c.getLong(TOP_SLIDE);
        for (String key : List.of(WINDOW, TOP_WINDOW)) {
            if (c.getLong(key) % slide != 0) {
                throw new ConfigException(
                        key + " must be a multiple of " + TOP_SLIDE + " (" + slide + " ms), got " + c.getLong(key));
            }
        }
        return new ResultsSettings(
                enabled,
                c.getLong(WINDOW),
                c.getLong(LATENESS),
                c.getInt(TOP_N),
                c.getLong(TOP_WINDOW),
                slide,
                c.getString(TABLE),
                c.getLong(MAX_FUTURE),
                c.getLong(IDLE_PARTITION),
                c.getLong(REVISE_WITHIN),
                VisitorCounting.parse(c.getString(VISITORS)),
                c.getInt(HLL_LG_K));
    }

    /** Nothing to write from the tasks: the event-time stage reports their sums for this job. */
    @Override
    public TaskOutput taskOutput(JobSetup setup) {
        return (batch, context) -> {};
    }

    @Override
    public Optional<DriverOutput> driverOutput(JobSetup setup) {
        ResultsSettings settings = settings(setup.config(), true);
        return Optional.of(new ResultsDriver(
                settings,
                new ResultsSink(setup.hbase(), settings.table(), settings.windowMs()),
                new HBaseVisitorClaims(setup.hbase(), settings.table()),
                setup.replay(),
                setup.config().getBoolean(HBaseConfig.CREATE) ? setup.hbase() : null));
    }
}
