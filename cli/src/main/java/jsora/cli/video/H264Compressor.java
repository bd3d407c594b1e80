package jsora.cli.video;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import jsora.models.pipeline.Video;
import org.jcodec.codecs.h264.H264Const;
import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.codecs.h264.encode.RateControl;
import org.jcodec.codecs.h264.io.model.PictureParameterSet;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.codecs.h264.io.model.SliceType;
import org.jcodec.codecs.h264.io.model.VUIParameters;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rect;
import org.jcodec.common.model.Size;

/**
 * Compressed H.264 by JCodec's encoder (Baseline, CAVLC; I slices of 16×16 intra macroblocks, P slices of 16×16
 * motion-compensated ones), at one quantiser for the whole video. Around its faults: it is given limited-range
 * BT.601 samples ({@link Yuv420}) instead of its own full-range conversion, and its SPS says so in the VUI; the SPS
 * also claims Constrained Baseline, which the encoder's tools keep to. JCodec quantises chroma with the luma QP, where a decoder
 * takes the chroma QP of Table 8-15 (lower from QP 30 on): above 29 that mismatch desaturates and drifts, so the PPS
 * gets a chroma_qp_index_offset that brings the decoder's chroma QP back to the luma QP.
 *
 * <p>An IDR frame starts every GOP. JCodec's P slices have no intra macroblocks, so a frame that its predecessor
 * predicts worse than its own macroblock means do (a scene cut, or frames with no temporal coherence, like the demo's
 * random-weight noise) is coded as an I frame instead: {@link #change} above {@link #activity}.
 *
 * <p>The quantiser follows the video's activity, as x264's CRF does: errors hide in detail, so a video twice as
 * active as {@link #REFERENCE_ACTIVITY} gets a quantiser step 2^(2/3) times as large (QP + 4), one half as active a
 * step that much smaller (the slope is set so that the default quality meets issue 16's targets on both the smooth
 * synthetic test video and the demo's noise). It is one QP for the whole video, as the one PPS (in the avcC) holds
 * the chroma offset for one QP.
 */
final class H264Compressor {
    /** The quantiser range {@code --quality} maps to. */
    static final int MIN_QP = 12;
    /** Table 8-15 gives no chroma QP above 39, so no offset matches JCodec's chroma beyond. */
    static final int MAX_QP = 39;
    /** The highest QP whose chroma QP is the QP itself, with no offset. */
    private static final int PLAIN_CHROMA_QP = 29;
    /** The activity (levels) at which a video gets the QP of {@code --quality}: moderately detailed. */
    static final double REFERENCE_ACTIVITY = 8;
    /** QP steps per doubling of activity. */
    private static final double QP_PER_OCTAVE = 4;

    private final int qp;
    private final FixedQp rateControl = new FixedQp();
    private final Encoder encoder;
    private final ByteBuffer buffer;
    private final int frameW;
    private final int frameH;
    private final int gop;
    private int frameInGop;
    private Yuv420 previous;

    /** {@code gop}: frames from one IDR frame to the next. */
    H264Compressor(int width, int height, int qp, int gop) {
        if (qp < MIN_QP || qp > MAX_QP) {
            throw new IllegalArgumentException("QP " + qp + " outside " + MIN_QP + ".." + MAX_QP);
        }
        this.qp = qp;
        this.frameW = width;
        this.frameH = height;
        encoder = new Encoder(rateControl, chromaOffset(qp));
        encoder.setKeyInterval(gop); // sizes frame_num
        this.gop = gop;
        int padded = (width + 15) / 16 * 16 * ((height + 15) / 16 * 16);
        // a slice takes at most one byte per pixel (JCodec's own buffer), escaping at most half as much again
        buffer = ByteBuffer.allocate(2 * padded + 4096);
    }

    /** One frame as an Annex B access unit (SPS and PPS before each IDR slice). */
    byte[] encode(Yuv420 f) {
        byte[][] planes = {signed(f.y), signed(f.cb), signed(f.cr)};
        Picture pic = Picture.createPicture(f.width, f.height, planes, ColorSpace.YUV420J);
        pic.setCrop(new Rect(0, 0, frameW, frameH));
        boolean idr = frameInGop == 0;
        SliceType type = idr || change(previous, f) > activity(f) ? SliceType.I : SliceType.P;
        ByteBuffer data = encodeWithin(pic, idr, type);
        frameInGop = (frameInGop + 1) % gop;
        previous = f;
        byte[] au = new byte[data.remaining()];
        data.get(au);
        return au;
    }

    /**
     * JCodec writes a slice into a buffer of one byte per pixel and fails when it overflows, as fine quantisers can on
     * noise: such a frame is encoded again with a quantiser step twice as large, up to QP 29, whose chroma needs no
     * offset. The encoder keeps no state of a failed frame (it sets its reference picture only once a frame is done).
     */
    private ByteBuffer encodeWithin(Picture pic, boolean idr, SliceType type) {
        for (rateControl.qp = qp; ; rateControl.qp = Math.min(rateControl.qp + 6, PLAIN_CHROMA_QP)) {
            try {
                buffer.clear();
                return encoder.doEncodeFrame(pic, buffer, idr, frameInGop, type);
            } catch (BufferOverflowException e) {
                if (rateControl.qp >= PLAIN_CHROMA_QP) {
                    throw new IllegalStateException("a frame exceeds JCodec's buffer at QP " + rateControl.qp, e);
                }
            }
        }
    }

    /**
     * How far a frame's luma strays from the means of its macroblocks (mean absolute deviation, in levels): about what
     * 16×16 intra prediction leaves to code, and a measure of detail.
     */
    static double activity(Yuv420 f) {
        long sum = 0;
        for (int my = 0; my < f.height; my += 16) {
            for (int mx = 0; mx < f.width; mx += 16) {
                int total = 0;
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++) {
                        total += f.y[(my + y) * f.width + mx + x] & 0xff;
                    }
                }
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++) {
                        sum += Math.abs(256 * (f.y[(my + y) * f.width + mx + x] & 0xff) - total);
                    }
                }
            }
        }
        return sum / 256.0 / f.y.length;
    }

    /** Mean absolute luma difference from {@code a} to {@code b}: what a P frame without motion leaves to code. */
    static double change(Yuv420 a, Yuv420 b) {
        long sum = 0;
        for (int i = 0; i < b.y.length; i++) {
            sum += Math.abs((a.y[i] & 0xff) - (b.y[i] & 0xff));
        }
        return (double) sum / b.y.length;
    }

    /** The QP for {@code v} when {@code qp} is that of a video of {@link #REFERENCE_ACTIVITY}. */
    static int qpFor(Video v, int qp) {
        double sum = 0;
        for (int f = 0; f < v.frames(); f++) {
            sum += activity(Yuv420.of(v.rgb(), f * v.frameBytes(), v.width(), v.height()));
        }
        return qpAt(qp, sum / v.frames());
    }

    private static int qpAt(int qp, double activity) {
        double octaves = Math.log(Math.max(activity, 1) / REFERENCE_ACTIVITY) / Math.log(2);
        return Math.max(MIN_QP, Math.min(MAX_QP, (int) Math.round(qp + QP_PER_OCTAVE * octaves)));
    }

    /** The chroma_qp_index_offset for which a decoder's chroma QP, QP_SCALE_CR[qp + offset], is {@code qp}. */
    static int chromaOffset(int qp) {
        int offset = 0;
        while (H264Const.QP_SCALE_CR[qp + offset] != qp) {
            offset++;
        }
        return offset;
    }

    /** JCodec keeps samples as signed bytes, value − 128. */
    private static byte[] signed(byte[] plane) {
        byte[] s = new byte[plane.length];
        for (int i = 0; i < plane.length; i++) {
            s[i] = (byte) ((plane[i] & 0xff) - 128);
        }
        return s;
    }

    /** The encoder with a corrected SPS (Constrained Baseline, a VUI for BT.601 limited range) and PPS. */
    private static final class Encoder extends H264Encoder {
        private final int chromaOffset;

        Encoder(RateControl rc, int chromaOffset) {
            super(rc);
            this.chromaOffset = chromaOffset;
        }

        @Override
        public PictureParameterSet initPPS() {
            PictureParameterSet pps = super.initPPS();
            pps.chromaQpIndexOffset = chromaOffset;
            return pps;
        }

        @Override
        public SeqParameterSet initSPS(Size sz) {
            SeqParameterSet sps = super.initSPS(sz);
            sps.constraintSet0Flag = true; // no FMO, ASO or redundant slices: Constrained Baseline
            sps.constraintSet1Flag = true;
            VUIParameters vui = new VUIParameters();
            vui.videoSignalTypePresentFlag = true;
            vui.videoFormat = 5; // unspecified
            vui.videoFullRangeFlag = false; // Y 16..235, Cb and Cr 16..240
            vui.colourDescriptionPresentFlag = true;
            vui.colourPrimaries = 6; // SMPTE 170M (BT.601 525)
            vui.transferCharacteristics = 6;
            vui.matrixCoefficients = 6;
            sps.vuiParams = vui;
            return sps;
        }
    }

    /** One quantiser for every macroblock of a frame: {@link #qp}, set before each frame. */
    private static final class FixedQp implements RateControl {
        int qp;

        @Override
        public int startPicture(Size sz, int maxSize, SliceType sliceType) {
            return qp;
        }

        @Override
        public int initialQpDelta() {
            return 0;
        }

        @Override
        public int accept(int bits) {
            return 0;
        }
    }
}
