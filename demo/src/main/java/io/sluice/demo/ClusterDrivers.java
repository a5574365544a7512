package io.sluice.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.cluster.SparkMaster;
import io.sluice.testkit.cluster.SparkSubmission;
import io.sluice.testkit.cluster.SparkSubmission.DeployMode;
import io.sluice.testkit.server.ChildProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code demo --on-cluster}: the driver submitted with {@code spark-submit} to the cluster of {@code ./bin/sluice
 * cluster up}: in client mode it is a child process of the demo; in cluster mode a worker runs it under {@code
 * --supervise} (kill its worker and the master relaunches it: the demo counts that as a failover). Closing kills it.
 */
final class ClusterDrivers implements DemoDrivers {
    private final String masterUrl;
    private final List<String> masterUis;
    private final DeployMode mode;
    private final Path config;
    private final Path logDir;
    private final Set<String> driverIds = new LinkedHashSet<>();
    private ChildProcess submit;

    ClusterDrivers(String masterUrl, List<String> masterUis, DeployMode mode, Path config, Path logDir) {
        this.masterUrl = masterUrl;
        this.masterUis = List.copyOf(masterUis);
        this.mode = mode;
        this.config = config;
        this.logDir = logDir;
    }

    @Override
    public void start() throws IOException, InterruptedException {
        submit = SparkSubmission.start(
                masterUrl,
                mode,
                mode == DeployMode.CLUSTER,
                config,
                logDir.resolve("spark-submit.log"),
                mode == DeployMode.CLIENT ? List.of("-Xmx1g") : List.of("-Xmx256m"));
        if (mode == DeployMode.CLUSTER
                && submit.awaitExit(Duration.ofMinutes(2)).orElse(-1) != 0) {
            throw new IOException("spark-submit failed:\n" + submit.tail());
        }
    }

    @Override
    public synchronized Optional<String> leader() {
        if (mode == DeployMode.CLIENT) {
            return submit.isAlive() ? Optional.of("client-mode driver pid " + submit.pid()) : Optional.empty();
        }
        List<String> running = new ArrayList<>();
        activeMaster().ifPresent(state -> {
            for (JsonNode d : state.path("activedrivers")) {
                driverIds.add(d.path("id").asText());
                running.add(d.path("id").asText() + " " + d.path("state").asText());
            }
        });
        return running.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", running));
    }

    @Override
    public boolean killLeader() {
        return false; // kill a worker or the active master by hand: see the README
    }

    @Override
    public synchronized int failovers() {
        return Math.max(0, driverIds.size() - 1); // a relaunched driver gets a new id
    }

    @Override
    public int kills() {
        return 0;
    }

    @Override
    public List<Long> takeoverMillis() {
        return List.of();
    }

    private Optional<JsonNode> activeMaster() {
        return masterUis.stream()
                .map(SparkMaster::state)
                .flatMap(Optional::stream)
                .filter(s -> "ALIVE".equals(s.path("status").asText()))
                .findFirst();
    }

    @Override
    public void close() {
        if (submit == null) {
            return;
        }
        if (mode == DeployMode.CLIENT) {
            submit.close();
            return;
        }
        activeMaster().ifPresent(state -> {
            for (JsonNode d : state.path("activedrivers")) {
                String id = d.path("id").asText();
                try (ChildProcess kill = SparkSubmission.kill(masterUrl, id, logDir.resolve("kill-" + id + ".log"))) {
                    kill.awaitExit(Duration.ofMinutes(1));
                } catch (IOException e) {
                    System.err.println("demo: could not kill " + id + ": " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }
}
