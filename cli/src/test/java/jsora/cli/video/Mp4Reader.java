package jsora.cli.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-side reader of what {@link Mp4Writer} produces: walks the ISO BMFF boxes (checking every size adds up and that
 * {@code moov} comes before {@code mdat}), reads the sample tables, the avcC and the SPS, and decodes I_PCM H.264
 * slices ({@code --lossless}) back to Y, Cb, Cr planes. It parses the bitstream independently of the encoders
 * (Exp-Golomb reads, emulation-prevention removal, SPS fields).
 */
final class Mp4Reader {
    int width;
    int height;
    int timescale;
    int sampleDelta;
    long creationTime = -1;
    final List<byte[]> samples = new ArrayList<>();
    /** Sync samples (stss), 1-based; empty when every sample is one. */
    final List<Integer> syncSamples = new ArrayList<>();
    byte[] sps;
    byte[] pps;
    int avcProfile;
    int avcCompatibility;
    int avcLevel;
    int spsWidth;
    int spsHeight;
    int spsLevel;
    /** -1 without VUI video signal type, else video_full_range_flag. */
    int fullRange = -1;
    int matrixCoefficients = -1;

    private final List<Long> chunkOffsets = new ArrayList<>();
    private int[] sizes;
    /** stsc rows: first chunk (1-based), samples per chunk. */
    private final List<int[]> chunkRuns = new ArrayList<>();

    static Mp4Reader read(Path file) throws IOException {
        Mp4Reader r = new Mp4Reader();
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        List<String> top = new ArrayList<>();
        r.walk(b, 0, b.limit(), top);
        assertEquals(List.of("ftyp", "moov", "mdat"), top, "top-level boxes: moov before mdat");
        int sample = 0;
        for (int c = 0; c < r.chunkOffsets.size(); c++) {
            int perChunk = 0;
            for (int[] run : r.chunkRuns) {
                if (run[0] <= c + 1) {
                    perChunk = run[1];
                }
            }
            long at = r.chunkOffsets.get(c);
            for (int k = 0; k < perChunk; k++, sample++) {
                byte[] data = new byte[r.sizes[sample]];
                b.position((int) at);
                b.get(data);
                r.samples.add(data);
                at += data.length;
            }
        }
        assertEquals(r.sizes.length, r.samples.size(), "every sample in a chunk");
        r.parseSps();
        return r;
    }

    private static String type(ByteBuffer b, int at) {
        return new String(new byte[] {b.get(at), b.get(at + 1), b.get(at + 2), b.get(at + 3)},
                StandardCharsets.US_ASCII);
    }

    private void walk(ByteBuffer b, int from, int to, List<String> names) {
        int p = from;
        while (p < to) {
            long size = Integer.toUnsignedLong(b.getInt(p));
            String type = type(b, p + 4);
            int header = 8;
            if (size == 1) {
                size = b.getLong(p + 8);
                header = 16;
            }
            assertTrue(size >= header && p + size <= to, type + " box size " + size + " overruns its parent");
            names.add(type);
            int body = p + header;
            int end = (int) (p + size);
            switch (type) {
                case "moov": case "trak": case "mdia": case "minf": case "stbl": case "dinf":
                    walk(b, body, end, new ArrayList<>());
                    break;
                case "mvhd":
                    creationTime = Integer.toUnsignedLong(b.getInt(body + 4));
                    break;
                case "tkhd":
                    width = b.getInt(body + 76) >>> 16;
                    height = b.getInt(body + 80) >>> 16;
                    break;
                case "mdhd":
                    timescale = b.getInt(body + 12);
                    break;
                case "stts":
                    assertEquals(1, b.getInt(body + 4), "one frame duration");
                    sampleDelta = b.getInt(body + 12);
                    break;
                case "stss":
                    for (int i = 0; i < b.getInt(body + 4); i++) {
                        syncSamples.add(b.getInt(body + 8 + 4 * i));
                    }
                    break;
                case "stsc":
                    for (int i = 0; i < b.getInt(body + 4); i++) {
                        chunkRuns.add(new int[] {b.getInt(body + 8 + 12 * i), b.getInt(body + 12 + 12 * i)});
                    }
                    break;
                case "stsz": {
                    assertEquals(0, b.getInt(body + 4), "sample sizes listed");
                    sizes = new int[b.getInt(body + 8)];
                    for (int i = 0; i < sizes.length; i++) {
                        sizes[i] = b.getInt(body + 12 + 4 * i);
                    }
                    break;
                }
                case "stco":
                case "co64":
                    for (int i = 0; i < b.getInt(body + 4); i++) {
                        chunkOffsets.add(type.equals("co64") ? b.getLong(body + 8 + 8 * i)
                                : Integer.toUnsignedLong(b.getInt(body + 8 + 4 * i)));
                    }
                    break;
                case "stsd":
                    avc1(b, body + 8);
                    break;
                default:
                    break;
            }
            p = end;
        }
        assertEquals(to, p, "boxes fill their parent exactly");
    }

    /** The avc1 sample entry at {@code at}: 78 bytes of visual sample entry, then boxes, one of them avcC. */
    private void avc1(ByteBuffer b, int at) {
        assertEquals("avc1", type(b, at + 4));
        int end = at + b.getInt(at);
        for (int q = at + 8 + 78; q < end; q += b.getInt(q)) {
            if (!type(b, q + 4).equals("avcC")) {
                continue;
            }
            int c = q + 8;
            assertEquals(1, b.get(c));
            avcProfile = b.get(c + 1) & 0xff;
            avcCompatibility = b.get(c + 2) & 0xff;
            avcLevel = b.get(c + 3) & 0xff;
            assertEquals((byte) 0xFF, b.get(c + 4), "4-byte NAL lengths");
            assertEquals(1, b.get(c + 5) & 0x1f, "one SPS");
            sps = new byte[b.getShort(c + 6) & 0xffff];
            b.get(c + 8, sps);
            int ppsAt = c + 8 + sps.length;
            assertEquals(1, b.get(ppsAt), "one PPS");
            pps = new byte[b.getShort(ppsAt + 1) & 0xffff];
            b.get(ppsAt + 3, pps);
            return;
        }
        throw new AssertionError("no avcC in avc1");
    }

    /** The SPS fields the tests check (§7.3.2.1.1, §E.1.1), for Baseline streams. */
    private void parseSps() {
        BitReader s = new BitReader(unescape(sps));
        assertEquals(0x67, s.u(8), "SPS NAL header");
        assertEquals(66, s.u(8), "baseline profile");
        assertEquals(avcCompatibility, s.u(8), "avcC compatibility = SPS constraint flags");
        spsLevel = s.u(8);
        assertEquals(avcLevel, spsLevel, "avcC level = SPS level");
        s.ue(); // seq_parameter_set_id
        s.ue(); // log2_max_frame_num_minus4
        int pocType = s.ue();
        if (pocType == 0) {
            s.ue(); // log2_max_pic_order_cnt_lsb_minus4
        } else {
            assertEquals(2, pocType, "pic_order_cnt_type");
        }
        s.ue(); // max_num_ref_frames
        s.u(1);
        int mbw = s.ue() + 1;
        int mbh = s.ue() + 1;
        assertEquals(1, s.u(1), "frame_mbs_only");
        s.u(1);
        int cropR = 0;
        int cropB = 0;
        if (s.u(1) == 1) {
            s.ue();
            cropR = s.ue();
            s.ue();
            cropB = s.ue();
        }
        spsWidth = mbw * 16 - 2 * cropR;
        spsHeight = mbh * 16 - 2 * cropB;
        if (s.u(1) == 1) { // vui_parameters_present_flag
            if (s.u(1) == 1) { // aspect_ratio_info_present_flag
                if (s.u(8) == 255) {
                    s.u(32);
                }
            }
            if (s.u(1) == 1) { // overscan_info_present_flag
                s.u(1);
            }
            if (s.u(1) == 1) { // video_signal_type_present_flag
                s.u(3);
                fullRange = s.u(1);
                if (s.u(1) == 1) {
                    s.u(16);
                    matrixCoefficients = s.u(8);
                }
            }
        }
    }

    /** Decodes sample {@code f}, an I_PCM slice, to RGB via BT.601 limited range (for comparing with the input). */
    byte[] decodeRgb(int f) {
        int mbw = (spsWidth + 15) / 16;
        int mbh = (spsHeight + 15) / 16;
        byte[] sample = samples.get(f);
        int nalLen = ByteBuffer.wrap(sample).getInt();
        assertEquals(sample.length - 4, nalLen, "one NAL per sample");
        byte[] nal = new byte[nalLen];
        System.arraycopy(sample, 4, nal, 0, nalLen);
        BitReader r = new BitReader(unescape(nal));
        assertEquals(0x65, r.u(8), "IDR slice NAL header");
        assertEquals(0, r.ue(), "first_mb_in_slice");
        assertEquals(7, r.ue(), "I slice");
        r.ue();
        r.u(4); // frame_num
        r.ue(); // idr_pic_id
        r.u(2); // dec_ref_pic_marking
        r.se(); // slice_qp_delta
        r.ue(); // disable_deblocking_filter_idc (1: no offsets follow)
        int W = mbw * 16;
        int H = mbh * 16;
        int[] y = new int[W * H];
        int[] cb = new int[W * H / 4];
        int[] cr = new int[W * H / 4];
        for (int my = 0; my < mbh; my++) {
            for (int mx = 0; mx < mbw; mx++) {
                assertEquals(25, r.ue(), "I_PCM");
                r.align();
                for (int i = 0; i < 256; i++) {
                    y[(my * 16 + i / 16) * W + mx * 16 + i % 16] = r.u(8);
                }
                for (int i = 0; i < 64; i++) {
                    cb[(my * 8 + i / 8) * (W / 2) + mx * 8 + i % 8] = r.u(8);
                }
                for (int i = 0; i < 64; i++) {
                    cr[(my * 8 + i / 8) * (W / 2) + mx * 8 + i % 8] = r.u(8);
                }
            }
        }
        assertEquals(1, r.u(1), "rbsp stop bit");
        byte[] rgb = new byte[spsWidth * spsHeight * 3];
        for (int j = 0; j < spsHeight; j++) {
            for (int i = 0; i < spsWidth; i++) {
                double yy = 1.164 * (y[j * W + i] - 16);
                double u = cb[(j / 2) * (W / 2) + i / 2] - 128;
                double v = cr[(j / 2) * (W / 2) + i / 2] - 128;
                int o = (j * spsWidth + i) * 3;
                rgb[o] = clamp(yy + 1.596 * v);
                rgb[o + 1] = clamp(yy - 0.392 * u - 0.813 * v);
                rgb[o + 2] = clamp(yy + 2.017 * u);
            }
        }
        return rgb;
    }

    private static byte clamp(double v) {
        return (byte) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** Removes emulation-prevention bytes (00 00 03 -> 00 00). */
    static byte[] unescape(byte[] nal) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int zeros = 0;
        for (byte b : nal) {
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            o.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return o.toByteArray();
    }

    /** MSB-first bit reader with Exp-Golomb. */
    static final class BitReader {
        private final byte[] d;
        private long pos;

        BitReader(byte[] d) {
            this.d = d;
        }

        int u(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 1 | (d[(int) (pos >> 3)] >> (7 - (pos & 7))) & 1;
                pos++;
            }
            return v;
        }

        int ue() {
            int zeros = 0;
            while (u(1) == 0) {
                zeros++;
            }
            return (1 << zeros) - 1 + u(zeros);
        }

        int se() {
            int k = ue();
            return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
        }

        void align() {
            while ((pos & 7) != 0) {
                assertEquals(0, u(1), "pcm_alignment_zero_bit");
            }
        }
    }

    static void assertNear(byte[] expected, byte[] actual, int tol, String what) {
        assertEquals(expected.length, actual.length, what + " size");
        int worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs((expected[i] & 0xff) - (actual[i] & 0xff)));
        }
        assertTrue(worst <= tol, what + ": max channel difference " + worst + " > " + tol);
    }
}
