package io.sluice.jobs.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.event.DeadLetterReason;
import io.sluice.api.event.Event;
import io.sluice.api.event.PartitionBatch;
import io.sluice.checkpoint.SourceRange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events of schemas other than the A/B default: field names, time formats, derived identities, a JSON Schema. */
class EventSchemaTest {
    private static final EventSchema CLICKS =
            new EventSchema("", "timestamp", EventSchema.TimeFormat.ISO_8601, List.of("url"), List.of("url"), "");

    @Test
    void aClickstreamEventNeedsOnlyItsTimeAndItsRequiredFields() {
        Event e = valid(CLICKS, "{\"url\":\"/home\",\"timestamp\":\"2026-12-02T10:15:30.120+01:00\",\"ms\":42}");
        assertThat(e.ts())
                .isEqualTo(java.time.Instant.parse("2026-12-02T09:15:30.120Z").toEpochMilli());
        assertThat(e.field("url")).isEqualTo("/home");
        assertThat(e.field("ms")).as("other scalar fields are kept as text").isEqualTo("42");
        assertThat(e.experimentId()).isNull();
    }

    @Test
    void eachTimeFormatIsReadAndAWrongOneExplained() {
        EventSchema seconds = new EventSchema("id", "t", EventSchema.TimeFormat.EPOCH_S, List.of(), List.of(), "");
        assertThat(valid(seconds, "{\"id\":\"a\",\"t\":1700000000}").ts()).isEqualTo(1_700_000_000_000L);
        assertThat(rejected(seconds, "{\"id\":\"a\",\"t\":\"1700000000\"}"))
                .isEqualTo(new ParseOutcome.Rejected(
                        DeadLetterReason.INVALID_FIELD, "t must be an integer of epoch seconds, got a string"));
        assertThat(rejected(CLICKS, "{\"url\":\"/\",\"timestamp\":\"02/12/2026\"}")
                        .detail())
                .startsWith("timestamp must be an ISO-8601 instant with an offset");
        assertThat(rejected(CLICKS, "{\"url\":\"/\",\"timestamp\":\"2026-12-02T10:15:30\"}")
                        .reason())
                .as("an instant without its offset is ambiguous")
                .isEqualTo(DeadLetterReason.INVALID_FIELD);
    }

    @Test
    void requiredFieldsAreNamedWhenMissingAndMustBeStrings() {
        assertThat(rejected(CLICKS, "{\"timestamp\":\"2026-12-02T10:15:30Z\"}"))
                .isEqualTo(new ParseOutcome.Rejected(DeadLetterReason.MISSING_FIELD, "url is required"));
        assertThat(rejected(CLICKS, "{\"url\":7,\"timestamp\":\"2026-12-02T10:15:30Z\"}"))
                .isEqualTo(new ParseOutcome.Rejected(
                        DeadLetterReason.INVALID_FIELD, "url must be a string, got a number"));
        assertThat(rejected(CLICKS, "{\"url\":\" \",\"timestamp\":\"2026-12-02T10:15:30Z\"}"))
                .isEqualTo(new ParseOutcome.Rejected(DeadLetterReason.INVALID_FIELD, "url must not be blank"));
    }

    @Test
    void withoutAnIdentityFieldEventsAreIdentifiedByTheirSourcePosition() {
        String line = "{\"url\":\"/a\",\"timestamp\":\"2026-12-02T10:15:30Z\"}";
        List<byte[]> records = List.of(bytes(line), bytes(line));
        long[] offset = {100};
        PartitionBatch batch = new EventParser(ParserLimits.DEFAULT, CLICKS)
                .parseBatch(
                        SourceRange.of("clicks", 3, 100, 102), records.iterator(), r -> offset[0]++, r -> 0L, r -> r);
        assertThat(batch.valid()).extracting(p -> p.event().eventId()).containsExactly("clicks+3+100", "clicks+3+101");
    }

    @Test
    void aJsonSchemaIsCheckedAfterTheFieldsAndNamesTheViolation() {
        String jsonSchema = "{\"type\":\"object\",\"properties\":{\"url\":{\"type\":\"string\",\"pattern\":\"^/\"},"
                + "\"ms\":{\"type\":\"integer\",\"minimum\":0}},\"required\":[\"ms\"]}";
        EventSchema checked = new EventSchema(
                CLICKS.idField(), CLICKS.timeField(), CLICKS.timeFormat(), List.of("url"), List.of(), jsonSchema);
        assertThat(valid(checked, "{\"url\":\"/a\",\"timestamp\":\"2026-12-02T10:15:30Z\",\"ms\":3}")
                        .field("ms"))
                .isEqualTo("3");
        ParseOutcome.Rejected negative =
                rejected(checked, "{\"url\":\"/a\",\"timestamp\":\"2026-12-02T10:15:30Z\",\"ms\":-1}");
        assertThat(negative.reason()).isEqualTo(DeadLetterReason.SCHEMA_VIOLATION);
        assertThat(negative.detail()).contains("ms").contains("0");
        assertThat(rejected(checked, "{\"url\":\"a\",\"timestamp\":\"2026-12-02T10:15:30Z\",\"ms\":1}")
                        .detail())
                .contains("url");
        assertThat(rejected(checked, "{\"url\":\"/a\",\"timestamp\":\"2026-12-02T10:15:30Z\"}")
                        .detail())
                .contains("ms");
    }

    @Test
    void theDefaultIsTheAbSchema() {
        assertThat(new EventParser(ParserLimits.DEFAULT).schema()).isEqualTo(EventSchema.AB);
        assertThat(rejected(EventSchema.AB, "{\"event_id\":\"e\",\"ts\":1,\"account_id\":\"a\"}"))
                .isEqualTo(new ParseOutcome.Rejected(DeadLetterReason.MISSING_FIELD, "experiment_id is required"));
    }

    private static Event valid(EventSchema schema, String json) {
        ParseOutcome outcome = new EventParser(ParserLimits.DEFAULT, schema).parse(bytes(json));
        assertThat(outcome).isInstanceOf(ParseOutcome.Valid.class);
        return ((ParseOutcome.Valid) outcome).event();
    }

    private static ParseOutcome.Rejected rejected(EventSchema schema, String json) {
        ParseOutcome outcome = new EventParser(ParserLimits.DEFAULT, schema).parse(bytes(json));
        assertThat(outcome).isInstanceOf(ParseOutcome.Rejected.class);
        return (ParseOutcome.Rejected) outcome;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
