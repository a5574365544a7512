package io.sluice.checkpoint;

import java.io.Serializable;

/**
 * A leader's fencing token: the epoch number it took and the ZooKeeper version of the epoch node right after it
 * took it. A commit is accepted only while the epoch node still has this version, so a deposed leader cannot commit.
 */
public record Epoch(long number, int nodeVersion) implements Serializable {
    @Override
    public String toString() {
        return "epoch " + number;
    }
}
