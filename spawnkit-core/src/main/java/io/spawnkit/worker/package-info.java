/**
 * Worker JVMs with a message channel: Python multiprocessing's "spawn" start method for Java.
 *
 * <p>{@link io.spawnkit.worker.WorkerSpec#start()} runs a new JVM (this JVM's {@code java}, its class
 * path and module path, your options) through spawnkit's own {@link io.spawnkit.Command}. Its main
 * class, {@link io.spawnkit.worker.WorkerMain}, opens the {@link io.spawnkit.worker.Channel} and runs
 * your {@link io.spawnkit.worker.WorkerTask}.
 *
 * <h2>Descriptors</h2>
 * The channel is two pipes: the worker reads the parent's frames on descriptor 3 and writes its own
 * on descriptor 4 ({@code Command.fd(3, Stdio.readPipe())}, {@code fd(4, Stdio.writePipe())}); the
 * parent's ends are {@code ChildProcess.input(3)} and {@code output(4)}. The worker opens them
 * without native code as {@code /dev/fd/3} and {@code /dev/fd/4} (on Linux {@code /proc/self/fd},
 * which reopens the pipe; on macOS a dup), then closes 3 and 4 themselves through
 * {@link io.spawnkit.os.Os} where it can (Linux with native access), so that the task closing its
 * channel is the end for the parent at once, not when the worker exits. Descriptors 5 and up carry what
 * {@link io.spawnkit.worker.WorkerSpec#passFd(int, io.spawnkit.Stdio)} passes
 * ({@link io.spawnkit.worker.WorkerContext#openInput(int)} / {@code openOutput(int)} in the worker).
 *
 * <p>On Windows the descriptors are the C runtime's: the Windows backend passes 3, 4 and the passed
 * ones in the worker's descriptor table ({@code STARTUPINFO.lpReserved2}), which the worker JVM's
 * ucrtbase reads at start-up; the worker takes each handle ({@code _get_osfhandle}, a
 * non-inheritable duplicate, {@code _close}) and reads and writes it with ReadFile/WriteFile.
 *
 * <p>The JDK fallback backend ({@code spawnkit.backend=jdk}, no native access, or a system without
 * a native backend yet, such as macOS) cannot set descriptors above 2: there the channel is a
 * loopback TCP connection instead ({@link io.spawnkit.worker.WorkerSpec.Transport#LOOPBACK}, which
 * can also be chosen anywhere): the worker connects to a port the parent listens on and presents a
 * random key it was given in its environment and its pid. Same frames, limits, backpressure and end
 * rules; {@code passFd} still needs a native backend.
 *
 * <h2>Class path or module path</h2>
 * By default the worker runs everything on the class path: this JVM's {@code java.class.path}, its
 * {@code jdk.module.path} (its jars then load as unnamed-module code) and the code locations of
 * spawnkit and of the task class, unless {@link io.spawnkit.worker.WorkerSpec#classPath(String)}
 * says otherwise. With {@link io.spawnkit.worker.WorkerSpec#modulePath(String)} it runs on a module
 * path instead: {@code -m io.spawnkit/io.spawnkit.worker.WorkerMain} with
 * {@code --add-modules ALL-MODULE-PATH}, so the task keeps its module (services, encapsulation);
 * its package must then be exported to {@code io.spawnkit}. The task class needs a public
 * no-argument constructor.
 *
 * <h2>Frames</h2>
 * A 4-byte big-endian length, then the payload; at most 64 MiB unless
 * {@link io.spawnkit.worker.WorkerSpec#maxFrameSize(int)} says otherwise (both sides use the same
 * limit). A bigger message is refused before anything is written; a bigger announced frame ends
 * the channel. End of stream on a frame boundary: the peer closed; inside a frame: truncated. See
 * {@link io.spawnkit.worker.ChannelClosedException.Reason}. No {@code java.io.Serializable} codec is
 * offered: deserialising a peer's bytes is a code-execution hazard ({@link io.spawnkit.worker.Codec}).
 *
 * <h2>Ends and exits</h2>
 * <ul>
 * <li>The task returns: the worker flushes and closes its end, then exits 0 (also when non-daemon
 *     threads remain, as multiprocessing's {@code os._exit}). The parent's {@code receive} takes
 *     the remaining messages, then throws {@link io.spawnkit.worker.ChannelClosedException}
 *     ({@code PEER_CLOSED}).</li>
 * <li>The task throws: stack trace on the worker's stderr, exit {@value io.spawnkit.worker.Worker#EXIT_TASK_FAILED}.
 *     A worker that crashes or is killed: the parent sees the status in
 *     {@link io.spawnkit.worker.Worker#onExit()} and {@code PEER_CLOSED} (or {@code TRUNCATED} if it
 *     died inside a frame) on the channel.</li>
 * <li>The parent closes the channel ({@link io.spawnkit.worker.Worker#close()}) or dies (the kernel
 *     closes its descriptors): the worker's reader sees the end; a task blocked in {@code receive}
 *     gets {@code ChannelClosedException} and can return; a task still running after
 *     {@link io.spawnkit.worker.WorkerSpec#exitGrace(java.time.Duration)} (1 s) is ended with exit
 *     {@value io.spawnkit.worker.Worker#EXIT_ABANDONED}. The worker also watches the parent's
 *     process ({@link java.lang.ProcessHandle#onExit()}), for a task that leaves so much unread that
 *     the reader never gets as far as the end. So no worker outlives its parent by more than the
 *     grace (unless its shutdown hooks hang). Closing is the end of the conversation, not of
 *     the parent's half of it: a parent that wants results after its last request receives them
 *     before it closes.</li>
 * <li>{@link io.spawnkit.worker.Worker#terminate()}: {@code SIGTERM}; the JVM runs its shutdown hooks
 *     and exits {@value io.spawnkit.worker.Worker#EXIT_TERMINATED} (128 + 15). On Windows there is
 *     no signal to ask one process to stop: the backend calls {@code TerminateProcess(handle, 1)},
 *     so the worker ends at once, without shutdown hooks, with exit code 1 (as after
 *     {@code kill()}; libuv's choice). Multiprocessing's TerminateProcess uses 0x10000 instead and
 *     reports it as {@code -SIGTERM}; spawnkit reports what Windows reports.</li>
 * </ul>
 */
package io.spawnkit.worker;
