package io.datafabric.drms.control;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the control plane gets its connections: a pool's {@code getConnection} (the api, the job's
 * executor) or a plain {@code DriverManager} connection per call (the CLI).
 */
@FunctionalInterface
public interface ConnectionSource {
    /** A new or pooled connection in auto-commit mode; the caller closes it. */
    Connection open() throws SQLException;
}
