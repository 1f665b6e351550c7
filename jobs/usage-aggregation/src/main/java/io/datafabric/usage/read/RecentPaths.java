package io.datafabric.usage.read;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The paths seen lately, so a directory scan does not ask PostgreSQL about them again. Bounded:
 * beyond {@code maxSize} entries the oldest are forgotten, but never one younger than {@code
 * minAgeMillis} (a file must have had time to reach {@code usage.files} before it is forgotten).
 * Forgotten paths are answered by {@code usage.files}, the durable record.
 *
 * <p>Written by one thread; {@link #contains} may be called from another.
 */
public final class RecentPaths {
    private final int maxSize;
    private final long minAgeMillis;
    private final Map<String, Long> index = new ConcurrentHashMap<>();
    private final ArrayDeque<String> order = new ArrayDeque<>();

    public RecentPaths(int maxSize, long minAgeMillis) {
        this.maxSize = maxSize;
        this.minAgeMillis = minAgeMillis;
    }

    public boolean contains(String path) {
        return index.containsKey(path);
    }

    /** Remembers a path; returns false when it was already known. */
    public boolean add(String path, long nowMillis) {
        if (index.putIfAbsent(path, nowMillis) != null) {
            return false;
        }
        order.addLast(path);
        return true;
    }

    /** Forgets the oldest paths beyond the bound. */
    public void evict(long nowMillis) {
        while (order.size() > maxSize) {
            String oldest = order.peekFirst();
            Long seen = index.get(oldest);
            if (seen != null && nowMillis - seen < minAgeMillis) {
                return;
            }
            order.pollFirst();
            index.remove(oldest);
        }
    }

    public int size() {
        return order.size();
    }

    /** Entries oldest first. */
    public List<Map.Entry<String, Long>> entries() {
        List<Map.Entry<String, Long>> out = new ArrayList<>(order.size());
        for (String p : order) {
            out.add(Map.entry(p, index.get(p)));
        }
        return out;
    }

    public void write(DataOutputView out) throws IOException {
        out.writeInt(order.size());
        for (String p : order) {
            out.writeUTF(p);
            out.writeLong(index.get(p));
        }
    }

    public void readInto(DataInputView in) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String p = in.readUTF();
            long seen = in.readLong();
            if (index.putIfAbsent(p, seen) == null) {
                order.addLast(p);
            }
        }
    }
}
