package io.freshet.index.write;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short content hashes for lineage (the chunker configuration). */
public final class Hashes {

    private static final int PREFIX_HEX = 16;

    private Hashes() {}

    /** The first 16 hex digits of the SHA-256 of {@code text} (UTF-8). */
    public static String sha256Prefix(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, PREFIX_HEX);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
