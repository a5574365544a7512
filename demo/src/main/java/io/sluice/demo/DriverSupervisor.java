package io.sluice.demo;

import io.sluice.testkit.server.ChildProcess;
import io.sluice.testkit.server.RuntimeClasspath;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Marathon does for the driver, in the demo: keeps {@code count} driver processes running (each a child JVM
 * running {@code SluiceDriver --config FILE}, which elect a leader in ZooKeeper), relaunches one that exits after a
 * short backoff, and on request kills the current leader with {@code kill -9}. It follows leadership from the drivers'
 * logs ("runs the pipeline at epoch N", "committed at epoch N") and measures each takeover: from the kill to the
 * first commit of a newer epoch.
 */
final class DriverSupervisor implements DemoDrivers {
    private static final Pattern LEADS = Pattern.compile("runs the pipeline at epoch (\\d+)");
    private static final Pattern COMMITS = Pattern.compile("committed at epoch (\\d+)");
    private static final long BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Path config;
    private final Path logDir;
    private final Slot[] slots;
    private final TreeSet<Long> epochs = new TreeSet<>();
    private final List<Long> takeoverMillis = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "driver-supervisor");
        t.setDaemon(true);
        return t;
    });
    private long killedAtNanos = -1;
    private long killedEpoch;
    private int kills;
    private boolean closed;

    /** One supervised instance: its current process and what its log said so far. */
    private static final class Slot {
        final int index;
        ChildProcess process;
        int launches;
        long diedAtNanos = -1;
        long logOffset;
        long leadsAt = -1; // epoch this process leads at, -1: standby
        long committedAt = -1; // newest epoch it committed under

        Slot(int index) {
            this.index = index;
        }

        String name() {
            return "driver-" + index;
        }
    }

    DriverSupervisor(Path config, Path logDir, int count) {
        this.config = config;
        this.logDir = logDir;
        this.slots = new Slot[count];
        for (int i = 0; i < count; i++) {
            slots[i] = new Slot(i + 1);
        }
    }

    /** Launches every instance and starts watching them. */
    @Override
    public synchronized void start() throws IOException {
        for (Slot slot : slots) {
            launch(slot);
        }
        timer.scheduleWithFixedDelay(this::supervise, 200, 200, TimeUnit.MILLISECONDS);
    }

    /** The leader as of the drivers' logs: alive and leading at the newest epoch. */
    @Override
    public synchronized Optional<String> leader() {
        Slot leader = currentLeader();
        return leader == null ? Optional.empty() : Optional.of(leader.name() + " at epoch " + leader.leadsAt);
    }

    /**
     * Kills the leader with {@code kill -9} if it has committed a batch since it took the lead and no takeover is
     * pending; returns whether it did.
     */
    @Override
    public synchronized boolean killLeader() throws InterruptedException {
        Slot leader = currentLeader();
        if (leader == null || leader.committedAt != leader.leadsAt || killedAtNanos >= 0) {
            return false;
        }
        killedAtNanos = System.nanoTime();
        killedEpoch = leader.leadsAt;
        leader.process.kill();
        kills++;
        System.out.printf("demo: kill -9 of the leader %s (epoch %d)%n", leader.name(), leader.leadsAt);
        return true;
    }

    /** Leadership changes seen: epochs taken after the first. */
    @Override
    public synchronized int failovers() {
        return Math.max(0, epochs.size() - 1);
    }

    @Override
    public synchronized int kills() {
        return kills;
    }

    @Override
    public synchronized List<Long> takeoverMillis() {
        return List.copyOf(takeoverMillis);
    }

    private Slot currentLeader() {
        Slot best = null;
        for (Slot slot : slots) {
            if (slot.process != null && slot.process.isAlive() && slot.leadsAt >= 0) {
                if (best == null || slot.leadsAt > best.leadsAt) {
                    best = slot;
                }
            }
        }
        return best;
    }

    private synchronized void supervise() {
        if (closed) {
            return;
        }
        try {
            long now = System.nanoTime();
            for (Slot slot : slots) {
                readLog(slot);
                if (slot.process.isAlive()) {
                    continue;
                }
                if (slot.diedAtNanos < 0) {
                    slot.diedAtNanos = now;
                    readLog(slot);
                    System.out.printf(
                            "demo: %s exited with %d; relaunching it as Marathon would%n",
                            slot.name(), slot.process.awaitExit(Duration.ZERO).orElse(-1));
                } else if (now - slot.diedAtNanos >= BACKOFF_NANOS) {
                    launch(slot);
                }
            }
            if (killedAtNanos >= 0) {
                for (Slot slot : slots) {
                    if (slot.committedAt > killedEpoch && slot.process.isAlive()) {
                        long millis = TimeUnit.NANOSECONDS.toMillis(now - killedAtNanos);
                        takeoverMillis.add(millis);
                        System.out.printf(
                                "demo: %s took over at epoch %d and committed %,d ms after the kill%n",
                                slot.name(), slot.committedAt, millis);
                        killedAtNanos = -1;
                        break;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("demo: driver supervisor: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void launch(Slot slot) throws IOException {
        slot.launches++;
        Path log = logDir.resolve(slot.name() + "-" + slot.launches + ".log");
        // the driver's log configuration logs every committed batch, which is how leadership is followed here
        List<String> jvm = List.of(
                "-Xmx1g",
                "-Dsluice.home=" + RuntimeClasspath.home(),
                "-Dlog4j2.configurationFile=" + RuntimeClasspath.home().resolve("conf/log4j2-driver.properties"));
        slot.process = ChildProcess.start(
                slot.name(),
                RuntimeClasspath.exitWithParent() + java.io.File.pathSeparator + System.getProperty("java.class.path"),
                jvm,
                RuntimeClasspath.EXIT_WITH_PARENT,
                List.of("io.sluice.driver.SluiceDriver", "--config", config.toString()),
                log);
        slot.diedAtNanos = -1;
        slot.logOffset = 0;
        slot.leadsAt = -1;
        slot.committedAt = -1;
    }

    /** Reads what the slot's log gained since the last look. */
    private void readLog(Slot slot) throws IOException {
        Path log = slot.process.log();
        if (!Files.exists(log)) {
            return;
        }
        String added;
        try (RandomAccessFile in = new RandomAccessFile(log.toFile(), "r")) {
            long length = in.length();
            if (length <= slot.logOffset) {
                return;
            }
            in.seek(slot.logOffset);
            byte[] bytes = new byte[(int) Math.min(length - slot.logOffset, 16 * 1024 * 1024)];
            in.readFully(bytes);
            int lastLine = lastNewline(bytes);
            if (lastLine < 0) {
                return;
            }
            slot.logOffset += lastLine + 1;
            added = new String(bytes, 0, lastLine + 1, StandardCharsets.UTF_8);
        }
        Matcher leads = LEADS.matcher(added);
        while (leads.find()) {
            slot.leadsAt = Long.parseLong(leads.group(1));
            epochs.add(slot.leadsAt);
        }
        Matcher commits = COMMITS.matcher(added);
        while (commits.find()) {
            slot.committedAt = Math.max(slot.committedAt, Long.parseLong(commits.group(1)));
        }
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Stops relaunching and kills every driver ({@code kill -9}: safe at any moment by the commit protocol, and quick;
     * a graceful stop in local mode waits for Hadoop's 30-s shutdown hook).
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        timer.shutdownNow();
        for (Slot slot : slots) {
            if (slot.process != null) {
                try {
                    slot.process.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
