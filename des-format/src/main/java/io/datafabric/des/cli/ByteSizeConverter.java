package io.datafabric.des.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses sizes such as {@code 1048576}, {@code 64k}, {@code 16m}, {@code 1g} (binary units). */
final class ByteSizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (text.endsWith("b")) {
            text = text.substring(0, text.length() - 1);
        }
        if (!text.isEmpty()) {
            switch (text.charAt(text.length() - 1)) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                default -> unit = 1;
            }
            if (unit > 1) {
                text = text.substring(0, text.length() - 1);
            }
        }
        try {
            long number = Long.parseLong(text);
            if (number < 0) {
                throw new TypeConversionException("size must not be negative: " + value);
            }
            return Math.multiplyExact(number, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("not a size (e.g. 1048576, 64k, 16m): " + value);
        }
    }
}
