package io.sluice.checkpoint;

import java.util.List;
import org.apache.curator.framework.AuthInfo;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.SessionConnectionStateErrorPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * The one place Sluice's ZooKeeper clients are built, with one retry policy: bounded exponential backoff from 200 ms,
 * 10 retries. Clients are returned unstarted. A client given a {@link ZooKeeperAuth} other than {@code NONE}
 * authenticates and creates every node with {@link ZooKeeperAcls}'s ACLs (only its identity writes); without one it
 * creates open nodes, and can only read those of an application that authenticates.
 */
public final class ZooKeeperClients {
    private static final int CONNECTION_TIMEOUT_MS = 15_000;

    private ZooKeeperClients() {}

    /** A client without authentication and ZooKeeper's default session timeout: readers (verifiers, senders). */
    public static CuratorFramework client(String connect) {
        return client(connect, ZooKeeperAuth.NONE);
    }

    /** A client with ZooKeeper's default session timeout: tools that may write (offsets --move). */
    public static CuratorFramework client(String connect, ZooKeeperAuth auth) {
        return builder(connect, auth).build();
    }

    /** A client whose session lasts {@code sessionTimeoutMs} without contact (a driver's, a receiver's). */
    public static CuratorFramework client(String connect, int sessionTimeoutMs, ZooKeeperAuth auth) {
        return builder(connect, auth).sessionTimeoutMs(sessionTimeoutMs).build();
    }

    /**
     * A leader's client: as {@link #client(String, int)}, except that a short SUSPENDED connection does not end a
     * leadership by itself (its holder applies a grace period); only a lost session does.
     */
    public static CuratorFramework leaderClient(String connect, int sessionTimeoutMs, ZooKeeperAuth auth) {
        return builder(connect, auth)
                .sessionTimeoutMs(sessionTimeoutMs)
                .connectionStateErrorPolicy(new SessionConnectionStateErrorPolicy())
                .build();
    }

    private static CuratorFrameworkFactory.Builder builder(String connect, ZooKeeperAuth auth) {
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(connect)
                .connectionTimeoutMs(CONNECTION_TIMEOUT_MS)
                .retryPolicy(new ExponentialBackoffRetry(200, 10));
        if (auth.scheme() == ZooKeeperAuth.Scheme.DIGEST) {
            builder.authorization(List.of(new AuthInfo("digest", auth.authBytes())));
        }
        if (auth.enabled()) { // SASL authenticates through the JVM's JAAS configuration (its Client section)
            builder.aclProvider(ZooKeeperAcls.provider());
        }
        return builder;
    }
}
