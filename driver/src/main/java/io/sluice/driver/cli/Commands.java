package io.sluice.driver.cli;

import picocli.CommandLine;

/** Runs a picocli command with Sluice's conventions: a bad argument is one line on stderr and exit code 2. */
public final class Commands {
    private Commands() {}

    public static int execute(Object command, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setParameterExceptionHandler((e, a) -> {
            System.err.println(cli.getCommandName() + ": " + e.getMessage());
            return 2;
        });
        return cli.execute(args);
    }
}
