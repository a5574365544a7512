package io.sluice.testkit.verify;

import io.sluice.checkpoint.CommittedOffsets;
import io.sluice.checkpoint.ZooKeeperClients;
import io.sluice.checkpoint.ZooKeeperOffsetStore;
import io.sluice.checkpoint.ZooKeeperPaths;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.jobs.pipeline.ExecutorHadoop;
import io.sluice.jobs.sink.archive.ArchiveLayout;
import io.sluice.jobs.sink.archive.ArchiveRecovery;
import io.sluice.jobs.sink.archive.ArchiveReplicator;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Every archive root as a reader sees it once every batch committed in ZooKeeper is visible: before reading, the stage
 * of the last committed batch is rolled forward in the primary root, and each replica gets the published files it
 * lacks, exactly as a driver's start would ({@link ArchiveRecovery#rollForward}:
 * idempotent, deletes nothing, safe next to a running leader). A driver killed between a batch's ZooKeeper commit and
 * the publication of its stage leaves that batch committed but unpublished; counting it as lost would be wrong.
 *
 * @param archives one per archive root, in the order of {@code sluice.job.archive.roots}
 * @param committedStage the stage the committed offsets name ("" for none)
 * @param filesRolledForward the files of that stage this read published, and the files it copied to replicas (0 when
 *     the driver had done both)
 */
public record CommittedArchives(List<ArchiveContents> archives, String committedStage, int filesRolledForward) {

    /** Reads the committed offsets from ZooKeeper, rolls their stage forward in every root, then reads every root. */
    public static CommittedArchives read(SluiceSettings settings) throws IOException {
        return read(settings, committedOffsets(settings));
    }

    /** As {@link #read(SluiceSettings)}, with the committed offsets already read. */
    public static CommittedArchives read(SluiceSettings settings, CommittedOffsets committed) throws IOException {
        Configuration hadoop = ExecutorHadoop.configuration(settings.pipeline().hadoopProperties());
        List<ArchiveContents> archives = new ArrayList<>();
        int rolledForward = 0;
        List<String> roots = settings.pipeline().archiveRoots();
        FileSystem primaryFs = FileSystem.get(URI.create(roots.get(0)), hadoop);
        ArchiveLayout primary = new ArchiveLayout(roots.get(0));
        rolledForward += new ArchiveRecovery(primaryFs, primary).rollForward(committed);
        archives.add(ArchiveContents.read(primaryFs, roots.get(0)));
        for (String root : roots.subList(1, roots.size())) {
            // a replica copies what the primary published: what a driver's start would still copy, copied now
            FileSystem fs = FileSystem.get(URI.create(root), hadoop);
            rolledForward += new ArchiveReplicator(primaryFs, primary, fs, new ArchiveLayout(root)).reconcile();
            archives.add(ArchiveContents.read(fs, root));
        }
        return new CommittedArchives(List.copyOf(archives), committed.stage(), rolledForward);
    }

    /** The offsets committed in ZooKeeper for {@code settings}' application, read from outside any driver. */
    public static CommittedOffsets committedOffsets(SluiceSettings settings) throws IOException {
        try (CuratorFramework zk = ZooKeeperClients.client(settings.zookeeperConnect())) {
            zk.start();
            if (!zk.blockUntilConnected(30, TimeUnit.SECONDS)) {
                throw new IOException("cannot connect to ZooKeeper at " + settings.zookeeperConnect());
            }
            return new ZooKeeperOffsetStore(zk, ZooKeeperPaths.forApplication(settings.appName())).load();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the committed offsets", e);
        }
    }
}
