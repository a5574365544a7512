package io.sluice.demo.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParseOutcome;
import io.sluice.jobs.event.ParserLimits;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {
    private final EventParser parser = new EventParser(ParserLimits.DEFAULT);

    @Test
    void theSameSeedGivesTheSameEvents() {
        assertThat(new EventGenerator(7, 0.1).event(123).json())
                .isEqualTo(new EventGenerator(7, 0.1).event(123).json());
        assertThat(new EventGenerator(7, 0.1).event(123).json())
                .isNotEqualTo(new EventGenerator(8, 0.1).event(123).json());
    }

    @Test
    void validEventsParseAndAreAbout600Bytes() {
        EventGenerator generator = new EventGenerator(1, 0);
        long bytes = 0;
        for (int seq = 0; seq < 1000; seq++) {
            GeneratedEvent e = generator.event(seq);
            ParseOutcome outcome = parser.parse(e.json());
            assertThat(outcome).as(new String(e.json())).isInstanceOf(ParseOutcome.Valid.class);
            assertThat(((ParseOutcome.Valid) outcome).event().eventId()).isEqualTo(e.eventId());
            bytes += e.json().length;
        }
        assertThat(bytes / 1000).isBetween(500L, 700L);
    }

    @Test
    void everyMalformedEventIsRejectedAndTheShareIsRespected() {
        EventGenerator generator = new EventGenerator(3, 0.2);
        GroundTruth truth = GroundTruth.of(generator, 5000);
        long rejected = 0;
        for (int seq = 0; seq < 5000; seq++) {
            GeneratedEvent e = generator.event(seq);
            boolean isRejected = parser.parse(e.json()) instanceof ParseOutcome.Rejected;
            assertThat(isRejected).as("seq %d: %s", seq, new String(e.json())).isEqualTo(e.malformed());
            rejected += isRejected ? 1 : 0;
        }
        assertThat(rejected).isEqualTo(truth.malformed());
        assertThat(truth.validIds()).hasSize((int) (5000 - truth.malformed()));
        assertThat(truth.malformed()).isBetween(800L, 1200L);
    }

    @Test
    void lateEventsAreTheOnesSentFarBehindOnceTheirPartitionHasAClock() {
        EventGenerator generator = new EventGenerator(5, 0.02, 0.05);
        GroundTruth truth = GroundTruth.of(generator, 20_000, 4, 30_000);
        GroundTruth withoutResults = GroundTruth.of(generator, 20_000);

        assertThat(truth.lateIds()).hasSizeBetween(800, 1200);
        assertThat(withoutResults.lateIds()).isEmpty();
        assertThat(truth.validIds().size() + truth.lateIds().size())
                .isEqualTo(withoutResults.validIds().size());
        long base = generator.event(0).ts(); // on time: time = base + seq * spacing + jitter below 5 ms
        for (long seq = 0; seq < 20_000; seq++) {
            GeneratedEvent e = generator.event(seq);
            if (truth.lateIds().contains(e.eventId())) {
                assertThat(e.ts() - seq * EventGenerator.EVENT_SPACING_MS - base)
                        .as("seq %d was generated late", seq)
                        .isBetween(-EventGenerator.LATE_BY_MS - 5, -EventGenerator.LATE_BY_MS + 5);
            }
        }
        assertThat(truth.deadLetters())
                .isEqualTo(truth.malformed() + truth.lateIds().size());
    }
}
