package io.sluice.it.examples;

import io.sluice.api.JobSetup;
import io.sluice.api.SluiceJob;
import io.sluice.api.TaskOutput;
import io.sluice.api.event.PositionedEvent;

/**
 * A test-only job, found on the driver's classpath like a user's: it throws on every event whose {@code ms} field is
 * {@value #POISON}, as a job with a bug on some input would, and does nothing with the others.
 */
public final class PoisonedJob implements SluiceJob {
    static final String NAME = "poisoned";
    static final String POISON = "13";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TaskOutput taskOutput(JobSetup setup) {
        return (batch, context) -> {
            for (PositionedEvent e : batch.valid()) {
                if (POISON.equals(e.event().field("ms"))) {
                    throw new IllegalStateException("cannot handle ms=" + POISON);
                }
                context.count("events", 1);
            }
        };
    }
}
