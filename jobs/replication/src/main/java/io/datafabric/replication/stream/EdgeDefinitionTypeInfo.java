package io.datafabric.replication.stream;

import io.datafabric.drms.graph.EdgeDefinition;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The Flink type of an {@link EdgeDefinition} (drms-core has no Flink, so the type is registered
 * for it here; see {@link StreamTypes#register()}). Generic (Kryo) types stay disabled.
 */
public final class EdgeDefinitionTypeInfo extends TypeInformation<EdgeDefinition> {
    private static final long serialVersionUID = 1L;

    public static final EdgeDefinitionTypeInfo INSTANCE = new EdgeDefinitionTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<EdgeDefinition> getTypeClass() {
        return EdgeDefinition.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    @SuppressWarnings("deprecation")
    public TypeSerializer<EdgeDefinition> createSerializer(ExecutionConfig config) {
        return EdgeDefinitionSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "EdgeDefinition";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EdgeDefinitionTypeInfo;
    }

    @Override
    public int hashCode() {
        return EdgeDefinitionTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof EdgeDefinitionTypeInfo;
    }

    /** Registered for {@link EdgeDefinition} by {@link StreamTypes#register()}. */
    public static final class Factory extends TypeInfoFactory<EdgeDefinition> {
        @Override
        public TypeInformation<EdgeDefinition> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }
}
