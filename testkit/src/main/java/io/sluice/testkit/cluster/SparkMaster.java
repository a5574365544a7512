package io.sluice.testkit.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A Spark standalone master ({@code org.apache.spark.deploy.master.Master}) as a child JVM on 127.0.0.1, recovering
 * through ZooKeeper ({@code spark.deploy.recoveryMode=ZOOKEEPER}): with two of them one is ALIVE and the other
 * STANDBY, and the standby takes over (workers, applications and supervised drivers) when the active one dies.
 */
public final class SparkMaster extends SparkDaemon {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    SparkMaster(String name, Path dir, SparkHome home, List<String> properties) {
        super(name, dir, home, properties);
    }

    @Override
    protected void launch() throws IOException {
        start("org.apache.spark.deploy.master.Master", List.of(), dir.resolve("master.log"));
        process.awaitReady(Duration.ofSeconds(90), () -> status().isPresent());
    }

    /** Waits until the master reports {@code wanted} (e.g. {@code ALIVE}); fails if it dies first. */
    public void awaitStatus(String wanted, Duration deadline) throws IOException {
        process.awaitReady(deadline, () -> status().filter(wanted::equals).isPresent());
    }

    /** {@code ALIVE}, {@code STANDBY}, {@code RECOVERING}, ...: empty when the web UI does not answer. */
    public Optional<String> status() {
        return state().map(s -> s.path("status").asText());
    }

    /** The master's {@code /json/} document (workers, applications, drivers), empty when it does not answer. */
    public Optional<JsonNode> state() {
        return state(webUrl());
    }

    /** The {@code /json/} document of the master whose web UI is at {@code webUrl}, empty when it does not answer. */
    public static Optional<JsonNode> state(String webUrl) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(webUrl + "/json/"))
                            .timeout(Duration.ofSeconds(3))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
