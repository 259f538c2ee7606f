package io.outpaint.media.finish;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one ffmpeg command that finishes a clip. Inputs: 0 the original, 1 the generation, 2 the seam
 * mask. The generation is stretched to the original's duration, scaled to the canvas and set to
 * the original's rate (cut first to the window of the model's canvas that the output covers, when
 * known); the original (cropped if planned, never resampled in time) gets the mask as
 * alpha and is laid over it at the source rectangle. The generation's last frame is held a few
 * frames longer and the picture is cut at the original's frame count, so the count is the
 * original's whatever the generation's length.
 */
final class FinishGraph {

    private FinishGraph() {}

    static String filter(MediaInfo input, MediaInfo generated, FinishSpec spec) {
        FinishSpec.Rect rect = spec.source();
        Rational fps = input.fps();
        // generated duration x k = input duration, both counted in frames: k = (nIn / fpsIn) / (nGen / fpsGen)
        long stretchNum = input.frames() * generated.fps().num() * fps.den();
        long stretchDen = generated.frames() * generated.fps().den() * fps.num();
        String crop = spec.crop().map(c -> "crop=" + c.width() + ":" + c.height() + ":" + c.x() + ":" + c.y() + ",").orElse("");
        int keptWidth = spec.crop().map(FinishSpec.Crop::width).orElse(input.width());
        int keptHeight = spec.crop().map(FinishSpec.Crop::height).orElse(input.height());
        String window = spec.window().map(w -> w.filter() + ",").orElse("");
        String resize = keptWidth == rect.width() && keptHeight == rect.height()
                ? "" : "scale=" + rect.width() + ":" + rect.height() + ":flags=lanczos,";
        return "[1:v]setpts=(PTS-STARTPTS)*" + stretchNum + "/" + stretchDen
                + "," + window + "scale=" + spec.canvasWidth() + ":" + spec.canvasHeight() + ":flags=bicubic,setsar=1"
                + ",fps=" + fps + ",tpad=stop_mode=clone:stop=8,format=yuv420p[gen];"
                + "[0:v]setpts=PTS-STARTPTS," + crop + resize + "setsar=1,format=yuva420p[src];"
                + "[2:v]format=gray[mask];"
                + "[src][mask]alphamerge[layer];"
                + "[gen][layer]overlay=x=" + rect.x() + ":y=" + rect.y() + ":format=yuv420"
                // cut in the graph, not with -frames:v, which can end the file before the last audio packets
                + ",trim=end_frame=" + input.frames() + ",format=yuv420p[v]";
    }

    static List<String> command(Path input, Path generated, Path mask, Path output,
                                MediaInfo in, MediaInfo gen, FinishSpec spec, AudioHandling audio) {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-loglevel", "error",
                "-i", input.toString(), "-i", generated.toString(), "-i", mask.toString(),
                "-filter_complex", filter(in, gen, spec), "-map", "[v]"));
        args.addAll(audio.args());
        args.addAll(spec.quality().encoderArgs(spec.canvasWidth(), spec.canvasHeight(), in.fps()));
        args.addAll(List.of("-r", in.fps().toString(), "-movflags", "+faststart", "-f", "mp4", output.toString()));
        return args;
    }
}
