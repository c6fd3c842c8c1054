package policykg.neo4jserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * A Neo4j 5 Community server for tests: the embedded database with its Bolt connector on loopback.
 *
 * <p>Usage: {@code java [flags] -jar neo4j-test-server.jar --data DIR --password PW [--port N]
 * [--page-cache SIZE] [--ignore-stdin]}. Prints {@code READY bolt://127.0.0.1:PORT} on stdout once Bolt
 * accepts connections with the password set; everything else goes to stderr. Stops cleanly on SIGTERM/SIGINT
 * and when stdin reaches end of file, so that a parent which dies (and so closes the pipe) takes it along.
 */
public final class TestServer {
    private static final String USAGE =
            "usage: --data DIR --password PW [--port N (0 = any free)] [--page-cache SIZE (256m)] [--ignore-stdin]";

    private TestServer() {}

    public static void main(String[] args) {
        // The one line the launcher waits for goes to the real stdout; anything a library prints goes to stderr,
        // so that stdout carries nothing else.
        PrintStream stdout = System.out;
        System.setOut(System.err);
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        try {
            run(options, stdout);
        } catch (Throwable t) {
            System.err.println("neo4j-test-server: could not start: " + t);
            t.printStackTrace();
            System.exit(1);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>(Map.of("--port", "0", "--page-cache", "256m"));
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            switch (name) {
                case "--ignore-stdin" -> options.put(name, "true");
                case "--data", "--password", "--port", "--page-cache" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(name + " needs a value");
                    }
                    options.put(name, args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown argument " + name);
            }
        }
        if (!options.containsKey("--data") || !options.containsKey("--password")) {
            throw new IllegalArgumentException("--data and --password are required");
        }
        return options;
    }

    private static void run(Map<String, String> options, PrintStream stdout) throws Exception {
        Path home = Path.of(options.get("--data")).toAbsolutePath();
        Files.createDirectories(home);
        int port = Integer.parseInt(options.get("--port"));

        // The settings go through a neo4j.conf, as on a packaged server: same names, same strict validation
        // (a misspelt or unknown setting stops the start).
        Path conf = home.resolve("conf/neo4j.conf");
        Files.createDirectories(conf.getParent());
        StringBuilder text = new StringBuilder();
        settings(port, options.get("--page-cache")).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(conf, text.toString());
        // One stop for every way out (SIGTERM, SIGINT, stdin closed, System.exit): Neo4j checkpoints and closes
        // its files, so a folder it leaves is a clean store. Registered before the start, so that a launcher
        // that gives up or dies while Neo4j is still starting stops it too.
        AtomicReference<DatabaseManagementService> started = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DatabaseManagementService running = started.get();
            if (running != null) {
                running.shutdown();
            }
        }, "neo4j-test-server-shutdown"));
        if (!options.containsKey("--ignore-stdin")) {
            Thread watcher = new Thread(TestServer::exitAtEndOfStdin, "neo4j-test-server-stdin");
            watcher.setDaemon(true);
            watcher.start();
        }

        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(conf)
                .build();
        started.set(service);

        // Neo4j 5 starts with user neo4j/neo4j whose password must be changed first; a test server wants the
        // caller's password ready at once, so set it on the system database before anyone is told to connect.
        // A second start on the same folder (bench/stores.py restarts it) finds that password set already.
        try {
            service.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", options.get("--password")));
        } catch (QueryExecutionException error) {
            if (!String.valueOf(error.getMessage()).contains("Old password and new password cannot be the same")) {
                throw error;
            }
        }

        // With port 0 the operating system chose the port; Neo4j records the one it bound.
        GraphDatabaseAPI db = (GraphDatabaseAPI) service.database("neo4j");
        int bound = db.getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT)
                .getPort();
        waitForBolt(bound);

        stdout.println("READY bolt://127.0.0.1:" + bound);
        stdout.flush();

        Thread.currentThread().join(); // the stdin watcher or a signal ends the process
    }

    /** The launcher keeps a pipe open as stdin and never writes to it: end of file means it closed it or died. */
    private static void exitAtEndOfStdin() {
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // anything written is ignored
            }
        } catch (IOException e) {
            System.err.println("neo4j-test-server: stdin: " + e);
        }
        System.err.println("neo4j-test-server: stdin closed, shutting down");
        System.exit(0);
    }

    private static Map<String, String> settings(int port, String pageCache) {
        Map<String, String> s = new LinkedHashMap<>();
        String address = "127.0.0.1:" + port;
        s.put("server.bolt.enabled", "true");
        s.put("server.bolt.listen_address", address);
        s.put("server.bolt.advertised_address", address);
        s.put("server.bolt.tls_level", "DISABLED");
        s.put("server.http.enabled", "false");
        s.put("server.https.enabled", "false");
        s.put("dbms.security.auth_enabled", "true");
        // Let the tests pick short passwords (the default minimum is 8).
        s.put("dbms.security.auth_minimum_password_length", "1");
        s.put("server.memory.pagecache.size", pageCache);
        // Test stores are small and thrown away: no 250 MB preallocated transaction logs, none kept.
        s.put("db.tx_log.preallocate", "false");
        s.put("db.tx_log.rotation.retention_policy", "1 files");
        // No network but loopback here, and nothing to report.
        s.put("dbms.usage_report.enabled", "false");
        // neo4j:// drivers ask the server for a routing table; a single instance answers it itself, naming the
        // advertised address above (client-side routing). Server-side routing would be a second listener
        // (7688 by default) that parallel test servers would fight over, and a single instance does not need it.
        s.put("dbms.routing.default_router", "CLIENT");
        s.put("dbms.routing.enabled", "false");
        // Netty waits a quiet period of 5 s before its event loops stop; tests start and stop servers often.
        s.put("internal.dbms.bolt.netty_server_shutdown_quiet_period", "0");
        return s;
    }

    /** Bolt is bound once build() returns; a connect proves it before the launcher is told. */
    private static void waitForBolt(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Bolt did not accept connections on port " + port, e);
                }
                Thread.sleep(50);
            }
        }
    }
}
