package dev.parley.cloudapi.outbound;

import java.util.Objects;

/** Where media comes from: an uploaded media id or a public http(s) link. Exactly one of the two is set. */
public record MediaSource(String id, String link) {

    public MediaSource {
        if ((id == null) == (link == null)) {
            throw new IllegalArgumentException("media needs exactly one of id or link");
        }
    }

    /** Media uploaded with {@code uploadMedia} (or received in a webhook). */
    public static MediaSource id(String mediaId) {
        return new MediaSource(Objects.requireNonNull(mediaId, "mediaId"), null);
    }

    /** Media Meta fetches from a public http(s) URL (cached for 10 minutes). */
    public static MediaSource link(String url) {
        return new MediaSource(null, Objects.requireNonNull(url, "url"));
    }
}
