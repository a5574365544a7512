package io.sluice.capacity.model;

import java.util.List;

/**
 * A sized cluster: every resource's requirement on the planned nodes, the one that binds (the largest requirement),
 * the node count (that requirement's), what each role needs on its own, the role with the largest part of the
 * binding resource, the settings to run with, and the storage retention takes.
 *
 * @param requirements the planned nodes' requirements: the Spark executors' and region servers' demand, and the
 *     Kafka brokers' when they are colocated
 * @param roles one per {@link Role}, in declaration order; Kafka brokers on nodes of their own are sized here and
 *     not counted in {@code nodes}
 * @param bindingRole among the roles on the planned nodes, the one whose demand makes most of {@code binding}
 */
public record Plan(
        PlanInput input,
        List<Requirement> requirements,
        Resource binding,
        int nodes,
        List<RoleRequirement> roles,
        Role bindingRole,
        SparkSettings settings,
        Storage storage) {
    public Plan {
        requirements = List.copyOf(requirements);
        roles = List.copyOf(roles);
    }

    public Requirement requirement(Resource resource) {
        return requirements.stream()
                .filter(r -> r.resource() == resource)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(resource.label() + " is not sized in this plan"));
    }

    public RoleRequirement role(Role role) {
        return roles.stream().filter(r -> r.role() == role).findFirst().orElseThrow();
    }
}
