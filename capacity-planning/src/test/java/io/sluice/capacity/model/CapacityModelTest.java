package io.sluice.capacity.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
                s.archiveWriteAmplification(),
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
                p.archiveWriteAmplification(),
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
        // (WAL 600 + archive 150 x 2.1 written + HBase 700 x 2) MB/s x 3 = 6,945 MB/s over 70 MB/s
        assertThat(plan.requirement(Resource.DISK_WRITE).demand())
                .isEqualTo(6_945e6, org.assertj.core.data.Offset.offset(1.0));
        assertThat(plan.nodes()).isEqualTo(100);
        assertThat(plan.binding()).isEqualTo(Resource.DISK_WRITE);
        // HBase compactions 700 + the archive's compaction 150 x 1.1 MB/s
        assertThat(plan.requirement(Resource.DISK_READ).demand())
                .isEqualTo(865e6, org.assertj.core.data.Offset.offset(1.0));
        assertThat(plan.requirement(Resource.CPU).terms())
                .extracting(Term::name)
                .contains("receivers");
    }

    @ParameterizedTest(name = "w = {0}")
    @CsvSource({
        // w, archive disk write x3, compaction read, s3 backup, hdfs replicas x2 out (archive 2 x 150 x w + hbase
        // 2,800)
        "1,   450e6,   0,     150e6, 3100e6",
        "2.1, 945e6,   165e6, 315e6, 3430e6",
        "4,   1800e6,  450e6, 600e6, 4000e6",
    })
    void theArchiveWritesReadsAndBacksUpItsWrittenBytesButStoresWhatItKeeps(
            double w, double diskWrite, double compaction, double s3, double replicas) {
        // the archive keeps 600 MB/s x 0.25 = 150 MB/s and writes 150 x w: the small files, then the compacted ones
        PipelineShape p = PipelineShape.realistic().withArchiveWriteAmplification(w);
        Plan plan = CapacityModel.plan(new PlanInput(REFERENCE, NODE, p, Calibration.DEFAULT, 0.3, false));
        assertThat(plan.requirement(Resource.DISK_WRITE).termsByName())
                .containsEntry("archive x3", diskWrite)
                .containsEntry("hbase x3 x2", 4_200e6);
        assertThat(plan.requirement(Resource.DISK_READ).termsByName().getOrDefault("archive compaction", 0.0))
                .isEqualTo(compaction, offset(1.0));
        assertThat(plan.role(Role.SPARK_EXECUTORS)
                        .requirements()
                        .get(Resource.DISK_READ.ordinal())
                        .demand())
                .isEqualTo(compaction, offset(1.0));
        assertThat(plan.requirement(Resource.NETWORK_OUT).termsByName())
                .containsEntry("s3 backup", s3)
                .containsEntry("hdfs replicas x2", replicas);
        assertThat(plan.requirement(Resource.NETWORK_IN).termsByName()).containsEntry("hdfs replicas x2", replicas);
        assertThat(plan.storage().archiveBytesPerDay()).isEqualTo(600e6 * 0.25 * 3 * 86_400);
    }

    @Test
    void aTenGigabitNicDoesNotHelpWhenDiskBinds() {
        NodeType tenGig = new NodeType(4, 10, 100, 16);
        Plan simple = CapacityModel.plan(PlanInput.simple(REFERENCE, tenGig));
        assertThat(simple.nodes()).isEqualTo(6);
        assertThat(simple.requirement(Resource.NETWORK_IN).nodes()).isEqualTo(1);
        Plan realistic = CapacityModel.plan(
                new PlanInput(REFERENCE, tenGig, realisticWithWal(), Calibration.DEFAULT, 0.3, false));
        assertThat(realistic.nodes()).isEqualTo(100);
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
        assertThatThrownBy(() -> PipelineShape.realistic().withArchiveWriteAmplification(0.9))
                .hasMessage("--archive-write-amplification must be a number >= 1, got '0.9'");
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

    private static Properties calibrationFile(String... keysAndValues) {
        Properties p = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return p;
    }

    private static Plan realisticPlan(Calibration calibration) {
        PipelineShape pipeline = calibration.applyTo(PipelineShape.realistic(), REFERENCE.eventBytes());
        return CapacityModel.plan(new PlanInput(REFERENCE, NODE, pipeline, calibration, 0.3, false));
    }

    @Test
    void aCalibrationWithEveryKeySizesEachRole() {
        Calibration c = Calibration.from(
                calibrationFile(
                        Calibration.KEY, "16000",
                        Calibration.HBASE_CPU_KEY, "100",
                        Calibration.KAFKA_CPU_KEY, "5",
                        Calibration.ARCHIVE_BYTES_KEY, "120",
                        Calibration.EVENT_STORE_BYTES_KEY, "500"),
                "all.properties");
        Plan plan = realisticPlan(c);
        // the measured bytes replace the assumptions: c = 120 / 600 = 0.2, H = 500 (not 700)
        assertThat(plan.input().pipeline().compressionRatio()).isEqualTo(0.2);
        assertThat(plan.input().pipeline().hbaseBytesPerEvent()).isEqualTo(500);
        // per node after 30 % headroom: NIC 87.5 MB/s, disk 70 MB/s, 3 x 0.7 = 2.1 cores
        // executors: cpu 1,000,000 / 16,000 = 62.5 cores / 2.1 = 29.8 -> 30 (the archive writes 120 x 2.1 = 252 MB/s:
        // network in 600 + 2 x 252 = 1,104 MB/s, 13; network out puts 500 + replicas 504 + S3 252 = 1,256 MB/s, 15;
        // disk write 3 x 252 = 756 MB/s, 11)
        RoleRequirement executors = plan.role(Role.SPARK_EXECUTORS);
        assertThat(executors.nodes()).isEqualTo(30);
        assertThat(executors.binding().resource()).isEqualTo(Resource.CPU);
        assertThat(executors.binding().demand()).isEqualTo(62.5, offset(1e-9));
        // region servers: cpu 1,000,000 x 100 us = 100 cores / 2.1 = 47.6 -> 48 (disk write 500 x 2 x 3 = 3,000 MB/s,
        // 42.9 -> 43; network in puts 500 + replicas 2 x 1,000 = 2,500 MB/s, 28.6 -> 29)
        RoleRequirement regionServers = plan.role(Role.REGION_SERVERS);
        assertThat(regionServers.nodes()).isEqualTo(48);
        assertThat(regionServers.binding().resource()).isEqualTo(Resource.CPU);
        assertThat(regionServers.requirements())
                .extracting(Requirement::resource, Requirement::nodes)
                .containsExactly(
                        tuple(Resource.NETWORK_IN, 29),
                        tuple(Resource.NETWORK_OUT, 23),
                        tuple(Resource.DISK_WRITE, 43),
                        tuple(Resource.DISK_READ, 8),
                        tuple(Resource.CPU, 48),
                        tuple(Resource.MEMORY, 0));
        // kafka brokers on their own nodes: disk write 600 MB/s x 3 = 1,800 MB/s / 70 = 25.7 -> 26 (network 1,800 MB/s
        // each way, 21; cpu 1,000,000 x 5 us x 3 replicas = 15 cores, 8)
        RoleRequirement brokers = plan.role(Role.KAFKA_BROKERS);
        assertThat(brokers.colocated()).isFalse();
        assertThat(brokers.nodes()).isEqualTo(26);
        assertThat(brokers.binding().resource()).isEqualTo(Resource.DISK_WRITE);
        assertThat(brokers.requirements().get(Resource.CPU.ordinal()).demand()).isEqualTo(15, offset(1e-9));
        assertThat(brokers.requirements().get(Resource.CPU.ordinal()).nodes()).isEqualTo(8);
        // the shared nodes: cpu 62.5 + 100 = 162.5 cores / 2.1 = 77.4 -> 78, more than disk write (756 + 3,000 MB/s
        // / 70 = 54); region servers make most of that cpu, and the brokers are not in the total
        assertThat(plan.nodes()).isEqualTo(78);
        assertThat(plan.binding()).isEqualTo(Resource.CPU);
        assertThat(plan.bindingRole()).isEqualTo(Role.REGION_SERVERS);
        assertThat(plan.requirement(Resource.DISK_WRITE).nodes()).isEqualTo(54);
        assertThat(plan.requirement(Resource.NETWORK_IN).nodes()).isEqualTo(42); // 600 + 500 + 504 + 2,000 MB/s
    }

    @Test
    void colocatedBrokersCountInTheTotal() {
        Calibration c = Calibration.from(
                calibrationFile(Calibration.KEY, "16000", Calibration.KAFKA_CPU_KEY, "5"), "k.properties");
        PipelineShape p = PipelineShape.realistic();
        PipelineShape colocated = new PipelineShape(
                p.wal(),
                p.hdfsReplication(),
                true,
                p.kafkaReplication(),
                p.compressionRatio(),
                p.archiveWriteAmplification(),
                p.archive(),
                p.s3Backup(),
                p.hbaseBytesPerEvent(),
                p.hbaseWriteAmplification(),
                p.batchIntervalSeconds(),
                p.windowMinutes());
        Plan plan = CapacityModel.plan(new PlanInput(REFERENCE, NODE, colocated, c, 0.3, false));
        assertThat(plan.role(Role.KAFKA_BROKERS).colocated()).isTrue();
        // cpu: 62.5 cores of Spark + 15 of brokers; disk write: 945 + 4,200 + kafka 1,800 = 6,945 MB/s / 70 -> 100
        assertThat(plan.requirement(Resource.CPU).demand()).isEqualTo(77.5, offset(1e-9));
        assertThat(plan.nodes()).isEqualTo(100);
        assertThat(plan.bindingRole()).isEqualTo(Role.REGION_SERVERS);
    }

    @Test
    void aFileWithOnlyTheOldKeyGivesTheOldAnswer() {
        Calibration old = Calibration.from(calibrationFile(Calibration.KEY, "1000"), "old.properties");
        assertThat(old.applyTo(PipelineShape.realistic(), 600)).isEqualTo(PipelineShape.realistic());
        Plan plan = realisticPlan(old);
        // as before these keys: 1,000 cores of Spark over 2.1 per node, nothing for HBase's or Kafka's CPU
        assertThat(plan.nodes()).isEqualTo(477);
        assertThat(plan.binding()).isEqualTo(Resource.CPU);
        assertThat(plan.requirement(Resource.CPU).demand()).isEqualTo(1_000, offset(1e-9));
        assertThat(plan.requirement(Resource.CPU).terms())
                .extracting(Term::name)
                .containsExactly("parse + jobs at 1000/s per core (measured, old.properties)");
        assertThat(plan.requirement(Resource.DISK_WRITE).demand()).isEqualTo(5_145e6, offset(1.0));
        // and the reference plan with the default calibration is 74 nodes, bound by disk write
        Plan reference = realisticPlan(Calibration.DEFAULT);
        assertThat(reference.nodes()).isEqualTo(74);
        assertThat(reference.binding()).isEqualTo(Resource.DISK_WRITE);
        assertThat(reference.requirement(Resource.CPU).nodes()).isEqualTo(20);
        assertThat(reference.bindingRole()).isEqualTo(Role.REGION_SERVERS);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "sluice.calibration.events-per-second-per-core, fast",
        "sluice.calibration.events-per-second-per-core, -3",
        "sluice.calibration.hbase-cpu-us-per-event, fast",
        "sluice.calibration.hbase-cpu-us-per-event, 0",
        "sluice.calibration.kafka-cpu-us-per-event, -1",
        "sluice.calibration.kafka-cpu-us-per-event, 5us",
        "sluice.calibration.archive-bytes-per-event, ''",
        "sluice.calibration.archive-bytes-per-event, Infinity",
        "sluice.calibration.archive-written-bytes-per-event, 0",
        "sluice.calibration.event-store-bytes-per-event, NaN",
        "sluice.calibration.event-store-bytes-per-event, 7e2 B",
    })
    void aMalformedKeyIsNamedInTheError(String key, String value) {
        Properties p = calibrationFile(Calibration.KEY, "1000", key, value);
        assertThatThrownBy(() -> Calibration.from(p, "bad.properties"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--calibration " + key + " must be a positive number, got '" + value + "'");
    }

    @Test
    void archiveBytesBeyondTheEventSizeAreAnError() {
        Calibration c = Calibration.from(
                calibrationFile(Calibration.KEY, "1000", Calibration.ARCHIVE_BYTES_KEY, "700"), "x.properties");
        assertThatThrownBy(() -> c.applyTo(PipelineShape.realistic(), 600))
                .hasMessage("--calibration " + Calibration.ARCHIVE_BYTES_KEY
                        + " must be from 1 % to 100 % of --event-bytes (600), got '700'");
    }

    @Test
    void theArchivesWrittenBytesGiveTheWriteAmplification() {
        Calibration both = Calibration.from(
                calibrationFile(
                        Calibration.KEY, "1000",
                        Calibration.ARCHIVE_BYTES_KEY, "120",
                        Calibration.ARCHIVE_WRITTEN_BYTES_KEY, "360"),
                "both.properties");
        assertThat(both.archiveWrittenBytesPerEvent()).hasValue(360);
        // w = 360 / 120 = 3 over the measured stored bytes, c = 120 / 600 = 0.2
        PipelineShape measured = both.applyTo(PipelineShape.realistic(), 600);
        assertThat(measured)
                .isEqualTo(PipelineShape.realistic().withCompressionRatio(0.2).withArchiveWriteAmplification(3));
        // disk write: 600 MB/s x 0.2 x 3 written x 3 replicas; the compaction reads 120 x 2 MB/s
        Plan plan = realisticPlan(both);
        assertThat(plan.requirement(Resource.DISK_WRITE).termsByName().get("archive x3"))
                .isEqualTo(1_080e6, offset(1.0));
        assertThat(plan.requirement(Resource.DISK_READ).termsByName().get("archive compaction"))
                .isEqualTo(240e6, offset(1.0));
        // without the stored bytes, w is over the pipeline's c x event bytes: 300 / (0.25 x 600) = 2
        Calibration writtenOnly = Calibration.from(
                calibrationFile(Calibration.KEY, "1000", Calibration.ARCHIVE_WRITTEN_BYTES_KEY, "300"), "w.properties");
        assertThat(writtenOnly.applyTo(PipelineShape.realistic(), 600))
                .isEqualTo(PipelineShape.realistic().withArchiveWriteAmplification(2));
    }

    @Test
    void archiveWrittenBytesBelowTheStoredBytesAreAnError() {
        Calibration both = Calibration.from(
                calibrationFile(
                        Calibration.KEY, "1000",
                        Calibration.ARCHIVE_BYTES_KEY, "150",
                        Calibration.ARCHIVE_WRITTEN_BYTES_KEY, "100"),
                "x.properties");
        assertThatThrownBy(() -> both.applyTo(PipelineShape.realistic(), 600))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--calibration " + Calibration.ARCHIVE_WRITTEN_BYTES_KEY + " must be at least "
                        + Calibration.ARCHIVE_BYTES_KEY + " (150), got '100'");
        Calibration writtenOnly = Calibration.from(
                calibrationFile(Calibration.KEY, "1000", Calibration.ARCHIVE_WRITTEN_BYTES_KEY, "100"), "x.properties");
        assertThatThrownBy(() -> writtenOnly.applyTo(PipelineShape.realistic(), 600))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--calibration " + Calibration.ARCHIVE_WRITTEN_BYTES_KEY + " must be at least "
                        + Calibration.ARCHIVE_BYTES_KEY
                        + " (absent: --compression-ratio 0.25 x --event-bytes 600 = 150), got '100'");
    }

    @Test
    void aFileWithoutTheWrittenBytesKeepsTheAssumedWriteAmplification() {
        Calibration old = Calibration.from(
                calibrationFile(Calibration.KEY, "16000", Calibration.ARCHIVE_BYTES_KEY, "120"), "old.properties");
        assertThat(old.archiveWrittenBytesPerEvent()).isEmpty();
        assertThat(old.applyTo(PipelineShape.realistic(), 600))
                .isEqualTo(PipelineShape.realistic().withCompressionRatio(0.2));
        // with w = 1 the file gives the plan it gave before the archive's write amplification existed
        PipelineShape writtenOnce = old.applyTo(PipelineShape.realistic().withArchiveWriteAmplification(1), 600);
        Plan plan = CapacityModel.plan(new PlanInput(REFERENCE, NODE, writtenOnce, old, 0.3, false));
        // disk write: archive 600 MB/s x 0.2 x 3 = 360 + HBase 700 x 2 x 3 = 4,200 MB/s; / 70 = 65.1 -> 66
        assertThat(plan.requirement(Resource.DISK_WRITE).demand()).isEqualTo(4_560e6, offset(1.0));
        assertThat(plan.requirement(Resource.DISK_READ).demand()).isEqualTo(700e6, offset(1.0)); // HBase's alone
        assertThat(plan.requirement(Resource.NETWORK_OUT).termsByName()).containsEntry("s3 backup", 120e6);
        assertThat(plan.nodes()).isEqualTo(66);
        assertThat(plan.binding()).isEqualTo(Resource.DISK_WRITE);
    }

    @Test
    void measuredEventStoreBytesDoNotTurnOnAnAbsentEventStore() {
        Calibration c = Calibration.from(
                calibrationFile(Calibration.KEY, "1000", Calibration.EVENT_STORE_BYTES_KEY, "500"), "x.properties");
        assertThat(c.applyTo(PipelineShape.simple(), 600).hbaseBytesPerEvent()).isZero();
    }
}
