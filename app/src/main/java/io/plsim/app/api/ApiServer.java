package io.plsim.app.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.plsim.app.limits.ConnectionLimits;
import io.plsim.core.api.QueryApi;
import io.plsim.core.api.QueryResponse;
import io.plsim.dataplane.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server of a running plsim, on loopback: the EC2 and ELBv2 Query APIs at {@code /} (POST with a
 * form-encoded body, or GET with a query string), and the routes of {@link HttpRoutes} (the console,
 * admin JSON, Prometheus metrics; or Toxiproxy's API). A request that a web page could have sent
 * against the user's will is refused before any route sees it ({@link RequestGuard}). Bad requests of
 * every kind get a clear 4xx answer and the server keeps serving: an undecodable request line or header, a body over {@link #MAX_BODY_BYTES}
 * (413), a method or path it does not serve (405, 404).
 */
public final class ApiServer implements AutoCloseable {

    /** The default port of {@code plsim run --api-port}. */
    public static final int DEFAULT_PORT = 4566;
    public static final int MAX_BODY_BYTES = 1 << 20;

    private final EventLoopGroup group;
    private final Channel channel;
    private final ConnectionLimits limits;
    private final RequestGuard guard;

    private final io.netty.channel.group.ChannelGroup connections;

    private ApiServer(EventLoopGroup group, Channel channel, ConnectionLimits limits, RequestGuard guard,
                      io.netty.channel.group.ChannelGroup connections) {
        this.group = group;
        this.channel = channel;
        this.limits = limits;
        this.guard = guard;
        this.connections = connections;
    }

    /**
     * Binds the server and waits until it listens.
     *
     * @param api the EC2 and ELBv2 Query API at {@code /}, or null for a server of {@code routes} alone
     * @throws IllegalStateException naming the address when it cannot be bound
     */
    public static ApiServer start(InetSocketAddress address, Transport transport, QueryApi api, HttpRoutes routes) {
        return start(address, transport, api, routes, AllowedHosts.loopbackOnly());
    }

    /**
     * The same, answering {@code allowed} names in {@code Host} besides the loopback ones ({@link RequestGuard}).
     */
    public static ApiServer start(InetSocketAddress address, Transport transport, QueryApi api, HttpRoutes routes,
                                  AllowedHosts allowed) {
        return start(address, transport, api, routes, allowed,
                java.time.Duration.ofSeconds(ConnectionLimits.REQUEST_DEADLINE_SECONDS));
    }

    /** The same with another request deadline, for tests that cannot wait the default's 20 s. */
    static ApiServer start(InetSocketAddress address, Transport transport, QueryApi api, HttpRoutes routes,
                           AllowedHosts allowed, java.time.Duration requestDeadline) {
        RequestGuard guard = new RequestGuard(allowed);
        EventLoopGroup group = transport.newGroup(1, "plsim-api");
        // Every open connection, so that a close ends them at once: a kept-alive client then sees its
        // connection end and asks again elsewhere, rather than wait on a loop that is going away.
        io.netty.channel.group.ChannelGroup connections = new io.netty.channel.group.DefaultChannelGroup(
                group.next());
        String body = "too many connections to this plsim's API (" + ConnectionLimits.MAX_CONNECTIONS + "); try again\n";
        ConnectionLimits limits = new ConnectionLimits("API server on " + address, ConnectionLimits.MAX_CONNECTIONS,
                requestDeadline, m -> m instanceof FullHttpRequest,
                m -> m instanceof io.netty.handler.codec.http.LastHttpContent || m instanceof FullHttpResponse,
                "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                        + body.length() + "\r\nConnection: close\r\n\r\n" + body);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(io.plsim.dataplane.FileDescriptors.process().acceptErrors("API server on " + address))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(
                                limits.handler(),
                                new HttpServerCodec(4096, 16 * 1024, 16 * 1024),
                                new HttpServerKeepAliveHandler(),
                                new HttpObjectAggregator(MAX_BODY_BYTES, true),
                                limits.deadline(),
                                new Handler(api, routes, guard));
                    }
                });
        var f = b.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on " + address + ": " + f.cause().getMessage());
        }
        return new ApiServer(group, f.channel(), limits, guard, connections);
    }

    /** Connections answered 503 because {@link ConnectionLimits#MAX_CONNECTIONS} were open. */
    public long refusedConnections() {
        return limits.refused();
    }

    /** Requests refused before any route saw them, for their {@code Host}, {@code Origin} or body type. */
    public long refusedRequests() {
        return guard.refused();
    }

    /** Connections closed because no complete request came within the deadline. */
    public long cutAtDeadline() {
        return limits.cutAtDeadline();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The URL to give {@code aws --endpoint-url}. */
    public String url() {
        return "http://" + address().getAddress().getHostAddress() + ":" + address().getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final QueryApi api;
        private final HttpRoutes routes;
        private final RequestGuard guard;

        Handler(QueryApi api, HttpRoutes routes, RequestGuard guard) {
            this.api = api;
            this.routes = routes;
            this.guard = guard;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (!req.decoderResult().isSuccess()) {
                reply(ctx, req, HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8",
                        "malformed HTTP request: " + req.decoderResult().cause().getMessage() + "\n", true);
                return;
            }
            QueryStringDecoder uri = new QueryStringDecoder(req.uri());
            String path = uri.path();
            String query = req.uri().contains("?") ? req.uri().substring(req.uri().indexOf('?') + 1) : "";
            boolean queryApi = path.equals("/") && api != null;
            var refusal = guard.check(req.method(), req.headers(),
                    ((InetSocketAddress) ctx.channel().localAddress()).getPort(), !queryApi,
                    req.content().isReadable());
            if (refusal.isPresent()) {
                HttpRoutes.Reply r = routes.refusal(refusal.get().status(), refusal.get().reason());
                reply(ctx, req, HttpResponseStatus.valueOf(r.status()), r.contentType(), r.body(), false);
                return;
            }
            if (queryApi) {
                if (!req.method().equals(HttpMethod.POST) && !req.method().equals(HttpMethod.GET)) {
                    reply(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                            "the EC2 and ELBv2 APIs take POST (form-encoded) or GET, not " + req.method() + "\n", false);
                    return;
                }
                String body = req.content().toString(StandardCharsets.UTF_8);
                QueryResponse r = api.handle(req.headers().get(HttpHeaderNames.AUTHORIZATION), body, query);
                reply(ctx, req, HttpResponseStatus.valueOf(r.status()), QueryResponse.CONTENT_TYPE, r.body(), false);
                return;
            }
            HttpRoutes.Reply r;
            try {
                if (req.method().equals(HttpMethod.GET)) {
                    r = routes.get(path, query);
                } else if (req.method().equals(HttpMethod.POST)) {
                    r = routes.post(path, query, req.content().toString(StandardCharsets.UTF_8));
                } else if (req.method().equals(HttpMethod.PATCH)) {
                    r = routes.patch(path, query, req.content().toString(StandardCharsets.UTF_8));
                } else if (req.method().equals(HttpMethod.DELETE)) {
                    r = routes.delete(path, query);
                } else {
                    reply(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                            RequestGuard.printable(path) + " does not take " + req.method() + "\n", false);
                    return;
                }
            } catch (IllegalArgumentException e) {
                r = new HttpRoutes.Reply(400, "text/plain; charset=utf-8", e.getMessage() + "\n");
            } catch (RuntimeException e) {
                // A route that failed: an answer that says so, and the server keeps serving, rather than a
                // connection closed under a waiting client (a page polling the live view, say).
                System.getLogger(ApiServer.class.getName()).log(System.Logger.Level.WARNING,
                        req.method() + " " + RequestGuard.printable(path) + " failed", e);
                r = new HttpRoutes.Reply(500, "text/plain; charset=utf-8", req.method() + " " + RequestGuard.printable(path)
                        + " failed: " + e + "\n");
            }
            if (r == null) {
                reply(ctx, req, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8",
                        "no such path: " + RequestGuard.printable(path) + (api == null ? "" : " (the EC2 and ELBv2 APIs are at /, the"
                                + " console at /console/, admin JSON under /admin/, metrics at /metrics)") + "\n",
                        false);
                return;
            }
            reply(ctx, req, HttpResponseStatus.valueOf(r.status()), r.contentType(), r.body(), r.headers(), false);
        }

        private static void reply(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status,
                                  String contentType, String body, boolean close) {
            reply(ctx, req, status, contentType, body, java.util.Map.of(), close);
        }

        private static void reply(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status,
                                  String contentType, String body, java.util.Map<String, String> headers,
                                  boolean close) {
            ByteBuf content = ByteBufUtil.writeUtf8(ctx.alloc(), body);
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
            headers.forEach(res.headers()::set);
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            HttpUtil.setContentLength(res, content.readableBytes());
            if (close || !HttpUtil.isKeepAlive(req)) {
                res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            } else {
                HttpUtil.setKeepAlive(res, true);
                ctx.writeAndFlush(res);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A client that vanished or timed out: nothing to answer to; keep serving the others.
            ctx.close();
        }
    }
}
