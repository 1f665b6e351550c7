package io.datafabric.replication.bench;

import java.math.BigDecimal;
import java.sql.Timestamp;

/** A row of the benchmark table, as the naive Flink JDBC pipeline carries it (a Flink POJO). */
public class OrderRow {
    public Long id;
    public Long customerId;
    public BigDecimal amount;
    public String status;
    public String note;
    public Timestamp updatedAt;

    public OrderRow() {}
}
