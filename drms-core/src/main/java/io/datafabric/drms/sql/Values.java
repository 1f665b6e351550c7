package io.datafabric.drms.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

/**
 * Conversions of column values between the Java classes JDBC drivers return, a portable canonical
 * text form, and ordering. Each {@link ColumnType.Kind} has one Java class:
 *
 * <table>
 * <caption>Java class per kind</caption>
 * <tr><th>kind</th><th>class</th></tr>
 * <tr><td>BIGINT</td><td>Long</td></tr>
 * <tr><td>INTEGER, SMALLINT</td><td>Integer</td></tr>
 * <tr><td>DECIMAL</td><td>BigDecimal</td></tr>
 * <tr><td>DOUBLE / REAL</td><td>Double / Float</td></tr>
 * <tr><td>BOOLEAN</td><td>Boolean</td></tr>
 * <tr><td>CHAR, VARCHAR, TEXT, JSON, OTHER</td><td>String</td></tr>
 * <tr><td>UUID</td><td>java.util.UUID</td></tr>
 * <tr><td>DATE, TIME</td><td>LocalDate, LocalTime</td></tr>
 * <tr><td>TIMESTAMP</td><td>LocalDateTime (UTC wall clock)</td></tr>
 * <tr><td>TIMESTAMPTZ</td><td>OffsetDateTime in UTC</td></tr>
 * <tr><td>BYTES</td><td>byte[]</td></tr>
 * </table>
 */
public final class Values {
    private static final DateTimeFormatter DATE_TIME_INPUT =
            new DateTimeFormatterBuilder()
                    .append(DateTimeFormatter.ISO_LOCAL_DATE)
                    .appendLiteral('T')
                    .appendPattern("HH:mm")
                    .optionalStart()
                    .appendPattern(":ss")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
                    .optionalEnd()
                    .optionalEnd()
                    .optionalStart()
                    .appendOffset("+HH:mm", "Z")
                    .optionalEnd()
                    .toFormatter(Locale.ROOT);
    private static final DateTimeFormatter CANONICAL_TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT);
    private static final DateTimeFormatter CANONICAL_TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS", Locale.ROOT);
    private static final ObjectMapper JSON =
            JsonMapper.builder()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .build();

    private Values() {}

    /**
     * Converts {@code value} to the Java class of {@code type} (see the class comment). Strings are
     * parsed (ISO dates and timestamps, numbers, booleans), numbers are converted exactly. Throws
     * {@link IllegalArgumentException} with the value and the type when that is not possible.
     */
    public static Object coerce(Object value, ColumnType type) {
        if (value == null) {
            return null;
        }
        try {
            return switch (type.kind()) {
                case BIGINT -> toLong(value);
                case INTEGER, SMALLINT -> Math.toIntExact(toLong(value));
                case DECIMAL -> toBigDecimal(value);
                case DOUBLE -> value instanceof Double d ? d : toDouble(value);
                case REAL -> value instanceof Float f ? f : toFloat(value);
                case BOOLEAN -> toBoolean(value);
                case CHAR, VARCHAR, TEXT, JSON, OTHER -> toText(value);
                case UUID -> value instanceof UUID u ? u : UUID.fromString(toText(value).trim());
                case DATE -> toDate(value);
                case TIME -> toTime(value);
                case TIMESTAMP -> toLocalDateTime(value);
                case TIMESTAMPTZ -> toOffsetDateTime(value);
                case BYTES -> toBytes(value);
            };
        } catch (ArithmeticException | DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    "value '"
                            + describe(value)
                            + "' cannot be used as "
                            + type
                            + ": "
                            + e.getMessage(),
                    e);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("value '")) {
                throw e;
            }
            throw new IllegalArgumentException(
                    "value '"
                            + describe(value)
                            + "' cannot be used as "
                            + type
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private static String describe(Object value) {
        return value instanceof byte[] b ? "<" + b.length + " bytes>" : String.valueOf(value);
    }

    private static long toLong(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return toBigDecimal(v).longValueExact();
    }

    private static BigDecimal toBigDecimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                throw new NumberFormatException("not a finite number");
            }
            return new BigDecimal(v.toString());
        }
        if (v instanceof String s) {
            return new BigDecimal(s.trim());
        }
        throw new IllegalArgumentException("not a number");
    }

    private static Double toDouble(Object v) {
        if (v instanceof String s) {
            String t = s.trim();
            switch (t) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    return Double.parseDouble(t);
            }
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("not a number");
    }

    private static Float toFloat(Object v) {
        if (v instanceof String s) {
            return Float.parseFloat(s.trim());
        }
        if (v instanceof Number n) {
            return n.floatValue();
        }
        throw new IllegalArgumentException("not a number");
    }

    private static Boolean toBoolean(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            long l = toLong(n);
            if (l == 0 || l == 1) {
                return l == 1;
            }
            throw new IllegalArgumentException("only 0 and 1 are booleans");
        }
        if (v instanceof String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true", "t", "1", "yes", "y", "on":
                    return true;
                case "false", "f", "0", "no", "n", "off":
                    return false;
                default:
                    throw new IllegalArgumentException("not a boolean");
            }
        }
        throw new IllegalArgumentException("not a boolean");
    }

    private static String toText(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return canonical(v);
    }

    private static LocalDate toDate(Object v) {
        if (v instanceof LocalDate d) {
            return d;
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (v instanceof LocalDateTime t) {
            return t.toLocalDate();
        }
        if (v instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
        }
        if (v instanceof String s) {
            String t = s.trim();
            return t.length() == 10 ? LocalDate.parse(t) : toLocalDateTime(t).toLocalDate();
        }
        throw new IllegalArgumentException("not a date");
    }

    private static LocalTime toTime(Object v) {
        if (v instanceof LocalTime t) {
            return t;
        }
        if (v instanceof java.sql.Time t) {
            return t.toLocalTime();
        }
        if (v instanceof String s) {
            return LocalTime.parse(s.trim());
        }
        throw new IllegalArgumentException("not a time");
    }

    private static LocalDateTime toLocalDateTime(Object v) {
        if (v instanceof LocalDateTime t) {
            return t;
        }
        if (v instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        if (v instanceof Instant i) {
            return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime();
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        if (v instanceof String s) {
            TemporalAccessor parsed = parseDateTime(s);
            return parsed instanceof OffsetDateTime o
                    ? o.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
                    : (LocalDateTime) parsed;
        }
        throw new IllegalArgumentException("not a timestamp");
    }

    private static OffsetDateTime toOffsetDateTime(Object v) {
        if (v instanceof OffsetDateTime t) {
            return t.getOffset().equals(ZoneOffset.UTC)
                    ? t
                    : t.withOffsetSameInstant(ZoneOffset.UTC);
        }
        if (v instanceof java.time.ZonedDateTime z) {
            return z.toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
        }
        if (v instanceof Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant().atOffset(ZoneOffset.UTC);
        }
        if (v instanceof LocalDateTime t) {
            return t.atOffset(ZoneOffset.UTC);
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay().atOffset(ZoneOffset.UTC);
        }
        if (v instanceof String s) {
            TemporalAccessor parsed = parseDateTime(s);
            return parsed instanceof OffsetDateTime o
                    ? o.withOffsetSameInstant(ZoneOffset.UTC)
                    : ((LocalDateTime) parsed).atOffset(ZoneOffset.UTC);
        }
        throw new IllegalArgumentException("not a timestamp");
    }

    /**
     * Parses ISO-like dates and timestamps: {@code 2024-05-01}, {@code 2024-05-01 10:00:00.5+02}.
     */
    private static TemporalAccessor parseDateTime(String s) {
        String t = s.trim();
        if (t.length() == 10) {
            return LocalDate.parse(t).atStartOfDay();
        }
        if (t.length() > 10 && t.charAt(10) == ' ') {
            t = t.substring(0, 10) + 'T' + t.substring(11);
        }
        return DATE_TIME_INPUT.parseBest(t, OffsetDateTime::from, LocalDateTime::from);
    }

    private static byte[] toBytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof String s) {
            if (s.startsWith("\\x")) {
                return HexFormat.of().parseHex(s.substring(2));
            }
            return s.getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("not bytes");
    }

    /**
     * The canonical text of a value, identical for equal values whichever database or driver
     * produced them: numbers in plain notation without trailing zeros ({@code 100.50} → {@code
     * 100.5}, {@code 3.0} → {@code 3}), booleans {@code true}/{@code false}, timestamps as UTC ISO
     * with microseconds ({@code 2024-05-01T10:00:00.000000Z}; a TIMESTAMP without zone is read as
     * UTC), dates ISO, times {@code HH:mm:ss.SSSSSS}, bytes {@code \x} + lower-case hex, UUIDs
     * lower case, strings as they are. Null is not accepted (callers encode it).
     */
    public static String canonical(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return v.toString();
        }
        if (v instanceof BigDecimal d) {
            return plainWithoutTrailingZeros(d);
        }
        if (v instanceof BigInteger i) {
            return i.toString();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                return Double.toString(d);
            }
            BigDecimal b = new BigDecimal(v.toString());
            return b.signum() == 0 ? "0" : b.stripTrailingZeros().toPlainString();
        }
        if (v instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (v instanceof LocalDateTime t) {
            return formatTimestamp(t);
        }
        if (v instanceof OffsetDateTime t) {
            return formatTimestamp(
                    t.getOffset().equals(ZoneOffset.UTC)
                            ? t.toLocalDateTime()
                            : t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        }
        if (v instanceof LocalDateTime
                || v instanceof OffsetDateTime
                || v instanceof Instant
                || v instanceof java.time.ZonedDateTime
                || v instanceof java.sql.Timestamp) {
            return CANONICAL_TIMESTAMP.format(
                    toLocalDateTime(
                            v instanceof java.time.ZonedDateTime z ? z.toOffsetDateTime() : v));
        }
        if (v instanceof LocalDate d) {
            return d.toString();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof LocalTime t) {
            return CANONICAL_TIME.format(t);
        }
        if (v instanceof java.sql.Time t) {
            return CANONICAL_TIME.format(t.toLocalTime());
        }
        if (v instanceof byte[] b) {
            return "\\x" + HexFormat.of().formatHex(b);
        }
        if (v instanceof UUID u) {
            return u.toString();
        }
        if (v == null) {
            throw new IllegalArgumentException("null has no canonical text");
        }
        return v.toString();
    }

    /** Same text as {@code stripTrailingZeros().toPlainString()}, without the intermediate. */
    private static String plainWithoutTrailingZeros(BigDecimal d) {
        if (d.signum() == 0) {
            return "0";
        }
        if (d.scale() <= 0) {
            return d.toPlainString();
        }
        String s = d.toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }

    /** {@code uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'} written by hand (hot in checksums). */
    private static String formatTimestamp(LocalDateTime t) {
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return CANONICAL_TIMESTAMP.format(t);
        }
        char[] c = new char[27];
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / 1000, 6);
        c[26] = 'Z';
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** Whether {@code v} is already of the Java class {@link #coerce} gives for {@code type}. */
    public static boolean hasClassOf(Object v, ColumnType type) {
        return switch (type.kind()) {
            case BIGINT -> v instanceof Long;
            case INTEGER, SMALLINT -> v instanceof Integer;
            case DECIMAL -> v instanceof BigDecimal;
            case DOUBLE -> v instanceof Double;
            case REAL -> v instanceof Float;
            case BOOLEAN -> v instanceof Boolean;
            case CHAR, VARCHAR, TEXT, JSON, OTHER -> v instanceof String;
            case UUID -> v instanceof UUID;
            case DATE -> v instanceof LocalDate;
            case TIME -> v instanceof LocalTime;
            case TIMESTAMP -> v instanceof LocalDateTime;
            case TIMESTAMPTZ ->
                    v instanceof OffsetDateTime o && o.getOffset().equals(ZoneOffset.UTC);
            case BYTES -> v instanceof byte[];
        };
    }

    /**
     * The canonical text of a value of a column of {@code type}: {@link #canonical(Object)}, except
     * JSON, which is re-serialised compactly with object keys sorted (PostgreSQL's jsonb reorders
     * keys and drops whitespace, MariaDB keeps the text as written), UUID strings in lower case and
     * CHAR(n) without trailing blanks.
     */
    public static String canonical(Object v, ColumnType type) {
        if (type.kind() == ColumnType.Kind.JSON && v instanceof String s) {
            try {
                JsonNode node = JSON.readTree(s);
                return JSON.writeValueAsString(JSON.treeToValue(node, Object.class));
            } catch (JsonProcessingException e) {
                return s;
            }
        }
        if (type.kind() == ColumnType.Kind.UUID && v instanceof String s) {
            return s.toLowerCase(Locale.ROOT);
        }
        if (type.kind() == ColumnType.Kind.CHAR && v instanceof String s) {
            // PostgreSQL returns char(n) padded, MariaDB strips the padding.
            return s.stripTrailing();
        }
        return canonical(v);
    }

    /**
     * Orders two non-null values the way SQL orders them, with strings compared by Unicode code
     * point (a binary collation). Numbers of any class compare by value; timestamps with and
     * without zone compare as instants (without zone = UTC); strings compared with numbers or
     * timestamps are parsed first.
     */
    public static int compare(Object a, Object b) {
        if (a instanceof Number && b instanceof Number) {
            return compareNumbers((Number) a, (Number) b);
        }
        if (a instanceof String s && b instanceof String t) {
            return compareCodePoints(s, t);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        if (isTemporal(a) || isTemporal(b)) {
            return compareTemporal(a, b);
        }
        if (a instanceof Number n && b instanceof String s) {
            return compareNumbers(n, toBigDecimal(s));
        }
        if (a instanceof String s && b instanceof Number n) {
            return compareNumbers(toBigDecimal(s), n);
        }
        if (a instanceof Boolean || b instanceof Boolean) {
            return Boolean.compare(toBoolean(a), toBoolean(b));
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return java.util.Arrays.compareUnsigned(x, y);
        }
        if (a instanceof UUID || b instanceof UUID) {
            return canonical(a)
                    .toLowerCase(Locale.ROOT)
                    .compareTo(canonical(b).toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(
                "cannot compare "
                        + a.getClass().getSimpleName()
                        + " '"
                        + describe(a)
                        + "' with "
                        + b.getClass().getSimpleName()
                        + " '"
                        + describe(b)
                        + "'");
    }

    private static int compareNumbers(Number a, Number b) {
        boolean special =
                (a instanceof Double || a instanceof Float) && !Double.isFinite(a.doubleValue())
                        || (b instanceof Double || b instanceof Float)
                                && !Double.isFinite(b.doubleValue());
        if (special) {
            return Double.compare(a.doubleValue(), b.doubleValue());
        }
        return toBigDecimal(a).compareTo(toBigDecimal(b));
    }

    private static boolean isTemporal(Object v) {
        return v instanceof LocalDate
                || v instanceof LocalDateTime
                || v instanceof OffsetDateTime
                || v instanceof Instant
                || v instanceof LocalTime
                || v instanceof java.util.Date;
    }

    private static int compareTemporal(Object a, Object b) {
        if (a instanceof LocalTime || b instanceof LocalTime) {
            return toTime(a).compareTo(toTime(b));
        }
        if (a instanceof LocalDate x && b instanceof LocalDate y) {
            return x.compareTo(y);
        }
        return toLocalDateTime(a).compareTo(toLocalDateTime(b));
    }

    /** Compares strings by Unicode code point, as a binary UTF-8 collation does. */
    public static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** SQL equality of two non-null values ({@link #compare} = 0). */
    public static boolean equal(Object a, Object b) {
        return compare(a, b) == 0;
    }

    /**
     * {@code value} moved back by a look-back window: timestamps by {@code time}, dates by whole
     * days (rounded up), numbers by {@code sequence}. Other values are returned unchanged.
     */
    public static Object minus(Object value, Duration time, long sequence) {
        if (value instanceof LocalDateTime t) {
            return t.minus(time);
        }
        if (value instanceof OffsetDateTime t) {
            return t.minus(time);
        }
        if (value instanceof LocalDate d) {
            long days = (time.toSeconds() + 86_399) / 86_400;
            return d.minusDays(days);
        }
        if (value instanceof Long l) {
            return l - sequence;
        }
        if (value instanceof Integer i) {
            return (int) Math.max(Integer.MIN_VALUE, (long) i - sequence);
        }
        if (value instanceof BigDecimal d) {
            return d.subtract(BigDecimal.valueOf(sequence));
        }
        return value;
    }
}
