package io.outpaint.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The API said no: one line per problem it named (each field as the flag or parameter the user
 * typed), each ending with the HTTP status and the error's code; printed as
 * {@code outpaint <command>: <line>}, exit 1.
 */
final class ApiRefusal extends RuntimeException {

    private final List<String> lines;

    private ApiRefusal(List<String> lines) {
        super(String.join("; ", lines));
        this.lines = List.copyOf(lines);
    }

    /** From a refused answer, a field {@code video.key} named as {@code videoParameter} (the command's own parameter). */
    static ApiRefusal of(ApiClient.Answer answer, String videoParameter) {
        JsonNode error = answer.body().path("error");
        String code = error.path("code").asText("");
        String status = " (HTTP " + answer.status() + (code.isEmpty() ? "" : " " + code) + ")";
        List<String> lines = new ArrayList<>();
        for (JsonNode field : error.path("fields")) {
            String name = field.path("field").asText();
            // the API's message starts with the field's name; say it once, as the flag the user typed
            String message = field.path("message").asText().replaceFirst("^" + Pattern.quote(name) + ":\\s*", "");
            String flag = name.equals("video.key") ? videoParameter : name.startsWith("video.shape") ? "FILE" : ModelFlags.flagForField(name);
            lines.add(flag + ": " + message + status);
        }
        if (lines.isEmpty()) {
            lines.add(message(answer.body()) + status);
        }
        return new ApiRefusal(lines);
    }

    List<String> lines() {
        return lines;
    }

    /** Ours ({@code error.message}), API Gateway's own ({@code message}, e.g. a 403 of IAM), or the first line of a body that is not JSON. */
    private static String message(JsonNode body) {
        String text = body.path("error").path("message").asText(body.path("message").asText(body.path("raw").asText("")));
        String line = text.strip().lines().findFirst().orElse("");
        if (line.isEmpty()) {
            return "the API refused it without a message";
        }
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
