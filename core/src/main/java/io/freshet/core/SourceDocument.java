package io.freshet.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Objects;

/**
 * A document as the system of record holds it, after table mapping.
 *
 * @param id stable document id (the row's primary key)
 * @param title title, may be empty
 * @param body text to chunk and embed, may be empty
 * @param acl who may see the document: entries {@code user:<name>} or {@code group:<name>} allow, and
 *     {@code deny:user:<name>} or {@code deny:group:<name>} deny; a deny wins over any allow
 * @param tenant the tenant that owns the document
 * @param updatedAtMillis the row's own update time, epoch milliseconds (0 when the row has none)
 * @param metadata extra columns the table mapping captures (name to value), for filters and citations
 */
public record SourceDocument(
        String id,
        String title,
        String body,
        List<String> acl,
        String tenant,
        long updatedAtMillis,
        Map<String, String> metadata) {

    /** Prefix of an ACL entry naming a user. */
    public static final String USER_PREFIX = "user:";
    /** Prefix of an ACL entry naming a group. */
    public static final String GROUP_PREFIX = "group:";
    /** Prefix of an ACL entry that denies the user or group it names, whatever else allows them. */
    public static final String DENY_PREFIX = "deny:";

    public SourceDocument {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("document id must not be blank; got '" + id + "'");
        }
        if (tenant == null || tenant.isBlank()) {
            throw new IllegalArgumentException("tenant of document " + id + " must not be blank");
        }
        title = title == null ? "" : title;
        body = body == null ? "" : body;
        acl = List.copyOf(Objects.requireNonNull(acl, "acl"));
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metadata));
        for (String entry : acl) {
            if (!isValidAclEntry(entry)) {
                throw new IllegalArgumentException(
                        "ACL entry of document " + id + " must be 'user:<name>' or 'group:<name>' (or either after 'deny:'); got '"
                                + entry + "'");
            }
        }
    }

    /**
     * SHA-256 (hex) of everything that decides what is indexed and who sees it: title, body, tenant, the
     * ACL as a set and the metadata. Two rows with the same hash index identically; the row's update time is not part of it.
     */
    public String contentHash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(title, body, tenant)) {
                update(md, part);
            }
            for (String entry : new TreeSet<>(acl)) {
                update(md, entry);
            }
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                update(md, e.getKey());
                update(md, e.getValue());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static void update(MessageDigest md, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        md.update(bytes);
    }

    /** A document without extra metadata. */
    public SourceDocument(String id, String title, String body, List<String> acl, String tenant, long updatedAtMillis) {
        this(id, title, body, acl, tenant, updatedAtMillis, Map.of());
    }

    /** True for {@code user:<name>} or {@code group:<name>} with a non-blank name, optionally after {@code deny:}. */
    public static boolean isValidAclEntry(String entry) {
        if (entry == null) {
            return false;
        }
        if (entry.startsWith(DENY_PREFIX)) {
            entry = entry.substring(DENY_PREFIX.length());
        }
        String name;
        if (entry.startsWith(USER_PREFIX)) {
            name = entry.substring(USER_PREFIX.length());
        } else if (entry.startsWith(GROUP_PREFIX)) {
            name = entry.substring(GROUP_PREFIX.length());
        } else {
            return false;
        }
        return !name.isBlank();
    }
}
