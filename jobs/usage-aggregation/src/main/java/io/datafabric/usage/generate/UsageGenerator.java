package io.datafabric.usage.generate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes usage files the safe way (a {@code .tmp} name, then an atomic rename) and knows the exact
 * totals they hold, which it writes to {@code _expected_totals.csv} in the same directory (the
 * leading {@code _} keeps the job from reading it).
 */
public final class UsageGenerator {
    /** Name of the file with the exact totals of the generated files. */
    public static final String EXPECTED_TOTALS = "_expected_totals.csv";

    /** Line written every {@code badLineEvery} lines when asked for rejects. */
    public static final String BAD_LINE = "not-a-number 12";

    /**
     * What to generate.
     *
     * @param consumers ids are drawn uniformly from {@code [0, consumers)}
     * @param badLineEvery write {@link #BAD_LINE} after every so many lines; 0 for none
     * @param maxAmount amounts are drawn from {@code [0, maxAmount)}
     */
    public record Options(
            Path dir,
            int files,
            long bytesPerFile,
            int consumers,
            long seed,
            long badLineEvery,
            long maxAmount,
            String namePrefix) {
        public Options {
            if (files < 0 || bytesPerFile < 0 || consumers < 1 || maxAmount < 1) {
                throw new IllegalArgumentException("invalid generator options");
            }
        }
    }

    /** Receives each file once it has its final name. */
    @FunctionalInterface
    public interface Announcer {
        void announce(Path file, long size) throws IOException;
    }

    /** What was generated. */
    public record Result(List<Path> files, long bytes, long lines, long badLines) {}

    private final long[] totals;
    private final BitSet seen;

    public UsageGenerator(int consumers) {
        this.totals = new long[consumers];
        this.seen = new BitSet(consumers);
    }

    /** Generates the files, announcing each after its rename; then writes the expected totals. */
    public Result generate(Options o, Announcer announcer) throws IOException {
        Files.createDirectories(o.dir());
        List<Path> written = new ArrayList<>();
        long bytes = 0;
        long lines = 0;
        long bad = 0;
        for (int f = 0; f < o.files(); f++) {
            String name = String.format("%s-%05d.txt", o.namePrefix(), f);
            Path target = o.dir().resolve(name);
            Path temp = o.dir().resolve(name + ".tmp");
            long[] counts = writeFile(temp, o, new SplittableRandom(o.seed() * 1_000_003L + f));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            lines += counts[0];
            bad += counts[1];
            long size = Files.size(target);
            bytes += size;
            written.add(target);
            if (announcer != null) {
                announcer.announce(target, size);
            }
        }
        writeExpected(o.dir().resolve(EXPECTED_TOTALS));
        return new Result(written, bytes, lines, bad);
    }

    /** Exact totals so far, by consumer id; -1 for ids never written. */
    public long totalOf(int consumer) {
        return seen.get(consumer) ? totals[consumer] : -1;
    }

    private long[] writeFile(Path file, Options o, SplittableRandom random) throws IOException {
        byte[] buf = new byte[1 << 16];
        int n = 0;
        long written = 0;
        long lines = 0;
        long bad = 0;
        byte[] badLine = (BAD_LINE + "\n").getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            while (written < o.bytesPerFile()) {
                if (n > buf.length - 64) {
                    out.write(buf, 0, n);
                    n = 0;
                }
                int before = n;
                if (o.badLineEvery() > 0 && lines > 0 && lines % o.badLineEvery() == 0) {
                    System.arraycopy(badLine, 0, buf, n, badLine.length);
                    n += badLine.length;
                    bad++;
                    lines++;
                } else {
                    int consumer = random.nextInt(o.consumers());
                    long amount = random.nextLong(o.maxAmount());
                    totals[consumer] += amount;
                    seen.set(consumer);
                    n = writeDigits(buf, n, consumer);
                    buf[n++] = ' ';
                    n = writeDigits(buf, n, amount);
                    buf[n++] = '\n';
                    lines++;
                }
                written += n - before;
            }
            out.write(buf, 0, n);
        }
        return new long[] {lines, bad};
    }

    private void writeExpected(Path file) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 20)) {
            out.write("consumer_id,total\n".getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[64];
            for (int c = seen.nextSetBit(0); c >= 0; c = seen.nextSetBit(c + 1)) {
                int n = writeDigits(buf, 0, c);
                buf[n++] = ',';
                n = writeDigits(buf, n, totals[c]);
                buf[n++] = '\n';
                out.write(buf, 0, n);
            }
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static int writeDigits(byte[] buf, int at, long value) {
        if (value == 0) {
            buf[at] = '0';
            return at + 1;
        }
        int digits = 0;
        for (long v = value; v > 0; v /= 10) {
            digits++;
        }
        int end = at + digits;
        for (int i = end - 1; i >= at; i--) {
            buf[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return end;
    }
}
