#!/usr/bin/env python3
"""Exports one STDiT3-XL/2 block pair (spatial block + temporal block), built from the REFERENCE Open-Sora v1.2 module,
to ONNX for the ONNX Runtime anchor of `jsora bench stdit` (jsora.bench.OnnxStditAnchor, bench/scripts/onnx_anchor.sh).

The reference code is not part of jsora: it is imported from a checkout of hpcaitech/Open-Sora at tag v1.2.0 named by
--opensora (the folder that holds `opensora/`). Its `opensora.models.stdit.stdit3.STDiT3Block` and the layers it uses
(`opensora.models.layers.blocks.Attention`, `MultiHeadCrossAttention`, `t2i_modulate`, timm's `Mlp`, the temporal
block's `rotary_embedding_torch.RotaryEmbedding`) are used as they are; only imports that a block pair on a CPU does not
need are replaced by small stand-in modules created at run time (see install_stand_ins):

- the package `__init__`s of `opensora`, `opensora.models`, `opensora.models.stdit`, which import every model of the
  repository (VAE, T5, PixArt, ...): empty package shells whose __path__ points into the checkout, so that only the
  modules the block needs are loaded, from the checkout's own files;
- `opensora.registry` (needs mmengine) and `opensora.utils.ckpt_utils` (needs colossalai): only used by the STDiT3
  model class, not by the block;
- `transformers` (PretrainedConfig, PreTrainedModel): base classes of the STDiT3 model class only;
- `xformers.ops`: the reference's cross-attention calls `xformers.ops.memory_efficient_attention` with a
  `BlockDiagonalMask.from_seqlens([N] * B, y_lens)`, so that sample b's N video tokens attend only to its own y_lens[b]
  caption tokens (all captions packed in one [1, sum(y_lens), C] sequence, as STDiT3.encode_text makes them). The
  stand-in computes exactly that with plain PyTorch ops, one softmax(q·kᵀ/√d)·v per sample over its own block, so the
  masked-out blocks are never computed (as xformers does not either). The lengths are constants of the graph.

Self-attention uses the reference's plain PyTorch path (enable_flash_attn=False: q·scale @ kᵀ, softmax, @ v).

TDTM (On-device Sora's Temporal Dimension Token Merging) is not in the reference. With --tdtm the block's forward is
replaced by On-device Sora's modified one, written here (tdtm_block_forward) and calling the reference block's own
submodules: adjacent frames' modulated tokens are averaged before self-attention and the results repeated back onto
both frames; cross-attention runs on the frame-merged residual stream likewise; LayerNorm, modulation, gates and the
Mlp stay at full T. This is what jsora's models/stdit/STDiT3Block.java and FrameMerge.java do.

Weights are random (seeded, PyTorch's default initialisation; none is zero, unlike STDiT3.initialize_weights, which
zeroes the temporal blocks' output projections). Inputs of the graph: x [B, T*S, C], y [1, B*L, C] (the captions
packed), t_mlp [B, 6*C]; T, S, L and B are constants. Output: x after the pair, [B, T*S, C].

Needs PyTorch (Debian's python3-torch 1.13), einops, timm and rotary-embedding-torch (see onnx_anchor.sh); --check also
needs onnxruntime's Python package (`pip install --no-deps onnxruntime` in the same venv) and runs the pair once more
in PyTorch, to compare the exported graph's output with the reference module's.

    python3 bench/scripts/export_stdit_pair_onnx.py --opensora /tmp/open-sora-v1.2.0 --out /tmp/stdit_pair.onnx [--tdtm]
"""
import argparse
import os
import sys
import time
import types
import warnings

import torch


def install_stand_ins(opensora_dir):
    """Puts the stand-in modules described in the module docstring into sys.modules (before the reference is imported)."""
    root = os.path.abspath(opensora_dir)
    if not os.path.isfile(os.path.join(root, "opensora", "models", "stdit", "stdit3.py")):
        sys.exit(f"--opensora {opensora_dir}: no opensora/models/stdit/stdit3.py there (a checkout of Open-Sora v1.2.0)")

    def module(name, **attrs):
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        sys.modules[name] = m
        return m

    # Package shells: their submodules are found through __path__, in the checkout, without running the __init__s.
    for pkg in ("opensora", "opensora.models", "opensora.models.stdit", "opensora.models.layers",
                "opensora.acceleration", "opensora.utils"):
        module(pkg, __path__=[os.path.join(root, *pkg.split("."))])

    class Registry:  # stand-in for mmengine's Registry: only its decorator is used at import time
        def register_module(self, *args, **kwargs):
            return lambda cls: cls

    module("opensora.registry", MODELS=Registry())
    module("opensora.utils.ckpt_utils", load_checkpoint=lambda *a, **k: None)

    class PretrainedConfig:  # stand-ins for the STDiT3 model class's bases; the block does not use them
        def __init__(self, **kwargs):
            self.__dict__.update(kwargs)

    class PreTrainedModel(torch.nn.Module):
        def __init__(self, config=None):
            super().__init__()

    module("transformers", PretrainedConfig=PretrainedConfig, PreTrainedModel=PreTrainedModel)

    class BlockDiagonalMask:
        """Stand-in for xformers' BlockDiagonalMask: query block i attends to key block i only."""

        def __init__(self, q_seqlen, kv_seqlen):
            self.q_seqlen = [int(n) for n in q_seqlen]
            self.kv_seqlen = [int(n) for n in kv_seqlen]

        @classmethod
        def from_seqlens(cls, q_seqlen, kv_seqlen=None):
            return cls(q_seqlen, q_seqlen if kv_seqlen is None else kv_seqlen)

    def memory_efficient_attention(query, key, value, attn_bias=None, p=0.0, scale=None):
        """Stand-in for xformers.ops.memory_efficient_attention (inference, no dropout): [1, M, H, K] (BMHK) inputs,
        softmax(q·kᵀ·scale)·v within each block of a BlockDiagonalMask, plain PyTorch ops."""
        scale = query.shape[-1] ** -0.5 if scale is None else scale
        q, k, v = (t.transpose(1, 2) for t in (query, key, value))  # [1, H, M, K]
        if attn_bias is None:
            q_parts, k_parts, v_parts = [q], [k], [v]
        else:
            q_parts = q.split(attn_bias.q_seqlen, dim=2)
            k_parts = k.split(attn_bias.kv_seqlen, dim=2)
            v_parts = v.split(attn_bias.kv_seqlen, dim=2)
        out = [((qi * scale) @ ki.transpose(-2, -1)).softmax(dim=-1) @ vi
               for qi, ki, vi in zip(q_parts, k_parts, v_parts)]
        return torch.cat(out, dim=2).transpose(1, 2).contiguous()  # xformers returns a contiguous [1, M, H, K]

    fmha = module("xformers.ops.fmha", BlockDiagonalMask=BlockDiagonalMask)
    ops = module("xformers.ops", fmha=fmha, memory_efficient_attention=memory_efficient_attention)
    module("xformers", ops=ops)


def merge(x, frames):
    """[B, T, S, C] -> [B, T/2, S, C]: adjacent frames averaged (an odd last frame left out)."""
    t = frames // 2 * 2
    return (x[:, 0:t:2] + x[:, 1:t:2]) / 2


def unmerge(m, frames):
    """[B, T/2, S, C] -> [B, T, S, C]: merged frame j onto frames 2j and 2j+1; an odd last frame gets the last one."""
    out = m.repeat_interleave(2, dim=1)
    return out if frames % 2 == 0 else torch.cat([out, m[:, -1:]], dim=1)


def tdtm_block_forward(block, x, y, t, mask, T, S):
    """On-device Sora's TDTM block (x_mask None): the reference block's forward with frame merging around its
    self-attention and cross-attention, calling the reference block's submodules."""
    from einops import rearrange
    from opensora.models.layers.blocks import t2i_modulate

    B, N, C = x.shape
    tm = T // 2
    shift_msa, scale_msa, gate_msa, shift_mlp, scale_mlp, gate_mlp = (
        block.scale_shift_table[None] + t.reshape(B, 6, -1)).chunk(6, dim=1)
    x_m = t2i_modulate(block.norm1(x), shift_msa, scale_msa)
    x_m = merge(x_m.view(B, T, S, C), T)
    if block.temporal:
        x_m = block.attn(rearrange(x_m, "B T S C -> (B S) T C"))
        x_m = rearrange(x_m, "(B S) T C -> B T S C", S=S)
    else:
        x_m = block.attn(rearrange(x_m, "B T S C -> (B T) S C"))
        x_m = rearrange(x_m, "(B T) S C -> B T S C", T=tm)
    x = x + gate_msa * unmerge(x_m, T).reshape(B, N, C)
    q = merge(x.view(B, T, S, C), T).reshape(B, tm * S, C)
    x = x + unmerge(block.cross_attn(q, y, mask).view(B, tm, S, C), T).reshape(B, N, C)
    x_m = t2i_modulate(block.norm2(x), shift_mlp, scale_mlp)
    return x + gate_mlp * block.mlp(x_m)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--opensora", required=True, help="checkout of hpcaitech/Open-Sora at v1.2.0 (holds opensora/)")
    p.add_argument("--out", required=True, help="the .onnx file to write (about 170 MB)")
    p.add_argument("--tdtm", action="store_true", help="On-device Sora's TDTM block (frame pairs merged)")
    p.add_argument("--frames", type=int, default=20)
    p.add_argument("--height", type=int, default=32, help="latent height (tokens per frame: height/2 * width/2)")
    p.add_argument("--width", type=int, default=32)
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--text", type=int, default=300, help="caption tokens per sample")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--check", action="store_true",
                   help="run the exported graph with onnxruntime's Python package and compare it with PyTorch's output")
    # 16: torch 1.13 exports a LayerNorm without affine at opset 17 as an invalid LayerNormalization node (no scale);
    # at 16 it is decomposed, and ONNX Runtime fuses it back (LayerNormFusion) when it optimises the graph
    p.add_argument("--opset", type=int, default=16)
    a = p.parse_args()

    install_stand_ins(a.opensora)
    # tracing warns about every Python-level branch on a tensor (rotary_embedding_torch's frequency cache), and timm
    # about its deprecated timm.models.layers path, which the reference imports: neither matters for a fixed-shape graph
    warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
    warnings.filterwarnings("ignore", category=FutureWarning, module="timm")
    from rotary_embedding_torch import RotaryEmbedding
    from opensora.models.stdit.stdit3 import STDiT3Block

    hidden, heads = 1152, 16
    s = ((a.height + 1) // 2) * ((a.width + 1) // 2)
    frames, y_lens = a.frames, [a.text] * a.batch
    if a.tdtm and frames < 2:
        sys.exit("--tdtm needs at least 2 frames")
    torch.manual_seed(a.seed)
    rope = RotaryEmbedding(dim=hidden // heads)  # as STDiT3.__init__ makes it
    kw = dict(hidden_size=hidden, num_heads=heads, mlp_ratio=4.0, qk_norm=True, enable_flash_attn=False,
              enable_layernorm_kernel=False, enable_sequence_parallelism=False)
    spatial = STDiT3Block(**kw)
    temporal = STDiT3Block(**kw, temporal=True, rope=rope.rotate_queries_or_keys)

    class Pair(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.spatial, self.temporal = spatial, temporal

        def forward(self, x, y, t_mlp):
            for block in (self.spatial, self.temporal):
                if a.tdtm:
                    x = tdtm_block_forward(block, x, y, t_mlp, y_lens, frames, s)
                else:  # as STDiT3.forward calls it: (x, y, t_mlp, y_lens, x_mask, t0_mlp, T, S)
                    x = block(x, y, t_mlp, y_lens, None, None, frames, s)
            return x

    pair = Pair().eval()
    g = torch.Generator().manual_seed(a.seed + 1)
    x = torch.rand(a.batch, frames * s, hidden, generator=g) * 2 - 1
    y = (torch.rand(1, a.batch * a.text, hidden, generator=g) * 2 - 1) * 0.5
    t_mlp = (torch.rand(a.batch, 6 * hidden, generator=g) * 2 - 1) * 0.1
    print(f"torch {torch.__version__}: STDiT3Block pair from {os.path.abspath(a.opensora)}, B={a.batch}, T={frames}, "
          f"S={s}, C={hidden}, heads={heads}, text={a.text}, TDTM {'on' if a.tdtm else 'off'}", flush=True)
    with torch.no_grad():
        if a.check:
            ref = pair(x, y, t_mlp)
        t0 = time.perf_counter()  # the export traces the pair by running it once
        torch.onnx.export(pair, (x, y, t_mlp), a.out, input_names=["x", "y", "t_mlp"], output_names=["out"],
                          opset_version=a.opset, do_constant_folding=True)
    print(f"wrote {a.out} ({os.path.getsize(a.out) / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
    if a.check:
        import onnxruntime

        session = onnxruntime.InferenceSession(a.out, providers=["CPUExecutionProvider"])
        got = torch.from_numpy(session.run(None, {"x": x.numpy(), "y": y.numpy(), "t_mlp": t_mlp.numpy()})[0])
        err = (got - ref).abs().max().item()
        print(f"onnxruntime {onnxruntime.__version__} against PyTorch: max |diff| {err:.3e} "
              f"(max |out| {ref.abs().max().item():.3f})")


if __name__ == "__main__":
    main()
