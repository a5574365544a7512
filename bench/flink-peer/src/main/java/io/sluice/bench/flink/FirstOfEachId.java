package io.sluice.bench.flink;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Each {@code event_id} once (keyed by it): the first event with an id passes, later ones are dropped while the
 * watermark is within {@code horizon} of the first one's time, as the Structured Streaming peer's {@code
 * dropDuplicatesWithinWatermark}. The flag is keyed state, in every checkpoint with the source's offsets, so a
 * restore neither forgets an id nor remembers one whose event is replayed.
 */
final class FirstOfEachId extends KeyedProcessFunction<String, Parsed, Parsed> {
    private final long horizonMs;
    private transient ValueState<Boolean> seen;

    FirstOfEachId(Duration horizon) {
        this.horizonMs = horizon.toMillis();
    }

    @Override
    public void open(OpenContext context) {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
    }

    @Override
    public void processElement(Parsed event, Context context, Collector<Parsed> out) throws Exception {
        if (seen.value() == null) {
            seen.update(true);
            context.timerService().registerEventTimeTimer(event.time() + horizonMs);
            out.collect(event);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<Parsed> out) {
        seen.clear();
    }
}
