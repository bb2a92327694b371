package io.freshet.app.eval;

import io.freshet.core.Principal;
import io.freshet.core.SourceDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * ACLs given to an evaluation corpus, and an independent brute-force check of what a principal may see,
 * against which every returned document is counted.
 *
 * @param description where the ACLs came from, for the report
 * @param entries document id to its ACL entries
 * @param unlisted the ACL of a document not in {@code entries} (empty: visible to nobody)
 */
public record AclAssignment(String description, Map<String, List<String>> entries, List<String> unlisted) {

    /** Everyone sees everything: the single group every evaluation principal is in. */
    public static final String EVERYONE = "group:everyone";

    /**
     * Reads a file of lines {@code document-id<TAB>entry[,entry...]}; blank lines and lines starting with
     * {@code #} are skipped.
     *
     * @throws IllegalArgumentException naming the line of a malformed entry
     */
    public static AclAssignment fromFile(Path file) throws IOException {
        Map<String, List<String>> out = new HashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i).strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            String[] f = s.split("\t", 2);
            if (f.length != 2) {
                throw new IllegalArgumentException(file + " line " + (i + 1)
                        + " must be document-id<TAB>entry[,entry...]; got '" + s + "'");
            }
            List<String> acl = Arrays.stream(f[1].split(",")).map(String::strip).filter(e -> !e.isEmpty()).toList();
            for (String e : acl) {
                if (!SourceDocument.isValidAclEntry(e)) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + ": ACL entry must be 'user:<name>' or "
                            + "'group:<name>' (or either after 'deny:'); got '" + e + "'");
                }
            }
            out.put(f[0].strip(), acl);
        }
        return new AclAssignment("file " + file, out, List.of());
    }

    /**
     * A seeded random assignment: each document is given to one of {@code groups} groups {@code g0..}; one
     * document in fifty also denies {@code deniedUser} by name, so deny entries are exercised.
     */
    public static AclAssignment random(long seed, List<String> documentIds, int groups, String deniedUser) {
        if (groups < 1) {
            throw new IllegalArgumentException("--acl-groups must be >= 1; got " + groups);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, List<String>> out = new HashMap<>();
        for (String id : documentIds) {
            List<String> acl = new ArrayList<>(2);
            acl.add(SourceDocument.GROUP_PREFIX + "g" + rnd.nextInt(groups));
            if (rnd.nextInt(50) == 0) {
                acl.add(SourceDocument.DENY_PREFIX + SourceDocument.USER_PREFIX + deniedUser);
            }
            out.put(id, List.copyOf(acl));
        }
        return new AclAssignment("random seed " + seed + " over " + groups + " groups (g0..g" + (groups - 1)
                + "), 1 in 50 denying user:" + deniedUser, out, List.of());
    }

    /** Every document visible to every evaluation principal. */
    public static AclAssignment everyone() {
        return new AclAssignment("everyone", Map.of(), List.of(EVERYONE));
    }

    /** Whether some document is hidden from some principal (false for {@link #everyone()}). */
    public boolean restricts() {
        return !(entries.isEmpty() && unlisted.contains(EVERYONE));
    }

    /** The ACL of {@code documentId}. */
    public List<String> acl(String documentId) {
        return entries.getOrDefault(documentId, unlisted);
    }

    /**
     * Brute force, independent of the index's filter: a deny entry naming the caller or one of its groups
     * hides the document; otherwise an allow entry naming either shows it.
     */
    public boolean visible(String documentId, Principal p) {
        List<String> acl = acl(documentId);
        for (String e : acl) {
            if (e.startsWith(SourceDocument.DENY_PREFIX) && names(e.substring(SourceDocument.DENY_PREFIX.length()), p)) {
                return false;
            }
        }
        for (String e : acl) {
            if (!e.startsWith(SourceDocument.DENY_PREFIX) && names(e, p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean names(String entry, Principal p) {
        if (entry.startsWith(SourceDocument.USER_PREFIX)) {
            return entry.substring(SourceDocument.USER_PREFIX.length()).equals(p.subject());
        }
        return entry.startsWith(SourceDocument.GROUP_PREFIX)
                && p.groups().contains(entry.substring(SourceDocument.GROUP_PREFIX.length()));
    }
}
