package io.spawnkit;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A signal: its portable name ({@code "TERM"}, without the {@code SIG} prefix) and this platform's
 * number.
 *
 * <p>Numbers follow the platform the JVM runs on: Linux numbering on Linux (and on platforms with
 * no table of their own), BSD numbering on macOS ({@code USR1} is 10 on Linux, 30 on macOS).
 * Signals without a portable name (real-time signals, say) are still representable through
 * {@link #of(int)}; their name is {@code "SIG" + number}.
 *
 * <p>On Windows only {@link #KILL}, {@link #TERM} and {@link #INT} have a meaning (TerminateProcess,
 * CTRL_BREAK and CTRL_C); a backend refuses the others with an {@link UnsupportedOperationException}.
 */
public final class Signal {
    private static final boolean MACOS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac");
    private static final Map<String, Signal> BY_NAME = new LinkedHashMap<>();
    private static final Map<Integer, Signal> BY_NUMBER = new LinkedHashMap<>();

    public static final Signal HUP = define("HUP", 1, 1);
    public static final Signal INT = define("INT", 2, 2);
    public static final Signal QUIT = define("QUIT", 3, 3);
    public static final Signal ILL = define("ILL", 4, 4);
    public static final Signal TRAP = define("TRAP", 5, 5);
    public static final Signal ABRT = define("ABRT", 6, 6);
    public static final Signal BUS = define("BUS", 7, 10);
    public static final Signal FPE = define("FPE", 8, 8);
    public static final Signal KILL = define("KILL", 9, 9);
    public static final Signal USR1 = define("USR1", 10, 30);
    public static final Signal SEGV = define("SEGV", 11, 11);
    public static final Signal USR2 = define("USR2", 12, 31);
    public static final Signal PIPE = define("PIPE", 13, 13);
    public static final Signal ALRM = define("ALRM", 14, 14);
    public static final Signal TERM = define("TERM", 15, 15);
    public static final Signal CHLD = define("CHLD", 17, 20);
    public static final Signal CONT = define("CONT", 18, 19);
    public static final Signal STOP = define("STOP", 19, 17);
    public static final Signal TSTP = define("TSTP", 20, 18);
    public static final Signal TTIN = define("TTIN", 21, 21);
    public static final Signal TTOU = define("TTOU", 22, 22);
    public static final Signal URG = define("URG", 23, 16);
    public static final Signal XCPU = define("XCPU", 24, 24);
    public static final Signal XFSZ = define("XFSZ", 25, 25);
    public static final Signal VTALRM = define("VTALRM", 26, 26);
    public static final Signal PROF = define("PROF", 27, 27);
    public static final Signal WINCH = define("WINCH", 28, 28);
    public static final Signal SYS = define("SYS", 31, 12);

    private final String name;
    private final int number;

    private Signal(String name, int number) {
        this.name = name;
        this.number = number;
    }

    private static Signal define(String name, int linux, int macos) {
        Signal s = new Signal(name, MACOS ? macos : linux);
        BY_NAME.put(name, s);
        BY_NUMBER.putIfAbsent(s.number, s);
        return s;
    }

    /** The signal with this platform number; unnamed numbers get the name {@code SIG<n>}. */
    public static Signal of(int number) {
        if (number <= 0 || number > 128) {
            throw new IllegalArgumentException("not a signal number: " + number);
        }
        Signal s = BY_NUMBER.get(number);
        return s != null ? s : new Signal("SIG" + number, number);
    }

    /** The signal with this name, with or without the {@code SIG} prefix, in any case. */
    public static Optional<Signal> byName(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        if (n.startsWith("SIG") && !BY_NAME.containsKey(n)) {
            n = n.substring(3);
        }
        return Optional.ofNullable(BY_NAME.get(n));
    }

    /** The name without the {@code SIG} prefix, e.g. {@code "TERM"}. */
    public String name() {
        return name;
    }

    /** This platform's number for the signal. */
    public int number() {
        return number;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Signal s && s.number == number;
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(number);
    }

    /** {@code SIGTERM(15)}. */
    @Override
    public String toString() {
        return (name.startsWith("SIG") ? name : "SIG" + name) + "(" + number + ")";
    }
}
