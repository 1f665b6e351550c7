package io.datafabric.des.cli;

import io.datafabric.common.config.ByteSizes;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a size option with the suite's one byte-size syntax (common's {@link ByteSizes}: {@code
 * 1048576}, {@code 64k}, {@code 16mb}, {@code 1g}, binary units).
 */
final class ByteSizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        try {
            return ByteSizes.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
