package dev.coro.bench.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

import java.util.function.Supplier;

/**
 * The Netty 4.2 baseline: an echo server on ONE event loop that both accepts and serves, built the way
 * Netty 4.2 documents it ({@code MultiThreadIoEventLoopGroup} of one thread with the transport's
 * {@code IoHandler} factory, a {@code ServerBootstrap}, Netty's defaults otherwise: pooled allocator,
 * adaptive receive buffers, TCP_NODELAY on its child channels). Arguments: {@code nio|epoll|iouring port}.
 */
public final class NettyEchoServer {
    private static final String USAGE = "usage: NettyEchoServer nio|epoll|iouring <port>";

    private NettyEchoServer() {
    }

    private enum Transport {
        NIO(NioIoHandler::newFactory, NioServerSocketChannel.class, () -> null),
        EPOLL(EpollIoHandler::newFactory, EpollServerSocketChannel.class, Epoll::unavailabilityCause),
        IOURING(IoUringIoHandler::newFactory, IoUringServerSocketChannel.class, IoUring::unavailabilityCause);

        final Supplier<IoHandlerFactory> factory;
        final Class<? extends ServerChannel> serverChannel;
        final Supplier<Throwable> unavailable;

        Transport(Supplier<IoHandlerFactory> factory, Class<? extends ServerChannel> serverChannel,
                  Supplier<Throwable> unavailable) {
            this.factory = factory;
            this.serverChannel = serverChannel;
            this.unavailable = unavailable;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            ServerArgs.fail(USAGE);
        }
        Transport transport = switch (args[0]) {
            case "nio" -> Transport.NIO;
            case "epoll" -> Transport.EPOLL;
            case "iouring" -> Transport.IOURING;
            default -> ServerArgs.fail("unknown transport '" + args[0] + "'\n" + USAGE);
        };
        int port = ServerArgs.port(args, 1, USAGE);
        Throwable unavailable = transport.unavailable.get();
        if (unavailable != null) { // fail loudly rather than measure some other transport
            throw new IllegalStateException("Netty transport " + args[0] + " is unavailable here", unavailable);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.factory.get());
        try {
            Channel server = new ServerBootstrap()
                    .group(group) // one loop: the acceptor and every child share it
                    .channel(transport.serverChannel)
                    .childHandler(new NettyEchoHandler())
                    .bind(port).sync().channel();
            System.out.println("netty " + args[0] + " echo server listening on " + server.localAddress());
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }
}
