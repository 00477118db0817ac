package io.runstream.projection.web;

/** The error body of every failed request: a stable code, a short title and a readable message. */
record ApiError(String code, String title, String message) {
}
