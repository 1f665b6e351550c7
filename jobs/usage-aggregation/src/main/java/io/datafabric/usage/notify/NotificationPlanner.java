package io.datafabric.usage.notify;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.common.metrics.PartMetrics;
import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.model.ChunkDeltaSerializer;
import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.model.RejectRow;
import io.datafabric.usage.parse.RejectReason;
import io.datafabric.usage.read.DiscoveredFile;
import io.datafabric.usage.read.FileNameContract;
import io.datafabric.usage.read.FileRegistry;
import io.datafabric.usage.read.KnownFile;
import io.datafabric.usage.read.RecentPaths;
import io.datafabric.usage.read.SplitPlanner;
import java.io.FileNotFoundException;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns file notifications into splits (parallelism 1): checks the message, the file-name contract
 * and the announced size, drops files already seen lately or recorded in {@code usage.files}, and
 * plans the rest. Bad notifications become rejects on a side output.
 */
public final class NotificationPlanner extends ProcessFunction<String, FileSplit>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** Rejected notifications, on their way to the sink. */
    public static final OutputTag<ChunkDelta> REJECTS =
            new OutputTag<>("usage-notification-rejects", ChunkDeltaSerializer.TYPE_INFO);

    private static final String NOTIFICATION_FILE = "rabbitmq-notification";

    private final JdbcSettings jdbc;
    private final SplitPlanner planner;
    private final int recentMax;
    private final long recentMinAgeMillis;

    private transient ListState<byte[]> state;
    private transient String owner;
    private transient RecentPaths recent;
    private transient FileRegistry registry;
    private transient Counter duplicates;

    public NotificationPlanner(
            JdbcSettings jdbc, SplitPlanner planner, int recentMax, long recentMinAgeMillis) {
        this.jdbc = jdbc;
        this.planner = planner;
        this.recentMax = recentMax;
        this.recentMinAgeMillis = recentMinAgeMillis;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        state =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "planner-state",
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        recent = new RecentPaths(recentMax, recentMinAgeMillis);
        owner = null;
        for (byte[] bytes : state.get()) {
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            owner = in.readUTF();
            recent.readInto(in);
        }
        if (owner == null) {
            owner = UUID.randomUUID().toString();
        }
    }

    @Override
    public void open(Configuration parameters) {
        registry = new FileRegistry(jdbc);
        duplicates =
                PartMetrics.of(getRuntimeContext().getMetricGroup(), "usage")
                        .counter("duplicateNotifications");
    }

    @Override
    public void processElement(String message, Context ctx, Collector<FileSplit> out)
            throws Exception {
        FileNotification n;
        try {
            n = FileNotification.parse(message);
        } catch (IllegalArgumentException e) {
            reject(ctx, "bad notification (" + e.getMessage() + "): " + message);
            return;
        }
        Path path = new Path(n.path());
        if (!FileNameContract.isComplete(path.getName())) {
            reject(ctx, "notification names a file that is not complete: " + n.path());
            return;
        }
        FileSystem fs = path.getFileSystem();
        String qualified = path.makeQualified(fs).toString();
        if (recent.contains(qualified)) {
            duplicates.inc();
            return;
        }
        FileStatus status;
        try {
            status = fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            reject(ctx, "announced file does not exist: " + n.path());
            return;
        }
        if (status.isDir() || status.getLen() != n.size()) {
            reject(
                    ctx,
                    "announced size "
                            + n.size()
                            + " but "
                            + n.path()
                            + " has "
                            + (status.isDir()
                                    ? "no bytes (a directory)"
                                    : status.getLen() + " bytes"));
            return;
        }
        KnownFile known = registry.lookup(List.of(qualified)).get(qualified);
        List<FileSplit> splits =
                planner.plan(
                        new DiscoveredFile(qualified, n.size(), status.getModificationTime()),
                        known,
                        owner);
        long now = System.currentTimeMillis();
        recent.add(qualified, now);
        recent.evict(now);
        if (splits.isEmpty()) {
            duplicates.inc();
        }
        splits.forEach(out::collect);
    }

    private static void reject(Context ctx, String text) {
        ctx.output(
                REJECTS,
                ChunkDelta.rejectsOnly(
                        List.of(
                                RejectRow.ofText(
                                        NOTIFICATION_FILE, RejectReason.BAD_NOTIFICATION, text))));
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeUTF(owner);
        recent.write(out);
        state.update(List.of(out.getCopyOfBuffer()));
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}
