package io.sluice.jobs.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.event.DeadLetterReason;
import io.sluice.api.event.Event;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {
    private static final String VALID = "{\"event_id\":\"e-1\",\"ts\":1700000000000,\"account_id\":\"a1\","
            + "\"experiment_id\":\"x1\",\"variation_id\":\"v1\",\"user_id\":\"u1\",\"type\":\"impression\","
            + "\"attributes\":{\"country\":\"DE\",\"score\":3,\"new\":true,\"ignored\":null}}";
    private final EventParser parser = new EventParser(new ParserLimits(1024, 3, 64, 4));

    @Test
    void parsesAValidEvent() {
        ParseOutcome outcome = parser.parse(bytes(VALID));
        assertThat(outcome).isInstanceOf(ParseOutcome.Valid.class);
        Event e = ((ParseOutcome.Valid) outcome).event();
        assertThat(e.eventId()).isEqualTo("e-1");
        assertThat(e.ts()).isEqualTo(1_700_000_000_000L);
        assertThat(e.experimentId()).isEqualTo("x1");
        assertThat(e.type()).isEqualTo("impression");
        assertThat(e.attributes())
                .containsEntry("country", "DE")
                .containsEntry("score", "3")
                .containsEntry("new", "true")
                .doesNotContainKey("ignored");
    }

    @Test
    void unknownFieldsAreSkipped() {
        String json = VALID.replace("{\"event_id\"", "{\"extra\":{\"a\":[1,2]},\"event_id\"");
        assertThat(parser.parse(bytes(json))).isInstanceOf(ParseOutcome.Valid.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "empty                | ''                                                        | EMPTY",
                "not json             | not json at all                                           | MALFORMED_JSON",
                "truncated            | {\"event_id\":\"e-1\",\"ts\":17                          | MALFORMED_JSON",
                "array                | [1,2,3]                                                   | NOT_AN_OBJECT",
                "string               | \"hello\"                                                 | NOT_AN_OBJECT",
                "missing ts           | {\"event_id\":\"e\",\"account_id\":\"a\"}                 | MISSING_FIELD",
            })
    void rejectsBadInputWithItsReason(String name, String json, DeadLetterReason reason) {
        ParseOutcome outcome = parser.parse(bytes(json));
        assertThat(outcome).isInstanceOf(ParseOutcome.Rejected.class);
        assertThat(((ParseOutcome.Rejected) outcome).reason()).isEqualTo(reason);
    }

    @Test
    void rejectsFieldsOfTheWrongType() {
        assertReason(
                VALID.replace("1700000000000", "\"yesterday\""),
                DeadLetterReason.INVALID_FIELD,
                "ts must be an integer");
        assertReason(VALID.replace("1700000000000", "-5"), DeadLetterReason.INVALID_FIELD, "ts must be between");
        assertReason(VALID.replace("\"a1\"", "42"), DeadLetterReason.INVALID_FIELD, "account_id must be a string");
        assertReason(VALID.replace("\"e-1\"", "\"  \""), DeadLetterReason.INVALID_FIELD, "event_id");
        assertReason(VALID.replace("\"impression\"", "null"), DeadLetterReason.MISSING_FIELD, "type is required");
    }

    @Test
    void enforcesTheEventSizeLimit() {
        String big = VALID.replace("\"DE\"", "\"" + "x".repeat(1100) + "\"");
        assertReason(big, DeadLetterReason.TOO_LARGE, "limit 1024");
    }

    @Test
    void enforcesTheStringLengthLimit() {
        assertReason(
                VALID.replace("\"DE\"", "\"" + "x".repeat(65) + "\""), DeadLetterReason.STRING_TOO_LONG, "limit 64");
        assertReason(
                VALID.replace("\"u1\"", "\"" + "u".repeat(65) + "\""), DeadLetterReason.STRING_TOO_LONG, "user_id");
    }

    @Test
    void enforcesTheNestingDepthLimit() {
        String deep = VALID.replace("{\"event_id\"", "{\"x\":{\"y\":{\"z\":{}}},\"event_id\"");
        assertReason(deep, DeadLetterReason.TOO_DEEP, "deeper than 3");
    }

    @Test
    void rejectsNestedAttributesAndTooManyOfThem() {
        assertReason(VALID.replace("\"DE\"", "[1]"), DeadLetterReason.INVALID_FIELD, "attributes.country");
        assertReason(
                VALID.replace("\"ignored\":null", "\"a\":1,\"b\":2"), DeadLetterReason.INVALID_FIELD, "more than 4");
    }

    @Test
    void rejectsTrailingContentDuplicateFieldsAndBadUtf8() {
        assertReason(VALID + " {}", DeadLetterReason.MALFORMED_JSON, "trailing");
        assertReason(
                VALID.replace("{\"event_id\":\"e-1\"", "{\"event_id\":\"e-1\",\"event_id\":\"e-2\""),
                DeadLetterReason.DUPLICATE_KEY,
                "Duplicate field");
        byte[] bad = bytes(VALID);
        bad[VALID.indexOf("DE") + 1] = (byte) 0xC3;
        ParseOutcome outcome = parser.parse(bad);
        assertThat(outcome).isInstanceOf(ParseOutcome.Rejected.class);
        assertThat(((ParseOutcome.Rejected) outcome).reason()).isEqualTo(DeadLetterReason.INVALID_ENCODING);
        assertThat(((ParseOutcome.Rejected) outcome).detail())
                .contains("not valid UTF-8 at byte " + (VALID.indexOf("DE") + 1));
    }

    @Test
    void aByteOrderMarkIsRemovedAndLineBreaksBetweenTokensAreValid() {
        byte[] json = bytes(VALID);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        ParseOutcome outcome = parser.parse(withBom);
        assertThat(outcome).isInstanceOf(ParseOutcome.Valid.class);
        assertThat(((ParseOutcome.Valid) outcome).normalized()).isEqualTo(json);
        ParseOutcome plain = parser.parse(json);
        assertThat(((ParseOutcome.Valid) plain).normalized()).isSameAs(json);
        assertThat(parser.parse(bytes(VALID.replace(",\"", ",\r\n \"")))).isInstanceOf(ParseOutcome.Valid.class);
        // a UTF-16 byte order mark is not UTF-8
        byte[] utf16 = bytes("xx" + VALID);
        utf16[0] = (byte) 0xFE;
        utf16[1] = (byte) 0xFF;
        assertThat(((ParseOutcome.Rejected) parser.parse(utf16)).reason()).isEqualTo(DeadLetterReason.INVALID_ENCODING);
    }

    @Test
    void rawControlCharactersAreRejectedAndEscapedOnesKept() {
        assertReason(VALID.replace("\"DE\"", "\"D\u0001E\""), DeadLetterReason.CONTROL_CHARACTER, "CTRL-CHAR");
        assertReason(VALID + "\u0000", DeadLetterReason.CONTROL_CHARACTER, "CTRL-CHAR");
        assertThat(parser.parse(bytes(VALID.replace("\"DE\"", "\"D\\u0001E\""))))
                .isInstanceOf(ParseOutcome.Valid.class);
    }

    @Test
    void numbersNoStandardReaderHoldsAreRejected() {
        assertReason(VALID.replace("\"score\":3", "\"score\":1e999"), DeadLetterReason.NUMBER_OUT_OF_RANGE, "score");
        assertReason(
                VALID.replace("\"score\":3", "\"score\":123456789012345678901234"),
                DeadLetterReason.NUMBER_OUT_OF_RANGE,
                "score");
        assertReason(
                VALID.replace("1700000000000", "123456789012345678901234"), DeadLetterReason.NUMBER_OUT_OF_RANGE, "ts");
        assertReason(
                VALID.replace("{\"event_id\"", "{\"extra\":[1,2e999],\"event_id\""),
                DeadLetterReason.NUMBER_OUT_OF_RANGE,
                "2e999");
        assertReason(
                VALID.replace("\"score\":3", "\"score\":" + "1".repeat(40)), DeadLetterReason.NUMBER_OUT_OF_RANGE, "");
    }

    private void assertReason(String json, DeadLetterReason reason, String detail) {
        ParseOutcome outcome = parser.parse(bytes(json));
        assertThat(outcome).isInstanceOf(ParseOutcome.Rejected.class);
        ParseOutcome.Rejected rejected = (ParseOutcome.Rejected) outcome;
        assertThat(rejected.reason()).isEqualTo(reason);
        assertThat(rejected.detail()).contains(detail);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
