package io.sluice.capacity.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the model over 400 random inputs (a fixed seed, so a failure names a reproducible case): more load,
 * more copies or more archive writes never needs fewer nodes, a bigger node never needs more, the plan's nodes and
 * binding resource are the largest requirement's, and the roles on the planned nodes add up to the plan's demand.
 */
class CapacityModelPropertiesTest {
    static Stream<PlanInput> randomInputs() {
        Random random = new Random(20261122);
        return IntStream.range(0, 400)
                .mapToObj(i -> new PlanInput(
                        new Workload(
                                1_000 + random.nextInt(3_000_000),
                                50 + random.nextInt(5_000),
                                1 + random.nextDouble() * 3,
                                1 + random.nextInt(500)),
                        new NodeType(
                                1 + random.nextInt(64),
                                0.5 + random.nextInt(40),
                                20 + random.nextInt(2_000),
                                1 + random.nextInt(256)),
                        new PipelineShape(
                                random.nextBoolean(),
                                1 + random.nextInt(3),
                                random.nextBoolean(),
                                1 + random.nextInt(3),
                                0.05 + random.nextDouble() * 0.95,
                                1 + random.nextDouble() * 3,
                                random.nextBoolean(),
                                random.nextBoolean(),
                                random.nextInt(2_000),
                                1 + random.nextDouble() * 3,
                                0.5 + random.nextInt(30),
                                random.nextInt(60)),
                        new Calibration(
                                1_000 + random.nextInt(200_000),
                                random.nextBoolean()
                                        ? OptionalDouble.of(0.5 + random.nextInt(300))
                                        : OptionalDouble.empty(),
                                random.nextBoolean()
                                        ? OptionalDouble.of(0.1 + random.nextInt(20))
                                        : OptionalDouble.empty(),
                                OptionalDouble.empty(),
                                OptionalDouble.empty(),
                                OptionalDouble.empty(),
                                "random"),
                        random.nextDouble() * 0.6,
                        random.nextBoolean()));
    }

    private static int nodes(PlanInput in) {
        return CapacityModel.plan(in).nodes();
    }

    private static PipelineShape replication(PipelineShape p, int hdfs, int kafka, boolean wal) {
        return new PipelineShape(
                wal,
                hdfs,
                p.kafkaColocated(),
                kafka,
                p.compressionRatio(),
                p.archiveWriteAmplification(),
                p.archive(),
                p.s3Backup(),
                p.hbaseBytesPerEvent(),
                p.hbaseWriteAmplification(),
                p.batchIntervalSeconds(),
                p.windowMinutes());
    }

    @ParameterizedTest
    @MethodSource("randomInputs")
    void nodesNeverDecreaseAsTheRateOrTheEventSizeGrows(PlanInput in) {
        int n = nodes(in);
        Workload w = in.workload();
        for (double factor : new double[] {1.01, 1.7, 3}) {
            assertThat(nodes(in.withEventsPerSecond(w.eventsPerSecond() * factor)))
                    .isGreaterThanOrEqualTo(n);
            assertThat(nodes(in.withWorkload(new Workload(
                            w.eventsPerSecond(), w.eventBytes() * factor, w.peakFactor(), w.retentionHours()))))
                    .isGreaterThanOrEqualTo(n);
            assertThat(nodes(in.withWorkload(new Workload(
                            w.eventsPerSecond(), w.eventBytes(), w.peakFactor() * factor, w.retentionHours()))))
                    .isGreaterThanOrEqualTo(n);
        }
    }

    @ParameterizedTest
    @MethodSource("randomInputs")
    void nodesNeverDecreaseAsReplicationGrowsOrTheWalIsTurnedOn(PlanInput in) {
        int n = nodes(in);
        PipelineShape p = in.pipeline();
        assertThat(nodes(in.withPipeline(replication(p, p.hdfsReplication() + 1, p.kafkaReplication(), p.wal()))))
                .isGreaterThanOrEqualTo(n);
        assertThat(nodes(in.withPipeline(replication(p, p.hdfsReplication(), p.kafkaReplication() + 1, p.wal()))))
                .isGreaterThanOrEqualTo(n);
        assertThat(nodes(in.withPipeline(replication(p, p.hdfsReplication(), p.kafkaReplication(), true))))
                .isGreaterThanOrEqualTo(n);
    }

    @ParameterizedTest
    @MethodSource("randomInputs")
    void nodesNeverDecreaseAsTheArchiveWritesMore(PlanInput in) {
        int n = nodes(in);
        PipelineShape p = in.pipeline();
        for (double more : new double[] {0.01, 0.5, 2}) {
            assertThat(nodes(in.withPipeline(p.withArchiveWriteAmplification(p.archiveWriteAmplification() + more))))
                    .isGreaterThanOrEqualTo(n);
        }
    }

    @ParameterizedTest
    @MethodSource("randomInputs")
    void nodesNeverIncreaseAsTheNodeGrows(PlanInput in) {
        int n = nodes(in);
        NodeType d = in.node();
        for (double factor : new double[] {1.01, 2, 10}) {
            assertThat(nodes(in.withNode(new NodeType(d.cores(), d.nicGbps() * factor, d.diskMBps(), d.memoryGb()))))
                    .isLessThanOrEqualTo(n);
            assertThat(nodes(in.withNode(new NodeType(d.cores(), d.nicGbps(), d.diskMBps() * factor, d.memoryGb()))))
                    .isLessThanOrEqualTo(n);
            assertThat(nodes(in.withNode(new NodeType(
                            (int) Math.ceil(d.cores() * factor), d.nicGbps(), d.diskMBps(), d.memoryGb()))))
                    .isLessThanOrEqualTo(n);
            assertThat(nodes(in.withNode(new NodeType(d.cores(), d.nicGbps(), d.diskMBps(), d.memoryGb() * factor))))
                    .isLessThanOrEqualTo(n);
        }
    }

    @ParameterizedTest
    @MethodSource("randomInputs")
    void theBindingResourceIsTheLargestRequirement(PlanInput in) {
        Plan plan = CapacityModel.plan(in);
        Requirement largest = plan.requirements().stream()
                .max(Comparator.comparingInt(Requirement::nodes).thenComparingDouble(Requirement::load))
                .orElseThrow();
        assertThat(plan.binding()).isEqualTo(largest.resource());
        assertThat(plan.nodes()).isEqualTo(largest.nodes()).isPositive();
        for (Requirement r : plan.requirements()) {
            assertThat(r.nodes()).isLessThanOrEqualTo(plan.nodes());
            // every requirement's node count carries its demand, and one node fewer would not
            assertThat(r.nodes() * r.perNode()).isGreaterThanOrEqualTo(r.demand() * (1 - 1e-9));
            assertThat((r.nodes() - 1) * r.perNode()).isLessThan(r.demand());
        }
    }

    @ParameterizedTest
    @MethodSource("randomInputs")
    void settingsCarryThePeak(PlanInput in) {
        Plan plan = CapacityModel.plan(in);
        SparkSettings s = plan.settings();
        double peak = in.workload().peakEventsPerSecond();
        assertThat(s.coresMax()).isEqualTo(plan.nodes() * s.executorCores());
        assertThat(s.kafkaPartitions() % s.coresMax()).isZero();
        assertThat((double) s.maxRatePerPartition() * s.kafkaPartitions()).isGreaterThanOrEqualTo(peak);
        assertThat((double) s.receiverMaxRate() * s.receivers()).isGreaterThanOrEqualTo(peak);
        assertThat(s.executorMemoryGb()).isPositive();
    }

    @ParameterizedTest
    @MethodSource("randomInputs")
    void theColocatedRolesAddUpToThePlan(PlanInput in) {
        Plan plan = CapacityModel.plan(in);
        assertThat(plan.roles()).extracting(RoleRequirement::role).containsExactly(Role.values());
        assertThat(plan.role(Role.KAFKA_BROKERS).colocated())
                .isEqualTo(in.pipeline().kafkaColocated());
        for (Requirement total : plan.requirements()) {
            double sum = plan.roles().stream()
                    .filter(RoleRequirement::colocated)
                    .flatMap(role -> role.requirements().stream())
                    .filter(r -> r.resource() == total.resource())
                    .mapToDouble(Requirement::demand)
                    .sum();
            assertThat(sum).isCloseTo(total.demand(), org.assertj.core.data.Offset.offset(total.demand() * 1e-9));
        }
        for (RoleRequirement role : plan.roles()) {
            if (role.colocated()) {
                assertThat(role.nodes()).isLessThanOrEqualTo(plan.nodes());
            }
        }
        RoleRequirement binding = plan.role(plan.bindingRole());
        assertThat(binding.colocated()).isTrue();
        Requirement bound = plan.requirement(plan.binding());
        for (RoleRequirement role : plan.roles()) {
            if (role.colocated()) {
                assertThat(bound.demandOf(plan.bindingRole())).isGreaterThanOrEqualTo(bound.demandOf(role.role()));
            }
        }
    }
}
