package io.outpaint.simulator.video;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.jcodec.codecs.vpx.VP8Decoder;
import org.jcodec.common.DemuxerTrack;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.io.SeekableByteChannel;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Packet;
import org.jcodec.common.model.Picture;
import org.jcodec.containers.mkv.demuxer.MKVDemuxer;

/** Reads WebM (VP8) videos in pure Java, as far as the simulator needs: size, frame count, rate, first frame. */
public final class WebmVideo {

    private WebmVideo() {}

    /** The first video track's size, frame count and rate; fails on anything that is not a WebM video. */
    public static VideoInfo probe(Path file) throws IOException {
        try (SeekableByteChannel in = NIOUtils.readableChannel(file.toFile())) {
            MKVDemuxer demuxer = new MKVDemuxer(in);
            if (demuxer.getVideoTracks().isEmpty()) {
                throw new IOException("no video track");
            }
            DemuxerTrack track = demuxer.getVideoTracks().get(0);
            int frames = 0;
            long lastPts = 0;
            for (Packet packet = track.nextFrame(); packet != null; packet = track.nextFrame()) {
                frames++;
                lastPts = packet.getPts();
            }
            // the demuxer reports block times in milliseconds
            double fps = frames > 1 && lastPts > 0 ? (frames - 1) * 1000.0 / lastPts : 0;
            return new VideoInfo(demuxer.getPictureWidth(), demuxer.getPictureHeight(), frames, Math.round(fps * 100) / 100.0);
        } catch (RuntimeException e) {
            throw new IOException("not a readable WebM video: " + e.getMessage(), e);
        }
    }

    /** The first frame (a key frame in every WebM), decoded; empty if the decoder cannot read it. */
    public static Optional<Picture> firstFrame(Path file) {
        try (SeekableByteChannel in = NIOUtils.readableChannel(file.toFile())) {
            MKVDemuxer demuxer = new MKVDemuxer(in);
            Packet packet = demuxer.getVideoTracks().get(0).nextFrame();
            int width = (demuxer.getPictureWidth() + 15) & ~15;
            int height = (demuxer.getPictureHeight() + 15) & ~15;
            Picture buffer = Picture.create(width, height, ColorSpace.YUV420);
            return Optional.ofNullable(new VP8Decoder().decodeFrame(packet.getData(), buffer.getData()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
