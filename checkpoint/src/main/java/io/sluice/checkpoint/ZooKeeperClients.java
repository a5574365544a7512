package io.sluice.checkpoint;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.SessionConnectionStateErrorPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * The one place Sluice's ZooKeeper clients are built, with one retry policy: bounded exponential backoff from 200 ms,
 * 10 retries. Clients are returned unstarted.
 */
public final class ZooKeeperClients {
    private static final int CONNECTION_TIMEOUT_MS = 15_000;

    private ZooKeeperClients() {}

    /** A client with ZooKeeper's default session timeout: tools, verifiers, senders. */
    public static CuratorFramework client(String connect) {
        return builder(connect).build();
    }

    /** A client whose session lasts {@code sessionTimeoutMs} without contact (a driver's, a receiver's). */
    public static CuratorFramework client(String connect, int sessionTimeoutMs) {
        return builder(connect).sessionTimeoutMs(sessionTimeoutMs).build();
    }

    /**
     * A leader's client: as {@link #client(String, int)}, except that a short SUSPENDED connection does not end a
     * leadership by itself (its holder applies a grace period); only a lost session does.
     */
    public static CuratorFramework leaderClient(String connect, int sessionTimeoutMs) {
        return builder(connect)
                .sessionTimeoutMs(sessionTimeoutMs)
                .connectionStateErrorPolicy(new SessionConnectionStateErrorPolicy())
                .build();
    }

    private static CuratorFrameworkFactory.Builder builder(String connect) {
        return CuratorFrameworkFactory.builder()
                .connectString(connect)
                .connectionTimeoutMs(CONNECTION_TIMEOUT_MS)
                .retryPolicy(new ExponentialBackoffRetry(200, 10));
    }
}
