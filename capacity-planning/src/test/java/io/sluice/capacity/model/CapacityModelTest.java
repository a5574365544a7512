package io.sluice.capacity.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class CapacityModelTest {
    private static final Workload REFERENCE = new Workload(1_000_000, 600, 1);
    private static final NodeType NODE = new NodeType(4, 1, 100, 16);

    private static PlanInput simple() {
        return new PlanInput(REFERENCE, NODE, PipelineShape.simple(), Calibration.DEFAULT, 0, true);
    }

    @Test
    void theReferenceCaseNeedsSixNodesBoundByDisk() {
        Plan plan = CapacityModel.plan(simple());
        assertThat(plan.nodes()).isEqualTo(6);
        assertThat(plan.binding()).isEqualTo(Resource.DISK_WRITE);
        assertThat(plan.requirement(Resource.NETWORK_IN).nodes()).isEqualTo(5); // 600 MB/s over 125 MB/s
    }

    @Test
    void theWalAndHdfsReplicationNeedMoreNodesAndDiskBinds() {
        PipelineShape s = PipelineShape.simple();
        PipelineShape walRep3 = new PipelineShape(true, 3, false, 1, s.compressionRatio(), s.archive(), false, 0, 1,
                s.batchIntervalSeconds(), 0);
        Plan plan = CapacityModel.plan(new PlanInput(REFERENCE, NODE, walRep3, Calibration.DEFAULT, 0, true));
        assertThat(plan.nodes()).isEqualTo(36); // (600 WAL + 600 archive) x 3 = 3,600 MB/s over 100 MB/s
        assertThat(plan.binding()).isEqualTo(Resource.DISK_WRITE);

        Plan realistic = CapacityModel.plan(new PlanInput(REFERENCE, NODE, withWal(PipelineShape.realistic()),
                Calibration.DEFAULT, 0.3, false));
        assertThat(realistic.nodes()).isGreaterThan(plan.nodes());
        assertThat(realistic.binding()).isEqualTo(Resource.DISK_WRITE);
    }

    @Test
    void aFasterNicDoesNotHelpWhenDiskBinds() {
        NodeType tenGig = new NodeType(4, 10, 100, 16);
        Plan plan = CapacityModel.plan(new PlanInput(REFERENCE, tenGig, PipelineShape.simple(), Calibration.DEFAULT, 0, true));
        assertThat(plan.nodes()).isEqualTo(6);
        assertThat(plan.requirement(Resource.NETWORK_IN).nodes()).isEqualTo(1);
    }

    @Test
    void settingsFollowThePlan() {
        Plan plan = CapacityModel.plan(new PlanInput(REFERENCE, NODE, PipelineShape.realistic(), Calibration.DEFAULT, 0.3, false));
        SparkSettings s = plan.settings();
        assertThat(s.executors()).isEqualTo(plan.nodes());
        assertThat(s.coresMax()).isEqualTo(plan.nodes() * 3);
        assertThat(s.kafkaPartitions() % s.executorCores()).isZero();
        assertThat(s.maxRatePerPartition() * s.kafkaPartitions()).isGreaterThanOrEqualTo(1_000_000);
        assertThat(s.batchIntervalOk()).isTrue();
    }

    @Test
    void badInputsNameTheFlag() {
        assertThatThrownBy(() -> new Workload(-1, 600, 1)).hasMessage("--events-per-second must be a positive number, got -1");
        assertThatThrownBy(() -> new NodeType(0, 1, 100, 16)).hasMessage("--node-cores must be a positive number, got 0");
        assertThatThrownBy(() -> new PlanInput(REFERENCE, NODE, PipelineShape.simple(), Calibration.DEFAULT, 1.5, true))
                .hasMessageStartingWith("--headroom must be from 0 to");
    }

    // --- properties over random inputs (seeded, so a failure is reproducible) ---

    static Stream<PlanInput> randomInputs() {
        Random random = new Random(20261122);
        return IntStream.range(0, 300).mapToObj(i -> new PlanInput(
                new Workload(1_000 + random.nextInt(3_000_000), 50 + random.nextInt(5_000), 1 + random.nextDouble()),
                new NodeType(1 + random.nextInt(64), 0.5 + random.nextInt(40), 20 + random.nextInt(2_000), 2 + random.nextInt(256)),
                new PipelineShape(random.nextBoolean(), 1 + random.nextInt(3), random.nextBoolean(), 1 + random.nextInt(3),
                        0.05 + random.nextDouble() * 0.95, random.nextBoolean(), random.nextBoolean(),
                        random.nextInt(2_000), 1 + random.nextDouble() * 3, 1 + random.nextInt(30), random.nextInt(60)),
                new Calibration(1_000 + random.nextInt(200_000), "random"), random.nextDouble() * 0.5,
                random.nextBoolean()));
    }

    private static int nodes(PlanInput in) {
        return CapacityModel.plan(in).nodes();
    }

    private static PlanInput workload(PlanInput in, UnaryOperator<Workload> change) {
        return new PlanInput(change.apply(in.workload()), in.node(), in.pipeline(), in.calibration(), in.headroom(),
                in.networkAndDiskOnly());
    }

    private static PlanInput node(PlanInput in, UnaryOperator<NodeType> change) {
        return new PlanInput(in.workload(), change.apply(in.node()), in.pipeline(), in.calibration(), in.headroom(),
                in.networkAndDiskOnly());
    }

    @ParameterizedTest
    @MethodSource("randomInputs")
    void nodesNeverDecreaseAsTheLoadOrReplicationGrows(PlanInput in) {
        int n = nodes(in);
        Workload w = in.workload();
        assertThat(nodes(workload(in, x -> new Workload(w.eventsPerSecond() * 1.7, w.eventBytes(), w.peakFactor())))).isGreaterThanOrEqualTo(n);
        assertThat(nodes(workload(in, x -> new Workload(w.eventsPerSecond(), w.eventBytes() * 1.7, w.peakFactor())))).isGreaterThanOrEqualTo(n);
        PipelineShape p = in.pipeline();
        PipelineShape moreReplication = new PipelineShape(p.wal(), p.hdfsReplication() + 1, p.kafkaColocated(),
                p.kafkaReplication() + 1, p.compressionRatio(), p.archive(), p.s3Backup(), p.hbaseBytesPerEvent(),
                p.hbaseWriteAmplification(), p.batchIntervalSeconds(), p.windowMinutes());
        assertThat(nodes(new PlanInput(in.workload(), in.node(), moreReplication, in.calibration(), in.headroom(),
                in.networkAndDiskOnly()))).isGreaterThanOrEqualTo(n);
    }

    @ParameterizedTest
    @MethodSource("randomInputs")
    void nodesNeverIncreaseAsTheNodeGrows(PlanInput in) {
        int n = nodes(in);
        NodeType d = in.node();
        assertThat(nodes(node(in, x -> new NodeType(d.cores(), d.nicGbps() * 2, d.diskMBps(), d.memoryGb())))).isLessThanOrEqualTo(n);
        assertThat(nodes(node(in, x -> new NodeType(d.cores(), d.nicGbps(), d.diskMBps() * 2, d.memoryGb())))).isLessThanOrEqualTo(n);
        assertThat(nodes(node(in, x -> new NodeType(d.cores() + 3, d.nicGbps(), d.diskMBps(), d.memoryGb())))).isLessThanOrEqualTo(n);
        assertThat(nodes(node(in, x -> new NodeType(d.cores(), d.nicGbps(), d.diskMBps(), d.memoryGb() * 2)))).isLessThanOrEqualTo(n);
    }

    @ParameterizedTest
    @MethodSource("randomInputs")
    void theBindingResourceIsTheOneWithTheLargestRequirement(PlanInput in) {
        Plan plan = CapacityModel.plan(in);
        int max = plan.requirements().stream().mapToInt(Requirement::nodes).max().orElseThrow();
        assertThat(plan.nodes()).isEqualTo(max);
        assertThat(plan.requirement(plan.binding()).nodes()).isEqualTo(max);
    }

    private static PipelineShape withWal(PipelineShape p) {
        return new PipelineShape(true, 3, p.kafkaColocated(), p.kafkaReplication(), p.compressionRatio(), p.archive(),
                p.s3Backup(), p.hbaseBytesPerEvent(), p.hbaseWriteAmplification(), p.batchIntervalSeconds(), p.windowMinutes());
    }
}
