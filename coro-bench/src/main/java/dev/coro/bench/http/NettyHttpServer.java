package dev.coro.bench.http;

import dev.coro.bench.echo.ServerArgs;
import dev.coro.examples.HttpHelloServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;

/**
 * The hello on Netty 4.2, as Netty's own HttpHelloWorldServer example builds it (its initializer and
 * handler, without TLS and the logging handler), on ONE NIO event loop that both accepts and serves:
 * {@code MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory())}, {@code SO_BACKLOG} 1024 as the
 * example sets, and the pipeline {@code HttpServerCodec} → {@code HttpServerExpectContinueHandler} →
 * {@link NettyHttpHandler}. Netty's defaults otherwise. Argument: {@code port}.
 */
public final class NettyHttpServer {
    private NettyHttpServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = ServerArgs.port(args, 0, "usage: NettyHttpServer <port>");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap()
                    .option(ChannelOption.SO_BACKLOG, HttpHelloServer.BACKLOG)
                    .group(group) // one loop: the acceptor and every child share it
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ChannelPipeline p = ch.pipeline();
                            p.addLast(new HttpServerCodec());
                            p.addLast(new HttpServerExpectContinueHandler());
                            p.addLast(new NettyHttpHandler());
                        }
                    })
                    .bind(port).sync().channel();
            System.out.println("netty nio http hello server listening on " + server.localAddress());
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }
}
