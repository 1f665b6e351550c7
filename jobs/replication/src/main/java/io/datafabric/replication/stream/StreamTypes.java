package io.datafabric.replication.stream;

import io.datafabric.drms.graph.EdgeDefinition;
import org.apache.flink.api.java.typeutils.TypeExtractor;

/**
 * Registers the Flink types of drms-core classes that travel in the replication stream, before the
 * pipeline's types are extracted (what {@code pipeline.serialization-config} with {@code type:
 * typeinfo} does too).
 */
public final class StreamTypes {
    private StreamTypes() {}

    private static boolean registered;

    /** Idempotent (the registry is global to the JVM and refuses a second registration). */
    public static synchronized void register() {
        if (!registered) {
            TypeExtractor.registerFactory(
                    EdgeDefinition.class, EdgeDefinitionTypeInfo.Factory.class);
            registered = true;
        }
    }
}
