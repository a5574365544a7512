package io.sluice.bench.flink;

import java.io.IOException;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Put;

/**
 * Puts every element into an HBase table through a {@link BufferedMutator}, one connection per subtask. The writer's
 * {@link SinkWriter#flush} runs before each checkpoint barrier goes on and at the end of input, so every element before
 * a completed checkpoint is in HBase: at least once. Exactly-once in effect comes from the puts themselves, which
 * must be idempotent (an explicit cell timestamp, so a replay rewrites the same cell). A failed write fails the job.
 *
 * @param <T> what is written
 */
final class HBaseSink<T> implements Sink<T> {
    private final HBaseTable target;
    private final SerializableFunction<T, Put> toPut;

    /** Where the sink writes: the quorum, its client port and the table (which must exist). */
    record HBaseTable(String quorum, int port, String table) implements java.io.Serializable {
        Configuration configuration() {
            Configuration conf = HBaseConfiguration.create();
            conf.set("hbase.zookeeper.quorum", quorum);
            conf.setInt("hbase.zookeeper.property.clientPort", port);
            return conf;
        }
    }

    HBaseSink(HBaseTable target, SerializableFunction<T, Put> toPut) {
        this.target = target;
        this.toPut = toPut;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new Writer<>(target, toPut);
    }

    /** Flink 1.20 still declares this one abstract; its runtime calls {@link #createWriter(WriterInitContext)}. */
    @Override
    @Deprecated
    public SinkWriter<T> createWriter(InitContext context) throws IOException {
        return new Writer<>(target, toPut);
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final Connection connection;
        private final BufferedMutator mutator;
        private final SerializableFunction<T, Put> toPut;

        Writer(HBaseTable target, SerializableFunction<T, Put> toPut) throws IOException {
            this.toPut = toPut;
            this.connection = ConnectionFactory.createConnection(target.configuration());
            try {
                this.mutator = connection.getBufferedMutator(TableName.valueOf(target.table()));
            } catch (IOException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }

        @Override
        public void write(T element, Context context) throws IOException {
            mutator.mutate(toPut.apply(element));
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            mutator.flush();
        }

        @Override
        public void close() throws IOException {
            try {
                mutator.close();
            } finally {
                connection.close();
            }
        }
    }
}
