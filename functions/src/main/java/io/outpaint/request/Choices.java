package io.outpaint.request;

import com.fasterxml.jackson.annotation.JsonValue;

/** The closed sets of the model's string inputs, each with its wire value. */
public final class Choices {

    private Choices() {}

    /** An enum constant as Scenario spells it. */
    public interface Wire {
        @JsonValue
        String wire();
    }

    public enum Resolution implements Wire {
        P720("720p", 720), P580("580p", 580), P480("480p", 480);
        private final String wire;
        private final int shortSide;
        Resolution(String wire, int shortSide) { this.wire = wire; this.shortSide = shortSide; }
        public String wire() { return wire; }
        public int shortSide() { return shortSide; }
    }

    public enum AspectRatio implements Wire {
        AUTO("auto"), WIDE("16:9"), SQUARE("1:1"), TALL("9:16");
        private final String wire;
        AspectRatio(String wire) { this.wire = wire; }
        public String wire() { return wire; }
    }

    public enum Acceleration implements Wire {
        REGULAR("regular"), NONE("none");
        private final String wire;
        Acceleration(String wire) { this.wire = wire; }
        public String wire() { return wire; }
    }

    public enum VideoQuality implements Wire {
        MAXIMUM("maximum"), HIGH("high"), MEDIUM("medium"), LOW("low");
        private final String wire;
        VideoQuality(String wire) { this.wire = wire; }
        public String wire() { return wire; }
    }

    public enum VideoWriteMode implements Wire {
        BALANCED("balanced"), FAST("fast"), SMALL("small");
        private final String wire;
        VideoWriteMode(String wire) { this.wire = wire; }
        public String wire() { return wire; }
    }

    public enum InterpolatorModel implements Wire {
        FILM("film"), RIFE("rife");
        private final String wire;
        InterpolatorModel(String wire) { this.wire = wire; }
        public String wire() { return wire; }
    }
}
