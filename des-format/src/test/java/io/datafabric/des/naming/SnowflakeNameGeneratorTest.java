package io.datafabric.des.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SnowflakeNameGeneratorTest {
    private static final long T = Instant.parse("2025-06-01T12:00:00Z").toEpochMilli();

    @Test
    void layoutVector() {
        // SPEC.md: 2025-06-01T12:00:00Z, node 5, sequence 7.
        SnowflakeId id = new SnowflakeId(T - SnowflakeId.EPOCH.toEpochMilli(), 5, 7);
        assertThat(id.toName()).isEqualTo("029a42be80005007");
        assertThat(SnowflakeId.parse("029a42be80005007")).isEqualTo(id);
        assertThat(id.timestamp()).isEqualTo(Instant.parse("2025-06-01T12:00:00Z"));
        assertThat(new SnowflakeNameGenerator(5, () -> T).next()).isEqualTo("029a42be80005000");
    }

    @Test
    void namesAreUniqueAndSortInGenerationOrder() {
        AtomicLong clock = new AtomicLong(T);
        SnowflakeNameGenerator generator = new SnowflakeNameGenerator(1, clock::get);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            if (i % 3000 == 0) {
                clock.addAndGet(1);
            }
            names.add(generator.next());
        }
        assertThat(new HashSet<>(names)).hasSize(names.size());
        assertThat(names).isSorted();
    }

    @Test
    void sequenceOverflowBorrowsTheNextMillisecond() {
        SnowflakeNameGenerator generator = new SnowflakeNameGenerator(2, () -> T);
        SnowflakeId last = null;
        for (int i = 0; i <= SnowflakeId.MAX_SEQUENCE + 1; i++) {
            last = generator.nextId();
        }
        assertThat(last.sequence()).isZero();
        assertThat(last.timestamp()).isEqualTo(Instant.ofEpochMilli(T + 1));
    }

    @Test
    void clockSteppingBackNeverRepeatsAName() {
        AtomicLong clock = new AtomicLong(T);
        SnowflakeNameGenerator generator = new SnowflakeNameGenerator(9, clock::get);
        Set<String> seen = new HashSet<>();
        String previous = "";
        for (int i = 0; i < 100; i++) {
            clock.set(T - i * 10L);
            String name = generator.next();
            assertThat(seen.add(name)).isTrue();
            assertThat(name).isGreaterThan(previous);
            previous = name;
        }
    }

    @Test
    void differentNodesNeverCollide() {
        Set<String> names = new HashSet<>();
        for (int node = 0; node < 4; node++) {
            SnowflakeNameGenerator generator = new SnowflakeNameGenerator(node, () -> T);
            for (int i = 0; i < 1000; i++) {
                assertThat(names.add(generator.next())).isTrue();
            }
        }
    }

    @Test
    void rejectsOutOfRangeValues() {
        assertThatThrownBy(() -> new SnowflakeNameGenerator(1024))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SnowflakeNameGenerator(1, () -> 0L).next())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SnowflakeId.parse("xyz"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SnowflakeId.parse("ffffffffffffffff"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
