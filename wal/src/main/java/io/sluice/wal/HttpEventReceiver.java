package io.sluice.wal;

import io.sluice.checkpoint.EpochCounter;
import io.sluice.checkpoint.ReceivedBlock;
import io.sluice.checkpoint.ZooKeeperClients;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.spark.SparkEnv;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.receiver.Receiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reliable receiver: an {@link IngestEndpoint} on the executor whose store is Spark's blocking multi-record {@code
 * store}, so a request is acknowledged only after its block is in the block manager and, with {@code
 * spark.streaming.receiver.writeAheadLog.enable=true}, in the receiver write-ahead log under the checkpoint directory
 * ({@code receivedData/}), and reported to the driver ({@code receivedBlockMetadata/}). One request is one block, its
 * first record the time the receiver stored it ({@link ReceivedBlock}): the events' arrival. While it serves, its
 * {@code host:port} is an ephemeral node in ZooKeeper ({@link ReceiverRegistry}); {@code onStop} (also on {@code
 * restart}, which {@code POST /restart} asks for) closes the server and removes the node, and Spark starts it again
 * after {@code spark.streaming.receiverRestartDelay}, on a port of the range.
 */
public final class HttpEventReceiver extends Receiver<byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEventReceiver.class);
    private final ReceiverSettings settings;
    private transient IngestEndpoint endpoint;
    private transient CuratorFramework zk;
    /** The epoch of the driver this receiver answers for; null when not checked. */
    private transient Long startEpoch;
    /** The epoch of the driver this receiver reports to, set by that driver before it starts the streams. */
    private volatile long driverEpoch = -1;

    public HttpEventReceiver(ReceiverSettings settings) {
        super(StorageLevel.MEMORY_AND_DISK_SER());
        this.settings = settings;
    }

    /**
     * Tells the receiver the epoch of its driver, before the streaming context starts (Spark sends the receiver to an
     * executor with it, again on every relaunch): once a newer epoch exists, the receiver answers 503.
     */
    public void reportTo(long epoch) {
        driverEpoch = epoch;
    }

    @Override
    public void onStart() {
        try {
            String host = settings.host() != null
                    ? settings.host()
                    : SparkEnv.get().blockManager().blockManagerId().host();
            endpoint = IngestEndpoint.start(settings.withHost(host), this::storeBlock, () -> !isStopped());
            endpoint.onRestart(() -> restart("restart requested over HTTP"));
            if (settings.zookeeper() != null) {
                // a short session: the node of a receiver whose executor died goes away within seconds
                zk = ZooKeeperClients.client(settings.zookeeper(), 10_000, settings.zookeeperAuth());
                zk.start();
                if (settings.epochPath() != null) {
                    // its driver's epoch, never the newest one read now: a receiver restarted after its driver was
                    // deposed would take the newer leader's epoch for its own
                    startEpoch = driverEpoch >= 0 ? driverEpoch : epoch();
                }
                ReceiverRegistry.register(zk, settings.registryPath(), endpoint.address());
            }
            LOG.info(
                    "receiver {} serves {}://{}{}",
                    streamId(),
                    settings.scheme(),
                    endpoint.address(),
                    IngestEndpoint.PATH);
        } catch (Exception e) {
            closeQuietly();
            restart("receiver " + streamId() + " could not start", e);
        }
    }

    private void storeBlock(List<byte[]> lines) throws Exception {
        if (!lines.isEmpty()) {
            // the block's first record is its arrival stamp (ReceivedBlock); store blocks until the block is stored
            // (and in the WAL) and reported
            store(ReceivedBlock.stamped(System.currentTimeMillis(), lines.iterator()));
        }
        // A newer epoch means the driver this receiver reports to is deposed (frozen, cut off) and may never process
        // the block: answer 503, so the sender sends it again to a live receiver (a copy the new leader also finds in
        // the WAL is dropped by its event_id). An error reading the epoch answers 503 as well.
        if (startEpoch != null) {
            long now = epoch();
            if (now != startEpoch.longValue()) {
                throw new IllegalStateException("the driver of receiver " + streamId() + " was deposed: epoch "
                        + startEpoch + ", now " + now + "; send again to a live receiver");
            }
        }
    }

    private long epoch() throws Exception {
        return EpochCounter.decode(zk.getData().forPath(settings.epochPath()));
    }

    @Override
    public void onStop() {
        closeQuietly();
        LOG.info("receiver {} stopped", streamId());
    }

    /**
     * Deregisters (senders stop choosing this receiver), then closes the endpoint, which lets the requests in flight
     * finish, and only then the ZooKeeper client: a request whose block was stored must still read the epoch, or it
     * would answer 503 for stored events and its sender would send them again.
     */
    private void closeQuietly() {
        if (zk != null && endpoint != null) {
            try {
                ReceiverRegistry.deregister(zk, settings.registryPath(), endpoint.address());
            } catch (Exception e) {
                LOG.warn("could not deregister {}", endpoint.address(), e);
            }
        }
        if (endpoint != null) {
            endpoint.close();
            endpoint = null;
        }
        if (zk != null) {
            zk.close();
            zk = null;
        }
    }
}
