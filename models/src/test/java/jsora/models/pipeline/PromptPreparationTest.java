package jsora.models.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The options of prompt preparation that the goldens (aes 6.5 only) do not exercise. */
class PromptPreparationTest {
    @Test
    void motionScoreAndCameraMotionFollowTheAestheticScore() {
        PromptPreparation p = new PromptPreparation(6.5, 4.0, "pan right", true);
        assertEquals("A cat aesthetic score: 6.5. motion score: 4.0. camera motion: pan right.",
                p.appendScores("A cat"));
        assertEquals("a cat aesthetic score: 6.5. motion score: 4.0. camera motion: pan right.", p.prepare("A cat"));
    }

    @Test
    void aScoreAlreadyInThePromptIsNotAddedAgain() {
        PromptPreparation p = new PromptPreparation(6.5, 4.0, "static", false);
        assertEquals("x motion score: 2.0. aesthetic score: 6.5. camera motion: static.",
                p.appendScores("x motion score: 2.0."));
    }

    @Test
    void scoresAreFormattedLikePythonOneDecimal() {
        assertEquals("x aesthetic score: 0.2.", new PromptPreparation(0.25, null, null, false).appendScores("x"),
                "0.25 is exact in binary: half to even");
        assertEquals("x aesthetic score: 6.5.", new PromptPreparation(6.45, null, null, false).appendScores("x"),
                "6.45 is slightly above in binary");
        assertEquals("x aesthetic score: 7.0.", new PromptPreparation(7.0, null, null, false).appendScores("x"));
    }

    @Test
    void rawLeavesThePromptAlone() {
        assertEquals("  <b>Keep</b> THIS  ", PromptPreparation.raw().prepare("  <b>Keep</b> THIS  "));
    }

    @Test
    void cleaningWithoutScoresOnlyCleans() {
        assertEquals("a cat on a sofa", new PromptPreparation(null, null, null, true).prepare("A <i>cat</i> on a sofa"));
    }
}
