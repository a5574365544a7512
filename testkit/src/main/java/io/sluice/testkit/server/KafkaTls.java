package io.sluice.testkit.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A broker's TLS material, made with the JDK's {@code keytool} (run as a process): a self-signed certificate for
 * 127.0.0.1 and localhost in a PKCS12 key store, and a PKCS12 trust store holding it for the clients. The passwords
 * are random and reach {@code keytool} through its environment, never its command line.
 *
 * @param keystore the broker's key store; its key has the same password
 * @param truststore the clients' trust store
 */
public record KafkaTls(Path keystore, String keystorePassword, Path truststore, String truststorePassword) {

    /** Generates fresh material in {@code dir} (replacing what is there). */
    public static KafkaTls generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        KafkaTls tls = new KafkaTls(
                dir.resolve("broker.p12"),
                "ks-" + UUID.randomUUID(),
                dir.resolve("truststore.p12"),
                "ts-" + UUID.randomUUID());
        Path cert = dir.resolve("broker.crt");
        for (Path f : List.of(tls.keystore, tls.truststore, cert)) {
            Files.deleteIfExists(f);
        }
        Map<String, String> env = Map.of("KS_PASS", tls.keystorePassword, "TS_PASS", tls.truststorePassword);
        Path log = dir.resolve("keytool.log");
        keytool(
                env,
                log,
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "7",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore",
                tls.keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass:env",
                "KS_PASS",
                "-keypass:env",
                "KS_PASS");
        keytool(
                env,
                log,
                "-exportcert",
                "-rfc",
                "-alias",
                "broker",
                "-keystore",
                tls.keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass:env",
                "KS_PASS",
                "-file",
                cert.toString());
        keytool(
                env,
                log,
                "-importcert",
                "-noprompt",
                "-alias",
                "broker",
                "-file",
                cert.toString(),
                "-keystore",
                tls.truststore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass:env",
                "TS_PASS");
        return tls;
    }

    private static void keytool(Map<String, String> env, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process p = builder.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("keytool " + args[0] + " failed, see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Never prints a password. */
    @Override
    public String toString() {
        return "KafkaTls[" + keystore + ", " + truststore + "]";
    }
}
