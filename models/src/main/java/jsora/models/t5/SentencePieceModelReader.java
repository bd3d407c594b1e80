package jsora.models.t5;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Builds a {@link T5Tokenizer} from a sentencepiece {@code spiece.model} ({@code ModelProto}), the way transformers
 * converts it for {@code T5TokenizerFast}: the pieces with their scores, T5's 100 sentinels {@code <extra_id_99>} ...
 * {@code <extra_id_0>} appended (when the model lacks them), the precompiled charsmap as normalizer, whitespace split
 * plus {@code ▁} prefix (add_dummy_prefix), and {@code </s>} appended. Fields read: {@code pieces} (1: piece, score,
 * type), {@code trainer_spec} (2: model_type 3, byte_fallback 35, unk/eos/pad ids 40/42/43) and
 * {@code normalizer_spec} (3: precompiled_charsmap 2, add_dummy_prefix 3, remove_extra_whitespaces 4).
 */
public final class SentencePieceModelReader {
    private static final int TYPE_NORMAL = 1;
    private static final int TYPE_UNKNOWN = 2;
    private static final int TYPE_CONTROL = 3;
    private static final int MODEL_UNIGRAM = 1;
    private static final int T5_SENTINELS = 100;

    private final List<String> pieces = new ArrayList<>();
    private final List<Float> scores = new ArrayList<>();
    private final Map<String, Integer> specials = new LinkedHashMap<>();
    private int modelType = MODEL_UNIGRAM;
    private boolean byteFallback;
    private int unkId = 0;
    private int eosId = 2;
    private int padId = -1;
    private byte[] charsmap;
    private boolean addDummyPrefix = true;
    private boolean removeExtraWhitespaces = true;

    private SentencePieceModelReader() {
    }

    public static T5Tokenizer read(Path path) throws IOException {
        byte[] data = Files.readAllBytes(path);
        SentencePieceModelReader r = new SentencePieceModelReader();
        try {
            r.parse(new ProtoReader(data));
        } catch (IllegalArgumentException e) {
            throw new TokenizerFormatException(path + ": not a sentencepiece model (" + e.getMessage() + ")", e);
        }
        return r.build(path.toString());
    }

    private void parse(ProtoReader model) {
        while (model.next()) {
            switch (model.field()) {
                case 1 -> piece(model.message());
                case 2 -> trainerSpec(model.message());
                case 3 -> normalizerSpec(model.message());
                default -> model.skip();
            }
        }
    }

    private void piece(ProtoReader p) {
        String piece = null;
        float score = 0;
        int type = TYPE_NORMAL;
        while (p.next()) {
            switch (p.field()) {
                case 1 -> piece = p.string();
                case 2 -> score = p.fixed32Float();
                case 3 -> type = p.int32();
                default -> p.skip();
            }
        }
        if (piece == null || piece.isEmpty()) {
            throw new IllegalArgumentException("piece " + pieces.size() + " has no text");
        }
        if (type == TYPE_CONTROL || type == TYPE_UNKNOWN) {
            specials.put(piece, pieces.size());
        }
        pieces.add(piece);
        scores.add(score);
    }

    private void trainerSpec(ProtoReader t) {
        while (t.next()) {
            switch (t.field()) {
                case 3 -> modelType = t.int32();
                case 35 -> byteFallback = t.bool();
                case 40 -> unkId = t.int32();
                case 42 -> eosId = t.int32();
                case 43 -> padId = t.int32();
                default -> t.skip();
            }
        }
    }

    private void normalizerSpec(ProtoReader n) {
        while (n.next()) {
            switch (n.field()) {
                case 2 -> charsmap = n.bytes();
                case 3 -> addDummyPrefix = n.bool();
                case 4 -> removeExtraWhitespaces = n.bool();
                default -> n.skip();
            }
        }
    }

    private T5Tokenizer build(String file) {
        if (pieces.isEmpty()) {
            throw new TokenizerFormatException(file + ": not a sentencepiece model (no pieces)");
        }
        if (modelType != MODEL_UNIGRAM) {
            throw new TokenizerFormatException(file + ": sentencepiece model type " + modelType
                    + " is not supported; expected a Unigram model (type 1)");
        }
        if (!specials.containsKey("<extra_id_0>") && !pieces.contains("<extra_id_0>")) {
            for (int i = T5_SENTINELS - 1; i >= 0; i--) {
                specials.put("<extra_id_" + i + ">", pieces.size());
                pieces.add("<extra_id_" + i + ">");
                scores.add(0f);
            }
        }
        double[] s = new double[scores.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
        }
        UnigramModel model;
        UnaryOperator<String> normalizer;
        try {
            model = new UnigramModel(pieces, s, unkId, byteFallback);
            normalizer = charsmap == null || charsmap.length == 0 ? UnaryOperator.identity()
                    : PrecompiledCharsmap.parse(charsmap, file)::normalize;
        } catch (IllegalArgumentException e) {
            throw new TokenizerFormatException(file + ": " + e.getMessage(), e);
        }
        if (eosId < 0 || eosId >= pieces.size()) {
            throw new TokenizerFormatException(file + ": eos id " + eosId + " outside the vocabulary");
        }
        int pad = padId >= 0 ? padId : specials.getOrDefault("<pad>", unkId);
        MetaspacePreTokenizer pre = new MetaspacePreTokenizer(removeExtraWhitespaces, '\u2581',
                addDummyPrefix ? MetaspacePreTokenizer.PrependScheme.ALWAYS
                        : MetaspacePreTokenizer.PrependScheme.NEVER, true);
        return new T5Tokenizer(specials, normalizer, pre, model, new int[0], new int[] {eosId}, pad);
    }
}
