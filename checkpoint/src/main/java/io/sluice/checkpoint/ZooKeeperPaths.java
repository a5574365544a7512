package io.sluice.checkpoint;

/** The ZooKeeper nodes of one Sluice application, all under {@code /sluice/<application>}. */
public record ZooKeeperPaths(String root) {
    public ZooKeeperPaths {
        if (!root.startsWith("/") || root.endsWith("/")) {
            throw new IllegalArgumentException("a ZooKeeper path starts with / and does not end with /: " + root);
        }
    }

    public static ZooKeeperPaths forApplication(String application) {
        return new ZooKeeperPaths("/sluice/" + application);
    }

    public String epoch() {
        return root + "/epoch";
    }

    public String offsets() {
        return root + "/offsets";
    }

    public String leader() {
        return root + "/leader";
    }

    public String receivers() {
        return root + "/receivers";
    }
}
