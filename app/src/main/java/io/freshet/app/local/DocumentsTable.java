package io.freshet.app.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The local profile's {@code documents} table and the sample corpus Freshet ships to fill it.
 *
 * <pre>
 * documents(id text primary key, title text, body text, acl text[], tenant text, updated_at timestamptz)
 * </pre>
 */
public final class DocumentsTable {

    /** Classpath resource of the shipped sample corpus (JSON lines). */
    public static final String SAMPLE_CORPUS = "sample/documents.jsonl";
    /** Qualified name, as Debezium's table.include.list wants it. */
    public static final String QUALIFIED_NAME = "public.documents";
    private static final int BATCH = 100;

    private DocumentsTable() {}

    /** Starts a local PostgreSQL with {@code database} holding an empty documents table. */
    public static LocalPostgres startDatabase(Path logDir, String database) throws IOException, SQLException {
        LocalPostgres pg = LocalPostgres.start(logDir, 0);
        try {
            pg.createDatabase(database);
            try (Connection c = pg.connect(database)) {
                create(c);
            }
            return pg;
        } catch (SQLException | RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    /** Creates the table unless it exists. */
    public static void create(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("""
                    CREATE TABLE IF NOT EXISTS documents (
                      id         text PRIMARY KEY,
                      title      text NOT NULL DEFAULT '',
                      body       text NOT NULL DEFAULT '',
                      acl        text[] NOT NULL DEFAULT '{}',
                      tenant     text NOT NULL,
                      updated_at timestamptz NOT NULL DEFAULT now()
                    )""");
            // Full before images: an update that leaves a large (TOASTed) body unchanged still carries it.
            st.execute("ALTER TABLE documents REPLICA IDENTITY FULL");
        }
    }

    /** Number of rows. */
    public static long count(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM documents")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Loads the shipped sample corpus; returns the number of rows inserted. */
    public static int loadSampleCorpus(Connection c) throws IOException, SQLException {
        try (InputStream in = DocumentsTable.class.getClassLoader().getResourceAsStream(SAMPLE_CORPUS)) {
            if (in == null) {
                throw new IOException("Sample corpus " + SAMPLE_CORPUS + " is missing from the classpath");
            }
            return load(c, in);
        }
    }

    /** Inserts JSON-lines documents ({@code id, title, body, acl, tenant, updated_at}); returns the count. */
    public static int load(Connection c, InputStream jsonLines) throws IOException, SQLException {
        ObjectMapper json = new ObjectMapper();
        int n = 0;
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(jsonLines, StandardCharsets.UTF_8));
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO documents (id, title, body, acl, tenant, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode d = json.readTree(line);
                List<String> acl = new ArrayList<>();
                d.path("acl").forEach(e -> acl.add(e.asText()));
                if (!d.hasNonNull("id") || !d.hasNonNull("tenant")) {
                    throw new IOException("Sample corpus line " + lineNo + " lacks id or tenant");
                }
                insert.setString(1, d.get("id").asText());
                insert.setString(2, d.path("title").asText(""));
                insert.setString(3, d.path("body").asText(""));
                insert.setArray(4, c.createArrayOf("text", acl.toArray()));
                insert.setString(5, d.get("tenant").asText());
                insert.setTimestamp(6, Timestamp.from(d.hasNonNull("updated_at")
                        ? Instant.parse(d.get("updated_at").asText()) : Instant.now()));
                insert.addBatch();
                if (++n % BATCH == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
            c.commit();
        } catch (IOException | SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return n;
    }
}
