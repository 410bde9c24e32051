package dev.nvae.cli.serve;

import com.sun.net.httpserver.HttpServer;
import dev.nvae.api.NvaeModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An open model behind the JDK's HTTP server ({@code com.sun.net.httpserver}, module {@code jdk.httpserver}).
 *
 * <p>Threads: each request is read, computed and answered on a virtual thread, so a slow client holds a virtual
 * thread, not a platform one; the {@link ComputeQueue} bounds how many requests compute or wait for a lane.
 *
 * <p>The JDK server takes a few settings from system properties read once, when its first server is created:
 * {@code jdk.httpserver.maxConnections} (open connections), {@code sun.net.httpserver.nodelay} (TCP_NODELAY),
 * {@code sun.net.httpserver.maxReqTime} (seconds a request may take to arrive, headers and body; the server
 * closes a connection that takes longer), and the idle connections' {@code sun.net.httpserver.idleInterval}
 * (seconds), {@code sun.net.httpserver.maxIdleConnections} and {@code sun.net.httpserver.clockTick} (how often, in
 * milliseconds, idle ones are looked at). maxReqTime is a backstop above the body deadline {@link RequestBody}
 * answers with 408: it is what finally frees a connection whose client stopped sending. {@link #configureJdkServer}
 * sets them all unless the user did.
 */
final class ModelServer {
    private final HttpServer server;
    private final ExecutorService connections;
    private final ComputeQueue compute;

    private ModelServer(HttpServer server, ExecutorService connections, ComputeQueue compute) {
        this.server = server;
        this.connections = connections;
        this.compute = compute;
    }

    /** Sets the JDK server's limits from {@code limits}, for every server this JVM creates later. */
    static void configureJdkServer(Limits limits) {
        setIfAbsent("jdk.httpserver.maxConnections", Integer.toString(limits.maxConnections()));
        // TCP_NODELAY: the server writes a response's headers and its body separately, and with Nagle's algorithm
        // the body then waits for the client's delayed ACK of the headers — tens of milliseconds per request.
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        // Twice the body deadline and 5 s more: the 408 is answered first, and the refused body read and dropped.
        setIfAbsent("sun.net.httpserver.maxReqTime", Long.toString(2 * Math.max(1, limits.bodyTimeout().toSeconds()) + 5));
        // Connections that send nothing, or keep-alive ones between requests, count against maxConnections too: at
        // the JDK's defaults (30 s idle, looked at every 10 s, 200 kept) --max-connections of them, opened and left,
        // refused every new client for 35-40 s. Idle ones now close after 5 s (Apache's keep-alive), looked at every
        // second, and at most half the connections stay open idle: past that a connection closes after its answer.
        setIfAbsent("sun.net.httpserver.idleInterval", Long.toString(IDLE_SECONDS));
        setIfAbsent("sun.net.httpserver.clockTick", "1000");
        setIfAbsent("sun.net.httpserver.maxIdleConnections", Integer.toString(Math.max(1, limits.maxConnections() / 2)));
    }

    /** Seconds a connection may stay open without a request in progress. */
    static final long IDLE_SECONDS = 5;

    private static void setIfAbsent(String name, String value) {
        if (System.getProperty(name) == null) System.setProperty(name, value);
    }

    /**
     * Starts serving {@code model} at {@code address} (port 0: any free port). The model stays the caller's;
     * close it after {@link #stop}.
     *
     * @param accessLog receives one line per request
     */
    static ModelServer start(NvaeModel model, InetSocketAddress address, Limits limits, Consumer<String> accessLog) {
        return start(model, address, limits, BodyMemory.forLimits(limits, model.info().lanes(), Runtime.getRuntime().maxMemory()),
                accessLog);
    }

    /** As {@link #start(NvaeModel, InetSocketAddress, Limits, Consumer)}, with the request bodies held at once bounded by {@code bodies}. */
    static ModelServer start(NvaeModel model, InetSocketAddress address, Limits limits, BodyMemory bodies, Consumer<String> accessLog) {
        configureJdkServer(limits);
        ComputeQueue compute = new ComputeQueue(model.info().lanes(), limits.queue(), limits.computeTimeout());
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address.getHostString() + ":" + address.getPort() + ": " + e.getMessage(), e);
        }
        ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(connections);
        server.createContext("/", new Endpoints(model, limits, compute, bodies, accessLog));
        server.start();
        return new ModelServer(server, connections, compute);
    }

    /** The address it listens on (with the port chosen when 0 was asked for). */
    InetSocketAddress address() {
        return server.getAddress();
    }

    /** Requests waiting for or holding a lane now. */
    int inFlight() {
        return compute.inFlight();
    }

    /**
     * Stops accepting connections, lets the requests in flight finish (waiting up to {@code grace}), then stops
     * the compute threads. The model is still open afterwards.
     */
    void stop(Duration grace) {
        long seconds = Math.max(1, grace.toSeconds());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        // One grace for both waits: the JDK's stop waits it out while an exchange is open, and the queue's wait after
        // it had a grace of its own, so a request computing past the grace made the stop take twice the grace.
        server.stop((int) Math.min(Integer.MAX_VALUE, seconds));
        compute.shutdown(deadline - System.nanoTime());
        if (compute.inFlight() > 0) {  // cut off: their handlers are still computing, and no log line will come soon
            connections.shutdownNow();
            return;
        }
        // The handlers write their access log line after the exchange is closed, which is when stop() stops
        // waiting for them: let them finish (stop() has closed every connection, so none is blocked on a client).
        connections.shutdown();
        try {
            if (!connections.awaitTermination(5, TimeUnit.SECONDS)) connections.shutdownNow();
        } catch (InterruptedException e) {
            connections.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
