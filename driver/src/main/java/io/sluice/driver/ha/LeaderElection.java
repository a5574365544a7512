package io.sluice.driver.ha;

import io.sluice.checkpoint.ZooKeeperPaths;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One driver instance's part in the election of the application's leader (Curator {@link LeaderLatch} on
 * {@code /sluice/<app>/leader}). Once leading, leadership ends for good ({@link Listener#lost}) when the latch says so,
 * when the ZooKeeper session is LOST, or when the connection stays SUSPENDED longer than the grace period: past it,
 * the session may have expired on the servers and a standby may lead. Needs a client built with Curator's
 * {@code SessionConnectionStateErrorPolicy}, so that a short SUSPENDED does not end leadership by itself.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    /** Called once, from a Curator or timer thread, when this instance stops leading. */
    public interface Listener {
        void lost(String reason);
    }

    private final CuratorFramework zk;
    private final LeaderLatch latch;
    private final String id;
    private final long graceMs;
    private final Listener listener;
    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicLong takeovers = new AtomicLong();
    private final AtomicBoolean lostOnce = new AtomicBoolean();
    private final AtomicReference<ScheduledFuture<?>> suspended = new AtomicReference<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "leader-suspended-grace");
        t.setDaemon(true);
        return t;
    });

    public LeaderElection(CuratorFramework zk, ZooKeeperPaths paths, String id, long graceMs, Listener listener) {
        this.zk = zk;
        this.latch = new LeaderLatch(zk, paths.leader(), id);
        this.id = id;
        this.graceMs = graceMs;
        this.listener = listener;
    }

    /** Joins the election; returns at once. */
    public void start() throws Exception {
        zk.getConnectionStateListenable().addListener((client, state) -> stateChanged(state));
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                tookOver();
            }

            @Override
            public void notLeader() {
                lose("the leader latch lost leadership");
            }
        });
        latch.start();
        LOG.info("driver {} contends for leadership", id);
    }

    /** Blocks until this instance leads. */
    public void awaitLeadership() throws Exception {
        latch.await();
        tookOver();
        LOG.info("driver {} leads", id);
    }

    /**
     * Counts the step from standby to leader once, whichever of the latch's listener and {@link #awaitLeadership}
     * sees it first.
     */
    private void tookOver() {
        if (leading.compareAndSet(false, true)) {
            takeovers.incrementAndGet();
        }
    }

    /** How many times this instance became the leader ({@code sluice_leader_takeovers_total}). */
    public long takeovers() {
        return takeovers.get();
    }

    public boolean isLeader() {
        return leading.get() && !lostOnce.get() && latch.hasLeadership();
    }

    /** This instance's participant id. */
    public String id() {
        return id;
    }

    /** The current leader's participant id, empty when there is none or ZooKeeper cannot say. */
    public String leaderId() {
        try {
            var leader = latch.getLeader();
            return leader.isLeader() ? leader.getId() : "";
        } catch (Exception e) {
            return "";
        }
    }

    public boolean connected() {
        return zk.getZookeeperClient().isConnected();
    }

    private void stateChanged(ConnectionState state) {
        LOG.info("ZooKeeper connection of driver {}: {}", id, state);
        switch (state) {
            case SUSPENDED -> {
                if (leading.get()) {
                    suspended.set(timer.schedule(
                            () -> lose("the ZooKeeper connection stayed SUSPENDED for more than " + graceMs + " ms"),
                            graceMs,
                            TimeUnit.MILLISECONDS));
                }
            }
            case RECONNECTED -> {
                ScheduledFuture<?> pending = suspended.getAndSet(null);
                if (pending != null) {
                    pending.cancel(false);
                }
            }
            case LOST -> lose("the ZooKeeper session was LOST");
            default -> {
                // CONNECTED, READ_ONLY: nothing to do
            }
        }
    }

    private void lose(String reason) {
        if (leading.get() && lostOnce.compareAndSet(false, true)) {
            LOG.error("driver {} stops leading: {}", id, reason);
            listener.lost(reason);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            latch.close();
        } catch (Exception e) {
            LOG.warn("leaving the election failed: {}", e.toString());
        }
    }
}
