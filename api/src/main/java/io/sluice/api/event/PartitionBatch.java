package io.sluice.api.event;

import io.sluice.checkpoint.SourceRange;
import java.util.List;

/**
 * One source partition's share of a batch, parsed: the valid events and the dead letters, both in offset order.
 * Records before the range's (aligned) start are dropped: they belong to an already committed batch.
 */
public record PartitionBatch(SourceRange range, List<PositionedEvent> valid, List<DeadLetter> deadLetters) {}
