package io.sluice.jobs.sink.hbase;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class EventRowKeyTest {
    @Test
    void rowKeyIsSaltThenEventIdAndStable() {
        byte[] key = EventRowKey.of("evt-42", 16);
        assertThat(new String(key, StandardCharsets.UTF_8)).matches("[0-9a-f]{2}evt-42");
        assertThat(EventRowKey.of("evt-42", 16)).isEqualTo(key);
    }

    @Test
    void saltsSpreadOverEveryBucket() {
        Set<String> salts = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            salts.add(EventRowKey.salt("evt-" + i, 16));
        }
        assertThat(salts).hasSize(16);
    }

    /** Rows written by earlier versions must be found again: the salt is the id's CRC-32 modulo buckets, in hex. */
    @Test
    void saltIsTheCrcOfTheIdModuloTheBucketsInTwoHexDigits() {
        for (int buckets = 1; buckets <= EventRowKey.MAX_BUCKETS; buckets++) {
            for (String id : new String[] {"evt-42", "2f1c9a0e-77c1-4d33-9d0b-1e2f3a4b5c6d", "é"}) {
                CRC32 crc = new CRC32();
                crc.update(id.getBytes(StandardCharsets.UTF_8));
                assertThat(EventRowKey.salt(id, buckets)).isEqualTo(String.format("%02x", crc.getValue() % buckets));
            }
        }
    }

    @Test
    void splitKeysStartEveryBucketButTheFirst() {
        byte[][] splits = EventRowKey.splitKeys(16);
        assertThat(splits.length).isEqualTo(15);
        assertThat(new String(splits[0], StandardCharsets.UTF_8)).isEqualTo("01");
        assertThat(new String(splits[14], StandardCharsets.UTF_8)).isEqualTo("0f");
    }
}
