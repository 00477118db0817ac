package io.runstream.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A slow callee on 127.0.0.1 and an ephemeral port: answers every request 200 with a long body and sends one byte
 * of it every {@code interval} for as long as the caller stays connected, as the finding's server did. Counts the
 * connections open now and the requests so far.
 */
final class DribblingEndpoint implements AutoCloseable {

    private final ServerSocket server;
    private final Duration interval;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<Socket, Boolean> sockets = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    DribblingEndpoint(Duration interval) throws IOException {
        this.interval = interval;
        this.server = new ServerSocket(0, 1024, InetAddress.getByName("127.0.0.1"));
        threads.execute(this::accept);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    /** Connections neither side has closed yet: calls the runner holds open. */
    int open() {
        return sockets.size();
    }

    /** Requests received so far. */
    int requests() {
        return requests.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.put(socket, true);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            skipHead(socket.getInputStream());
            requests.incrementAndGet();
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            dribble(socket, out);
        } catch (IOException e) {
            // the caller closed the connection: its call ended
        } finally {
            sockets.remove(socket);
        }
    }

    private static void skipHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the request head");
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }

    /** A byte every interval, waiting on the socket in between so a caller that closes is noticed at once. */
    private void dribble(Socket socket, OutputStream out) throws IOException {
        socket.setSoTimeout((int) interval.toMillis());
        while (true) {
            try {
                if (socket.getInputStream().read() < 0) {
                    return;
                }
            } catch (java.net.SocketTimeoutException e) {
                out.write('.');
                out.flush();
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets.keySet()) {
            socket.close();
        }
        threads.shutdownNow();
    }
}
