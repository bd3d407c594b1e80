package jsora.models.t5;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds and opens a T5 tokenizer: {@code tokenizer.json} (Hugging Face) or {@code spiece.model} (sentencepiece). */
final class TokenizerFiles {
    private TokenizerFiles() {
    }

    static T5Tokenizer load(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            for (String name : new String[] {"tokenizer.json", "spiece.model"}) {
                if (Files.isRegularFile(path.resolve(name))) {
                    return load(path.resolve(name));
                }
            }
            throw new TokenizerFormatException(path + ": no tokenizer.json or spiece.model in this folder");
        }
        if (!Files.isRegularFile(path)) {
            throw new TokenizerFormatException(path + ": tokenizer file not found");
        }
        return startsWithBrace(path) ? TokenizerJsonReader.read(path) : SentencePieceModelReader.read(path);
    }

    /** JSON files start with '{' after optional white space (and a UTF-8 byte-order mark). */
    private static boolean startsWithBrace(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            int b;
            while ((b = in.read()) == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0xEF || b == 0xBB
                    || b == 0xBF) {
                // skip
            }
            return b == '{';
        }
    }
}
