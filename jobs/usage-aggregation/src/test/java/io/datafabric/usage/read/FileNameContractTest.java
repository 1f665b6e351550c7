package io.datafabric.usage.read;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileNameContractTest {
    @ParameterizedTest
    @CsvSource({
        "usage-1.txt,true",
        "usage,true",
        "a.tmp.txt,true",
        ".usage-1.txt,false",
        "_expected_totals.csv,false",
        "usage-1.txt.tmp,false",
        "usage-1.TMP,false",
        "usage-1.part,false",
        "usage-1.inprogress,false",
    })
    void onlyFinalNamesAreRead(String name, boolean complete) {
        assertThat(FileNameContract.isComplete(name)).isEqualTo(complete);
    }
}
