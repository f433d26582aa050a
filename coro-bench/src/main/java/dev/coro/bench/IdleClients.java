package dev.coro.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of {@link MemoryFootprint}'s idle-connection rows, in its own process so that only
 * the server's heap is measured: opens {@code count} blocking connections to {@code port} on
 * loopback (a short pause every 500, so that the server's accept queue never overflows), prints
 * {@code connected <count>}, then holds them until its standard input ends. Arguments: port count.
 */
public final class IdleClients {
    private IdleClients() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        List<SocketChannel> open = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            open.add(SocketChannel.open(server));
            if (i % 500 == 499) {
                Thread.sleep(20);
            }
        }
        System.out.println("connected " + open.size());
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the connections until the parent closes our input (or dies)
        }
        for (SocketChannel c : open) {
            c.close();
        }
    }
}
