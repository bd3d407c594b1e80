"""The reference modules the demo model is made of, imported from checkouts (issue 17), and the tiny configurations.

Nothing of the reference trees is copied into the project: train.py and export.py import them from the checkouts named
on their command lines, with small stand-in modules for what the reference imports but a CPU training run does not
need (the technique of bench/scripts/export_stdit_pair_onnx.py and of the golden cases' make.py scripts):

- package shells for `opensora`, `opensora.models`, ... whose `__path__` points into the checkout, so that the package
  `__init__`s (which import every model of the repository, colossalai, mmengine) do not run and only the modules used
  are loaded, from the checkout's own files;
- `opensora.registry` (mmengine's Registry: register_module and build_module by "type") and
  `opensora.utils.ckpt_utils` (colossalai);
- `transformers` as the Open-Sora modules see it: PretrainedConfig / PreTrainedModel, the bases of STDiT3 and
  VideoAutoencoderPipeline, as plain classes (the golden cases' stand-ins; STDiT3.forward reads self.config). Only while those modules are imported; the
  real transformers package stays in place for T5EncoderModel;
- `xformers.ops.memory_efficient_attention` with `fmha.BlockDiagonalMask.from_seqlens`, which v1.2's cross-attention
  calls: bench/scripts/export_stdit_pair_onnx.py's stand-in (imported from there: plain softmax(q·kᵀ/√d)·v of each
  sample's queries over its own caption tokens, plain PyTorch ops, so differentiable);
- `beartype` (rotary-embedding-torch 0.5.3's runtime type checks): an identity decorator;
- `timm.models.layers.DropPath` and `timm.models.vision_transformer.Mlp`: timm's own `timm/layers/drop.py` and
  `timm/layers/mlp.py`, loaded through package shells, because timm's package `__init__` imports torchvision;
- `huggingface_hub.cached_download` (imported by diffusers 0.27.2, removed from huggingface_hub 0.26+): raises.
"""
import importlib
import os
import sys
import types

import torch

# ---------------------------------------------------------------------------------------------------------------
# The tiny configurations. Every size here is what export.py writes into the config.json files.
# ---------------------------------------------------------------------------------------------------------------
FRAMES, SIZE = 17, 64                 # the clips (make_dataset.py) and the demo's video
LATENT = (5, 8, 8)                    # 17 frames -> 5 (temporal VAE, 4x), 64 -> 8 (spatial VAE, 8x)
TEXT_LEN = 300                        # T5Embedder's model_max_length; jsora's generate pads every prompt to 300
AES = 6.5                             # append_score_to_prompts' default aesthetic score

T5 = dict(d_model=64, d_kv=16, num_heads=4, d_ff=128, num_layers=2, relative_attention_num_buckets=32,
          relative_attention_max_distance=128, layer_norm_epsilon=1e-6, feed_forward_proj="gated-gelu",
          dropout_rate=0.0, is_encoder_decoder=False, use_cache=False, tie_word_embeddings=False)

STDIT3 = dict(hidden_size=96, depth=2, num_heads=4, mlp_ratio=4.0, in_channels=4, patch_size=(1, 2, 2),
              caption_channels=T5["d_model"], model_max_length=TEXT_LEN, input_sq_size=512, pred_sigma=True,
              qk_norm=True, class_dropout_prob=0.1, drop_path=0.0, enable_flash_attn=False,
              enable_layernorm_kernel=False, enable_sequence_parallelism=False, freeze_y_embedder=False,
              skip_y_embedder=False, only_train_temporal=False, input_size=(None, None, None))

# diffusers AutoencoderKL: four levels = three 2x downsamplings = 8x, as SDXL's VAE (len(block_out_channels) - 1)
SPATIAL = dict(in_channels=3, out_channels=3, down_block_types=["DownEncoderBlock2D"] * 4,
               up_block_types=["UpDecoderBlock2D"] * 4, block_out_channels=[16, 32, 48, 48], layers_per_block=1,
               act_fn="silu", latent_channels=4, norm_num_groups=8, sample_size=64, scaling_factor=0.13025,
               force_upcast=True)
TEMPORAL = dict(in_out_channels=4, latent_embed_dim=4, embed_dim=4, filters=8, num_res_blocks=1,
                channel_multipliers=[1, 2, 2, 4], temporal_downsample=[False, True, True], num_groups=4,
                activation_fn="swish")
VAE_MICRO_BATCH, VAE_MICRO_FRAMES = 4, FRAMES


def _module(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


def _shell(name, path):
    return _module(name, __path__=[path])


class Registry:
    """Open-Sora's registry as far as these modules use it: register_module, and build_module by "type"."""

    def __init__(self):
        self.table = {}

    def register_module(self, name=None, *args, **kwargs):
        def add(obj):
            self.table[name or obj.__name__] = obj
            return obj
        return add


def _build_module(cfg, registry, **kwargs):
    if not isinstance(cfg, dict):
        return cfg
    cfg = dict(cfg)
    return registry.table[cfg.pop("type")](**cfg, **kwargs)


class _PretrainedConfig:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


class _PreTrainedModel(torch.nn.Module):
    def __init__(self, config=None, *args, **kwargs):
        super().__init__()
        self.config = config


class Reference:
    """The imported reference: .STDiT3, .STDiT3Config, .VideoAutoencoderPipeline(Config), .VideoAutoencoderKL,
    .AutoencoderKL, .RFlowScheduler, .T5EncoderModel, .T5Config, .MODELS."""

    def __init__(self, opensora, diffusers, rotary):
        root = os.path.abspath(opensora)
        if not os.path.isfile(os.path.join(root, "opensora", "models", "stdit", "stdit3.py")):
            sys.exit(f"--opensora {opensora}: no opensora/models/stdit/stdit3.py (a checkout of Open-Sora v1.2.0)")
        for path, what in ((diffusers, "diffusers/models/autoencoders/autoencoder_kl.py"),
                           (rotary, "rotary_embedding_torch/rotary_embedding_torch.py")):
            if not os.path.isfile(os.path.join(path, what)):
                sys.exit(f"{path}: no {what} there")
        for path in (rotary, diffusers):
            sys.path.insert(0, os.path.abspath(path))

        # the real transformers (T5) and diffusers (AutoencoderKL), before the Open-Sora stand-ins go in
        import huggingface_hub

        if not hasattr(huggingface_hub, "cached_download"):
            def cached_download(*a, **k):
                raise RuntimeError("stand-in: no downloads")
            huggingface_hub.cached_download = cached_download
        import transformers
        from transformers import T5Config, T5EncoderModel
        from diffusers.models import AutoencoderKL

        self.T5Config, self.T5EncoderModel, self.AutoencoderKL = T5Config, T5EncoderModel, AutoencoderKL

        _module("beartype", beartype=lambda f: f)
        _module("beartype.typing", **{n: getattr(__import__("typing"), n) for n in ("Literal", "Union", "Optional")})
        # timm: shells so that timm/layers/{drop,mlp}.py load without timm's __init__ (which imports torchvision)
        spec = importlib.util.find_spec("timm")
        timm_dir = os.path.dirname(spec.origin)
        _shell("timm", timm_dir)
        _shell("timm.layers", os.path.join(timm_dir, "layers"))
        drop = importlib.import_module("timm.layers.drop")
        mlp = importlib.import_module("timm.layers.mlp")
        _shell("timm.models", os.path.join(timm_dir, "models"))
        _module("timm.models.layers", DropPath=drop.DropPath)
        _module("timm.models.vision_transformer", Mlp=mlp.Mlp)

        # the benchmark export's stand-ins (xformers' block-diagonal attention among them); the shells, the registry and
        # the transformers bases are then put in again below, with what training needs besides
        real = sys.modules["transformers"]
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", "scripts"))
        from export_stdit_pair_onnx import install_stand_ins

        install_stand_ins(root)

        for pkg in ("opensora", "opensora.models", "opensora.models.stdit", "opensora.models.layers",
                    "opensora.models.vae", "opensora.acceleration", "opensora.utils", "opensora.schedulers",
                    "opensora.schedulers.rf", "opensora.schedulers.iddpm"):
            _shell(pkg, os.path.join(root, *pkg.split(".")))
        self.MODELS = Registry()
        _module("opensora.registry", MODELS=self.MODELS, SCHEDULERS=Registry(), build_module=_build_module)
        _module("opensora.utils.ckpt_utils", load_checkpoint=lambda *a, **k: None)

        sys.modules["transformers"] = types.ModuleType("transformers")
        sys.modules["transformers"].PretrainedConfig = _PretrainedConfig
        sys.modules["transformers"].PreTrainedModel = _PreTrainedModel
        try:
            stdit3 = importlib.import_module("opensora.models.stdit.stdit3")
            importlib.import_module("opensora.models.vae.vae_temporal")
            vae = importlib.import_module("opensora.models.vae.vae")
            rf = importlib.import_module("opensora.schedulers.rf.rectified_flow")
        finally:
            sys.modules["transformers"] = real
        self.transformers_version = transformers.__version__
        self.STDiT3, self.STDiT3Config = stdit3.STDiT3, stdit3.STDiT3Config
        self.VideoAutoencoderPipeline = vae.VideoAutoencoderPipeline
        self.VideoAutoencoderPipelineConfig = vae.VideoAutoencoderPipelineConfig
        self.VideoAutoencoderKL = vae.VideoAutoencoderKL
        self.RFlowScheduler, self.timestep_transform = rf.RFlowScheduler, rf.timestep_transform

    # -----------------------------------------------------------------------------------------------------------
    def t5(self, vocab_size):
        config = self.T5Config(vocab_size=vocab_size, **T5)
        return self.T5EncoderModel(config)

    def stdit3(self):
        config = self.STDiT3Config(**STDIT3)
        return self.STDiT3(config)

    def vae(self):
        """VideoAutoencoderPipeline with cal_loss on (forward gives the reconstructions for training; export writes
        cal_loss false, which only changes what encode/decode return, not the weights)."""
        ref = self

        class TinyVideoAutoencoderKL(ref.VideoAutoencoderKL):
            """VideoAutoencoderKL with its AutoencoderKL built from a config instead of a hub download (as the
            golden cases build it); every method is the reference's."""

            def __init__(self, micro_batch_size=None, diffusers_AutoencoderKL_config=None):
                torch.nn.Module.__init__(self)
                self.module = ref.AutoencoderKL(**diffusers_AutoencoderKL_config)
                self.out_channels = self.module.config.latent_channels
                self.patch_size = (1, 8, 8)
                self.micro_batch_size = micro_batch_size

        spatial = TinyVideoAutoencoderKL(micro_batch_size=None, diffusers_AutoencoderKL_config=dict(SPATIAL))
        config = self.VideoAutoencoderPipelineConfig(
            vae_2d=spatial, vae_temporal=dict(type="VAE_Temporal", **TEMPORAL), micro_frame_size=VAE_MICRO_FRAMES,
            shift=[0.0] * 4, scale=[1.0] * 4, freeze_vae_2d=False, cal_loss=True)
        return self.VideoAutoencoderPipeline(config)


def prepared_caption(caption):
    """What jsora's prompt preparation sends to the tokenizer for a plain caption: append_score_to_prompts'
    suffix, then clean_caption (which for these captions only lower-cases and trims, a no-op here)."""
    return f"{caption} aesthetic score: {AES}."


def numel(module):
    return sum(t.numel() for t in module.state_dict().values())
