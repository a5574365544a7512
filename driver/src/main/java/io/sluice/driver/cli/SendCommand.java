package io.sluice.driver.cli;

import io.sluice.checkpoint.ZooKeeperPaths;
import io.sluice.wal.EventSender;
import io.sluice.wal.NdjsonLines;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./bin/sluice send}: newline-delimited JSON events from a file or standard input to Sluice's HTTP receivers,
 * found in ZooKeeper under the application's node (or given), with {@link EventSender}'s guarantee: every line is
 * acknowledged by a receiver (after the receiver WAL holds it) before the command exits 0. Lines are read and sent as
 * bytes ({@link NdjsonLines}): one that is not UTF-8 becomes a dead letter downstream and does not stop the command.
 */
@Command(
        name = "send",
        mixinStandardHelpOptions = true,
        description = "Pushes NDJSON events to the HTTP receivers; retries and fails over until each is acknowledged.")
public final class SendCommand implements Callable<Integer> {
    @Option(names = "--zookeeper", description = "host:port[,...] where the receivers register.")
    String zookeeper;

    @Option(names = "--app", description = "The application (sluice.app.name) whose receivers to use.")
    String app;

    @Option(names = "--receivers", split = ",", description = "host:port[,...] instead of ZooKeeper discovery.")
    List<String> receivers;

    @Option(names = "--file", description = "NDJSON file to send. Default: standard input.")
    Path file;

    @Option(
            names = "--token-env",
            description = "Environment variable holding the receivers' bearer token. Default ${DEFAULT-VALUE}.")
    String tokenEnv = "SLUICE_HTTP_TOKEN";

    @Option(
            names = "--cacert",
            description = "PEM file of the certificate(s) that sign the receivers' (a CA, or their self-signed one)."
                    + " Default: the JVM's trusted authorities.")
    Path caCert;

    @Option(
            names = "--plain-http",
            description = "Send over plain HTTP, to receivers started with sluice.http-source.plain-http=true.")
    boolean plainHttp;

    @Option(names = "--batch-size", description = "Events per request. Default ${DEFAULT-VALUE}.")
    int batchSize = 500;

    @Option(names = "--gzip", description = "Compress request bodies.")
    boolean gzip;

    @Option(names = "--timeout-seconds", description = "Answer timeout per request. Default ${DEFAULT-VALUE}.")
    int timeoutSeconds = 30;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return Commands.execute(new SendCommand(), args);
    }

    @Override
    public Integer call() throws Exception {
        if ((receivers == null) == (zookeeper == null || app == null)) {
            System.err.println("send: give either --zookeeper and --app, or --receivers host:port[,...]");
            return 2;
        }
        if (batchSize < 1 || timeoutSeconds < 1) {
            System.err.println("send: --batch-size and --timeout-seconds must be at least 1");
            return 2;
        }
        if (file != null && !Files.isReadable(file)) {
            System.err.println("send: --file " + file + " is not a readable file");
            return 2;
        }
        if (plainHttp && caCert != null) {
            System.err.println("send: --cacert is for HTTPS; drop it or --plain-http");
            return 2;
        }
        if (caCert != null && !Files.isReadable(caCert)) {
            System.err.println("send: --cacert " + caCert + " is not a readable file");
            return 2;
        }
        EventSender.Options options = EventSender.Options.defaults();
        if (plainHttp) {
            options = options.withPlainHttp();
        } else if (caCert != null) {
            try {
                options = options.withTls(EventSender.trusting(caCert));
            } catch (java.io.IOException e) {
                System.err.println("send: --cacert: " + e.getMessage());
                return 2;
            }
        }
        options = options.withBatchSize(batchSize)
                .withGzip(gzip)
                .withRequestTimeout(Duration.ofSeconds(timeoutSeconds))
                .withToken(System.getenv(tokenEnv));
        // read as bytes, never decoded: a line that is not UTF-8 is sent as it is and dead-lettered downstream
        try (InputStream in = file != null ? Files.newInputStream(file) : System.in;
                EventSender sender = receivers != null
                        ? EventSender.to(receivers, options)
                        : EventSender.discovering(
                                zookeeper, ZooKeeperPaths.forApplication(app).receivers(), options)) {
            Iterator<byte[]> events = NdjsonLines.read(in);
            long sent = sender.send(events);
            System.out.printf("send: %,d events acknowledged (%,d attempts retried)%n", sent, sender.retries());
            return 0;
        } catch (EventSender.RejectedException e) {
            System.err.println("send: " + e.getMessage());
            return 1;
        } catch (UncheckedIOException e) {
            System.err.println("send: reading the events failed: " + e.getCause());
            return 1;
        }
    }
}
