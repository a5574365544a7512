package io.sluice.capacity.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the command with captured stdout and stderr (no System.exit). */
record CommandRun(int exitCode, String out, String err) {
    static CommandRun plan(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PlanCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CommandRun(code, out.toString(), err.toString());
    }
}
