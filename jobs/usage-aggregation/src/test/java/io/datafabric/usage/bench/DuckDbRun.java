package io.datafabric.usage.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Peer: DuckDB through JDBC, read_csv + GROUP BY with the same thread count, result to a file. */
public final class DuckDbRun {
    private DuckDbRun() {}

    /** Args: input dir, threads, output file. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String files;
        try (Stream<Path> list = Files.list(dir)) {
            files =
                    list.filter(p -> p.getFileName().toString().endsWith(".txt"))
                            .sorted()
                            .map(p -> "'" + p + "'")
                            .collect(Collectors.joining(", ", "[", "]"));
        }
        Path out = Path.of(args[2]);
        Files.deleteIfExists(out);
        try (Measured m = new Measured();
                Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement()) {
            st.execute("SET threads=" + Integer.parseInt(args[1]));
            st.execute(
                    "COPY (SELECT column0, sum(column1) FROM read_csv("
                            + files
                            + ", delim=' ', header=false,"
                            + " columns={'column0':'BIGINT','column1':'BIGINT'}) GROUP BY 1)"
                            + " TO '"
                            + out
                            + "' (HEADER false, DELIMITER ',')");
            try (ResultSet rs =
                    st.executeQuery(
                            "SELECT count(*), sum(column1) FROM read_csv('"
                                    + out
                                    + "', header=false,"
                                    + " columns={'column0':'BIGINT','column1':'HUGEINT'})")) {
                rs.next();
                m.report(rs.getLong(1), rs.getString(2));
            }
        }
    }
}
