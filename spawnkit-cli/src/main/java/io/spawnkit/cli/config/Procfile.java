package io.spawnkit.cli.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A foreman-compatible Procfile: one process type per line.
 *
 * <pre>
 *   # comments and blank lines are ignored
 *   web: python3 -m http.server $PORT
 *   worker:   bundle exec sidekiq      -> command "bundle exec sidekiq"
 * </pre>
 *
 * <table>
 *   <caption>What a line means</caption>
 *   <tr><th>line</th><th>result</th></tr>
 *   <tr><td>{@code web: cmd args}</td><td>process {@code web}, command {@code cmd args} (run by {@code /bin/sh -c})</td></tr>
 *   <tr><td>{@code   web :  cmd  }</td><td>the same: spaces around the name and the command are trimmed</td></tr>
 *   <tr><td>empty, only spaces, or first non-space character {@code #}</td><td>ignored</td></tr>
 *   <tr><td>{@code web cmd}</td><td>error {@code expected 'name: command'}</td></tr>
 *   <tr><td>{@code my.web: cmd}</td><td>error {@code invalid process name 'my.web' (letters, digits, '_' and '-')}</td></tr>
 *   <tr><td>{@code web:}</td><td>error {@code empty command for 'web'}</td></tr>
 *   <tr><td>{@code web: x} twice</td><td>error {@code duplicate process name 'web' (first on line N)}</td></tr>
 * </table>
 *
 * <p>Unlike foreman, which skips lines it cannot read, every malformed line is an error. The
 * command is kept as written, a {@code #} in it included: the shell decides what it means.
 */
final class Procfile {
    /** A process type's name: what {@code web.1} and the log prefix are made of. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    /** One line of a Procfile. */
    record Entry(String name, String command, int line) {}

    private Procfile() {}

    /**
     * The entries of {@code text} in file order.
     *
     * @param file the file name used in messages
     * @throws ConfigException {@code file:line: message}
     */
    static List<Entry> parse(String file, String text) throws ConfigException {
        List<Entry> entries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        String[] lines = ConfigText.lines(text);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw ConfigException.at(file, lineNo, "expected 'name: command'");
            }
            String name = line.substring(0, colon).strip();
            String command = line.substring(colon + 1).strip();
            if (name.isEmpty()) {
                throw ConfigException.at(file, lineNo, "expected 'name: command'");
            }
            if (!NAME.matcher(name).matches()) {
                throw ConfigException.at(file, lineNo, "invalid process name '" + name + "' (letters, digits, '_' and '-')");
            }
            if (command.isEmpty()) {
                throw ConfigException.at(file, lineNo, "empty command for '" + name + "'");
            }
            Integer first = seen.putIfAbsent(name, lineNo);
            if (first != null) {
                throw ConfigException.at(file, lineNo, "duplicate process name '" + name + "' (first on line " + first + ")");
            }
            entries.add(new Entry(name, command, lineNo));
        }
        return entries;
    }
}
