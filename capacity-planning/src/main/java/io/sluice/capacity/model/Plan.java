package io.sluice.capacity.model;

import java.util.List;

/**
 * A sized cluster: every resource's requirement, the one that binds (the largest requirement), the node count
 * (that requirement's), the settings to run with, and the storage retention takes.
 */
public record Plan(
        PlanInput input,
        List<Requirement> requirements,
        Resource binding,
        int nodes,
        SparkSettings settings,
        Storage storage) {
    public Plan {
        requirements = List.copyOf(requirements);
    }

    public Requirement requirement(Resource resource) {
        return requirements.stream()
                .filter(r -> r.resource() == resource)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(resource.label() + " is not sized in this plan"));
    }
}
