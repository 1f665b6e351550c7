package io.datafabric.replication.exec;

import io.datafabric.drms.graph.EdgeDefinition;
import io.datafabric.replication.ReplicationSettings;

/** Runs edges against the real databases (adapter over drms-core's load step). */
public final class JdbcEdgeTaskRunner implements EdgeTaskRunner {
    public static EdgeTaskRunner.Factory factory(ReplicationSettings settings) {
        return JdbcEdgeTaskRunner::new;
    }

    @Override
    public TaskReport run(EdgeDefinition edge, String kind) {
        throw new UnsupportedOperationException("WIP");
    }
}
