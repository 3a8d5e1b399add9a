package io.spawnkit.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Whatever the argument vector, the command line {@link WindowsCommandLine} builds gives it back
 * through both parsers a child may use (modelled by {@link ArgvParsers}).
 */
class CommandLinePropertyTest {

    // Pieces chosen for the rules they exercise: separators, quotes, runs of backslashes (so also
    // trailing ones), characters other parsers care about, and non-ASCII including a surrogate pair.
    private static final List<String> PIECES = List.of(
            "a", "b", "Z", "0", "-", " ", "  ", "\t", "\"", "\"\"", "\\", "\\\\", "\\\\\\", "%", "&", "^",
            "'", "=", ",", ";", "\n", "\u000B", "é", "\u4E2D", "\uD83D\uDE00", "\u00A0");
    // A program name cannot hold a quote; anything else goes.
    private static final List<String> PROGRAM_PIECES = List.of(
            "a", "x", ".exe", " ", "\t", "\\", "C:", "/", "é", "\uD83D\uDE00", "%", "&", "(", ")");

    @Provide
    Arbitrary<String> argument() {
        Arbitrary<String> pieces = Arbitraries.of(PIECES).list().ofMaxSize(10).map(l -> String.join("", l));
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(12).filter(s -> s.indexOf('\0') < 0);
        return Arbitraries.frequencyOf(
                Tuple.of(4, pieces), Tuple.of(1, anything));
    }

    @Provide
    Arbitrary<List<String>> arguments() {
        return argument().list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> program() {
        return Arbitraries.of(PROGRAM_PIECES).list().ofMaxSize(8).map(l -> String.join("", l));
    }

    @Property(tries = 5000)
    void bothParsersGiveTheArgumentVectorBack(@ForAll("program") String program,
            @ForAll("arguments") List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(program);
        argv.addAll(args);
        String line = WindowsCommandLine.build(argv, false);
        assertThat(ArgvParsers.commandLineToArgvW(line)).as(line).isEqualTo(argv);
        assertThat(ArgvParsers.msvcrt2008(line)).as(line).isEqualTo(argv);
    }

    @Property(tries = 2000)
    void programNamesRoundTripAlone(@ForAll("program") String program) {
        String line = WindowsCommandLine.build(List.of(program), false);
        assertThat(ArgvParsers.commandLineToArgvW(line)).as(line).containsExactly(program);
        assertThat(ArgvParsers.msvcrt2008(line)).as(line).containsExactly(program);
    }

    @Property(tries = 2000)
    void verbatimChangesNothingAfterTheProgramName(@ForAll("program") String program,
            @ForAll("arguments") List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(program);
        argv.addAll(args);
        String line = WindowsCommandLine.build(argv, true);
        String name = WindowsCommandLine.build(List.of(program), true);
        StringBuilder expected = new StringBuilder(name);
        for (String a : args) {
            expected.append(' ').append(a);
        }
        assertThat(line).isEqualTo(expected.toString());
        assertThat(ArgvParsers.commandLineToArgvW(line).get(0)).isEqualTo(program);
    }
}
