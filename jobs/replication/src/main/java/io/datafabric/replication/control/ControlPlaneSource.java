package io.datafabric.replication.control;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.drms.control.ControlPlane;
import io.datafabric.drms.control.ControlSnapshot;
import io.datafabric.drms.graph.Consumer;
import io.datafabric.drms.graph.ConsumerStatus;
import io.datafabric.drms.graph.DatasetGraph;
import io.datafabric.drms.graph.EdgeDefinition;
import io.datafabric.drms.graph.GraphWriter;
import io.datafabric.replication.schedule.ControlEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.source.RichSourceFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the control plane and says what changed, without a restart of the job: it polls the
 * {@code drms} tables every interval and emits the graph when it changed, each edge whose
 * definition or status changed, and each edge that disappeared (the set of known edges is
 * checkpointed, so removals made while the job was down are seen too).
 *
 * <p>In a bounded run it instead hands out one {@code converge} per approved edge, each as soon as
 * every approved edge upstream of it has converged in this run (as {@code drms.tasks} tells), and
 * finishes when every edge converged or failed.
 */
public final class ControlPlaneSource extends RichSourceFunction<ControlEvent>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneSource.class);

    private final JdbcSettings control;
    private final long pollMillis;
    private final String boundedRunId;

    private transient volatile boolean running;
    private transient Object sleeper;
    private transient ListState<String> knownState;
    private transient Set<String> known;

    /**
     * @param boundedRunId the id of a bounded run, or null to watch forever
     */
    public ControlPlaneSource(JdbcSettings control, Duration poll, String boundedRunId) {
        this.control = control;
        this.pollMillis = poll.toMillis();
        this.boundedRunId = boundedRunId;
    }

    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        knownState =
                ctx.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("known-edges", Types.STRING));
        known = new LinkedHashSet<>();
        if (ctx.isRestored()) {
            knownState.get().forEach(known::add);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
        knownState.update(List.copyOf(known));
    }

    @Override
    public void run(SourceContext<ControlEvent> ctx) throws Exception {
        running = true;
        sleeper = new Object();
        ControlPlane plane = new ControlPlane(control);
        Map<String, String> emitted = new HashMap<>();
        String lastGraph = null;
        long lastBadVersion = -1;
        Set<String> handedOut = new HashSet<>();
        Connection c = null;
        while (running) {
            try {
                if (c == null || !c.isValid(5)) {
                    closeQuietly(c);
                    c = plane.connect();
                }
                ControlSnapshot snap = plane.versions().current(c);
                if (!snap.problems().isEmpty()) {
                    if (snap.version() != lastBadVersion) {
                        LOG.error(
                                "control plane version {} cannot be read; keeping the previous"
                                        + " graph: {}",
                                snap.version(),
                                snap.problems());
                        lastBadVersion = snap.version();
                    }
                } else {
                    String graphJson = GraphWriter.json(GraphWriter.toTree(snap.graph()));
                    synchronized (ctx.getCheckpointLock()) {
                        if (!graphJson.equals(lastGraph)) {
                            ctx.collect(ControlEvent.graph(graphJson, snap.version()));
                            lastGraph = graphJson;
                        }
                        if (boundedRunId == null) {
                            emitChanges(ctx, snap, emitted);
                        } else if (handOut(ctx, c, snap, handedOut)) {
                            return;
                        }
                    }
                }
            } catch (SQLException e) {
                LOG.warn("cannot read the control plane (retrying): {}", e.toString());
                closeQuietly(c);
                c = null;
            }
            synchronized (sleeper) {
                if (running) {
                    sleeper.wait(boundedRunId == null ? pollMillis : Math.min(pollMillis, 500));
                }
            }
        }
        closeQuietly(c);
    }

    private void emitChanges(
            SourceContext<ControlEvent> ctx, ControlSnapshot snap, Map<String, String> emitted) {
        DatasetGraph graph = snap.graph();
        Set<String> current = new LinkedHashSet<>(graph.consumers().keySet());
        for (String name : current) {
            EdgeDefinition edge = graph.resolve(name);
            // the normalized JSON is the definition's identity: only a real change is emitted
            String def = edge.toJson();
            if (!def.equals(emitted.get(name))) {
                ctx.collect(ControlEvent.edge(edge, snap.version()));
                emitted.put(name, def);
            }
        }
        for (String gone : known) {
            if (!current.contains(gone)) {
                ctx.collect(ControlEvent.removed(gone, snap.version()));
                emitted.remove(gone);
            }
        }
        known.clear();
        known.addAll(current);
    }

    /** Hands out converge runs in dependency order; true when the bounded run is over. */
    private boolean handOut(
            SourceContext<ControlEvent> ctx,
            Connection c,
            ControlSnapshot snap,
            Set<String> handedOut)
            throws SQLException {
        DatasetGraph graph = snap.graph();
        Set<String> approved = new LinkedHashSet<>();
        for (Consumer con : graph.consumers().values()) {
            if (con.status() == ConsumerStatus.APPROVED) {
                approved.add(con.name());
            }
        }
        Set<String> converged = new HashSet<>();
        Set<String> failed = new HashSet<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT edge_id, bool_or(converged), bool_or(status = 'failed') FROM"
                                + " drms.tasks WHERE run_id = ? GROUP BY edge_id")) {
            ps.setString(1, boundedRunId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(2)) {
                        converged.add(rs.getString(1));
                    } else if (rs.getBoolean(3)) {
                        failed.add(rs.getString(1));
                    }
                }
            }
        }
        boolean open = false;
        for (String edge : graph.consumersInOrder()) {
            if (!approved.contains(edge) || converged.contains(edge) || failed.contains(edge)) {
                continue;
            }
            List<String> upstream =
                    graph.upstreamConsumers(edge).stream().filter(approved::contains).toList();
            if (upstream.stream().anyMatch(failed::contains)) {
                continue; // blocked by a failed edge: never converges in this run
            }
            open = true;
            if (!handedOut.contains(edge) && converged.containsAll(upstream)) {
                ctx.collect(ControlEvent.converge(graph.resolve(edge), snap.version()));
                handedOut.add(edge);
                LOG.info("bounded run {}: edge {} converging", boundedRunId, edge);
            }
        }
        if (!open) {
            LOG.info(
                    "bounded run {} over: {} converged, {} failed",
                    boundedRunId,
                    converged.size(),
                    approved.size() - converged.size());
        }
        return !open;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // a broken connection is being replaced
            }
        }
    }

    @Override
    public void cancel() {
        running = false;
        Object s = sleeper;
        if (s != null) {
            synchronized (s) {
                s.notifyAll();
            }
        }
    }
}
