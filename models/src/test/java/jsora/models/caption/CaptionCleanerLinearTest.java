package jsora.models.caption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Caption cleaning is linear in the prompt's length: the backtracking patterns of Open-Sora's clean_caption (URLs,
 * file names) give the same result as the original regexes, without their quadratic time on a long word.
 */
class CaptionCleanerLinearTest {
    private static final String URL_TAIL = "|[a-zA-Z0-9.\\-]+[.](?:com|co|ru|net|org|edu|gov|it)[\\w/-]*\\b\\/?(?!@)))";
    private static final Pattern URL = PyRegex.compile("\\b((?:https?:(?:\\/{1,3}|[a-zA-Z0-9%])" + URL_TAIL);
    private static final Pattern URL_WWW = PyRegex.compile("\\b((?:www:(?:\\/{1,3}|[a-zA-Z0-9%])" + URL_TAIL);
    private static final Pattern FILENAME = PyRegex.compile("[\\S]+\\.(?:png|jpg|jpeg|bmp|webp|eps|pdf|apk|mp4)");

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> piece = Arbitraries.oneOf(Arbitraries.of("http://", "www:", ".com", ".co@", ".png", ".jpeg",
                "a.it/", "x.ru-", "\uD83D\uDC3C"), Arbitraries.strings().withChars("a1.-/_@:% \u00e9\u3000comhtpsw")
                .ofMaxLength(6));
        return piece.list().ofMaxSize(10).map(l -> String.join("", l));
    }

    @Property(tries = 3000)
    void sameAsTheOriginalPatterns(@ForAll("hostile") String s) {
        assertEquals(PyRegex.sub(URL, "", s), CaptionCleaner.urls(s, true), "https? " + s);
        assertEquals(PyRegex.sub(URL_WWW, "", s), CaptionCleaner.urls(s, false), "www " + s);
        assertEquals(PyRegex.sub(FILENAME, "", s), CaptionCleaner.fileNames(s), "file names " + s);
    }

    @Test
    void aLongPromptWithoutSpacesCleansAtOnce() {
        String[] words = {"a".repeat(100_000), "a.".repeat(50_000), "1.".repeat(50_000), "x.pn".repeat(25_000),
            "http:a".repeat(16_000), "a.".repeat(50_000) + "co@"};
        for (String w : words) {
            long t0 = System.nanoTime();
            CaptionCleaner.clean(w);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 5, w.substring(0, 8) + "...: " + seconds + " s");
        }
    }
}
