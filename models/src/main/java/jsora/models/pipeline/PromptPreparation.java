package jsora.models.pipeline;

import java.math.BigDecimal;
import java.math.RoundingMode;
import jsora.models.caption.CaptionCleaner;

/**
 * Prepares a user's prompt as Open-Sora 1.2's {@code scripts/inference.py} does before T5 sees it:
 * {@code append_score_to_prompts} (the aesthetic score, and optionally the motion score and camera motion, each added
 * only when the prompt does not already say it), then {@code text_preprocessing} = {@link CaptionCleaner} applied twice.
 * {@link #raw()} skips all of it ({@code --raw-prompt}).
 *
 * @param aesthetic    aesthetic score, or null for none (Open-Sora 1.2 inference default 6.5)
 * @param motion       motion ("flow") score, or null for none (default)
 * @param cameraMotion camera motion text such as "pan right", or null for none (default)
 * @param clean        whether to run the caption cleaning
 */
public record PromptPreparation(Double aesthetic, Double motion, String cameraMotion, boolean clean) {
    /** Open-Sora 1.2's {@code configs/opensora-v1-2/inference/sample.py}: {@code aes = 6.5}. */
    public static final double DEFAULT_AESTHETIC_SCORE = 6.5;

    /** The reference defaults: aesthetic score 6.5, no motion score, no camera motion, cleaning on. */
    public static PromptPreparation openSoraDefaults() {
        return new PromptPreparation(DEFAULT_AESTHETIC_SCORE, null, null, true);
    }

    /** The prompt goes to the tokenizer untouched. */
    public static PromptPreparation raw() {
        return new PromptPreparation(null, null, null, false);
    }

    /**
     * Fails unless {@code prompt} holds a letter or digit (after the caption cleaning, when it is on): a prompt of
     * spaces, invisible characters or markup alone ({@code "\u00a0\u200b"}, {@code {}}, {@code <p></p>}) would
     * generate from the appended scores alone.
     */
    public void checkNotEmpty(String prompt) {
        String content = clean ? CaptionCleaner.clean(CaptionCleaner.clean(prompt)) : prompt;
        if (content.codePoints().noneMatch(Character::isLetterOrDigit)) {
            throw new IllegalArgumentException("the prompt is empty" + (clean && !prompt.isBlank()
                    ? " once cleaned as Open-Sora cleans captions (no letter or digit is left)" : "")
                    + ": describe the video to generate, e.g. \"a red fox running through snow\"");
        }
    }

    public String prepare(String prompt) {
        String withScores = appendScores(prompt);
        return clean ? CaptionCleaner.clean(CaptionCleaner.clean(withScores)) : withScores;
    }

    /** {@code append_score_to_prompts}; the "already present" checks look at the prompt as given (case-sensitive). */
    public String appendScores(String prompt) {
        String out = prompt;
        if (aesthetic != null && !prompt.contains("aesthetic score:")) {
            out += " aesthetic score: " + oneDecimal(aesthetic) + ".";
        }
        if (motion != null && !prompt.contains("motion score:")) {
            out += " motion score: " + oneDecimal(motion) + ".";
        }
        if (cameraMotion != null && !prompt.contains("camera motion:")) {
            out += " camera motion: " + cameraMotion + ".";
        }
        return out;
    }

    /** Python's {@code f"{x:.1f}"}: the exact binary value rounded half-to-even. */
    private static String oneDecimal(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return Double.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(x).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
        return s.equals("0.0") && (1 / x) < 0 ? "-0.0" : s;
    }
}
