package io.sluice.wal;

import java.io.Serializable;

/**
 * How one HTTP receiver listens and registers.
 *
 * @param host the address it binds and registers (null: the executor's host as Spark knows it)
 * @param portFrom first port to try
 * @param portTo last port to try (several receivers on one host take the next free ones)
 * @param maxBodyBytes largest request body accepted, compressed and uncompressed alike; larger gets 413
 * @param token the bearer token senders must present (null: none required)
 * @param zookeeper the ensemble receivers register in (null: no registration)
 * @param registryPath the parent node of the receivers' ephemeral {@code host:port} nodes
 */
public record ReceiverSettings(
        String host, int portFrom, int portTo, long maxBodyBytes, String token, String zookeeper, String registryPath)
        implements Serializable {
    public ReceiverSettings {
        if (portFrom < 0 || portTo < portFrom || portTo > 65535) {
            throw new IllegalArgumentException(
                    "port range " + portFrom + "-" + portTo + " is not FROM-TO within 0-65535");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, not " + maxBodyBytes);
        }
    }

    public ReceiverSettings withHost(String newHost) {
        return new ReceiverSettings(newHost, portFrom, portTo, maxBodyBytes, token, zookeeper, registryPath);
    }
}
