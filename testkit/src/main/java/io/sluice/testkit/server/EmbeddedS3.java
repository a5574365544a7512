package io.sluice.testkit.server;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import java.io.IOException;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * An S3-compatible server (s3proxy 4.1.0, filesystem-nio2 backend, STACK.md) as a child process on 127.0.0.1, its
 * objects under a directory. {@link #s3aProperties()} are the Hadoop S3A settings that reach it.
 */
public final class EmbeddedS3 extends ChildServer {
    public static final String ACCESS_KEY = "sluice";
    public static final String SECRET_KEY = "sluice-secret";
    private final Path dir;
    private final int port;

    private EmbeddedS3(Path dir) {
        this.dir = dir;
        this.port = Ports.in(dir).get("http");
    }

    public static EmbeddedS3 start(Path dir) throws IOException {
        EmbeddedS3 s3 = new EmbeddedS3(dir);
        s3.launch();
        return s3;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Creates a bucket; an existing one is fine. */
    public void createBucket(String bucket) {
        AmazonS3 client = AmazonS3ClientBuilder.standard()
                .withEndpointConfiguration(new AwsClientBuilder.EndpointConfiguration(endpoint(), "us-east-1"))
                .withPathStyleAccessEnabled(true)
                .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(ACCESS_KEY, SECRET_KEY)))
                .build();
        try {
            if (!client.doesBucketExistV2(bucket)) {
                client.createBucket(bucket);
            }
        } finally {
            client.shutdown();
        }
    }

    /** Hadoop S3A properties for this server (without the {@code spark.hadoop.} prefix). */
    public Map<String, String> s3aProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem");
        p.put("fs.s3a.endpoint", endpoint());
        p.put("fs.s3a.endpoint.region", "us-east-1");
        p.put("fs.s3a.path.style.access", "true");
        p.put("fs.s3a.connection.ssl.enabled", "false");
        p.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        p.put("fs.s3a.access.key", ACCESS_KEY);
        p.put("fs.s3a.secret.key", SECRET_KEY);
        p.put("fs.s3a.change.detection.mode", "none");
        p.put("fs.s3a.attempts.maximum", "3");
        p.put("fs.s3a.retry.limit", "3");
        return p;
    }

    @Override
    protected void launch() throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Properties p = new Properties();
        p.setProperty("s3proxy.endpoint", endpoint());
        p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        p.setProperty("s3proxy.identity", ACCESS_KEY);
        p.setProperty("s3proxy.credential", SECRET_KEY);
        p.setProperty("jclouds.provider", "filesystem-nio2");
        p.setProperty("jclouds.filesystem.basedir", dir.resolve("data").toString());
        Path config = dir.resolve("s3proxy.properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            p.store(out, "s3proxy on 127.0.0.1");
        }
        process = ChildProcess.start(
                "s3proxy",
                RuntimeClasspath.exitWithParent()
                        + java.io.File.pathSeparator
                        + RuntimeClasspath.file("s3", "s3proxy.jar"),
                List.of("-Xmx256m"),
                RuntimeClasspath.EXIT_WITH_PARENT,
                List.of("org.gaul.s3proxy.Main", "--properties", config.toString()),
                dir.resolve("s3proxy.log"));
        process.awaitReady(Duration.ofSeconds(60), this::answers);
    }

    private boolean answers() {
        try {
            HttpURLConnection c =
                    (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            int code = c.getResponseCode();
            c.disconnect();
            return code > 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "S3 at " + endpoint();
    }
}
