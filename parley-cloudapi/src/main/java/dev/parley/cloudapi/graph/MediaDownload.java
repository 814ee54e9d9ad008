package dev.parley.cloudapi.graph;

/** Downloaded media bytes and the {@code Content-Type} they came with (may be null). */
public record MediaDownload(byte[] bytes, String contentType) {
}
