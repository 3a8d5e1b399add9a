package io.spawnkit.worker;

/**
 * A parent that starts an {@link WorkerTasks.Echo} worker, prints {@code pid N} (the worker's) and
 * waits to be killed: {@code WorkerTest.aWorkerWhoseParentIsKilledExits} SIGKILLs it.
 */
public final class OrphanDriver {
    private OrphanDriver() {}

    public static void main(String[] args) throws Exception {
        Worker w = WorkerSpec.of(WorkerTasks.Echo.class).jvmOptions(WorkerTest.JVM_OPTIONS).start();
        w.channel().sendBlocking("ready", Codec.utf8());
        w.channel().receiveString(); // the worker is up and echoing
        System.out.println("pid " + w.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
