package io.sluice.driver.config;

import io.sluice.api.config.ConfigException;
import io.sluice.jobs.event.EventSchema;
import io.sluice.jobs.event.ParserLimits;
import io.sluice.jobs.event.SchemaConfig;
import io.sluice.jobs.eventstore.EventStoreJob;
import io.sluice.jobs.results.ResultsJob;
import io.sluice.jobs.results.ResultsSettings;
import io.sluice.jobs.sink.hbase.HBaseSettings;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings that decide what a replay of committed positions rebuilds: windows, lateness, the future bound, the
 * parser's limits (what is valid), and the event table and salt (where claims and rows are). They are committed with
 * every batch; a start whose values differ cannot rebuild the same state, so it refuses with a line naming the key.
 */
public final class ReplayFingerprint {
    private ReplayFingerprint() {}

    /** The fingerprint of {@code settings}: key to value, as committed. */
    public static Map<String, String> of(SluiceSettings settings) {
        Map<String, String> m = new TreeMap<>();
        ParserLimits limits = settings.pipeline().parserLimits();
        m.put(SluiceConfig.MAX_EVENT_BYTES, Integer.toString(limits.maxEventBytes()));
        m.put(SluiceConfig.MAX_DEPTH, Integer.toString(limits.maxDepth()));
        m.put(SluiceConfig.MAX_STRING, Integer.toString(limits.maxStringLength()));
        m.put(SluiceConfig.MAX_ATTRIBUTES, Integer.toString(limits.maxAttributes()));
        EventSchema schema = settings.pipeline().schema();
        m.put(SchemaConfig.ID_FIELD, schema.idField());
        m.put(SchemaConfig.TIME_FIELD, schema.timeField());
        m.put(SchemaConfig.TIME_FORMAT, schema.timeFormat().code());
        m.put(SchemaConfig.REQUIRED, String.join(",", schema.requiredFields()));
        m.put(SchemaConfig.NON_BLANK, String.join(",", schema.nonBlankFields()));
        if (!schema.jsonSchema().isEmpty()) { // its content, not its file's name
            m.put(SchemaConfig.JSON_SCHEMA, "sha-256:" + sha256(schema.jsonSchema()));
        }
        HBaseSettings hbase = settings.pipeline().hbase();
        // whether sluice.jobs names the event store (claims) and the results (replay positions)
        m.put(SluiceConfig.JOBS + ":" + EventStoreJob.NAME, Boolean.toString(hbase.enabled()));
        if (hbase.enabled()) {
            m.put(SluiceConfig.HBASE_EVENT_TABLE, hbase.eventTable());
            m.put(SluiceConfig.HBASE_SALT, Integer.toString(hbase.saltBuckets()));
        }
        ResultsSettings results = settings.pipeline().results();
        m.put(SluiceConfig.JOBS + ":" + ResultsJob.NAME, Boolean.toString(results.enabled()));
        if (results.enabled()) {
            m.put(SluiceConfig.RESULTS_WINDOW, Long.toString(results.windowMs()));
            m.put(SluiceConfig.RESULTS_LATENESS, Long.toString(results.allowedLatenessMs()));
            m.put(SluiceConfig.RESULTS_MAX_FUTURE, Long.toString(results.maxFutureMs()));
            m.put(SluiceConfig.RESULTS_REVISE_WITHIN, Long.toString(results.reviseWithinMs()));
            m.put(SluiceConfig.RESULTS_TOP_N, Integer.toString(results.topN()));
            m.put(SluiceConfig.RESULTS_TOP_WINDOW, Long.toString(results.topWindowMs()));
            m.put(SluiceConfig.RESULTS_TOP_SLIDE, Long.toString(results.topSlideMs()));
        }
        return m;
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Throws when {@code committed} (the fingerprint of the last commit; empty for a commit that recorded none) and
     * {@code current} disagree on a key, naming the first such key, both values and what to do.
     */
    public static void check(Map<String, String> committed, Map<String, String> current) {
        for (Map.Entry<String, String> was : committed.entrySet()) {
            String now = current.get(was.getKey());
            if (now != null && !now.equals(was.getValue())) {
                throw new ConfigException(was.getKey() + " is " + now
                        + " but the committed positions were computed with "
                        + was.getValue() + ": the results and deduplication cannot be rebuilt exactly with a new"
                        + " value. Set it back to " + was.getValue() + ", or start a new application (another"
                        + " sluice.app.name, event table and results table) to use " + now + ".");
            }
        }
    }
}
