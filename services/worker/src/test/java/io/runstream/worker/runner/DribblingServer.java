package io.runstream.worker.runner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 server on 127.0.0.1 that answers every request 200 with a long body and then sends one byte of it
 * every {@code interval}, as a slow or hostile callee would, for as long as the caller stays connected. It counts
 * the connections still open and keeps each request's path and Idempotency-Key.
 */
final class DribblingServer implements AutoCloseable {

    /** A request as it arrived: its path and its Idempotency-Key header (null without one). */
    record Request(String path, String idempotencyKey) {
    }

    private final ServerSocket server;
    private final Duration interval;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger open = new AtomicInteger();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<Socket, Boolean> sockets = new ConcurrentHashMap<>();

    DribblingServer(Duration interval) {
        this.interval = interval;
        try {
            server = new ServerSocket(0, 200, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads.execute(this::accept);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    /** Connections accepted that neither side has closed yet. */
    int open() {
        return open.get();
    }

    /** Every request so far, in the order they arrived. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.incrementAndGet();
                sockets.put(socket, true);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            Map<String, String> head = readHead(socket.getInputStream());
            requests.add(new Request(head.get(":path"), head.get("idempotency-key")));
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            dribble(socket, out);
        } catch (IOException e) {
            // the caller closed the connection: its call ended
        } finally {
            sockets.remove(socket);
            open.decrementAndGet();
        }
    }

    /** The request line's path as {@code :path}, and the headers, names in lower case. */
    static Map<String, String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int matched = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            bytes.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
            if (matched == 4) {
                break;
            }
        }
        List<String> lines = new ArrayList<>(List.of(bytes.toString(StandardCharsets.US_ASCII).split("\r\n")));
        Map<String, String> head = new ConcurrentHashMap<>();
        String[] requestLine = lines.remove(0).split(" ");
        head.put(":path", requestLine.length > 1 ? requestLine[1] : "");
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                head.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return head;
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
