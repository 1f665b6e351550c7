package io.datafabric.usage.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageLineParserTest {
    private final UsageLineParser parser = new UsageLineParser();

    private int parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
        return parser.parse(b, 0, b.length);
    }

    private void assertOk(String line, long consumer, long amount) {
        assertThat(parse(line)).as("'%s'", line).isEqualTo(UsageLineParser.OK);
        assertThat(parser.consumer()).isEqualTo(consumer);
        assertThat(parser.amount()).isEqualTo(amount);
    }

    private void assertReject(String line, RejectReason reason) {
        int code = parse(line);
        assertThat(UsageLineParser.isReject(code)).as("'%s' rejected", line).isTrue();
        assertThat(UsageLineParser.reasonOf(code)).as("'%s'", line).isEqualTo(reason);
    }

    @Test
    void readsTwoFieldsSeparatedByOneSpace() {
        assertOk("123 12345", 123, 12345);
    }

    @Test
    void acceptsSeveralSpacesAndTabsBetweenFields() {
        assertOk("1  \t \t2", 1, 2);
        assertOk("7\t8", 7, 8);
    }

    @Test
    void ignoresLeadingAndTrailingBlanksAndOneTrailingCarriageReturn() {
        assertOk("  \t5 6 \t ", 5, 6);
        assertOk("5 6\r", 5, 6);
        assertOk(" 5 6 \r", 5, 6);
    }

    @Test
    void acceptsLeadingZerosAndTheLimitsOfALong() {
        assertOk("000 0007", 0, 7);
        assertOk("9223372036854775807 9223372036854775807", Long.MAX_VALUE, Long.MAX_VALUE);
        assertOk("0009223372036854775807 0", Long.MAX_VALUE, 0);
    }

    @Test
    void emptyAndBlankLinesAreIgnored() {
        assertThat(parse("")).isEqualTo(UsageLineParser.EMPTY);
        assertThat(parse("\r")).isEqualTo(UsageLineParser.EMPTY);
        assertThat(parse(" \t ")).isEqualTo(UsageLineParser.EMPTY);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "123|MISSING_FIELD",
                "123   |MISSING_FIELD",
                "1 2 3|EXTRA_FIELD",
                "1 2\t3|EXTRA_FIELD",
                "-1 2|SIGN",
                "+1 2|SIGN",
                "1 -2|SIGN",
                "1 +2|SIGN",
                "a 2|NON_DIGIT",
                "1 b|NON_DIGIT",
                "1x 2|NON_DIGIT",
                "1 2x|NON_DIGIT",
                "1,2|NON_DIGIT",
                "1 2.5|NON_DIGIT",
                "9223372036854775808 1|NUMBER_OVERFLOW",
                "1 9223372036854775808|NUMBER_OVERFLOW",
                "1 99999999999999999999|NUMBER_OVERFLOW",
            })
    void rejectsEverythingElseWithAReason(String line, RejectReason reason) {
        assertReject(line, reason);
    }

    @Test
    void onlyOneTrailingCarriageReturnIsIgnored() {
        assertReject("1 2\r\r", RejectReason.NON_DIGIT);
        assertReject("1\r 2", RejectReason.NON_DIGIT);
    }

    @Test
    void nonAsciiBytesAreNotDigits() {
        byte[] b = {'1', ' ', (byte) 0xC3, (byte) 0xA9};
        assertThat(UsageLineParser.reasonOf(parser.parse(b, 0, b.length)))
                .isEqualTo(RejectReason.NON_DIGIT);
    }

    @Test
    void parsesOnlyTheGivenRangeOfTheBuffer() {
        byte[] b = "xx12 34yy".getBytes(StandardCharsets.US_ASCII);
        assertThat(parser.parse(b, 2, 7)).isEqualTo(UsageLineParser.OK);
        assertThat(parser.consumer()).isEqualTo(12);
        assertThat(parser.amount()).isEqualTo(34);
    }
}
