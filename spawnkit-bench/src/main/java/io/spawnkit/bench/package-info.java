/**
 * Benchmarks of spawnkit against ProcessBuilder, NuProcess, zt-exec and Commons Exec (issue 3):
 * {@link io.spawnkit.bench.Run} makes one measurement per JVM for bench/run, and
 * {@link io.spawnkit.bench.Report} turns the collected lines into markdown. The JMH benchmarks live
 * in the core's packages ({@code io.spawnkit}, {@code io.spawnkit.internal},
 * {@code io.spawnkit.internal.linux}) to reach package-private code from the class path.
 */
package io.spawnkit.bench;
