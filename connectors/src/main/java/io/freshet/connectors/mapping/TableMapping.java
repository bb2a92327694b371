package io.freshet.connectors.mapping;

import java.io.Serializable;
import java.util.Objects;

/**
 * Which columns of a captured table hold a document's parts.
 *
 * @param idColumn primary key column (text or integer)
 * @param titleColumn title column (text, may be null in a row)
 * @param bodyColumn body column (text)
 * @param aclColumn ACL column (text[] of {@code user:<name>} / {@code group:<name>})
 * @param tenantColumn tenant column (text)
 * @param updatedAtColumn update-time column (timestamptz or epoch milliseconds); empty when the table has none
 * @param maxBodyChars bodies longer than this are rejected as malformed
 */
public record TableMapping(
        String idColumn,
        String titleColumn,
        String bodyColumn,
        String aclColumn,
        String tenantColumn,
        String updatedAtColumn,
        int maxBodyChars) implements Serializable {

    /** Default limit on a body's length, in characters. */
    public static final int DEFAULT_MAX_BODY_CHARS = 1_000_000;

    public TableMapping {
        requireColumn("id", idColumn);
        requireColumn("title", titleColumn);
        requireColumn("body", bodyColumn);
        requireColumn("acl", aclColumn);
        requireColumn("tenant", tenantColumn);
        updatedAtColumn = Objects.requireNonNullElse(updatedAtColumn, "");
        if (maxBodyChars <= 0) {
            throw new IllegalArgumentException("source.max-body-chars must be > 0; got " + maxBodyChars);
        }
    }

    /** The mapping of Freshet's own {@code documents} table: id, title, body, acl, tenant, updated_at. */
    public static TableMapping documentsTable() {
        return new TableMapping("id", "title", "body", "acl", "tenant", "updated_at", DEFAULT_MAX_BODY_CHARS);
    }

    private static void requireColumn(String part, String column) {
        if (column == null || column.isBlank()) {
            throw new IllegalArgumentException("source.columns." + part + " must name a column; got '" + column + "'");
        }
    }
}
