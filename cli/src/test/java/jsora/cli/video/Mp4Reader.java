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
 * Test-side reader of what {@link Mp4Writer} produces: walks the ISO BMFF boxes (checking every size adds up), reads
 * the sample tables and the avcC, and decodes the I_PCM H.264 slices back to Y, Cb, Cr planes. It parses the bitstream
 * independently of the encoder (Exp-Golomb reads, emulation-prevention removal, SPS fields).
 */
final class Mp4Reader {
    int width;
    int height;
    int timescale;
    int sampleDelta;
    final List<byte[]> samples = new ArrayList<>();
    byte[] sps;
    byte[] pps;
    int spsWidth;
    int spsHeight;

    static Mp4Reader read(Path file) throws IOException {
        Mp4Reader r = new Mp4Reader();
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        List<String> top = new ArrayList<>();
        long[] chunk = new long[1];
        int[][] sizes = new int[1][];
        r.walk(b, 0, b.limit(), top, chunk, sizes);
        assertEquals(List.of("ftyp", "mdat", "moov"), top, "top-level boxes");
        long at = chunk[0];
        for (int s : sizes[0]) {
            byte[] sample = new byte[s];
            b.position((int) at);
            b.get(sample);
            r.samples.add(sample);
            at += s;
        }
        return r;
    }

    private void walk(ByteBuffer b, int from, int to, List<String> names, long[] chunk, int[][] sizes) {
        int p = from;
        while (p < to) {
            long size = Integer.toUnsignedLong(b.getInt(p));
            String type = new String(new byte[] {b.get(p + 4), b.get(p + 5), b.get(p + 6), b.get(p + 7)},
                    StandardCharsets.US_ASCII);
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
                    walk(b, body, end, new ArrayList<>(), chunk, sizes);
                    break;
                case "tkhd":
                    width = b.getInt(body + 76) >>> 16;
                    height = b.getInt(body + 80) >>> 16;
                    break;
                case "mdhd":
                    timescale = b.getInt(body + 12);
                    break;
                case "stts":
                    assertEquals(1, b.getInt(body + 4));
                    sampleDelta = b.getInt(body + 12);
                    break;
                case "stsz": {
                    int n = b.getInt(body + 8);
                    sizes[0] = new int[n];
                    for (int i = 0; i < n; i++) {
                        sizes[0][i] = b.getInt(body + 12 + 4 * i);
                    }
                    break;
                }
                case "co64":
                    assertEquals(1, b.getInt(body + 4));
                    chunk[0] = b.getLong(body + 8);
                    break;
                case "stsd": {
                    int avc1 = body + 8;
                    assertEquals("avc1", new String(new byte[] {b.get(avc1 + 4), b.get(avc1 + 5), b.get(avc1 + 6),
                            b.get(avc1 + 7)}, StandardCharsets.US_ASCII));
                    int avcC = avc1 + 8 + 78;
                    assertEquals("avcC", new String(new byte[] {b.get(avcC + 4), b.get(avcC + 5), b.get(avcC + 6),
                            b.get(avcC + 7)}, StandardCharsets.US_ASCII));
                    int q = avcC + 8;
                    assertEquals(1, b.get(q));
                    assertEquals((byte) 0xFF, b.get(q + 4), "4-byte NAL lengths");
                    int spsLen = b.getShort(q + 6) & 0xffff;
                    sps = new byte[spsLen];
                    b.position(q + 8);
                    b.get(sps);
                    int ppsLen = b.getShort(q + 9 + spsLen) & 0xffff;
                    pps = new byte[ppsLen];
                    b.position(q + 11 + spsLen);
                    b.get(pps);
                    break;
                }
                default:
                    break;
            }
            p = end;
        }
        assertEquals(to, p, "boxes fill their parent exactly");
    }

    /** Decodes sample {@code f} to RGB via BT.601 limited range (for comparing with the input). */
    byte[] decodeRgb(int f) {
        BitReader s = new BitReader(unescape(sps));
        assertEquals(0x67, s.u(8), "SPS NAL header");
        assertEquals(66, s.u(8), "baseline profile");
        s.u(16); // constraints, level
        s.ue();
        s.ue(); // log2_max_frame_num_minus4
        assertEquals(2, s.ue(), "pic_order_cnt_type");
        s.ue();
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
