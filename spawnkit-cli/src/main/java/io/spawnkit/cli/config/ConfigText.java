package io.spawnkit.cli.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading a config file as text, with the errors every reader reports the same way. */
final class ConfigText {
    private ConfigText() {}

    /**
     * The file's text: strict UTF-8, a leading byte-order mark dropped.
     *
     * @throws ConfigException {@code file: no such file}, {@code file: not valid UTF-8},
     *                         {@code file: is a directory} or {@code file: cannot read: reason}
     */
    static String read(Path file) throws ConfigException {
        if (Files.isDirectory(file)) {
            throw new ConfigException(file + ": is a directory");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": not valid UTF-8");
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /**
     * The lines of {@code text}, split at {@code \n}, a {@code \r} before it dropped; a final
     * newline does not start another line. Index 0 is line 1.
     */
    static String[] lines(String text) {
        String[] lines = text.split("\n", -1);
        int n = lines.length;
        if (n > 0 && lines[n - 1].isEmpty()) {
            n--;
        }
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            String l = lines[i];
            out[i] = l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
        }
        return out;
    }
}
