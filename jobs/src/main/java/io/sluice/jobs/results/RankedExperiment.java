package io.sluice.jobs.results;

import java.io.Serializable;

/** One line of a top row: an experiment and its number of events in the window. */
public record RankedExperiment(ExperimentKey experiment, long events) implements Serializable {}
