package io.datafabric.drms.graph;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A comparison operator of a slice filter, spelled in the graph file as {@link #symbol()}. */
public enum Operator {
    EQ("=", Arity.ONE),
    NE("!=", Arity.ONE),
    LT("<", Arity.ONE),
    LE("<=", Arity.ONE),
    GT(">", Arity.ONE),
    GE(">=", Arity.ONE),
    IN("in", Arity.LIST),
    NOT_IN("not in", Arity.LIST),
    IS_NULL("is null", Arity.NONE),
    IS_NOT_NULL("is not null", Arity.NONE),
    BETWEEN("between", Arity.TWO),
    LIKE("like", Arity.ONE);

    /** How many values an operator takes: {@code value}, {@code values}, or none. */
    public enum Arity {
        NONE,
        ONE,
        TWO,
        LIST
    }

    private final String symbol;
    private final Arity arity;

    Operator(String symbol, Arity arity) {
        this.symbol = symbol;
        this.arity = arity;
    }

    public String symbol() {
        return symbol;
    }

    public Arity arity() {
        return arity;
    }

    /** Parses an operator as written in the file; case and repeated blanks do not matter. */
    public static Optional<Operator> ofSymbol(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String normalized = text.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (normalized.equals("<>")) {
            return Optional.of(NE);
        }
        return Arrays.stream(values()).filter(o -> o.symbol.equals(normalized)).findFirst();
    }

    /** Every symbol, for error messages. */
    public static String allSymbols() {
        return String.join(", ", Arrays.stream(values()).map(o -> "\"" + o.symbol + "\"").toList());
    }
}
