package jsora.cli.video;

import java.io.ByteArrayOutputStream;

/**
 * A deliberately small H.264 encoder (ITU-T H.264, Constrained Baseline profile): every frame is an IDR picture of one
 * I slice whose macroblocks are all {@code I_PCM}, i.e. the 4:2:0 YCbCr samples stored as they are. No prediction,
 * transform or entropy coding is needed, so it is short and easy to verify, and every decoder plays it; the price is
 * size (1.5 bytes per pixel per frame, like raw video). Colour: BT.601 limited range (what players assume without
 * VUI), chroma averaged over 2×2 blocks. Sizes that are no multiple of 16 are padded by edge replication and
 * cropped in the SPS, which needs even widths and heights.
 */
final class H264PcmEncoder {
    private final int width;
    private final int height;
    private final int mbWidth;
    private final int mbHeight;
    private int idrPicId;

    H264PcmEncoder(int width, int height) {
        if (width < 2 || height < 2 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("H.264 4:2:0 needs an even width and height, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.mbWidth = (width + 15) / 16;
        this.mbHeight = (height + 15) / 16;
    }

    /** Level 4.0 covers frames up to 8192 macroblocks (1080p); larger frames are marked 5.1. */
    int level() {
        return mbWidth * mbHeight <= 8192 ? 40 : 51;
    }

    static final int PROFILE_BASELINE = 66;
    /** constraint_set0_flag and constraint_set1_flag: Constrained Baseline. */
    static final int CONSTRAINTS = 0xC0;

    /** The sequence parameter set NAL unit (§7.3.2.1.1), header byte included. */
    byte[] sps() {
        BitWriter w = new BitWriter();
        w.u(8, PROFILE_BASELINE);
        w.u(8, CONSTRAINTS);
        w.u(8, level());
        w.ue(0); // seq_parameter_set_id
        w.ue(0); // log2_max_frame_num_minus4: frame_num has 4 bits (always 0: every picture is IDR)
        w.ue(2); // pic_order_cnt_type 2: output order = decoding order
        w.ue(1); // max_num_ref_frames
        w.u(1, 0); // gaps_in_frame_num_value_allowed_flag
        w.ue(mbWidth - 1);
        w.ue(mbHeight - 1);
        w.u(1, 1); // frame_mbs_only_flag
        w.u(1, 1); // direct_8x8_inference_flag
        int cropRight = (mbWidth * 16 - width) / 2; // in 2-pixel units for 4:2:0 frames
        int cropBottom = (mbHeight * 16 - height) / 2;
        boolean crop = cropRight != 0 || cropBottom != 0;
        w.u(1, crop ? 1 : 0);
        if (crop) {
            w.ue(0);
            w.ue(cropRight);
            w.ue(0);
            w.ue(cropBottom);
        }
        w.u(1, 0); // vui_parameters_present_flag
        w.trailingBits();
        return nal(3, 7, w.toByteArray());
    }

    /** The picture parameter set NAL unit (§7.3.2.2). */
    byte[] pps() {
        BitWriter w = new BitWriter();
        w.ue(0); // pic_parameter_set_id
        w.ue(0); // seq_parameter_set_id
        w.u(1, 0); // entropy_coding_mode_flag: CAVLC
        w.u(1, 0); // bottom_field_pic_order_in_frame_present_flag
        w.ue(0); // num_slice_groups_minus1
        w.ue(0); // num_ref_idx_l0_default_active_minus1
        w.ue(0); // num_ref_idx_l1_default_active_minus1
        w.u(1, 0); // weighted_pred_flag
        w.u(2, 0); // weighted_bipred_idc
        w.se(0); // pic_init_qp_minus26
        w.se(0); // pic_init_qs_minus26
        w.se(0); // chroma_qp_index_offset
        w.u(1, 1); // deblocking_filter_control_present_flag (so slices can switch it off)
        w.u(1, 0); // constrained_intra_pred_flag
        w.u(1, 0); // redundant_pic_cnt_present_flag
        w.trailingBits();
        return nal(3, 8, w.toByteArray());
    }

    /** One frame ({@code height × width × 3} RGB bytes at {@code offset}) as an IDR slice NAL unit. */
    byte[] encode(byte[] rgb, int offset) {
        BitWriter w = new BitWriter();
        w.ue(0); // first_mb_in_slice
        w.ue(7); // slice_type: I (all slices of the picture)
        w.ue(0); // pic_parameter_set_id
        w.u(4, 0); // frame_num
        w.ue(idrPicId); // consecutive IDR pictures need different ids
        idrPicId ^= 1;
        w.u(1, 0); // no_output_of_prior_pics_flag
        w.u(1, 0); // long_term_reference_flag
        w.se(0); // slice_qp_delta
        w.ue(1); // disable_deblocking_filter_idc: off (PCM is lossless)
        byte[] mb = new byte[384];
        for (int my = 0; my < mbHeight; my++) {
            for (int mx = 0; mx < mbWidth; mx++) {
                w.ue(25); // mb_type I_PCM
                while (!w.aligned()) {
                    w.bit(0); // pcm_alignment_zero_bit
                }
                macroblock(rgb, offset, mx, my, mb);
                w.bytes(mb, 0, mb.length);
            }
        }
        w.trailingBits();
        return nal(3, 5, w.toByteArray());
    }

    /** The 256 luma then 64 Cb then 64 Cr samples of macroblock (mx, my), in raster order. */
    private void macroblock(byte[] rgb, int offset, int mx, int my, byte[] mb) {
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int p = pixel(rgb, offset, mx * 16 + x, my * 16 + y);
                mb[y * 16 + x] = (byte) Bt601.luma(p >> 16 & 0xff, p >> 8 & 0xff, p & 0xff);
            }
        }
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                int r = 0;
                int g = 0;
                int b = 0;
                for (int k = 0; k < 4; k++) {
                    int p = pixel(rgb, offset, mx * 16 + 2 * x + (k & 1), my * 16 + 2 * y + (k >> 1));
                    r += p >> 16 & 0xff;
                    g += p >> 8 & 0xff;
                    b += p & 0xff;
                }
                mb[256 + y * 8 + x] = (byte) Bt601.cb(r, g, b, 4);
                mb[320 + y * 8 + x] = (byte) Bt601.cr(r, g, b, 4);
            }
        }
    }

    /** Packed 0xRRGGBB of (x, y), clamped to the frame (edge replication into the padding). */
    private int pixel(byte[] rgb, int offset, int x, int y) {
        int i = offset + (Math.min(y, height - 1) * width + Math.min(x, width - 1)) * 3;
        return (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | rgb[i + 2] & 0xff;
    }

    /** A NAL unit: header byte, then the RBSP with emulation prevention (§7.4.1: 0x000000..03 gets a 0x03 inserted). */
    static byte[] nal(int refIdc, int type, byte[] rbsp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rbsp.length + rbsp.length / 64 + 8);
        out.write(refIdc << 5 | type);
        int zeros = 0;
        for (byte b : rbsp) {
            if (zeros >= 2 && (b & 0xff) <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }
}
