package io.sluice.capacity.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class CapacityModelTest {
    static final Workload REFERENCE = new Workload(1_000_000, 600, 1);
    static final NodeType NODE = new NodeType(4, 1, 100, 16);

    private static PipelineShape simpleWith(boolean wal, int hdfsReplication) {
        PipelineShape s = PipelineShape.simple();
        return new PipelineShape(
                wal,
                hdfsReplication,
                s.kafkaColocated(),
                s.kafkaReplication(),
                s.compressionRatio(),
                s.archive(),
                s.s3Backup(),
                s.hbaseBytesPerEvent(),
                s.hbaseWriteAmplification(),
                s.batchIntervalSeconds(),
                s.windowMinutes());
    }

    private static PipelineShape realisticWithWal() {
        PipelineShape p = PipelineShape.realistic();
        return new PipelineShape(
                true,
                p.hdfsReplication(),
                p.kafkaColocated(),
                p.kafkaReplication(),
                p.compressionRatio(),
                p.archive(),
                p.s3Backup(),
                p.hbaseBytesPerEvent(),
                p.hbaseWriteAmplification(),
                p.batchIntervalSeconds(),
                p.windowMinutes());
    }

    @Test
    void theReferenceCaseNeedsSixNodesBoundByDisk() {
        Plan plan = CapacityModel.plan(PlanInput.simple(REFERENCE, NODE));
        assertThat(plan.nodes()).isEqualTo(6);
        assertThat(plan.binding()).isEqualTo(Resource.DISK_WRITE);
        assertThat(plan.requirement(Resource.DISK_WRITE).demand()).isEqualTo(600e6);
        assertThat(plan.requirement(Resource.NETWORK_IN).nodes()).isEqualTo(5); // 600 MB/s over 125 MB/s = 4.8
        assertThat(plan.requirement(Resource.NETWORK_OUT).nodes()).isZero();
        assertThat(plan.requirement(Resource.DISK_READ).nodes()).isZero();
        assertThat(plan.requirements())
                .extracting(Requirement::resource)
                .containsExactly(Resource.NETWORK_IN, Resource.NETWORK_OUT, Resource.DISK_WRITE, Resource.DISK_READ);
    }

    @Test
    void theWalAndHdfsReplicationThreeNeedMoreNodesAndDiskBinds() {
        Plan plan = CapacityModel.plan(PlanInput.simple(REFERENCE, NODE).withPipeline(simpleWith(true, 3)));
        // (600 MB/s WAL + 600 MB/s archive) x 3 replicas = 3,600 MB/s over 100 MB/s
        assertThat(plan.nodes()).isEqualTo(36);
        assertThat(plan.binding()).isEqualTo(Resource.DISK_WRITE);
        // network in: 600 MB/s from the senders + 2 x 1,200 MB/s of replicas = 3,000 MB/s over 125 MB/s
        assertThat(plan.requirement(Resource.NETWORK_IN).nodes()).isEqualTo(24);
    }

    @Test
    void theRealisticPipelineWithTheWalBindsOnDisk() {
        PlanInput input = new PlanInput(REFERENCE, NODE, realisticWithWal(), Calibration.DEFAULT, 0.3, false);
        Plan plan = CapacityModel.plan(input);
        // (WAL 600 + archive 150 + HBase 700 x 2) MB/s x 3 = 6,450 MB/s over 70 MB/s
        assertThat(plan.requirement(Resource.DISK_WRITE).demand())
                .isEqualTo(6_450e6, org.assertj.core.data.Offset.offset(1.0));
        assertThat(plan.nodes()).isEqualTo(93);
        assertThat(plan.binding()).isEqualTo(Resource.DISK_WRITE);
        assertThat(plan.requirement(Resource.DISK_READ).demand())
                .isEqualTo(700e6, org.assertj.core.data.Offset.offset(1.0));
        assertThat(plan.requirement(Resource.CPU).terms())
                .extracting(Term::name)
                .contains("receivers");
    }

    @Test
    void aTenGigabitNicDoesNotHelpWhenDiskBinds() {
        NodeType tenGig = new NodeType(4, 10, 100, 16);
        Plan simple = CapacityModel.plan(PlanInput.simple(REFERENCE, tenGig));
        assertThat(simple.nodes()).isEqualTo(6);
        assertThat(simple.requirement(Resource.NETWORK_IN).nodes()).isEqualTo(1);
        Plan realistic = CapacityModel.plan(
                new PlanInput(REFERENCE, tenGig, realisticWithWal(), Calibration.DEFAULT, 0.3, false));
        assertThat(realistic.nodes()).isEqualTo(93);
        assertThat(realistic.requirement(Resource.NETWORK_IN).nodes()).isLessThan(10);
    }

    @Test
    void theBindingResourceOnATieIsTheOneClosestToItsLimit() {
        // 1,000 MB/s: network in 1000/125 = 8 nodes exactly, disk 1000/125 = 8 nodes exactly; then 1 more byte on disk
        NodeType node = new NodeType(4, 1, 125, 16);
        Plan plan = CapacityModel.plan(PlanInput.simple(new Workload(1_000_000, 1_000, 1), node));
        assertThat(plan.requirement(Resource.NETWORK_IN).nodes())
                .isEqualTo(plan.requirement(Resource.DISK_WRITE).nodes());
        assertThat(plan.binding()).isIn(Resource.NETWORK_IN, Resource.DISK_WRITE);
    }

    @Test
    void settingsFollowThePlan() {
        Plan plan = CapacityModel.plan(
                new PlanInput(REFERENCE, NODE, PipelineShape.realistic(), Calibration.DEFAULT, 0.3, false));
        SparkSettings s = plan.settings();
        assertThat(s.executors()).isEqualTo(plan.nodes());
        assertThat(s.coresMax()).isEqualTo(plan.nodes() * 3);
        assertThat(s.kafkaPartitions() % s.coresMax()).isZero();
        assertThat(s.maxRatePerPartition() * s.kafkaPartitions()).isGreaterThanOrEqualTo(1_000_000);
        assertThat(s.receivers() * s.receiverMaxRate()).isGreaterThanOrEqualTo(1_000_000);
        assertThat(s.batchIntervalOk()).isTrue();
        assertThat(s.properties())
                .containsEntry("spark.streaming.backpressure.enabled", "true")
                .containsEntry("spark.cores.max", Integer.toString(s.coresMax()))
                .containsEntry("spark.executor.memory", "10g")
                .doesNotContainKey("spark.streaming.receiver.writeAheadLog.enable");
    }

    @Test
    void theSimpleCaseFailsTheBatchCheckOnItsSixNodes() {
        SparkSettings s = CapacityModel.plan(PlanInput.simple(REFERENCE, NODE)).settings();
        // 18 executor cores x 25,000 events/s = 450,000 events/s < 1,000,000: a 5 s batch takes 0.5 + 11.1 s
        assertThat(s.coresMax()).isEqualTo(18);
        assertThat(s.estimatedBatchSeconds()).isCloseTo(11.61, org.assertj.core.data.Offset.offset(0.01));
        assertThat(s.batchIntervalOk()).isFalse();
    }

    @Test
    void storageFollowsRetentionAndReplication() {
        Workload day = new Workload(1_000_000, 600, 1, 24);
        Plan plan = CapacityModel.plan(
                new PlanInput(day, NODE, PipelineShape.realistic(), Calibration.DEFAULT, 0.3, false));
        assertThat(plan.storage().kafkaRetainedBytes()).isEqualTo(600e6 * 86_400 * 3);
        assertThat(plan.storage().archiveBytesPerDay()).isEqualTo(600e6 * 0.25 * 3 * 86_400);
    }

    @Test
    void aPeakFactorSizesForThePeak() {
        Plan plan = CapacityModel.plan(PlanInput.simple(new Workload(500_000, 600, 2), NODE));
        assertThat(plan.nodes()).isEqualTo(6);
    }

    @Test
    void badInputsNameTheFlagAndWhatIsExpected() {
        assertThatThrownBy(() -> new Workload(-1, 600, 1))
                .hasMessage("--events-per-second must be a positive number, got '-1'");
        assertThatThrownBy(() -> new NodeType(0, 1, 100, 16))
                .hasMessage("--node-cores must be a positive integer, got '0'");
        assertThatThrownBy(() -> new Workload(1, 600, 0.5))
                .hasMessage("--peak-factor must be a number >= 1, got '0.5'");
        assertThatThrownBy(() -> new Workload(Double.NaN, 600, 1)).hasMessageStartingWith("--events-per-second");
        assertThatThrownBy(() -> new NodeType(4, Double.POSITIVE_INFINITY, 100, 16))
                .hasMessageStartingWith("--nic-gbps");
        assertThatThrownBy(() -> new PlanInput(REFERENCE, NODE, PipelineShape.simple(), Calibration.DEFAULT, 1.5, true))
                .hasMessage("--headroom must be a number from 0 to 0.9, got '1.5'");
        assertThatThrownBy(() -> simpleWith(false, 0))
                .hasMessage("--hdfs-replication must be an integer >= 1, got '0'");
    }

    @Test
    void aCalibrationFileGivesTheRatePerCore() {
        Properties p = new Properties();
        p.setProperty(Calibration.KEY, " 40000 ");
        assertThat(Calibration.from(p, "bench.properties").eventsPerSecondPerCore())
                .isEqualTo(40_000);
        assertThatThrownBy(() -> Calibration.from(new Properties(), "x.properties"))
                .hasMessage("--calibration file x.properties must set " + Calibration.KEY);
        p.setProperty(Calibration.KEY, "fast");
        assertThatThrownBy(() -> Calibration.from(p, "x")).hasMessageContaining("got 'fast'");
        p.setProperty(Calibration.KEY, "-3");
        assertThatThrownBy(() -> Calibration.from(p, "x")).hasMessageContaining("got '-3'");
    }
}
