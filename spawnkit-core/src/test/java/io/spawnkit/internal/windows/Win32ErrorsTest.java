package io.spawnkit.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Win32ErrorsTest {

    @Test
    void theErrorsSpawningMeetsHaveTheirSdkNames() {
        assertThat(Win32Errors.name(2)).isEqualTo("ERROR_FILE_NOT_FOUND");
        assertThat(Win32Errors.name(3)).isEqualTo("ERROR_PATH_NOT_FOUND");
        assertThat(Win32Errors.name(5)).isEqualTo("ERROR_ACCESS_DENIED");
        assertThat(Win32Errors.name(8)).isEqualTo("ERROR_NOT_ENOUGH_MEMORY");
        assertThat(Win32Errors.name(13)).isEqualTo("ERROR_INVALID_DATA");
        assertThat(Win32Errors.name(87)).isEqualTo("ERROR_INVALID_PARAMETER");
        assertThat(Win32Errors.name(109)).isEqualTo("ERROR_BROKEN_PIPE");
        assertThat(Win32Errors.name(123)).isEqualTo("ERROR_INVALID_NAME");
        assertThat(Win32Errors.name(193)).isEqualTo("ERROR_BAD_EXE_FORMAT");
        assertThat(Win32Errors.name(206)).isEqualTo("ERROR_FILENAME_EXCED_RANGE");
        assertThat(Win32Errors.name(232)).isEqualTo("ERROR_NO_DATA");
        assertThat(Win32Errors.name(258)).isEqualTo("WAIT_TIMEOUT");
        assertThat(Win32Errors.name(267)).isEqualTo("ERROR_DIRECTORY");
        assertThat(Win32Errors.name(535)).isEqualTo("ERROR_PIPE_CONNECTED");
        assertThat(Win32Errors.name(740)).isEqualTo("ERROR_ELEVATION_REQUIRED");
        assertThat(Win32Errors.name(995)).isEqualTo("ERROR_OPERATION_ABORTED");
        assertThat(Win32Errors.name(997)).isEqualTo("ERROR_IO_PENDING");
        assertThat(Win32Errors.name(1314)).isEqualTo("ERROR_PRIVILEGE_NOT_HELD");
    }

    @Test
    void unknownCodesKeepTheirNumber() {
        assertThat(Win32Errors.name(12345)).isEqualTo("ERROR_12345");
        assertThat(Win32Errors.message(12345)).isEqualTo("Win32 error 12345");
        assertThat(Win32Errors.name(0xC0000005)).isEqualTo("ERROR_3221225477");
    }

    @Test
    void describeJoinsNameAndMessage() {
        assertThat(Win32Errors.describe(2)).isEqualTo("ERROR_FILE_NOT_FOUND (the file was not found)");
        assertThat(Win32Errors.describe(267)).isEqualTo("ERROR_DIRECTORY (the directory name is invalid)");
    }

    /** Every ERROR_* code of Win32Constants is named after its own field, and has a message of its own. */
    @Test
    void everyErrorConstantIsNamedAndDescribed() throws IllegalAccessException {
        Set<String> messages = new HashSet<>();
        int count = 0;
        for (Field f : Win32Constants.class.getDeclaredFields()) {
            if (f.getName().startsWith("ERROR_") && Modifier.isStatic(f.getModifiers())) {
                int code = f.getInt(null);
                assertThat(Win32Errors.name(code)).as(f.getName()).isEqualTo(f.getName());
                assertThat(Win32Errors.message(code)).as(f.getName()).doesNotStartWith("Win32 error");
                assertThat(messages.add(Win32Errors.message(code))).as("one message per code: " + f.getName()).isTrue();
                count++;
            }
        }
        assertThat(count).isGreaterThanOrEqualTo(30);
    }
}
