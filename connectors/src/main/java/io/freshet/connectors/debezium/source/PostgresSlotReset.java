package io.freshet.connectors.debezium.source;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the replication slot before a fresh snapshot, so Debezium creates it again and snapshots from the
 * slot's exported snapshot: rows and stream then meet exactly. (A snapshot over an existing slot is taken at
 * another instant than the slot's position, which loses or repeats the changes in between.) A walsender
 * still holding the slot, left by a killed process, is terminated first.
 */
public final class PostgresSlotReset implements FreshStartHook {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSlotReset.class);
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public void beforeFreshStart(Properties p) throws SQLException, InterruptedException {
        String slot = p.getProperty("slot.name", DebeziumSources.DEFAULT_SLOT);
        String url = "jdbc:postgresql://" + p.getProperty("database.hostname") + ":" + p.getProperty("database.port", "5432")
                + "/" + p.getProperty("database.dbname");
        try (Connection c = DriverManager.getConnection(url, p.getProperty("database.user"),
                p.getProperty("database.password", ""))) {
            long deadline = System.nanoTime() + RELEASE_TIMEOUT.toNanos();
            while (true) {
                Integer activePid = null;
                boolean exists = false;
                try (PreparedStatement st = c.prepareStatement(
                        "SELECT active_pid FROM pg_replication_slots WHERE slot_name = ?")) {
                    st.setString(1, slot);
                    try (ResultSet rs = st.executeQuery()) {
                        if (rs.next()) {
                            exists = true;
                            activePid = (Integer) rs.getObject(1);
                        }
                    }
                }
                if (!exists) {
                    return;
                }
                if (activePid == null) {
                    try (PreparedStatement st = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                        st.setString(1, slot);
                        st.execute();
                    }
                    LOG.info("Dropped replication slot {} before a fresh snapshot", slot);
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new SQLException("replication slot " + slot + " is still held by pid " + activePid);
                }
                try (PreparedStatement st = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
                    st.setInt(1, activePid);
                    st.execute();
                }
                Thread.sleep(200); // waiting for the terminated walsender to release the slot
            }
        }
    }
}
