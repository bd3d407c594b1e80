package jsora.models.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Open-Sora's inline JSON options, split off and checked as its {@code extract_json_from_prompts} does. */
class PromptJsonTest {
    @Test
    void theTextBeforeTheBraceGoesOn() {
        assertEquals("a red panda", PromptJson.textBefore("a red panda"));
        assertEquals("a red panda.", PromptJson.textBefore("a red panda.{}"));
        assertEquals("a red panda ", PromptJson.textBefore("a red panda { \t}"));
        assertEquals("", PromptJson.textBefore("{}"));
    }

    @Test
    void whatOpenSoraRefusesIsRefusedWithTheReason() {
        refused("a cat {\"a\": {\"b\": 1}}", "more than one \"{\"");
        refused("a cat {} and {}", "more than one \"{\"");
        refused("a cat {not json}", "is not valid JSON");
        refused("a cat {\"fps\": 8}", "option \"fps\" in its JSON is not one of Open-Sora's");
        refused("a cat {} trailing", "is not valid JSON");
    }

    @Test
    void openSorasOwnOptionsAreNamedAsNotSupportedYet() {
        refused("a cat.{\"reference_path\": \"x.png\"}", "option reference_path in its JSON: not supported yet");
        refused("a cat.{\"reference_path\": \"x.png\", \"mask_strategy\": \"0\"}",
                "options reference_path, mask_strategy in its JSON: not supported yet");
    }

    private static void refused(String prompt, String why) {
        String m = assertThrows(IllegalArgumentException.class, () -> PromptJson.textBefore(prompt)).getMessage();
        assertTrue(m.startsWith("the prompt \"") && m.contains(why), m);
    }
}
