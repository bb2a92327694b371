package io.freshet.app.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A BEIR-format dataset: {@code corpus.jsonl} ({@code _id}, {@code title}, {@code text}),
 * {@code queries.jsonl} ({@code _id}, {@code text}) and {@code qrels/<split>.tsv}
 * ({@code query-id, corpus-id, score}, with a header line).
 *
 * @param name the dataset's directory name
 * @param split the qrels split
 * @param corpus the documents, in file order
 * @param queries the queries that have judgements in the split, by id, in file order
 * @param qrels graded judgements: query id to (document id to grade); grades of 0 or less mean not relevant
 * @param corpusSha256 a fingerprint of the corpus file, so a scratch index can be reused only for it
 */
public record BeirDataset(String name, String split, List<Doc> corpus, Map<String, String> queries,
        Map<String, Map<String, Integer>> qrels, String corpusSha256) {

    /** One corpus document. */
    public record Doc(String id, String title, String text) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads {@code dir}.
     *
     * @throws IllegalArgumentException naming the file and line of anything malformed, or a missing file
     */
    public static BeirDataset read(Path dir, String split) throws IOException {
        Path corpusFile = dir.resolve("corpus.jsonl");
        Path queriesFile = dir.resolve("queries.jsonl");
        Path qrelsFile = dir.resolve("qrels").resolve(split + ".tsv");
        for (Path p : List.of(corpusFile, queriesFile, qrelsFile)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("not a BEIR dataset: " + p + " is missing");
            }
        }
        Map<String, Map<String, Integer>> qrels = readQrels(qrelsFile);
        List<Doc> corpus = new ArrayList<>();
        forEachJson(corpusFile, (node, line) -> corpus.add(new Doc(text(node, "_id", corpusFile, line),
                node.path("title").asText(""), node.path("text").asText(""))));
        Map<String, String> queries = new LinkedHashMap<>();
        forEachJson(queriesFile, (node, line) -> {
            String id = text(node, "_id", queriesFile, line);
            if (qrels.containsKey(id)) {
                queries.put(id, text(node, "text", queriesFile, line));
            }
        });
        List<String> unknown = qrels.keySet().stream().filter(q -> !queries.containsKey(q)).limit(5).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(qrelsFile + " judges queries missing from " + queriesFile + ": " + unknown);
        }
        return new BeirDataset(dir.toAbsolutePath().normalize().getFileName().toString(), split,
                Collections.unmodifiableList(corpus), Collections.unmodifiableMap(queries),
                Collections.unmodifiableMap(qrels), sha256(corpusFile));
    }

    /** Relevant documents (grade > 0) of {@code queryId}. */
    public Map<String, Integer> relevant(String queryId) {
        Map<String, Integer> out = new LinkedHashMap<>();
        qrels.getOrDefault(queryId, Map.of()).forEach((d, g) -> {
            if (g > 0) {
                out.put(d, g);
            }
        });
        return out;
    }

    private interface LineHandler {
        void accept(JsonNode node, int line);
    }

    private static void forEachJson(Path file, LineHandler handler) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String s;
            int line = 0;
            while ((s = r.readLine()) != null) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(s);
                } catch (IOException e) {
                    throw new IllegalArgumentException(file + " line " + line + " is not JSON: " + e.getMessage());
                }
                handler.accept(node, line);
            }
        }
    }

    private static String text(JsonNode node, String field, Path file, int line) {
        JsonNode v = node.get(field);
        if (v == null || !v.isValueNode() || v.asText().isEmpty()) {
            throw new IllegalArgumentException(file + " line " + line + " has no '" + field + "'");
        }
        return v.asText();
    }

    private static Map<String, Map<String, Integer>> readQrels(Path file) throws IOException {
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i).strip();
            if (s.isEmpty() || (i == 0 && s.startsWith("query-id"))) {
                continue;
            }
            String[] f = s.split("\t");
            if (f.length != 3) {
                throw new IllegalArgumentException(file + " line " + (i + 1)
                        + " must be query-id<TAB>corpus-id<TAB>score; got '" + s + "'");
            }
            int grade;
            try {
                grade = Integer.parseInt(f[2].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " has a non-integer score '" + f[2] + "'");
            }
            qrels.computeIfAbsent(f[0].strip(), q -> new LinkedHashMap<>()).put(f[1].strip(), grade);
        }
        if (qrels.isEmpty()) {
            throw new IllegalArgumentException(file + " has no judgements");
        }
        return qrels;
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
