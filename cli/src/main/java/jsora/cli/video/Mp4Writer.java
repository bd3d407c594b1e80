package jsora.cli.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import jsora.models.pipeline.Video;
import jsora.weights.AtomicFile;
import org.jcodec.codecs.h264.mp4.AvcCBox;
import org.jcodec.common.Codec;
import org.jcodec.common.MuxerTrack;
import org.jcodec.common.VideoCodecMeta;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Packet;
import org.jcodec.common.model.Packet.FrameType;
import org.jcodec.common.model.Size;
import org.jcodec.containers.mp4.Brand;
import org.jcodec.containers.mp4.TimeUtil;
import org.jcodec.containers.mp4.boxes.Box;
import org.jcodec.containers.mp4.boxes.ChunkOffsets64Box;
import org.jcodec.containers.mp4.boxes.MediaHeaderBox;
import org.jcodec.containers.mp4.boxes.MovieBox;
import org.jcodec.containers.mp4.boxes.MovieHeaderBox;
import org.jcodec.containers.mp4.boxes.NodeBox;
import org.jcodec.containers.mp4.boxes.SampleSizesBox;
import org.jcodec.containers.mp4.boxes.TrackHeaderBox;
import org.jcodec.containers.mp4.muxer.MP4Muxer;

/**
 * MP4 (ISO/IEC 14496-12, brand {@code isom}) with one H.264 track ({@code avc1}), muxed by JCodec's
 * {@link MP4Muxer} from {@link H264Compressor}'s frames, or {@link H264PcmEncoder}'s with {@code --lossless}. Around
 * the muxer's faults: the creation and modification times it takes from the clock are set to 0 (the same video gives
 * the same bytes), the {@code avcC} gets the SPS's constraint flags (JCodec writes 0) and the level the frames need
 * ({@link H264Level}, set in the SPS too), and {@code moov} is moved before {@code mdat} so that a player can start
 * while the file is still downloading.
 */
public final class Mp4Writer {
    private Mp4Writer() {
    }

    /** A GOP of two seconds: a player can seek to every other second, and an IDR frame costs a few P frames. */
    static final int GOP_SECONDS = 2;

    /**
     * Fails, before any model work, where no H.264 level carries the video: with {@code --lossless} its bit rate is
     * known in advance, and above 800 Mbit/s (4K at 24 fps) no level has room; compressed frames always fit.
     */
    public static void checkLevel(int width, int height, int frames, int fps, H264Settings settings) {
        if (settings.lossless()) {
            long[] bytes = new long[frames];
            Arrays.fill(bytes, H264PcmEncoder.maxSampleBytes(width, height));
            H264Level.of(width, height, fps, bytes);
        }
    }

    public static void write(Video video, Path target, H264Settings settings) throws IOException {
        Function<Yuv420, byte[]> encoder;
        if (settings.lossless()) {
            encoder = new H264PcmEncoder(video.width(), video.height())::encode;
        } else {
            int qp = H264Compressor.qpFor(video, settings.qp());
            encoder = new H264Compressor(video.width(), video.height(), qp, GOP_SECONDS * video.fps())::encode;
        }
        AtomicFile.write(target, ch -> {
            MP4Muxer muxer = MP4Muxer.createMP4Muxer(new FileChannelWrapper(ch), Brand.MP4);
            long dataStart = ch.position(); // after ftyp, an 8-byte "wide" box and mdat's 16-byte header
            MuxerTrack track = muxer.addVideoTrack(Codec.H264, VideoCodecMeta.createSimpleVideoCodecMeta(
                    new Size(video.width(), video.height()), ColorSpace.YUV420));
            for (int f = 0; f < video.frames(); f++) {
                Yuv420 frame = Yuv420.of(video.rgb(), f * video.frameBytes(), video.width(), video.height());
                byte[] au = encoder.apply(frame);
                // one tick per frame at fps ticks per second; UNKNOWN: the muxer marks IDR frames as sync samples
                track.addFrame(Packet.createPacket(ByteBuffer.wrap(au), f, video.fps(), 1, f, FrameType.UNKNOWN, null));
            }
            MovieBox moov = muxer.finalizeHeader();
            fixTimes(moov);
            setLevel(moov, H264Level.of(video.width(), video.height(), video.fps(), sampleSizes(moov)));
            moovFirst(ch, moov, dataStart - 24);
        });
    }

    private static <T extends Box> T find(MovieBox moov, Class<T> type, String... path) {
        return NodeBox.findFirstPath(moov, type, path);
    }

    private static long[] sampleSizes(MovieBox moov) {
        int[] sizes = find(moov, SampleSizesBox.class, "trak", "mdia", "minf", "stbl", "stsz").getSizes();
        long[] bytes = new long[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            bytes[i] = sizes[i];
        }
        return bytes;
    }

    /** 0 seconds since 1904, the MP4 epoch, in the muxer's milliseconds since 1970. */
    private static final long NO_TIME = TimeUtil.fromMovTime(0);

    /** The muxer stamps mvhd, tkhd and mdhd with the wall clock: the same boxes, with no time. */
    private static void fixTimes(MovieBox moov) {
        MovieHeaderBox mvhd = find(moov, MovieHeaderBox.class, "mvhd");
        replace(moov, MovieHeaderBox.createMovieHeaderBox(mvhd.getTimescale(), mvhd.getDuration(), mvhd.getRate(),
                mvhd.getVolume(), NO_TIME, NO_TIME, mvhd.getMatrix(), mvhd.getNextTrackId()));
        NodeBox trak = find(moov, NodeBox.class, "trak");
        TrackHeaderBox tkhd = find(moov, TrackHeaderBox.class, "trak", "tkhd");
        TrackHeaderBox fixed = TrackHeaderBox.createTrackHeaderBox(tkhd.getTrackId(), tkhd.getDuration(),
                tkhd.getWidth(), tkhd.getHeight(), NO_TIME, NO_TIME, tkhd.getVolume(), tkhd.getLayer(),
                tkhd.getAltGroup(), tkhd.getMatrix());
        fixed.setFlags(tkhd.getFlags());
        replace(trak, fixed);
        MediaHeaderBox mdhd = find(moov, MediaHeaderBox.class, "trak", "mdia", "mdhd");
        replace(find(moov, NodeBox.class, "trak", "mdia"), MediaHeaderBox.createMediaHeaderBox(mdhd.getTimescale(),
                mdhd.getDuration(), mdhd.getLanguage(), NO_TIME, NO_TIME, mdhd.getQuality()));
    }

    /** Replaces the child of the same type in its place (NodeBox.replace appends). */
    private static void replace(NodeBox parent, Box box) {
        List<Box> children = parent.getBoxes();
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i).getFourcc().equals(box.getFourcc())) {
                children.set(i, box);
                return;
            }
        }
        throw new IllegalStateException("no " + box.getFourcc() + " box to replace");
    }

    /**
     * Sets {@code level} in the SPS and rebuilds the avcC with the SPS's profile, constraint flags and level, as
     * ISO/IEC 14496-15 asks. The avcC holds the SPS without its NAL header byte: profile_idc, the constraint flags,
     * level_idc, then the rest; no emulation-prevention byte can come before level_idc, as profile_idc is not 0.
     */
    private static void setLevel(MovieBox moov, int level) {
        NodeBox avc1 = find(moov, NodeBox.class, "trak", "mdia", "minf", "stbl", "stsd", "avc1");
        AvcCBox avcC = find(moov, AvcCBox.class, "trak", "mdia", "minf", "stbl", "stsd", "avc1", "avcC");
        if (avcC.getSpsList().size() != 1) {
            throw new IllegalStateException("expected one SPS, got " + avcC.getSpsList().size());
        }
        ByteBuffer sps = avcC.getSpsList().get(0);
        int at = sps.position();
        sps.put(at + 2, (byte) level);
        replace(avc1, AvcCBox.createAvcCBox(sps.get(at) & 0xff, sps.get(at + 1) & 0xff, level,
                avcC.getNalLengthSize(), avcC.getSpsList(), avcC.getPpsList()));
    }

    /**
     * The muxer leaves {@code ftyp, wide, mdat} in the file at {@code wideStart}; this writes {@code moov} where
     * {@code wide} was and moves {@code mdat} after it (from its end backwards, so nothing is overwritten before it is
     * read), with the chunk offsets moved as far.
     */
    private static void moovFirst(FileChannel ch, MovieBox moov, long wideStart) throws IOException {
        long mdatStart = wideStart + 8;
        long end = ch.position();
        ch.write(ByteBuffer.allocate(8).putLong(0, end - mdatStart), mdatStart + 8); // mdat's 64-bit size
        ByteBuffer header = ByteBuffer.allocate(moov.estimateSize() + 4096);
        moov.write(header); // chunk offsets are 64-bit, so their values do not change the size
        long shift = header.position() - 8;
        ChunkOffsets64Box co64 = find(moov, ChunkOffsets64Box.class, "trak", "mdia", "minf", "stbl", "co64");
        long[] offsets = co64.getChunkOffsets();
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] += shift;
        }
        co64.setChunkOffsets(offsets);
        header.clear();
        moov.write(header);
        header.flip();
        ByteBuffer block = ByteBuffer.allocate(1 << 20);
        for (long to = end; to > mdatStart; ) {
            int n = (int) Math.min(block.capacity(), to - mdatStart);
            to -= n;
            block.clear().limit(n);
            while (block.hasRemaining()) {
                ch.read(block, to + block.position());
            }
            block.flip();
            while (block.hasRemaining()) {
                ch.write(block, to + shift + block.position());
            }
        }
        while (header.hasRemaining()) {
            ch.write(header, wideStart + header.position());
        }
    }
}
