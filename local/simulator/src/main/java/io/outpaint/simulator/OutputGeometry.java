package io.outpaint.simulator;

/**
 * The frame size of an outpainted video, as Scenario's model documentation describes it: each enabled side adds
 * {@code floor(expandRatio * side)} pixels, the canvas is rounded up to a multiple of 8, then scaled
 * so its short side is the resolution tier (or to the requested aspect ratio at that tier).
 * Scaled sizes are rounded to even numbers, as H.264 4:2:0 needs.
 */
public record OutputGeometry(int sourceWidth, int sourceHeight, int canvasWidth, int canvasHeight, int left, int top, int width, int height) {

    public static OutputGeometry of(int inputWidth, int inputHeight, boolean expandLeft, boolean expandRight,
                                    boolean expandTop, boolean expandBottom, double expandRatio,
                                    int tier, String aspectRatio) {
        int dx = (int) Math.floor(expandRatio * inputWidth);
        int dy = (int) Math.floor(expandRatio * inputHeight);
        int left = expandLeft ? dx : 0;
        int top = expandTop ? dy : 0;
        int canvasWidth = roundUp8(inputWidth + left + (expandRight ? dx : 0));
        int canvasHeight = roundUp8(inputHeight + top + (expandBottom ? dy : 0));
        int width;
        int height;
        switch (aspectRatio) {
            case "16:9" -> { width = even(tier * 16.0 / 9); height = tier; }
            case "9:16" -> { width = tier; height = even(tier * 16.0 / 9); }
            case "1:1" -> { width = tier; height = tier; }
            default -> {
                if (canvasWidth <= canvasHeight) {
                    width = tier;
                    height = even((double) canvasHeight * tier / canvasWidth);
                } else {
                    width = even((double) canvasWidth * tier / canvasHeight);
                    height = tier;
                }
            }
        }
        return new OutputGeometry(inputWidth, inputHeight, canvasWidth, canvasHeight, left, top, width, height);
    }

    private static int roundUp8(int value) {
        return (value + 7) / 8 * 8;
    }

    private static int even(double value) {
        return (int) Math.round(value / 2) * 2;
    }
}
