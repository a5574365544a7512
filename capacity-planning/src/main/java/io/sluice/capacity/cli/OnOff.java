package io.sluice.capacity.cli;

import java.util.Locale;
import picocli.CommandLine;

/** Converts {@code on}/{@code off} (also {@code true}/{@code false}, {@code yes}/{@code no}) for switch flags. */
final class OnOff implements CommandLine.ITypeConverter<Boolean> {
    @Override
    public Boolean convert(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new CommandLine.TypeConversionException("expected on or off, got '" + value + "'");
        };
    }
}
