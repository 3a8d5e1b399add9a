package io.spawnkit.worker;

import java.nio.ByteBuffer;
import java.nio.file.Files;

/** The tasks the worker tests run in their worker JVMs, one per behaviour. */
public final class WorkerTasks {
    private WorkerTasks() {}

    /** Sends every message back until the channel ends, then returns (exit 0). */
    public static final class Echo implements WorkerTask {
        @Override
        public void run(WorkerContext context) throws Exception {
            Channel channel = context.channel();
            try {
                while (true) {
                    channel.sendBlocking(channel.receive());
                }
            } catch (ChannelClosedException parentClosed) {
                // done
            }
        }
    }

    /** {@code throw}: throws; {@code halt N}: sends "halting", then Runtime.halt(N). */
    public static final class Crash implements WorkerTask {
        @Override
        public void run(WorkerContext context) throws Exception {
            if (context.args().get(0).equals("throw")) {
                throw new IllegalStateException("the task failed on purpose");
            }
            context.channel().sendBlocking("halting", Codec.utf8());
            Runtime.getRuntime().halt(Integer.parseInt(context.args().get(1)));
        }
    }

    /** Never reads the channel; sleeps until killed (terminate, abandoned-worker tests). */
    public static final class Sleep implements WorkerTask {
        @Override
        public void run(WorkerContext context) throws Exception {
            context.channel().sendBlocking("sleeping", Codec.utf8());
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /**
     * Writes bad frames through the channel's sink, behind its framing: {@code huge} a header
     * announcing 2^31-1 bytes; {@code truncated} a header announcing 100 bytes and only 10 of them.
     */
    public static final class Raw implements WorkerTask {
        @Override
        public void run(WorkerContext context) throws Exception {
            byte[] bad = context.args().get(0).equals("huge")
                    ? ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(0).array()
                    : ByteBuffer.allocate(14).putInt(100).array();
            context.channel().sink().write(bad).get();
            context.channel().sink().close();
            Runtime.getRuntime().halt(0); // nothing after the bad frame
        }
    }

    /** Sends "closing", closes its channel, then sleeps until killed (the parent must see the end now). */
    public static final class CloseEarly implements WorkerTask {
        @Override
        public void run(WorkerContext context) throws Exception {
            context.channel().sendBlocking("closing", Codec.utf8());
            context.channel().close();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Sends the contents of the passed descriptor 5. */
    public static final class ReadFd implements WorkerTask {
        @Override
        public void run(WorkerContext context) throws Exception {
            context.channel().sendBlocking(Files.readAllBytes(context.fd(5)));
        }
    }
}
