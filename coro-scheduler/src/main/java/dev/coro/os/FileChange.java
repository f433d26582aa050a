package dev.coro.os;

import dev.coro.spi.OsEvent;

import java.util.EnumSet;
import java.util.Set;

/** What can happen to a watched file or directory ({@link OsEvents#awaitChange}). */
public enum FileChange {
    /** The file's contents were written; for a directory, an entry was added, removed or renamed. */
    WRITE(OsEvent.FileChange.WRITE),
    /** The file grew. */
    EXTEND(OsEvent.FileChange.EXTEND),
    /** Its attributes changed (mode, owner, link count). */
    ATTRIB(OsEvent.FileChange.ATTRIB),
    /** It was renamed or moved. */
    RENAME(OsEvent.FileChange.RENAME),
    /** It was deleted. */
    DELETE(OsEvent.FileChange.DELETE);

    final int bit;

    FileChange(int bit) {
        this.bit = bit;
    }

    static int bits(Set<FileChange> changes) {
        int b = 0;
        for (FileChange c : changes) {
            b |= c.bit;
        }
        return b;
    }

    static Set<FileChange> of(int bits) {
        EnumSet<FileChange> s = EnumSet.noneOf(FileChange.class);
        for (FileChange c : values()) {
            if ((bits & c.bit) != 0) {
                s.add(c);
            }
        }
        return s;
    }
}
