package io.sluice.capacity.model;

/**
 * Everything a plan is computed from.
 *
 * @param headroom share of every node resource kept free (0.3 = plan to use 70 %)
 * @param networkAndDiskOnly size for network and disk only (the simple arithmetic): no CPU, no memory
 */
public record PlanInput(
        Workload workload,
        NodeType node,
        PipelineShape pipeline,
        Calibration calibration,
        double headroom,
        boolean networkAndDiskOnly) {
    public PlanInput {
        Inputs.between("--headroom", headroom, 0, 0.9);
    }

    /** The reference case's simple arithmetic for a workload on a node type: one copy, no headroom. */
    public static PlanInput simple(Workload workload, NodeType node) {
        return new PlanInput(workload, node, PipelineShape.simple(), Calibration.DEFAULT, 0, true);
    }

    /** The same input at another average event rate (the chart's x axis). */
    public PlanInput withEventsPerSecond(double rate) {
        return new PlanInput(
                workload.withEventsPerSecond(rate), node, pipeline, calibration, headroom, networkAndDiskOnly);
    }

    public PlanInput withNode(NodeType other) {
        return new PlanInput(workload, other, pipeline, calibration, headroom, networkAndDiskOnly);
    }

    public PlanInput withPipeline(PipelineShape other) {
        return new PlanInput(workload, node, other, calibration, headroom, networkAndDiskOnly);
    }

    public PlanInput withWorkload(Workload other) {
        return new PlanInput(other, node, pipeline, calibration, headroom, networkAndDiskOnly);
    }
}
