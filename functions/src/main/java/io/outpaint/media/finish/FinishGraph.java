package io.outpaint.media.finish;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one ffmpeg command that finishes a clip. Inputs: 0 the original, 1 the generation, 2 the seam
 * mask (and, for a segment whose margins' colours are matched, 3 their weights: {@link MarginColours#weights}). The generation is stretched to the original's duration, scaled to the canvas and set to
 * the original's rate (cut first to the window of the model's canvas that the output covers, when
 * known); the original (cropped if planned, never resampled in time) gets the mask as
 * alpha and is laid over it at the source rectangle. The generation's last frame is held a few
 * frames longer and the picture is cut at the original's frame count, so the count is the
 * original's whatever the generation's length.
 */
final class FinishGraph {

    private FinishGraph() {}

    static String filter(MediaInfo input, MediaInfo generated, FinishSpec spec) {
        return filter(input, generated, spec, "");
    }

    /**
     * The graph with {@code marginFilters} (a chain of filters, or nothing) applied to the generation on the canvas,
     * before the original is laid over it: what they change shows only in the margins and the seam's feather.
     */
    static String filter(MediaInfo input, MediaInfo generated, FinishSpec spec, String marginFilters) {
        return filter(input, generated, spec, marginFilters, false);
    }

    /**
     * The graph with {@code marginFilters}, and, when {@code weighted}, input 3 (one raw yuv420p frame of weights, 0 to
     * 255) saying how much of their change each sample of the generation takes: none where it is 0, all where 255.
     */
    static String filter(MediaInfo input, MediaInfo generated, FinishSpec spec, String marginFilters, boolean weighted) {
        FinishSpec.Rect rect = spec.source();
        int keptWidth = spec.crop().map(FinishSpec.Crop::width).orElse(input.width());
        int keptHeight = spec.crop().map(FinishSpec.Crop::height).orElse(input.height());
        String crop = spec.crop().map(c -> "crop=" + c.width() + ":" + c.height() + ":" + c.x() + ":" + c.y() + ",").orElse("");
        String resize = keptWidth == rect.width() && keptHeight == rect.height()
                ? "" : "scale=" + rect.width() + ":" + rect.height() + ":flags=lanczos,";
        String gen = marginFilters.isEmpty() ? "[1:v]" + generation(input, generated, spec) + "[gen];"
                : !weighted ? "[1:v]" + generation(input, generated, spec) + "," + marginFilters + "[gen];"
                : "[1:v]" + generation(input, generated, spec) + ",split[gen_as][gen_to];[gen_to]" + marginFilters + "[gen_mapped];"
                        + "[3:v]format=yuv420p[gen_weights];[gen_as][gen_mapped][gen_weights]maskedmerge[gen];";
        return gen
                + "[0:v]setpts=PTS-STARTPTS," + crop + resize + "setsar=1,format=yuva420p[src];"
                + "[2:v]format=gray[mask];"
                + "[src][mask]alphamerge[layer];"
                + "[gen][layer]overlay=x=" + rect.x() + ":y=" + rect.y() + ":format=yuv420"
                // cut in the graph, not with -frames:v, which can end the file before the last audio packets
                + ",trim=end_frame=" + input.frames() + ",format=yuv420p[v]";
    }

    /**
     * The chain (no labels) that makes the generation's frames the output's: stretched over the input's frames, cut to
     * the window, scaled to the canvas, at the input's rate, in yuv420p. Frame k of its output goes with the input's
     * frame k.
     */
    static String generation(MediaInfo input, MediaInfo generated, FinishSpec spec) {
        Rational fps = input.fps();
        // generated duration x k = input duration, both counted in frames: k = (nIn / fpsIn) / (nGen / fpsGen)
        long stretchNum = input.frames() * generated.fps().num() * fps.den();
        long stretchDen = generated.frames() * generated.fps().den() * fps.num();
        String window = spec.window().map(w -> w.filter() + ",").orElse("");
        return "setpts=(PTS-STARTPTS)*" + stretchNum + "/" + stretchDen
                + "," + window + "scale=" + spec.canvasWidth() + ":" + spec.canvasHeight() + ":flags=bicubic,setsar=1"
                + ",fps=" + fps + ",tpad=stop_mode=clone:stop=8,format=yuv420p";
    }

    /**
     * {@code value} as a filter's option inside a filter graph: escaped once for the option ({@code \ ' :}) and once
     * more for the graph ({@code \ ' [ ] , ;}), as FFmpeg's filter documentation describes.
     */
    static String escapeOption(String value) {
        String option = value.replaceAll("([\\\\':])", "\\\\$1");
        return option.replaceAll("([\\\\'\\[\\],;])", "\\\\$1");
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
