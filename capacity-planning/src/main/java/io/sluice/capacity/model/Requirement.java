package io.sluice.capacity.model;

/**
 * What one resource needs: the cluster-wide demand, what one node offers after headroom, the nodes that takes, and
 * the terms the demand is made of (for the explanation).
 */
public record Requirement(Resource resource, double demand, double perNode, int nodes, String breakdown) {}
