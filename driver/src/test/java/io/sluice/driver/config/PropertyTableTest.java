package io.sluice.driver.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's property table must be the one generated from the definitions. */
class PropertyTableTest {
    @Test
    void readmeTableIsUpToDate() throws Exception {
        Path readme = Path.of(System.getProperty("sluice.home", ".."), "README.md");
        String current = Files.readString(readme, StandardCharsets.UTF_8);
        assertThat(current)
                .as("README.md's property table is out of date: run ./bin/sluice properties --write-readme")
                .isEqualTo(PropertyTable.render(current, SluiceConfig.all()));
    }

    @Test
    void everyKeyIsDocumented() {
        String table = PropertyTable.markdown(SluiceConfig.all());
        SluiceConfig.all().forEach(def -> def.keys().forEach(k -> {
            assertThat(table).contains("`" + k.name() + "`");
            assertThat(k.doc()).isNotBlank();
        }));
    }
}
