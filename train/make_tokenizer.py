#!/usr/bin/env python3
"""The demo model's tokenizer (issue 17): a Hugging Face tokenizer.json with a Unigram model over the training set's
words, laid out as T5's is (ids 0, 1, 2 = <pad>, </s>, <unk>; Metaspace pre-tokenizer; </s> appended), so that jsora
reads it with the same code as the real T5 tokenizer. Words are lower-cased first (a Lowercase normalizer, as Open-Sora's
caption cleaning does too). Besides the caption words it holds the pieces of the aesthetic-score suffix that prompt
preparation appends ("aesthetic score: 6.5."), so a prepared prompt has no unknown piece; any other word becomes <unk>.

    python3 train/make_tokenizer.py --out models/src/main/resources/jsora/demo/tokenizer.json
"""
import argparse
import json
import pathlib

from make_dataset import vocabulary

SPECIAL = ["<pad>", "</s>", "<unk>"]
# the aesthetic-score suffix, cut as the Unigram model will cut it: "▁aesthetic", "▁score", ":", "▁6", ".", "5", "."
SUFFIX_PIECES = ["▁aesthetic", "▁score", ":", "."] + ["▁" + d for d in "0123456789"] + list("0123456789")


def tokenizer():
    words = ["▁" + w for w in vocabulary()]
    pieces = SPECIAL + words + [p for p in SUFFIX_PIECES if p not in words]
    # whole words score higher than anything pieced together from shorter pieces
    vocab = [[p, 0.0] for p in SPECIAL] + [[p, -1.0] for p in pieces[len(SPECIAL):]]
    special = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False,
                "special": True} for i, t in enumerate(SPECIAL)]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": special,
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "special_tokens": {"</s>": {"id": "</s>", "ids": [1], "tokens": ["</s>"]}},
        },
        "decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True},
        "model": {"type": "Unigram", "unk_id": 2, "vocab": vocab, "byte_fallback": False},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=pathlib.Path, required=True)
    args = ap.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(tokenizer(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(tokenizer()['model']['vocab'])} pieces")


if __name__ == "__main__":
    main()
