package io.runstream.worker.runner;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 server on 127.0.0.1 that keeps its connections open between requests and answers each request 200,
 * except one that arrives on a connection idle longer than {@code keepAlive}: that connection it closes without an
 * answer, as a server does when its keep-alive timeout ends just as a client sends a request on the connection (or
 * ended while the client stood still and had not yet seen the close). Requests carry no body.
 */
final class KeepAliveServer implements AutoCloseable {

    private final ServerSocket server;
    private final Duration keepAlive;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    KeepAliveServer(Duration keepAlive) {
        this.keepAlive = keepAlive;
        try {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads.execute(this::accept);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** Requests answered so far. */
    int answered() {
        return answered.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                sockets.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            long lastAnswered = 0;
            while (true) {
                Map<String, String> head = DribblingServer.readHead(in);
                if (head.get(":path").isEmpty()) {
                    return;
                }
                if (lastAnswered != 0 && System.nanoTime() - lastAnswered > keepAlive.toNanos()) {
                    return;
                }
                out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                answered.incrementAndGet();
                lastAnswered = System.nanoTime();
            }
        } catch (IOException e) {
            // the caller closed the connection
        } finally {
            sockets.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        threads.shutdownNow();
    }
}
