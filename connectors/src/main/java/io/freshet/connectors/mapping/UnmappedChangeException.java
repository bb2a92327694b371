package io.freshet.connectors.mapping;

/** A well-formed change of a table the mapping does not capture: ignored and counted, not dead-lettered. */
public final class UnmappedChangeException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnmappedChangeException(String table) {
        super("change of unmapped table '" + table + "'");
    }
}
