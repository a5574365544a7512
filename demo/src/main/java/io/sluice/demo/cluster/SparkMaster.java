package io.sluice.demo.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.demo.server.ChildProcess;
import io.sluice.demo.server.ChildServer;
import io.sluice.demo.server.Ports;
import io.sluice.demo.server.RuntimeClasspath;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Spark standalone master ({@code org.apache.spark.deploy.master.Master}) as a child JVM on 127.0.0.1, recovering
 * through ZooKeeper ({@code spark.deploy.recoveryMode=ZOOKEEPER}): with two of them one is ALIVE and the other
 * STANDBY, and the standby takes over (workers, applications and supervised drivers) when the active one dies.
 */
public final class SparkMaster extends ChildServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path dir;
    private final SparkHome home;
    private final List<String> properties;
    private final int port;
    private final int webPort;

    SparkMaster(String name, Path dir, SparkHome home, List<String> properties) {
        this.name = name;
        this.dir = dir;
        this.home = home;
        this.properties = List.copyOf(properties);
        Ports ports = Ports.in(dir);
        this.port = ports.get("rpc");
        this.webPort = ports.get("web");
    }

    public String name() {
        return name;
    }

    /** {@code 127.0.0.1:port}, one element of the {@code spark://} URL. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public String webUrl() {
        return "http://127.0.0.1:" + webPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean processAlive() {
        return process != null && process.isAlive();
    }

    @Override
    protected void launch() throws IOException {
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", home.log4jOption()));
        jvm.addAll(properties);
        process = ChildProcess.start(
                "spark-" + name,
                RuntimeClasspath.exitWithParent() + File.pathSeparator + home.classpath(),
                jvm,
                RuntimeClasspath.EXIT_WITH_PARENT,
                List.of(
                        "org.apache.spark.deploy.master.Master",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        Integer.toString(port),
                        "--webui-port",
                        Integer.toString(webPort)),
                dir.resolve("master.log"),
                home.environment());
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

    @Override
    public String toString() {
        return name + " spark://" + address() + " (UI " + webUrl() + ", pid " + (process == null ? "-" : pid()) + ")";
    }
}
