/** Benchmarks of spawnkit against ProcessBuilder and other libraries; built in the benchmark issue. */
package io.spawnkit.bench;
