package io.sluice.driver.cli;

import io.sluice.api.config.ConfigException;
import io.sluice.driver.config.SluiceConfig;
import io.sluice.driver.config.SluiceSettings;
import io.sluice.driver.results.serve.ResultsService;
import io.sluice.jobs.results.stats.StatsSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice results serve}: the results API and page ({@link io.sluice.driver.results.serve.ResultsServer}) on the
 * results table of the pipeline the properties file describes, read-only, until stopped (Ctrl-C, SIGTERM).
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Serves the results API (JSON, behind the receivers' bearer token), a page of the top"
                + " experiments and of each experiment's statistics, and /metrics with the SRM flags.")
public final class ResultsServeCommand implements Callable<Integer> {
    /** The token's variable when the properties name none ({@code sluice send}'s default too). */
    static final String DEFAULT_TOKEN_ENV = "SLUICE_HTTP_TOKEN";

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--host", description = "Address to bind. Default ${DEFAULT-VALUE}.")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "Port (0: any free port). Default ${DEFAULT-VALUE}.")
    int port = 9700;

    @Option(
            names = "--token-env",
            paramLabel = "NAME",
            description = "Environment variable holding the bearer token. Default: the one"
                    + " sluice.http-source.token-env names, else " + DEFAULT_TOKEN_ENV + ".")
    String tokenEnv;

    @Option(
            names = "--split",
            paramLabel = "ACCOUNT/EXPERIMENT=VARIATION:WEIGHT,...",
            description = "An experiment's planned split, e.g. acct-0/exp-1=var-0:50,var-1:50 (repeatable)."
                    + " Default: equal over the variations seen.")
    List<String> splits = new ArrayList<>();

    @Option(
            names = "--srm-threshold",
            paramLabel = "P",
            description = "Flag a sample ratio mismatch below this p-value. Default ${DEFAULT-VALUE}.")
    double srmThreshold = StatsSettings.DEFAULT_SRM_THRESHOLD;

    @Override
    public Integer call() throws Exception {
        SluiceSettings settings;
        StatsSettings stats;
        String token;
        try {
            settings = options.load();
            stats = StatsSettings.parse("--split", splits, "--srm-threshold", srmThreshold);
            if (port < 0 || port > 65535) {
                throw new ConfigException("--port: expected 0 to 65535, got " + port);
            }
            token = token(settings);
        } catch (ConfigException e) {
            System.err.println("sluice results serve: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        ResultsService service = ResultsService.start(settings, stats, host, port, token);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                service.close();
                            } catch (Exception e) {
                                System.err.println("sluice results serve: closing: " + e);
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "results-serve-stop"));
        System.out.println("sluice results serve: http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + service.port() + "/#token=<token>  (API: /api/experiments, /api/experiments/ACCOUNT/EXPERIMENT,"
                + " /api/top, /api/watermark with 'Authorization: Bearer <token>'; /metrics). Ctrl-C stops.");
        stopped.await();
        return 0;
    }

    /** The receivers' token: the settings' when they run receivers, else from the variable named. */
    private String token(SluiceSettings settings) {
        if (tokenEnv == null
                && settings.httpSource() != null
                && settings.httpSource().receiver().token() != null) {
            return settings.httpSource().receiver().token();
        }
        String configured = settings.config().getString(SluiceConfig.HTTP_TOKEN_ENV);
        String name = tokenEnv != null ? tokenEnv : configured.isBlank() ? DEFAULT_TOKEN_ENV : configured;
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new ConfigException("the results API needs a bearer token: set the environment variable " + name
                    + (tokenEnv != null
                            ? " (--token-env)"
                            : configured.isBlank()
                                    ? " (or name another with --token-env)"
                                    : " (" + SluiceConfig.HTTP_TOKEN_ENV + ")"));
        }
        return value;
    }
}
