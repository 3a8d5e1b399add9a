package io.spawnkit.worker;

/**
 * The code a worker JVM runs: a public class with a public no-argument constructor, named in
 * {@link WorkerSpec#of(Class)}. When {@link #run} returns the worker exits with status 0; when it
 * throws, the stack trace goes to the worker's stderr and it exits with
 * {@link Worker#EXIT_TASK_FAILED}.
 *
 * {@snippet :
 * public final class Echo implements WorkerTask {
 *     public void run(WorkerContext context) throws Exception {
 *         Channel channel = context.channel();
 *         try {
 *             while (true) {
 *                 channel.sendBlocking(channel.receive());
 *             }
 *         } catch (ChannelClosedException parentClosed) {
 *             // the parent closed the channel or died: done
 *         }
 *     }
 * }
 * }
 */
@FunctionalInterface
public interface WorkerTask {
    /** Does the work; the channel to the parent and the arguments are in {@code context}. */
    void run(WorkerContext context) throws Exception;
}
