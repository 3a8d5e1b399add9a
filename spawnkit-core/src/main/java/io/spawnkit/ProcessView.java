package io.spawnkit;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link ChildProcess#toProcess()}: the {@link Process} contract over a spawnkit child. Streams
 * that are not pipes read as empty and discard writes, as {@link ProcessBuilder}'s redirected
 * streams do; {@link #exitValue()} reports a death by signal N as 128 + N, as the JDK does.
 */
final class ProcessView extends Process {
    private final ChildProcess child;
    private OutputStream stdin;
    private InputStream stdout;
    private InputStream stderr;

    ProcessView(ChildProcess child) {
        this.child = child;
    }

    @Override
    public synchronized OutputStream getOutputStream() {
        if (stdin == null) {
            stdin = isPipe(0, true) ? child.stdin().outputStream() : OutputStream.nullOutputStream();
        }
        return stdin;
    }

    @Override
    public synchronized InputStream getInputStream() {
        if (stdout == null) {
            stdout = isPipe(1, false) ? child.stdout().inputStream() : InputStream.nullInputStream();
        }
        return stdout;
    }

    @Override
    public synchronized InputStream getErrorStream() {
        if (stderr == null) {
            stderr = isPipe(2, false) ? child.stderr().inputStream() : InputStream.nullInputStream();
        }
        return stderr;
    }

    private boolean isPipe(int fd, boolean childReads) {
        try {
            if (childReads) {
                child.input(fd);
            } else {
                child.output(fd);
            }
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    @Override
    public int waitFor() throws InterruptedException {
        return child.waitFor().shellCode();
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        return child.waitFor(java.time.Duration.ofNanos(unit.toNanos(timeout))).isPresent();
    }

    @Override
    public int exitValue() {
        return child.poll().orElseThrow(() -> new IllegalThreadStateException("process hasn't exited")).shellCode();
    }

    @Override
    public void destroy() {
        child.kill(Signal.TERM);
    }

    @Override
    public Process destroyForcibly() {
        child.kill(Signal.KILL);
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    @Override
    public boolean isAlive() {
        return child.isAlive();
    }

    @Override
    public long pid() {
        return child.pid();
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return child.onExit().thenApply(s -> this);
    }

    @Override
    public ProcessHandle toHandle() {
        return ProcessHandle.of(child.pid()).orElseThrow(
                () -> new IllegalStateException("pid " + child.pid() + " has ended"));
    }

    @Override
    public String toString() {
        return "Process[" + child + "]";
    }
}
