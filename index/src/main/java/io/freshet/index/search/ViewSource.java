package io.freshet.index.search;

import io.freshet.index.lifecycle.AclStore;
import io.freshet.index.lifecycle.IndexRoot;
import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/** Where a searcher's views come from. */
interface ViewSource extends Closeable {

    /**
     * The view to serve now, or null when {@code current} (null before the first) is still right. The
     * returned view holds one reference, released by {@link ServedView#release()}.
     */
    ServedView next(ServedView current, long version) throws IOException;

    /**
     * The current permissions of documents changed since {@code view}'s commits, or {@code current} when it is
     * still right; {@link AclStore.Overlay#NONE} where content carries current permissions.
     */
    default AclStore.Overlay overlay(ServedView view, AclStore.Overlay current) throws IOException {
        return AclStore.Overlay.NONE;
    }

    /** The index root whose manifest decides what is served; empty for a plain index directory. */
    default Optional<IndexRoot> indexRoot() {
        return Optional.empty();
    }
}
