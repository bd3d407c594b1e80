package jsora.models.pipeline;

import java.util.List;

/**
 * Open-Sora 1.2's inline options of a prompt ({@code extract_json_from_prompts} in
 * {@code opensora/utils/inference_utils.py}, run by {@code scripts/inference.py} before anything else touches the
 * prompt): {@code re.split(r"(?=[{])", prompt)} cuts the prompt before each "{"; more than two parts fail; the second
 * part, from the "{" to the end, must be a JSON object ({@code json.loads}) whose keys are options, and only the first
 * part goes on to T5. Open-Sora's two options (reference_path, mask_strategy) are image and video conditioning, which
 * jsora does not do yet, so only an empty object passes.
 */
public final class PromptJson {
    /** The keys {@code extract_json_from_prompts} takes; any other is an error there too. */
    private static final List<String> OPEN_SORA_KEYS = List.of("reference_path", "mask_strategy");
    /** Characters of a prompt a message quotes. */
    private static final int QUOTED = 60;

    private PromptJson() {
    }

    /** The text before the prompt's "{" (all of it if none), once the options from there on are checked. */
    public static String textBefore(String prompt) {
        int brace = prompt.indexOf('{');
        if (brace < 0) {
            return prompt;
        }
        if (prompt.indexOf('{', brace + 1) >= 0) {
            throw refuse(prompt, "it holds more than one \"{\"; Open-Sora reads a prompt from its \"{\" on as a JSON "
                    + "object of options (with no object inside) and refuses it too: remove the braces");
        }
        List<String> keys;
        try {
            keys = PythonJson.objectKeys(prompt.substring(brace));
        } catch (IllegalArgumentException e) {
            throw refuse(prompt, "Open-Sora reads a prompt from its \"{\" on as a JSON object of options, and this "
                    + "is not valid JSON (" + e.getMessage() + " from the \"{\"): remove the braces");
        }
        for (String key : keys) {
            if (!OPEN_SORA_KEYS.contains(key)) {
                throw refuse(prompt, "option \"" + key + "\" in its JSON is not one of Open-Sora's ("
                        + String.join(", ", OPEN_SORA_KEYS) + ")");
            }
        }
        if (!keys.isEmpty()) {
            throw refuse(prompt, (keys.size() == 1 ? "option " : "options ") + String.join(", ", keys)
                    + " in its JSON: not supported yet (jsora generates from text alone, without reference images or "
                    + "videos)");
        }
        return prompt.substring(0, brace);
    }

    /** "the prompt "…": why", quoting at most {@link #QUOTED} characters, line breaks and tabs as spaces. */
    private static IllegalArgumentException refuse(String prompt, String why) {
        String quoted = prompt.codePointCount(0, prompt.length()) <= QUOTED ? prompt
                : prompt.substring(0, prompt.offsetByCodePoints(0, QUOTED)) + "...";
        return new IllegalArgumentException("the prompt \"" + quoted.replaceAll("\\p{Cntrl}", " ") + "\": " + why);
    }
}
