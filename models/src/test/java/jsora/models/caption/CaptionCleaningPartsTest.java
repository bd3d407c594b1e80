package jsora.models.caption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Python-library behaviours clean_caption depends on, one by one (values checked against CPython 3.11). */
class CaptionCleaningPartsTest {
    @Test
    void pythonRegexClassesAreUnicodeAware() {
        assertEquals("x y", PyRegex.sub(PyRegex.compile("\\s+"), " ", "x\u3000\u001c y"), "\\s includes U+3000, FS");
        assertEquals("x\u200by", PyRegex.sub(PyRegex.compile("\\s+"), " ", "x\u200by"), "but not U+200B");
        assertEquals("_ _", PyRegex.sub(PyRegex.compile("\\w+"), "_", "caf\u00e9\u00b2 \u0663\u0664"),
                "\\w: letters and all numbers (² and Arabic-Indic digits)");
        assertEquals("a\u0301", PyRegex.sub(PyRegex.compile("\\w\\w"), "", "a\u0301"), "combining marks are not \\w");
        assertEquals("a", PyRegex.sub(PyRegex.compile("x$"), "", "ax"));
        assertEquals("a\n", PyRegex.sub(PyRegex.compile("x$"), "", "ax\n"), "$ also before a final newline");
        assertEquals("ax\r", PyRegex.sub(PyRegex.compile("x$"), "", "ax\r"), "but not before a final CR");
    }

    @Test
    void unquotePlusDecodesUtf8EscapesAndPlus() {
        assertEquals("c   50% \u2713", UrlUnquote.unquotePlus("c++ 50%25 %E2%9C%93"), "each + is a space");
        assertEquals("%zz %4", UrlUnquote.unquotePlus("%zz %4"), "invalid escapes stay");
        assertEquals("\uFFFD!", UrlUnquote.unquotePlus("%E2!"), "a cut UTF-8 sequence becomes U+FFFD");
    }

    @Test
    void beautifulSoupTextDropsMarkupAndDecodesReferences() {
        assertEquals("bold and ", HtmlText.text("<b class='a>b'>bold</b> and <script>x<y</script>"));
        assertEquals("a < b > c", HtmlText.text("a < b > c"));
        assertEquals("\u27e8=en &times3 \u00b6graph", HtmlText.text("&lang=en &times3 &para;graph"));
        assertEquals("\u2014 \u2605 \u20ac", HtmlText.text("&#8212; &#x2605; &#128;"), "&#128; is windows-1252 €");
        assertEquals("x &quot", HtmlText.text("x &quot"), "a reference at the very end stays raw");
        assertEquals("keep ", HtmlText.text("keep <!-- gone --><!DOCTYPE html><?pi?>"));
        assertEquals("a  &#z; &#q; &lt;", HtmlText.text("a <br> &#z; &#q; &lt;"),
                "a second stray '&#' (in close()) leaves the rest unparsed");
        assertEquals("&#z; <", HtmlText.text("&#z; &lt;"), "after the first one parsing goes on");
        assertEquals("x q", HtmlText.text("x &q"), "'&' + one final letter loses the '&'");
    }

    @Test
    void ftfyRepairsUtf8MojibakeAndC1Controls() {
        assertTrue(MojibakeDetector.isBad("it\u00e2\u0080\u0099s"));
        assertFalse(MojibakeDetector.isBad("caf\u00e9 cr\u00e8me"));
        assertEquals("it's", Ftfy.fixText("it\u00e2\u0080\u0099s"));
        assertEquals("\u20ac \"smart\"", Ftfy.fixText("\u0080 \u0093smart\u0094"));
        assertEquals("caf\u00e3 x", Ftfy.fixText("caf\u00e3 x"), "lower-cased Latin-1 mojibake cannot be repaired");
        assertEquals("\ue000 voil\u00e0 le \u2020x", Ftfy.fixText("\ue000 voil\u00c3 le \u00e2\u20ac x"),
                "runs repaired inside text that no code page holds; a space restored to byte A0");
    }

    @Test
    void astralCharactersAndPythonSigmaRules() {
        assertEquals("\ud80c\udc00x1y2", PyRegex.sub(PyRegex.compile("\\b[a-z]\\d[a-z]\\d\\b"), "", "\ud80c\udc00x1y2"),
                "a hieroglyph is a word character: no \\b before x");
        assertEquals("\u2014\ud83d\udc4d", HtmlText.text("&mdash\ud83d\udc4d"), "the emoji after an entity survives");
        assertEquals("\u03c3\u03c21 \u03bf\u03b4\u03bf\u03c2", PythonLower.lower("\u03a3\u03a31 \u039f\u0394\u039f\u03a3"));
        assertEquals("i\u0307", PythonLower.lower("\u0130"));
    }

    @Test
    void ftfyCharacterFixes() {
        assertEquals("LOUD 123 \u30ab", Ftfy.fixText("\uff2c\uff2f\uff35\uff24\u3000\uff11\uff12\uff13 \uff76"));
        assertEquals("fish 'n", Ftfy.fixText("\ufb01sh \u0149"));
        assertEquals("a\nb\nc", Ftfy.fixText("a\r\nb\u2028c"));
        assertEquals("ab\u200bc", Ftfy.fixText("a\u0007\ufeffb\u200bc"), "controls go, zero-width space stays");
        assertEquals("\u00e9 <&amp;>", Ftfy.fixText("e\u0301 <&amp;>"), "NFC; no HTML unescaping next to '<'");
        assertEquals("& \u00c9", Ftfy.fixText("&amp; &EACUTE;"));
    }
}
