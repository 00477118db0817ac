package io.runstream.ingress.domain;

/**
 * How much one start may carry, so that what is accepted can be carried out.
 *
 * @param maxInputBytes largest input (UTF-8 JSON); the worker's state holds the input up to three times
 * @param maxRecordBytes largest command record the log takes (the topic's and the producer's limit, less headers)
 */
public record IntakeLimits(long maxInputBytes, long maxRecordBytes) {
}
