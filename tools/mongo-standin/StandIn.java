import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Launches mongo-java-server on a loopback port for development and tests.
 *
 * Usage: java StandIn <port> [h2-file]
 *   port 0 picks a free port. With an h2-file the data persists there, else it lives in memory.
 *
 * Prints "READY <port>" on stdout once it accepts connections. It stops gracefully (H2 commits
 * its last writes) on SIGTERM/SIGINT and also when its standard input closes, so it never
 * outlives the Node process that started it, even when that process was killed.
 */
public final class StandIn {
    /** mongodb driver 7 refuses servers below wire version 9 (MongoDB 4.4). */
    private static final MongoVersion MONGO_4_4 = new MongoVersion() {
        @Override
        public List<Integer> getVersionArray() {
            return List.of(4, 4, 0);
        }

        @Override
        public int getWireVersion() {
            return 9;
        }
    };

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        String file = args.length > 1 ? args[1] : null;
        MongoBackend backend = file == null ? new MemoryBackend() : new H2Backend(file);
        backend.version(MONGO_4_4);
        MongoServer server = new MongoServer(backend);
        server.bind(new InetSocketAddress("127.0.0.1", port));
        InetSocketAddress address = server.getLocalAddress();
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            server.shutdown();
            stopped.countDown();
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop));
        Thread stdinWatcher = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // keep reading until the parent closes the pipe
                }
            } catch (Exception ignored) {
                // a broken pipe means the parent is gone, same as EOF
            }
            System.exit(0);
        });
        stdinWatcher.setDaemon(true);
        stdinWatcher.start();
        System.out.println("READY " + address.getPort());
        System.out.flush();
        stopped.await();
    }
}
