package io.outpaint.simulator.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.jcodec.api.FrameGrab;
import org.jcodec.api.JCodecException;
import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.common.Codec;
import org.jcodec.common.DemuxerTrack;
import org.jcodec.common.DemuxerTrackMeta;
import org.jcodec.common.MuxerTrack;
import org.jcodec.common.VideoCodecMeta;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.io.SeekableByteChannel;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Packet;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Size;
import org.jcodec.containers.mp4.demuxer.MP4Demuxer;
import org.jcodec.containers.mp4.muxer.MP4Muxer;

/**
 * Writes and reads H.264 MP4 files in pure Java.
 *
 * <p>Rendering is cheap on purpose: one picture is encoded once as an IDR frame and every sample
 * of the track repeats it, so the cost does not grow with the frame count.
 */
public final class Mp4Video {

    /** What the single repeated frame shows. */
    public enum Pattern {
        /** Flat canvas with the source rectangle drawn at its place: compresses to little. */
        CANVAS,
        /** Random noise: compresses badly, for inputs that must be several megabytes. */
        NOISE,
        /** A seaside street in flat colours (sky, sun, sea, sand, houses): the sample {@code run} makes. */
        SCENE
    }

    private Mp4Video() {}

    /** Writes an MP4 whose every frame shows {@code pattern}; {@code inset} marks the source area. */
    public static void write(Path file, int width, int height, int frames, int fps, Pattern pattern,
                             Inset inset) throws IOException {
        write(file, width, height, frames, fps, pattern, inset, 0);
    }

    /** As above, with as many more frames as it takes for the file to reach {@code minBytes}. */
    public static void write(Path file, int width, int height, int frames, int fps, Pattern pattern,
                             Inset inset, long minBytes) throws IOException {
        if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("frame size must be even and at least 16x16: " + width + "x" + height);
        }
        if (frames < 1 || fps < 1) {
            throw new IllegalArgumentException("frames and fps must be positive");
        }
        Picture picture = pattern == Pattern.SCENE ? SampleScene.paint(width, height) : Picture.create(width, height, ColorSpace.YUV420J);
        if (pattern != Pattern.SCENE) {
            paint(picture, pattern, inset);
        }
        write(file, picture, frames, fps, minBytes);
    }

    /** Writes an MP4 whose every frame is {@code picture}, with more frames if it takes them to reach {@code minBytes}. */
    public static void write(Path file, Picture picture, int frames, int fps, long minBytes) throws IOException {
        int width = picture.getWidth();
        int height = picture.getHeight();
        H264Encoder encoder = H264Encoder.createH264Encoder();
        ByteBuffer encoded = encoder.encodeIDRFrame(picture, ByteBuffer.allocate(encoder.estimateBufferSize(picture)));
        byte[] frame = new byte[encoded.remaining()];
        encoded.get(frame);
        frames = (int) Math.max(frames, (minBytes + frame.length - 1) / frame.length);

        try (SeekableByteChannel out = NIOUtils.writableChannel(file.toFile())) {
            MP4Muxer muxer = MP4Muxer.createMP4MuxerToChannel(out);
            MuxerTrack track = muxer.addVideoTrack(Codec.H264,
                    VideoCodecMeta.createSimpleVideoCodecMeta(new Size(width, height), ColorSpace.YUV420J));
            for (int i = 0; i < frames; i++) {
                // the muxer rewrites each packet in place, so each sample gets its own copy
                track.addFrame(Packet.createPacket(ByteBuffer.wrap(frame.clone()), i, fps, 1, i,
                        Packet.FrameType.KEY, null));
            }
            muxer.finish();
        }
    }

    /** Reads the first video track's size, frame count and rate; fails on anything that is not an MP4 video. */
    public static VideoInfo probe(Path file) throws IOException {
        try (SeekableByteChannel in = NIOUtils.readableChannel(file.toFile())) {
            MP4Demuxer demuxer = MP4Demuxer.createMP4Demuxer(in);
            DemuxerTrack track = demuxer.getVideoTrack();
            if (track == null) {
                throw new IOException("no video track");
            }
            DemuxerTrackMeta meta = track.getMeta();
            Size size = meta.getVideoCodecMeta().getSize();
            int frames = meta.getTotalFrames();
            double duration = meta.getTotalDuration();
            double fps = duration > 0 ? frames / duration : 0;
            return new VideoInfo(size.getWidth(), size.getHeight(), frames, Math.round(fps * 1000) / 1000.0);
        } catch (RuntimeException e) {
            throw new IOException("not a readable MP4 video: " + e.getMessage(), e);
        }
    }

    /** A frame from near the middle of the video (the key frame before it), decoded; empty if it cannot be read. */
    public static Optional<Picture> middleFrame(Path file) {
        try (SeekableByteChannel in = NIOUtils.readableChannel(file.toFile())) {
            FrameGrab grab = FrameGrab.createFrameGrab(in);
            int frames = grab.getVideoTrack().getMeta().getTotalFrames();
            return Optional.ofNullable(grab.seekToFrameSloppy(frames / 2).getNativeFrame());
        } catch (IOException | JCodecException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Where the source video sits inside the canvas, in pixels; {@link #NONE} for inputs. */
    public record Inset(int left, int top, int width, int height) {
        public static final Inset NONE = new Inset(0, 0, 0, 0);
    }

    private static void paint(Picture picture, Pattern pattern, Inset inset) {
        byte[] luma = picture.getPlaneData(0);
        int width = picture.getWidth();
        int height = picture.getHeight();
        if (pattern == Pattern.NOISE) {
            new Random(width * 31L + height).nextBytes(luma);
        } else {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    boolean source = x >= inset.left() && x < inset.left() + inset.width()
                            && y >= inset.top() && y < inset.top() + inset.height();
                    // JCodec stores 8-bit samples as signed bytes centred on 0
                    luma[y * width + x] = (byte) (source ? 40 : -40 + (x * 64 / width));
                }
            }
        }
        // chroma left at 0 (neutral grey) for the canvas; a blue tint marks the source area
        byte[] cb = picture.getPlaneData(1);
        int cw = width / 2;
        for (int y = inset.top() / 2; y < (inset.top() + inset.height()) / 2; y++) {
            for (int x = inset.left() / 2; x < (inset.left() + inset.width()) / 2; x++) {
                cb[y * cw + x] = 60;
            }
        }
    }
}
