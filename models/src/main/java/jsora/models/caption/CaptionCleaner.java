package jsora.models.caption;

import java.util.regex.Pattern;

/**
 * Open-Sora's {@code clean_caption} ({@code opensora/models/text_encoder/t5.py}, v1.2.0), the caption cleaning of
 * DeepFloyd IF that Open-Sora trained with: URL-unquote, strip and lower-case, drop URLs, HTML, handles and CJK
 * ideographs, unify dashes and quotes, remove ids, file names and stray punctuation, fix the text with ftfy, drop
 * product codes and shop phrases, and normalize spacing. Regexes keep Python's Unicode semantics ({@link PyRegex}).
 */
public final class CaptionCleaner {
    private static final Pattern PERSON = PyRegex.compile("<person>");
    /*
     * Open-Sora's URL patterns \b((?:https?:(?:\/{1,3}|[a-zA-Z0-9%])|[a-zA-Z0-9.\-]+[.](?:com|co|ru|net|org|edu|gov|it)
     * [\w/-]*\b\/?(?!@))) (and with www: in place of https?:) and its file-name pattern [\S]+\.(?:png|...) backtrack
     * quadratically in a long word; RunThenSuffix gives their result in linear time.
     */
    private static final Pattern URL_TLD_TAIL = PyRegex.compile(
            "[.](?:com|co|ru|net|org|edu|gov|it)[\\w/-]*\\b\\/?(?!@)");
    private static final RunThenSuffix URL = url("https?:");
    private static final RunThenSuffix URL_WWW = url("www:");
    private static final Pattern HANDLE = PyRegex.compile("@[\\w\\d]+\\b");
    private static final Pattern[] CJK = {PyRegex.compile("[\\u31c0-\\u31ef]+"), PyRegex.compile("[\\u31f0-\\u31ff]+"),
        PyRegex.compile("[\\u3200-\\u32ff]+"), PyRegex.compile("[\\u3300-\\u33ff]+"),
        PyRegex.compile("[\\u3400-\\u4dbf]+"), PyRegex.compile("[\\u4dc0-\\u4dff]+"),
        PyRegex.compile("[\\u4e00-\\u9fff]+")};
    private static final Pattern DASHES = PyRegex.compile("[\\u002D\\u058A\\u05BE\\u1400\\u1806\\u2010-\\u2015\\u2E17"
            + "\\u2E1A\\u2E3A\\u2E3B\\u2E40\\u301C\\u3030\\u30A0\\uFE31\\uFE32\\uFE58\\uFE63\\uFF0D]+");
    private static final Pattern DOUBLE_QUOTES = PyRegex.compile("[`\\u00b4\\u00ab\\u00bb\\u201c\\u201d\\u00a8]");
    private static final Pattern SINGLE_QUOTES = PyRegex.compile("[\\u2018\\u2019]");
    private static final Pattern AMP_QUOT = PyRegex.compile("&quot;?");
    private static final Pattern AMP = PyRegex.compile("&amp");
    private static final Pattern IP_ADDRESS = PyRegex.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final Pattern ARTICLE_ID = PyRegex.compile("\\d:\\d\\d\\s+$");
    private static final Pattern LITERAL_BACKSLASH_N = PyRegex.compile("\\\\n");
    private static final Pattern HASH_SHORT = PyRegex.compile("#\\d{1,3}\\b");
    private static final Pattern HASH_LONG = PyRegex.compile("#\\d{5,}\\b");
    private static final Pattern LONG_NUMBER = PyRegex.compile("\\b\\d{6,}\\b");
    private static final RunThenSuffix FILENAME = new RunThenSuffix(null, null, c -> !PyRegex.isSpace(c),
            PyRegex.compile("\\.(?:png|jpg|jpeg|bmp|webp|eps|pdf|apk|mp4)"));
    private static final Pattern REPEATED_QUOTES = PyRegex.compile("[\"']{2,}");
    private static final Pattern REPEATED_DOTS = PyRegex.compile("[\\.]{2,}");
    private static final Pattern BAD_PUNCT = PyRegex.compile(
            "[#\u00ae\u2022\u00a9\u2122&@\u00b7\u00ba\u00bd\u00be\u00bf\u00a1\u00a7~\\)\\(\\]\\[\\}\\{\\|\\\\\\/\\*]{1,}");
    private static final Pattern SPACE_DOT_SPACE = PyRegex.compile("\\s+\\.\\s+");
    private static final Pattern HYPHEN_OR_UNDERSCORE = PyRegex.compile("(?:\\-|\\_)");
    private static final Pattern CODE_SHORT = PyRegex.compile("\\b[a-zA-Z]{1,3}\\d{3,15}\\b");
    private static final Pattern CODE_LETTERS_DIGITS_LETTERS = PyRegex.compile("\\b[a-zA-Z]+\\d+[a-zA-Z]+\\b");
    private static final Pattern CODE_DIGITS_LETTERS_DIGITS = PyRegex.compile("\\b\\d+[a-zA-Z]+\\d+\\b");
    private static final Pattern SHIPPING = PyRegex.compile("(worldwide\\s+)?(free\\s+)?shipping");
    private static final Pattern DOWNLOAD = PyRegex.compile("(free\\s)?download(\\sfree)?");
    private static final Pattern CLICK = PyRegex.compile("\\bclick\\b\\s(?:for|on)\\s\\w+");
    private static final Pattern IMAGE_WORDS = PyRegex.compile(
            "\\b(?:png|jpg|jpeg|bmp|webp|eps|pdf|apk|mp4)(\\simage[s]?)?");
    private static final Pattern PAGE = PyRegex.compile("\\bpage\\s+\\d+\\b");
    private static final Pattern CODE_MIXED = PyRegex.compile("\\b\\d*[a-zA-Z]+\\d+[a-zA-Z]+\\d+[a-zA-Z\\d]*\\b");
    private static final Pattern SIZE = PyRegex.compile("\\b\\d+\\.?\\d*[x\u0445\u00d7]\\d+\\.?\\d*\\b");
    private static final Pattern SPACE_COLON_SPACE = PyRegex.compile("\\b\\s+\\:\\s+");
    private static final Pattern PUNCT_BEFORE_WORD = PyRegex.compile("(\\D[,\\./])\\b");
    private static final Pattern WHITESPACE = PyRegex.compile("\\s+");
    private static final Pattern OUTER_QUOTES = PyRegex.compile("^[\"']([\\w\\W]+)[\"']$");
    private static final Pattern LEADING_PUNCT = PyRegex.compile("^['\\_,\\-\\:;]");
    private static final Pattern TRAILING_PUNCT = PyRegex.compile("['\\_,\\-\\:\\-\\+]$");
    private static final Pattern DOTFILE = PyRegex.compile("^\\.\\S+$");

    private CaptionCleaner() {
    }

    private static RunThenSuffix url(String scheme) {
        return new RunThenSuffix(PyRegex.compile("\\b"), PyRegex.compile(scheme + "(?:\\/{1,3}|[a-zA-Z0-9%])"),
                c -> c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-'), URL_TLD_TAIL);
    }

    public static String clean(String caption) {
        String c = UrlUnquote.unquotePlus(caption);
        c = PythonLower.lower(PyRegex.strip(c));
        c = PyRegex.sub(PERSON, "person", c);
        c = urls(c, true);
        c = urls(c, false);
        c = HtmlText.text(c);
        c = PyRegex.sub(HANDLE, "", c);
        for (Pattern cjk : CJK) {
            c = PyRegex.sub(cjk, "", c);
        }
        c = PyRegex.sub(DASHES, "-", c);
        c = PyRegex.sub(DOUBLE_QUOTES, "\"", c);
        c = PyRegex.sub(SINGLE_QUOTES, "'", c);
        c = PyRegex.sub(AMP_QUOT, "", c);
        c = PyRegex.sub(AMP, "", c);
        c = PyRegex.sub(IP_ADDRESS, " ", c);
        c = PyRegex.sub(ARTICLE_ID, "", c);
        c = PyRegex.sub(LITERAL_BACKSLASH_N, " ", c);
        c = PyRegex.sub(HASH_SHORT, "", c);
        c = PyRegex.sub(HASH_LONG, "", c);
        c = PyRegex.sub(LONG_NUMBER, "", c);
        c = fileNames(c);
        c = PyRegex.sub(REPEATED_QUOTES, "\"", c);
        c = PyRegex.sub(REPEATED_DOTS, " ", c);
        c = PyRegex.sub(BAD_PUNCT, " ", c);
        c = PyRegex.sub(SPACE_DOT_SPACE, " ", c);
        if (HYPHEN_OR_UNDERSCORE.matcher(c).results().count() > 3) {
            c = PyRegex.sub(HYPHEN_OR_UNDERSCORE, " ", c);
        }
        c = basicClean(c);
        c = PyRegex.sub(CODE_SHORT, "", c);
        c = PyRegex.sub(CODE_LETTERS_DIGITS_LETTERS, "", c);
        c = PyRegex.sub(CODE_DIGITS_LETTERS_DIGITS, "", c);
        c = PyRegex.sub(SHIPPING, "", c);
        c = PyRegex.sub(DOWNLOAD, "", c);
        c = PyRegex.sub(CLICK, "", c);
        c = PyRegex.sub(IMAGE_WORDS, "", c);
        c = PyRegex.sub(PAGE, "", c);
        c = PyRegex.sub(CODE_MIXED, " ", c);
        c = PyRegex.sub(SIZE, "", c);
        c = PyRegex.sub(SPACE_COLON_SPACE, ": ", c);
        c = PUNCT_BEFORE_WORD.matcher(c).replaceAll("$1 ");
        c = PyRegex.sub(WHITESPACE, " ", c);
        c = OUTER_QUOTES.matcher(c).replaceAll("$1");
        c = PyRegex.sub(LEADING_PUNCT, "", c);
        c = PyRegex.sub(TRAILING_PUNCT, "", c);
        c = PyRegex.sub(DOTFILE, "", c);
        return PyRegex.strip(c);
    }

    /** Removes the URLs starting with http(s): ({@code http}) or www: (not {@code http}), and bare domains. */
    static String urls(String text, boolean http) {
        return (http ? URL : URL_WWW).removeAll(text);
    }

    static String fileNames(String text) {
        return FILENAME.removeAll(text);
    }

    /** {@code basic_clean}: ftfy, HTML-unescape twice, strip. */
    private static String basicClean(String text) {
        return PyRegex.strip(HtmlEntities.unescape(HtmlEntities.unescape(Ftfy.fixText(text))));
    }
}
