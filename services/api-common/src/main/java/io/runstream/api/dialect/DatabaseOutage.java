package io.runstream.api.dialect;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database that is away or too slow (no connection within the pool's timeout, a lost connection, a query
 * past its timeout, a server shutting down) from a failure of the request itself, by the JDBC exception under the
 * failure: such a request is answered 503 {@code DATABASE_UNAVAILABLE} to be sent again, not 500.
 */
public final class DatabaseOutage {

    private DatabaseOutage() {
    }

    public static boolean isCauseOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || t instanceof SQLTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql && isOutageState(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE classes 08 (connection exception), 53 (insufficient resources), 57 (operator intervention:
     * statement timeout, shutdown, cannot connect now) and 58 (system error).
     */
    private static boolean isOutageState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                || state.startsWith("58"));
    }
}
