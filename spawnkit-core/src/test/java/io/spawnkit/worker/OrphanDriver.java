package io.spawnkit.worker;

/**
 * A parent that starts an {@link WorkerTasks.Echo} worker, prints {@code pid N} (the worker's) and
 * waits to be killed: {@code WorkerTest.aWorkerWhoseParentIsKilledExits} SIGKILLs it. An argument
 * names the {@link WorkerSpec.Transport}.
 */
public final class OrphanDriver {
    private OrphanDriver() {}

    public static void main(String[] args) throws Exception {
        WorkerSpec spec = WorkerSpec.of(WorkerTasks.Echo.class).jvmOptions(WorkerTest.JVM_OPTIONS);
        if (args.length > 0) {
            spec.transport(WorkerSpec.Transport.valueOf(args[0]));
        }
        Worker w = spec.start();
        w.channel().sendBlocking("ready", Codec.utf8());
        w.channel().receiveString(); // the worker is up and echoing
        System.out.println("pid " + w.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
