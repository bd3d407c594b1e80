package jsora.models.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JSON check agrees with Python's {@code json.loads} (each verdict below is Python 3's) where JSON dialects
 * differ: NaN and Infinity, leading zeros, trailing commas, control characters, white space, escapes.
 */
class PythonJsonTest {
    @Test
    void acceptsWhatPythonAccepts() {
        assertEquals(List.of(), PythonJson.objectKeys("{}"));
        assertEquals(List.of(), PythonJson.objectKeys("{ \t\r\n}\n "));
        assertEquals(List.of("a", "b"), PythonJson.objectKeys("{\"a\": NaN, \"b\": [-Infinity, Infinity, -0, 1.5e-7, 1E+5]}"));
        assertEquals(List.of("a", "b"), PythonJson.objectKeys("{\"a\": 1, \"b\": 2, \"a\": 3}"), "duplicates once, first place");
        assertEquals(List.of("reference_path"), PythonJson.objectKeys("{\"\\u0072eference_path\": \"x\\n\\\"\\/\"}"));
        assertEquals(List.of("x"), PythonJson.objectKeys("{\"x\": {\"y\": [[], [true, false, null]]}}"));
        assertEquals(List.of("\u00e9"), PythonJson.objectKeys("{\"\\u00E9\": \"\\ud83d\"}"));
    }

    @Test
    void refusesWhatPythonRefuses() {
        for (String bad : new String[] {"{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{'a': 1}", "{a: 1}", "{\"a\": 01}",
                "{\"a\": 1.}", "{\"a\": .5}", "{\"a\": 1e}", "{\"a\": -}", "{\"a\": +1}", "{\"a\": tru}", "{\"a\": nan}",
                "{\"a\": [1,]}", "{\"a\": \"\t\"}", "{\"a\": \"x\\q\"}", "{\"a\": \"\\u00g0\"}", "{\"a\": \"\\u12\"}",
                "{\"a\": \"x}", "{\"a\": 1} x", "{\"a\": 1}}", "{\u00a0}", "{\u000b}", "{\"a\": 1 2}", "[1]", "\"a\"",
                "{\"a\": " + "[".repeat(1000) + "]".repeat(1000) + "}"}) {
            assertThrows(IllegalArgumentException.class, () -> PythonJson.objectKeys(bad), bad);
        }
    }

    @Test
    void saysWhereTheJsonBreaks() {
        assertEquals("expecting ':' at character 5",
                assertThrows(IllegalArgumentException.class, () -> PythonJson.objectKeys("{\"a\" 1}")).getMessage());
        assertEquals("extra data after the JSON object at character 9",
                assertThrows(IllegalArgumentException.class, () -> PythonJson.objectKeys("{\"a\": 1} x")).getMessage());
    }
}
