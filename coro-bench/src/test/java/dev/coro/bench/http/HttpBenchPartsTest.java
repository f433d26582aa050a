package dev.coro.bench.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP bench's parts that need no server: wrk's output, the virtual-thread server's line reader, the report. */
class HttpBenchPartsTest {
    private static final String WRK = """
            Running 5s test @ http://127.0.0.1:17300/
              1 threads and 100 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency    15.90ms   32.90ms    1.02s    90.87%
                Req/Sec    19.98k    10.54k   37.27k    62.22%
              Latency Distribution
                 50%  362.00us
                 75%   14.00ms
                 90%   45.31ms
                 99%    1.71s
              95971 requests in 5.07s, 7.23MB read
              Socket errors: connect 3, read 1, write 0, timeout 12
              Non-2xx or 3xx responses: 5
            Requests/sec:  18926.12
            Transfer/sec:      1.43MB
            """;

    @Test
    void parsesWrkOutputInEveryUnit() {
        WrkOutput w = WrkOutput.parse(WRK);
        assertEquals(95971, w.requests());
        assertEquals(5.07, w.seconds(), 1e-9);
        assertEquals(18926.12, w.requestsPerSecond(), 1e-9);
        assertEquals(15900, w.meanUs(), 1e-6);
        assertEquals(1.02e6, w.maxUs(), 1e-3);
        assertEquals(362, w.p50Us(), 1e-9);
        assertEquals(14000, w.p75Us(), 1e-6);
        assertEquals(45310, w.p90Us(), 1e-6);
        assertEquals(1.71e6, w.p99Us(), 1e-3);
        assertEquals(List.of(3L, 1L, 0L, 12L, 5L),
                List.of(w.errorsConnect(), w.errorsRead(), w.errorsWrite(), w.errorsTimeout(), w.non2xx()));
        assertEquals(2.5 * 60e6, WrkOutput.micros("2.50", "m"), 1e-3);
    }

    @Test
    void linesWrkPrintsOnlyForErrorsAreZerosWhenAbsentButMissingOnesFail() {
        String clean = WRK.replaceAll("(?m)^\\s*(Socket errors|Non-2xx).*\\n", "");
        WrkOutput w = WrkOutput.parse(clean);
        assertEquals(0, w.socketErrors() + w.non2xx());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WrkOutput.parse(clean.replaceAll("(?m)^\\s*99%.*\\n", "")));
        assertTrue(e.getMessage().contains("99%"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WrkOutput.parse("unable to connect to 127.0.0.1:1"));
    }

    @Test
    void theLineReaderSplitsAcrossRefillsAndBoundsLines() throws IOException {
        String text = "GET / HTTP/1.1\r\nHost: x\r\n\r\n" + "y".repeat(9000) + "\r\nlast";
        HttpLineInput in = new HttpLineInput(new OneByteAtATime(text), 10_000);
        assertEquals("GET / HTTP/1.1", in.readLine());
        assertEquals("Host: x", in.readLine());
        assertEquals("", in.readLine());
        assertEquals("y".repeat(9000), in.readLine(), "a line over many refills, its \\r\\n split by one");
        assertEquals("last", in.readLine(), "the last line, unterminated");
        assertNull(in.readLine());

        HttpLineInput bounded = new HttpLineInput(new ByteArrayInputStream(
                ("x".repeat(100) + "\r\n" + "z".repeat(101) + "\n").getBytes(StandardCharsets.ISO_8859_1)), 100);
        assertEquals("x".repeat(100), bounded.readLine(), "exactly the bound, with \\r\\n");
        assertThrows(HttpLineInput.TooLong.class, bounded::readLine);
        HttpLineInput spanning = new HttpLineInput(new OneByteAtATime("z".repeat(500)), 100);
        assertThrows(HttpLineInput.TooLong.class, spanning::readLine, "without waiting for a line end");
    }

    @Test
    void theTableHasAMedianAndSpreadPerVariantAndRatiosToNetty() {
        List<Map<String, Object>> runs = List.of(
                run("netty-nio", 100, 50_000, 20), run("netty-nio", 100, 70_000, 10),
                run("coro-native-nio", 100, 30_000, 30), run("coro-native-nio", 5000, 10_000, 40));
        String t = HttpReport.table(runs);
        assertTrue(t.contains("| netty-nio | 2 | 60.0k [50.0k–70.0k] | 1.00 |"), t);
        assertTrue(t.contains("| coro-native-nio | 1 | 30.0k | 0.50 |"), t);
        assertTrue(t.contains("5,000 connections"), t);
        assertTrue(t.contains("| coro-native-nio | 1 | 10.0k | – |"), "no baseline at 5,000: no ratio\n" + t);
    }

    private static Map<String, Object> run(String variant, int connections, double rate, double cpu) {
        return Map.of("variant", variant, "connections", (double) connections, "requests_per_s", rate,
                "cpu_us_per_req", cpu, "p50_us", 100.0, "p90_us", 200.0, "p99_us", 300.0, "errors_timeout", 1.0);
    }

    /** Hands out one byte per read, as a socket might: every line crosses refills. */
    private static final class OneByteAtATime extends InputStream {
        private final byte[] b;
        private int i;

        OneByteAtATime(String s) {
            b = s.getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        public int read() {
            return i < b.length ? b[i++] & 0xff : -1;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int c = read();
            if (c < 0) {
                return -1;
            }
            dst[off] = (byte) c;
            return 1;
        }
    }
}
