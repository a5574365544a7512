package io.sluice.testkit.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every real server the pipeline's end-to-end tests use: ZooKeeper, Kafka, HBase, S3 and HDFS, each started once per
 * test JVM and shared (see the extensions).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({
    ZooKeeperExtension.class,
    KafkaExtension.class,
    HBaseExtension.class,
    S3Extension.class,
    HdfsExtension.class
})
public @interface RealServers {}
