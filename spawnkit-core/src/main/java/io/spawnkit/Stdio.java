package io.spawnkit;

import java.io.FileDescriptor;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What one descriptor of the child is connected to. A {@link Command} holds one {@code Stdio} per
 * child descriptor (0, 1, 2 and any number above); the child receives exactly those descriptors
 * and nothing else.
 *
 * <p>Defaults: {@link Command#spawn()} inherits 0, 1 and 2 from this JVM; {@link Command#output()}
 * reads stdin from {@link #ignore() /dev/null} and pipes stdout and stderr.
 *
 * {@snippet :
 * Command.of("sort")
 *     .stdin(Stdio.from(Path.of("names.txt")))
 *     .stdout(Stdio.to(Path.of("sorted.txt")))
 *     .stderr(Stdio.mergeWithStdout())
 *     .fd(3, Stdio.pipe())           // an extra pipe the child sees as fd 3
 *     .spawn();
 * }
 */
public sealed interface Stdio {

    /** Which way a pipe carries bytes, seen from the child. */
    enum Direction {
        /** Child reads on descriptor 0, writes on any other. */
        AUTO,
        /** The child reads; we write through {@link ChildProcess#input(int)}. */
        CHILD_READS,
        /** The child writes; we read through {@link ChildProcess#output(int)}. */
        CHILD_WRITES,
        /** Both ways: a Unix-domain socket pair; we have both ends of it. */
        DUPLEX
    }

    /** A new pipe: the child reads it on fd 0 and writes it on any other descriptor. */
    static Stdio pipe() {
        return new Pipe(Direction.AUTO);
    }

    /** A new pipe the child reads from (we write); for descriptors other than 0. */
    static Stdio readPipe() {
        return new Pipe(Direction.CHILD_READS);
    }

    /** A new pipe the child writes to (we read). */
    static Stdio writePipe() {
        return new Pipe(Direction.CHILD_WRITES);
    }

    /** A bidirectional channel (socketpair on POSIX): the child reads and writes the same descriptor. */
    static Stdio duplexPipe() {
        return new Pipe(Direction.DUPLEX);
    }

    /** The same descriptor as this JVM has (for fd 0, 1, 2: this JVM's stdin, stdout, stderr). */
    static Stdio inherit() {
        return Inherit.INSTANCE;
    }

    /** The null device: reads give EOF, writes are discarded. */
    static Stdio ignore() {
        return Ignore.INSTANCE;
    }

    /** The child reads this file; it must exist and be readable, or spawning fails naming it. */
    static Stdio from(Path file) {
        return new ReadFile(Objects.requireNonNull(file, "file"));
    }

    /** The child writes this file, created or truncated. */
    static Stdio to(Path file) {
        return new WriteFile(Objects.requireNonNull(file, "file"), false);
    }

    /** The child appends to this file, created if missing. */
    static Stdio appendTo(Path file) {
        return new WriteFile(Objects.requireNonNull(file, "file"), true);
    }

    /** This JVM's open descriptor {@code fd}, duplicated into the child. */
    static Stdio fd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative descriptor: " + fd);
        }
        return new ParentFd(fd);
    }

    /**
     * One of {@link FileDescriptor#in}, {@link FileDescriptor#out}, {@link FileDescriptor#err}.
     * Other {@code FileDescriptor}s do not reveal their number to code outside the JDK; pass their
     * number with {@link #fd(int)} instead.
     */
    static Stdio of(FileDescriptor descriptor) {
        if (descriptor == FileDescriptor.in) {
            return new ParentFd(0);
        } else if (descriptor == FileDescriptor.out) {
            return new ParentFd(1);
        } else if (descriptor == FileDescriptor.err) {
            return new ParentFd(2);
        }
        throw new IllegalArgumentException("only FileDescriptor.in, out and err can be named; use Stdio.fd(int)");
    }

    /** Whatever the child's descriptor 1 is connected to ({@code 2>&1}). */
    static Stdio mergeWithStdout() {
        return new SameAs(1);
    }

    /** Whatever the child's descriptor {@code childFd} is connected to ({@code n>&childFd}). */
    static Stdio sameAs(int childFd) {
        if (childFd < 0) {
            throw new IllegalArgumentException("negative descriptor: " + childFd);
        }
        return new SameAs(childFd);
    }

    /** A pipe we fill with these bytes and then close; for the child's stdin. */
    static Stdio bytes(byte[] data) {
        return new Bytes(data.clone());
    }

    /** {@link #bytes(byte[])} of the UTF-8 encoding of {@code text}. */
    static Stdio text(String text) {
        return text(text, StandardCharsets.UTF_8);
    }

    /** {@link #bytes(byte[])} of {@code text} in {@code charset}. */
    static Stdio text(String text, Charset charset) {
        return new Bytes(text.getBytes(charset));
    }

    /**
     * The read end of another child's pipe, handed over whole: a real OS pipe between the two
     * children, as in a shell pipeline. The stream must not have a consumer yet; after spawning,
     * this JVM no longer holds it.
     */
    static Stdio from(ReadEnd otherChildsOutput) {
        return new FromChild(Objects.requireNonNull(otherChildsOutput, "otherChildsOutput"));
    }

    /** A new pipe or socket pair. */
    record Pipe(Direction direction) implements Stdio {
        public Pipe {
            Objects.requireNonNull(direction, "direction");
        }

        /** The direction on child descriptor {@code fd}: {@link Direction#AUTO} made concrete. */
        public Direction directionFor(int fd) {
            if (direction != Direction.AUTO) {
                return direction;
            }
            return fd == 0 ? Direction.CHILD_READS : Direction.CHILD_WRITES;
        }
    }

    /** This JVM's descriptor of the same number. */
    enum Inherit implements Stdio { INSTANCE }

    /** The null device. */
    enum Ignore implements Stdio { INSTANCE }

    /** A file opened for reading. */
    record ReadFile(Path path) implements Stdio {}

    /** A file opened for writing, truncated or appended to. */
    record WriteFile(Path path, boolean append) implements Stdio {}

    /** A descriptor of this JVM. */
    record ParentFd(int fd) implements Stdio {}

    /** Another descriptor of the same child. */
    record SameAs(int childFd) implements Stdio {}

    /** Bytes fed through a pipe. */
    record Bytes(byte[] data) implements Stdio {
        @Override
        public String toString() {
            return "Bytes[" + data.length + " bytes]";
        }
    }

    /** Another child's output pipe. */
    record FromChild(ReadEnd source) implements Stdio {}
}
