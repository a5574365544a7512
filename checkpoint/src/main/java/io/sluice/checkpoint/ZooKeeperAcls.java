package io.sluice.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Ids;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/**
 * The ACLs of an application's nodes when ZooKeeper authentication is on ({@link ZooKeeperAuth}): every node under
 * {@code /sluice/<app>} gives all permissions to its creator (the application's identity) and only READ to anyone
 * else, so lag tools and senders read the offsets and the receivers without credentials, and nobody else writes
 * them. The shared parent {@code /sluice} also lets anyone CREATE a child, so applications with different
 * credentials can live side by side; it cannot give anyone a way into an application's own subtree.
 *
 * <p>{@link #check} finds the nodes of an application's subtree whose ACLs let someone other than the application
 * write (nodes made before authentication was on, or by another identity), and sets them right when asked.
 */
public final class ZooKeeperAcls {
    /** The top node shared by every Sluice application. */
    public static final String SHARED_PARENT = "/sluice";

    // not List.of: ZooKeeper asks the list whether it contains null, which List.of answers with an exception
    private static final List<ACL> APPLICATION = Collections.unmodifiableList(
            Arrays.asList(new ACL(Perms.ALL, Ids.AUTH_IDS), new ACL(Perms.READ, Ids.ANYONE_ID_UNSAFE)));
    private static final List<ACL> PARENT = Collections.unmodifiableList(
            Arrays.asList(new ACL(Perms.ALL, Ids.AUTH_IDS), new ACL(Perms.READ | Perms.CREATE, Ids.ANYONE_ID_UNSAFE)));

    private ZooKeeperAcls() {}

    /** The provider of the ACLs above, for a client that authenticates (no ACLs without authentication). */
    static ACLProvider provider() {
        return new ACLProvider() {
            @Override
            public List<ACL> getDefaultAcl() {
                return APPLICATION;
            }

            @Override
            public List<ACL> getAclForPath(String path) {
                return path.equals(SHARED_PARENT) || path.equals("/") ? PARENT : APPLICATION;
            }
        };
    }

    /**
     * Every node of {@code root}'s subtree (the root included) whose ACL grants anything but READ to an identity other
     * than {@code auth}'s (empty when all are protected, also when root does not exist yet); with {@code fix}, each of
     * them is set to the application's ACL (which needs ADMIN permission on it, as an open node gives: a node another
     * identity protected stays as it is and throws {@code NoAuthException}).
     */
    public static List<String> check(CuratorFramework zk, String root, ZooKeeperAuth auth, boolean fix)
            throws Exception {
        if (!auth.enabled()) {
            throw new IllegalArgumentException("ACLs are only checked with ZooKeeper authentication");
        }
        List<String> open = new ArrayList<>();
        visit(zk, root, auth, fix, open);
        return open;
    }

    private static void visit(CuratorFramework zk, String path, ZooKeeperAuth auth, boolean fix, List<String> open)
            throws Exception {
        List<ACL> acl;
        List<String> children;
        try {
            acl = zk.getACL().forPath(path);
            children = zk.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return; // gone meanwhile (an ephemeral receiver), or not made yet
        }
        if (!protectedFor(acl, auth)) {
            open.add(path);
            if (fix) {
                zk.setACL().withACL(APPLICATION).forPath(path);
            }
        }
        for (String child : children) {
            visit(zk, path + "/" + child, auth, fix, open);
        }
    }

    /** Whether only {@code auth}'s identity may do more than read (with SASL: only SASL identities). */
    static boolean protectedFor(List<ACL> acl, ZooKeeperAuth auth) {
        for (ACL entry : acl) {
            if ((entry.getPerms() & ~Perms.READ) == 0) {
                continue;
            }
            if (!isOwn(entry.getId(), auth)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isOwn(Id id, ZooKeeperAuth auth) {
        return switch (auth.scheme()) {
            case DIGEST -> id.equals(auth.digestId());
            case SASL -> id.getScheme().equals("sasl");
            case NONE -> false;
        };
    }
}
