package io.runstream.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server from zonky's embedded binaries, listening on 127.0.0.1 only. It is stopped by
 * {@link #close()}, not by a shutdown hook of its own, so that services can finish their writes first.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String DATABASE = "runstream";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final int port;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts PostgreSQL with its data in {@code dataDir}; an existing data directory keeps its data. */
    public static EmbeddedPostgres start(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir);
        var server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "on")
                // zonky turns this off by default: a commit would be acknowledged before it is on disk, and a crash
                // of the server would lose it (the fault test that kills PostgreSQL lost applied status events)
                .setServerConfig("synchronous_commit", "on")
                // after a crash PostgreSQL replays its WAL before it accepts connections, which takes longer than
                // zonky's default 10 s wait once the data has grown
                .setPGStartupWait(java.time.Duration.ofMinutes(5))
                .start();
        EmbeddedPostgres postgres = new EmbeddedPostgres(server, port);
        postgres.createDatabaseIfMissing();
        return postgres;
    }

    private void createDatabaseIfMissing() throws IOException {
        createDatabase(DATABASE);
    }

    /** Creates the database {@code name} (letters, digits and underscores) unless it exists. */
    public void createDatabase(String name) throws IOException {
        if (!name.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("Not a plain database name: " + name);
        }
        try (Connection c = DriverManager.getConnection(urlOf("postgres"), USER, "");
                Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + name);
            }
        } catch (SQLException e) {
            throw new IOException("Could not create database " + name, e);
        }
    }

    /** JDBC URL of the database {@code database} on this server. */
    public String urlOf(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** JDBC URL of the {@value #DATABASE} database. */
    public String jdbcUrl() {
        return urlOf(DATABASE);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
