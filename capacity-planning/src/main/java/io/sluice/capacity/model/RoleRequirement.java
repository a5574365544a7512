package io.sluice.capacity.model;

import java.util.List;

/**
 * What one role needs on its own: its share of every resource, each against what one node of the planned type
 * offers after headroom, so {@link #nodes()} is the nodes this role alone would fill.
 *
 * @param role the role
 * @param colocated the role runs on the planned nodes and its demand is part of the plan's total; {@code false}
 *     for Kafka brokers on nodes of their own, which the total does not count
 * @param requirements one per resource the plan sizes, in {@link Resource} order, holding only this role's terms
 */
public record RoleRequirement(Role role, boolean colocated, List<Requirement> requirements) {
    public RoleRequirement {
        requirements = List.copyOf(requirements);
    }

    /** The requirement that needs the most nodes (on a tie, the one closest to its limit). */
    public Requirement binding() {
        return Requirement.binding(requirements);
    }

    /** The nodes this role alone needs: its binding requirement's (0 for a role the pipeline does not run). */
    public int nodes() {
        return binding().nodes();
    }
}
