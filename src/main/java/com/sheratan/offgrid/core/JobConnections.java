package com.sheratan.offgrid.core;

import java.sql.Connection;
import java.sql.SQLException;

/** Where the job store's reads get a connection: the embedded H2 pool or the PostgreSQL pool. */
interface JobConnections {
    /** A connection of the pool; closing it gives it back. */
    Connection connection() throws SQLException;
}
