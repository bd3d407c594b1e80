package jsora.cli.video;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jsora.models.pipeline.Video;
import jsora.weights.AtomicFile;

/**
 * MP4 (ISO/IEC 14496-12 base media file, 14496-15 AVC storage) with one H.264 video track from
 * {@link H264PcmEncoder}: {@code ftyp}, then {@code mdat} with every frame as a length-prefixed NAL unit (streamed to
 * disk frame by frame), then {@code moov} with the sample tables. All frames are sync samples (IDR), so there is no
 * {@code stss}. No timestamps of the wall clock are stored: the same video gives the same bytes.
 */
public final class Mp4Writer {
    private Mp4Writer() {
    }

    public static void write(Video video, Path target) throws IOException {
        H264PcmEncoder enc = new H264PcmEncoder(video.width(), video.height());
        AtomicFile.write(target, ch -> {
            ch.write(ByteBuffer.wrap(ftyp()));
            long mdatStart = ch.position();
            ByteBuffer header = ByteBuffer.allocate(16);
            header.putInt(1).put(ascii("mdat")).putLong(0).flip(); // 64-bit size, patched below
            ch.write(header);
            long dataStart = ch.position();
            int[] sizes = new int[video.frames()];
            for (int f = 0; f < video.frames(); f++) {
                byte[] nal = enc.encode(video.rgb(), f * video.frameBytes());
                ByteBuffer s = ByteBuffer.allocate(4 + nal.length);
                s.putInt(nal.length).put(nal).flip();
                writeFully(ch, s);
                sizes[f] = 4 + nal.length;
            }
            long end = ch.position();
            ByteBuffer size = ByteBuffer.allocate(8);
            size.putLong(end - mdatStart).flip();
            ch.write(size, mdatStart + 8);
            ch.position(end);
            writeFully(ch, ByteBuffer.wrap(moov(video, enc, sizes, dataStart)));
        });
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static byte[] ftyp() {
        Box b = new Box("ftyp");
        b.ascii("isom").u32(512).ascii("isom").ascii("iso2").ascii("avc1").ascii("mp41");
        return b.bytes();
    }

    /** Media time scale: 1000 ticks per frame. */
    static final int TICKS_PER_FRAME = 1000;
    static final int MOVIE_TIMESCALE = 1000;

    private static byte[] moov(Video v, H264PcmEncoder enc, int[] sizes, long dataStart) {
        long mediaDuration = (long) v.frames() * TICKS_PER_FRAME;
        long movieDuration = (long) v.frames() * MOVIE_TIMESCALE / v.fps();
        Box mvhd = new Box("mvhd").u32(0).u32(0).u32(0).u32(MOVIE_TIMESCALE).u32((int) movieDuration)
                .u32(0x00010000).u16(0x0100).zeros(10).matrix().zeros(24).u32(2);
        Box tkhd = new Box("tkhd").u32(0x00000003).u32(0).u32(0).u32(1).u32(0).u32((int) movieDuration).zeros(8)
                .u16(0).u16(0).u16(0).u16(0).matrix().u32(v.width() << 16).u32(v.height() << 16);
        Box mdhd = new Box("mdhd").u32(0).u32(0).u32(0).u32(v.fps() * TICKS_PER_FRAME).u32((int) mediaDuration)
                .u16(0x55C4 /* "und" */).u16(0);
        Box hdlr = new Box("hdlr").u32(0).u32(0).ascii("vide").zeros(12).raw("VideoHandler\0"
                .getBytes(StandardCharsets.US_ASCII));
        Box vmhd = new Box("vmhd").u32(0x00000001).zeros(8);
        Box dinf = new Box("dinf").child(new Box("dref").u32(0).u32(1).child(new Box("url ").u32(0x00000001)));
        byte[] sps = enc.sps();
        byte[] pps = enc.pps();
        Box avcC = new Box("avcC").u8(1).u8(H264PcmEncoder.PROFILE_BASELINE).u8(H264PcmEncoder.CONSTRAINTS)
                .u8(enc.level()).u8(0xFF).u8(0xE1).u16(sps.length).raw(sps).u8(1).u16(pps.length).raw(pps);
        byte[] name = new byte[32];
        Box avc1 = new Box("avc1").zeros(6).u16(1).zeros(16).u16(v.width()).u16(v.height()).u32(0x00480000)
                .u32(0x00480000).u32(0).u16(1).raw(name).u16(0x0018).u16(0xFFFF).child(avcC);
        Box stsd = new Box("stsd").u32(0).u32(1).child(avc1);
        Box stts = new Box("stts").u32(0).u32(1).u32(v.frames()).u32(TICKS_PER_FRAME);
        Box stsc = new Box("stsc").u32(0).u32(1).u32(1).u32(v.frames()).u32(1);
        Box stsz = new Box("stsz").u32(0).u32(0).u32(sizes.length);
        for (int s : sizes) {
            stsz.u32(s);
        }
        Box stco = new Box("co64").u32(0).u32(1).u64(dataStart);
        Box stbl = new Box("stbl").child(stsd).child(stts).child(stsc).child(stsz).child(stco);
        Box minf = new Box("minf").child(vmhd).child(dinf).child(stbl);
        Box mdia = new Box("mdia").child(mdhd).child(hdlr).child(minf);
        Box trak = new Box("trak").child(tkhd).child(mdia);
        return new Box("moov").child(mvhd).child(trak).bytes();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** An ISO BMFF box under construction: 32-bit size and type, then its fields and children. */
    private static final class Box {
        private final String type;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Box(String type) {
            this.type = type;
        }

        Box u8(int v) {
            body.write(v);
            return this;
        }

        Box u16(int v) {
            return u8(v >>> 8).u8(v & 0xff);
        }

        Box u32(int v) {
            return u16(v >>> 16).u16(v & 0xffff);
        }

        Box u64(long v) {
            return u32((int) (v >>> 32)).u32((int) v);
        }

        Box zeros(int n) {
            return raw(new byte[n]);
        }

        Box ascii(String s) {
            return raw(s.getBytes(StandardCharsets.US_ASCII));
        }

        Box raw(byte[] b) {
            body.write(b, 0, b.length);
            return this;
        }

        /** The identity transformation matrix of mvhd/tkhd (16.16 and 2.30 fixed point). */
        Box matrix() {
            return u32(0x00010000).u32(0).u32(0).u32(0).u32(0x00010000).u32(0).u32(0).u32(0).u32(0x40000000);
        }

        Box child(Box c) {
            return raw(c.bytes());
        }

        byte[] bytes() {
            byte[] b = body.toByteArray();
            ByteBuffer out = ByteBuffer.allocate(8 + b.length);
            out.putInt(8 + b.length).put(Mp4Writer.ascii(type)).put(b);
            return out.array();
        }
    }
}
