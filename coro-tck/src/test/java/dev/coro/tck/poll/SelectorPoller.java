package dev.coro.tck.poll;

import dev.coro.spi.Poller;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * A simple correct {@link Poller} over a {@link Selector}, for checking {@link PollerVerification}
 * itself (the real nio poller lives in coro-poll-nio). Invariants: a key's interest is the union of
 * its live registrations' ops; a registration is removed when reported or cancelled, never both;
 * {@link #made} holds every key not yet found invalid, and each poll reports {@code CLOSED} to the
 * registrations of those it finds invalid (a search of them all: simple, not fast).
 * The protected hooks let {@code BrokenPollers} break one rule each.
 */
public class SelectorPoller implements Poller {
    protected final Selector selector;
    protected int live;
    private final List<SelectionKey> made = new ArrayList<>();

    /** A one-shot registration: its key's attachment is the list of these. */
    protected final class Reg implements Registration {
        final SelectionKey key;
        final int ops;
        final Object attachment;
        boolean active = true;

        Reg(SelectionKey key, int ops, Object attachment) {
            this.key = key;
            this.ops = ops;
            this.attachment = attachment;
        }

        @Override
        public void cancel() {
            cancelled(this);
        }
    }

    public SelectorPoller() throws IOException {
        this.selector = Selector.open();
    }

    @Override
    public String name() {
        return "tck-selector";
    }

    @Override
    public Registration register(SelectableChannel channel, int ops, Object attachment) throws IOException {
        SelectionKey key = channel.keyFor(selector);
        if (key == null) {
            key = channel.register(selector, 0, new ArrayList<Reg>());
            made.add(key);
        }
        Reg r = new Reg(key, ops, attachment);
        add(key, r);
        live++;
        updateInterest(key);
        return r;
    }

    /** Adds {@code r} to its key's registrations. */
    protected void add(SelectionKey key, Reg r) {
        regs(key).add(r);
    }

    @SuppressWarnings("unchecked")
    protected static List<Reg> regs(SelectionKey key) {
        return (List<Reg>) key.attachment();
    }

    /** Any registration's cancel() (idempotent: only a live one is retired). */
    protected void cancelled(Reg r) {
        if (r.active) {
            retire(r);
        }
    }

    /** Ends {@code r}: out of its key's list, interest updated. */
    protected void retire(Reg r) {
        r.active = false;
        regs(r.key).remove(r);
        live--;
        updateInterest(r.key);
    }

    private static void updateInterest(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        int interest = 0;
        for (Reg r : regs(key)) {
            interest |= (r.ops & READ) != 0 ? SelectionKey.OP_READ : 0;
            interest |= (r.ops & WRITE) != 0 ? SelectionKey.OP_WRITE : 0;
        }
        key.interestOps(interest);
    }

    @Override
    public int poll(long timeoutNanos, ReadySink sink) throws IOException {
        beforePoll();
        // A close is there to report: do not block.
        select(made.stream().anyMatch(k -> !k.isValid()) ? 0 : timeoutNanos);
        int n = 0;
        for (SelectionKey key : selector.selectedKeys()) {
            int ready = (key.isValid() && key.isReadable() ? READ : 0) | (key.isValid() && key.isWritable() ? WRITE : 0);
            for (Reg r : new ArrayList<>(regs(key))) {
                int mine = r.ops & ready;
                if (mine != 0) {
                    n += report(r, mine, sink);
                }
            }
        }
        selector.selectedKeys().clear();
        return counted(n + reportClosed(sink));
    }

    /** Reports CLOSED to the registrations of every channel closed since the last poll; returns how many. */
    protected int reportClosed(ReadySink sink) {
        int n = 0;
        for (java.util.Iterator<SelectionKey> it = made.iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            if (!key.isValid()) {
                it.remove();
                for (Reg r : new ArrayList<>(regs(key))) {
                    n += report(r, CLOSED, sink);
                }
            }
        }
        return n;
    }

    /** Called at the start of every poll. */
    protected void beforePoll() {
    }

    /** What poll returns, given how many it handed. */
    protected int counted(int handed) {
        return handed;
    }

    /** Waits for readiness as the SPI says: 0 not at all, negative until readiness or a wake-up. */
    protected void select(long timeoutNanos) throws IOException {
        if (timeoutNanos == 0) {
            selector.selectNow();
        } else if (timeoutNanos < 0) {
            selector.select();
        } else {
            // Rounded up: a poll never returns before its timeout only because of the millisecond grain.
            selector.select(Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
        }
    }

    /** Hands one readiness to the sink and retires the registration; returns how many it handed. */
    protected int report(Reg r, int ops, ReadySink sink) {
        retire(r);
        sink.ready(r.attachment, ops);
        return 1;
    }

    @Override
    public void wakeup() {
        try {
            selector.wakeup();
        } catch (ClosedSelectorException ignored) {
            // closed: nothing to wake
        }
    }

    @Override
    public int registrations() {
        return live;
    }

    @Override
    public void close() {
        if (!selector.isOpen()) {
            return;
        }
        for (SelectionKey key : selector.keys()) {
            for (Reg r : new ArrayList<>(regs(key))) {
                r.active = false;
            }
            regs(key).clear();
        }
        made.clear();
        live = 0;
        try {
            selector.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
