package io.datafabric.des.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.datafabric.des.DesEntry;
import io.datafabric.des.DesReader;
import io.datafabric.des.FileStat;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed vectors (SPEC.md, "Test vectors") read as documented and are what we write. */
class TestVectorsTest {
    @TempDir Path temp;

    private static Path vectors() throws URISyntaxException {
        return Path.of(TestVectorsTest.class.getResource("/vectors/v1-small.des").toURI())
                .getParent();
    }

    @Test
    void committedVectorReadsAsItsListingAndBodies() throws Exception {
        Path dir = vectors();
        List<String[]> expected = new ArrayList<>();
        for (String line :
                Files.readAllLines(dir.resolve("v1-small.listing.tsv"), StandardCharsets.UTF_8)) {
            if (!line.startsWith("#")) {
                expected.add(line.split("\t", -1));
            }
        }
        assertThat(expected).hasSize(4);
        expected.sort(
                (a, b) ->
                        EntryNames.compare(
                                a[0].getBytes(StandardCharsets.UTF_8),
                                b[0].getBytes(StandardCharsets.UTF_8)));

        try (DesReader reader = DesReader.open(dir.resolve("v1-small.des"))) {
            List<DesEntry> listing = reader.list();
            assertThat(listing).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                String[] row = expected.get(i);
                DesEntry entry = listing.get(i);
                assertThat(entry.name()).isEqualTo(row[0]);
                assertThat(entry.size()).isEqualTo(Long.parseLong(row[1]));
                assertThat(Checksums.hex(entry.crc32c())).isEqualTo(row[2]);
                assertThat(entry.bigFile()).isEqualTo(row[3].equals("1"));

                FileStat stat = reader.stat(row[0]).orElseThrow();
                assertThat(stat.contentType()).isEqualTo(row[4]);
                Map<String, String> attributes = new LinkedHashMap<>();
                if (!row[5].isEmpty()) {
                    for (String pair : row[5].split(";")) {
                        String[] kv = pair.split("=", 2);
                        attributes.put(kv[0], kv[1]);
                    }
                }
                assertThat(stat.attributes()).isEqualTo(attributes);

                byte[] body = Files.readAllBytes(dir.resolve("v1-small.bodies").resolve(row[0]));
                assertThat(reader.read(row[0]).orElseThrow()).isEqualTo(body);
            }
            assertThat(reader.verify().entries()).isEqualTo(4);
        }
    }

    @Test
    void writerReproducesTheVectorByteForByte() throws Exception {
        VectorShard.write(temp);
        assertThat(Files.readAllBytes(temp.resolve("v1-small.des")))
                .isEqualTo(Files.readAllBytes(vectors().resolve("v1-small.des")));
        assertThat(Files.readAllBytes(temp.resolve("_bigFiles/big.bin")))
                .isEqualTo(Files.readAllBytes(vectors().resolve("_bigFiles/big.bin")));
    }

    @Test
    void vectorLayoutMatchesTheSpec() throws Exception {
        byte[] bytes = Files.readAllBytes(vectors().resolve("v1-small.des"));
        assertThat(bytes).hasSize(539);
        Header.check(bytes);
        Footer footer = Footer.decode(bytes, bytes.length, bytes.length);
        // The figures SPEC.md's annotated dump shows.
        assertThat(footer)
                .isEqualTo(new Footer(539, 44, 215, 259, 200, 4, 0xa1296cc2, 0xcbc33624, 0, 0));
    }
}
