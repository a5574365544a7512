package io.sluice.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.TaskOutput;
import io.sluice.api.event.DeadLetter;
import io.sluice.api.event.DeadLetterReason;
import io.sluice.api.event.Event;
import io.sluice.api.event.PartitionBatch;
import io.sluice.api.event.PositionedEvent;
import io.sluice.checkpoint.SourceRange;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.client.Connection;
import org.junit.jupiter.api.Test;

/** Each job's failures stay its own: a bad event for one job is its dead letter, and the others write on. */
class JobWritesTest {
    private static final SourceRange RANGE = SourceRange.of("events", 0, 10, 15);
    private final Map<String, List<String>> written = new HashMap<>();
    private final Map<String, Long> counted = new HashMap<>();
    private final List<DeadLetter> archivedDead = new ArrayList<>();
    private final List<String> lagged = new ArrayList<>();

    @Test
    void aJobThatThrowsOnOneEventDeadLettersItForItselfAndStopsNothingElse() throws IOException {
        List<JobTask> jobs = List.of(
                job("archive", archive(), true),
                job(
                        "picky",
                        (batch, context) -> {
                            written.remove("picky"); // writing again overwrites an attempt's writes, as a sink's
                            for (PositionedEvent e : batch.valid()) {
                                if (e.event().eventId().equals("e12")) {
                                    throw new IllegalArgumentException(
                                            "cannot handle " + e.event().eventId());
                                }
                                record("picky", e);
                                context.count("rows", 1);
                            }
                        },
                        false),
                job("store", (batch, context) -> batch.valid().forEach(e -> record("store", e)), false));

        Map<String, Long> dead = JobWrites.write(batch(), jobs, this::attempt);

        assertThat(written.get("picky")).containsExactly("e10", "e11", "e13", "e14");
        assertThat(counted).as("only the write that succeeded counts").containsEntry("picky:rows", 4L);
        assertThat(written.get("store")).containsExactly("e10", "e11", "e12", "e13", "e14");
        assertThat(written.get("archive"))
                .as("the archive keeps every valid event")
                .containsExactly("e10", "e11", "e12", "e13", "e14");
        assertThat(archivedDead).singleElement().satisfies(d -> {
            assertThat(d.offset()).isEqualTo(12);
            assertThat(d.reason()).isEqualTo(DeadLetterReason.JOB_ERROR);
            assertThat(d.detail()).isEqualTo("job picky: java.lang.IllegalArgumentException: cannot handle e12");
            assertThat(new String(d.raw())).isEqualTo("{\"event_id\":\"e12\"}");
        });
        assertThat(dead).containsEntry("picky", 1L).containsEntry("store", 0L).containsEntry("archive", 0L);
    }

    @Test
    void eventsWithoutAJobsFieldsAreDeadLettersForThatJobAlone() throws IOException {
        JobTask needsCountry = new JobTask(
                "geo",
                (batch, context) -> batch.valid().forEach(e -> record("geo", e)),
                List.of("country"),
                false,
                false);
        JobWrites.write(batch(), List.of(needsCountry, job("archive", archive(), true)), this::attempt);

        assertThat(written.get("geo")).containsExactly("e10", "e12", "e14");
        assertThat(written.get("archive")).hasSize(5);
        assertThat(archivedDead)
                .extracting(DeadLetter::offset, DeadLetter::reason, DeadLetter::detail)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                11L, DeadLetterReason.MISSING_FIELD, "job geo: country is required"),
                        org.assertj.core.groups.Tuple.tuple(
                                13L, DeadLetterReason.MISSING_FIELD, "job geo: country is required"));
    }

    @Test
    void aSinksFailureOrAnErrorOutsideAnyEventFailsTheBatch() {
        JobTask down = job(
                "down",
                (batch, context) -> {
                    batch.valid().get(0);
                    throw new IOException("HBase is down");
                },
                false);
        assertThatThrownBy(() -> JobWrites.write(batch(), List.of(down), this::attempt))
                .isInstanceOf(IOException.class);
        JobTask broken = job(
                "broken",
                (batch, context) -> {
                    throw new UncheckedIOException(new IOException("no connection"));
                },
                false);
        assertThatThrownBy(() -> JobWrites.write(batch(), List.of(broken), this::attempt))
                .as("no event was read: not an event's fault")
                .isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void aSinksFailureLetsAJobThatMayLagLagWhileTheOthersWriteAndALaggingJobIsNotWritten() throws IOException {
        JobTask store = new JobTask(
                "store",
                (batch, context) -> {
                    batch.valid().get(0);
                    throw new IOException("HBase is down");
                },
                List.of("country"),
                false,
                true);
        JobTask archive = job("archive", archive(), true);

        JobWrites.write(batch(), List.of(store, archive), this::attempt);

        assertThat(lagged).containsExactly("store: java.io.IOException: HBase is down");
        assertThat(written.get("archive")).hasSize(5);
        assertThat(archivedDead)
                .as("its events without its fields are still its dead letters")
                .extracting(DeadLetter::offset)
                .containsExactly(11L, 13L);

        archivedDead.clear();
        JobTask unreached = new JobTask(
                "store",
                (batch, context) -> {
                    throw new AssertionError("a lagging job is not written");
                },
                List.of("country"),
                false,
                true);
        JobWrites.write(batch(), List.of(unreached, archive), Set.of("store"), this::attempt);
        assertThat(written.get("archive")).hasSize(10);
        assertThat(archivedDead).extracting(DeadLetter::offset).containsExactly(11L, 13L);
    }

    @Test
    void aJobFailingOnTooManyEventsFailsTheBatch() {
        JobTask hopeless = job(
                "hopeless",
                (batch, context) -> {
                    for (PositionedEvent e : batch.valid()) {
                        throw new IllegalStateException("no " + e.offset());
                    }
                },
                false);
        List<PositionedEvent> many = new ArrayList<>();
        for (int i = 0; i < JobWrites.MAX_BAD_EVENTS + 2; i++) {
            many.add(event(i, "e" + i, false));
        }
        PartitionBatch batch = new PartitionBatch(SourceRange.of("events", 0, 0, many.size()), many, List.of());
        assertThatThrownBy(() -> JobWrites.write(batch, List.of(hopeless), this::attempt))
                .hasMessage("no " + JobWrites.MAX_BAD_EVENTS);
    }

    private TaskOutput archive() {
        return (batch, context) -> {
            batch.valid().forEach(e -> record("archive", e));
            archivedDead.addAll(batch.deadLetters());
        };
    }

    private void record(String job, PositionedEvent e) {
        written.computeIfAbsent(job, j -> new ArrayList<>()).add(e.event().eventId());
    }

    private static JobTask job(String name, TaskOutput output, boolean deadLetters) {
        return new JobTask(name, output, List.of(), deadLetters, false);
    }

    private static PartitionBatch batch() {
        List<PositionedEvent> events = new ArrayList<>();
        for (long offset = 10; offset < 15; offset++) {
            events.add(event(offset, "e" + offset, offset % 2 == 0));
        }
        return new PartitionBatch(RANGE, events, List.of());
    }

    private static PositionedEvent event(long offset, String id, boolean withCountry) {
        Map<String, String> fields = withCountry ? Map.of("country", "DE") : Map.of();
        return new PositionedEvent(
                offset, new Event(id, 1000, fields, Map.of()), ("{\"event_id\":\"" + id + "\"}").getBytes());
    }

    private JobWrites.Attempt attempt(JobTask job) {
        Map<String, Long> counts = new HashMap<>();
        return new JobWrites.Attempt() {
            @Override
            public void succeeded() {
                counts.forEach((name, n) -> counted.merge(job.job() + ":" + name, n, Long::sum));
            }

            @Override
            public String stage() {
                return "e1-b1000";
            }

            @Override
            public long arrival() {
                return NO_ARRIVAL;
            }

            @Override
            public Configuration hadoop() {
                return new Configuration(false);
            }

            @Override
            public Connection hbase() {
                return null;
            }

            @Override
            public void count(String name, long n) {
                counts.merge(name, n, Long::sum);
            }

            @Override
            public void report(Serializable sum) {}

            @Override
            public void lagged(IOException cause) {
                lagged.add(job.job() + ": " + cause);
            }
        };
    }
}
