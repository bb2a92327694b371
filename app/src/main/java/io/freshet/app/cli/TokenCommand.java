package io.freshet.app.cli;

import io.freshet.app.config.LocalOptions;
import io.freshet.app.config.ServingOptions;
import io.freshet.serving.identity.LocalSigningKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code freshet token}: mints a development bearer token signed by the local profile's key (created in
 * {@code local.work-dir/keys} if absent), which the local service trusts. Prints only the token, so it can
 * be captured: {@code TOKEN=$(./freshet token --user bob --groups hr --tenant acme)}.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Print a development token for the local service, signed with the local profile's key.")
public final class TokenCommand implements Callable<Integer> {

    @Mixin
    ConfigMixin configOptions;

    @Option(names = "--user", required = true, description = "Subject (user name).")
    String user;

    @Option(names = "--groups", description = "Comma-separated groups, e.g. eng,all-staff.")
    String groups = "";

    @Option(names = "--roles", description = "Comma-separated roles, e.g. index-owner (the index admin API's role).")
    String roles = "";

    @Option(names = "--tenant", required = true, description = "Tenant the caller acts for.")
    String tenant;

    @Option(names = "--ttl", description = "Lifetime, e.g. 30m, 8h (default 1h, at most 30d).")
    String ttl = "1h";

    @Override
    public Integer call() throws Exception {
        Duration lifetime;
        try {
            lifetime = TimeUtils.parseDuration(ttl);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            System.err.println("freshet token: --ttl '" + ttl + "' is not a duration such as 30m or 8h");
            return 2;
        }
        if (lifetime.isZero() || lifetime.isNegative() || lifetime.compareTo(Duration.ofDays(30)) > 0) {
            System.err.println("freshet token: --ttl must be in (0, 30d]; got '" + ttl + "'");
            return 2;
        }
        if (user.isBlank() || tenant.isBlank()) {
            System.err.println("freshet token: --user and --tenant must not be blank");
            return 2;
        }
        Configuration config;
        try {
            config = configOptions.load();
        } catch (IllegalArgumentException e) {
            System.err.println("freshet token: " + e.getMessage());
            return 2;
        }
        Path workDir = ConfigMixin.home().resolve(config.get(LocalOptions.WORK_DIR)).toAbsolutePath().normalize();
        LocalSigningKey key = LocalSigningKey.loadOrCreate(ServingOptions.localKeyDir(workDir));
        System.out.println(key.mint(user.trim(), names(groups), tenant.trim(), names(roles), lifetime));
        return 0;
    }

    private static List<String> names(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(g -> !g.isEmpty()).toList();
    }
}
