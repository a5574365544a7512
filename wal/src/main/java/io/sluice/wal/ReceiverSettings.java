package io.sluice.wal;

import io.sluice.checkpoint.ZooKeeperAuth;
import java.io.Serializable;

/**
 * How one HTTP receiver listens, registers and bounds what it acknowledges. The limits are checked before the answer:
 * a request over any of them gets 413 and nothing of it is stored, so every block a receiver acknowledges can be
 * processed. One event's bytes are bounded by the body limit; an event longer than the parser accepts is stored and
 * dead-lettered ({@code too_large}) downstream, as from Kafka, rather than refused: a sender cannot split one event,
 * so refusing it would stop the sender and leave the events after it unsent.
 *
 * @param host the address it binds and registers (null: the executor's host as Spark knows it)
 * @param portFrom first port to try
 * @param portTo last port to try (several receivers on one host take the next free ones)
 * @param maxBodyBytes largest request body accepted, compressed and uncompressed alike; larger gets 413
 * @param maxLines most events (non-blank lines) one request may hold, at most {@link #MAX_LINES_LIMIT}; more gets 413
 * @param token the bearer token senders must present (null: none, only with {@code allowAnonymous}); {@code POST
 *     /restart} always needs it
 * @param allowAnonymous accept events without a token (when {@code token} is null); warned at every start
 * @param tls the key receivers serve HTTPS with (null: plain HTTP)
 * @param zookeeper the ensemble receivers register in (null: no registration)
 * @param zookeeperAuth how receivers authenticate to ZooKeeper (their registry nodes belong to the application)
 * @param registryPath the parent node of the receivers' ephemeral {@code host:port} nodes
 * @param epochPath the node holding the newest driver epoch (null: not checked); a receiver answers 503 once the
 *     epoch has moved past the one it started in, since its driver is deposed
 */
public record ReceiverSettings(
        String host,
        int portFrom,
        int portTo,
        long maxBodyBytes,
        int maxLines,
        String token,
        boolean allowAnonymous,
        ReceiverTls tls,
        String zookeeper,
        ZooKeeperAuth zookeeperAuth,
        String registryPath,
        String epochPath)
        implements Serializable {
    /**
     * The most records one block (one request) may hold: the pipeline numbers a block's records within a space of this
     * size per batch ({@code PushSource.RECORDS_PER_BLOCK}).
     */
    public static final int MAX_LINES_LIMIT = 1_000_000;

    public ReceiverSettings {
        if (portFrom < 0 || portTo < portFrom || portTo > 65535) {
            throw new IllegalArgumentException(
                    "port range " + portFrom + "-" + portTo + " is not FROM-TO within 0-65535");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, not " + maxBodyBytes);
        }
        if (maxLines < 1 || maxLines > MAX_LINES_LIMIT) {
            throw new IllegalArgumentException("maxLines must be within 1-" + MAX_LINES_LIMIT + ", not " + maxLines);
        }
        if (token == null && !allowAnonymous) {
            throw new IllegalArgumentException("a receiver needs a bearer token (sluice.http-source.token-env), or"
                    + " sluice.http-source.allow-anonymous=true to accept events from anyone");
        }
        if (zookeeperAuth == null) {
            zookeeperAuth = ZooKeeperAuth.NONE;
        }
    }

    /** The scheme senders use: {@code https} with TLS, {@code http} without. */
    public String scheme() {
        return tls != null ? "https" : "http";
    }

    /**
     * Settings for tests and tools: the given body limit, the default line limit, any port, plain HTTP, no registry,
     * and anonymous senders accepted (a token set with {@link #withToken} requires it).
     */
    public static ReceiverSettings local(String host, long maxBodyBytes) {
        return new ReceiverSettings(
                host, 0, 0, maxBodyBytes, 100_000, null, true, null, null, ZooKeeperAuth.NONE, null, null);
    }

    public ReceiverSettings withHost(String newHost) {
        return new ReceiverSettings(
                newHost,
                portFrom,
                portTo,
                maxBodyBytes,
                maxLines,
                token,
                allowAnonymous,
                tls,
                zookeeper,
                zookeeperAuth,
                registryPath,
                epochPath);
    }

    /** Requires {@code newToken} of every sender (anonymous ones are refused). */
    public ReceiverSettings withToken(String newToken) {
        return new ReceiverSettings(
                host,
                portFrom,
                portTo,
                maxBodyBytes,
                maxLines,
                newToken,
                false,
                tls,
                zookeeper,
                zookeeperAuth,
                registryPath,
                epochPath);
    }

    public ReceiverSettings withTls(ReceiverTls newTls) {
        return new ReceiverSettings(
                host,
                portFrom,
                portTo,
                maxBodyBytes,
                maxLines,
                token,
                allowAnonymous,
                newTls,
                zookeeper,
                zookeeperAuth,
                registryPath,
                epochPath);
    }

    public ReceiverSettings withMaxLines(int newMaxLines) {
        return new ReceiverSettings(
                host,
                portFrom,
                portTo,
                maxBodyBytes,
                newMaxLines,
                token,
                allowAnonymous,
                tls,
                zookeeper,
                zookeeperAuth,
                registryPath,
                epochPath);
    }

    /** Never prints the token, the keystore or the ZooKeeper credential. */
    @Override
    public String toString() {
        return "ReceiverSettings[host=" + host + ", ports=" + portFrom + "-" + portTo + ", maxBodyBytes=" + maxBodyBytes
                + ", maxLines=" + maxLines + ", token=" + (token != null ? "***" : "none") + ", " + scheme()
                + ", zookeeper=" + zookeeper + " (" + zookeeperAuth + "), registry=" + registryPath + "]";
    }
}
