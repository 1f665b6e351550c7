package io.datafabric.usage.notify;

import io.datafabric.common.jdbc.JdbcSettings;
import io.datafabric.common.metrics.PartMetrics;
import io.datafabric.usage.lease.InputLease;
import io.datafabric.usage.model.ChunkDelta;
import io.datafabric.usage.model.ChunkDeltaSerializer;
import io.datafabric.usage.model.FileSplit;
import io.datafabric.usage.model.FileSplitSerializer;
import io.datafabric.usage.model.RejectRow;
import io.datafabric.usage.parse.RejectReason;
import io.datafabric.usage.read.DiscoveredFile;
import io.datafabric.usage.read.FileNameContract;
import io.datafabric.usage.read.FileRegistry;
import io.datafabric.usage.read.KnownFile;
import io.datafabric.usage.read.RecentPaths;
import io.datafabric.usage.read.SplitPlanner;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns file notifications into splits (parallelism 1). It holds the queue's lease in {@code
 * usage.input_leases} while it runs; it checks each message (correlation id, JSON, the file-name
 * contract, the announced size), drops files already seen lately or recorded as completed, records
 * each new file in {@code usage.notified_files} (committed before the splits leave, so before the
 * checkpoint that acknowledges the message) and plans it. A deployment started without Flink state
 * plans the recorded files that are not completed first, from their committed positions. Bad
 * messages become rejects on a side output; none fails the job.
 */
public final class NotificationPlanner extends AbstractStreamOperator<FileSplit>
        implements OneInputStreamOperator<NotificationMessage, FileSplit> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(NotificationPlanner.class);

    /** Rejected notifications, on their way to the sink. */
    public static final OutputTag<ChunkDelta> REJECTS =
            new OutputTag<>("usage-notification-rejects", ChunkDeltaSerializer.TYPE_INFO);

    /** {@code usage.rejects.file} of a rejected notification. */
    public static final String NOTIFICATION_FILE = "rabbitmq-notification";

    private final JdbcSettings jdbc;
    private final SplitPlanner planner;
    private final String input;
    private final int recentMax;
    private final long recentMinAgeMillis;
    private final long leaseTtlMillis;

    private transient ListState<byte[]> state;
    private transient String owner;
    private transient boolean restored;
    private transient RecentPaths recent;
    private transient ArrayDeque<FileSplit> unsent;
    private transient ArrayDeque<String> unsentRejects;
    private transient FileRegistry registry;
    private transient NotifiedFiles notified;
    private transient InputLease lease;
    private transient Counter duplicates;
    private transient Counter rejected;
    private transient Counter recovered;

    /**
     * @param input the queue's key ({@link io.datafabric.usage.lease.InputKeys#queue})
     * @param leaseTtl time to live of the queue's lease
     */
    public NotificationPlanner(
            JdbcSettings jdbc,
            SplitPlanner planner,
            String input,
            int recentMax,
            long recentMinAgeMillis,
            Duration leaseTtl) {
        this.jdbc = jdbc;
        this.planner = planner;
        this.input = input;
        this.recentMax = recentMax;
        this.recentMinAgeMillis = recentMinAgeMillis;
        this.leaseTtlMillis = leaseTtl.toMillis();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        state =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "planner-state",
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        recent = new RecentPaths(recentMax, recentMinAgeMillis);
        unsent = new ArrayDeque<>();
        unsentRejects = new ArrayDeque<>();
        owner = null;
        for (byte[] bytes : state.get()) {
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            owner = in.readUTF();
            recent.readInto(in);
            if (in.available() > 0) {
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    unsent.add(FileSplitSerializer.read(in));
                }
            }
            if (in.available() > 0) {
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    unsentRejects.add(in.readUTF());
                }
            }
        }
        restored = owner != null;
        if (owner == null) {
            owner = UUID.randomUUID().toString();
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        PartMetrics metrics = PartMetrics.of(getMetricGroup(), "usage");
        duplicates = metrics.counter("duplicateNotifications");
        rejected = metrics.counter("rejectedNotifications");
        recovered = metrics.counter("recoveredNotifiedFiles");
        registry = new FileRegistry(jdbc);
        notified = new NotifiedFiles(jdbc, input);
        lease = new InputLease(jdbc, input, owner, Duration.ofMillis(leaseTtlMillis));
        lease.acquire();
        scheduleRenewal();
        if (!restored) {
            recoverRecordedFiles();
        }
        if (!unsent.isEmpty() || !unsentRejects.isEmpty()) {
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now, t -> sendUnsent());
        }
    }

    /**
     * Without Flink state nothing says which acknowledged files were still being read: {@code
     * usage.notified_files} does. Their splits are planned now (from the positions committed in
     * {@code usage.file_splits}) and sent before the next message.
     */
    private void recoverRecordedFiles() throws Exception {
        for (NotifiedFiles.Open file : notified.open()) {
            Outcome outcome =
                    plan(new FileNotification(file.path(), file.size()), file.correlationId());
            if (outcome.rejection() != null) {
                String why =
                        "recorded notification cannot be read any more: " + outcome.rejection();
                unsentRejects.add(why.length() > 1000 ? why.substring(0, 1000) : why);
            } else if (!outcome.splits().isEmpty()) {
                unsent.addAll(outcome.splits());
                recovered.inc();
            }
        }
        if (!unsent.isEmpty()) {
            LOG.info(
                    "fresh deployment on {}: {} splits of announced, unfinished files planned from"
                            + " usage.notified_files",
                    input,
                    unsent.size());
        }
    }

    private void scheduleRenewal() {
        long at =
                getProcessingTimeService().getCurrentProcessingTime() + lease.renewIntervalMillis();
        getProcessingTimeService()
                .registerTimer(
                        at,
                        t -> {
                            lease.renew();
                            scheduleRenewal();
                        });
    }

    private void sendUnsent() {
        while (!unsentRejects.isEmpty()) {
            reject(unsentRejects.poll());
        }
        while (!unsent.isEmpty()) {
            output.collect(new StreamRecord<>(unsent.poll()));
        }
    }

    @Override
    public void processElement(StreamRecord<NotificationMessage> element) throws Exception {
        sendUnsent();
        NotificationMessage message = element.getValue();
        if (message.correlationId() == null) {
            reject("message without correlation id: " + message.body());
            return;
        }
        FileNotification n;
        try {
            n = FileNotification.parse(message.body());
        } catch (IllegalArgumentException e) {
            reject("bad notification (" + e.getMessage() + "): " + message.body());
            return;
        }
        Outcome outcome = plan(n, message.correlationId());
        if (outcome.rejection() != null) {
            reject(outcome.rejection());
        } else if (outcome.duplicate()) {
            duplicates.inc();
        } else {
            outcome.splits().forEach(s -> output.collect(new StreamRecord<>(s)));
        }
    }

    private record Outcome(List<FileSplit> splits, boolean duplicate, String rejection) {
        static Outcome rejected(String why) {
            return new Outcome(List.of(), false, why);
        }
    }

    /** Checks one announced file and plans it; records it first when there is something to read. */
    private Outcome plan(FileNotification n, String correlationId) throws Exception {
        Path path;
        try {
            path = new Path(n.path());
        } catch (IllegalArgumentException e) {
            return Outcome.rejected("announced path is not a valid path: " + n.path());
        }
        if (!path.isAbsolute()) {
            return Outcome.rejected("announced path must be absolute: " + n.path());
        }
        if (!FileNameContract.isComplete(path.getName())) {
            return Outcome.rejected("notification names a file that is not complete: " + n.path());
        }
        FileSystem fs;
        try {
            fs = path.getFileSystem();
        } catch (IOException e) {
            return Outcome.rejected("no file system for " + n.path() + " (" + e.getMessage() + ")");
        }
        String qualified = path.makeQualified(fs).toString();
        if (recent.contains(qualified)) {
            return new Outcome(List.of(), true, null);
        }
        FileStatus status;
        try {
            status = fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            return Outcome.rejected("announced file does not exist: " + n.path());
        }
        if (status.isDir() || status.getLen() != n.size()) {
            return Outcome.rejected(
                    "announced size "
                            + n.size()
                            + " but "
                            + n.path()
                            + " has "
                            + (status.isDir()
                                    ? "no bytes (a directory)"
                                    : status.getLen() + " bytes"));
        }
        KnownFile known = registry.lookup(List.of(qualified)).get(qualified);
        List<FileSplit> splits =
                planner.plan(
                        new DiscoveredFile(qualified, n.size(), status.getModificationTime()),
                        known,
                        owner);
        if (!splits.isEmpty()) {
            notified.record(
                    qualified, n.size(), status.getModificationTime(), correlationId, owner);
        }
        long now = System.currentTimeMillis();
        recent.add(qualified, now);
        recent.evict(now);
        return new Outcome(splits, splits.isEmpty(), null);
    }

    private void reject(String text) {
        rejected.inc();
        output.collect(
                REJECTS,
                new StreamRecord<>(
                        ChunkDelta.rejectsOnly(
                                List.of(
                                        RejectRow.ofText(
                                                NOTIFICATION_FILE,
                                                RejectReason.BAD_NOTIFICATION,
                                                text)))));
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeUTF(owner);
        recent.write(out);
        out.writeInt(unsent.size());
        for (FileSplit s : unsent) {
            FileSplitSerializer.write(s, out);
        }
        out.writeInt(unsentRejects.size());
        for (String r : unsentRejects) {
            out.writeUTF(r);
        }
        state.update(List.of(out.getCopyOfBuffer()));
    }

    @Override
    public void close() throws Exception {
        try {
            if (lease != null) {
                lease.release();
            }
        } catch (Exception e) {
            LOG.warn("could not give up the lease of {}; it expires by itself", input, e);
        } finally {
            if (registry != null) {
                registry.close();
            }
            if (notified != null) {
                notified.close();
            }
            super.close();
        }
    }
}
