package io.freshet.index.search;

import io.freshet.core.Principal;
import io.freshet.index.lifecycle.AclStore;
import io.freshet.index.schema.ChunkSchema;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import java.util.List;

/**
 * Builds the query that matches exactly the chunks a principal may see: the principal's tenant, an ACL
 * entry naming the principal or one of its groups, and no {@code deny:} entry naming either (a deny wins). It is the pre-filter of every retriever (the kNN filter,
 * a FILTER clause of BM25), so searches explore only permitted chunks and never drop hits afterwards.
 */
public final class PermissionFilter {

    private PermissionFilter() {}

    /** The filter query for {@code principal}. */
    public static Query of(Principal principal) {
        return of(principal, SearchFilters.NONE);
    }

    /** The permission filter narrowed by the caller's metadata {@code filters}. */
    public static Query of(Principal principal, SearchFilters filters) {
        return of(principal, filters, AclStore.Overlay.NONE);
    }

    /**
     * The permission filter when content may be older than its permissions: a document in {@code overlay} (its
     * permissions changed since the content was committed, or were recorded ahead of content still being
     * embedded) is admitted only where both the ACL its content carries and its current permissions admit the
     * principal. A revocation so takes effect at once; a grant waits for content that carries it, so nobody
     * sees a version of a document they were never allowed to see.
     */
    public static Query of(Principal principal, SearchFilters filters, AclStore.Overlay overlay) {
        List<String> refused = overlay.isEmpty() ? List.of() : overlay.refused(principal);
        if (refused.isEmpty()) {
            return recorded(principal, filters);
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder()
                .add(recorded(principal, filters), BooleanClause.Occur.FILTER)
                .add(new TermInSetQuery(ChunkSchema.DOC_ID, refused.stream().map(BytesRef::new).toList()),
                        BooleanClause.Occur.MUST_NOT);
        return b.build();
    }

    private static Query recorded(Principal principal, SearchFilters filters) {
        Query acl = new TermInSetQuery(
                ChunkSchema.ACL, principal.aclEntries().stream().map(BytesRef::new).toList());
        BooleanQuery.Builder b = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(ChunkSchema.TENANT, principal.tenant())), BooleanClause.Occur.FILTER)
                .add(acl, BooleanClause.Occur.FILTER)
                .add(new TermInSetQuery(ChunkSchema.ACL, principal.denyEntries().stream().map(BytesRef::new).toList()),
                        BooleanClause.Occur.MUST_NOT);
        filters.addTo(b);
        return b.build();
    }
}
