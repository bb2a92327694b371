package io.freshet.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshet.core.Principal;
import io.freshet.index.lifecycle.AuditRecord;
import io.freshet.index.lifecycle.CommitPoint;
import io.freshet.index.lifecycle.GateResult;
import io.freshet.index.lifecycle.Generation;
import io.freshet.index.lifecycle.GenerationInfo;
import io.freshet.index.lifecycle.IndexRoot;
import io.freshet.index.lifecycle.Manifest;
import io.freshet.index.lifecycle.QualityGate;
import io.freshet.index.search.ChunkSearcher;
import io.freshet.serving.api.ApiException;
import io.freshet.serving.api.JsonBody;
import io.freshet.serving.identity.IdentityResolver;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.store.AlreadyClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner-only index admin API: the same operations as {@code freshet index}, over HTTP, for callers whose
 * verified identity holds the configured owner role ({@link ServingConfig#ownerRole()}).
 *
 * <ul>
 *   <li>{@code GET /v1/admin/index}: the manifest, what is served, and every generation with its commit points
 *       and their lineage;
 *   <li>{@code POST /v1/admin/index/rollback} {@code {"to", "reason", "ingestion": "replay"|"pause"}};
 *   <li>{@code POST /v1/admin/index/promote} {@code {"generation", "reason"}};
 *   <li>{@code POST /v1/admin/index/resume} {@code {"reason"}};
 *   <li>{@code GET /v1/admin/index/audit}: every owner operation, oldest first.
 * </ul>
 *
 * No token or a failed check is a 401, a caller without the role a 403 ({@code forbidden}); a bad target or
 * reason a 400 ({@code invalid_argument}); an operation the index's state does not allow a 409
 * ({@code conflict}), a promotion the quality gate refuses included. Every operation is audited with the caller as actor, and the service switches to its
 * result before answering. The index serves all tenants, so the owner role is not scoped to one.
 */
final class IndexAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(IndexAdmin.class);

    static final String INDEX = "/v1/admin/index";
    static final String ROLLBACK = INDEX + "/rollback";
    static final String PROMOTE = INDEX + "/promote";
    static final String RESUME = INDEX + "/resume";
    static final String AUDIT = INDEX + "/audit";
    static final List<String> ROUTES = List.of(INDEX, ROLLBACK, PROMOTE, RESUME, AUDIT);

    /** The body of an operation; each operation reads the fields it needs. */
    record OperationRequest(String to, String reason, String ingestion, String generation) {}

    @FunctionalInterface
    private interface Operation {
        IndexRoot.Outcome run(IndexRoot root, OperationRequest request, String actor) throws IOException;
    }

    private final Optional<IndexRoot> root;
    private final ChunkSearcher searcher;
    private final IdentityResolver identity;
    private final String ownerRole;
    private final QualityGate gate;
    private final ObjectMapper json;

    IndexAdmin(ChunkSearcher searcher, IdentityResolver identity, String ownerRole, QualityGate gate, ObjectMapper json) {
        this.root = searcher.indexRoot();
        this.searcher = searcher;
        this.identity = identity;
        this.ownerRole = ownerRole;
        this.gate = gate;
        this.json = json;
    }

    void register(JavalinConfig c) {
        c.routes.get(INDEX, ctx -> {
            authorize(ctx);
            ctx.json(list(root.orElseThrow()));
        });
        c.routes.get(AUDIT, ctx -> {
            authorize(ctx);
            ctx.json(Map.of("audit", root.orElseThrow().audit().stream().map(IndexAdmin::audit).toList()));
        });
        c.routes.post(ROLLBACK, ctx -> operate(ctx, "rollback", (r, req, actor) -> r.rollback(required(req.to(), "to"),
                req.reason(), actor,
                IndexRoot.AfterRollback.of(req.ingestion() == null ? "replay" : req.ingestion()))));
        c.routes.post(PROMOTE, ctx -> operate(ctx, "promote", (r, req, actor) ->
                r.promote(required(req.generation(), "generation"), req.reason(), actor, gate)));
        c.routes.post(RESUME, ctx -> operate(ctx, "resume", (r, req, actor) -> r.resume(req.reason(), actor)));
    }

    /** The caller, once known to hold the owner role on an index root. */
    private Principal authorize(Context ctx) {
        Principal caller = identity.resolve(ctx::header);
        if (root.isEmpty() || ownerRole.isEmpty()) {
            throw new ApiException(404, "admin_disabled", root.isEmpty()
                    ? "this service serves a plain index directory, not an index root with generations"
                    : "the index admin API is off (serving.admin.owner-role is empty)");
        }
        if (!caller.hasRole(ownerRole)) {
            throw new ApiException(403, "forbidden", "the index admin API needs the role '" + ownerRole + "'");
        }
        return caller;
    }

    private void operate(Context ctx, String name, Operation op) throws IOException {
        Principal caller = authorize(ctx);
        OperationRequest request = parse(ctx.body());
        String actor = "http:" + caller.subject() + "@" + caller.tenant();
        IndexRoot.Outcome outcome;
        try {
            outcome = op.run(root.orElseThrow(), request, actor);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_argument", e.getMessage());
        } catch (AlreadyClosedException e) {
            throw e; // the service is shutting down: an internal error, not a conflict
        } catch (IllegalStateException e) {
            throw new ApiException(409, "conflict", e.getMessage());
        }
        LOG.info("Index {} by {}: {} -> {} (ingestion {}), reason: {}", name, actor, outcome.audit().from(),
                outcome.audit().to(), outcome.audit().ingestion(), outcome.audit().reason());
        try {
            searcher.refresh(); // answer once the switch is served
        } catch (IOException | RuntimeException e) {
            // done and audited: the switch lands at the next scheduled refresh, so this is not a failure to retry
            LOG.warn("Index {} by {} is done, but serving it failed for now; the next refresh retries", name, actor, e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("audit", audit(outcome.audit()));
        body.put("manifest", manifest(outcome.manifest()));
        body.put("served", searcher.servedPoint());
        ctx.json(body);
    }

    private OperationRequest parse(String body) {
        return JsonBody.read(json, body, OperationRequest.class, "a JSON object with a 'reason'");
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("'" + field + "' is required");
        }
        return value.trim();
    }

    private Map<String, Object> list(IndexRoot r) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("index", r.dir().toString());
        Optional<Manifest> manifest = r.manifest();
        out.put("manifest", manifest.map(IndexAdmin::manifest).orElse(null));
        out.put("served", searcher.servedPoint());
        List<Map<String, Object>> generations = new ArrayList<>();
        for (Generation g : r.generations()) {
            GenerationInfo info = g.info();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", g.id());
            m.put("live", manifest.isPresent() && manifest.get().live().equals(g.id()));
            m.put("shards", info.shards());
            m.put("model", info.model());
            m.put("chunker", info.chunker());
            m.put("created_at", Instant.ofEpochMilli(info.createdAtMillis()).toString());
            m.put("forked_from", info.forkedFrom());
            m.put("replay_positions", info.replayPositions());
            m.put("gate", r.gate(g).map(IndexAdmin::gate).orElse(null));
            m.put("points", g.points().stream().map(IndexAdmin::point).toList());
            generations.add(m);
        }
        out.put("generations", generations);
        return out;
    }

    private static Map<String, Object> point(CommitPoint p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id().toString());
        m.put("qualified_id", p.qualifiedId());
        m.put("committed_at", Instant.ofEpochMilli(p.committedAtMillis()).toString());
        m.put("documents", p.documents());
        m.put("chunks", p.chunks());
        m.put("watermark", p.watermarkMillis() > 0 ? Instant.ofEpochMilli(p.watermarkMillis()).toString() : null);
        m.put("positions", p.positions());
        m.put("shard_commits", p.shardCommits());
        m.put("embedding_model", p.model());
        m.put("embedding_model_version", p.modelVersion());
        m.put("chunker", p.chunker());
        m.put("chunker_hash", p.chunkerHash());
        return m;
    }

    private static Map<String, Object> gate(GateResult g) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("passed", g.passed());
        out.put("dataset", g.dataset());
        out.put("checks", g.checks());
        out.put("checked_at", Instant.ofEpochMilli(g.checkedAtMillis()).toString());
        return out;
    }

    private static Map<String, Object> manifest(Manifest m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("live", m.live());
        out.put("pinned", m.pinned());
        out.put("ingestion", m.ingestion().name().toLowerCase(Locale.ROOT));
        out.put("epoch", m.epoch());
        out.put("updated_at", Instant.ofEpochMilli(m.updatedAtMillis()).toString());
        return out;
    }

    private static Map<String, Object> audit(AuditRecord a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("at", Instant.ofEpochMilli(a.atMillis()).toString());
        out.put("actor", a.actor());
        out.put("action", a.action());
        out.put("from", a.from());
        out.put("to", a.to());
        out.put("ingestion", a.ingestion());
        out.put("reason", a.reason());
        return out;
    }
}
