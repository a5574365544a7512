package io.sluice.driver.config;

import io.sluice.wal.ReceiverSettings;
import java.io.Serializable;

/** Push ingestion ({@code sluice.source=http}): how many receivers, and how each listens and registers. */
public record HttpSourceSettings(int receivers, ReceiverSettings receiver) implements Serializable {}
