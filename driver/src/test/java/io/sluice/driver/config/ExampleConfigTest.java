package io.sluice.driver.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example a user copies must itself be valid. */
class ExampleConfigTest {
    @Test
    void theExamplePropertiesFileIsValid() {
        Path example = Path.of(System.getProperty("sluice.home", ".."), "conf", "sluice.properties.example");

        SluiceSettings settings = SettingsLoader.load(example, List.of());

        assertThat(settings.appName()).isEqualTo("ab-events");
        assertThat(settings.pipeline().results().enabled()).isTrue();
        assertThat(settings.httpPort()).isEqualTo(4050);
    }
}
