package io.sluice.capacity.model;

import java.util.List;

/** A sized cluster: every resource's requirement, the one that binds, the node count, and the settings to use. */
public record Plan(PlanInput input, List<Requirement> requirements, Resource binding, int nodes,
        SparkSettings settings) {
    public Requirement requirement(Resource resource) {
        return requirements.stream().filter(r -> r.resource() == resource).findFirst().orElseThrow();
    }
}
