package io.sluice.capacity.model;

import java.util.List;

/**
 * What one resource needs: the cluster-wide demand (the sum of its terms), what one node offers after headroom, and
 * the nodes that takes: {@code ceil(demand / perNode)}, 0 when there is no demand.
 */
public record Requirement(Resource resource, double demand, double perNode, int nodes, List<Term> terms) {
    public Requirement {
        terms = List.copyOf(terms);
    }

    static Requirement of(Resource resource, double perNode, List<Term> terms) {
        double demand = terms.stream().mapToDouble(Term::amount).sum();
        // the epsilon keeps 600 MB/s over 100 MB/s at 6, not 7, through floating-point noise
        int nodes = demand <= 0 ? 0 : (int) Math.ceil(demand / perNode - 1e-9);
        return new Requirement(resource, demand, perNode, nodes, terms);
    }

    /** Demand over what one node offers: the unrounded node count, to rank resources that tie on nodes. */
    public double load() {
        return demand / perNode;
    }
}
