package io.runstream.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** HTTP/1.1 over a plain loopback socket, for what an HTTP client will not send: upgrades, bodies left unfinished. */
final class RawHttp implements AutoCloseable {

    private final Socket socket;

    /** A response as it came over the wire. */
    record Reply(int status, String head, String body) {
    }

    RawHttp(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        // longer than any deadline under test, shorter than the gateway's 90 s wait for a service
        socket.setSoTimeout(30_000);
    }

    RawHttp send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    /** The next response: its status line and headers, then as much body as Content-Length says (or up to close). */
    Reply reply() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before a response; got: " + head);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int length = -1;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        byte[] body = length >= 0 ? in.readNBytes(length) : new byte[0];
        return new Reply(Integer.parseInt(headers.substring(9, 12)), headers,
                new String(body, StandardCharsets.UTF_8));
    }

    /** True once the server has closed the connection. */
    boolean closedByServer() throws IOException {
        return socket.getInputStream().read() < 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
