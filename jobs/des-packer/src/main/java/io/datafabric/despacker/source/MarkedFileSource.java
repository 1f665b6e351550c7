package io.datafabric.despacker.source;

import io.datafabric.common.metrics.PartMetrics;
import io.datafabric.des.naming.ShardNamer;
import io.datafabric.des.naming.SnowflakeId;
import io.datafabric.des.naming.SnowflakeNameGenerator;
import io.datafabric.despacker.config.PackerConfig;
import io.datafabric.despacker.config.SourceConfig;
import io.datafabric.despacker.master.MasterTable;
import io.datafabric.despacker.model.FileRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.source.RichParallelSourceFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The marker: marks eligible rows of every source in batches and emits a {@link FileRef} for each
 * marked row. Parallel instances (and the marker of another packer job, with another node range)
 * never take the same row: the batch locks its rows {@code FOR UPDATE SKIP LOCKED} and the update
 * re-checks the active status.
 *
 * <p>Exactly-once hand-over: each instance keeps in its state the DES names it has emitted and not
 * yet seen leave the marked status ("custody"). Marking, adding to custody and emitting happen
 * under the checkpoint lock, so a checkpoint holds either none or all of them. Rows marked after
 * the last completed checkpoint are marked in the database but in nobody's custody after a
 * recovery: the reconciliation (at start and every {@code packer.reconcile-interval}) adopts every
 * marked row whose DES name carries one of this instance's node ids and is not in its custody, and
 * emits it again. Rows that reached packed or failed leave custody. Instance {@code i} of {@code p}
 * owns node ids {@code node-id + j} with {@code j ≡ i (mod p)}, {@code j < node-span}, and names
 * new files with node {@code node-id + i}; the state is union-redistributed, so rescaling keeps
 * every node owned by exactly one instance.
 */
public final class MarkedFileSource extends RichParallelSourceFunction<FileRef>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MarkedFileSource.class);
    private static final char SEP = '\u0000';

    private final PackerConfig config;

    private transient ListState<String> custodyState;
    private transient Map<String, Set<String>> custody;
    private transient List<String> restored;
    private transient volatile boolean running;
    private transient Counter marked;
    private transient Counter adopted;

    public MarkedFileSource(PackerConfig config) {
        this.config = config;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        custodyState =
                context.getOperatorStateStore()
                        .getUnionListState(new ListStateDescriptor<>("custody", Types.STRING));
        restored = new ArrayList<>();
        if (context.isRestored()) {
            for (String entry : custodyState.get()) {
                restored.add(entry);
            }
        }
    }

    @Override
    public void open(org.apache.flink.configuration.Configuration parameters) {
        int index = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        custody = new HashMap<>();
        for (SourceConfig s : config.sources()) {
            custody.put(s.name(), new HashSet<>());
        }
        for (String entry : restored) {
            int sep = entry.indexOf(SEP);
            String source = entry.substring(0, sep);
            String name = entry.substring(sep + 1);
            if (custody.containsKey(source) && owns(name, index, parallelism)) {
                custody.get(source).add(name);
            }
        }
        restored = null;
        PartMetrics metrics = PartMetrics.of(getRuntimeContext().getMetricGroup(), "despacker");
        marked = metrics.counter("filesMarked");
        adopted = metrics.counter("filesAdopted");
        metrics.gauge(
                "filesInCustody",
                () -> {
                    long n = 0;
                    for (Set<String> names : custody.values()) {
                        n += names.size();
                    }
                    return n;
                });
        metrics.meter("filesMarkedPerSecond", marked);
        running = true;
    }

    /** Whether instance {@code index} of {@code parallelism} owns the node of a DES name. */
    boolean owns(String desName, int index, int parallelism) {
        int node;
        try {
            node = SnowflakeId.parse(desName).node();
        } catch (IllegalArgumentException foreign) {
            return false;
        }
        int j = node - config.nodeBase();
        return j >= 0 && j < config.nodeSpan() && j % parallelism == index;
    }

    @Override
    public void run(SourceContext<FileRef> ctx) throws Exception {
        int index = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        SnowflakeNameGenerator names = new SnowflakeNameGenerator(config.nodeBase() + index);
        ShardNamer shards = new ShardNamer(config.shardBits(), "");
        Map<String, MasterTable> masters = new LinkedHashMap<>();
        Map<String, Instant> boundedCutoff = new HashMap<>();
        try {
            for (SourceConfig s : config.sources()) {
                MasterTable master = new MasterTable(s);
                masters.put(s.name(), master);
                master.check();
                boundedCutoff.put(s.name(), Instant.now().minus(s.contract().olderThan()));
            }
            reconcile(ctx, masters, shards, index, parallelism);
            long lastReconcile = System.nanoTime();
            while (running) {
                boolean any = false;
                for (SourceConfig s : config.sources()) {
                    Instant cutoff =
                            config.bounded()
                                    ? boundedCutoff.get(s.name())
                                    : Instant.now().minus(s.contract().olderThan());
                    synchronized (ctx.getCheckpointLock()) {
                        List<FileRef> batch =
                                masters.get(s.name())
                                        .markBatch(cutoff, config.batchSize(), names, shards);
                        Set<String> held = custody.get(s.name());
                        for (FileRef ref : batch) {
                            held.add(ref.desName());
                            ctx.collect(ref);
                        }
                        marked.inc(batch.size());
                        any |= !batch.isEmpty();
                    }
                }
                if (config.bounded()) {
                    if (!any) {
                        return;
                    }
                    continue;
                }
                if (System.nanoTime() - lastReconcile >= config.reconcileInterval().toNanos()) {
                    reconcile(ctx, masters, shards, index, parallelism);
                    lastReconcile = System.nanoTime();
                }
                if (!any) {
                    pause(config.markInterval());
                }
            }
        } finally {
            masters.values().forEach(MasterTable::close);
        }
    }

    /**
     * Adopts marked rows of this instance's nodes that are in nobody's custody (marked just before
     * a crash, or by an earlier run of the job) and drops from custody the rows that are no longer
     * marked (recorded as packed or failed).
     */
    private void reconcile(
            SourceContext<FileRef> ctx,
            Map<String, MasterTable> masters,
            ShardNamer shards,
            int index,
            int parallelism)
            throws Exception {
        for (Map.Entry<String, MasterTable> e : masters.entrySet()) {
            List<FileRef> rows = e.getValue().markedRows(shards);
            synchronized (ctx.getCheckpointLock()) {
                Set<String> held = custody.get(e.getKey());
                Set<String> mine = new HashSet<>();
                int n = 0;
                for (FileRef ref : rows) {
                    if (!owns(ref.desName(), index, parallelism)) {
                        continue;
                    }
                    mine.add(ref.desName());
                    if (held.add(ref.desName())) {
                        ctx.collect(ref);
                        n++;
                    }
                }
                held.retainAll(mine);
                adopted.inc(n);
                if (n > 0) {
                    LOG.info("source {}: adopted {} marked rows nobody was packing", e.getKey(), n);
                }
            }
        }
    }

    private void pause(Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (running && System.nanoTime() < end) {
            Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        List<String> entries = new ArrayList<>();
        custody.forEach(
                (source, names) -> {
                    for (String name : names) {
                        entries.add(source + SEP + name);
                    }
                });
        custodyState.update(entries);
    }

    @Override
    public void cancel() {
        running = false;
    }
}
