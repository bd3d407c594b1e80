package jsora.models.t5;

/** A tokenizer file that cannot be used: its message names the file and what is wrong with it. */
public final class TokenizerFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TokenizerFormatException(String message) {
        super(message);
    }

    public TokenizerFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
