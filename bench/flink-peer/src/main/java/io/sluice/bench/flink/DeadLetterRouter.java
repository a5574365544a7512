package io.sluice.bench.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes valid events on and sends each dead letter to {@link #DEAD_LETTERS} as the JSON line the Structured
 * Streaming peer archives: {@code {"reason":..., "id":"dead-letter+<partition>+<offset>", "raw":<base64>}}. Counts
 * every record it sees in the accumulator {@link #RECORDS} (a replay after a restore counts again).
 */
final class DeadLetterRouter extends ProcessFunction<Parsed, Parsed> {
    static final String RECORDS = "records";
    static final OutputTag<byte[]> DEAD_LETTERS =
            new OutputTag<>("dead-letters", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private transient ObjectMapper json;
    private transient LongCounter records;

    /** A dead letter as archived; Jackson writes {@code raw} as base64. */
    record Line(String reason, String id, byte[] raw) {}

    @Override
    public void open(OpenContext context) {
        json = new ObjectMapper();
        records = getRuntimeContext().getLongCounter(RECORDS);
    }

    @Override
    public void processElement(Parsed record, Context context, Collector<Parsed> out) throws Exception {
        records.add(1);
        if (record.valid()) {
            out.collect(record);
        } else {
            context.output(DEAD_LETTERS, json.writeValueAsBytes(new Line(record.reason(), record.id(), record.raw())));
        }
    }
}
