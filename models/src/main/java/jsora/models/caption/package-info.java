/**
 * Open-Sora's caption cleaning ({@code clean_caption}, DeepFloyd IF's) with the Python behaviour it depends on written
 * out: ftfy's {@code fix_text}, BeautifulSoup's text, {@code unquote_plus}, Python's regular expressions and
 * lower-casing, every pattern in linear time.
 */
package jsora.models.caption;
