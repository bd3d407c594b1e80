package jsora.cli.video;

/**
 * How {@code .mp4} output is encoded: {@code quality} 0 to 100 (compressed H.264; higher is better and larger), or
 * {@code lossless} (every frame uncompressed, exactly the 4:2:0 samples). Quality maps linearly to the quantiser of a
 * moderately detailed video, {@code QP = 39 − round(quality × 27 / 100)}: 0 gives QP 39, 100 gives QP 12 (the range
 * where JCodec's encoder is right), the default 50 gives QP 25; {@link H264Compressor#qpFor} moves it with the
 * video's detail. Each 6 QP steps double the quantiser step, about 22 quality points.
 */
public record H264Settings(int quality, boolean lossless) {
    public static final int DEFAULT_QUALITY = 50;
    public static final H264Settings DEFAULT = new H264Settings(DEFAULT_QUALITY, false);

    public H264Settings {
        if (quality < 0 || quality > 100) {
            throw new IllegalArgumentException("--quality " + quality + ": use 0 to 100");
        }
    }

    /** The H.264 quantisation parameter of {@code quality}. */
    int qp() {
        return H264Compressor.MAX_QP - Math.round(quality * (H264Compressor.MAX_QP - H264Compressor.MIN_QP) / 100f);
    }
}
