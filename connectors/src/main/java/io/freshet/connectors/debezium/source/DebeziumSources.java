package io.freshet.connectors.debezium.source;

import java.util.Objects;
import java.util.Properties;

/** Ready-made Debezium configurations. */
public final class DebeziumSources {

    /** Debezium's PostgreSQL connector class. */
    public static final String POSTGRES_CONNECTOR = "io.debezium.connector.postgresql.PostgresConnector";
    /** Default replication slot name. */
    public static final String DEFAULT_SLOT = "freshet";
    /** Default heartbeat interval: keeps the slot advancing when the captured tables are idle. */
    public static final int DEFAULT_HEARTBEAT_MS = 10_000;

    private DebeziumSources() {}

    /**
     * Properties for Debezium's PostgreSQL connector with the {@code pgoutput} plugin: initial snapshot,
     * then streaming; no tombstones; a filtered publication created for the captured tables. Callers may
     * override any key before building the source.
     *
     * @param host database host
     * @param port database port
     * @param database database name
     * @param user a user with the REPLICATION attribute (and owner of the tables, to create the publication)
     * @param password the user's password
     * @param tables Debezium {@code table.include.list}, e.g. {@code public.documents}
     */
    public static Properties postgres(String host, int port, String database, String user, String password, String tables) {
        Properties p = new Properties();
        p.setProperty("name", "freshet");
        p.setProperty("connector.class", POSTGRES_CONNECTOR);
        p.setProperty("topic.prefix", "freshet");
        p.setProperty("database.hostname", Objects.requireNonNull(host, "host"));
        p.setProperty("database.port", Integer.toString(port));
        p.setProperty("database.dbname", Objects.requireNonNull(database, "database"));
        p.setProperty("database.user", Objects.requireNonNull(user, "user"));
        p.setProperty("database.password", password == null ? "" : password);
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", DEFAULT_SLOT);
        p.setProperty("publication.name", "freshet_publication");
        p.setProperty("publication.autocreate.mode", "filtered");
        p.setProperty("table.include.list", Objects.requireNonNull(tables, "tables"));
        p.setProperty("snapshot.mode", "initial");
        p.setProperty("tombstones.on.delete", "false");
        p.setProperty("heartbeat.interval.ms", Integer.toString(DEFAULT_HEARTBEAT_MS));
        p.setProperty("poll.interval.ms", "100");
        // After a lost connection (walsender killed, database restarted) reconnect quickly.
        p.setProperty("retriable.restart.connector.wait.ms", "2000");
        p.setProperty("decimal.handling.mode", "string");
        return p;
    }

    /**
     * Makes every heartbeat also write a row to {@code heartbeatTable} (which must exist, with columns
     * {@code id int primary key, ts timestamptz}) and captures that table. With pgoutput, a database whose
     * captured tables are idle sends no changes, so without this the slot's confirmed position would not move
     * while other tables fill the WAL. The heartbeat rows are changes of an unmapped table: ignored and
     * counted.
     */
    public static Properties withHeartbeatTable(Properties postgres, String heartbeatTable) {
        Properties p = new Properties();
        p.putAll(postgres);
        p.setProperty("table.include.list", p.getProperty("table.include.list") + "," + heartbeatTable);
        p.setProperty("heartbeat.action.query", "INSERT INTO " + heartbeatTable
                + " (id, ts) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET ts = EXCLUDED.ts");
        return p;
    }
}
