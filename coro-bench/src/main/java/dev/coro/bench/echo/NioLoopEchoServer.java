package dev.coro.bench.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The floor of JDK I/O: a hand-written selector loop on one thread. Non-blocking sockets, one shared
 * direct buffer, each readiness one read and a write of what was read; only a partial write keeps its
 * rest (in a buffer of that connection) and asks for OP_WRITE, and reading waits until it is out.
 * Argument: {@code port}.
 */
public final class NioLoopEchoServer {
    private static final int BUFFER = 8192; // as coro's EchoServer reads

    private final Selector selector;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);

    private NioLoopEchoServer(Selector selector) {
        this.selector = selector;
    }

    public static void main(String[] args) throws IOException {
        int port = ServerArgs.port(args, 0, "usage: NioLoopEchoServer <port>");
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(port)); // the default backlog, as coro's EchoServer
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        System.out.println("nio-loop echo server listening on " + server.getLocalAddress());
        new NioLoopEchoServer(selector).loop();
    }

    private void loop() throws IOException {
        while (true) {
            selector.select(this::onKey);
        }
    }

    private void onKey(SelectionKey key) {
        try {
            if (key.isAcceptable()) {
                accept((ServerSocketChannel) key.channel());
            } else if (key.isWritable()) {
                flush(key);
            } else if (key.isReadable()) {
                echo(key);
            }
        } catch (IOException e) {
            close(key); // a reset: the end of this connection
        }
    }

    private void accept(ServerSocketChannel server) throws IOException {
        SocketChannel c;
        while ((c = server.accept()) != null) {
            c.configureBlocking(false);
            c.register(selector, SelectionKey.OP_READ);
        }
    }

    private void echo(SelectionKey key) throws IOException {
        SocketChannel c = (SocketChannel) key.channel();
        buffer.clear();
        if (c.read(buffer) < 0) {
            close(key);
            return;
        }
        buffer.flip();
        c.write(buffer);
        if (buffer.hasRemaining()) {
            ByteBuffer rest = (ByteBuffer) key.attachment();
            if (rest == null) {
                rest = ByteBuffer.allocateDirect(BUFFER);
                key.attach(rest);
            }
            rest.clear();
            rest.put(buffer).flip();
            key.interestOps(SelectionKey.OP_WRITE);
        }
    }

    private static void flush(SelectionKey key) throws IOException {
        ByteBuffer rest = (ByteBuffer) key.attachment();
        ((SocketChannel) key.channel()).write(rest);
        if (!rest.hasRemaining()) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private static void close(SelectionKey key) {
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing is the end of this connection either way
        }
    }
}
