package io.freshet.core;

/** What a change event did to its row. Debezium's {@code op} codes are {@code r, c, u, d}. */
public enum ChangeOp {
    /** A row read by the initial snapshot ({@code r}). */
    SNAPSHOT,
    /** A row inserted ({@code c}). */
    CREATE,
    /** A row updated ({@code u}). */
    UPDATE,
    /** A row deleted ({@code d}). */
    DELETE,
    /**
     * Not a row change: a snapshot finished, so indexed documents it did not read (and no later change wrote)
     * are gone at the source.
     */
    SNAPSHOT_COMPLETED;

    /**
     * Maps a Debezium {@code op} code.
     *
     * @throws IllegalArgumentException naming the code when it is not one of {@code r, c, u, d}
     */
    public static ChangeOp fromDebeziumCode(String code) {
        if (code == null) {
            throw new IllegalArgumentException("missing op");
        }
        return switch (code) {
            case "r" -> SNAPSHOT;
            case "c" -> CREATE;
            case "u" -> UPDATE;
            case "d" -> DELETE;
            default -> throw new IllegalArgumentException("unknown op '" + code + "'");
        };
    }

    /** True when the change leaves a row behind (everything but a delete). */
    public boolean isUpsert() {
        return this == SNAPSHOT || this == CREATE || this == UPDATE;
    }
}
