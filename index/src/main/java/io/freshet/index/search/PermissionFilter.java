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
     * The permission filter when content may be older than its permissions: a document in {@code overlay}
     * (its permissions changed since the content was committed) is admitted by its current permissions only;
     * every other document by the ACL it carries, which is still current.
     */
    public static Query of(Principal principal, SearchFilters filters, AclStore.Overlay overlay) {
        if (overlay.isEmpty()) {
            return recorded(principal, filters);
        }
        Query changed = new TermInSetQuery(ChunkSchema.DOC_ID, overlay.ids().stream().map(BytesRef::new).toList());
        Query unchanged = new BooleanQuery.Builder()
                .add(recorded(principal, SearchFilters.NONE), BooleanClause.Occur.FILTER)
                .add(changed, BooleanClause.Occur.MUST_NOT)
                .build();
        Query permittedNow = new TermInSetQuery(ChunkSchema.DOC_ID,
                overlay.permitted(principal).stream().map(BytesRef::new).toList());
        BooleanQuery.Builder b = new BooleanQuery.Builder()
                .add(new BooleanQuery.Builder()
                        .add(unchanged, BooleanClause.Occur.SHOULD)
                        .add(permittedNow, BooleanClause.Occur.SHOULD)
                        .setMinimumNumberShouldMatch(1)
                        .build(), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(ChunkSchema.TENANT, principal.tenant())), BooleanClause.Occur.FILTER);
        filters.addTo(b);
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
