package io.freshet.app.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A tiny BEIR-format dataset whose answers are unambiguous, for tests of the harness itself. */
final class TinyBeir {
    private TinyBeir() {}

    static final String[][] DOCS = {
            {"d1", "Replication slots", "A logical replication slot keeps write-ahead log until the consumer confirms it."},
            {"d2", "Parental leave", "Employees receive sixteen weeks of paid parental leave after the birth of a child."},
            {"d3", "Coffee machines", "The espresso machine on the third floor is descaled every Friday morning."},
            {"d4", "Vacation policy", "Unused vacation days carry over to the next calendar year, up to five days."},
            {"d5", "Incident review", "Every outage gets a blameless written review within five working days."},
            {"d6", "Bicycle parking", "Secure bicycle parking is in the basement garage, next to the showers."},
            {"d7", "Expense reports", "Submit expense reports with receipts before the tenth of the following month."},
            {"d8", "Password rotation", "Service account passwords rotate automatically every ninety days."},
            {"d9", "Office plants", "Plants on each floor are watered by the facilities team on Mondays."},
    };

    static void write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("qrels"));
        StringBuilder corpus = new StringBuilder();
        for (String[] d : DOCS) {
            corpus.append("{\"_id\": \"").append(d[0]).append("\", \"title\": \"").append(d[1])
                    .append("\", \"text\": \"").append(d[2]).append("\"}\n");
        }
        Files.writeString(dir.resolve("corpus.jsonl"), corpus);
        Files.writeString(dir.resolve("queries.jsonl"), """
                {"_id": "q1", "text": "how long does a replication slot keep the write-ahead log"}
                {"_id": "q2", "text": "how many weeks of paid parental leave"}
                {"_id": "q3", "text": "when do service account passwords rotate"}
                {"_id": "q-unjudged", "text": "where is the bicycle parking"}
                """);
        Files.writeString(dir.resolve("qrels/test.tsv"), """
                query-id\tcorpus-id\tscore
                q1\td1\t1
                q1\td9\t0
                q2\td2\t1
                q3\td8\t2
                """);
    }
}
