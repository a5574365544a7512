package io.sluice.bench.flink;

import io.sluice.jobs.event.EventParser;
import io.sluice.jobs.event.ParserLimits;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses every record inside the Kafka source: the source's per-partition watermarks need each event's time, and a
 * dead letter's id needs the record's partition and offset. Never fails on bad input (the parser never throws).
 */
final class ParsingDeserializer implements KafkaRecordDeserializationSchema<Parsed> {
    private final EventParser parser = new EventParser(ParserLimits.DEFAULT);

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Parsed> out) {
        out.collect(Parsed.of(parser, record));
    }

    @Override
    public TypeInformation<Parsed> getProducedType() {
        return TypeInformation.of(Parsed.class);
    }
}
