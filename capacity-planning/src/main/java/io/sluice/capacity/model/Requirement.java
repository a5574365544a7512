package io.sluice.capacity.model;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** The same resource and per-node offer with only one role's terms. */
    Requirement of(Role role) {
        return of(
                resource, perNode, terms.stream().filter(t -> t.role() == role).toList());
    }

    /** The requirement that needs the most nodes (on a tie, the one closest to its limit): the one that binds. */
    static Requirement binding(List<Requirement> requirements) {
        return requirements.stream()
                .max(Comparator.comparingInt(Requirement::nodes).thenComparingDouble(Requirement::load))
                .orElseThrow();
    }

    /** Demand over what one node offers: the unrounded node count, to rank resources that tie on nodes. */
    public double load() {
        return demand / perNode;
    }

    /** One role's part of the demand. */
    public double demandOf(Role role) {
        return terms.stream()
                .filter(t -> t.role() == role)
                .mapToDouble(Term::amount)
                .sum();
    }

    /** The terms summed by name, in the order each name first appears (what the reports print). */
    public Map<String, Double> termsByName() {
        Map<String, Double> byName = new LinkedHashMap<>();
        for (Term t : terms) {
            byName.merge(t.name(), t.amount(), Double::sum);
        }
        return byName;
    }
}
