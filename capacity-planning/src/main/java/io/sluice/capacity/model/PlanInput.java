package io.sluice.capacity.model;

/**
 * Everything a plan is computed from.
 *
 * @param headroom share of every node resource kept free (0.3 = plan to use 70 %)
 * @param networkAndDiskOnly size for network and disk only (the simple arithmetic)
 */
public record PlanInput(Workload workload, NodeType node, PipelineShape pipeline, Calibration calibration,
        double headroom, boolean networkAndDiskOnly) {
    public PlanInput {
        Inputs.between("--headroom", headroom, 0, 0.9);
    }
}
