package dev.coro.bench.echo;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Writes back what it reads, as Netty's own EchoServerHandler example: {@code write} per read, one
 * {@code flush} when the read loop is done. Stateless, so one instance serves every channel.
 */
@ChannelHandler.Sharable
final class NettyEchoHandler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.write(msg); // the buffer goes back out and is released once written
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset is normal traffic for an echo server, as in coro's EchoServer: no log
    }
}
