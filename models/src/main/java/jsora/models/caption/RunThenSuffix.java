package jsora.models.caption;

import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code re.sub(START(?:FIRST|RUN+REST), "", text)} in linear time, for the caption cleaner's patterns whose greedy
 * run backtracks to a suffix ({@code [\S]+\.(?:png|...)}, {@code [a-zA-Z0-9.\-]+[.](?:com|...)...}). A backtracking
 * engine tries every start in a run and from each one scans to the run's end: quadratic in a long word. Here the
 * result is the same (the same pieces, matched by the same engine), found once per run: from any start in a run the
 * greedy {@code RUN+} backtracks to the last position in the run where {@code REST} matches, and that position does
 * not depend on the start, only whether it lies after it. {@code start} (zero-width, e.g. {@code \b}) and
 * {@code first} may be null; {@code run} is the run's character class (tested per char, so it must not depend on
 * surrogate pairs); {@code rest} follows the run.
 */
record RunThenSuffix(Pattern start, Pattern first, IntPredicate run, Pattern rest) {
    String removeAll(String text) {
        int n = text.length();
        Matcher startM = start == null ? null : matcher(start, text);
        Matcher firstM = first == null ? null : matcher(first, text);
        Matcher restM = matcher(rest, text);
        StringBuilder out = new StringBuilder(n);
        int runEnd = -1;
        int suffixAt = -1;
        int suffixEnd = -1;
        int copied = 0;
        int i = 0;
        while (i < n) {
            // like the engine: no match starts inside a surrogate pair, nor where START fails
            if (i > 0 && Character.isLowSurrogate(text.charAt(i)) && Character.isHighSurrogate(text.charAt(i - 1))
                    || startM != null && !at(startM, i, n)) {
                i++;
                continue;
            }
            int end = -1;
            if (firstM != null && at(firstM, i, n)) {
                end = firstM.end();
            } else if (run.test(text.charAt(i))) {
                if (i >= runEnd) {
                    runEnd = i;
                    while (runEnd < n && run.test(text.charAt(runEnd))) {
                        runEnd++;
                    }
                    suffixAt = -1;
                    for (int j = runEnd - 1; j > i && suffixAt < 0; j--) {
                        if (at(restM, j, n)) {
                            suffixAt = j;
                            suffixEnd = restM.end();
                        }
                    }
                }
                if (suffixAt > i) {
                    end = suffixEnd;
                }
            }
            if (end < 0) {
                i++;
            } else {
                out.append(text, copied, i);
                copied = end;
                i = end;
            }
        }
        return out.append(text, copied, n).toString();
    }

    private static Matcher matcher(Pattern p, String text) {
        return p.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
    }

    /** Whether {@code m}'s pattern matches at {@code i} (seeing the text before {@code i} for look-behinds). */
    private static boolean at(Matcher m, int i, int n) {
        return m.region(i, n).lookingAt();
    }
}
