package io.sluice.capacity.model;

/**
 * One named part of a resource's demand, in the resource's unit, e.g. {@code wal x3 = 1.8e9} bytes/s of disk writes,
 * and the role whose process causes it. Two terms may share a name (the HDFS replicas of the executors' files and of
 * HBase's); reports show them summed, see {@link Requirement#termsByName()}.
 */
public record Term(String name, double amount, Role role) {}
