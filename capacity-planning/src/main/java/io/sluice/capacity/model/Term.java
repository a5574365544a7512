package io.sluice.capacity.model;

/**
 * One named part of a resource's demand, in the resource's unit, e.g. {@code wal x3 = 1.8e9} bytes/s of disk writes.
 */
public record Term(String name, double amount) {}
