package io.sluice.capacity.model;

/**
 * Storage the plan implies (informational: it sizes disks, not nodes).
 *
 * @param kafkaRetainedBytes the topic's bytes on the brokers over the retention, all replicas
 * @param archiveBytesPerDay HDFS archive growth per day, all replicas: what it keeps (the compacted files, at the
 *     compression ratio), not what it writes on the way
 * @param retentionHours the retention used
 */
public record Storage(double kafkaRetainedBytes, double archiveBytesPerDay, double retentionHours) {
    static Storage of(PlanInput in) {
        Workload w = in.workload();
        PipelineShape p = in.pipeline();
        double kafka = w.averageBytesPerSecond() * w.retentionHours() * 3600 * p.kafkaReplication();
        double archive =
                p.archive() ? w.averageBytesPerSecond() * p.compressionRatio() * p.hdfsReplication() * 86_400 : 0;
        return new Storage(kafka, archive, w.retentionHours());
    }
}
