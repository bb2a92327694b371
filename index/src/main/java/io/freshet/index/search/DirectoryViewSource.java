package io.freshet.index.search;

import io.freshet.index.schema.CommitData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/** Serves the newest commit of one plain Lucene directory (a scratch or test index). */
final class DirectoryViewSource implements ViewSource {

    private final Directory directory;

    DirectoryViewSource(Path dir) throws IOException {
        Files.createDirectories(dir);
        this.directory = FSDirectory.open(dir);
    }

    @Override
    public ServedView next(ServedView current, long version) throws IOException {
        DirectoryReader next;
        if (current == null) {
            try {
                next = DirectoryReader.open(directory);
            } catch (IndexNotFoundException e) {
                return null; // nothing committed yet
            }
        } else {
            next = DirectoryReader.openIfChanged(current.shards().getFirst());
            if (next == null) {
                return null;
            }
        }
        CommitData lineage = CommitData.fromUserData(next.getIndexCommit().getUserData());
        return new ServedView(next, List.of(next), next.getIndexCommit().getGeneration(), "", lineage,
                lineage.committedAtMillis());
    }

    @Override
    public void close() throws IOException {
        directory.close();
    }
}
