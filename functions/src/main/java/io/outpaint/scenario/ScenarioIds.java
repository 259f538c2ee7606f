package io.outpaint.scenario;

import java.util.regex.Pattern;

/** The form of Scenario's ids (jobs, uploads, assets), checked wherever one enters or goes into a URL. */
public final class ScenarioIds {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern ASSET_ID = Pattern.compile("asset_[A-Za-z0-9_-]{1,128}");

    private ScenarioIds() {}

    /** Letters, digits, {@code _} and {@code -}, 1 to 128 of them: safe in a URL path as it is. */
    public static boolean isId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    /** An asset's id, as Scenario gives them: {@code asset_} and an id. */
    public static boolean isAssetId(String value) {
        return value != null && ASSET_ID.matcher(value).matches();
    }
}
