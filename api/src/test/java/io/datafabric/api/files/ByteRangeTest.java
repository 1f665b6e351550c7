package io.datafabric.api.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
    static ByteRange.Parsed p(String header) {
        return ByteRange.parse(header, 100);
    }

    @Test
    void satisfiableRanges() {
        assertThat(p("bytes=0-9")).isEqualTo(new ByteRange.Partial(new ByteRange(0, 9)));
        assertThat(p("bytes=90-")).isEqualTo(new ByteRange.Partial(new ByteRange(90, 99)));
        assertThat(p("bytes=90-500")).isEqualTo(new ByteRange.Partial(new ByteRange(90, 99)));
        assertThat(p("bytes=-10")).isEqualTo(new ByteRange.Partial(new ByteRange(90, 99)));
        assertThat(p("bytes=-500")).isEqualTo(new ByteRange.Partial(new ByteRange(0, 99)));
        assertThat(p("BYTES= 5-5 ")).isEqualTo(new ByteRange.Partial(new ByteRange(5, 5)));
    }

    @Test
    void unsatisfiableRanges() {
        assertThat(p("bytes=100-")).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(p("bytes=-0")).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(ByteRange.parse("bytes=0-0", 0)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }

    @Test
    void whatIsNotHonouredServesTheWholeBody() {
        for (String h :
                new String[] {
                    null,
                    "items=0-1",
                    "bytes=0-1,3-4",
                    "bytes=a-b",
                    "bytes=5-1",
                    "bytes=-",
                    "bytes=1-x",
                    "bytes=99999999999999999999-"
                }) {
            assertThat(p(h)).as(h).isInstanceOf(ByteRange.Whole.class);
        }
    }
}
