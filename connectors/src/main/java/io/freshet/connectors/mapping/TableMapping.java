package io.freshet.connectors.mapping;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Which captured table feeds the index, and which of its columns hold a document's parts.
 *
 * @param table the captured table, qualified as the change events' {@code source} block names it
 *     ({@code schema.table} for PostgreSQL, {@code database.table} for MySQL); changes of other tables are
 *     ignored and counted
 * @param idColumn primary key column (text or integer)
 * @param titleColumn title column (text, may be null in a row)
 * @param bodyColumn body column (text)
 * @param aclColumn ACL column: a text array, or comma-separated text, of {@code user:<name>} /
 *     {@code group:<name>} entries
 * @param tenantColumn tenant column (text)
 * @param updatedAtColumn update-time column (ISO-8601 timestamp or epoch milliseconds); empty when the table
 *     has none
 * @param metadataColumns extra columns kept as document metadata (values as text)
 * @param maxBodyChars bodies longer than this are rejected to the dead-letter output
 */
public record TableMapping(
        String table,
        String idColumn,
        String titleColumn,
        String bodyColumn,
        String aclColumn,
        String tenantColumn,
        String updatedAtColumn,
        List<String> metadataColumns,
        int maxBodyChars) implements Serializable {

    /** Default limit on a body's length, in characters. */
    public static final int DEFAULT_MAX_BODY_CHARS = 1_000_000;

    public TableMapping {
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("source.table must name the captured table; got '" + table + "'");
        }
        requireColumn("id", idColumn);
        requireColumn("title", titleColumn);
        requireColumn("body", bodyColumn);
        requireColumn("acl", aclColumn);
        requireColumn("tenant", tenantColumn);
        updatedAtColumn = Objects.requireNonNullElse(updatedAtColumn, "");
        metadataColumns = List.copyOf(Objects.requireNonNullElse(metadataColumns, List.of()));
        for (String c : metadataColumns) {
            requireColumn("metadata", c);
        }
        if (maxBodyChars <= 0) {
            throw new IllegalArgumentException("source.max-body-chars must be > 0; got " + maxBodyChars);
        }
    }

    /** The mapping of Freshet's own {@code public.documents} table: id, title, body, acl, tenant, updated_at. */
    public static TableMapping documentsTable() {
        return new TableMapping("public.documents", "id", "title", "body", "acl", "tenant", "updated_at", List.of(),
                DEFAULT_MAX_BODY_CHARS);
    }

    /** Every column the mapping reads from an upsert's row. */
    List<String> mappedColumns() {
        List<String> cols = new java.util.ArrayList<>(List.of(idColumn, titleColumn, bodyColumn, aclColumn, tenantColumn));
        if (!updatedAtColumn.isEmpty()) {
            cols.add(updatedAtColumn);
        }
        cols.addAll(metadataColumns);
        return cols;
    }

    private static void requireColumn(String part, String column) {
        if (column == null || column.isBlank()) {
            throw new IllegalArgumentException("source.columns." + part + " must name a column; got '" + column + "'");
        }
    }
}
