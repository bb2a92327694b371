package io.freshet.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The caller of a retrieval: who they are, which groups they are in, and which tenant they act for.
 *
 * @param subject the user name
 * @param groups the caller's groups
 * @param tenant the caller's tenant; a caller never sees another tenant's documents
 * @param roles what the caller may administer (for example the index owner role); roles never widen what a
 *     retrieval returns
 */
public record Principal(String subject, Set<String> groups, String tenant, Set<String> roles) {
    public Principal {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("principal subject must not be blank");
        }
        if (tenant == null || tenant.isBlank()) {
            throw new IllegalArgumentException("principal tenant must not be blank");
        }
        groups = Set.copyOf(groups == null ? Set.of() : groups);
        roles = Set.copyOf(roles == null ? Set.of() : roles);
    }

    /** A caller without administrative roles. */
    public Principal(String subject, Set<String> groups, String tenant) {
        this(subject, groups, tenant, Set.of());
    }

    /** Whether the caller holds {@code role}. */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** The ACL entries that deny this principal access: each of {@link #aclEntries()} after {@code deny:}. */
    public List<String> denyEntries() {
        return aclEntries().stream().map(e -> SourceDocument.DENY_PREFIX + e).toList();
    }

    /** The ACL entries that grant this principal access: {@code user:<subject>} and one {@code group:<g>} per group. */
    public List<String> aclEntries() {
        List<String> entries = new ArrayList<>(groups.size() + 1);
        entries.add(SourceDocument.USER_PREFIX + subject);
        groups.stream().sorted().forEach(g -> entries.add(SourceDocument.GROUP_PREFIX + g));
        return entries;
    }
}
