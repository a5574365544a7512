package io.sluice.it.support;

import io.sluice.testkit.Eventually;
import io.sluice.testkit.server.ChildProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a driver's status endpoints, on the port its log names ("status endpoints on port N"). */
public final class StatusClient {
    private static final Pattern PORT = Pattern.compile("status endpoints on port (\\d+)");
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    private StatusClient(int port) {
        this.port = port;
    }

    /** Waits until the driver logged its port. */
    public static StatusClient of(ChildProcess driver) {
        int[] port = {-1};
        Eventually.eventually(
                Duration.ofMinutes(3),
                () -> {
                    Matcher m = PORT.matcher(Files.readString(driver.log()));
                    if (m.find()) {
                        port[0] = Integer.parseInt(m.group(1));
                    }
                    return port[0] > 0;
                },
                "the driver's status port in " + driver.log());
        return new StatusClient(port[0]);
    }

    public record Response(int code, String body) {}

    public Response get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    /** Whether {@code /metrics} shows the job gauge {@code sluice_job_<gauge>{sluice_job="<job>"}} above zero. */
    public boolean jobGaugePositive(String gauge, String job) throws IOException, InterruptedException {
        return Pattern.compile("sluice_job_" + gauge + "\\{sluice_job=\"" + job + "\",?\\} [1-9]")
                .matcher(get("/metrics").body())
                .find();
    }
}
