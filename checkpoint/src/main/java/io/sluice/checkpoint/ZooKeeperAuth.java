package io.sluice.checkpoint;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * How a Sluice client authenticates to ZooKeeper, and so who owns the nodes it creates ({@link ZooKeeperAcls}).
 * {@code NONE}: no authentication, nodes open to anyone (the behaviour before ACLs). {@code DIGEST}: ZooKeeper's digest
 * scheme with {@code user:password}, which only this value holds (never printed). {@code SASL}: the session
 * authenticates itself through JAAS (a {@code Client} section, e.g. Kerberos), the nodes belong to its principal.
 *
 * @param scheme the scheme
 * @param credential {@code user:password} for {@code DIGEST}, null otherwise
 */
public record ZooKeeperAuth(Scheme scheme, String credential) implements Serializable {
    public enum Scheme {
        NONE,
        DIGEST,
        SASL
    }

    public static final ZooKeeperAuth NONE = new ZooKeeperAuth(Scheme.NONE, null);

    public ZooKeeperAuth {
        if (scheme == Scheme.DIGEST) {
            int colon = credential == null ? -1 : credential.indexOf(':');
            if (colon <= 0 || colon == credential.length() - 1) {
                throw new IllegalArgumentException("a digest credential is user:password");
            }
        } else if (credential != null) {
            throw new IllegalArgumentException(scheme + " takes no credential");
        }
    }

    public static ZooKeeperAuth digest(String userColonPassword) {
        return new ZooKeeperAuth(Scheme.DIGEST, userColonPassword);
    }

    public static ZooKeeperAuth sasl() {
        return new ZooKeeperAuth(Scheme.SASL, null);
    }

    public boolean enabled() {
        return scheme != Scheme.NONE;
    }

    /** The credential as ZooKeeper's {@code addAuthInfo} takes it (digest only). */
    byte[] authBytes() {
        return credential.getBytes(StandardCharsets.UTF_8);
    }

    /** The identity ZooKeeper gives a digest session: {@code digest:user:base64(sha1(user:password))}. */
    Id digestId() {
        try {
            return new Id("digest", DigestAuthenticationProvider.generateDigest(credential));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA1 is not available", e);
        }
    }

    /** Never prints the credential. */
    @Override
    public String toString() {
        return scheme == Scheme.DIGEST
                ? "digest:" + credential.substring(0, credential.indexOf(':')) + ":***"
                : scheme.name().toLowerCase(java.util.Locale.ROOT);
    }
}
