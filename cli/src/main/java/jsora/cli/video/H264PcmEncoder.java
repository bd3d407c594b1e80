package jsora.cli.video;

import java.io.ByteArrayOutputStream;

/**
 * The exact H.264 form ({@code --lossless}; ITU-T H.264, Constrained Baseline profile): every frame is an IDR picture
 * of one I slice whose macroblocks are all {@code I_PCM}, i.e. the {@link Yuv420} samples stored as they are. No
 * prediction, transform or entropy coding, so a decoder gives back exactly the 4:2:0 frames; the price is size (1.5
 * bytes per pixel per frame, like raw video). Sizes that are no multiple of 16 are cropped in the SPS.
 */
final class H264PcmEncoder {
    private final int width;
    private final int height;
    private final int mbWidth;
    private final int mbHeight;
    private int idrPicId;

    H264PcmEncoder(int width, int height) {
        this.width = width;
        this.height = height;
        this.mbWidth = (width + 15) / 16;
        this.mbHeight = (height + 15) / 16;
    }

    private static final int PROFILE_BASELINE = 66;
    /** constraint_set0_flag and constraint_set1_flag: Constrained Baseline. */
    private static final int CONSTRAINTS = 0xC0;
    /** level_idc as written here; {@link Mp4Writer} sets the real one once the frame sizes are known. */
    private static final int LEVEL_UNSET = 0;

    /**
     * The most bytes a frame's sample takes in the MP4 (the 4-byte NAL length, the NAL header, a slice header of at
     * most 8 bytes, per macroblock a 9-bit mb_type, at most 7 alignment bits and 384 samples, the stop bit's byte). No
     * emulation-prevention byte is added: samples are at least 16, so no two zero bytes follow each other.
     */
    static long maxSampleBytes(int width, int height) {
        return 4 + 1 + 8 + 386L * ((width + 15) / 16) * ((height + 15) / 16) + 1;
    }

    /** The sequence parameter set NAL unit (§7.3.2.1.1), header byte included. */
    private byte[] sps() {
        BitWriter w = new BitWriter();
        w.u(8, PROFILE_BASELINE);
        w.u(8, CONSTRAINTS);
        w.u(8, LEVEL_UNSET);
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
    private byte[] pps() {
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

    /** One frame as an access unit in Annex B form (start codes): SPS, PPS and an IDR slice. */
    byte[] encode(Yuv420 frame) {
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
                macroblock(frame, mx, my, mb);
                w.bytes(mb, 0, mb.length);
            }
        }
        w.trailingBits();
        ByteArrayOutputStream au = new ByteArrayOutputStream();
        for (byte[] nal : new byte[][] {sps(), pps(), nal(3, 5, w.toByteArray())}) {
            au.write(START_CODE, 0, START_CODE.length);
            au.write(nal, 0, nal.length);
        }
        return au.toByteArray();
    }

    private static final byte[] START_CODE = {0, 0, 0, 1};

    /** The 256 luma then 64 Cb then 64 Cr samples of macroblock (mx, my), in raster order. */
    private static void macroblock(Yuv420 f, int mx, int my, byte[] mb) {
        for (int y = 0; y < 16; y++) {
            System.arraycopy(f.y, (my * 16 + y) * f.width + mx * 16, mb, y * 16, 16);
        }
        int cw = f.width / 2;
        for (int y = 0; y < 8; y++) {
            System.arraycopy(f.cb, (my * 8 + y) * cw + mx * 8, mb, 256 + y * 8, 8);
            System.arraycopy(f.cr, (my * 8 + y) * cw + mx * 8, mb, 320 + y * 8, 8);
        }
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
