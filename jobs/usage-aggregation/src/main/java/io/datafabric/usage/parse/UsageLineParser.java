package io.datafabric.usage.parse;

/**
 * Parses one line {@code <consumer_id> <amount>} straight from bytes, without creating objects.
 *
 * <p>Grammar: both fields are non-negative decimal integers that fit a signed 64-bit long (leading
 * zeros allowed), separated by one or more spaces or tabs. Leading and trailing spaces and tabs and
 * one trailing {@code \r} are ignored; a line that is empty after that is {@link #EMPTY}. Anything
 * else is a reject.
 *
 * <p>Not thread-safe: the parsed values are held in the instance until the next call.
 */
public final class UsageLineParser {
    /** The line holds a valid record; read it with {@link #consumer()} and {@link #amount()}. */
    public static final int OK = 0;

    /** The line is empty or blank; it is ignored. */
    public static final int EMPTY = 1;

    private static final int FIRST_REJECT = 2;
    private static final RejectReason[] REASONS = RejectReason.values();
    private static final long LIMIT = Long.MAX_VALUE / 10;
    private static final int LAST_DIGIT_LIMIT = (int) (Long.MAX_VALUE % 10);

    private long consumer;
    private long amount;

    /**
     * Parses {@code bytes[from, to)}, the line without its {@code \n}.
     *
     * @return {@link #OK}, {@link #EMPTY} or a reject code for {@link #reasonOf(int)}
     */
    public int parse(byte[] bytes, int from, int to) {
        int end = to;
        if (end > from && bytes[end - 1] == '\r') {
            end--;
        }
        while (end > from && isBlank(bytes[end - 1])) {
            end--;
        }
        int i = from;
        while (i < end && isBlank(bytes[i])) {
            i++;
        }
        if (i == end) {
            return EMPTY;
        }

        // first field; the loop is written out (not a method returning two values) for speed
        byte c = bytes[i];
        if (c == '+' || c == '-') {
            return reject(RejectReason.SIGN);
        }
        int start = i;
        long v = 0;
        while (i < end) {
            int d = bytes[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            if (v >= LIMIT && (v > LIMIT || d > LAST_DIGIT_LIMIT)) {
                return reject(RejectReason.NUMBER_OVERFLOW);
            }
            v = v * 10 + d;
            i++;
        }
        if (i == start) {
            return reject(RejectReason.NON_DIGIT);
        }
        if (i == end) {
            return reject(RejectReason.MISSING_FIELD);
        }
        if (!isBlank(bytes[i])) {
            return reject(RejectReason.NON_DIGIT);
        }
        long first = v;
        while (isBlank(bytes[i])) {
            i++; // the line does not end in a blank, so this stops before end
        }

        c = bytes[i];
        if (c == '+' || c == '-') {
            return reject(RejectReason.SIGN);
        }
        start = i;
        v = 0;
        while (i < end) {
            int d = bytes[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            if (v >= LIMIT && (v > LIMIT || d > LAST_DIGIT_LIMIT)) {
                return reject(RejectReason.NUMBER_OVERFLOW);
            }
            v = v * 10 + d;
            i++;
        }
        if (i == start) {
            return reject(RejectReason.NON_DIGIT);
        }
        if (i < end) {
            return reject(isBlank(bytes[i]) ? RejectReason.EXTRA_FIELD : RejectReason.NON_DIGIT);
        }
        consumer = first;
        amount = v;
        return OK;
    }

    /** The consumer id of the last line parsed {@link #OK}. */
    public long consumer() {
        return consumer;
    }

    /** The amount of the last line parsed {@link #OK}. */
    public long amount() {
        return amount;
    }

    /** The reason of a reject code returned by {@link #parse}. */
    public static RejectReason reasonOf(int code) {
        if (code < FIRST_REJECT) {
            throw new IllegalArgumentException("not a reject code: " + code);
        }
        return REASONS[code - FIRST_REJECT];
    }

    /** True for a code that is neither {@link #OK} nor {@link #EMPTY}. */
    public static boolean isReject(int code) {
        return code >= FIRST_REJECT;
    }

    private static int reject(RejectReason reason) {
        return FIRST_REJECT + reason.ordinal();
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }
}
