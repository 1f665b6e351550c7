package io.datafabric.testing;

import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;

/**
 * Checks that a built pipeline gives every operator an explicit {@code uid}. Savepoints map state
 * to operators by uid, so an operator without one loses its state (or refuses the savepoint) as
 * soon as the graph around it changes. The audit is stricter than "every stateful operator": a
 * stateless operator that later becomes stateful would otherwise slip through.
 */
public final class UidAudit {
    private UidAudit() {}

    /** Names of the operators of {@code env}'s current pipeline that have no explicit uid. */
    public static List<String> operatorsWithoutUid(StreamExecutionEnvironment env) {
        StreamGraph graph = env.getStreamGraph(false);
        return graph.getStreamNodes().stream()
                .filter(node -> isBlank(node.getTransformationUID()))
                .map(StreamNode::getOperatorName)
                .sorted()
                .toList();
    }

    /** The uids of {@code env}'s current pipeline, sorted: a test pins them so a rename fails. */
    public static List<String> uids(StreamExecutionEnvironment env) {
        StreamGraph graph = env.getStreamGraph(false);
        return graph.getStreamNodes().stream()
                .map(StreamNode::getTransformationUID)
                .filter(uid -> !isBlank(uid))
                .sorted()
                .toList();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
