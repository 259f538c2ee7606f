package io.outpaint.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.json.TreeFields;
import io.outpaint.request.FramingPlan.Rect;
import io.outpaint.request.FramingPlan.Side;
import io.outpaint.request.FramingPlan.Size;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link FramingPlan} as the job record, the estimate and the API show it: sides and {@code aspectRatio} by
 * their wire names, sizes and rectangles as objects, {@code crop} only when the source is cropped. Read back
 * strictly, as the record's own codec reads: an unknown or missing field is refused with its path.
 */
public final class FramingJson {

    private static final TreeFields F = new TreeFields("a framing plan's");
    private static final Set<String> PLAN = Set.of("input", "sides", "expandRatio", "aspectRatio", "canvas", "source", "crop",
            "modelCanvas");
    private static final Set<String> SIZE = Set.of("width", "height");
    private static final Set<String> RECT = Set.of("x", "y", "width", "height");

    private FramingJson() {}

    public static ObjectNode write(FramingPlan plan) {
        ObjectNode json = io.outpaint.json.Json.MAPPER.createObjectNode();
        size(json.putObject("input"), plan.input());
        plan.sides().forEach(s -> json.withArray("sides").add(s.wire()));
        json.put("expandRatio", plan.expandRatio());
        json.put("aspectRatio", plan.aspectRatio().wire());
        size(json.putObject("canvas"), plan.canvas());
        rect(json.putObject("source"), plan.source());
        plan.crop().ifPresent(c -> rect(json.putObject("crop"), c));
        size(json.putObject("modelCanvas"), plan.modelCanvas());
        return json;
    }

    public static FramingPlan read(JsonNode json) {
        fields(json, "", PLAN);
        JsonNode sides = required(json, "sides", "");
        if (!sides.isArray()) {
            throw F.wrong("sides", "an array of left, right, top, bottom", sides);
        }
        List<Side> read = new ArrayList<>();
        for (JsonNode side : sides) {
            read.add(wire(side, "sides[]", Side.values()));
        }
        return new FramingPlan(size(json, "input"), read, required(F.number(json, "expandRatio", ""), "expandRatio"),
                wire(required(json, "aspectRatio", ""), "aspectRatio", Choices.AspectRatio.values()), size(json, "canvas"),
                rect(json, "source"), Optional.ofNullable(TreeFields.field(json, "crop")).map(c -> rect(json, "crop")),
                size(json, "modelCanvas"));
    }

    private static void size(ObjectNode json, Size size) {
        json.put("width", size.width()).put("height", size.height());
    }

    private static void rect(ObjectNode json, Rect rect) {
        json.put("x", rect.x()).put("y", rect.y()).put("width", rect.width()).put("height", rect.height());
    }

    private static Size size(JsonNode json, String name) {
        JsonNode node = fields(required(json, name, ""), name, SIZE);
        return new Size(whole(node, "width", name), whole(node, "height", name));
    }

    private static Rect rect(JsonNode json, String name) {
        JsonNode node = fields(required(json, name, ""), name, RECT);
        return new Rect(whole(node, "x", name), whole(node, "y", name), whole(node, "width", name), whole(node, "height", name));
    }

    private static int whole(JsonNode node, String name, String at) {
        return required(F.integer(node, name, at + "."), at + "." + name);
    }

    private static <E extends Choices.Wire> E wire(JsonNode node, String at, E[] allowed) {
        for (E e : allowed) {
            if (node.isTextual() && e.wire().equals(node.textValue())) {
                return e;
            }
        }
        throw F.wrong(at, "one of " + java.util.Arrays.stream(allowed).map(Choices.Wire::wire).toList(), node);
    }

    private static JsonNode required(JsonNode node, String name, String at) {
        return required(TreeFields.field(node, name), at + name);
    }

    private static <T> T required(T value, String at) {
        if (value == null) {
            throw F.wrong(at, "present", null);
        }
        return value;
    }

    private static JsonNode fields(JsonNode node, String at, Set<String> allowed) {
        F.object(node, at.isEmpty() ? "(plan)" : at);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw F.wrong(at.isEmpty() ? name : at + "." + name, "absent (allowed: " + allowed.stream().sorted().toList() + ")",
                        node.get(name));
            }
        }
        return node;
    }
}
