package io.sluice.testkit.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParseOutcome;
import io.sluice.jobs.event.ParserLimits;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {
    private final EventParser parser = new EventParser(ParserLimits.DEFAULT);

    private static final long START = EventGenerator.defaultStart(1_767_225_600_000L);
    private static final Mix REALISTIC = Mix.realistic(0.05, 0.01);

    @Test
    void theSameSeedGivesTheSameEvents() {
        assertThat(new EventGenerator(7, REALISTIC, START).event(123).json())
                .isEqualTo(new EventGenerator(7, REALISTIC, START).event(123).json());
        assertThat(new EventGenerator(7, REALISTIC, START).event(123).json())
                .isNotEqualTo(new EventGenerator(8, REALISTIC, START).event(123).json());
    }

    @Test
    void aShapePadsValidEventsToItsSizeAndSpreadsThemOverItsExperiments() {
        for (int bytes : new int[] {300, 1500, 6000, 9000}) {
            EventGenerator generator = new EventGenerator(3, Mix.classic(0, 0), START, new Shape(10_000, bytes));
            java.util.Set<String> experiments = new java.util.HashSet<>();
            for (int seq = 0; seq < 2_000; seq++) {
                byte[] json = generator.event(seq).json();
                assertThat(json.length)
                        .as("an event of %d bytes at least", bytes)
                        .isEqualTo(Math.max(
                                bytes,
                                new EventGenerator(3, Mix.classic(0, 0), START, new Shape(10_000, 0))
                                        .event(seq)
                                        .json()
                                        .length));
                ParseOutcome outcome = parser.parse(json);
                assertThat(outcome).as(new String(json)).isInstanceOf(ParseOutcome.Valid.class);
                experiments.add(((ParseOutcome.Valid) outcome).event().experimentId());
            }
            assertThat(experiments.size())
                    .as("experiments seen in 2,000 events")
                    .isGreaterThan(40);
        }
        assertThat(new EventGenerator(3, Mix.classic(0, 0), START, Shape.DEFAULT)
                        .event(5)
                        .json())
                .as("the default shape is the demo's events")
                .isEqualTo(
                        new EventGenerator(3, Mix.classic(0, 0), START).event(5).json());
    }

    @Test
    void everyRecordGetsTheOutcomeTheGroundTruthStates() {
        EventGenerator generator = new EventGenerator(9, REALISTIC, START);
        GroundTruth truth = GroundTruth.of(generator, 20_000, 4, 30_000, 300_000);
        java.util.Map<String, Long> rejected = new java.util.TreeMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int seq = 0; seq < 20_000; seq++) {
            GeneratedEvent e = generator.event(seq);
            ParseOutcome outcome = parser.parse(e.json());
            if (e.malformed()) {
                assertThat(outcome)
                        .as("seq %d: %s", seq, new String(e.json()))
                        .isInstanceOf(ParseOutcome.Rejected.class);
                assertThat(((ParseOutcome.Rejected) outcome).reason())
                        .as("seq %d: %s", seq, new String(e.json()))
                        .isEqualTo(e.rejectedAs());
                rejected.merge(e.rejectedAs().code(), 1L, Long::sum);
                continue;
            }
            assertThat(outcome).as("seq %d: %s", seq, new String(e.json())).isInstanceOf(ParseOutcome.Valid.class);
            assertThat(((ParseOutcome.Valid) outcome).event().eventId()).isEqualTo(e.eventId());
            assertThat(((ParseOutcome.Valid) outcome).normalized()[0])
                    .as("seq %d: no byte order mark kept", seq)
                    .isEqualTo((byte) '{');
            assertThat(seen.add(e.eventId()))
                    .as("seq %d repeats %s: only resends do", seq, e.eventId())
                    .isNotEqualTo(e.resend());
        }
        assertThat(rejected.keySet())
                .contains(
                        "malformed_json",
                        "invalid_encoding",
                        "control_character",
                        "duplicate_key",
                        "number_out_of_range");
        java.util.Map<String, Long> expected = new java.util.TreeMap<>(truth.deadLettersByReason());
        expected.remove("too_late");
        expected.remove("future");
        assertThat(expected).isEqualTo(rejected);
        assertThat(truth.resends()).isBetween(50L, 150L);
        assertThat(truth.futureIds()).hasSizeBetween(20, 60);
        assertThat(truth.tooLateIds()).hasSizeBetween(100, 300);
        assertThat(truth.validIds().size()
                        + truth.tooLateIds().size()
                        + truth.futureIds().size())
                .isEqualTo(seen.size());
    }

    @Test
    void producersAheadWithinTheBoundDoNotMakeOthersLate() {
        // every 10th event comes from a producer 20 s ahead; the others are honest, so none of them may be late
        EventGenerator generator = new EventGenerator(9, new Mix(0, 0, 0.5, 0, 0, 0), START);
        GroundTruth truth = GroundTruth.of(generator, 10_000, 2, 5_000, 300_000);
        assertThat(truth.futureIds()).isEmpty();
        // behind-by-2-s producers are within the 5 s lateness; ahead ones are bounded by their arrival
        assertThat(truth.tooLateIds()).isEmpty();
        assertThat(truth.validIds()).hasSize(10_000);
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
        EventGenerator generator = new EventGenerator(5, Mix.classic(0.02, 0.05), START);
        GroundTruth truth = GroundTruth.of(generator, 20_000, 4, 30_000);
        GroundTruth withoutResults = GroundTruth.of(generator, 20_000);

        assertThat(truth.tooLateIds()).hasSizeBetween(800, 1200);
        assertThat(withoutResults.tooLateIds()).isEmpty();
        assertThat(truth.validIds().size() + truth.tooLateIds().size())
                .isEqualTo(withoutResults.validIds().size());
        for (long seq = 0; seq < 20_000; seq++) {
            GeneratedEvent e = generator.event(seq);
            if (truth.tooLateIds().contains(e.eventId())) {
                assertThat(e.ts() - e.arrival())
                        .as("seq %d was generated late", seq)
                        .isBetween(-EventGenerator.LATE_BY_MS - 5, -EventGenerator.LATE_BY_MS + 5);
            }
        }
        assertThat(truth.deadLetters())
                .isEqualTo(truth.malformed() + truth.tooLateIds().size());

        // ten minutes late: within a 15-min revise span every one of them is counted, as a revision
        GroundTruth revising = GroundTruth.of(generator, 20_000, 4, 30_000, 300_000, 900_000);
        assertThat(revising.tooLateIds()).isEmpty();
        assertThat(revising.revisedSeqs()).hasSize(truth.tooLateIds().size());
        assertThat(revising.validIds()).isEqualTo(withoutResults.validIds());
        assertThat(revising.lateEvents()).isEqualTo(truth.lateEvents());
    }
}
