package io.sluice.capacity.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Turns picocli's parameter errors into the command's one-line form, {@code --flag must be ..., got 'value'}: a
 * value that does not convert names the flag and the expected type; other errors keep picocli's first line.
 */
final class ErrorLine {
    private ErrorLine() {}

    static String of(CommandLine.ParameterException e, ConfigFile config) {
        ArgSpec arg = e.getArgSpec();
        String value = e.getValue();
        if (arg instanceof OptionSpec option && value != null && isConversion(e)) {
            String from = config != null && config.supplies(option) && !onCommandLine(e, option)
                    ? " (in --config " + config.file() + ")"
                    : "";
            return option.longestName() + " must be " + expected(option) + ", got '" + value + "'" + from;
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    private static boolean isConversion(CommandLine.ParameterException e) {
        return e.getCause() instanceof CommandLine.TypeConversionException
                || e.getCause() instanceof NumberFormatException
                || (e.getMessage() != null && e.getMessage().startsWith("Invalid value for"));
    }

    private static boolean onCommandLine(CommandLine.ParameterException e, OptionSpec option) {
        var parsed = e.getCommandLine().getParseResult();
        return parsed != null && parsed.hasMatchedOption(option);
    }

    private static String expected(OptionSpec option) {
        Class<?> type = option.type();
        if (type == int.class || type == Integer.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "on or off";
        }
        if (type.isEnum()) {
            StringBuilder names = new StringBuilder("one of ");
            Object[] constants = type.getEnumConstants();
            for (int i = 0; i < constants.length; i++) {
                names.append(i == 0 ? "" : i == constants.length - 1 ? " or " : ", ")
                        .append(constants[i]);
            }
            return names.toString();
        }
        if (type == Path.class) {
            return "a file path";
        }
        return "a valid " + option.paramLabel();
    }
}
