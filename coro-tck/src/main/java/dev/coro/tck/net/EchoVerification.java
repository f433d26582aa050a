package dev.coro.tck.net;

import dev.coro.Coro;
import dev.coro.net.CoroServerSocket;
import dev.coro.net.CoroSocket;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Round trips through an echo server, many clients at once, and a burst of connects. */
public abstract class EchoVerification extends SocketVerificationBase {

    @Test
    public void net_roundTripsOfManySizesComeBackIntact() {
        run(() -> {
            try (CoroServerSocket server = echoServer(); CoroSocket c = CoroSocket.connectTo(server.localAddress())) {
                Random rnd = new Random(42);
                // Up to 4 MiB: bigger than the socket buffers, so both sides must wait for writability.
                for (int size : new int[]{1, 2, 100, 1500, 65_536, 300_000, 4 << 20}) {
                    byte[] msg = new byte[size];
                    rnd.nextBytes(msg);
                    Coro<Integer> writer = Coro.spawn(() -> c.sendAll(msg));
                    byte[] back = c.recvExact(size);
                    assertEquals(size, writer.join());
                    assertArrayEquals(msg, back, "echo of " + size + " bytes");
                }
            }
            return null;
        });
    }

    @Test
    public void net_aThousandConcurrentClientsEachGetTheirOwnBytesBack() {
        int clients = 1000, rounds = 5;
        long checked = run(() -> {
            try (CoroServerSocket server = echoServer()) {
                List<Coro<Integer>> all = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    int id = i;
                    all.add(Coro.spawn("client-" + i, () -> {
                        int ok = 0;
                        try (CoroSocket c = CoroSocket.connectTo(server.localAddress())) {
                            for (int r = 0; r < rounds; r++) {
                                byte[] msg = ("client " + id + " round " + r + "\n").getBytes();
                                c.sendAll(msg);
                                if (Arrays.equals(msg, c.recvExact(msg.length))) {
                                    ok++;
                                }
                            }
                        }
                        return ok;
                    }));
                }
                long sum = 0;
                for (Coro<Integer> c : all) {
                    sum += c.join();
                }
                return sum;
            }
        });
        assertEquals((long) clients * rounds, checked);
    }

    @Test
    public void net_aBurstOf500ConnectsIsAllAccepted() {
        int burst = 500;
        int accepted = run(() -> {
            try (CoroServerSocket server = CoroServerSocket.bind(LOOPBACK_ANY_PORT, burst)) {
                List<CoroSocket> clients = new ArrayList<>();
                List<CoroSocket> served = new ArrayList<>();
                try {
                    // Connect all first (the backlog holds them), then accept them all in a row.
                    List<Coro<CoroSocket>> connecting = new ArrayList<>();
                    for (int i = 0; i < burst; i++) {
                        connecting.add(Coro.spawn(() -> CoroSocket.connectTo(server.localAddress())));
                    }
                    for (int i = 0; i < burst; i++) {
                        served.add(server.accept());
                    }
                    for (Coro<CoroSocket> c : connecting) {
                        clients.add(c.join());
                    }
                    // Every accepted socket is a live connection to one of the clients.
                    for (int i = 0; i < burst; i++) {
                        served.get(i).sendAll(new byte[]{(byte) i});
                    }
                    int seen = 0;
                    for (CoroSocket c : clients) {
                        seen += c.recvExact(1).length;
                    }
                    return seen;
                } finally {
                    clients.forEach(CoroSocket::close);
                    served.forEach(CoroSocket::close);
                }
            }
        });
        assertEquals(burst, accepted);
    }
}
