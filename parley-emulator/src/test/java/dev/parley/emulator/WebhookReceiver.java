package dev.parley.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A tiny webhook endpoint on the JDK HttpServer: answers the handshake like a real app and records every POST. */
final class WebhookReceiver implements AutoCloseable {
    record Post(Instant at, byte[] body, Map<String, List<String>> headers) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            }
            return null;
        }
    }

    record Get(Instant at, String query) {}

    final List<Post> posts = new CopyOnWriteArrayList<>();
    final List<Get> gets = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<Integer> postStatuses = new ConcurrentLinkedQueue<>();
    volatile String verifyToken;
    volatile Function<String, String> challengeEcho = c -> c;
    private final HttpServer server;

    WebhookReceiver(String verifyToken) throws IOException {
        this.verifyToken = verifyToken;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/hook", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The next POSTs answer these statuses, in order; afterwards 200. */
    void answerPosts(Integer... statuses) {
        postStatuses.addAll(List.of(statuses));
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (ex.getRequestMethod().equals("GET")) {
            String q = ex.getRequestURI().getRawQuery();
            gets.add(new Get(Instant.now(), q));
            Map<String, String> params = HttpReq.parseForm(q);
            if ("subscribe".equals(params.get("hub.mode")) && verifyToken.equals(params.get("hub.verify_token"))) {
                respond(ex, 200, challengeEcho.apply(params.get("hub.challenge")));
            } else {
                respond(ex, 403, "Verification token mismatch");
            }
            return;
        }
        posts.add(new Post(Instant.now(), body, Map.copyOf(ex.getRequestHeaders())));
        Integer s = postStatuses.poll();
        respond(ex, s == null ? 200 : s, "");
    }

    private static void respond(HttpExchange ex, int status, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
        ex.close();
    }

    List<Post> snapshot() {
        return new ArrayList<>(posts);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
